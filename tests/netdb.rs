//! Name resolution (`bsdsock::netdb`) against this machine's own databases.
//!
//! No test here causes DNS traffic. Every name looked up is read from
//! `/etc/hosts` first (names only for the families they have there), every
//! reverse lookup is of an address listed there, and anything else is numeric:
//! `AI_NUMERICHOST`, `NI_NUMERICHOST`, dotted quads and IPv6 literals (which glibc
//! answers without a lookup), or all-digit names glibc rejects locally. Expected
//! answers come from parsing `/etc/hosts`, `/etc/services` and `/etc/protocols`
//! here, not from the code under test.
//!
//! The one test that needs IPv6 names and oversized entries (which this machine's
//! files lack) runs in a child process with a private mount namespace where its
//! own `/etc/hosts`, `/etc/services` and `/etc/protocols` are bind-mounted, and a
//! `/etc/resolv.conf` pointing at 127.0.0.1 so that even a mistake stays on
//! loopback.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::AsRawFd;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use bsdsock::netdb::{
    AddrInfo, AddrInfoHints, AiFlags, EaiCode, HErrno, HostEnt, MAX_NAME_LEN, NiFlags,
    connect_first, getaddrinfo, gethostbyaddr, gethostbyname, gethostbyname2, gethostname,
    getnameinfo, getprotobyname, getprotobynumber, getservbyname, getservbyport, tcp_connect,
    tcp_listen, udp_client, udp_connect, udp_server,
};
use bsdsock::{Domain, Errno, Error, MsgFlags, Protocol, SockAddr, Socket, Type};

// ---------------------------------------------------------------------------
// Serialising descriptor checks: every test takes the shared side, the leak test
// the exclusive side, so no other test opens or closes descriptors (or
// allocates resolver memory) while it counts.

static FDS: RwLock<()> = RwLock::new(());

fn shared() -> RwLockReadGuard<'static, ()> {
    FDS.read().unwrap_or_else(|e| e.into_inner())
}

fn exclusive() -> RwLockWriteGuard<'static, ()> {
    FDS.write().unwrap_or_else(|e| e.into_inner())
}

/// Fails with the descriptors that appeared or vanished, if any did.
fn assert_same_fds(before: &BTreeSet<String>, what: &str) {
    let after = open_fds();
    let opened: Vec<_> = after.difference(before).collect();
    let closed: Vec<_> = before.difference(&after).collect();
    assert!(opened.is_empty() && closed.is_empty(), "{what}: opened {opened:?}, closed {closed:?}");
}

fn open_fds() -> BTreeSet<String> {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect()
}

// ---------------------------------------------------------------------------
// The system databases, parsed independently of the code under test.

/// Fields of each non-comment line.
fn records(path: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(|l| l.split('#').next().unwrap())
        .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|f| !f.is_empty())
        .collect()
}

struct HostLine {
    addr: IpAddr,
    names: Vec<String>, // official name first
}

fn hosts() -> Vec<HostLine> {
    records("/etc/hosts")
        .into_iter()
        .filter(|f| f.len() >= 2)
        .filter_map(|f| Some(HostLine { addr: f[0].parse().ok()?, names: f[1..].to_vec() }))
        .collect()
}

/// What glibc's files backend answers for `name` in family `v6`: the official
/// name of the first line naming it, and the addresses of every such line.
fn expected_host(lines: &[HostLine], name: &str, v6: bool) -> Option<(String, BTreeSet<IpAddr>)> {
    let matching: Vec<&HostLine> = lines
        .iter()
        .filter(|l| l.addr.is_ipv6() == v6 && l.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
        .collect();
    let first = matching.first()?;
    Some((first.names[0].clone(), matching.iter().map(|l| l.addr).collect()))
}

/// The names in /etc/hosts that have an IPv4 address (safe for gethostbyname).
fn v4_names(lines: &[HostLine]) -> Vec<String> {
    let mut names: Vec<String> =
        lines.iter().filter(|l| l.addr.is_ipv4()).flat_map(|l| l.names.iter().cloned()).collect();
    names.sort();
    names.dedup();
    names
}

#[derive(Debug, Clone)]
struct Serv {
    name: String,
    port: u16,
    proto: String,
    aliases: Vec<String>,
}

fn services() -> Vec<Serv> {
    records("/etc/services")
        .into_iter()
        .filter_map(|f| {
            let (port, proto) = f.get(1)?.split_once('/')?;
            Some(Serv {
                name: f[0].clone(),
                port: port.parse().ok()?,
                proto: proto.to_owned(),
                aliases: f[2..].to_vec(),
            })
        })
        .collect()
}

fn serv_by_name<'a>(all: &'a [Serv], name: &str, proto: Option<&str>) -> Option<&'a Serv> {
    all.iter().find(|s| {
        (s.name == name || s.aliases.iter().any(|a| a == name))
            && proto.is_none_or(|p| p == s.proto)
    })
}

fn serv_by_port<'a>(all: &'a [Serv], port: u16, proto: Option<&str>) -> Option<&'a Serv> {
    all.iter().find(|s| s.port == port && proto.is_none_or(|p| p == s.proto))
}

#[derive(Debug, Clone)]
struct Proto {
    name: String,
    number: i32,
    aliases: Vec<String>,
}

fn protocols() -> Vec<Proto> {
    records("/etc/protocols")
        .into_iter()
        .filter_map(|f| {
            Some(Proto {
                name: f[0].clone(),
                number: f.get(1)?.parse().ok()?,
                aliases: f[2..].to_vec(),
            })
        })
        .collect()
}

/// The official name `/etc/hosts` gives 127.0.0.1 (its first line for it).
fn loopback_name() -> String {
    let lines = hosts();
    let line = lines
        .iter()
        .find(|l| l.addr == IpAddr::V4(Ipv4Addr::LOCALHOST))
        .expect("this test suite needs a 127.0.0.1 line in /etc/hosts");
    line.names[0].clone()
}

fn assert_is_host_error<T: std::fmt::Debug>(r: bsdsock::Result<T>, call: &str, want: HErrno) {
    match r {
        Err(Error::Host { call: c, code }) => {
            assert_eq!((c, code), (call, want));
        }
        other => panic!("{call}: expected {want:?}, got {other:?}"),
    }
}

fn gai_code_of(e: &Error) -> EaiCode {
    match e {
        Error::Gai { code, errno, .. } => {
            assert_eq!(*errno, None, "only EAI_SYSTEM carries an errno");
            *code
        }
        other => panic!("expected a getaddrinfo error, got {other:?}"),
    }
}

fn gai_code<T: std::fmt::Debug>(r: bsdsock::Result<T>) -> EaiCode {
    gai_code_of(&r.unwrap_err())
}

fn assert_invalid<T: std::fmt::Debug>(r: bsdsock::Result<T>, call: &str, reason_part: &str) {
    match r {
        Err(e @ Error::InvalidInput { .. }) => {
            let text = e.to_string();
            assert!(text.starts_with(&format!("{call}: ")), "{text}");
            assert!(text.contains(reason_part), "{text}");
        }
        other => panic!("{call}: expected InvalidInput ({reason_part}), got {other:?}"),
    }
}

