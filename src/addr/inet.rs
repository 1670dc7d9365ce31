//! `sockaddr_in` and `sockaddr_in6`, stored in their C layout so that handing them
//! to the kernel is free.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};

/// An IPv4 socket address: C's `struct sockaddr_in` (see [`ip(7)`]).
///
/// ```
/// use std::net::Ipv4Addr;
/// use bsdsock::SockAddrIn;
/// let a = SockAddrIn::new(Ipv4Addr::LOCALHOST, 8080);
/// assert_eq!((a.ip(), a.port()), (Ipv4Addr::LOCALHOST, 8080));
/// assert_eq!(a.to_string(), "127.0.0.1:8080");
/// ```
///
/// [`ip(7)`]: https://man7.org/linux/man-pages/man7/ip.7.html
#[derive(Clone, Copy)]
#[repr(transparent)]
#[doc(alias = "sockaddr_in")]
pub struct SockAddrIn(pub(crate) libc::sockaddr_in);

impl SockAddrIn {
    /// An address for `ip` and `port` (port in host byte order).
    ///
    /// ```
    /// let a = bsdsock::SockAddrIn::new(bsdsock::INADDR_ANY, 0);
    /// assert_eq!(a.to_string(), "0.0.0.0:0");
    /// ```
    pub const fn new(ip: Ipv4Addr, port: u16) -> SockAddrIn {
        SockAddrIn(libc::sockaddr_in {
            #[cfg(any(apple, bsd))]
            sin_len: std::mem::size_of::<libc::sockaddr_in>() as u8,
            sin_family: libc::AF_INET as libc::sa_family_t,
            sin_port: port.to_be(),
            sin_addr: libc::in_addr { s_addr: u32::from_ne_bytes(ip.octets()) },
            sin_zero: [0; 8],
        })
    }

    /// `sin_addr`.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrIn::new([10, 0, 0, 1].into(), 1).ip().octets(), [10, 0, 0, 1]);
    /// ```
    pub const fn ip(&self) -> Ipv4Addr {
        let b = self.0.sin_addr.s_addr.to_ne_bytes();
        Ipv4Addr::new(b[0], b[1], b[2], b[3])
    }

    /// `sin_port`, in host byte order.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrIn::new(bsdsock::INADDR_LOOPBACK, 80).port(), 80);
    /// ```
    pub const fn port(&self) -> u16 {
        u16::from_be(self.0.sin_port)
    }
}

impl PartialEq for SockAddrIn {
    fn eq(&self, other: &Self) -> bool {
        self.0.sin_port == other.0.sin_port && self.0.sin_addr.s_addr == other.0.sin_addr.s_addr
    }
}
impl Eq for SockAddrIn {}

impl Hash for SockAddrIn {
    fn hash<H: Hasher>(&self, h: &mut H) {
        (self.0.sin_addr.s_addr, self.0.sin_port).hash(h);
    }
}

impl fmt::Debug for SockAddrIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SockAddrIn({self})")
    }
}

impl fmt::Display for SockAddrIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&SocketAddrV4::from(*self), f)
    }
}

impl From<SocketAddrV4> for SockAddrIn {
    fn from(a: SocketAddrV4) -> SockAddrIn {
        SockAddrIn::new(*a.ip(), a.port())
    }
}

impl From<SockAddrIn> for SocketAddrV4 {
    fn from(a: SockAddrIn) -> SocketAddrV4 {
        SocketAddrV4::new(a.ip(), a.port())
    }
}

/// An IPv6 socket address: C's `struct sockaddr_in6` (see [`ipv6(7)`]).
///
/// ```
/// use std::net::Ipv6Addr;
/// use bsdsock::SockAddrIn6;
/// let a = SockAddrIn6::new("fe80::1".parse().unwrap(), 80, 0, 2);
/// assert_eq!(a.scope_id(), 2);
/// assert_eq!(a.to_string(), "[fe80::1%2]:80");
/// ```
///
/// [`ipv6(7)`]: https://man7.org/linux/man-pages/man7/ipv6.7.html
#[derive(Clone, Copy)]
#[repr(transparent)]
#[doc(alias = "sockaddr_in6")]
pub struct SockAddrIn6(pub(crate) libc::sockaddr_in6);

