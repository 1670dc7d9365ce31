//! Connecting to a host that does not answer: (b) `connect_timeout` (Stevens'
//! `connect_nonb`, UNP Vol. 1 §16.3) to a host whose link is down fails with
//! `ETIMEDOUT` at its deadline, neither before nor much after; (c)
//! `netdb::tcp_connect_timeout` (Happy Eyeballs, RFC 8305) to a name with a dead
//! IPv6 path and a live IPv4 one connects over IPv4 one attempt delay (250 ms)
//! after it started, instead of waiting for the IPv6 attempt to time out.

use std::ffi::CString;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bsdsock::netdb::{AddrInfoHints, CONNECTION_ATTEMPT_DELAY, getaddrinfo, tcp_connect_timeout};
use bsdsock::opt::{TCP_INFO, TcpState};
use bsdsock::{Domain, Errno, Protocol, SockAddr, Socket, Type, socket};

use crate::common::TempDir;
use crate::harness::{Lab, Ns, addr, mac};

/// A listener on `ip` port 0 (`::` takes IPv4 too), and its address.
fn listener(ip: &str, port: u16) -> (Socket, SockAddr) {
    let a = SockAddr::from(SocketAddr::new(ip.parse().unwrap(), port));
    let l = socket(a.family(), Type::STREAM, Protocol::DEFAULT).unwrap();
    l.bind(&a).unwrap();
    l.listen(4).unwrap();
    let a = l.getsockname().unwrap();
    (l, a)
}

/// Pins `ip`'s link-layer address in `host`'s neighbour table (as an ARP or
/// NDP answer received before the link died would), so that the packets to it
/// leave and are lost rather than failing neighbour discovery (EHOSTUNREACH
/// after ~3 s).
fn pin_neighbour(host: &Ns, ifname: &str, ip: &str, lladdr: &str) {
    host.ip(&["neigh", "replace", ip, "lladdr", lladdr, "dev", ifname, "nud", "permanent"]);
}

