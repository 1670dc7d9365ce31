//! The C structs that travel in control messages, as Rust values.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::SystemTime;

use crate::{Errno, SockAddr};

/// `struct in_pktinfo` of [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
/// (`IP_PKTINFO`): received, the interface a datagram came in on, the local
/// address it was routed to (`spec_dst`) and its destination (`addr`); sent, the
/// source to answer from (`spec_dst`, or `ifindex`).
///
/// ```
/// use bsdsock::InPktinfo;
/// use std::net::Ipv4Addr;
/// let p = InPktinfo { ifindex: 0, spec_dst: Ipv4Addr::LOCALHOST, addr: Ipv4Addr::UNSPECIFIED };
/// assert_eq!(p.spec_dst, Ipv4Addr::LOCALHOST);
/// ```
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[doc(alias = "in_pktinfo")]
pub struct InPktinfo {
    /// `ipi_ifindex`: the interface index (0: any).
    pub ifindex: u32,
    /// `ipi_spec_dst`: the local address.
    pub spec_dst: Ipv4Addr,
    /// `ipi_addr`: the header's destination address.
    pub addr: Ipv4Addr,
}

/// `struct in6_pktinfo` of [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
/// (`IPV6_PKTINFO`): the destination address and interface of a received
/// datagram, or the source and interface to send from.
///
/// ```
/// use bsdsock::In6Pktinfo;
/// let p = In6Pktinfo { addr: std::net::Ipv6Addr::LOCALHOST, ifindex: 0 };
/// assert_eq!(p.ifindex, 0);
/// ```
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[doc(alias = "in6_pktinfo")]
pub struct In6Pktinfo {
    /// `ipi6_addr`.
    pub addr: Ipv6Addr,
    /// `ipi6_ifindex`.
    pub ifindex: u32,
}

/// `struct sock_extended_err` of [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
/// (`IP_RECVERR`, `IPV6_RECVERR`), read from the error queue with
/// `MsgFlags::ERRQUEUE`, plus `SO_EE_OFFENDER`: the address of the node that
/// reported the error (the ICMP sender), when the kernel gave one.
///
/// ```
/// use bsdsock::{Errno, SockExtendedErr};
/// let e = SockExtendedErr { errno: Errno::ECONNREFUSED, origin: 2, r#type: 3, code: 3,
///                           info: 0, data: 0, offender: None };
/// assert_eq!(e.origin, libc::SO_EE_ORIGIN_ICMP);
/// ```
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[doc(alias = "sock_extended_err")]
pub struct SockExtendedErr {
    /// `ee_errno`.
    pub errno: Errno,
    /// `ee_origin`: `SO_EE_ORIGIN_LOCAL` (1), `_ICMP` (2), `_ICMP6` (3), ...
    pub origin: u8,
    /// `ee_type`: the ICMP type, for ICMP origins.
    pub r#type: u8,
    /// `ee_code`: the ICMP code.
    pub code: u8,
    /// `ee_info`: e.g. the MTU for "fragmentation needed".
    pub info: u32,
    /// `ee_data`.
    pub data: u32,
    /// `SO_EE_OFFENDER`: the sockaddr after the struct; `None` when its family
    /// is `AF_UNSPEC` or it is missing.
    pub offender: Option<SockAddr>,
}

/// The three `struct timespec` of `SCM_TIMESTAMPING`
/// ([so_timestamping](https://www.kernel.org/doc/html/latest/networking/timestamping.html),
/// [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)); a zero
/// timestamp (not generated) is `None`.
///
/// ```
/// let t = bsdsock::Timestamping { software: None, legacy: None, hardware: None };
/// assert!(t.software.is_none());
/// ```
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timestamping {
    /// `ts[0]`: the software timestamp.
    pub software: Option<SystemTime>,
    /// `ts[1]`: deprecated, normally zero.
    pub legacy: Option<SystemTime>,
    /// `ts[2]`: the raw hardware timestamp.
    pub hardware: Option<SystemTime>,
}
