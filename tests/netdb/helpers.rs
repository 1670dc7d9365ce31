//! The helpers of Stevens' *UNIX Network Programming* (tcp_connect, tcp_listen,
//! udp_client, udp_connect, udp_server, and connect_first under them), end to end
//! over loopback.

use bsdsock::netdb::{
    AddrInfoHints, AiFlags, EaiCode, connect_first, getaddrinfo, tcp_connect, tcp_listen,
    udp_client, udp_connect, udp_server,
};
use bsdsock::{Domain, Errno, Error, MsgFlags, Type};

use crate::common::raw_sockopt_int;
use crate::support::{accept_and_echo, closed_port, numeric, shared};

#[test]
fn tcp_listen_and_tcp_connect_by_name() {
    let _g = shared();
    let server = tcp_listen(Some("localhost"), "0", 5).unwrap();
    let local = server.getsockname().unwrap();
    assert!(local.ip().unwrap().is_loopback());
    assert_eq!(raw_sockopt_int(&server, libc::SOL_SOCKET, libc::SO_REUSEADDR), 1);
    assert_eq!(raw_sockopt_int(&server, libc::SOL_SOCKET, libc::SO_ACCEPTCONN), 1);
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
    assert_eq!(raw_sockopt_int(&server, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY), 0);
    assert_eq!(raw_sockopt_int(&server, libc::SOL_SOCKET, libc::SO_REUSEADDR), 1);
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
    assert_eq!(raw_sockopt_int(&server, libc::SOL_SOCKET, libc::SO_REUSEADDR), 0);
    assert_eq!(raw_sockopt_int(&server, libc::SOL_SOCKET, libc::SO_TYPE), libc::SOCK_DGRAM);
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
    assert_eq!(raw_sockopt_int(&server, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY), 0);
    let port = local.port().unwrap().to_string();
    let mut buf = [0u8; 16];
    for host in ["127.0.0.1", "::1"] {
        let c = udp_connect(host, &port).unwrap();
        c.send(host.as_bytes(), MsgFlags::empty()).unwrap();
        let n = server.recv(&mut buf, MsgFlags::empty()).unwrap();
        assert_eq!(&buf[..n], host.as_bytes());
    }
}

#[test]
fn helper_failures_return_the_last_error() {
    let _g = shared();
    let (_hold, port) = closed_port();
    let e = tcp_connect("localhost", &port.to_string()).unwrap_err();
    assert_eq!(e.errno(), Some(Errno::ECONNREFUSED));
    assert_eq!(
        e.to_string(),
        format!("connect: {} (ECONNREFUSED)", crate::common::strerror(libc::ECONNREFUSED))
    );
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
