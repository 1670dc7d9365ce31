//! Host entries: gethostbyname, gethostbyname2, gethostbyaddr and gethostname
//! against `/etc/hosts` and the kernel, and their error paths.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use bsdsock::netdb::{HErrno, HostEnt, gethostbyaddr, gethostbyname, gethostbyname2, gethostname};
use bsdsock::{Domain, Errno, Error};

use crate::etc::{expected_host, hosts, v4_names};
use crate::support::{assert_is_host_error, shared};

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
    // Case does not matter to glibc's files backend; musl compares the names of
    // /etc/hosts case-sensitively.
    #[cfg(target_env = "gnu")]
    assert_eq!(gethostbyname("LocalHost").unwrap().name, official);
}

// musl lists the official name as the only alias (`h_aliases[0]`) and does not
// report the other names of the /etc/hosts line: the aliases here are glibc's.
#[cfg_attr(target_env = "musl", ignore = "musl's h_aliases holds the official name")]
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

// musl lists the official name as the only alias (`h_aliases[0]`) and does not
// report the other names of the /etc/hosts line: the aliases here are glibc's.
#[cfg_attr(target_env = "musl", ignore = "musl's h_aliases holds the official name")]
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
    assert_eq!(
        e.to_string(),
        format!(
            "gethostbyname: {} (HOST_NOT_FOUND)",
            crate::common::hstrerror(HErrno::HOST_NOT_FOUND.as_raw())
        )
    );
    assert_eq!((e.kind(), e.errno()), (std::io::ErrorKind::NotFound, None));
    let io: std::io::Error = e.into();
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    assert_eq!(
        io.to_string(),
        format!(
            "gethostbyname: {} (HOST_NOT_FOUND)",
            crate::common::hstrerror(HErrno::HOST_NOT_FOUND.as_raw())
        )
    );

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

    // The empty name is refused by the resolver itself: NO_RECOVERY with glibc,
    // HOST_NOT_FOUND with musl.
    let code = if cfg!(target_env = "musl") { HErrno::HOST_NOT_FOUND } else { HErrno::NO_RECOVERY };
    let e = gethostbyname("").unwrap_err();
    assert!(matches!(e, Error::Host { code: c, .. } if c == code), "{e:?}");
    assert_eq!(
        e.to_string(),
        format!("gethostbyname: {} ({})", crate::common::hstrerror(code.as_raw()), code.name())
    );

    // A family gethostbyname2 cannot look up.
    for af in [Domain::UNIX, Domain::UNSPEC, Domain::from_raw(12345)] {
        let e = gethostbyname2("localhost", af).unwrap_err();
        assert_eq!(e.errno(), Some(Errno::EAFNOSUPPORT), "{af:?}");
        assert!(e.to_string().starts_with("gethostbyname2: "), "{e}");
    }
}
