//! (g) How a connection ends, across a link: SO_LINGER 0 aborts it with an RST
//! that the peer reads as `ECONNRESET`, and leaves no TIME_WAIT; an orderly
//! close leaves the active closer's end in TIME_WAIT, and its port busy (Stevens'
//! UNP Vol. 1 §2.7 and §7.5; socket(7) SO_LINGER).
//!
//! TIME_WAIT cannot be read from the closer's descriptor: TCP_INFO shows
//! FIN_WAIT2 while the peer has not closed, but once the peer's FIN arrives
//! Linux hands the connection to a small timewait socket that no descriptor
//! refers to, and TCP_INFO on the old one reports TCP_CLOSE. So the test reads
//! TIME_WAIT where netstat does, in the namespace's /proc/net/tcp, and checks
//! its effect: binding the same address and port again fails with EADDRINUSE.

use std::net::{Shutdown, SocketAddrV4};
use std::time::{Duration, Instant};

use bsdsock::opt::{SO_LINGER, SO_RCVTIMEO, TCP_INFO, TcpState};
use bsdsock::{Domain, Errno, MsgFlags, Protocol, SockAddr, Socket, Type, close, socket};

use crate::harness::{Lab, Ns, addr, retry_eintr, wait_until};

/// A connection across a veth: client side (in `client`), server side and
/// listener (in `server`), and the two addresses.
fn connection(client: &Ns, server: &Ns) -> (Socket, Socket, Socket, SocketAddrV4, SocketAddrV4) {
    let l = server.run(|| {
        let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
        l.bind(&"192.0.2.2:0".parse().unwrap()).unwrap();
        l.listen(1).unwrap();
        l
    });
    let to = l.getsockname().unwrap();
    let c = client.run(|| {
        let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
        c.connect_timeout(&to, Duration::from_secs(5)).unwrap();
        c
    });
    c.set(SO_RCVTIMEO, Some(Duration::from_secs(5))).unwrap();
    let (s, _) = l.accept().unwrap();
    let v4 = |a: SockAddr| match std::net::SocketAddr::try_from(a).unwrap() {
        std::net::SocketAddr::V4(a) => a,
        other => panic!("not IPv4: {other}"),
    };
    let (client_addr, server_addr) = (v4(c.getsockname().unwrap()), v4(to));
    (c, s, l, client_addr, server_addr)
}

fn two_hosts() -> Option<Lab> {
    let lab = Lab::new(&["client", "server"])?;
    let (client, server) = (lab.ns("client"), lab.ns("server"));
    lab.veth(client, "c0", server, "s0", None);
    addr(client, "c0", "192.0.2.1/24");
    addr(server, "s0", "192.0.2.2/24");
    Some(lab)
}

/// The state netstat shows for `local` <-> `remote` in `ns`, if it lists it.
fn netstat(ns: &Ns, local: SocketAddrV4, remote: SocketAddrV4) -> Option<TcpState> {
    ns.tcp_table().into_iter().find(|(l, r, _)| *l == local && *r == remote).map(|(_, _, s)| s)
}

#[test]
fn linger_zero_resets_the_peer_and_leaves_no_time_wait() {
    let Some(lab) = two_hosts() else { return };
    let (client, server) = (lab.ns("client"), lab.ns("server"));
    let (c, s, _l, client_addr, server_addr) = connection(client, server);
    s.set(SO_LINGER, Some(Duration::ZERO)).unwrap();
    assert_eq!(s.get(SO_LINGER).unwrap(), Some(Duration::ZERO));
    close(s).unwrap();

    let start = Instant::now();
    let err = retry_eintr(|| c.recv(&mut [0u8; 8], MsgFlags::empty())).unwrap_err();
    eprintln!("linger 0: the peer read {err} after {:?}", start.elapsed());
    assert_eq!(err.errno(), Some(Errno::ECONNRESET), "{err}");
    assert_eq!(c.get(TCP_INFO).unwrap().state(), TcpState::CLOSE);
    // The abortive close skipped TIME_WAIT: the server lists no such connection.
    assert_eq!(netstat(server, server_addr, client_addr), None);
}

#[test]
fn an_orderly_close_leaves_time_wait_on_the_active_closer() {
    let Some(lab) = two_hosts() else { return };
    let (client, server) = (lab.ns("client"), lab.ns("server"));
    let (c, s, l, client_addr, server_addr) = connection(client, server);
    let state = |s: &Socket| s.get(TCP_INFO).unwrap().state();
    let limit = Duration::from_secs(2);

    // The server closes first (its FIN, as close would send, but the descriptor
    // stays open for TCP_INFO); the client's ACK moves it to FIN_WAIT2.
    s.shutdown(Shutdown::Write).unwrap();
    assert!(wait_until(limit, || state(&s) == TcpState::FIN_WAIT2), "server: {:?}", state(&s));
    let n = retry_eintr(|| c.recv(&mut [0u8; 8], MsgFlags::empty())).unwrap();
    assert_eq!(n, 0, "end of file");
    assert_eq!(state(&c), TcpState::CLOSE_WAIT);

    // The client's close brings the last FIN: the server side enters TIME_WAIT,
    // which its old descriptor no longer shows.
    close(c).unwrap();
    let start = Instant::now();
    assert!(wait_until(limit, || state(&s) == TcpState::CLOSE), "server: {:?}", state(&s));
    let tw = netstat(server, server_addr, client_addr);
    eprintln!("orderly close: server side {tw:?} after {:?}", start.elapsed());
    assert_eq!(tw, Some(TcpState::TIME_WAIT));
    // The passive closer keeps nothing once its FIN is acknowledged.
    assert!(
        wait_until(limit, || netstat(client, client_addr, server_addr).is_none()),
        "client side: {:?}",
        netstat(client, client_addr, server_addr)
    );

    // With every descriptor closed, TIME_WAIT alone holds the port.
    drop((s, l));
    let again = server.run(|| socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap());
    let err = again.bind(&SockAddr::from(server_addr)).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::EADDRINUSE), "{err}");
    assert_eq!(netstat(server, server_addr, client_addr), Some(TcpState::TIME_WAIT));
}
