//! Multicast group requests (`struct ip_mreq`, `ip_mreqn`, `ip_mreq_source`,
//! `ipv6_mreq`) and the IPv4 interface address of `IP_MULTICAST_IF`.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::codec::{Decode, Encode, Refusal, Sealed};
use super::shape::Fixed;

/// The refusal of an interface index above `INT_MAX`.
#[cfg(any(target_os = "linux", target_os = "android"))]
const INDEX_TOO_LARGE: Refusal = Refusal::Invalid("interface index does not fit a C int");

#[inline]
fn in_addr(a: Ipv4Addr) -> libc::in_addr {
    // s_addr is in network byte order: the octets as they are.
    libc::in_addr { s_addr: u32::from_ne_bytes(a.octets()) }
}

#[inline]
fn from_in_addr(a: libc::in_addr) -> Ipv4Addr {
    Ipv4Addr::from(a.s_addr.to_ne_bytes())
}

/// `struct ip_mreq`: an IPv4 group to join or leave, on the interface that has the
/// address `interface` (`INADDR_ANY`: let the kernel choose by route). The value
/// of `IP_ADD_MEMBERSHIP` / `IP_DROP_MEMBERSHIP`.
///
/// ```
/// use std::net::Ipv4Addr;
/// use bsdsock::opt::{setsockopt, IpMreq, IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// let group = IpMreq { multiaddr: Ipv4Addr::new(239, 1, 2, 3), interface: Ipv4Addr::LOCALHOST };
/// setsockopt(&s, IP_ADD_MEMBERSHIP, group)?;
/// setsockopt(&s, IP_DROP_MEMBERSHIP, group)?;
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[doc(alias = "ip_mreq")]
pub struct IpMreq {
    /// `imr_multiaddr`: the group.
    pub multiaddr: Ipv4Addr,
    /// `imr_interface`: the local address of the interface.
    pub interface: Ipv4Addr,
}

/// `struct ip_mreqn` (Linux): like [`IpMreq`], but the interface can be named by
/// index. Accepted wherever [`IpMreq`] is, and by `IP_MULTICAST_IF`.
///
/// ```
/// use std::net::Ipv4Addr;
/// use bsdsock::opt::{setsockopt, IpMreqn, IP_ADD_MEMBERSHIP, IP_MULTICAST_IF};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let lo = bsdsock::if_nametoindex("lo")?; // the loopback interface (its index is often 1, not always)
/// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// let group = Ipv4Addr::new(239, 1, 2, 4);
/// setsockopt(&s, IP_ADD_MEMBERSHIP, IpMreqn { multiaddr: group, address: Ipv4Addr::UNSPECIFIED, ifindex: lo })?;
/// setsockopt(&s, IP_MULTICAST_IF, IpMreqn { multiaddr: group, address: Ipv4Addr::UNSPECIFIED, ifindex: lo })?;
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[cfg(target_os = "linux")]
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[doc(alias = "ip_mreqn")]
pub struct IpMreqn {
    /// `imr_multiaddr`: the group (ignored by `IP_MULTICAST_IF`).
    pub multiaddr: Ipv4Addr,
    /// `imr_address`: a local address of the interface, or `INADDR_ANY`.
    pub address: Ipv4Addr,
    /// `imr_ifindex`: the interface index, or 0 for "use `address`".
    pub ifindex: u32,
}

#[cfg(target_os = "linux")]
impl IpMreqn {
    fn to_c(self) -> Result<libc::ip_mreqn, Refusal> {
        let imr_ifindex = i32::try_from(self.ifindex).map_err(|_| INDEX_TOO_LARGE)?;
        Ok(libc::ip_mreqn {
            imr_multiaddr: in_addr(self.multiaddr),
            imr_address: in_addr(self.address),
            imr_ifindex,
        })
    }
}

/// `struct ip_mreq_source`: a source-specific group membership (SSM, IGMPv3),
/// the value of `IP_ADD_SOURCE_MEMBERSHIP` / `IP_DROP_SOURCE_MEMBERSHIP`
/// (Linux, like those options).
///
/// ```
/// use std::net::Ipv4Addr;
/// use bsdsock::opt::{setsockopt, IpMreqSource, IP_ADD_SOURCE_MEMBERSHIP};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// setsockopt(&s, IP_ADD_SOURCE_MEMBERSHIP, IpMreqSource {
///     multiaddr: Ipv4Addr::new(232, 1, 1, 1),
///     interface: Ipv4Addr::LOCALHOST,
///     sourceaddr: Ipv4Addr::LOCALHOST,
/// })?;
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[doc(alias = "ip_mreq_source")]
#[cfg(target_os = "linux")]
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
pub struct IpMreqSource {
    /// `imr_multiaddr`: the group.
    pub multiaddr: Ipv4Addr,
    /// `imr_interface`: the local address of the interface.
    pub interface: Ipv4Addr,
    /// `imr_sourceaddr`: the one source to receive the group's traffic from.
    pub sourceaddr: Ipv4Addr,
}

