//! The failures a real network has and loopback never shows, on a virtual one:
//! each test builds its own network namespaces joined by veth pairs (and, where
//! a peer must vanish behind a switch, a bridge), and removes them when it ends.
//!
//! - `dead_peer`: keep-alive finds a peer whose cable was pulled (`ETIMEDOUT`).
//! - `connect`: `connect_timeout` to a host whose link is down ends at its
//!   deadline; Happy Eyeballs over a dead IPv6 path and a live IPv4 one.
//! - `datagram`: SO_BINDTODEVICE and IP_PKTINFO on a veth, IP_MTU and
//!   don't-fragment over a 1,280-byte link, multicast between namespaces.
//! - `close`: SO_LINGER 0 resets the peer; TIME_WAIT on the active closer.
//!
//! Addresses inside the namespaces come only from the documentation ranges
//! 192.0.2.0/24 (TEST-NET-1), 198.51.100.0/24 (TEST-NET-2) and 2001:db8::/32
//! (RFC 5737, RFC 3849), and the multicast group from 233.252.0.0/24
//! (MCAST-TEST-NET, RFC 5771 and RFC 6676). They need root and `ip` (iproute2):
//! without them each test says why and skips, except under CI (`CI=true`), where
//! that is a failure.
#![cfg(target_os = "linux")]

#[path = "../common/mod.rs"]
mod common;

mod close;
mod connect;
mod datagram;
mod dead_peer;
mod harness;

use harness::{Lab, PREFIX, ip_try, namespaces};

/// Whether the host's own namespace has an interface `name` (one a lab left
/// behind would be there).
fn host_has_link(name: &str) -> bool {
    ip_try(&["link", "show", name]).is_ok()
}

#[test]
fn a_failing_test_leaves_no_namespace_behind() {
    let Some(probe) = Lab::new(&["probe"]) else { return };
    drop(probe);
    // A test that panics halfway through building its lab.
    let names = std::thread::spawn(|| {
        let lab = Lab::new(&["left", "right"]).expect("built above");
        let (l, r) = (lab.ns("left"), lab.ns("right"));
        lab.veth(l, "l0", r, "r0", None);
        let names = lab.names();
        std::panic::panic_any(names)
    })
    .join()
    .expect_err("the test thread panics");
    let names = names.downcast::<Vec<String>>().expect("the lab's names");
    assert_eq!(names.len(), 2);
    let now = namespaces();
    for name in names.iter() {
        assert!(!now.contains(name), "{name} survived a panic: {now:?}");
    }
    for ifname in ["l0", "r0"] {
        assert!(!host_has_link(ifname), "{ifname} appeared in the host's namespace");
    }
}

#[test]
fn namespaces_of_dead_processes_are_swept() {
    let Some(_lab) = Lab::new(&["sweeper"]) else { return };
    // A pid that no process has: above pid_max.
    let max: u32 = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(4_194_304);
    // Our pid in the role keeps parallel runs of this test apart.
    let stale = format!("{PREFIX}{}-0-stale{}", max + 1, std::process::id());
    ip_try(&["netns", "add", &stale]).unwrap();
    let swept = harness::sweep_stale();
    let left = namespaces();
    if left.contains(&stale) {
        let _ = ip_try(&["netns", "del", &stale]);
    }
    // (A parallel run's first lab may have swept it first.)
    assert!(!left.contains(&stale), "not swept: {swept:?}");
    // This process's own lab is alive and kept.
    assert!(left.iter().any(|n| n.ends_with("-sweeper")), "{left:?}");
}
