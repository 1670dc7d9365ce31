//! Level `IPPROTO_IP`.

use std::net::Ipv4Addr;

use bsdsock::opt::{self, PmtuDisc, getsockopt, setsockopt};
use bsdsock::{Errno, Result, Socket};
use libc::{IPPROTO_IP, IPPROTO_IPV6};

use crate::opt_common::rows::{
    Row, assert_declared, both, both_ways, custom, flag, named, run, same_as_raw,
};
use crate::opt_common::*;

pub fn rows() -> Vec<Row> {
    vec![
        both(udp4, opt::IP_TOS, IPPROTO_IP, libc::IP_TOS, 0x28, 0x28, 0x10, 0x10),
        custom(&[named(opt::IP_TTL)], ip_ttl),
        both(udp4, opt::IP_MULTICAST_TTL, IPPROTO_IP, libc::IP_MULTICAST_TTL, 0, 0, 7, 7),
        custom(&[named(opt::IP_MTU_DISCOVER)], || {
            let (u, n) = (udp4(), libc::IP_MTU_DISCOVER);
            both_ways(&u, opt::IP_MTU_DISCOVER, IPPROTO_IP, n, PmtuDisc::DO, 2, 0, PmtuDisc::DONT);
            both_ways(
                &u,
                opt::IP_MTU_DISCOVER,
                IPPROTO_IP,
                n,
                PmtuDisc::OMIT,
                5,
                3,
                PmtuDisc::PROBE,
            );
        }),
        flag(udp4, opt::IP_MULTICAST_LOOP, IPPROTO_IP, libc::IP_MULTICAST_LOOP),
        flag(udp4, opt::IP_MULTICAST_ALL, IPPROTO_IP, libc::IP_MULTICAST_ALL),
        flag(udp4, opt::IP_FREEBIND, IPPROTO_IP, libc::IP_FREEBIND),
        flag(udp4, opt::IP_BIND_ADDRESS_NO_PORT, IPPROTO_IP, libc::IP_BIND_ADDRESS_NO_PORT),
        flag(udp4, opt::IP_PKTINFO, IPPROTO_IP, libc::IP_PKTINFO),
        flag(udp4, opt::IP_RECVTOS, IPPROTO_IP, libc::IP_RECVTOS),
        flag(udp4, opt::IP_RECVTTL, IPPROTO_IP, libc::IP_RECVTTL),
        flag(udp4, opt::IP_RECVERR, IPPROTO_IP, libc::IP_RECVERR),
        flag(udp4, opt::IP_ORIGDSTADDR, IPPROTO_IP, libc::IP_ORIGDSTADDR),
        custom(&[named(opt::IP_MULTICAST_IF)], ip_multicast_if),
        custom(&[named(opt::IP_MTU)], ip_mtu_of_a_connected_socket),
        custom(
            &[
                named(opt::IP_ADD_MEMBERSHIP),
                named(opt::IP_DROP_MEMBERSHIP),
                named(opt::IP_ADD_SOURCE_MEMBERSHIP),
                named(opt::IP_DROP_SOURCE_MEMBERSHIP),
            ],
            ip_membership_reaches_the_kernel,
        ),
        custom(
            &[named(opt::SO_ORIGINAL_DST), named(opt::IP6T_SO_ORIGINAL_DST)],
            original_dst_without_nat_fails_like_libc,
        ),
    ]
}

#[test]
fn ip_level_rows() {
    run(rows());
}

fn ip_ttl() {
    let u = udp4();
    both_ways(&u, opt::IP_TTL, IPPROTO_IP, libc::IP_TTL, 33, 33, 44, 44);
    // An out-of-range TTL is the kernel's EINVAL, named after the option.
    let err = setsockopt(&u, opt::IP_TTL, 0).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("setsockopt(IP_TTL): {} (EINVAL)", crate::common::strerror(libc::EINVAL))
    );
    assert_eq!(raw_get_int(&u, IPPROTO_IP, libc::IP_TTL), 44);
}

