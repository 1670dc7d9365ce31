//! `<net/if.h>`: interface names and indexes against the kernel's own list in
//! /sys/class/net, and the index used where the multicast options want it.
//! The reference (sysfs) and `ip_mreqn` are Linux's, so the file is too.
#![cfg(target_os = "linux")]

mod common;

use std::net::Ipv4Addr;
use std::sync::{Mutex, MutexGuard};

use bsdsock::opt::{IP_ADD_MEMBERSHIP, IPV6_ADD_MEMBERSHIP, IpMreqn, Ipv6Mreq, setsockopt};
use bsdsock::*;

/// One test at a time: the descriptor count must see no other test's sockets.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Every interface in /sys/class/net with its ifindex: the reference.
fn sysfs() -> Vec<(u32, String)> {
    let mut all: Vec<(u32, String)> = std::fs::read_dir("/sys/class/net")
        .unwrap()
        .map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            let path = format!("/sys/class/net/{name}/ifindex");
            (std::fs::read_to_string(path).unwrap().trim().parse().unwrap(), name)
        })
        .collect();
    all.sort();
    all
}

#[test]
fn names_and_indexes_match_the_kernels_list() {
    let _g = serial();
    let reference = sysfs();
    assert!(reference.iter().any(|(_, n)| n == "lo"));
    let mut listed = if_nameindex().unwrap();
    listed.sort();
    assert_eq!(listed, reference);
    for (index, name) in &reference {
        assert_eq!(if_nametoindex(name).unwrap(), *index, "{name}");
        assert_eq!(&if_indextoname(*index).unwrap(), name, "{index}");
    }
}

#[test]
fn unknown_and_malformed_names_are_clear_errors() {
    let _g = serial();
    let e = if_nametoindex("nosuchif0").unwrap_err();
    assert_eq!(e.errno(), Some(Errno::ENODEV));
    assert_eq!(e.to_string(), "if_nametoindex: No such device (ENODEV)");
    let e = if_indextoname(0).unwrap_err();
    assert_eq!(e.to_string(), "if_indextoname: No such device or address (ENXIO)");
    let unused = sysfs().iter().map(|(i, _)| i).max().unwrap() + 1000;
    assert_eq!(if_indextoname(unused).unwrap_err().errno(), Some(Errno::ENXIO));
    let long = "x".repeat(IF_NAMESIZE);
    assert_eq!(
        if_nametoindex(&long).unwrap_err().to_string(),
        "if_nametoindex: interface name is 16 bytes long; at most 15 fit"
    );
    assert_eq!(if_nametoindex(&long[1..]).unwrap_err().errno(), Some(Errno::ENODEV));
    assert_eq!(
        if_nametoindex("lo\0").unwrap_err().to_string(),
        "if_nametoindex: interface name contains a NUL byte"
    );
    assert_eq!(if_nametoindex("").unwrap_err().errno(), Some(Errno::ENODEV));
}

#[test]
fn the_index_looked_up_is_what_multicast_takes() {
    let _g = serial();
    let lo = if_nametoindex("lo").unwrap();
    let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let group = Ipv4Addr::new(239, 1, 2, 9);
    let m = IpMreqn { multiaddr: group, address: Ipv4Addr::UNSPECIFIED, ifindex: lo };
    setsockopt(&s, IP_ADD_MEMBERSHIP, m).unwrap();
    let s6 = socket(Domain::INET6, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let m6 = Ipv6Mreq { multiaddr: "ff02::1:9".parse().unwrap(), interface: lo };
    setsockopt(&s6, IPV6_ADD_MEMBERSHIP, m6).unwrap();
}

#[test]
fn many_lookups_leak_no_descriptor() {
    let _g = serial();
    let before = common::open_fds();
    for _ in 0..200 {
        if_nameindex().unwrap();
        if_nametoindex("lo").unwrap();
        let _ = if_nametoindex("nosuchif0");
    }
    common::assert_same_fds(&before, "if_nameindex / if_nametoindex");
}