fn numeric(flags: AiFlags) -> AddrInfoHints {
    AddrInfoHints { flags: flags | AiFlags::NUMERICHOST, ..Default::default() }
}

/// Raw `getsockopt` of an int option, as a reference independent of bsdsock.
fn sockopt_int(fd: &impl AsRawFd, level: i32, name: i32) -> i32 {
    let mut v: libc::c_int = -1;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: v and len are valid for writes and len holds v's size.
    let rc = unsafe {
        libc::getsockopt(fd.as_raw_fd(), level, name, (&mut v as *mut i32).cast(), &mut len)
    };
    assert_eq!(rc, 0, "getsockopt({level}, {name})");
    v
}

// ---------------------------------------------------------------------------
// Hosts

#[test]
fn localhost_forward() {
    let _g = shared();
    let lines = hosts();
    let (official, addrs) = expected_host(&lines, "localhost", false)
        .expect("/etc/hosts must list localhost with IPv4");
    for h in
        [gethostbyname("localhost").unwrap(), gethostbyname2("localhost", Domain::INET).unwrap()]
    {
        assert_eq!(h.name, official);
        assert_eq!(h.addrtype, Domain::INET);
        assert_eq!(h.length(), 4);
        assert_eq!(h.addr_list.iter().copied().collect::<BTreeSet<_>>(), addrs);
        assert_eq!(h.addr(), Some(h.addr_list[0]));
        assert!(h.addr_list.contains(&IpAddr::V4(Ipv4Addr::LOCALHOST)));
        for alias in &h.aliases {
            assert!(
                lines.iter().any(|l| l.names.contains(alias) && l.addr.is_ipv4()),
                "alias {alias} is not in /etc/hosts"
            );
        }
    }
    // Case does not matter to the files backend.
    assert_eq!(gethostbyname("LocalHost").unwrap().name, official);
}

#[test]
fn localhost_reverse() {
    let _g = shared();
    let lines = hosts();
    let first = lines.iter().find(|l| l.addr == IpAddr::V4(Ipv4Addr::LOCALHOST)).unwrap();
    let h = gethostbyaddr(IpAddr::V4(Ipv4Addr::LOCALHOST)).unwrap();
    assert_eq!(h.name, first.names[0]);
    assert_eq!(h.aliases, first.names[1..]);
    assert_eq!((h.addrtype, h.addr_list.as_slice()), (Domain::INET, &[first.addr][..]));
    // Forward and back agree.
    assert!(gethostbyname(&h.name).unwrap().addr_list.contains(&first.addr));
}

#[test]
fn every_v4_name_in_etc_hosts_resolves_to_its_addresses() {
    let _g = shared();
    let lines = hosts();
    for name in v4_names(&lines) {
        let (official, addrs) = expected_host(&lines, &name, false).unwrap();
        let h = gethostbyname(&name).unwrap();
        assert_eq!(h.name, official, "{name}");
        assert_eq!(h.addr_list.iter().copied().collect::<BTreeSet<_>>(), addrs, "{name}");
    }
}

#[test]
fn dotted_quad_and_ipv6_literals_need_no_lookup() {
    let _g = shared();
    let h = gethostbyname("192.0.2.33").unwrap();
    assert_eq!(
        h,
        HostEnt {
            name: "192.0.2.33".into(),
            aliases: vec![],
            addrtype: Domain::INET,
            addr_list: vec!["192.0.2.33".parse().unwrap()],
        }
    );
    assert_eq!(
        gethostbyname2("10.20.30.40", Domain::INET).unwrap().addr(),
        Some("10.20.30.40".parse().unwrap())
    );

    for lit in ["::1", "fe80::1", "2001:db8::dead:beef", "::ffff:192.0.2.1"] {
        let h = gethostbyname2(lit, Domain::INET6).unwrap();
        let want: Ipv6Addr = lit.parse().unwrap();
        assert_eq!((h.addrtype, h.length()), (Domain::INET6, 16), "{lit}");
        assert_eq!(h.addr_list, vec![IpAddr::V6(want)], "{lit}");
        assert_eq!(h.name, lit);
    }
}

#[test]
fn gethostname_matches_the_kernel() {
    let _g = shared();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    assert_eq!(gethostname().unwrap(), kernel.trim_end_matches('\n'));
}

#[test]
fn host_error_paths() {
    let _g = shared();
    // All digits and dots but not an address: glibc answers HOST_NOT_FOUND itself.
    for bad in ["256.1.1.1", "1.2.3.4.5", "1.2.3.999"] {
        assert_is_host_error(gethostbyname(bad), "gethostbyname", HErrno::HOST_NOT_FOUND);
    }
    let e = gethostbyname("256.1.1.1").unwrap_err();
    assert_eq!(e.to_string(), "gethostbyname: Unknown host (HOST_NOT_FOUND)");
    assert_eq!((e.kind(), e.errno()), (std::io::ErrorKind::NotFound, None));
    let io: std::io::Error = e.into();
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    assert_eq!(io.to_string(), "gethostbyname: Unknown host (HOST_NOT_FOUND)");

    // A literal of the other family: not found, without a lookup.
    assert_is_host_error(gethostbyname("::1"), "gethostbyname", HErrno::HOST_NOT_FOUND);
    assert_is_host_error(
        gethostbyname2("127.0.0.1", Domain::INET6),
        "gethostbyname2",
        HErrno::HOST_NOT_FOUND,
    );
    assert_is_host_error(
        gethostbyname2("1:::2", Domain::INET6),
        "gethostbyname2",
        HErrno::HOST_NOT_FOUND,
    );

    // The empty name is refused by the resolver itself: NO_RECOVERY.
    let e = gethostbyname("").unwrap_err();
    assert!(matches!(e, Error::Host { code: HErrno::NO_RECOVERY, .. }), "{e:?}");
    assert_eq!(e.to_string(), "gethostbyname: Unknown server error (NO_RECOVERY)");

    // A family gethostbyname2 cannot look up.
    for af in [Domain::UNIX, Domain::UNSPEC, Domain::from_raw(12345)] {
        let e = gethostbyname2("localhost", af).unwrap_err();
        assert_eq!(e.errno(), Some(Errno::EAFNOSUPPORT), "{af:?}");
        assert!(e.to_string().starts_with("gethostbyname2: "), "{e}");
    }
}

/// Names at and over the limit, built from digits and dots only: should the
/// length check ever regress, glibc would still answer locally (HOST_NOT_FOUND),
/// so no test input here can reach DNS.
fn digit_name(len: usize) -> String {
    let mut s = String::from("1");
    while s.len() < len {
        s.push_str(if s.len() + 2 <= len { ".1" } else { "1" });
    }
    assert_eq!(s.len(), len);
    s
}

