//! Services and protocols: getservbyname / getservbyport and getprotobyname /
//! getprotobynumber against `/etc/services` and `/etc/protocols`.

use bsdsock::netdb::{getprotobyname, getprotobynumber, getservbyname, getservbyport};
use bsdsock::{Errno, Error, Protocol};

use crate::etc::{protocols, serv_by_name, serv_by_port, services};
use crate::support::shared;

// musl's getservbyname_r answers with the name it was asked (an alias too) and
// lists it as the only alias; the expected names and aliases here are glibc's,
// read from /etc/services.
#[cfg_attr(target_env = "musl", ignore = "musl's s_name is the name asked, s_aliases only it")]
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
    // A protocol that is not tcp or udp: not found with glibc; musl's
    // getservbyname_r refuses it with EINVAL.
    let e = getservbyname("http", Some("no-such-proto")).unwrap_err();
    if cfg!(target_env = "musl") {
        assert_eq!(e.errno(), Some(Errno::EINVAL), "{e:?}");
    } else {
        assert!(matches!(e, Error::NotFound { .. }), "{e:?}");
    }

    let unused = (1..=u16::MAX).rev().find(|p| serv_by_port(&all, *p, None).is_none()).unwrap();
    let e = getservbyport(unused, None).unwrap_err();
    assert_eq!(e.to_string(), format!("getservbyport: port {unused} not found"));
    let e = getservbyport(unused, Some("udp")).unwrap_err();
    assert_eq!(e.to_string(), format!("getservbyport: port {unused}/udp not found"));

    let e = getprotobyname("no-such-protocol").unwrap_err();
    assert_eq!(e.to_string(), "getprotobyname: protocol \"no-such-protocol\" not found");
    assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
    let protos = protocols();
    // musl answers from a built-in table, which has 255 (raw) where
    // /etc/protocols may not.
    let top = if cfg!(target_env = "musl") { 254 } else { 255 };
    let unused = (0..=top).rev().find(|n| !protos.iter().any(|p| p.number == *n)).unwrap();
    let e = getprotobynumber(unused).unwrap_err();
    assert_eq!(e.to_string(), format!("getprotobynumber: protocol {unused} not found"));
    assert!(getprotobynumber(-1).is_err());
}

// musl answers from a table compiled into it, without aliases, not from
// /etc/protocols, which is what this test expects (lookups by alias included).
#[cfg_attr(target_env = "musl", ignore = "musl's protocols are a built-in table without aliases")]
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
