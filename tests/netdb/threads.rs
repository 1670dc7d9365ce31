//! Thread safety: sixteen threads resolving different names at once, each
//! answer checked.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

use bsdsock::netdb::{
    AddrInfoHints, AiFlags, NiFlags, getaddrinfo, gethostbyaddr, gethostbyname, gethostbyname2,
    getnameinfo, getprotobyname, getprotobynumber, getservbyname, getservbyport,
};
use bsdsock::{Domain, SockAddr, Type};

use crate::etc::{
    Proto, Serv, expected_host, hosts, protocols, serv_by_name, serv_by_port, services, v4_names,
};
use crate::support::{numeric, shared};

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
                    (&want.name, want.port, &want.reported_aliases())
                );
                let by_port = getservbyport(want.port, Some(&want.proto)).unwrap();
                assert_eq!(by_port.port, want.port);
                assert_eq!(by_port.proto, want.proto);
            }
            Query::Proto(want) => {
                let p = getprotobyname(&want.name).unwrap();
                assert_eq!(
                    (&p.name, p.proto, &p.aliases),
                    (&want.name, want.number, &want.reported_aliases())
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
    // Services whose name and port both lead back to the same line (tcp and udp
    // only with musl, whose getservbyname_r refuses other protocols).
    for s in &all_serv {
        if cfg!(target_env = "musl") && s.proto != "tcp" && s.proto != "udp" {
            continue;
        }
        if serv_by_name(&all_serv, &s.name, Some(&s.proto)).is_some_and(|f| f.port == s.port)
            && serv_by_port(&all_serv, s.port, Some(&s.proto)).is_some_and(|f| f.name == s.name)
        {
            queries.push(Query::Serv(s.clone()));
        }
    }
    let all_proto = protocols();
    // musl answers from a built-in table, not /etc/protocols: with it, only
    // protocols that table has too.
    const MUSL_HAS: [&str; 11] =
        ["ip", "icmp", "igmp", "tcp", "udp", "ipv6", "ipv6-icmp", "gre", "esp", "ah", "pim"];
    for p in &all_proto {
        if cfg!(target_env = "musl") && !MUSL_HAS.contains(&p.name.as_str()) {
            continue;
        }
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