#[test]
fn names_over_253_bytes_or_with_nul_are_refused_before_any_lookup() {
    let _g = shared();
    assert_eq!(MAX_NAME_LEN, 253);
    let ok = digit_name(253);
    let long = digit_name(254);
    let nul = "localhost\0.invalid";

    // 253 bytes reaches the resolver (which rejects it locally) ...
    assert_is_host_error(gethostbyname(&ok), "gethostbyname", HErrno::HOST_NOT_FOUND);
    assert_eq!(
        gai_code(getaddrinfo(Some(&ok), None, &numeric(AiFlags::empty()))),
        EaiCode::EAI_NONAME
    );
    // ... 254 does not.
    assert_invalid(gethostbyname(&long), "gethostbyname", "254 bytes");
    assert_invalid(gethostbyname2(&long, Domain::INET6), "gethostbyname2", "254 bytes");
    assert_invalid(
        getaddrinfo(Some(&long), None, &numeric(AiFlags::empty())),
        "getaddrinfo",
        "254 bytes",
    );
    assert_invalid(getservbyname(&long, None), "getservbyname", "254 bytes");
    assert_invalid(getservbyname("http", Some(&long)), "getservbyname", "254 bytes");
    assert_invalid(getservbyport(80, Some(&long)), "getservbyport", "254 bytes");
    assert_invalid(getprotobyname(&long), "getprotobyname", "254 bytes");
    assert_invalid(tcp_connect(&long, "80"), "getaddrinfo", "254 bytes");
    assert_invalid(udp_client(&long, "80"), "getaddrinfo", "254 bytes");
    assert_invalid(tcp_listen(Some(&long), "0", 1), "getaddrinfo", "254 bytes");
    assert_invalid(udp_server(Some(&long), "0"), "getaddrinfo", "254 bytes");

    assert_invalid(gethostbyname(nul), "gethostbyname", "NUL");
    assert_invalid(gethostbyname2(nul, Domain::INET), "gethostbyname2", "NUL");
    assert_invalid(getaddrinfo(Some(nul), None, &numeric(AiFlags::empty())), "getaddrinfo", "NUL");
    assert_invalid(
        getaddrinfo(Some("127.0.0.1"), Some("ht\0tp"), &numeric(AiFlags::empty())),
        "getaddrinfo",
        "NUL",
    );
    assert_invalid(getservbyname("ht\0tp", Some("tcp")), "getservbyname", "NUL");
    assert_invalid(getservbyname("http", Some("tc\0p")), "getservbyname", "NUL");
    assert_invalid(getservbyport(80, Some("tc\0p")), "getservbyport", "NUL");
    assert_invalid(getprotobyname("tc\0p"), "getprotobyname", "NUL");
    assert_invalid(tcp_connect(nul, "80"), "getaddrinfo", "NUL");
    assert_invalid(udp_connect(nul, "80"), "getaddrinfo", "NUL");
}

// ---------------------------------------------------------------------------
// Services and protocols

#[test]
fn services_by_name_and_port_with_and_without_protocol() {
    let _g = shared();
    let all = services();
    let queries: &[(&str, Option<&str>)] = &[
        ("http", Some("tcp")),
        ("http", None),
        ("www", None),
        ("ssh", Some("tcp")),
        ("domain", Some("udp")),
        ("domain", None),
        ("ntp", Some("udp")),
        ("smtp", None),
        ("mail", Some("tcp")),
    ];
    for &(name, proto) in queries {
        let want =
            serv_by_name(&all, name, proto).unwrap_or_else(|| panic!("/etc/services lacks {name}"));
        let got = getservbyname(name, proto).unwrap();
        assert_eq!(
            (got.name.as_str(), got.port, got.proto.as_str(), &got.aliases),
            (want.name.as_str(), want.port, want.proto.as_str(), &want.aliases),
            "getservbyname({name}, {proto:?})"
        );
    }
    for &(port, proto) in &[
        (80, Some("tcp")),
        (80, None),
        (22, None),
        (53, Some("udp")),
        (53, Some("tcp")),
        (123, Some("udp")),
    ] {
        let want =
            serv_by_port(&all, port, proto).unwrap_or_else(|| panic!("/etc/services lacks {port}"));
        let got = getservbyport(port, proto).unwrap();
        assert_eq!(
            (got.name.as_str(), got.port, got.proto.as_str(), &got.aliases),
            (want.name.as_str(), want.port, want.proto.as_str(), &want.aliases),
            "getservbyport({port}, {proto:?})"
        );
    }
    // Ports above 255 exercise the byte order both ways.
    let high = all.iter().find(|s| s.port > 1000 && s.port % 256 != 0).unwrap();
    let got = getservbyport(high.port, Some(&high.proto)).unwrap();
    assert_eq!(got.port, high.port);
    assert_eq!(getservbyname(&got.name, Some(&high.proto)).unwrap().port, high.port);
}

#[test]
fn service_and_protocol_error_paths() {
    let _g = shared();
    let e = getservbyname("no-such-service", Some("tcp")).unwrap_err();
    assert!(matches!(e, Error::NotFound { call: "getservbyname", .. }), "{e:?}");
    assert_eq!(e.to_string(), "getservbyname: service \"no-such-service\"/tcp not found");
    assert_eq!((e.kind(), e.errno()), (std::io::ErrorKind::NotFound, None));

    // A real service under a protocol it does not have.
    let all = services();
    let tcp_only = all
        .iter()
        .find(|s| s.proto == "tcp" && serv_by_name(&all, &s.name, Some("udp")).is_none())
        .unwrap();
    assert!(matches!(getservbyname(&tcp_only.name, Some("udp")), Err(Error::NotFound { .. })));
    assert!(matches!(getservbyname("http", Some("no-such-proto")), Err(Error::NotFound { .. })));

    let unused = (1..=u16::MAX).rev().find(|p| serv_by_port(&all, *p, None).is_none()).unwrap();
    let e = getservbyport(unused, None).unwrap_err();
    assert_eq!(e.to_string(), format!("getservbyport: port {unused} not found"));
    let e = getservbyport(unused, Some("udp")).unwrap_err();
    assert_eq!(e.to_string(), format!("getservbyport: port {unused}/udp not found"));

    let e = getprotobyname("no-such-protocol").unwrap_err();
    assert_eq!(e.to_string(), "getprotobyname: protocol \"no-such-protocol\" not found");
    assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
    let protos = protocols();
    let unused = (0..=255).rev().find(|n| !protos.iter().any(|p| p.number == *n)).unwrap();
    let e = getprotobynumber(unused).unwrap_err();
    assert_eq!(e.to_string(), format!("getprotobynumber: protocol {unused} not found"));
    assert!(getprotobynumber(-1).is_err());
}

#[test]
fn protocols_both_ways() {
    let _g = shared();
    let all = protocols();
    for name in ["ip", "icmp", "tcp", "udp", "ipv6", "ipv6-icmp"] {
        let want = all
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("/etc/protocols lacks {name}"));
        let by_name = getprotobyname(name).unwrap();
        assert_eq!(
            (&by_name.name, by_name.proto, &by_name.aliases),
            (&want.name, want.number, &want.aliases)
        );
        // By number: the first line with that number (ip and hopopt share 0).
        let first = all.iter().find(|p| p.number == want.number).unwrap();
        let by_number = getprotobynumber(want.number).unwrap();
        assert_eq!((&by_number.name, by_number.proto), (&first.name, first.number));
        // By alias.
        for alias in &want.aliases {
            assert_eq!(getprotobyname(alias).unwrap().name, want.name);
        }
    }
    assert_eq!(getprotobyname("tcp").unwrap().protocol(), Protocol::TCP);
    assert_eq!(getprotobyname("udp").unwrap().protocol(), Protocol::UDP);
}

