//! Level `IPPROTO_IPV6`.

use std::net::Ipv6Addr;

use bsdsock::Errno;
use bsdsock::opt::{self, PmtuDisc, getsockopt, setsockopt};
use libc::{IPPROTO_IP, IPPROTO_IPV6};

use crate::opt_common::rows::{
    Row, assert_declared, both, both_ways, custom, flag, named, run, same_as_raw,
};
use crate::opt_common::*;

pub fn rows() -> Vec<Row> {
    vec![
        both(udp6, opt::IPV6_UNICAST_HOPS, IPPROTO_IPV6, libc::IPV6_UNICAST_HOPS, 5, 5, 9, 9),
        custom(&[named(opt::IPV6_MULTICAST_HOPS)], ipv6_multicast_hops),
        custom(&[named(opt::IPV6_MULTICAST_IF)], || {
            let lo = lo_index();
            let n = libc::IPV6_MULTICAST_IF;
            both_ways(&udp6(), opt::IPV6_MULTICAST_IF, IPPROTO_IPV6, n, lo, lo as i32, 0, 0);
        }),
        both(udp6, opt::IPV6_TCLASS, IPPROTO_IPV6, libc::IPV6_TCLASS, 0x20, 0x20, 0x40, 0x40),
        both(
            udp6,
            opt::IPV6_MTU_DISCOVER,
            IPPROTO_IPV6,
            libc::IPV6_MTU_DISCOVER,
            PmtuDisc::PROBE,
            3,
            1,
            PmtuDisc::WANT,
        ),
        flag(udp6, opt::IPV6_DONTFRAG, IPPROTO_IPV6, libc::IPV6_DONTFRAG),
        flag(udp6, opt::IPV6_V6ONLY, IPPROTO_IPV6, libc::IPV6_V6ONLY),
        flag(udp6, opt::IPV6_MULTICAST_LOOP, IPPROTO_IPV6, libc::IPV6_MULTICAST_LOOP),
        flag(udp6, opt::IPV6_MULTICAST_ALL, IPPROTO_IPV6, libc::IPV6_MULTICAST_ALL),
        flag(udp6, opt::IPV6_FREEBIND, IPPROTO_IPV6, libc::IPV6_FREEBIND),
        flag(udp6, opt::IPV6_RECVPKTINFO, IPPROTO_IPV6, libc::IPV6_RECVPKTINFO),
        flag(udp6, opt::IPV6_RECVTCLASS, IPPROTO_IPV6, libc::IPV6_RECVTCLASS),
        flag(udp6, opt::IPV6_RECVHOPLIMIT, IPPROTO_IPV6, libc::IPV6_RECVHOPLIMIT),
        flag(udp6, opt::IPV6_RECVERR, IPPROTO_IPV6, libc::IPV6_RECVERR),
        flag(udp6, opt::IPV6_ORIGDSTADDR, IPPROTO_IPV6, libc::IPV6_ORIGDSTADDR),
        custom(&[named(opt::IPV6_MTU)], ipv6_mtu_of_a_connected_socket),
        custom(
            &[
                named(opt::IPV6_ADD_MEMBERSHIP),
                named(opt::IPV6_DROP_MEMBERSHIP),
                named(opt::IPV6_JOIN_GROUP),
                named(opt::IPV6_LEAVE_GROUP),
            ],
            ipv6_membership_reaches_the_kernel,
        ),
    ]
}

#[test]
fn ipv6_level_rows() {
    run(rows());
}

fn ipv6_multicast_hops() {
    let u = udp6();
    // The one a peer crate sent to IPPROTO_IP: here it must be IPPROTO_IPV6.
    both_ways(&u, opt::IPV6_MULTICAST_HOPS, IPPROTO_IPV6, libc::IPV6_MULTICAST_HOPS, 5, 5, 9, 9);
    // The IPv4 multicast TTL of an IPv6 socket is untouched by the hop limit.
    let v4_ttl = raw_get_int(&u, IPPROTO_IP, libc::IP_MULTICAST_TTL);
    setsockopt(&u, opt::IPV6_MULTICAST_HOPS, 17).unwrap();
    assert_eq!(raw_get_int(&u, IPPROTO_IP, libc::IP_MULTICAST_TTL), v4_ttl);
}

fn ipv6_mtu_of_a_connected_socket() {
    let u = udp6();
    assert_eq!(getsockopt(&u, opt::IPV6_MTU).unwrap_err().errno(), Some(Errno::ENOTCONN));
    u.connect(&"[::1]:9".parse().unwrap()).unwrap();
    let mtu = same_as_raw(&u, opt::IPV6_MTU, IPPROTO_IPV6, libc::IPV6_MTU, |&n| n as i32);
    assert!(mtu >= 1280);
}

fn ipv6_membership_reaches_the_kernel() {
    use bsdsock::opt::Ipv6Mreq;
    assert_declared(opt::IPV6_ADD_MEMBERSHIP, IPPROTO_IPV6, libc::IPV6_ADD_MEMBERSHIP);
    assert_declared(opt::IPV6_DROP_MEMBERSHIP, IPPROTO_IPV6, libc::IPV6_DROP_MEMBERSHIP);
    assert_declared(opt::IPV6_JOIN_GROUP, IPPROTO_IPV6, libc::IPV6_ADD_MEMBERSHIP);
    assert_declared(opt::IPV6_LEAVE_GROUP, IPPROTO_IPV6, libc::IPV6_DROP_MEMBERSHIP);
    let g: Ipv6Addr = "ff02::77:1".parse().unwrap();
    let m = Ipv6Mreq { multiaddr: g, interface: lo_index() };
    let raw = libc::ipv6_mreq {
        ipv6mr_multiaddr: libc::in6_addr { s6_addr: g.octets() },
        ipv6mr_interface: lo_index(),
    };
    let u = udp6();
    setsockopt(&u, opt::IPV6_ADD_MEMBERSHIP, m).unwrap();
    assert_eq!(raw_set(&u, IPPROTO_IPV6, libc::IPV6_ADD_MEMBERSHIP, &raw), Err(Errno::EADDRINUSE));
    assert_eq!(
        setsockopt(&u, opt::IPV6_JOIN_GROUP, m).unwrap_err().errno(),
        Some(Errno::EADDRINUSE)
    );
    setsockopt(&u, opt::IPV6_DROP_MEMBERSHIP, m).unwrap();
    assert_eq!(
        raw_set(&u, IPPROTO_IPV6, libc::IPV6_DROP_MEMBERSHIP, &raw),
        Err(Errno::EADDRNOTAVAIL)
    );
    raw_set(&u, IPPROTO_IPV6, libc::IPV6_ADD_MEMBERSHIP, &raw).unwrap();
    setsockopt(&u, opt::IPV6_LEAVE_GROUP, m).unwrap();
    assert_eq!(
        setsockopt(&u, opt::IPV6_LEAVE_GROUP, m).unwrap_err().errno(),
        Some(Errno::EADDRNOTAVAIL)
    );
}
