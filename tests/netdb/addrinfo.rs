//! getaddrinfo and getnameinfo: numeric answers, wildcards, canonical names,
//! reverse lookups from `/etc/hosts`, and every `EAI_*` path reachable locally.

use std::collections::BTreeSet;
use std::net::IpAddr;

use bsdsock::netdb::{
    AddrInfo, AddrInfoHints, AiFlags, EaiCode, NiFlags, getaddrinfo, getnameinfo,
};
use bsdsock::{Domain, Protocol, SockAddr, Type};

use crate::etc::{expected_host, hosts, loopback_name, serv_by_name, serv_by_port, services};
use crate::support::{assert_invalid, gai_code, gai_code_of, numeric, shared};

// musl fills in ai_canonname on every answer, asked for or not (POSIX leaves it
// unspecified without AI_CANONNAME): the `None`s here are glibc's.
#[cfg_attr(target_env = "musl", ignore = "musl sets ai_canonname without AI_CANONNAME")]
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

// musl fills in ai_canonname on every answer, asked for or not (POSIX leaves it
// unspecified without AI_CANONNAME): the `None`s here are glibc's.
#[cfg_attr(target_env = "musl", ignore = "musl sets ai_canonname without AI_CANONNAME")]
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
    assert_eq!(
        e.to_string(),
        format!("getaddrinfo: {} (EAI_NONAME)", crate::common::gai_strerror(libc::EAI_NONAME))
    );
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
    assert_eq!(
        e.to_string(),
        format!("getaddrinfo: {} (EAI_SERVICE)", crate::common::gai_strerror(libc::EAI_SERVICE))
    );
    let raw = AddrInfoHints { socktype: Type::RAW, ..numeric(none) };
    assert_eq!(gai_code(getaddrinfo(Some("127.0.0.1"), Some("http"), &raw)), EaiCode::EAI_SERVICE);
    // The host has no address of the family asked for: glibc says so with its
    // EAI_ADDRFAMILY; musl, which never returns that code, with EAI_NONAME.
    let no_family =
        if cfg!(target_env = "musl") { EaiCode::EAI_NONAME } else { EaiCode::EAI_ADDRFAMILY };
    let v6 = AddrInfoHints { family: Domain::INET6, ..numeric(none) };
    assert_eq!(gai_code(getaddrinfo(Some("127.0.0.1"), None, &v6)), no_family);
    let v4 = AddrInfoHints { family: Domain::INET, ..numeric(none) };
    assert_eq!(gai_code(getaddrinfo(Some("::1"), None, &v4)), no_family);
    // A family, a socket type, a flag combination getaddrinfo does not take.
    let unix = AddrInfoHints { family: Domain::UNIX, ..numeric(none) };
    let e = getaddrinfo(Some("127.0.0.1"), None, &unix).unwrap_err();
    assert_eq!((gai_code_of(&e), e.kind()), (EaiCode::EAI_FAMILY, std::io::ErrorKind::Unsupported));
    let odd = AddrInfoHints { socktype: Type::from_raw(99), ..numeric(none) };
    // glibc refuses the socket type; musl, which checks the service against it
    // first, the service.
    let odd_code =
        if cfg!(target_env = "musl") { EaiCode::EAI_SERVICE } else { EaiCode::EAI_SOCKTYPE };
    assert_eq!(gai_code(getaddrinfo(Some("127.0.0.1"), Some("80"), &odd)), odd_code);
    // CANONNAME without a host: glibc refuses the flags; musl answers with the
    // loopback addresses, as for no flags.
    let canon = AddrInfoHints { flags: AiFlags::CANONNAME, ..Default::default() };
    if cfg!(target_env = "musl") {
        let all = getaddrinfo(None, Some("http"), &canon).unwrap();
        assert!(all.iter().all(|ai| ai.addr.ip().is_some_and(|ip| ip.is_loopback())), "{all:?}");
    } else {
        let e = getaddrinfo(None, Some("http"), &canon).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "getaddrinfo: {} (EAI_BADFLAGS)",
                crate::common::gai_strerror(libc::EAI_BADFLAGS)
            )
        );
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    }
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
    assert_eq!(
        e.to_string(),
        format!("getnameinfo: {} (EAI_FAMILY)", crate::common::gai_strerror(libc::EAI_FAMILY))
    );
}