// ---------------------------------------------------------------------------
// getaddrinfo / getnameinfo

#[test]
fn getaddrinfo_numeric_v4_and_v6() {
    let _g = shared();
    let hints = AddrInfoHints { socktype: Type::STREAM, ..numeric(AiFlags::NUMERICSERV) };
    let v4 = getaddrinfo(Some("192.0.2.1"), Some("8080"), &hints).unwrap();
    assert_eq!(
        v4,
        vec![AddrInfo {
            family: Domain::INET,
            socktype: Type::STREAM,
            protocol: Protocol::TCP,
            addr: "192.0.2.1:8080".parse().unwrap(),
            canonname: None,
        }]
    );
    let v6 = getaddrinfo(
        Some("2001:db8::1"),
        Some("53"),
        &AddrInfoHints { socktype: Type::DGRAM, ..numeric(AiFlags::empty()) },
    )
    .unwrap();
    assert_eq!(v6.len(), 1);
    assert_eq!((v6[0].family, v6[0].protocol), (Domain::INET6, Protocol::UDP));
    assert_eq!(v6[0].addr.to_string(), "[2001:db8::1]:53");

    // Scope ids survive.
    let scoped = getaddrinfo(Some("fe80::1%1"), Some("80"), &numeric(AiFlags::empty())).unwrap();
    assert!(scoped.iter().all(|ai| ai.addr.to_string() == "[fe80::1%1]:80"), "{scoped:?}");

    // No socket type: one answer per type glibc knows (stream, dgram, raw).
    let any = getaddrinfo(Some("127.0.0.1"), None, &numeric(AiFlags::empty())).unwrap();
    let kinds: BTreeSet<(i32, i32)> =
        any.iter().map(|ai| (ai.socktype.as_raw(), ai.protocol.as_raw())).collect();
    assert!(kinds.contains(&(libc::SOCK_STREAM, libc::IPPROTO_TCP)), "{any:?}");
    assert!(kinds.contains(&(libc::SOCK_DGRAM, libc::IPPROTO_UDP)), "{any:?}");
    assert!(any.iter().all(|ai| ai.addr.to_string() == "127.0.0.1:0"));

    // V4MAPPED: an IPv4 literal as an IPv6 address.
    let mapped = getaddrinfo(
        Some("127.0.0.1"),
        Some("7"),
        &AddrInfoHints {
            family: Domain::INET6,
            socktype: Type::STREAM,
            ..numeric(AiFlags::V4MAPPED)
        },
    )
    .unwrap();
    assert_eq!(mapped[0].addr.to_string(), "[::ffff:127.0.0.1]:7");
    // ALL with V4MAPPED: still the mapped address (there is no IPv6 one).
    let all = AddrInfoHints {
        family: Domain::INET6,
        socktype: Type::STREAM,
        ..numeric(AiFlags::V4MAPPED | AiFlags::ALL)
    };
    let res = getaddrinfo(Some("192.0.2.5"), Some("7"), &all).unwrap();
    assert_eq!(
        res.iter().map(|ai| ai.addr.to_string()).collect::<Vec<_>>(),
        ["[::ffff:192.0.2.5]:7"]
    );
    // Without V4MAPPED the same query has no answer of that family.
    let plain = AddrInfoHints { family: Domain::INET6, ..numeric(AiFlags::empty()) };
    assert_eq!(
        gai_code(getaddrinfo(Some("192.0.2.5"), Some("7"), &plain)),
        EaiCode::EAI_ADDRFAMILY
    );
}

#[test]
fn getaddrinfo_passive_with_no_host_gives_wildcards() {
    let _g = shared();
    let hints =
        AddrInfoHints { flags: AiFlags::PASSIVE, socktype: Type::STREAM, ..Default::default() };
    let http = serv_by_name(&services(), "http", Some("tcp")).unwrap().port;
    let addrs = getaddrinfo(None, Some("http"), &hints).unwrap();
    assert!(!addrs.is_empty());
    for ai in &addrs {
        assert!(ai.addr.ip().unwrap().is_unspecified(), "{ai:?}");
        assert_eq!(ai.addr.port(), Some(http));
        assert_eq!(ai.socktype, Type::STREAM);
    }
    assert!(addrs.iter().any(|ai| ai.addr.to_string() == format!("0.0.0.0:{http}")));

    // Without PASSIVE, no host means loopback.
    let active = AddrInfoHints { socktype: Type::STREAM, ..Default::default() };
    for ai in getaddrinfo(None, Some("http"), &active).unwrap() {
        assert!(ai.addr.ip().unwrap().is_loopback(), "{ai:?}");
    }
    // Family filter.
    let v6 = AddrInfoHints { family: Domain::INET6, ..hints };
    for ai in getaddrinfo(None, Some("8080"), &v6).unwrap() {
        assert_eq!(ai.addr.to_string(), "[::]:8080");
    }
}

#[test]
fn getaddrinfo_canonname_by_name_from_etc_hosts() {
    let _g = shared();
    let (official, addrs) = expected_host(&hosts(), "localhost", false).unwrap();
    let hints = AddrInfoHints {
        flags: AiFlags::CANONNAME,
        family: Domain::INET,
        socktype: Type::STREAM,
        ..Default::default()
    };
    let res = getaddrinfo(Some("localhost"), Some("http"), &hints).unwrap();
    assert_eq!(res[0].canonname.as_deref(), Some(official.as_str()));
    assert!(res[1..].iter().all(|ai| ai.canonname.is_none()));
    let got: BTreeSet<IpAddr> = res.iter().map(|ai| ai.addr.ip().unwrap()).collect();
    assert_eq!(got, addrs);
    // AI_ADDRCONFIG is accepted (this machine has IPv4 configured, so the
    // answers for localhost are still there).
    let addrconfig = AddrInfoHints { flags: AiFlags::ADDRCONFIG | AiFlags::CANONNAME, ..hints };
    let res = getaddrinfo(Some("localhost"), Some("http"), &addrconfig).unwrap();
    assert_eq!(res.iter().map(|ai| ai.addr.ip().unwrap()).collect::<BTreeSet<_>>(), addrs);
    // Without CANONNAME there is none.
    let plain = AddrInfoHints { flags: AiFlags::empty(), ..hints };
    assert!(
        getaddrinfo(Some("localhost"), Some("http"), &plain)
            .unwrap()
            .iter()
            .all(|ai| ai.canonname.is_none())
    );
}

