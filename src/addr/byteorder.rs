//! Byte-order conversions and the well-known addresses of `<netinet/in.h>`.

use std::net::{Ipv4Addr, Ipv6Addr};

/// [`htons(3)`]: host to network (big-endian) order for a port.
///
/// ```
/// assert_eq!(bsdsock::htons(0x1234).to_ne_bytes(), [0x12, 0x34]);
/// ```
///
/// [`htons(3)`]: https://man7.org/linux/man-pages/man3/htons.3.html
#[inline]
pub const fn htons(host: u16) -> u16 {
    host.to_be()
}

/// [`htonl(3)`]: host to network order for a 32-bit value.
///
/// ```
/// assert_eq!(bsdsock::htonl(0x7f00_0001).to_ne_bytes(), [127, 0, 0, 1]);
/// ```
///
/// [`htonl(3)`]: https://man7.org/linux/man-pages/man3/htonl.3.html
#[inline]
pub const fn htonl(host: u32) -> u32 {
    host.to_be()
}

/// [`ntohs(3)`]: network to host order for a port.
///
/// ```
/// assert_eq!(bsdsock::ntohs(u16::from_ne_bytes([0x1f, 0x90])), 8080);
/// ```
///
/// [`ntohs(3)`]: https://man7.org/linux/man-pages/man3/ntohs.3.html
#[inline]
pub const fn ntohs(net: u16) -> u16 {
    u16::from_be(net)
}

/// [`ntohl(3)`]: network to host order for a 32-bit value.
///
/// ```
/// assert_eq!(bsdsock::ntohl(u32::from_ne_bytes([127, 0, 0, 1])), 0x7f00_0001);
/// ```
///
/// [`ntohl(3)`]: https://man7.org/linux/man-pages/man3/ntohl.3.html
#[inline]
pub const fn ntohl(net: u32) -> u32 {
    u32::from_be(net)
}

/// `INADDR_ANY` (0.0.0.0): bind to every local address.
pub const INADDR_ANY: Ipv4Addr = Ipv4Addr::UNSPECIFIED;
/// `INADDR_LOOPBACK` (127.0.0.1).
pub const INADDR_LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;
/// `INADDR_BROADCAST` (255.255.255.255): the limited broadcast address.
pub const INADDR_BROADCAST: Ipv4Addr = Ipv4Addr::BROADCAST;
/// `INADDR_NONE` (255.255.255.255): C's `inet_addr` error value. bsdsock's
/// [`inet_addr`](crate::inet_addr) returns a `Result` instead, so it is only kept
/// for ported code that compares against it.
pub const INADDR_NONE: Ipv4Addr = Ipv4Addr::BROADCAST;
/// `in6addr_any` (::): bind to every local IPv6 address.
pub const IN6ADDR_ANY: Ipv6Addr = Ipv6Addr::UNSPECIFIED;
/// `in6addr_loopback` (::1).
pub const IN6ADDR_LOOPBACK: Ipv6Addr = Ipv6Addr::LOCALHOST;
