//! The effects of the options, as chapter 7 of Stevens' UNIX Network
//! Programming describes them.

use std::net::{Ipv4Addr, SocketAddrV4};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use bsdsock::opt::{self, getsockopt, setsockopt};
use bsdsock::{
    Domain, Errno, MsgFlags, Protocol, SockAddr, Type, connect, recv, recvfrom, sendto, socket,
    socketpair,
};

use crate::opt_common::*;

#[test]
fn so_reuseaddr_rebinds_while_time_wait_holds_the_port() {
    // The server closes first, so its side of the connection sits in TIME_WAIT.
    let server = tcp4();
    setsockopt(&server, opt::SO_REUSEADDR, true).unwrap();
    server.bind(&loopback(0)).unwrap();
    server.listen(1).unwrap();
    let addr = server.getsockname().unwrap();
    let client = tcp4();
    client.connect(&addr).unwrap();
    let (conn, _) = server.accept().unwrap();
    drop(conn); // active close: FIN from the server side
    let mut buf = [0u8; 1];
    assert_eq!(client.recv(&mut buf, MsgFlags::empty()).unwrap(), 0); // EOF
    drop(client); // the client's FIN moves the server side to TIME_WAIT
    drop(server);

    let info_time_wait = || {
        std::fs::read_to_string("/proc/net/tcp").unwrap().lines().skip(1).any(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f[1].ends_with(&format!(":{:04X}", addr.port().unwrap())) && f[3] == "06"
        })
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    while !info_time_wait() {
        assert!(Instant::now() < deadline, "no TIME_WAIT entry appeared");
        std::thread::sleep(Duration::from_millis(10));
    }

    let without = tcp4();
    assert_eq!(without.bind(&addr).unwrap_err().errno(), Some(Errno::EADDRINUSE));
    let with = tcp4();
    setsockopt(&with, opt::SO_REUSEADDR, true).unwrap();
    with.bind(&addr).unwrap();
    with.listen(1).unwrap();
    assert!(getsockopt(&with, opt::SO_ACCEPTCONN).unwrap());
}

#[test]
fn so_linger_zero_resets_the_peer() {
    let (client, conn) = tcp_pair();
    setsockopt(&client, opt::SO_RCVTIMEO, Some(Duration::from_secs(5))).unwrap();
    conn.send(b"unread", MsgFlags::empty()).unwrap();
    setsockopt(&conn, opt::SO_LINGER, Some(Duration::ZERO)).unwrap();
    drop(conn); // abortive close: RST
    let mut buf = [0u8; 16];
    let err = loop {
        // Data that arrived before the RST may be discarded or read first.
        match client.recv(&mut buf, MsgFlags::empty()) {
            Ok(n) if n > 0 => continue,
            Ok(_) => panic!("orderly EOF instead of a reset"),
            Err(e) => break e,
        }
    };
    assert_eq!(err.errno(), Some(Errno::ECONNRESET));
}

#[test]
fn so_rcvtimeo_bounds_a_blocking_recv() {
    let (s, _) = bound_udp4();
    let timeout = Duration::from_millis(150);
    setsockopt(&s, opt::SO_RCVTIMEO, Some(timeout)).unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 4];
    let err = recv(&s, &mut buf, MsgFlags::empty()).unwrap_err();
    let waited = start.elapsed();
    assert_eq!(err.errno(), Some(Errno::EAGAIN));
    assert!(waited >= timeout, "returned after {waited:?}, before the timeout");
    assert!(waited < Duration::from_secs(10), "blocked {waited:?}");
}

#[test]
fn so_broadcast_is_needed_for_the_loopback_broadcast_address() {
    let rx = udp4();
    rx.bind(&SockAddr::from(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0))).unwrap();
    setsockopt(&rx, opt::SO_RCVTIMEO, Some(Duration::from_secs(5))).unwrap();
    let port = rx.getsockname().unwrap().port().unwrap();
    let bcast = SockAddr::from(SocketAddrV4::new(Ipv4Addr::new(127, 255, 255, 255), port));
    let tx = udp4();
    let err = sendto(&tx, b"all", MsgFlags::empty(), &bcast).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::EACCES));
    setsockopt(&tx, opt::SO_BROADCAST, true).unwrap();
    assert_eq!(sendto(&tx, b"all", MsgFlags::empty(), &bcast).unwrap(), 3);
    let mut buf = [0u8; 8];
    let (n, from) = recvfrom(&rx, &mut buf, MsgFlags::empty()).unwrap();
    assert_eq!(&buf[..n], b"all");
    assert_eq!(from.port(), tx.getsockname().unwrap().port());
}