#[test]
fn getaddrinfo_error_paths() {
    let _g = shared();
    let none = AiFlags::empty();
    // A name with AI_NUMERICHOST: EAI_NONAME, and the message is gai_strerror's.
    let e = getaddrinfo(Some("localhost"), None, &numeric(none)).unwrap_err();
    assert_eq!(e.to_string(), "getaddrinfo: Name or service not known (EAI_NONAME)");
    assert_eq!((e.kind(), e.errno()), (std::io::ErrorKind::NotFound, None));
    assert_eq!(
        gai_code(getaddrinfo(Some("not-numeric.invalid"), Some("80"), &numeric(none))),
        EaiCode::EAI_NONAME
    );
    // Neither host nor service.
    assert_eq!(gai_code(getaddrinfo(None, None, &AddrInfoHints::default())), EaiCode::EAI_NONAME);
    // A service name with AI_NUMERICSERV.
    assert_eq!(
        gai_code(getaddrinfo(Some("127.0.0.1"), Some("http"), &numeric(AiFlags::NUMERICSERV))),
        EaiCode::EAI_NONAME
    );
    // An unknown service, and a service for a socket type that has no ports.
    let stream = AddrInfoHints { socktype: Type::STREAM, ..numeric(none) };
    let e = getaddrinfo(Some("127.0.0.1"), Some("no-such-service"), &stream).unwrap_err();
    assert_eq!(e.to_string(), "getaddrinfo: Servname not supported for ai_socktype (EAI_SERVICE)");
    let raw = AddrInfoHints { socktype: Type::RAW, ..numeric(none) };
    assert_eq!(gai_code(getaddrinfo(Some("127.0.0.1"), Some("http"), &raw)), EaiCode::EAI_SERVICE);
    // The host has no address of the family asked for.
    let v6 = AddrInfoHints { family: Domain::INET6, ..numeric(none) };
    assert_eq!(gai_code(getaddrinfo(Some("127.0.0.1"), None, &v6)), EaiCode::EAI_ADDRFAMILY);
    let v4 = AddrInfoHints { family: Domain::INET, ..numeric(none) };
    assert_eq!(gai_code(getaddrinfo(Some("::1"), None, &v4)), EaiCode::EAI_ADDRFAMILY);
    // A family, a socket type, a flag combination getaddrinfo does not take.
    let unix = AddrInfoHints { family: Domain::UNIX, ..numeric(none) };
    let e = getaddrinfo(Some("127.0.0.1"), None, &unix).unwrap_err();
    assert_eq!((gai_code_of(&e), e.kind()), (EaiCode::EAI_FAMILY, std::io::ErrorKind::Unsupported));
    let odd = AddrInfoHints { socktype: Type::from_raw(99), ..numeric(none) };
    assert_eq!(gai_code(getaddrinfo(Some("127.0.0.1"), Some("80"), &odd)), EaiCode::EAI_SOCKTYPE);
    let canon = AddrInfoHints { flags: AiFlags::CANONNAME, ..Default::default() };
    let e = getaddrinfo(None, Some("http"), &canon).unwrap_err();
    assert_eq!(e.to_string(), "getaddrinfo: Bad value for ai_flags (EAI_BADFLAGS)");
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    // Numeric ports C would silently wrap or read as 0.
    for bad in ["65536", "99999", "-1", "+80", " 80", ""] {
        assert_invalid(
            getaddrinfo(Some("127.0.0.1"), Some(bad), &numeric(none)),
            "getaddrinfo",
            "",
        );
    }
    assert_eq!(
        getaddrinfo(Some("127.0.0.1"), Some("65535"), &stream).unwrap()[0].addr.port(),
        Some(65535)
    );
}

#[test]
fn getnameinfo_numeric_and_by_name() {
    let _g = shared();
    let all = services();
    let num = NiFlags::NUMERICHOST | NiFlags::NUMERICSERV;
    let a: SockAddr = "192.0.2.9:8080".parse().unwrap();
    assert_eq!(getnameinfo(&a, num).unwrap(), ("192.0.2.9".into(), "8080".into()));
    let a6: SockAddr = "[2001:db8::7]:443".parse().unwrap();
    assert_eq!(getnameinfo(&a6, num).unwrap(), ("2001:db8::7".into(), "443".into()));

    // By name: 127.0.0.1 from /etc/hosts, ports from /etc/services.
    let http = serv_by_port(&all, 80, Some("tcp")).unwrap();
    let lo: SockAddr = "127.0.0.1:80".parse().unwrap();
    assert_eq!(getnameinfo(&lo, NiFlags::empty()).unwrap(), (loopback_name(), http.name.clone()));
    assert_eq!(getnameinfo(&lo, NiFlags::NAMEREQD).unwrap().0, loopback_name());
    assert_eq!(
        getnameinfo(&lo, NiFlags::NUMERICHOST).unwrap(),
        ("127.0.0.1".into(), http.name.clone())
    );
    // NI_NOFQDN keeps only the part before the first dot of a local name.
    let short = loopback_name().split('.').next().unwrap().to_owned();
    assert_eq!(
        getnameinfo(&lo, NiFlags::NOFQDN | NiFlags::NUMERICSERV).unwrap(),
        (short, "80".into())
    );
    // NI_DGRAM looks the port up as UDP.
    let ntp = serv_by_port(&all, 123, Some("udp")).unwrap();
    let lo123: SockAddr = "127.0.0.1:123".parse().unwrap();
    assert_eq!(getnameinfo(&lo123, NiFlags::NUMERICHOST | NiFlags::DGRAM).unwrap().1, ntp.name);
    // A port with no service comes back numeric.
    let unused = (1..=u16::MAX).rev().find(|p| serv_by_port(&all, *p, None).is_none()).unwrap();
    let a: SockAddr = format!("127.0.0.1:{unused}").parse().unwrap();
    assert_eq!(getnameinfo(&a, NiFlags::NUMERICHOST).unwrap().1, unused.to_string());

    // Not an IP address: EAI_FAMILY.
    let e = getnameinfo(&SockAddr::Unspec, NiFlags::empty()).unwrap_err();
    assert_eq!(gai_code_of(&e), EaiCode::EAI_FAMILY);
    assert_eq!(e.to_string(), "getnameinfo: ai_family not supported (EAI_FAMILY)");
}

// ---------------------------------------------------------------------------
// Helpers end to end over loopback

fn accept_and_echo(listener: &Socket, client: &Socket) {
    let (conn, peer) = listener.accept().unwrap();
    assert_eq!(peer, client.getsockname().unwrap());
    (&*client).write_all(b"ping").unwrap();
    let mut buf = [0u8; 4];
    (&conn).read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"ping");
}

#[test]
fn tcp_listen_and_tcp_connect_by_name() {
    let _g = shared();
    let server = tcp_listen(Some("localhost"), "0", 5).unwrap();
    let local = server.getsockname().unwrap();
    assert!(local.ip().unwrap().is_loopback());
    assert_eq!(sockopt_int(&server, libc::SOL_SOCKET, libc::SO_REUSEADDR), 1);
    assert_eq!(sockopt_int(&server, libc::SOL_SOCKET, libc::SO_ACCEPTCONN), 1);
    assert!(bsdsock::is_cloexec(&server).unwrap());
    let port = local.port().unwrap().to_string();

    let client = tcp_connect("localhost", &port).unwrap();
    assert_eq!(client.getpeername().unwrap(), local);
    assert!(bsdsock::is_cloexec(&client).unwrap());
    accept_and_echo(&server, &client);

    // Numeric host and a service name: the listener's own port via a numeric string.
    let client = tcp_connect("127.0.0.1", &port).unwrap();
    accept_and_echo(&server, &client);
}

