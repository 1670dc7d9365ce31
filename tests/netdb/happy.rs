//! `tcp_connect_timeout` and `happy_eyeballs` (RFC 8305) on loopback: numeric
//! hosts and "localhost" from /etc/hosts, listeners on 127.0.0.1 and ::1, ports
//! that refuse, and listeners whose full queue drops SYNs (a connect that hangs).

use std::time::{Duration, Instant};

use bsdsock::netdb::{
    AddrInfo, AddrInfoHints, AiFlags, CONNECTION_ATTEMPT_DELAY, getaddrinfo, happy_eyeballs,
    tcp_connect_timeout,
};
use bsdsock::{Attempt, Domain, Errno, Error, Protocol, SockAddr, Socket, Type, connect, socket};

use crate::common::{assert_same_fds, open_fds, strerror, tcp_listener};
use crate::support::{accept_and_echo, assert_invalid, exclusive, gai_code, shared};

/// Long enough never to be reached by a call that should succeed.
const LONG: Duration = Duration::from_secs(20);

/// The stream addresses of a numeric host.
fn numeric(host: &str, port: u16) -> Vec<AddrInfo> {
    let hints = AddrInfoHints {
        flags: AiFlags::NUMERICHOST | AiFlags::NUMERICSERV,
        socktype: Type::STREAM,
        ..Default::default()
    };
    getaddrinfo(Some(host), Some(&port.to_string()), &hints).unwrap()
}

/// A listening socket on `ip` port 0 with `backlog`, and its address.
fn listener(ip: &str, backlog: i32) -> (Socket, SockAddr) {
    let family = if ip.contains(':') { Domain::INET6 } else { Domain::INET };
    let l = socket(family, Type::STREAM, Protocol::DEFAULT).unwrap();
    let a: SockAddr = SockAddr::from(std::net::SocketAddr::new(ip.parse().unwrap(), 0));
    l.bind(&a).unwrap();
    l.listen(backlog).unwrap();
    let a = l.getsockname().unwrap();
    (l, a)
}

/// A port on `ip` that refuses connections (bound, not listening), held by the
/// socket returned.
fn refusing(ip: &str) -> (Socket, u16) {
    let family = if ip.contains(':') { Domain::INET6 } else { Domain::INET };
    let s = socket(family, Type::STREAM, Protocol::DEFAULT).unwrap();
    s.bind(&SockAddr::from(std::net::SocketAddr::new(ip.parse().unwrap(), 0))).unwrap();
    let port = s.getsockname().unwrap().port().unwrap();
    (s, port)
}

/// A listener on `ip` whose accept queue is full, so that a further SYN is
/// dropped and a connect to it hangs: the listener, its address, the queued
/// connections. `None` if this system completes such a connect anyway (the
/// hang cannot be built here).
fn hanging(ip: &str) -> Option<(Socket, SockAddr, Vec<Socket>)> {
    let (l, addr) = listener(ip, 0);
    let mut fillers = Vec::new();
    for _ in 0..4 {
        let c = socket(addr.family(), Type::STREAM.nonblocking(), Protocol::DEFAULT).unwrap();
        match connect(&c, &addr) {
            Ok(()) => {}
            Err(e) => assert_eq!(e.errno(), Some(Errno::EINPROGRESS)),
        }
        fillers.push(c);
        std::thread::sleep(Duration::from_millis(20));
    }
    // Probe: a further connect must still be pending after a while.
    let probe = socket(addr.family(), Type::STREAM, Protocol::DEFAULT).unwrap();
    match probe.connect_timeout(&addr, Duration::from_millis(300)) {
        Err(e) if e.errno() == Some(Errno::ETIMEDOUT) => Some((l, addr, fillers)),
        other => {
            println!("a full accept queue on {ip} does not hang a connect here ({other:?})");
            None
        }
    }
}

/// Skips a case this system cannot stage, saying why; never under CI.
fn skip(why: &str) {
    assert!(std::env::var("CI").as_deref() != Ok("true"), "cannot skip under CI: {why}");
    println!("skipped: {why}");
}

