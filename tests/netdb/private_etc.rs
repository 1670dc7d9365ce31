//! IPv6 names and oversized entries, in a private mount namespace with its own
//! `/etc` files (this machine's lack them).

use std::net::IpAddr;
use std::time::{Duration, Instant};

use bsdsock::netdb::{
    AddrInfoHints, NiFlags, getaddrinfo, gethostbyaddr, gethostbyname, gethostbyname2, getnameinfo,
    getprotobyname, getprotobynumber, getservbyname, getservbyport, tcp_connect, tcp_listen,
};
use bsdsock::{Domain, SockAddr, Type};

use crate::common::TempDir;
use crate::support::{accept_and_echo, shared};

/// The test below as the harness names it: its path, less the crate's name.
const THIS_TEST: &str =
    concat!(module_path!(), "::private_etc_ipv6_names_and_entries_that_need_bigger_buffers");
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

// Every check here is of aliases from the private files, which musl does not
// report (hosts: the official name only; services: the name asked; protocols: a
// built-in table), so none of its entries outgrows the first buffer either.
#[cfg_attr(target_env = "musl", ignore = "musl reports no aliases from the files")]
#[test]
fn private_etc_ipv6_names_and_entries_that_need_bigger_buffers() {
    if std::env::var_os(PRIVATE_ENV).is_some() {
        return private_etc_checks();
    }
    let _g = shared();
    let dir = TempDir::new("netdb-etc");
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
        .arg(THIS_TEST.split_once("::").unwrap().1)
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
    drop(dir);
    let log =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(status.success(), "child failed ({status}):\n{log}");
    // The child really ran the checks (and not zero tests).
    assert!(log.contains("1 passed"), "{log}");
}