#[test]
fn connect_timeout_to_a_host_whose_link_is_down_ends_at_the_deadline() {
    let Some(lab) = Lab::new(&["client", "server"]) else { return };
    let (client, server) = (lab.ns("client"), lab.ns("server"));
    lab.veth(client, "c0", server, "s0", None);
    addr(client, "c0", "192.0.2.1/24");
    addr(server, "s0", "192.0.2.2/24");
    addr(client, "c0", "2001:db8::1/64");
    addr(server, "s0", "2001:db8::2/64");
    let (_l4, to4) = server.run(|| listener("192.0.2.2", 0));
    let (_l6, to6) = server.run(|| listener("2001:db8::2", 0));

    // While the link is up, the server answers at once.
    for to in [&to4, &to6] {
        client.run(|| {
            let s = socket(to.family(), Type::STREAM, Protocol::DEFAULT).unwrap();
            s.connect_timeout(to, Duration::from_secs(5)).unwrap();
        });
    }

    let server_mac = mac(server, "s0");
    pin_neighbour(client, "c0", "192.0.2.2", &server_mac);
    pin_neighbour(client, "c0", "2001:db8::2", &server_mac);
    server.ip(&["link", "set", "s0", "down"]);

    const TIMEOUT: Duration = Duration::from_millis(1200);
    // Both families at once: the test takes one timeout, not two.
    let results: Vec<_> = std::thread::scope(|s| {
        let attempts: Vec<_> = [&to4, &to6]
            .into_iter()
            .map(|to| {
                let sock =
                    client.run(|| socket(to.family(), Type::STREAM, Protocol::DEFAULT).unwrap());
                s.spawn(move || {
                    let start = Instant::now();
                    let r = sock.connect_timeout(to, TIMEOUT);
                    (to, start.elapsed(), r, sock)
                })
            })
            .collect();
        attempts.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (to, elapsed, r, sock) in results {
        eprintln!("connect_timeout({to}, {TIMEOUT:?}) to a dead link: {elapsed:?}, {r:?}");
        let err = r.expect_err("no answer can come");
        assert_eq!(err.errno(), Some(Errno::ETIMEDOUT), "{to}: {err}");
        assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
        assert!(elapsed >= TIMEOUT, "{to}: gave up early, after {elapsed:?}");
        assert!(elapsed < TIMEOUT + Duration::from_secs(1), "{to}: gave up late, {elapsed:?}");
        // The SYN went out and is still being retransmitted: nothing refused it.
        assert_eq!(sock.get(TCP_INFO).unwrap().state(), TcpState::SYN_SENT, "{to}");
    }
}

/// Gives the calling thread its own mount namespace in which /etc/hosts is
/// `hosts`: the resolver (glibc's files backend opens /etc/hosts on every
/// lookup, from the calling thread) then resolves the test's name without DNS
/// and without touching the machine's file. The mounts vanish with the thread.
fn private_hosts(hosts: &std::path::Path) {
    // SAFETY: unshare takes flags only. CLONE_NEWNS (with the CLONE_FS it
    // implies) changes the calling thread's mount namespace and nothing else.
    let rc = unsafe { libc::unshare(libc::CLONE_NEWNS) };
    assert_eq!(rc, 0, "unshare(CLONE_NEWNS): {}", std::io::Error::last_os_error());
    // The kernel ignores the source and type of a propagation change and the
    // type of a bind mount; "none" (not NULL) keeps valgrind from reading them
    // as unaddressable strings.
    let none = c"none";
    // SAFETY: every pointer is a NUL-terminated string; null data is allowed.
    // Making every mount private first keeps the bind mount below from
    // propagating to the host's namespace.
    let rc = unsafe {
        libc::mount(
            none.as_ptr(),
            c"/".as_ptr(),
            none.as_ptr(),
            libc::MS_REC | libc::MS_PRIVATE,
            std::ptr::null(),
        )
    };
    assert_eq!(rc, 0, "make / private: {}", std::io::Error::last_os_error());
    let src = CString::new(hosts.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: every pointer is a NUL-terminated string; null data is allowed.
    let rc = unsafe {
        libc::mount(
            src.as_ptr(),
            c"/etc/hosts".as_ptr(),
            none.as_ptr(),
            libc::MS_BIND,
            std::ptr::null(),
        )
    };
    assert_eq!(
        rc,
        0,
        "bind {} on /etc/hosts: {}",
        hosts.display(),
        std::io::Error::last_os_error()
    );
}

#[test]
fn happy_eyeballs_falls_back_to_ipv4_when_the_ipv6_path_is_dead() {
    let Some(lab) = Lab::new(&["client", "server"]) else { return };
    let (client, server) = (lab.ns("client"), lab.ns("server"));
    // Two cables: one for each family, so that one can die alone.
    lab.veth(client, "c4", server, "s4", None);
    lab.veth(client, "c6", server, "s6", None);
    addr(client, "c4", "192.0.2.1/24");
    addr(server, "s4", "192.0.2.2/24");
    addr(client, "c6", "2001:db8:6::1/64");
    addr(server, "s6", "2001:db8:6::2/64");
    // One dual-stack listener: an IPv6 SYN that arrived would be accepted.
    let (l, port) = server.run(|| {
        let (l, a) = listener("::", 0);
        (l, a.port().unwrap())
    });
    let dir = TempDir::new("netns-hosts");
    let hosts = dir.join("hosts");
    std::fs::write(&hosts, "127.0.0.1 localhost\n2001:db8:6::2 dual.test\n192.0.2.2 dual.test\n")
        .unwrap();
    let service = port.to_string();
    let connect = || {
        client.run(|| {
            private_hosts(&hosts);
            let start = Instant::now();
            let r = tcp_connect_timeout("dual.test", &service, Duration::from_secs(5));
            (r, start.elapsed())
        })
    };

    // The name has both families, and with both paths alive IPv6 wins.
    let names = client.run(|| {
        private_hosts(&hosts);
        let hints = AddrInfoHints { socktype: Type::STREAM, ..Default::default() };
        let found = getaddrinfo(Some("dual.test"), Some(&service), &hints).unwrap();
        found.into_iter().map(|ai| ai.addr.to_string()).collect::<Vec<_>>()
    });
    for want in [format!("[2001:db8:6::2]:{port}"), format!("192.0.2.2:{port}")] {
        assert!(names.contains(&want), "dual.test gave {names:?}");
    }
    // (An IPv6 handshake slower than the 250 ms attempt delay, as on a machine
    // too loaded to run the kernel's receive work at once, lets IPv4 win, as
    // it should: so the first of three tries IPv6 wins counts.)
    let mut winners = Vec::new();
    for _ in 0..3 {
        let (c, took) = connect();
        let family = c.unwrap().getpeername().unwrap().family();
        drop(l.accept().unwrap());
        winners.push((family, took));
        if family == Domain::INET6 {
            break;
        }
    }
    eprintln!("happy eyeballs, both paths alive: {winners:?}");
    assert_eq!(winners.last().unwrap().0, Domain::INET6, "IPv6 never won: {winners:?}");

    // Pull the IPv6 cable at the server.
    pin_neighbour(client, "c6", "2001:db8:6::2", &mac(server, "s6"));
    server.ip(&["link", "set", "s6", "down"]);
    let (c, took) = connect();
    eprintln!("happy eyeballs, IPv6 path dead: connected in {took:?} ({c:?})");
    let c = c.expect("IPv4 is alive");
    assert_eq!(c.getpeername().unwrap(), format!("192.0.2.2:{port}").parse().unwrap());
    // The IPv6 attempt went first and hung: IPv4 started one attempt delay later
    // (measured: 251 ms). A connect that waited for IPv6 to fail would take the
    // whole 5 s; the bound leaves a loaded machine room.
    assert!(took >= CONNECTION_ATTEMPT_DELAY, "IPv4 did not wait for IPv6: {took:?}");
    assert!(took < Duration::from_secs(1), "not about 300 ms: {took:?}");
    let (peer, from) = l.accept().unwrap();
    assert_eq!(from.ip(), Some("::ffff:192.0.2.1".parse().unwrap()));
    drop(peer);
}