#[test]
fn localhost_reaches_a_listener_on_127_0_0_1_only() {
    let _g = shared();
    let (l, addr) = tcp_listener(8);
    let port = addr.port().unwrap().to_string();
    // What this machine maps "localhost" to: if ::1 is among it, that attempt
    // comes first and is refused (nobody listens there), and IPv4 wins.
    let hints = AddrInfoHints { socktype: Type::STREAM, ..Default::default() };
    let names = getaddrinfo(Some("localhost"), Some(&port), &hints).unwrap();
    assert!(names.iter().any(|ai| ai.addr == addr), "localhost is not 127.0.0.1 here: {names:?}");
    let c = tcp_connect_timeout("localhost", &port, LONG).unwrap();
    assert_eq!(c.getpeername().unwrap(), addr);
    accept_and_echo(&l, &c);
}

#[test]
fn numeric_hosts_of_either_family() {
    let _g = shared();
    for ip in ["127.0.0.1", "::1"] {
        let (l, addr) = listener(ip, 8);
        let port = addr.port().unwrap().to_string();
        let c = tcp_connect_timeout(ip, &port, LONG).unwrap();
        assert_eq!(c.getpeername().unwrap(), addr, "{ip}");
        accept_and_echo(&l, &c);
    }
}

#[test]
fn the_socket_returned_is_connected_blocking_and_close_on_exec() {
    let _g = shared();
    let (l, addr) = tcp_listener(8);
    let c = tcp_connect_timeout("127.0.0.1", &addr.port().unwrap().to_string(), LONG).unwrap();
    assert!(!c.is_nonblocking().unwrap());
    assert!(bsdsock::is_cloexec(&c).unwrap());
    assert_eq!(c.r#type().unwrap(), Type::STREAM);
    accept_and_echo(&l, &c);
}

#[test]
fn a_refused_port_names_its_address() {
    let _g = shared();
    let (_hold, port) = refusing("127.0.0.1");
    let err = tcp_connect_timeout("127.0.0.1", &port.to_string(), LONG).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::ECONNREFUSED));
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
    assert_eq!(
        err.to_string(),
        format!(
            "tcp_connect_timeout: {} (ECONNREFUSED): 127.0.0.1:{port} connect ECONNREFUSED",
            strerror(libc::ECONNREFUSED)
        )
    );
}

#[test]
fn every_address_is_named_in_the_order_tried() {
    let _g = shared();
    let held: Vec<(Socket, u16)> =
        vec![refusing("::1"), refusing("::1"), refusing("127.0.0.1"), refusing("127.0.0.1")];
    let addr = |i: usize| {
        let ip = if i < 2 { "::1" } else { "127.0.0.1" };
        numeric(ip, held[i].1)
    };
    // Given IPv4 first and a duplicate, tried IPv6 first, alternating, once each.
    let given: Vec<AddrInfo> = [2, 3, 0, 2, 1].into_iter().flat_map(addr).collect();
    let err = happy_eyeballs(&given, LONG).unwrap_err();
    let Error::Attempts { call, errno, attempts } = err else { panic!("{err:?}") };
    assert_eq!((call, errno), ("happy_eyeballs", Errno::ECONNREFUSED));
    let refused = |i: usize| Attempt {
        addr: std::net::SocketAddr::try_from(addr(i)[0].addr.clone()).unwrap(),
        call: "connect",
        errno: Errno::ECONNREFUSED,
    };
    assert_eq!(
        attempts.iter().collect::<Vec<_>>(),
        [refused(0), refused(2), refused(1), refused(3)]
    );
}

#[test]
fn a_name_that_does_not_resolve_and_a_zero_timeout_are_errors() {
    let _g = shared();
    let _ = gai_code(tcp_connect_timeout("127.0.0.1", "no-such-service", LONG));
    let r = tcp_connect_timeout("127.0.0.1", "80", Duration::ZERO);
    assert_invalid(r, "tcp_connect_timeout", "the timeout must not be zero");
    let r = happy_eyeballs(&[], LONG);
    assert_invalid(r, "happy_eyeballs", "no IP addresses to try");
}

