//! Socket addresses (`sockaddr_in`, `sockaddr_in6`, `sockaddr_un`) and the text and
//! byte-order functions of `<arpa/inet.h>`.
//!
//! [`SockAddr`] is what the socket calls take and return. It keeps each family's C
//! struct as is, so passing one to the kernel copies nothing and reading one back
//! from the kernel is a length check and a copy; no address ever touches the heap.

mod byteorder;
mod inet;
mod parse;
mod text;
mod unix;

use std::fmt;
use std::mem::size_of;
use std::net::{IpAddr, SocketAddr, SocketAddrV4, SocketAddrV6};

pub use byteorder::*;
pub use inet::{SockAddrIn, SockAddrIn6};
pub use text::*;
pub use unix::{SUN_PATH_LEN, SockAddrUn};

use crate::sys::{AddrBuf, bytes_of, read_exact};
use crate::{Domain, Error, Result};

/// A socket address of any family the crate supports.
///
/// Display and `FromStr` are inverses: `127.0.0.1:80`, `[::1]:80`,
/// `[fe80::1%2]:80`, `/run/x.sock`, `@name` (Linux abstract), `(unnamed)`,
/// `(unspec)`. Names are not resolved here: use [`crate::netdb`] for that.
///
/// ```
/// use bsdsock::SockAddr;
/// for text in ["127.0.0.1:80", "[::1]:80", "[fe80::1%2]:80", "/run/x.sock", "@name", "(unnamed)", "(unspec)"] {
///     let a: SockAddr = text.parse()?;
///     assert_eq!(a.to_string(), text);
///     assert_eq!(SockAddr::from_bytes(a.as_bytes())?, a);
/// }
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
// Aligned to 8 so that `Result<SockAddr, Error>` keeps its tag in SockAddr's
// own: with 4-byte alignment both layouts are 120 bytes and rustc picks a
// separate tag, which every successful getsockname/accept/recvfrom then stores.
// Bench rows getsockname / getsockname6 (benches/callgrind.guard): 23 / 35
// instructions per call with it, 24 / 36 without.
#[repr(align(8))]
#[doc(alias = "sockaddr")]
#[doc(alias = "sockaddr_storage")]
pub enum SockAddr {
    /// No address: what the kernel reports with length 0 or family `AF_UNSPEC`
    /// (the source of data received on a connected stream). `connect` to it
    /// dissolves a datagram socket's association.
    Unspec,
    /// An IPv4 address (`AF_INET`).
    Inet(SockAddrIn),
    /// An IPv6 address (`AF_INET6`).
    Inet6(SockAddrIn6),
    /// A Unix-domain address (`AF_UNIX`): a path, an abstract name, or unnamed.
    Unix(SockAddrUn),
}

/// Where `sa_family` ends in every `sockaddr`: 2 bytes in, both for Linux's
/// and illumos' 16-bit family and for the 4.4BSD layout (FreeBSD, NetBSD,
/// OpenBSD, Apple `<sys/socket.h>`) of an 8-bit `sa_len` then an 8-bit family.
const FAMILY_END: usize =
    std::mem::offset_of!(libc::sockaddr, sa_family) + size_of::<libc::sa_family_t>();

/// The bytes handed to the kernel for [`SockAddr::Unspec`]: a bare `sa_family`
/// of `AF_UNSPEC` (0), the shortest address `connect` accepts for dissolving.
/// On the 4.4BSD layout `sa_len` comes first and says 2 (the BSD kernels take
/// the length from the call's argument anyway: FreeBSD getsockaddr(),
/// OpenBSD and NetBSD sockargs() overwrite it).
const UNSPEC_BYTES: [u8; FAMILY_END] = {
    #[allow(unused_mut)]
    let mut b = [0; FAMILY_END];
    #[cfg(any(apple, bsd))]
    {
        b[0] = FAMILY_END as u8;
    }
    b
};

/// `sa_family` from the front of a raw address (at least [`FAMILY_END`] bytes).
#[inline]
fn raw_family(raw: &[u8]) -> i32 {
    cfg_if::cfg_if! {
        if #[cfg(any(apple, bsd))] {
            // 4.4BSD layout: sa_len (u8), then sa_family (u8).
            i32::from(raw[1])
        } else {
            i32::from(u16::from_ne_bytes([raw[0], raw[1]]))
        }
    }
}

