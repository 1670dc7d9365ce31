//! Level `IPPROTO_IP` (`SOL_IP`), [`ip(7)`](https://man7.org/linux/man-pages/man7/ip.7.html):
//! IPv4 options, on `AF_INET` sockets.

use std::net::Ipv4Addr;

use super::{IpMreq, options};
#[cfg(target_os = "linux")]
use super::{IpMreqSource, PmtuDisc};
#[cfg(target_os = "linux")]
use crate::SockAddr;

options! {
    level = IPPROTO_IP, man = ip;

    /// The type-of-service byte of outgoing packets (DSCP in the upper six bits,
    /// ECN in the lower two). Linux keeps the ECN bits of TCP sockets to itself.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, setsockopt, IP_TOS};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    /// setsockopt(&s, IP_TOS, 0x10)?; // IPTOS_LOWDELAY
    /// assert_eq!(getsockopt(&s, IP_TOS)?, 0x10);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    IP_TOS: rw u8;

    /// The time-to-live of outgoing unicast packets, 1 to 255 (0 is `EINVAL`).
    /// A `u8`, as the header field is, so a TTL that cannot exist does not compile.
    /// Reads back the route's default (64 on Linux) until set; C's `-1` ("back to
    /// the default") is not a `u8`: pass it with
    /// [`setsockopt_raw`](crate::opt::setsockopt_raw).
    IP_TTL: rw u8;

    /// Join a multicast group on an interface. Takes an [`IpMreq`] (interface by
    /// address) or, on Linux, an [`IpMreqn`](super::IpMreqn) (by index). Joining
    /// a group twice fails with `EADDRINUSE`.
    IP_ADD_MEMBERSHIP: w IpMreq;

    /// Leave a multicast group; same value as [`IP_ADD_MEMBERSHIP`]. Leaving a
    /// group not joined fails with `EADDRNOTAVAIL`.
    IP_DROP_MEMBERSHIP: w IpMreq;

    /// The interface multicast datagrams leave by, named by one of its addresses
    /// (`INADDR_ANY`: by route). Linux also takes an [`IpMreqn`](super::IpMreqn)
    /// to name it by index; what reads back is only ever the address.
    ///
    /// ```
    /// use std::net::Ipv4Addr;
    /// use bsdsock::opt::{getsockopt, setsockopt, IP_MULTICAST_IF};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    /// setsockopt(&s, IP_MULTICAST_IF, Ipv4Addr::LOCALHOST)?;
    /// assert_eq!(getsockopt(&s, IP_MULTICAST_IF)?, Ipv4Addr::LOCALHOST);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    IP_MULTICAST_IF: rw Ipv4Addr;

    /// Deliver our own multicast datagrams back to this host's members (default
    /// on).
    #[cfg(target_os = "linux")]
    IP_MULTICAST_LOOP: rw bool;

    /// The time-to-live of outgoing multicast datagrams (default 1: this
    /// network only; 0: this host only).
    #[cfg(target_os = "linux")]
    IP_MULTICAST_TTL: rw u8;

    /// Join a group for one source only (SSM, Linux); see [`IpMreqSource`].
    #[cfg(target_os = "linux")]
    IP_ADD_SOURCE_MEMBERSHIP: w IpMreqSource;

    /// Leave a source-specific membership (Linux).
    #[cfg(target_os = "linux")]
    IP_DROP_SOURCE_MEMBERSHIP: w IpMreqSource;

    /// Receive the datagrams of every group joined by any socket on the host
    /// (Linux's default, `true`), or only of those this socket joined (`false`).
    #[cfg(target_os = "linux")]
    IP_MULTICAST_ALL: rw bool;

    /// Allow `bind` to an address not (yet) configured on this host (Linux).
    #[cfg(target_os = "linux")]
    IP_FREEBIND: rw bool;

    /// Transparent proxying: bind to and receive for foreign addresses (Linux);
    /// needs `CAP_NET_ADMIN` or `CAP_NET_RAW` (`EPERM`).
    #[cfg(target_os = "linux")]
    IP_TRANSPARENT: rw bool;

    /// On a raw socket, the caller writes the IP header itself (Linux: only
    /// `SOCK_RAW`; on others `ENOPROTOOPT`).
    #[cfg(target_os = "linux")]
    IP_HDRINCL: rw bool;

    /// `bind` to an address with port 0 defers choosing the port to `connect`,
    /// so many connections can share ports (Linux 4.2).
    #[cfg(target_os = "linux")]
    IP_BIND_ADDRESS_NO_PORT: rw bool;

    /// Receive an `IP_PKTINFO` control message (arrival interface and
    /// addresses) with each datagram (Linux).
    #[cfg(target_os = "linux")]
    IP_PKTINFO: rw bool;

    /// Receive the TOS byte of each datagram as an `IP_TOS` control message
    /// (Linux).
    #[cfg(target_os = "linux")]
    IP_RECVTOS: rw bool;

    /// Receive the TTL of each datagram as an `IP_TTL` control message (Linux).
    #[cfg(target_os = "linux")]
    IP_RECVTTL: rw bool;

    /// Queue extended errors (ICMP) on the error queue, read with
    /// `MSG_ERRQUEUE` (Linux).
    #[cfg(target_os = "linux")]
    IP_RECVERR: rw bool;

    /// Receive each datagram's original destination address as an
    /// `IP_ORIGDSTADDR` control message (Linux; also known as
    /// `IP_RECVORIGDSTADDR`).
    #[doc(alias = "IP_RECVORIGDSTADDR")]
    #[cfg(target_os = "linux")]
    IP_ORIGDSTADDR: rw bool;

    /// The path MTU of a **connected** socket (Linux); `ENOTCONN` otherwise.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, IP_MTU};
    /// use bsdsock::{socket, Domain, Errno, Protocol, Type};
    /// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    /// assert_eq!(getsockopt(&s, IP_MTU).unwrap_err().errno(), Some(Errno::ENOTCONN));
    /// s.connect(&"127.0.0.1:9".parse()?)?;
    /// assert!(getsockopt(&s, IP_MTU)? >= 576);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(target_os = "linux")]
    IP_MTU: r u32;

    /// Path-MTU discovery mode (Linux); see [`PmtuDisc`].
    #[cfg(target_os = "linux")]
    IP_MTU_DISCOVER: rw PmtuDisc;

    /// The original destination of a connection redirected by netfilter
    /// (`REDIRECT` / `DNAT`, Linux), as a `sockaddr_in`. Level `SOL_IP`, which
    /// is `IPPROTO_IP`. Without a NAT entry for the connection: `ENOENT` (or
    /// `ENOPROTOOPT` when conntrack is not loaded).
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, SO_ORIGINAL_DST};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    /// l.bind(&"127.0.0.1:0".parse()?)?;
    /// l.listen(1)?;
    /// let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    /// c.connect(&l.getsockname()?)?;
    /// let (conn, _) = l.accept()?;
    /// match getsockopt(&conn, SO_ORIGINAL_DST) {
    ///     Ok(dst) => println!("redirected from {dst}"),
    ///     Err(e) => assert!(e.errno().is_some()), // not redirected
    /// }
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(target_os = "linux")]
    SO_ORIGINAL_DST: r SockAddr;
}