#[test]
fn so_error_holds_the_refused_nonblocking_connect() {
    // A bound port with no listener refuses connections.
    let closed = tcp4();
    closed.bind(&loopback(0)).unwrap();
    let addr = closed.getsockname().unwrap();
    let c = socket(Domain::INET, Type::STREAM.nonblocking(), Protocol::DEFAULT).unwrap();
    match connect(&c, &addr) {
        Err(e) if e.errno() == Some(Errno::EINPROGRESS) => {}
        other => panic!("expected EINPROGRESS, got {other:?}"),
    }
    let mut pfd = libc::pollfd { fd: c.as_raw_fd(), events: libc::POLLOUT, revents: 0 };
    // SAFETY: pfd is one valid pollfd.
    let n = unsafe { libc::poll(&mut pfd, 1, 5000) };
    assert_eq!(n, 1, "the connect attempt did not finish");
    assert_eq!(getsockopt(&c, opt::SO_ERROR).unwrap(), Some(Errno::ECONNREFUSED));
    // Reading it cleared it.
    assert_eq!(getsockopt(&c, opt::SO_ERROR).unwrap(), None);
}

#[test]
fn so_acceptconn_and_so_type() {
    let s = tcp4();
    s.bind(&loopback(0)).unwrap();
    assert!(!getsockopt(&s, opt::SO_ACCEPTCONN).unwrap());
    s.listen(5).unwrap();
    assert!(getsockopt(&s, opt::SO_ACCEPTCONN).unwrap());
    let c = tcp4();
    c.connect(&s.getsockname().unwrap()).unwrap();
    let (conn, _) = s.accept().unwrap();
    assert!(!getsockopt(&conn, opt::SO_ACCEPTCONN).unwrap());
    assert_eq!(getsockopt(&conn, opt::SO_TYPE).unwrap(), Type::STREAM);
    assert_eq!(getsockopt(udp4(), opt::SO_TYPE).unwrap(), Type::DGRAM);
    let (a, _b) = socketpair(Domain::UNIX, Type::SEQPACKET, Protocol::DEFAULT).unwrap();
    assert_eq!(getsockopt(&a, opt::SO_TYPE).unwrap(), Type::SEQPACKET);
}

#[test]
fn ip_multicast_join_and_leave_on_loopback() {
    use bsdsock::opt::IpMreq;
    let group = Ipv4Addr::new(239, 77, 2, 2);
    let rx = udp4();
    setsockopt(&rx, opt::SO_REUSEADDR, true).unwrap();
    rx.bind(&SockAddr::from(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0))).unwrap();
    let port = rx.getsockname().unwrap().port().unwrap();
    setsockopt(&rx, opt::SO_RCVTIMEO, Some(Duration::from_millis(300))).unwrap();
    setsockopt(&rx, opt::IP_MULTICAST_ALL, false).unwrap(); // only groups this socket joined
    let mreq = IpMreq { multiaddr: group, interface: Ipv4Addr::LOCALHOST };
    setsockopt(&rx, opt::IP_ADD_MEMBERSHIP, mreq).unwrap();

    // Sent out of the loopback interface, TTL 0: it never leaves this host.
    let tx = udp4();
    setsockopt(&tx, opt::IP_MULTICAST_IF, Ipv4Addr::LOCALHOST).unwrap();
    setsockopt(&tx, opt::IP_MULTICAST_TTL, 0).unwrap();
    setsockopt(&tx, opt::IP_MULTICAST_LOOP, true).unwrap();
    let to = SockAddr::from(SocketAddrV4::new(group, port));
    sendto(&tx, b"joined", MsgFlags::empty(), &to).unwrap();
    let mut buf = [0u8; 16];
    let (n, _) = recvfrom(&rx, &mut buf, MsgFlags::empty()).unwrap();
    assert_eq!(&buf[..n], b"joined");

    setsockopt(&rx, opt::IP_DROP_MEMBERSHIP, mreq).unwrap();
    sendto(&tx, b"left", MsgFlags::empty(), &to).unwrap();
    assert_eq!(recv(&rx, &mut buf, MsgFlags::empty()).unwrap_err().errno(), Some(Errno::EAGAIN));
    assert_eq!(
        setsockopt(&rx, opt::IP_DROP_MEMBERSHIP, mreq).unwrap_err().errno(),
        Some(Errno::EADDRNOTAVAIL)
    );
}