#[test]
fn ipv4_takes_over_after_the_delay_when_ipv6_hangs() {
    let _g = shared();
    let Some((_l6, a6, _fill)) = hanging("::1") else {
        return skip("no hanging IPv6 listener on this system");
    };
    let (l4, a4) = tcp_listener(8);
    let mut given = numeric("127.0.0.1", a4.port().unwrap());
    given.extend(numeric("::1", a6.port().unwrap()));
    let t = Instant::now();
    let c = happy_eyeballs(&given, LONG).unwrap();
    // IPv6 went first (though listed second) and hung: IPv4 started one delay later.
    assert!(t.elapsed() >= CONNECTION_ATTEMPT_DELAY, "{:?}", t.elapsed());
    assert_eq!(c.getpeername().unwrap(), a4);
    accept_and_echo(&l4, &c);
}

#[test]
fn ipv6_wins_when_both_families_answer() {
    let _g = shared();
    let (l6, a6) = listener("::1", 8);
    let (_l4, a4) = tcp_listener(8);
    let mut given = numeric("127.0.0.1", a4.port().unwrap());
    given.extend(numeric("::1", a6.port().unwrap()));
    let t = Instant::now();
    let c = happy_eyeballs(&given, LONG).unwrap();
    let peer = c.getpeername().unwrap();
    // IPv6 starts first; only a machine too loaded to finish a loopback
    // handshake within the delay lets IPv4 start (and perhaps win).
    if t.elapsed() < CONNECTION_ATTEMPT_DELAY {
        assert_eq!(peer, a6);
        accept_and_echo(&l6, &c);
    } else {
        assert!(peer == a6 || peer == a4, "{peer}");
    }
}

#[test]
fn the_deadline_bounds_the_whole_call() {
    let _g = shared();
    let Some((_l, addr, _fill)) = hanging("127.0.0.1") else {
        return skip("no hanging IPv4 listener on this system");
    };
    let timeout = Duration::from_millis(600);
    let port = addr.port().unwrap();
    let t = Instant::now();
    let err = tcp_connect_timeout("127.0.0.1", &port.to_string(), timeout).unwrap_err();
    let elapsed = t.elapsed();
    assert!(elapsed >= timeout && elapsed < timeout + Duration::from_secs(2), "{elapsed:?}");
    assert_eq!(err.errno(), Some(Errno::ETIMEDOUT));
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
    assert_eq!(
        err.to_string(),
        format!(
            "tcp_connect_timeout: {} (ETIMEDOUT): 127.0.0.1:{port} connect ETIMEDOUT",
            strerror(libc::ETIMEDOUT)
        )
    );
}

/// Every path (won, lost, refused, timed out) under the exclusive lock: the
/// descriptor table is the same afterwards.
#[test]
fn no_descriptor_leaks_on_any_path() {
    let _g = exclusive();
    let (l6, a6) = listener("::1", 64);
    let (l4, a4) = tcp_listener(64);
    let (_r6, p6) = refusing("::1");
    let (_r4, p4) = refusing("127.0.0.1");
    let hang = hanging("127.0.0.1");
    let mut both = numeric("127.0.0.1", a4.port().unwrap());
    both.extend(numeric("::1", a6.port().unwrap()));
    let mut refused = numeric("::1", p6);
    refused.extend(numeric("127.0.0.1", p4));
    let round = || {
        let c = happy_eyeballs(&both, LONG).unwrap();
        let l = if c.getpeername().unwrap() == a6 { &l6 } else { &l4 };
        drop((l.accept().unwrap(), c));
        let c = tcp_connect_timeout("localhost", &a4.port().unwrap().to_string(), LONG).unwrap();
        drop((l4.accept().unwrap(), c));
        assert!(happy_eyeballs(&refused, LONG).is_err());
        if let Some((_, addr, _)) = &hang {
            let mut slow = numeric("127.0.0.1", addr.port().unwrap());
            slow.extend(refused.iter().cloned());
            let err = happy_eyeballs(&slow, Duration::from_millis(300)).unwrap_err();
            assert_eq!(err.errno(), Some(Errno::ETIMEDOUT));
        }
    };
    round(); // warm up: glibc reads its configuration once
    let before = open_fds();
    for _ in 0..5 {
        round();
    }
    assert_same_fds(&before, "tcp_connect_timeout / happy_eyeballs");
}