fn ip_multicast_if() {
    assert_declared(opt::IP_MULTICAST_IF, IPPROTO_IP, libc::IP_MULTICAST_IF);
    let u = udp4();
    setsockopt(&u, opt::IP_MULTICAST_IF, Ipv4Addr::LOCALHOST).unwrap();
    let (a, len) = raw_get::<libc::in_addr>(&u, IPPROTO_IP, libc::IP_MULTICAST_IF).unwrap();
    assert_eq!((Ipv4Addr::from(u32::from_be(a.s_addr)), len), (Ipv4Addr::LOCALHOST, 4));
    raw_set(&u, IPPROTO_IP, libc::IP_MULTICAST_IF, &libc::in_addr { s_addr: 0 }).unwrap();
    assert_eq!(getsockopt(&u, opt::IP_MULTICAST_IF).unwrap(), Ipv4Addr::UNSPECIFIED);
    // The ip_mreqn form names the interface by index; the address reads back.
    let m = opt::IpMreqn {
        multiaddr: Ipv4Addr::UNSPECIFIED,
        address: Ipv4Addr::LOCALHOST,
        ifindex: lo_index(),
    };
    setsockopt(&u, opt::IP_MULTICAST_IF, m).unwrap();
    assert_eq!(getsockopt(&u, opt::IP_MULTICAST_IF).unwrap(), Ipv4Addr::LOCALHOST);
}

fn ip_mtu_of_a_connected_socket() {
    let u = udp4();
    assert_eq!(
        getsockopt(&u, opt::IP_MTU).unwrap_err().to_string(),
        format!("getsockopt(IP_MTU): {} (ENOTCONN)", crate::common::strerror(libc::ENOTCONN))
    );
    u.connect(&loopback(9)).unwrap();
    let mtu = same_as_raw(&u, opt::IP_MTU, IPPROTO_IP, libc::IP_MTU, |&n| n as i32);
    // IPv4 caps a route's MTU at IP_MAX_MTU (65535), below lo's usual 65536.
    let lo_mtu: u32 = sysctl("/sys/class/net/lo/mtu").parse().unwrap();
    assert_eq!(mtu, lo_mtu.min(65535));
}

/// Typed and raw `setsockopt` of the same request give the same errno (or both
/// succeed): the typed one reached the same level and name with the same bytes.
#[track_caller]
fn same_errno<T: Copy>(
    typed: Result<()>,
    s: &Socket,
    level: i32,
    name: i32,
    raw: &T,
) -> Option<Errno> {
    let t = typed.err().map(|e| e.errno().expect("an OS error"));
    assert_eq!(t, raw_set(s, level, name, raw).err());
    t
}

