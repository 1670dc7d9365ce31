//! (a) Keep-alive finds a peer that vanished without a word: the scenario of
//! Stevens' *UNIX Network Programming* Vol. 1 §7.5 (SO_KEEPALIVE) and tcp(7)'s
//! `tcp_keepalive_*`. A client idles on a connection; the server's cable is
//! pulled (its veth deleted at the switch: no FIN, no RST, no ICMP reaches the
//! client, whose own link stays up); the keep-alive probes go unanswered and the
//! blocked `recv` fails with `ETIMEDOUT` after idle + count x interval =
//! 1 + 3 x 1 = 4 s. A second connection, to a server whose cable stays in, has
//! its probes answered and lives on: the probes, not the idleness, decide.

use std::thread;
use std::time::{Duration, Instant};

use bsdsock::opt::{
    SO_KEEPALIVE, SO_RCVTIMEO, TCP_INFO, TCP_KEEPCNT, TCP_KEEPIDLE, TCP_KEEPINTVL, TcpState,
};
use bsdsock::{Domain, Errno, MsgFlags, Protocol, SockAddr, Socket, Type, readn, socket, writen};

use crate::harness::{Lab, addr, retry_eintr};

const IDLE: Duration = Duration::from_secs(1);
const INTERVAL: Duration = Duration::from_secs(1);
const COUNT: u32 = 3;

/// A listener on `ip` port 0, and its address.
fn listener(ip: &str) -> (Socket, SockAddr) {
    let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    l.bind(&format!("{ip}:0").parse().unwrap()).unwrap();
    l.listen(1).unwrap();
    let a = l.getsockname().unwrap();
    (l, a)
}

/// A client socket with keep-alive after IDLE, every INTERVAL, COUNT probes,
/// connected to `to`; every receive bounded by 20 s.
fn keepalive_client(to: &SockAddr) -> Socket {
    let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    c.set(SO_KEEPALIVE, true).unwrap();
    c.set(TCP_KEEPIDLE, IDLE).unwrap();
    c.set(TCP_KEEPINTVL, INTERVAL).unwrap();
    c.set(TCP_KEEPCNT, COUNT).unwrap();
    c.set(SO_RCVTIMEO, Some(Duration::from_secs(20))).unwrap();
    c.connect_timeout(to, Duration::from_secs(5)).unwrap();
    c
}

/// One request and its answer, so that both ends have data behind them.
fn ping_pong(client: &Socket, server: &Socket) {
    server.set(SO_RCVTIMEO, Some(Duration::from_secs(5))).unwrap();
    writen(client, b"ping").unwrap();
    let mut b = [0u8; 4];
    assert_eq!(readn(server, &mut b).unwrap(), 4);
    writen(server, b"pong").unwrap();
    assert_eq!(readn(client, &mut b).unwrap(), 4);
    assert_eq!(&b, b"pong");
}

#[test]
fn keepalive_finds_a_peer_whose_cable_was_pulled() {
    let Some(lab) = Lab::new(&["client", "switch", "server", "witness"]) else { return };
    let (client, switch, server, witness) =
        (lab.ns("client"), lab.ns("switch"), lab.ns("server"), lab.ns("witness"));
    // Three hosts on one switch (a bridge): pulling one host's cable leaves the
    // others' links up, as on a real LAN.
    switch.ip(&["link", "add", "br0", "type", "bridge"]);
    switch.ip(&["link", "set", "br0", "up"]);
    for (host, ifname, port) in [(client, "c0", "pc"), (server, "s0", "ps"), (witness, "w0", "pw")]
    {
        lab.veth(host, ifname, switch, port, None);
        switch.ip(&["link", "set", port, "master", "br0"]);
    }
    addr(client, "c0", "192.0.2.1/24");
    addr(server, "s0", "192.0.2.2/24");
    addr(witness, "w0", "192.0.2.3/24");

    let (dead_l, dead_addr) = server.run(|| listener("192.0.2.2"));
    let (live_l, live_addr) = witness.run(|| listener("192.0.2.3"));
    let (to_dead, to_live) =
        client.run(|| (keepalive_client(&dead_addr), keepalive_client(&live_addr)));
    assert_eq!(to_dead.get(TCP_KEEPCNT).unwrap(), COUNT);
    let (dead_peer, _) = dead_l.accept().unwrap();
    let (live_peer, _) = live_l.accept().unwrap();
    ping_pong(&to_live, &live_peer);
    ping_pong(&to_dead, &dead_peer);
    // The idle time counts from the last segment received: now.
    let idle_since = Instant::now();

    // Pull the server's cable: delete its veth at the switch (both ends go).
    switch.ip(&["link", "del", "ps"]);

    // The client waits for data that will never come; meanwhile TCP_INFO shows
    // the unanswered probes mounting.
    let (result, elapsed, max_probes) = thread::scope(|s| {
        let waiter = s.spawn(|| {
            let r = retry_eintr(|| to_dead.recv(&mut [0u8; 16], MsgFlags::empty()));
            (r, idle_since.elapsed())
        });
        let mut max_probes = 0;
        while !waiter.is_finished() {
            if let Ok(info) = to_dead.get(TCP_INFO) {
                if info.state() == TcpState::ESTABLISHED {
                    max_probes = max_probes.max(info.probes());
                }
            }
            thread::sleep(Duration::from_millis(20));
        }
        let (r, elapsed) = waiter.join().unwrap();
        (r, elapsed, max_probes)
    });
    eprintln!("keepalive: dead peer detected after {:.2} s ({result:?})", elapsed.as_secs_f64());
    let err = result.expect_err("recv on a connection whose peer is gone");
    assert_eq!(err.errno(), Some(Errno::ETIMEDOUT), "{err}");
    // 1 s idle + 3 probes 1 s apart = 4 s; the window allows a loaded machine.
    assert!(
        (Duration::from_secs(3)..=Duration::from_secs(8)).contains(&elapsed),
        "detected after {elapsed:?}, expected about 4 s"
    );
    assert_eq!(max_probes, COUNT as u8, "unanswered probes seen in TCP_INFO");
    assert_eq!(to_dead.get(TCP_INFO).unwrap().state(), TcpState::CLOSE);

    // The peer never heard of it: no FIN or RST crossed (its side is still open).
    assert_eq!(dead_peer.get(TCP_INFO).unwrap().state(), TcpState::ESTABLISHED);

    // The witness, idle as long, answered every probe and is alive.
    let info = to_live.get(TCP_INFO).unwrap();
    assert_eq!(info.state(), TcpState::ESTABLISHED);
    assert_eq!(info.probes(), 0, "the witness's probes were answered");
    assert!(info.last_data_recv() >= Duration::from_secs(3), "{:?}", info.last_data_recv());
    assert!(
        info.last_ack_recv() < Duration::from_millis(1500),
        "a probe's ACK came {:?} ago",
        info.last_ack_recv()
    );
    ping_pong(&to_live, &live_peer);
}
