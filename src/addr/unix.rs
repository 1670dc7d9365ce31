//! `sockaddr_un`: Unix-domain addresses, in the three kinds Linux has: a path, an
//! abstract name (Linux), or unnamed.

use std::ffi::OsStr;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::mem::size_of;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::sys::bytes_of;
use crate::{Error, Reason, Result};

/// Offset of `sun_path` in `sockaddr_un`: the length of an unnamed address.
const PATH_OFFSET: usize = std::mem::offset_of!(libc::sockaddr_un, sun_path);
/// Size of `sun_path` (108 on Linux).
pub const SUN_PATH_LEN: usize = size_of::<libc::sockaddr_un>() - PATH_OFFSET;

/// A Unix-domain socket address: C's `struct sockaddr_un` plus its length (see
/// [`unix(7)`]).
///
/// The length is part of the address: it is how the kernel tells a path that fills
/// all 108 bytes of `sun_path` (no NUL terminator) from a shorter one, and an
/// abstract name from an unnamed socket.
///
/// ```
/// use bsdsock::SockAddrUn;
/// let a = SockAddrUn::new("/run/x.sock")?;
/// assert_eq!(a.path(), Some(std::path::Path::new("/run/x.sock")));
/// assert_eq!(a.to_string(), "/run/x.sock");
/// assert!(SockAddrUn::unnamed().is_unnamed());
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`unix(7)`]: https://man7.org/linux/man-pages/man7/unix.7.html
#[derive(Clone, Copy)]
// 4-aligned like the other payloads of `SockAddr`, so that its tag is a whole
// u32 with no padding before the payload: then `Ok(SockAddr::Inet(..))` is one
// tag store and one 16-byte copy, with no temporary. Bench rows getsockname /
// getsockname6 (benches/callgrind.guard): 23 / 35 instructions per call with
// it, 27 / 43 without.
#[repr(align(4))]
#[doc(alias = "sockaddr_un")]
pub struct SockAddrUn {
    pub(crate) addr: libc::sockaddr_un,
    /// The address length the kernel sees: PATH_OFFSET..=size_of::<sockaddr_un>().
    pub(crate) len: u8,
}

/// What a `sockaddr_un` names, decoded from its bytes and length.
#[derive(PartialEq, Eq, Hash)]
enum Kind<'a> {
    Unnamed,
    Path(&'a [u8]),
    Abstract(&'a [u8]),
}

impl SockAddrUn {
    fn empty(len: usize) -> SockAddrUn {
        let mut addr = crate::sys::read_prefix::<libc::sockaddr_un>(&[]);
        addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
        #[cfg(any(apple, bsd))]
        {
            addr.sun_len = len as u8;
        }
        SockAddrUn { addr, len: len as u8 }
    }

    fn with_path_bytes(offset: usize, name: &[u8], nul: bool) -> SockAddrUn {
        let len = PATH_OFFSET + offset + name.len() + usize::from(nul);
        let mut a = SockAddrUn::empty(len);
        for (dst, src) in a.addr.sun_path[offset..].iter_mut().zip(name) {
            *dst = *src as libc::c_char;
        }
        a
    }

    /// An address for a filesystem path. The path must be non-empty, free of NUL
    /// bytes and at most [`SUN_PATH_LEN`] (108) bytes; a path of exactly 108 bytes
    /// fills `sun_path` with no terminator, which Linux accepts.
    ///
    /// ```
    /// use bsdsock::SockAddrUn;
    /// assert!(SockAddrUn::new("/tmp/ok.sock").is_ok());
    /// let long = format!("/{}", "x".repeat(108));
    /// let err = SockAddrUn::new(&long).unwrap_err();
    /// assert_eq!(err.to_string(), "SockAddrUn::new: path for sun_path is 109 bytes long; at most 108 fit");
    /// ```
    pub fn new(path: impl AsRef<Path>) -> Result<SockAddrUn> {
        let bytes = path.as_ref().as_os_str().as_bytes();
        const CALL: &str = "SockAddrUn::new";
        if bytes.is_empty() {
            return Err(Error::invalid(CALL, "empty path (use SockAddrUn::unnamed)"));
        }
        if bytes.contains(&0) {
            return Err(Error::invalid(CALL, Reason::Nul { what: "path" }));
        }
        if bytes.len() > SUN_PATH_LEN {
            let too_long =
                Reason::TooLong { what: "path for sun_path", len: bytes.len(), max: SUN_PATH_LEN };
            return Err(Error::invalid(CALL, too_long));
        }
        Ok(SockAddrUn::with_path_bytes(0, bytes, bytes.len() < SUN_PATH_LEN))
    }

    /// A Linux abstract-namespace address: `name` is stored after a leading NUL in
    /// `sun_path` and may hold any bytes, NULs included, up to 107 of them. No file
    /// is created; the name disappears with the last socket bound to it.
    ///
    /// ```
    /// use bsdsock::SockAddrUn;
    /// let a = SockAddrUn::new_abstract(b"bsdsock-doc")?;
    /// assert_eq!(a.abstract_name(), Some(&b"bsdsock-doc"[..]));
    /// assert_eq!(a.to_string(), "@bsdsock-doc");
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(linux_like)]
    #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
    #[doc(alias = "abstract namespace")]
    pub fn new_abstract(name: &[u8]) -> Result<SockAddrUn> {
        if name.len() > SUN_PATH_LEN - 1 {
            // The leading NUL takes one byte of sun_path.
            let too_long =
                Reason::TooLong { what: "abstract name", len: name.len(), max: SUN_PATH_LEN - 1 };
            return Err(Error::invalid("SockAddrUn::new_abstract", too_long));
        }
        Ok(SockAddrUn::with_path_bytes(1, name, false))
    }

    /// The unnamed address: what an unbound socket, or either end of a
    /// `socketpair`, reports.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrUn::unnamed().to_string(), "(unnamed)");
    /// ```
    pub fn unnamed() -> SockAddrUn {
        SockAddrUn::empty(PATH_OFFSET)
    }

    /// Decodes the bytes of a `sockaddr_un` whose family was already checked.
    ///
    /// Linux reports a path that fills all of `sun_path` with length 111: it counts
    /// a terminator that lies just past the struct (in the caller's larger buffer).
    /// Such trailing NULs are dropped, so the path reads back as exactly its bytes.
    pub(crate) fn from_raw(raw: &[u8]) -> std::result::Result<SockAddrUn, &'static str> {
        let full = size_of::<libc::sockaddr_un>();
        let raw = match raw.get(full..) {
            Some(extra) if extra.iter().all(|&b| b == 0) => &raw[..full],
            _ => raw,
        };
        if raw.len() < PATH_OFFSET || raw.len() > full {
            return Err("length does not fit AF_UNIX (2 to 110 bytes)");
        }
        let mut a = SockAddrUn {
            addr: crate::sys::read_prefix::<libc::sockaddr_un>(raw),
            len: raw.len() as u8,
        };
        a.addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
        // The 4.4BSD layout's length byte says what `len` says, whatever the
        // bytes held: handed back to the kernel, the address is self-consistent.
        #[cfg(any(apple, bsd))]
        {
            a.addr.sun_len = a.len;
        }
        Ok(a)
    }

    /// The bytes of `sun_path` that the length covers.
    fn sun_path(&self) -> &[u8] {
        &bytes_of(&self.addr)[PATH_OFFSET..usize::from(self.len)]
    }

    fn kind(&self) -> Kind<'_> {
        match self.sun_path() {
            [] => Kind::Unnamed,
            [0, name @ ..] if cfg!(linux_like) => Kind::Abstract(name),
            path => {
                // The kernel counts the terminator in the length when there is one.
                let end = path.iter().position(|&b| b == 0).unwrap_or(path.len());
                match &path[..end] {
                    // Where a leading NUL is no abstract name (not Linux), nothing
                    // before the NUL is no name at all.
                    [] => Kind::Unnamed,
                    path => Kind::Path(path),
                }
            }
        }
    }

    /// The filesystem path, if this is a path address.
    ///
    /// ```
    /// let a = bsdsock::SockAddrUn::new("/tmp/s")?;
    /// assert_eq!(a.path().unwrap().to_str(), Some("/tmp/s"));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn path(&self) -> Option<&Path> {
        match self.kind() {
            Kind::Path(p) => Some(Path::new(OsStr::from_bytes(p))),
            _ => None,
        }
    }

    /// The abstract name (without the leading NUL), if this is an abstract address.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrUn::unnamed().abstract_name(), None);
    /// ```
    pub fn abstract_name(&self) -> Option<&[u8]> {
        match self.kind() {
            Kind::Abstract(n) => Some(n),
            _ => None,
        }
    }

    /// Whether this is the unnamed address.
    ///
    /// ```
    /// assert!(!bsdsock::SockAddrUn::new("/x")?.is_unnamed());
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn is_unnamed(&self) -> bool {
        self.kind() == Kind::Unnamed
    }

    /// The `sockaddr_un` bytes up to the address length.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &bytes_of(&self.addr)[..usize::from(self.len)]
    }
}

