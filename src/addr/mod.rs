//! Socket addresses (`sockaddr_in`, `sockaddr_in6`, `sockaddr_un`, and on Linux
//! `sockaddr_nl`, `sockaddr_ll`, `sockaddr_vm`; any other family as its bytes)
//! and the text and byte-order functions of `<arpa/inet.h>`.
//!
//! [`SockAddr`] is what the socket calls take and return. It keeps each family's C
//! struct as is, so passing one to the kernel copies nothing and reading one back
//! from the kernel is a length check and a copy; no address ever touches the heap.

mod byteorder;
mod family;
mod inet;
#[cfg(linux_like)]
mod netlink;
#[cfg(linux_like)]
mod packet;
mod parse;
mod storage;
mod text;
mod unix;
#[cfg(any(linux_like, apple))]
mod vsock;

use std::fmt;
use std::net::{IpAddr, SocketAddr, SocketAddrV4, SocketAddrV6};

pub use byteorder::*;
pub use inet::{SockAddrIn, SockAddrIn6};
#[cfg(linux_like)]
pub use netlink::SockAddrNl;
#[cfg(linux_like)]
pub use packet::SockAddrLl;
pub use storage::SockAddrStorage;
pub use text::*;
pub use unix::{SUN_PATH_LEN, SockAddrUn};
#[cfg(linux_like)]
pub use vsock::VMADDR_CID_LOCAL;
#[cfg(any(linux_like, apple))]
pub use vsock::{
    SockAddrVm, VMADDR_CID_ANY, VMADDR_CID_HOST, VMADDR_CID_HYPERVISOR, VMADDR_PORT_ANY,
};

use family::{AF_MAX, FAMILY_END, raw_family};

use crate::sys::{AddrBuf, bytes_of, read_exact};
use crate::{Domain, Error, Result};