#[test]
fn tcp_listen_with_no_host_is_dual_stack() {
    let _g = shared();
    let server = tcp_listen(None, "0", 5).unwrap();
    let local = server.getsockname().unwrap();
    // This machine has IPv6, so the wildcard socket is [::] with V6ONLY off.
    assert_eq!(local.family(), Domain::INET6, "{local}");
    assert!(local.ip().unwrap().is_unspecified());
    assert_eq!(sockopt_int(&server, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY), 0);
    assert_eq!(sockopt_int(&server, libc::SOL_SOCKET, libc::SO_REUSEADDR), 1);
    let port = local.port().unwrap().to_string();

    let v4 = tcp_connect("127.0.0.1", &port).unwrap();
    let (_c, peer) = server.accept().unwrap();
    assert_eq!(
        peer.to_string(),
        format!("[::ffff:127.0.0.1]:{}", v4.getsockname().unwrap().port().unwrap())
    );
    let v6 = tcp_connect("::1", &port).unwrap();
    accept_and_echo(&server, &v6);
}

#[test]
fn udp_client_connect_and_server() {
    let _g = shared();
    let server = udp_server(Some("localhost"), "0").unwrap();
    let local = server.getsockname().unwrap();
    assert!(local.ip().unwrap().is_loopback());
    assert_eq!(sockopt_int(&server, libc::SOL_SOCKET, libc::SO_REUSEADDR), 0);
    assert_eq!(sockopt_int(&server, libc::SOL_SOCKET, libc::SO_TYPE), libc::SOCK_DGRAM);
    let port = local.port().unwrap().to_string();

    let (client, to) = udp_client("localhost", &port).unwrap();
    assert_eq!(to, local);
    client.sendto(b"hello", MsgFlags::empty(), &to).unwrap();
    let mut buf = [0u8; 16];
    let (n, from) = server.recvfrom(&mut buf, MsgFlags::empty()).unwrap();
    assert_eq!(&buf[..n], b"hello");
    server.sendto(b"back", MsgFlags::empty(), &from).unwrap();
    let n = client.recv(&mut buf, MsgFlags::empty()).unwrap();
    assert_eq!(&buf[..n], b"back");

    let connected = udp_connect("localhost", &port).unwrap();
    assert_eq!(connected.getpeername().unwrap(), local);
    connected.send(b"via connect", MsgFlags::empty()).unwrap();
    let n = server.recv(&mut buf, MsgFlags::empty()).unwrap();
    assert_eq!(&buf[..n], b"via connect");
}

#[test]
fn udp_server_with_no_host_takes_both_families() {
    let _g = shared();
    let server = udp_server(None, "0").unwrap();
    let local = server.getsockname().unwrap();
    assert_eq!(local.family(), Domain::INET6, "{local}");
    assert_eq!(sockopt_int(&server, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY), 0);
    let port = local.port().unwrap().to_string();
    let mut buf = [0u8; 16];
    for host in ["127.0.0.1", "::1"] {
        let c = udp_connect(host, &port).unwrap();
        c.send(host.as_bytes(), MsgFlags::empty()).unwrap();
        let n = server.recv(&mut buf, MsgFlags::empty()).unwrap();
        assert_eq!(&buf[..n], host.as_bytes());
    }
}