impl SockAddr {
    /// The address family (`Domain::UNSPEC` for [`SockAddr::Unspec`]).
    ///
    /// ```
    /// use bsdsock::{Domain, SockAddr};
    /// assert_eq!("[::1]:1".parse::<SockAddr>()?.family(), Domain::INET6);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn family(&self) -> Domain {
        match self {
            SockAddr::Unspec => Domain::UNSPEC,
            SockAddr::Inet(_) => Domain::INET,
            SockAddr::Inet6(_) => Domain::INET6,
            SockAddr::Unix(_) => Domain::UNIX,
        }
    }

    /// Decodes a raw `sockaddr` as the kernel writes it: `raw` is exactly the
    /// address length the kernel reported. Checks the family and that the length
    /// fits it (16 bytes for `AF_INET`, 28 for `AF_INET6`, 2 to 110 for
    /// `AF_UNIX`); an empty slice is [`SockAddr::Unspec`]. Never panics and never
    /// reads past `raw`.
    ///
    /// ```
    /// use bsdsock::SockAddr;
    /// let a: SockAddr = "10.1.2.3:4567".parse()?;
    /// assert_eq!(SockAddr::from_bytes(a.as_bytes())?, a);
    /// assert!(SockAddr::from_bytes(&a.as_bytes()[..15]).is_err()); // too short for AF_INET
    /// assert_eq!(SockAddr::from_bytes(&[])?, SockAddr::Unspec);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn from_bytes(raw: &[u8]) -> Result<SockAddr> {
        SockAddr::decode(raw).map_err(|reason| Error::invalid("SockAddr::from_bytes", reason))
    }

    /// Decodes an address the kernel just returned from `call`.
    #[inline]
    pub(crate) fn from_kernel(raw: &[u8], call: &'static str) -> Result<SockAddr> {
        SockAddr::decode(raw).map_err(|reason| Error::decode(call, reason))
    }

    /// [`SockAddr::from_kernel`] of what a socket call wrote into `buf`. AF_INET
    /// is decoded inline, as a length compare, a family compare and one 16-byte
    /// copy; AF_INET6 the same way in a small function of its own; everything else
    /// (Unix, unspecified, unknown, malformed) goes through `from_kernel`, cold.
    /// The result is the same either way. Bench rows getsockname / getsockname6
    /// (benches/callgrind.guard), instructions per call: 23 / 35 with these
    /// tiers, 53 / 53 with everything through `from_kernel`, 23 / 73 with
    /// AF_INET6 sent to the cold path, 25 / 28 with AF_INET6 inline too.
    #[inline(always)]
    pub(crate) fn from_addr_buf(buf: &AddrBuf, call: &'static str) -> Result<SockAddr> {
        if let Some(sin) = buf.get_family::<libc::sockaddr_in>(libc::AF_INET as libc::sa_family_t) {
            return Ok(SockAddr::Inet(SockAddrIn(sin)));
        }
        SockAddr::from_other_buf(buf, call)
    }

    /// Everything but AF_INET, out of line: when AF_INET6 is decoded inline too,
    /// LLVM merges the two families' tag stores behind a jump, which costs the
    /// AF_INET path two instructions of its six above raw libc (getsockname 25
    /// instead of 23; AF_INET is the row issue 6 set a target for).
    #[inline(never)]
    fn from_other_buf(buf: &AddrBuf, call: &'static str) -> Result<SockAddr> {
        if let Some(sin6) =
            buf.get_family::<libc::sockaddr_in6>(libc::AF_INET6 as libc::sa_family_t)
        {
            return Ok(SockAddr::Inet6(SockAddrIn6(sin6)));
        }
        SockAddr::from_any_buf(buf, call)
    }

    #[cold]
    #[inline(never)]
    fn from_any_buf(buf: &AddrBuf, call: &'static str) -> Result<SockAddr> {
        SockAddr::from_kernel(buf.bytes(), call)
    }

    #[inline]
    pub(crate) fn decode(raw: &[u8]) -> std::result::Result<SockAddr, &'static str> {
        if raw.is_empty() {
            return Ok(SockAddr::Unspec);
        }
        if raw.len() < FAMILY_END {
            return Err("shorter than sa_family");
        }
        match raw_family(raw) {
            libc::AF_INET => read_exact::<libc::sockaddr_in>(raw)
                .map(|sin| SockAddr::Inet(SockAddrIn(sin)))
                .ok_or("length does not fit AF_INET (16 bytes)"),
            libc::AF_INET6 => read_exact::<libc::sockaddr_in6>(raw)
                .map(|sin6| SockAddr::Inet6(SockAddrIn6(sin6)))
                .ok_or("length does not fit AF_INET6 (28 bytes)"),
            libc::AF_UNIX => SockAddrUn::from_raw(raw).map(SockAddr::Unix),
            libc::AF_UNSPEC => Ok(SockAddr::Unspec),
            _ => Err("unsupported address family"),
        }
    }

    /// The bytes (and so the length) to hand the kernel: exactly what C would pass
    /// as `(const struct sockaddr *addr, socklen_t addrlen)`.
    ///
    /// ```
    /// use bsdsock::SockAddr;
    /// assert_eq!("1.2.3.4:5".parse::<SockAddr>()?.as_bytes().len(), 16);
    /// assert_eq!("[::]:5".parse::<SockAddr>()?.as_bytes().len(), 28);
    /// assert_eq!("/a".parse::<SockAddr>()?.as_bytes().len(), 2 + 2 + 1); // family, "/a", NUL
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            SockAddr::Unspec => &UNSPEC_BYTES,
            SockAddr::Inet(a) => bytes_of(&a.0),
            SockAddr::Inet6(a) => bytes_of(&a.0),
            SockAddr::Unix(a) => a.as_bytes(),
        }
    }

    /// A Unix-domain path address; see [`SockAddrUn::new`].
    ///
    /// ```
    /// let a = bsdsock::SockAddr::unix("/tmp/app.sock")?;
    /// assert_eq!(a.to_string(), "/tmp/app.sock");
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn unix(path: impl AsRef<std::path::Path>) -> Result<SockAddr> {
        SockAddrUn::new(path).map(SockAddr::Unix)
    }

    /// The IP address, for `Inet` and `Inet6`.
    ///
    /// ```
    /// let a: bsdsock::SockAddr = "127.0.0.1:9".parse()?;
    /// assert_eq!(a.ip(), Some(std::net::Ipv4Addr::LOCALHOST.into()));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            SockAddr::Inet(a) => Some(a.ip().into()),
            SockAddr::Inet6(a) => Some(a.ip().into()),
            _ => None,
        }
    }

    /// The port in host byte order, for `Inet` and `Inet6`.
    ///
    /// ```
    /// let a: bsdsock::SockAddr = "[::1]:8080".parse()?;
    /// assert_eq!(a.port(), Some(8080));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn port(&self) -> Option<u16> {
        match self {
            SockAddr::Inet(a) => Some(a.port()),
            SockAddr::Inet6(a) => Some(a.port()),
            _ => None,
        }
    }

    /// The address as a std `SocketAddr`, for `Inet` and `Inet6`.
    ///
    /// ```
    /// let a: bsdsock::SockAddr = "127.0.0.1:9".parse()?;
    /// assert_eq!(a.as_socket(), Some("127.0.0.1:9".parse().unwrap()));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn as_socket(&self) -> Option<SocketAddr> {
        match self {
            SockAddr::Inet(a) => Some(SocketAddr::V4((*a).into())),
            SockAddr::Inet6(a) => Some(SocketAddr::V6((*a).into())),
            _ => None,
        }
    }

    /// The Unix-domain address, for `Unix`.
    ///
    /// ```
    /// let a: bsdsock::SockAddr = "@abstract".parse()?;
    /// assert_eq!(a.as_unix().and_then(|u| u.abstract_name()), Some(&b"abstract"[..]));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn as_unix(&self) -> Option<&SockAddrUn> {
        match self {
            SockAddr::Unix(a) => Some(a),
            _ => None,
        }
    }
}

