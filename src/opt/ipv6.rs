//! Level `IPPROTO_IPV6` (`SOL_IPV6`), [`ipv6(7)`](https://man7.org/linux/man-pages/man7/ipv6.7.html):
//! IPv6 options, on `AF_INET6` sockets.

#[cfg(target_os = "linux")]
use super::PmtuDisc;
use super::{Ipv6Mreq, options};
#[cfg(target_os = "linux")]
use crate::SockAddr;

options! {
    level = IPPROTO_IPV6, man = ipv6;

    /// Never fragment outgoing datagrams: one above the path MTU fails with
    /// `EMSGSIZE` instead (RFC 3542).
    #[cfg(target_os = "linux")]
    IPV6_DONTFRAG: rw bool;

    /// The hop limit of outgoing unicast packets, 0 to 255. Reads back the
    /// route's default (64 on Linux) until set; C's `-1` ("back to the
    /// default") is not a `u8`: pass it with
    /// [`setsockopt_raw`](crate::opt::setsockopt_raw).
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, setsockopt, IPV6_UNICAST_HOPS};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET6, Type::DGRAM, Protocol::DEFAULT)?;
    /// setsockopt(&s, IPV6_UNICAST_HOPS, 7)?;
    /// assert_eq!(getsockopt(&s, IPV6_UNICAST_HOPS)?, 7);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    IPV6_UNICAST_HOPS: rw u8;

    /// Restrict an `AF_INET6` socket to IPv6: with it off (Linux's default,
    /// `net.ipv6.bindv6only = 0`), a socket bound to `::` also takes IPv4
    /// traffic as IPv4-mapped addresses. Set it before `bind`.
    IPV6_V6ONLY: rw bool;

    /// Join an IPv6 multicast group on an interface; see [`Ipv6Mreq`]. Joining
    /// twice fails with `EADDRINUSE`. The RFC 3493 name is
    /// [`IPV6_JOIN_GROUP`].
    IPV6_ADD_MEMBERSHIP: w Ipv6Mreq;

    /// Leave an IPv6 multicast group. The RFC 3493 name is
    /// [`IPV6_LEAVE_GROUP`].
    IPV6_DROP_MEMBERSHIP: w Ipv6Mreq;

    /// [`IPV6_ADD_MEMBERSHIP`] under its RFC 3493 name (the same option).
    IPV6_JOIN_GROUP = IPV6_ADD_MEMBERSHIP: w Ipv6Mreq;

    /// [`IPV6_DROP_MEMBERSHIP`] under its RFC 3493 name (the same option).
    IPV6_LEAVE_GROUP = IPV6_DROP_MEMBERSHIP: w Ipv6Mreq;

    /// The hop limit of outgoing multicast datagrams (default 1). Level
    /// `IPPROTO_IPV6`: not to be confused with `IP_MULTICAST_TTL`.
    IPV6_MULTICAST_HOPS: rw u8;

    /// The interface index multicast datagrams leave by (0: by route); see
    /// [`if_nametoindex`](crate::if_nametoindex) for an interface's index.
    IPV6_MULTICAST_IF: rw u32;

    /// Deliver our own multicast datagrams back to this host's members (default
    /// on).
    IPV6_MULTICAST_LOOP: rw bool;

    /// Receive the datagrams of every group joined on the host, or only of those
    /// this socket joined (Linux 4.20; default `true`).
    #[cfg(target_os = "linux")]
    IPV6_MULTICAST_ALL: rw bool;

    /// Allow `bind` to an address not (yet) configured on this host (Linux
    /// 4.15).
    #[cfg(target_os = "linux")]
    IPV6_FREEBIND: rw bool;

    /// Transparent proxying for IPv6 (Linux); needs `CAP_NET_ADMIN` or
    /// `CAP_NET_RAW` (`EPERM`).
    #[cfg(target_os = "linux")]
    IPV6_TRANSPARENT: rw bool;

    /// On a raw IPv6 socket, the caller writes the IPv6 header itself (Linux
    /// 4.5; `SOCK_RAW` only). Its own option at level `IPPROTO_IPV6`, not
    /// `IP_HDRINCL`.
    #[cfg(target_os = "linux")]
    IPV6_HDRINCL: rw bool;

    /// The traffic class of outgoing packets (0 to 255).
    #[cfg(target_os = "linux")]
    IPV6_TCLASS: rw u8;

    /// Receive an `IPV6_PKTINFO` control message with each datagram.
    #[cfg(target_os = "linux")]
    IPV6_RECVPKTINFO: rw bool;

    /// Receive the traffic class of each datagram as a control message.
    #[cfg(target_os = "linux")]
    IPV6_RECVTCLASS: rw bool;

    /// Receive the hop limit of each datagram as a control message.
    #[cfg(target_os = "linux")]
    IPV6_RECVHOPLIMIT: rw bool;

    /// Queue extended errors (ICMPv6) on the error queue (Linux).
    #[cfg(target_os = "linux")]
    IPV6_RECVERR: rw bool;

    /// Receive each datagram's original destination as a control message
    /// (Linux; also known as `IPV6_RECVORIGDSTADDR`).
    #[doc(alias = "IPV6_RECVORIGDSTADDR")]
    #[cfg(target_os = "linux")]
    IPV6_ORIGDSTADDR: rw bool;

    /// The path MTU of a **connected** socket (Linux); `ENOTCONN` otherwise.
    #[cfg(target_os = "linux")]
    IPV6_MTU: r u32;

    /// Path-MTU discovery mode for IPv6 (Linux); see [`PmtuDisc`]
    /// (`IPV6_PMTUDISC_*` has the same values).
    #[cfg(target_os = "linux")]
    IPV6_MTU_DISCOVER: rw PmtuDisc;

    /// The original destination of a redirected IPv6 connection (netfilter,
    /// Linux), as a `sockaddr_in6`. `ENOENT` without a NAT entry.
    #[cfg(target_os = "linux")]
    IP6T_SO_ORIGINAL_DST: r SockAddr;
}