/// A loopback port with nothing listening (bound, not listening: refused).
fn closed_port() -> (Socket, u16) {
    let s = Socket::new(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    s.bind(&"127.0.0.1:0".parse().unwrap()).unwrap();
    let port = s.getsockname().unwrap().port().unwrap();
    (s, port)
}

#[test]
fn helper_failures_return_the_last_error() {
    let _g = shared();
    let (_hold, port) = closed_port();
    let e = tcp_connect("localhost", &port.to_string()).unwrap_err();
    assert_eq!(e.errno(), Some(Errno::ECONNREFUSED));
    assert_eq!(e.to_string(), "connect: Connection refused (ECONNREFUSED)");
    // Resolver failures come through typed.
    let e = tcp_connect("localhost", "no-such-service").unwrap_err();
    assert!(matches!(e, Error::Gai { code: EaiCode::EAI_SERVICE, .. }), "{e:?}");

    // Bind failures: the port is taken by a listener without SO_REUSEADDR.
    let taken = tcp_listen(Some("127.0.0.1"), "0", 1).unwrap();
    let port = taken.getsockname().unwrap().port().unwrap().to_string();
    assert_eq!(
        tcp_listen(Some("127.0.0.1"), &port, 1).unwrap_err().errno(),
        Some(Errno::EADDRINUSE)
    );
    let utaken = udp_server(Some("127.0.0.1"), "0").unwrap();
    let uport = utaken.getsockname().unwrap().port().unwrap().to_string();
    assert_eq!(udp_server(Some("127.0.0.1"), &uport).unwrap_err().errno(), Some(Errno::EADDRINUSE));

    // connect_first: the last error of several, and an empty list.
    let (_h1, p1) = closed_port();
    let (_h2, p2) = closed_port();
    let hints = AddrInfoHints { socktype: Type::STREAM, ..numeric(AiFlags::empty()) };
    let mut addrs = getaddrinfo(Some("127.0.0.1"), Some(&p1.to_string()), &hints).unwrap();
    addrs.extend(getaddrinfo(Some("127.0.0.1"), Some(&p2.to_string()), &hints).unwrap());
    assert_eq!(connect_first(&addrs).unwrap_err().errno(), Some(Errno::ECONNREFUSED));
    let e = connect_first(&[]).unwrap_err();
    assert_eq!(e.to_string(), "connect_first: no addresses to try");
}

#[test]
fn connect_first_tries_each_address_in_turn() {
    let _g = shared();
    let server = tcp_listen(Some("127.0.0.1"), "0", 5).unwrap();
    let open = server.getsockname().unwrap().port().unwrap();
    let (_hold, closed) = closed_port();
    let hints = AddrInfoHints { socktype: Type::STREAM, ..numeric(AiFlags::empty()) };
    let mut addrs = Vec::new();
    for port in [closed, closed, open, closed] {
        addrs.extend(getaddrinfo(Some("127.0.0.1"), Some(&port.to_string()), &hints).unwrap());
    }
    let c = connect_first(&addrs).unwrap();
    assert_eq!(c.getpeername().unwrap().port(), Some(open));
    accept_and_echo(&server, &c);
}

/// Every helper failure path, many times over, under the exclusive lock: the
/// descriptor table is the same afterwards (failed sockets were closed), and
/// resolving thousands of times grows the heap by less than one lookup's worth
/// per hundred calls (the addrinfo lists were freed).
#[test]
fn no_descriptor_or_addrinfo_leaks_on_any_path() {
    let _g = exclusive();
    let (_hold, closed) = closed_port();
    let closed = closed.to_string();
    let taken = tcp_listen(Some("127.0.0.1"), "0", 1).unwrap();
    let taken_port = taken.getsockname().unwrap().port().unwrap().to_string();
    let utaken = udp_server(Some("127.0.0.1"), "0").unwrap();
    let utaken_port = utaken.getsockname().unwrap().port().unwrap().to_string();
    let hints = AddrInfoHints { socktype: Type::STREAM, ..numeric(AiFlags::empty()) };
    let refused = getaddrinfo(Some("127.0.0.1"), Some(&closed), &hints).unwrap();
    let many: Vec<AddrInfo> = vec![refused[0].clone(); 5];
    let failures = || {
        assert!(tcp_connect("localhost", &closed).is_err());
        assert!(tcp_connect("127.0.0.1", "no-such-service").is_err());
        assert!(connect_first(&many).is_err());
        assert!(tcp_listen(Some("127.0.0.1"), &taken_port, 1).is_err());
        assert!(tcp_listen(Some("localhost"), &taken_port, 1).is_err());
        assert!(udp_server(Some("127.0.0.1"), &utaken_port).is_err());
        assert!(udp_client("127.0.0.1", "no-such-service").is_err());
        assert!(udp_connect("localhost", "65536").is_err());
        assert!(gethostbyname("256.0.0.1").is_err());
        assert!(getservbyname("no-such-service", None).is_err());
        assert!(getprotobyname("no-such-protocol").is_err());
        assert!(getaddrinfo(Some("localhost"), None, &numeric(AiFlags::empty())).is_err());
    };
    failures(); // warm up: glibc opens and caches its configuration once
    let before = open_fds();
    for _ in 0..50 {
        failures();
    }
    assert_same_fds(&before, "failed helpers");

    // Successes too: every socket handed out is the caller's, and closes on drop.
    for _ in 0..20 {
        let s = tcp_listen(None, "0", 1).unwrap();
        let c = tcp_connect("localhost", &s.getsockname().unwrap().port().unwrap().to_string())
            .unwrap();
        drop((s.accept().unwrap(), c));
        drop(udp_client("localhost", "9").unwrap());
    }
    assert_same_fds(&before, "helpers that succeeded, once dropped");

    // The C list is freed: 5000 resolutions must not grow the heap by 5000 lists.
    let resolve = || {
        let r = getaddrinfo(
            Some("localhost"),
            Some("http"),
            &AddrInfoHints { flags: AiFlags::CANONNAME, ..Default::default() },
        );
        assert!(!r.unwrap().is_empty());
        assert!(getaddrinfo(Some("localhost"), Some("no-such-service"), &hints).is_err());
    };
    resolve();
    let heap = || {
        // SAFETY: mallinfo2 only reads the allocator's statistics.
        unsafe { libc::mallinfo2() }.uordblks
    };
    let start = heap();
    for _ in 0..5000 {
        resolve();
    }
    let grown = heap().saturating_sub(start);
    // One list for localhost is several hundred bytes; 5000 of them would be MBs.
    assert!(grown < 64 * 1024, "heap grew by {grown} bytes over 5000 getaddrinfo calls");
}

// ---------------------------------------------------------------------------
// Thread safety

#[derive(Clone)]
enum Query {
    HostByName(String, String, BTreeSet<IpAddr>),
    HostByAddr(IpAddr, String),
    Dotted(Ipv4Addr),
    V6Literal(Ipv6Addr),
    Numeric(SockAddr),
    NameInfo(SockAddr),
    Serv(Serv),
    Proto(Proto),
}

impl Query {
    fn check(&self) {
        match self {
            Query::HostByName(name, official, addrs) => {
                let h = gethostbyname(name).unwrap();
                assert_eq!(&h.name, official, "{name}");
                assert_eq!(&h.addr_list.iter().copied().collect::<BTreeSet<_>>(), addrs, "{name}");
            }
            Query::HostByAddr(addr, name) => {
                let h = gethostbyaddr(*addr).unwrap();
                assert_eq!((&h.name, h.addr()), (name, Some(*addr)));
            }
            Query::Dotted(a) => {
                let text = a.to_string();
                let h = gethostbyname(&text).unwrap();
                assert_eq!(
                    (h.name.as_str(), h.addr_list.as_slice()),
                    (text.as_str(), &[IpAddr::V4(*a)][..])
                );
            }
            Query::V6Literal(a) => {
                let text = a.to_string();
                let h = gethostbyname2(&text, Domain::INET6).unwrap();
                assert_eq!(
                    (h.name.as_str(), h.addr_list.as_slice()),
                    (text.as_str(), &[IpAddr::V6(*a)][..])
                );
            }
            Query::Numeric(sa) => {
                let hints =
                    AddrInfoHints { socktype: Type::DGRAM, ..numeric(AiFlags::NUMERICSERV) };
                let ip = sa.ip().unwrap().to_string();
                let res =
                    getaddrinfo(Some(&ip), Some(&sa.port().unwrap().to_string()), &hints).unwrap();
                assert_eq!(res.len(), 1);
                assert_eq!(&res[0].addr, sa);
            }
            Query::NameInfo(sa) => {
                let (h, s) = getnameinfo(sa, NiFlags::NUMERICHOST | NiFlags::NUMERICSERV).unwrap();
                assert_eq!((h, s), (sa.ip().unwrap().to_string(), sa.port().unwrap().to_string()));
            }
            Query::Serv(want) => {
                let by_name = getservbyname(&want.name, Some(&want.proto)).unwrap();
                assert_eq!(
                    (&by_name.name, by_name.port, &by_name.aliases),
                    (&want.name, want.port, &want.aliases)
                );
                let by_port = getservbyport(want.port, Some(&want.proto)).unwrap();
                assert_eq!(by_port.port, want.port);
                assert_eq!(by_port.proto, want.proto);
            }
            Query::Proto(want) => {
                let p = getprotobyname(&want.name).unwrap();
                assert_eq!(
                    (&p.name, p.proto, &p.aliases),
                    (&want.name, want.number, &want.aliases)
                );
                assert_eq!(getprotobynumber(want.number).unwrap().proto, want.number);
            }
        }
    }
}

#[test]
fn sixteen_threads_resolve_different_names_concurrently() {
    let _g = shared();
    let lines = hosts();
    let all_serv = services();
    let mut queries = Vec::new();
    for name in v4_names(&lines) {
        let (official, addrs) = expected_host(&lines, &name, false).unwrap();
        queries.push(Query::HostByName(name, official, addrs));
    }
    // Reverse lookups only of addresses /etc/hosts lists.
    let mut seen = BTreeSet::new();
    for l in &lines {
        if seen.insert(l.addr) {
            queries.push(Query::HostByAddr(l.addr, l.names[0].clone()));
        }
    }
    for i in 0..64u8 {
        queries.push(Query::Dotted(Ipv4Addr::new(10, i, 255 - i, i.wrapping_mul(7))));
        queries.push(Query::V6Literal(Ipv6Addr::new(
            0x2001,
            0xdb8,
            0,
            0,
            0,
            0,
            u16::from(i),
            0x100 + u16::from(i),
        )));
        queries
            .push(Query::Numeric(format!("192.0.2.{i}:{}", 1000 + u16::from(i)).parse().unwrap()));
        queries.push(Query::NameInfo(
            format!("[2001:db8::{i:x}]:{}", 2000 + u16::from(i)).parse().unwrap(),
        ));
    }
    // Services whose name and port both lead back to the same line.
    for s in &all_serv {
        if serv_by_name(&all_serv, &s.name, Some(&s.proto)).is_some_and(|f| f.port == s.port)
            && serv_by_port(&all_serv, s.port, Some(&s.proto)).is_some_and(|f| f.name == s.name)
        {
            queries.push(Query::Serv(s.clone()));
        }
    }
    let all_proto = protocols();
    for p in &all_proto {
        if all_proto.iter().find(|q| q.name == p.name).is_some_and(|q| q.number == p.number) {
            queries.push(Query::Proto(p.clone()));
        }
    }
    assert!(queries.len() > 300, "{}", queries.len());

    let deadline = Instant::now() + Duration::from_secs(60);
    std::thread::scope(|scope| {
        for t in 0..16usize {
            let queries = &queries;
            scope.spawn(move || {
                // Each thread walks the list from its own offset and stride, so at
                // any moment the threads are resolving different things.
                let n = queries.len();
                for k in 0..n {
                    queries[(t * 37 + k * (2 * t + 1)) % n].check();
                    assert!(Instant::now() < deadline, "resolution took too long");
                }
            });
        }
    });
}

// ---------------------------------------------------------------------------
// IPv6 names and oversized entries, in a private mount namespace

const PRIVATE_ENV: &str = "BSDSOCK_NETDB_PRIVATE_ETC";
const PRIVATE_HOSTS_MARK: &str = "# bsdsock private hosts";
const ALIASES: usize = 600;

fn alias_list(prefix: &str) -> Vec<String> {
    (0..ALIASES).map(|i| format!("{prefix}{i}")).collect()
}

/// In the private namespace: IPv6 names forward and reverse, and entries with
/// 600 aliases, which overflow the first buffers and take the ERANGE growth path
/// of gethostbyname_r, gethostbyaddr_r, getservby*_r and getprotoby*_r.
fn private_etc_checks() {
    let hosts_text = std::fs::read_to_string("/etc/hosts").unwrap();
    assert!(
        hosts_text.starts_with(PRIVATE_HOSTS_MARK),
        "not in the private namespace: {hosts_text}"
    );
    assert!(std::fs::read_to_string("/etc/resolv.conf").unwrap().contains("nameserver 127.0.0.1"));

    let h = gethostbyaddr("::1".parse().unwrap()).unwrap();
    assert_eq!(
        (h.name.as_str(), h.aliases.clone()),
        ("localhost6", vec!["ip6-localhost".to_string(), "ip6-loopback".to_string()])
    );
    assert_eq!(h.addrtype, Domain::INET6);
    let h = gethostbyname2("ip6-localhost", Domain::INET6).unwrap();
    assert_eq!((h.name.as_str(), h.addr()), ("localhost6", Some("::1".parse().unwrap())));
    let h = gethostbyname2("v6only.test", Domain::INET6).unwrap();
    assert_eq!(
        h.addr_list,
        vec!["2001:db8::5".parse::<IpAddr>().unwrap(), "2001:db8::6".parse().unwrap()]
    );

    let v6 = getaddrinfo(
        Some("localhost6"),
        Some("http"),
        &AddrInfoHints { socktype: Type::STREAM, ..Default::default() },
    )
    .unwrap();
    assert_eq!(
        v6.iter().map(|ai| ai.addr.to_string()).collect::<Vec<_>>(),
        vec!["[::1]:80".to_string()]
    );
    let sa: SockAddr = "[::1]:80".parse().unwrap();
    assert_eq!(getnameinfo(&sa, NiFlags::NAMEREQD).unwrap(), ("localhost6".into(), "http".into()));

    // The helpers by IPv6 name.
    let server = tcp_listen(Some("localhost6"), "0", 1).unwrap();
    assert_eq!(server.getsockname().unwrap().family(), Domain::INET6);
    let port = server.getsockname().unwrap().port().unwrap().to_string();
    let c = tcp_connect("ip6-localhost", &port).unwrap();
    accept_and_echo(&server, &c);

    // Oversized entries.
    let h = gethostbyname("big.test").unwrap();
    assert_eq!((h.name.as_str(), h.aliases.clone()), ("big.test", alias_list("a")));
    assert_eq!(h.addr(), Some("192.0.2.7".parse().unwrap()));
    let h = gethostbyaddr("192.0.2.7".parse().unwrap()).unwrap();
    assert_eq!(h.aliases.len(), ALIASES);
    assert_eq!(gethostbyname("a599").unwrap().name, "big.test");
    let s = getservbyname("bigsvc", Some("tcp")).unwrap();
    assert_eq!((s.port, s.aliases.clone()), (4999, alias_list("s")));
    assert_eq!(getservbyport(4999, None).unwrap().aliases.len(), ALIASES);
    let p = getprotobyname("bigproto").unwrap();
    assert_eq!((p.proto, p.aliases.clone()), (253, alias_list("p")));
    assert_eq!(getprotobynumber(253).unwrap().aliases, alias_list("p"));
}

#[test]
fn private_etc_ipv6_names_and_entries_that_need_bigger_buffers() {
    if std::env::var_os(PRIVATE_ENV).is_some() {
        return private_etc_checks();
    }
    let _g = shared();
    let dir = std::env::temp_dir().join(format!("bsdsock-netdb-etc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: String| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let files = [
        write(
            "hosts",
            format!(
                "{PRIVATE_HOSTS_MARK}\n127.0.0.1 localhost\n::1 localhost6 ip6-localhost ip6-loopback\n\
                 2001:db8::5 v6only.test\n2001:db8::6 v6only.test\n192.0.2.7 big.test {}\n",
                alias_list("a").join(" ")
            ),
        ),
        write(
            "services",
            format!("http 80/tcp www\nbigsvc 4999/tcp {}\n", alias_list("s").join(" ")),
        ),
        write("protocols", format!("tcp 6 TCP\nbigproto 253 {}\n", alias_list("p").join(" "))),
        write("resolv.conf", "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n".into()),
    ];
    let script = "mount --bind \"$1\" /etc/hosts && mount --bind \"$2\" /etc/services && \
                  mount --bind \"$3\" /etc/protocols && mount --bind \"$4\" /etc/resolv.conf && \
                  exec \"$5\" --exact \"$6\" --test-threads=1 --nocapture";
    let exe = std::env::current_exe().unwrap();
    // Root may make a mount namespace directly; anyone else makes a user namespace
    // first, in which they are root and may bind-mount (Linux >= 3.8).
    // SAFETY: geteuid has no preconditions and cannot fail.
    let as_root = unsafe { libc::geteuid() } == 0;
    let user_ns: &[&str] = if as_root { &[] } else { &["--user", "--map-root-user"] };
    let mut child = std::process::Command::new("unshare")
        .args(user_ns)
        .args(["--mount", "--propagation", "private", "--", "sh", "-c", script, "sh"])
        .args(&files)
        .arg(&exe)
        .arg("private_etc_ipv6_names_and_entries_that_need_bigger_buffers")
        .env(PRIVATE_ENV, "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run unshare(1) (util-linux) for a private mount namespace");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the private-namespace child did not finish in 60 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let out = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let log =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(status.success(), "child failed ({status}):\n{log}");
    // The child really ran the checks (and not zero tests).
    assert!(log.contains("1 passed"), "{log}");
}