impl fmt::Display for SockAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SockAddr::Unspec => f.write_str("(unspec)"),
            SockAddr::Inet(a) => fmt::Display::fmt(a, f),
            SockAddr::Inet6(a) => fmt::Display::fmt(a, f),
            SockAddr::Unix(a) => fmt::Display::fmt(a, f),
        }
    }
}

impl fmt::Debug for SockAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SockAddr::Unspec => f.write_str("Unspec"),
            SockAddr::Inet(a) => write!(f, "Inet({a})"),
            SockAddr::Inet6(a) => write!(f, "Inet6({a:?})"),
            SockAddr::Unix(a) => write!(f, "Unix({a})"),
        }
    }
}

impl From<SockAddrIn> for SockAddr {
    fn from(a: SockAddrIn) -> SockAddr {
        SockAddr::Inet(a)
    }
}

impl From<SockAddrIn6> for SockAddr {
    fn from(a: SockAddrIn6) -> SockAddr {
        SockAddr::Inet6(a)
    }
}

impl From<SockAddrUn> for SockAddr {
    fn from(a: SockAddrUn) -> SockAddr {
        SockAddr::Unix(a)
    }
}

impl From<SocketAddrV4> for SockAddr {
    fn from(a: SocketAddrV4) -> SockAddr {
        SockAddr::Inet(a.into())
    }
}

impl From<SocketAddrV6> for SockAddr {
    fn from(a: SocketAddrV6) -> SockAddr {
        SockAddr::Inet6(a.into())
    }
}

impl From<SocketAddr> for SockAddr {
    fn from(a: SocketAddr) -> SockAddr {
        match a {
            SocketAddr::V4(a) => a.into(),
            SocketAddr::V6(a) => a.into(),
        }
    }
}

impl From<&std::os::unix::net::SocketAddr> for SockAddr {
    fn from(a: &std::os::unix::net::SocketAddr) -> SockAddr {
        SockAddr::Unix(a.into())
    }
}

impl TryFrom<SockAddr> for SocketAddr {
    type Error = Error;

    /// `Inet` and `Inet6` convert; any other family is an `Err`.
    fn try_from(a: SockAddr) -> Result<SocketAddr> {
        a.as_socket().ok_or_else(|| {
            Error::invalid("SocketAddr::try_from", "not an IP socket address (AF_INET or AF_INET6)")
        })
    }
}