/// `struct ipv6_mreq`: an IPv6 group to join or leave on the interface with index
/// `interface` (0: let the kernel choose by route). The value of
/// `IPV6_ADD_MEMBERSHIP` / `IPV6_DROP_MEMBERSHIP`.
///
/// ```
/// use std::net::Ipv6Addr;
/// use bsdsock::opt::{setsockopt, Ipv6Mreq, IPV6_ADD_MEMBERSHIP};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET6, Type::DGRAM, Protocol::DEFAULT)?;
/// let lo = bsdsock::if_nametoindex("lo")?; // the loopback interface (its index is often 1, not always)
/// setsockopt(&s, IPV6_ADD_MEMBERSHIP, Ipv6Mreq { multiaddr: "ff02::1:2".parse().unwrap(), interface: lo })?;
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[doc(alias = "ipv6_mreq")]
pub struct Ipv6Mreq {
    /// `ipv6mr_multiaddr`: the group.
    pub multiaddr: Ipv6Addr,
    /// `ipv6mr_interface`: the interface index.
    pub interface: u32,
}

/// Declares the `Encode` impls of the group requests: `codec: value => C type,
/// |v| conversion;`.
macro_rules! encode {
    ($($(#[$m:meta])* $codec:ty: $t:ty => $c:ty, |$v:ident| $conv:expr;)*) => {$(
        $(#[$m])*
        impl Encode<$t> for $codec {
            type C = $c;
            #[inline]
            fn encode($v: $t) -> Result<$c, Refusal> {
                $conv
            }
        }
    )*};
}

impl Sealed for IpMreq {}
#[cfg(target_os = "linux")]
impl Sealed for IpMreqSource {}
impl Sealed for Ipv6Mreq {}
impl Sealed for Ipv4Addr {}

encode! {
    IpMreq: IpMreq => libc::ip_mreq, |v| Ok(libc::ip_mreq {
        imr_multiaddr: in_addr(v.multiaddr),
        imr_interface: in_addr(v.interface),
    });
    #[cfg(target_os = "linux")]
    IpMreq: IpMreqn => libc::ip_mreqn, |v| v.to_c();
    #[cfg(target_os = "linux")]
    IpMreqSource: IpMreqSource => libc::ip_mreq_source, |v| Ok(libc::ip_mreq_source {
        imr_multiaddr: in_addr(v.multiaddr),
        imr_interface: in_addr(v.interface),
        imr_sourceaddr: in_addr(v.sourceaddr),
    });
    Ipv6Mreq: Ipv6Mreq => libc::ipv6_mreq, |v| Ok(libc::ipv6_mreq {
        ipv6mr_multiaddr: libc::in6_addr { s6_addr: v.multiaddr.octets() },
        ipv6mr_interface: ipv6_ifindex(v.interface)?,
    });
    /// `IP_MULTICAST_IF`: a `struct in_addr`.
    Ipv4Addr: Ipv4Addr => libc::in_addr, |v| Ok(in_addr(v));
    /// Linux also takes a `struct ip_mreqn` for `IP_MULTICAST_IF`, to name the
    /// interface by index.
    #[cfg(target_os = "linux")]
    Ipv4Addr: IpMreqn => libc::ip_mreqn, |v| v.to_c();
}

/// `ipv6mr_interface`: an `unsigned int`, but an `int` on Android.
#[cfg(target_os = "android")]
fn ipv6_ifindex(i: u32) -> Result<i32, Refusal> {
    i32::try_from(i).map_err(|_| INDEX_TOO_LARGE)
}
#[cfg(not(target_os = "android"))]
fn ipv6_ifindex(i: u32) -> Result<u32, Refusal> {
    Ok(i)
}

/// `IP_MULTICAST_IF` reads back a `struct in_addr`.
impl Decode<Ipv4Addr> for Ipv4Addr {
    type C = Fixed<libc::in_addr>;
    #[inline]
    fn decode(c: Fixed<libc::in_addr>) -> Result<Ipv4Addr, Refusal> {
        c.exact().map(from_in_addr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_addr_is_network_order() {
        let a = in_addr(Ipv4Addr::new(127, 0, 0, 1));
        assert_eq!(a.s_addr, u32::from_be(0x7f00_0001));
        assert_eq!(from_in_addr(a), Ipv4Addr::LOCALHOST);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn mreqn_refuses_huge_ifindex() {
        let m = IpMreqn {
            multiaddr: Ipv4Addr::UNSPECIFIED,
            address: Ipv4Addr::UNSPECIFIED,
            ifindex: u32::MAX,
        };
        assert!(m.to_c().is_err());
        let m = IpMreqn { ifindex: 3, ..m };
        assert_eq!(m.to_c().unwrap().imr_ifindex, 3);
    }
}