impl PartialEq for SockAddrUn {
    /// Two addresses are equal when they name the same thing: a path address with
    /// or without its NUL terminator counted in the length is the same path.
    fn eq(&self, other: &Self) -> bool {
        self.kind() == other.kind()
    }
}
impl Eq for SockAddrUn {}

impl Hash for SockAddrUn {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.kind().hash(h);
    }
}

impl fmt::Debug for SockAddrUn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SockAddrUn({self})")
    }
}

impl fmt::Display for SockAddrUn {
    /// `(unnamed)`, `@name` for an abstract name, or the path: bare when it
    /// reads back as exactly this path (it has a `/`, is UTF-8 without control
    /// characters, and no other form claims it: see `SockAddr`'s `FromStr`),
    /// else as `unix:PATH`. `@name` and `unix:PATH` show `\` as `\\` and
    /// bytes outside printable ASCII as `\xNN`, so that any bytes print, and
    /// parse back, exactly.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind() {
            Kind::Unnamed => f.write_str("(unnamed)"),
            Kind::Abstract(name) => {
                f.write_str("@")?;
                super::parse::write_escaped(f, name)
            }
            Kind::Path(p) => match std::str::from_utf8(p) {
                Ok(text)
                    if !text.contains(char::is_control)
                        && super::parse::reads_as_bare_path(text) =>
                {
                    f.write_str(text)
                }
                _ => {
                    f.write_str("unix:")?;
                    super::parse::write_escaped(f, p)
                }
            },
        }
    }
}

impl From<&std::os::unix::net::SocketAddr> for SockAddrUn {
    /// Converts std's Unix address. std obtained it from the kernel, so it always
    /// fits `sun_path`.
    fn from(a: &std::os::unix::net::SocketAddr) -> SockAddrUn {
        if let Some(p) = a.as_pathname() {
            let bytes = p.as_os_str().as_bytes();
            let n = bytes.len().min(SUN_PATH_LEN);
            return SockAddrUn::with_path_bytes(0, &bytes[..n], n < SUN_PATH_LEN);
        }
        #[cfg(target_os = "linux")]
        {
            use std::os::linux::net::SocketAddrExt;
            if let Some(name) = a.as_abstract_name() {
                let n = name.len().min(SUN_PATH_LEN - 1);
                return SockAddrUn::with_path_bytes(1, &name[..n], false);
            }
        }
        SockAddrUn::unnamed()
    }
}
