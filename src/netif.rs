//! `<net/if.h>`: network interfaces by name and by index.
//!
//! Multicast options, IPv6 scope ids and `SO_BINDTODEVICE` name an interface by
//! its index or its name; these calls convert between the two. Indexes are
//! assigned by the kernel (the loopback interface is often, not always, 1):
//! look them up rather than hard-code them.

use std::ffi::CStr;

use crate::error::Context;
use crate::{Error, Reason, Result, sys};

/// `IF_NAMESIZE`: the size of an interface name with its NUL (16 on Linux), so
/// the longest name is one byte less. [`if_nametoindex`] refuses a longer name
/// before any call, as it does a name with a NUL byte.
///
/// ```
/// let too_long = "x".repeat(bsdsock::IF_NAMESIZE);
/// assert!(matches!(bsdsock::if_nametoindex(&too_long), Err(bsdsock::Error::InvalidInput { .. })));
/// ```
pub const IF_NAMESIZE: usize = sys::IF_NAMESIZE;

/// [`if_nametoindex(3)`](https://man7.org/linux/man-pages/man3/if_nametoindex.3.html):
/// the index of the interface called `name`.
///
/// An unknown name is `Err` with `ENODEV` on Linux (`ENXIO` on some BSDs); a
/// name with a NUL byte or longer than `IF_NAMESIZE - 1` bytes is
/// [`Error::InvalidInput`].
///
/// ```
/// use bsdsock::{if_indextoname, if_nametoindex, Errno};
/// let lo = if_nametoindex("lo")?; // the loopback interface (Linux's name for it)
/// assert!(lo > 0);
/// assert_eq!(if_indextoname(lo)?, "lo");
/// assert_eq!(if_nametoindex("no-such-if0").unwrap_err().errno(), Some(Errno::ENODEV));
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn if_nametoindex(name: &str) -> Result<u32> {
    let mut buf = [0u8; IF_NAMESIZE];
    let c = c_ifname(name, &mut buf)?;
    sys::if_nametoindex(c).ctx("if_nametoindex")
}

/// `name` with its NUL in `buf`, or why it cannot name an interface.
fn c_ifname<'b>(name: &str, buf: &'b mut [u8; IF_NAMESIZE]) -> Result<&'b CStr> {
    let bytes = name.as_bytes();
    let max = IF_NAMESIZE - 1;
    if bytes.len() > max {
        let reason = Reason::TooLong { what: "interface name", len: bytes.len(), max };
        return Err(Error::invalid("if_nametoindex", reason));
    }
    buf[..bytes.len()].copy_from_slice(bytes);
    buf[bytes.len()] = 0;
    CStr::from_bytes_with_nul(&buf[..=bytes.len()])
        .map_err(|_| Error::invalid("if_nametoindex", Reason::Nul { what: "interface name" }))
}

/// [`if_indextoname(3)`](https://man7.org/linux/man-pages/man3/if_indextoname.3.html):
/// the name of the interface with index `index`. No such interface (index 0
/// included) is `Err` with `ENXIO`.
///
/// ```
/// use bsdsock::{if_indextoname, if_nameindex, Errno};
/// for (index, name) in if_nameindex()? {
///     assert_eq!(if_indextoname(index)?, name);
/// }
/// assert_eq!(if_indextoname(0).unwrap_err().errno(), Some(Errno::ENXIO));
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn if_indextoname(index: u32) -> Result<String> {
    let mut buf = [0u8; IF_NAMESIZE];
    let name = sys::if_indextoname(index, &mut buf).ctx("if_indextoname")?;
    utf8("if_indextoname", name.to_vec())
}

/// [`if_nameindex(3)`](https://man7.org/linux/man-pages/man3/if_nameindex.3.html):
/// every interface as `(index, name)`, in the order the system lists them (the
/// C array is copied and freed for you: no `if_freenameindex`).
///
/// ```
/// use bsdsock::{if_nameindex, if_nametoindex};
/// let all = if_nameindex()?;
/// let lo = if_nametoindex("lo")?;
/// assert!(all.iter().any(|(index, name)| *index == lo && name == "lo"));
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[doc(alias = "if_freenameindex")]
pub fn if_nameindex() -> Result<Vec<(u32, String)>> {
    let list = sys::if_nameindex().ctx("if_nameindex")?;
    list.into_iter().map(|(index, name)| Ok((index, utf8("if_nameindex", name)?))).collect()
}

/// An interface name as a `String`; bytes that are not UTF-8 are reported, never
/// altered.
fn utf8(call: &'static str, name: Vec<u8>) -> Result<String> {
    String::from_utf8(name)
        .map_err(|_| Error::decode(call, Reason::NotUtf8 { what: "interface name" }))
}