fn ip_membership_reaches_the_kernel() {
    use bsdsock::opt::{IpMreq, IpMreqSource, IpMreqn};
    assert_declared(opt::IP_ADD_MEMBERSHIP, IPPROTO_IP, libc::IP_ADD_MEMBERSHIP);
    assert_declared(opt::IP_DROP_MEMBERSHIP, IPPROTO_IP, libc::IP_DROP_MEMBERSHIP);
    assert_declared(opt::IP_ADD_SOURCE_MEMBERSHIP, IPPROTO_IP, libc::IP_ADD_SOURCE_MEMBERSHIP);
    assert_declared(opt::IP_DROP_SOURCE_MEMBERSHIP, IPPROTO_IP, libc::IP_DROP_SOURCE_MEMBERSHIP);
    let lo = Ipv4Addr::LOCALHOST;
    let raw_mreq = |g: Ipv4Addr| libc::ip_mreq {
        imr_multiaddr: libc::in_addr { s_addr: u32::from(g).to_be() },
        imr_interface: libc::in_addr { s_addr: u32::from(lo).to_be() },
    };
    let u = udp4();
    let g = Ipv4Addr::new(239, 77, 1, 1);
    // Typed join, then libc's join of the same group: already a member.
    setsockopt(&u, opt::IP_ADD_MEMBERSHIP, IpMreq { multiaddr: g, interface: lo }).unwrap();
    assert_eq!(
        raw_set(&u, IPPROTO_IP, libc::IP_ADD_MEMBERSHIP, &raw_mreq(g)),
        Err(Errno::EADDRINUSE)
    );
    setsockopt(&u, opt::IP_DROP_MEMBERSHIP, IpMreq { multiaddr: g, interface: lo }).unwrap();
    assert_eq!(
        raw_set(&u, IPPROTO_IP, libc::IP_DROP_MEMBERSHIP, &raw_mreq(g)),
        Err(Errno::EADDRNOTAVAIL)
    );
    // The reverse, with the ip_mreqn form.
    let n = IpMreqn { multiaddr: g, address: Ipv4Addr::UNSPECIFIED, ifindex: lo_index() };
    raw_set(&u, IPPROTO_IP, libc::IP_ADD_MEMBERSHIP, &raw_mreq(g)).unwrap();
    let err = setsockopt(&u, opt::IP_ADD_MEMBERSHIP, n).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "setsockopt(IP_ADD_MEMBERSHIP): {} (EADDRINUSE)",
            crate::common::strerror(libc::EADDRINUSE)
        )
    );
    raw_set(&u, IPPROTO_IP, libc::IP_DROP_MEMBERSHIP, &raw_mreq(g)).unwrap();
    assert_eq!(
        setsockopt(&u, opt::IP_DROP_MEMBERSHIP, n).unwrap_err().errno(),
        Some(Errno::EADDRNOTAVAIL)
    );

    // Source-specific: the typed request and libc's behave alike at each step.
    let src =
        IpMreqSource { multiaddr: Ipv4Addr::new(232, 77, 1, 1), interface: lo, sourceaddr: lo };
    let raw_src = libc::ip_mreq_source {
        imr_multiaddr: libc::in_addr { s_addr: u32::from(src.multiaddr).to_be() },
        imr_interface: libc::in_addr { s_addr: u32::from(lo).to_be() },
        imr_sourceaddr: libc::in_addr { s_addr: u32::from(lo).to_be() },
    };
    let a = udp4();
    let b = udp4();
    let add = libc::IP_ADD_SOURCE_MEMBERSHIP;
    let drop = libc::IP_DROP_SOURCE_MEMBERSHIP;
    assert_eq!(
        same_errno(
            setsockopt(&a, opt::IP_ADD_SOURCE_MEMBERSHIP, src),
            &b,
            IPPROTO_IP,
            add,
            &raw_src
        ),
        None
    );
    let again = same_errno(
        setsockopt(&a, opt::IP_ADD_SOURCE_MEMBERSHIP, src),
        &b,
        IPPROTO_IP,
        add,
        &raw_src,
    );
    assert!(again.is_some(), "joining the same source twice is an error");
    assert_eq!(
        same_errno(
            setsockopt(&a, opt::IP_DROP_SOURCE_MEMBERSHIP, src),
            &b,
            IPPROTO_IP,
            drop,
            &raw_src
        ),
        None
    );
    let gone = same_errno(
        setsockopt(&a, opt::IP_DROP_SOURCE_MEMBERSHIP, src),
        &b,
        IPPROTO_IP,
        drop,
        &raw_src,
    );
    assert!(gone.is_some(), "leaving a source twice is an error");
}

fn original_dst_without_nat_fails_like_libc() {
    let (c, _s) = tcp_pair();
    assert_declared(opt::SO_ORIGINAL_DST, IPPROTO_IP, libc::SO_ORIGINAL_DST);
    let typed = getsockopt(&c, opt::SO_ORIGINAL_DST).unwrap_err().errno();
    let mut buf = [0u8; 128];
    let raw = raw_get_bytes(&c, libc::SOL_IP, libc::SO_ORIGINAL_DST, &mut buf).err();
    assert!(typed.is_some());
    assert_eq!(typed, raw);

    let l = tcp6();
    l.bind(&"[::1]:0".parse().unwrap()).unwrap();
    l.listen(1).unwrap();
    let c6 = tcp6();
    c6.connect(&l.getsockname().unwrap()).unwrap();
    assert_declared(opt::IP6T_SO_ORIGINAL_DST, IPPROTO_IPV6, libc::IP6T_SO_ORIGINAL_DST);
    let typed = getsockopt(&c6, opt::IP6T_SO_ORIGINAL_DST).unwrap_err().errno();
    let raw = raw_get_bytes(&c6, libc::SOL_IPV6, libc::IP6T_SO_ORIGINAL_DST, &mut buf).err();
    assert!(typed.is_some());
    assert_eq!(typed, raw);
}