impl SockAddrIn6 {
    /// An address from its four fields (port in host byte order; `flowinfo` and
    /// `scope_id` as the kernel stores them).
    ///
    /// ```
    /// let a = bsdsock::SockAddrIn6::new(bsdsock::IN6ADDR_LOOPBACK, 443, 0, 0);
    /// assert_eq!(a.to_string(), "[::1]:443");
    /// ```
    pub const fn new(ip: Ipv6Addr, port: u16, flowinfo: u32, scope_id: u32) -> SockAddrIn6 {
        SockAddrIn6(libc::sockaddr_in6 {
            #[cfg(any(apple, bsd))]
            sin6_len: std::mem::size_of::<libc::sockaddr_in6>() as u8,
            sin6_family: libc::AF_INET6 as libc::sa_family_t,
            sin6_port: port.to_be(),
            sin6_flowinfo: flowinfo,
            sin6_addr: libc::in6_addr { s6_addr: ip.octets() },
            sin6_scope_id: scope_id,
            // illumos' sockaddr_in6 ends in a field of its own, "for the
            // kernel's use", that callers leave zero (<netinet/in.h>, inet6(4P)).
            #[cfg(solarish)]
            __sin6_src_id: 0,
        })
    }

    /// `sin6_addr`.
    ///
    /// ```
    /// assert!(bsdsock::SockAddrIn6::new(bsdsock::IN6ADDR_LOOPBACK, 1, 0, 0).ip().is_loopback());
    /// ```
    pub const fn ip(&self) -> Ipv6Addr {
        Ipv6Addr::from_bits(u128::from_be_bytes(self.0.sin6_addr.s6_addr))
    }

    /// `sin6_port`, in host byte order.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrIn6::new(bsdsock::IN6ADDR_ANY, 53, 0, 0).port(), 53);
    /// ```
    pub const fn port(&self) -> u16 {
        u16::from_be(self.0.sin6_port)
    }

    /// `sin6_flowinfo`.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrIn6::new(bsdsock::IN6ADDR_ANY, 0, 7, 0).flowinfo(), 7);
    /// ```
    pub const fn flowinfo(&self) -> u32 {
        self.0.sin6_flowinfo
    }

    /// `sin6_scope_id`: the interface index of a link-local address.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrIn6::new(bsdsock::IN6ADDR_ANY, 0, 0, 3).scope_id(), 3);
    /// ```
    pub const fn scope_id(&self) -> u32 {
        self.0.sin6_scope_id
    }
}

impl PartialEq for SockAddrIn6 {
    fn eq(&self, o: &Self) -> bool {
        self.0.sin6_port == o.0.sin6_port
            && self.0.sin6_addr.s6_addr == o.0.sin6_addr.s6_addr
            && self.0.sin6_flowinfo == o.0.sin6_flowinfo
            && self.0.sin6_scope_id == o.0.sin6_scope_id
    }
}
impl Eq for SockAddrIn6 {}

impl Hash for SockAddrIn6 {
    fn hash<H: Hasher>(&self, h: &mut H) {
        (self.0.sin6_addr.s6_addr, self.0.sin6_port, self.0.sin6_flowinfo, self.0.sin6_scope_id)
            .hash(h);
    }
}

impl fmt::Debug for SockAddrIn6 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SockAddrIn6({self}")?;
        if self.flowinfo() != 0 {
            write!(f, ", flowinfo {}", self.flowinfo())?;
        }
        f.write_str(")")
    }
}

impl fmt::Display for SockAddrIn6 {
    /// `[ip%scope_id]:port` (the scope only when non-zero); flowinfo is not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&SocketAddrV6::from(*self), f)
    }
}

impl From<SocketAddrV6> for SockAddrIn6 {
    fn from(a: SocketAddrV6) -> SockAddrIn6 {
        SockAddrIn6::new(*a.ip(), a.port(), a.flowinfo(), a.scope_id())
    }
}

impl From<SockAddrIn6> for SocketAddrV6 {
    fn from(a: SockAddrIn6) -> SocketAddrV6 {
        SocketAddrV6::new(a.ip(), a.port(), a.flowinfo(), a.scope_id())
    }
}