/// A socket address of any family.
///
/// Display and `FromStr` are inverses: `127.0.0.1:80`, `[::1]:80`,
/// `[fe80::1%2]:80`, `/run/x.sock`, `unix:x.sock` (a path without a `/`, or
/// one that would read as another form), `@name` (Linux abstract),
/// `(unnamed)`, `(unspec)`, `netlink:PID:GROUPS`, `packet:IFINDEX:PROTO`,
/// `vsock:CID:PORT`, `other:FAMILY:HEX`. Parsing is strict: text that looks
/// like an IP address but is not one is an error, never a relative Unix path.
/// Names are not resolved here: use [`crate::netdb`] for that. An IPv6 flow
/// label (`sin6_flowinfo`, set only by [`SockAddrIn6::new`] or from the
/// kernel's bytes) has no text form: Display leaves it out, as std does, so it
/// reads back as 0.
///
/// Every family the kernel reports decodes (as [`SockAddr::Other`] when the
/// crate has no type for it), so no call fails, and no datagram is lost,
/// because of its address family.
///
/// ```
/// use bsdsock::SockAddr;
/// for text in ["127.0.0.1:80", "[::1]:80", "[fe80::1%2]:80", "/run/x.sock", "unix:x.sock",
///              "@name", "(unnamed)", "(unspec)", "netlink:0:1", "packet:1:0x0003",
///              "vsock:2:1024"] {
///     let a: SockAddr = text.parse()?;
///     assert_eq!(a.to_string(), text);
///     assert_eq!(SockAddr::from_bytes(a.as_bytes())?, a);
/// }
/// assert!("127.0.0.1:8080\n".parse::<SockAddr>().is_err());
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
    /// A netlink address (`AF_NETLINK`, Linux).
    #[cfg(linux_like)]
    #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
    Netlink(SockAddrNl),
    /// A link-layer address of a packet socket (`AF_PACKET`, Linux).
    #[cfg(linux_like)]
    #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
    Packet(SockAddrLl),
    /// A vsock address (`AF_VSOCK`: Linux, Apple).
    #[cfg(any(linux_like, apple))]
    #[cfg_attr(
        docsrs,
        doc(cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple")))
    )]
    Vsock(SockAddrVm),
    /// An address of any other real family, kept as the kernel's bytes: what
    /// recvfrom, accept, getsockname and getpeername return for a family the
    /// crate has no type for, rather than failing after the kernel handed over
    /// the data.
    Other(SockAddrStorage),
}

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
            #[cfg(linux_like)]
            SockAddr::Netlink(_) => Domain::NETLINK,
            #[cfg(linux_like)]
            SockAddr::Packet(_) => Domain::PACKET,
            #[cfg(any(linux_like, apple))]
            SockAddr::Vsock(_) => Domain::VSOCK,
            SockAddr::Other(a) => a.family(),
        }
    }

    /// Decodes a raw `sockaddr` as the kernel writes it: `raw` is exactly the
    /// address length the kernel reported. Checks the family and that the length
    /// fits it (16 bytes for `AF_INET`, 28 for `AF_INET6`, 2 to 110 for
    /// `AF_UNIX`, plus any trailing NULs, since Linux counts the one after a
    /// full 108-byte path, ...; at most `sizeof(struct sockaddr_storage)`, 128,
    /// for any);
    /// an empty slice is [`SockAddr::Unspec`]. A family the crate has no type
    /// for is [`SockAddr::Other`]; one at or above the OS's `AF_MAX` is an
    /// `Err`. Never panics and never reads past `raw`.
    ///
    /// ```
    /// use bsdsock::SockAddr;
    /// let a: SockAddr = "10.1.2.3:4567".parse()?;
    /// assert_eq!(SockAddr::from_bytes(a.as_bytes())?, a);
    /// assert!(SockAddr::from_bytes(&a.as_bytes()[..15]).is_err()); // too short for AF_INET
    /// assert_eq!(SockAddr::from_bytes(&[])?, SockAddr::Unspec);
    /// assert!(SockAddr::from_bytes(&[0; 1000]).is_err()); // longer than sockaddr_storage
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn from_bytes(raw: &[u8]) -> Result<SockAddr> {
        SockAddr::decode_from(raw, false)
            .map_err(|reason| Error::invalid("SockAddr::from_bytes", reason))
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

    /// Decodes a raw address the kernel wrote (an option value, a control
    /// message): any family.
    #[inline]
    pub(crate) fn decode(raw: &[u8]) -> std::result::Result<SockAddr, &'static str> {
        SockAddr::decode_from(raw, true)
    }

    /// Decodes a raw address. `from_kernel`: the kernel wrote it, so a family
    /// at or above [`AF_MAX`] is a newer kernel's and is kept as
    /// [`SockAddr::Other`]; from a caller it cannot be a real address.
    #[inline]
    fn decode_from(raw: &[u8], from_kernel: bool) -> std::result::Result<SockAddr, &'static str> {
        if raw.is_empty() {
            return Ok(SockAddr::Unspec);
        }
        if raw.len() < FAMILY_END {
            return Err("shorter than sa_family");
        }
        if raw.len() > storage::CAP {
            return Err("longer than sockaddr_storage");
        }
        // A typed family in a layout its type does not have: from the kernel,
        // kept as bytes rather than failing a call whose data is already taken.
        #[cfg(any(linux_like, apple))]
        let keep = |reason| match from_kernel {
            true => Ok(SockAddr::Other(SockAddrStorage::from_raw(raw))),
            false => Err(reason),
        };
        match raw_family(raw) {
            libc::AF_INET => read_exact::<libc::sockaddr_in>(raw)
                .map(|sin| SockAddr::Inet(SockAddrIn(sin)))
                .ok_or("length does not fit AF_INET (16 bytes)"),
            libc::AF_INET6 => read_exact::<libc::sockaddr_in6>(raw)
                .map(|sin6| SockAddr::Inet6(SockAddrIn6(sin6)))
                .ok_or("length does not fit AF_INET6 (28 bytes)"),
            libc::AF_UNIX => SockAddrUn::from_raw(raw).map(SockAddr::Unix),
            libc::AF_UNSPEC => Ok(SockAddr::Unspec),
            #[cfg(linux_like)]
            libc::AF_NETLINK => SockAddrNl::from_raw(raw).map(SockAddr::Netlink).or_else(keep),
            // The obsolete SOCK_PACKET (packet(7), "Compatibility") reports a
            // sockaddr_pkt under AF_PACKET too: not a sockaddr_ll, but its bytes.
            #[cfg(linux_like)]
            libc::AF_PACKET => SockAddrLl::from_raw(raw).map(SockAddr::Packet).or_else(keep),
            #[cfg(any(linux_like, apple))]
            libc::AF_VSOCK => SockAddrVm::from_raw(raw).map(SockAddr::Vsock).or_else(keep),
            family if family >= AF_MAX && !from_kernel => {
                Err("address family is not below AF_MAX (not a family this OS has)")
            }
            _ => Ok(SockAddr::Other(SockAddrStorage::from_raw(raw))),
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
            #[cfg(linux_like)]
            SockAddr::Netlink(a) => a.as_bytes(),
            #[cfg(linux_like)]
            SockAddr::Packet(a) => a.as_bytes(),
            #[cfg(any(linux_like, apple))]
            SockAddr::Vsock(a) => a.as_bytes(),
            SockAddr::Other(a) => a.as_bytes(),
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
            #[cfg(linux_like)]
            SockAddr::Netlink(a) => fmt::Display::fmt(a, f),
            #[cfg(linux_like)]
            SockAddr::Packet(a) => fmt::Display::fmt(a, f),
            #[cfg(any(linux_like, apple))]
            SockAddr::Vsock(a) => fmt::Display::fmt(a, f),
            SockAddr::Other(a) => fmt::Display::fmt(a, f),
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
            #[cfg(linux_like)]
            SockAddr::Netlink(a) => write!(f, "Netlink({a})"),
            #[cfg(linux_like)]
            SockAddr::Packet(a) => write!(f, "Packet({a})"),
            #[cfg(any(linux_like, apple))]
            SockAddr::Vsock(a) => write!(f, "Vsock({a})"),
            SockAddr::Other(a) => write!(f, "Other({a})"),
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
