//! Seed 004 reproduced (shared/seeds/004; also the TIME_WAIT and SO_REUSEADDR
//! notes of shared/seeds/003): a server that closes its connection first holds
//! the connection in TIME_WAIT, and restarting it at once on the same port fails
//! with `bind: Address already in use (EADDRINUSE)` — unless the server sets
//! SO_REUSEADDR before bind.
//!
//! ```text
//! cargo run --example time_wait            # (--demo does the same) all on 127.0.0.1
//! ```
//!
//! Each round prints the TCP state of every socket along the way, as TCP_INFO
//! reports it, and the netstat view of the server's port (read from
//! /proc/net/tcp). TCP_INFO needs an open descriptor, so the server half-closes
//! with shutdown(SHUT_WR) — the same FIN that close or exit would send — and its
//! states can still be read. Once the connection reaches TIME_WAIT, Linux moves it
//! into a small "timewait socket" that no descriptor refers to: from then on
//! TCP_INFO on the old descriptor says TCP_CLOSE and only netstat shows TIME_WAIT.
//!
//! On Linux the TIME_WAIT entry remembers whether the old socket had
//! SO_REUSEADDR: the restart succeeds only if both the old and the new server set
//! it, which is what adding setsockopt before bind to the server program does.

use std::process::ExitCode;

#[cfg(target_os = "linux")]
fn main() -> ExitCode {
    linux::main()
}

/// The program reads TCP_INFO's state and /proc/net/tcp, both Linux's.
#[cfg(not(target_os = "linux"))]
fn main() -> ExitCode {
    eprintln!("time_wait: TCP_INFO and /proc/net/tcp are Linux's; this example runs on Linux only");
    ExitCode::FAILURE
}

#[cfg(target_os = "linux")]
mod linux {

    use std::error::Error;
    use std::fs;
    use std::net::{Ipv4Addr, Shutdown, SocketAddrV4};
    use std::process::ExitCode;
    use std::thread;
    use std::time::{Duration, Instant};

    use bsdsock::opt::{SO_REUSEADDR, TCP_INFO, TcpState};
    use bsdsock::{
        Domain, Errno, MsgFlags, Protocol, SockAddr, Socket, Type, accept, bind, close, connect,
        listen, recv, setsockopt, shutdown, socket,
    };

    type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

    /// The state TCP_INFO reports for `s`.
    fn state(s: &Socket) -> Res<TcpState> {
        Ok(s.get(TCP_INFO)?.state())
    }

    /// Waits (at most 2 s) until `s` leaves `from`; loopback is quick, but the peer's
    /// answer is processed asynchronously.
    fn wait_leaving(s: &Socket, from: TcpState) -> Res<TcpState> {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            let now = state(s)?;
            if now != from || Instant::now() >= deadline {
                return Ok(now);
            }
            thread::sleep(Duration::from_millis(1));
        }
    }

    /// `a.b.c.d:port` as /proc/net/tcp writes it: the address is the in-memory
    /// (network order) u32 printed as a native integer, the port is host order.
    fn proc_addr(field: &str) -> Option<SocketAddrV4> {
        let (ip, port) = field.split_once(':')?;
        let ip = u32::from_str_radix(ip, 16).ok()?;
        let port = u16::from_str_radix(port, 16).ok()?;
        Some(SocketAddrV4::new(Ipv4Addr::from(ip.to_ne_bytes()), port))
    }

    /// The netstat view: every IPv4 TCP socket whose local address is `local`.
    fn netstat(local: SocketAddrV4) -> Res<Vec<String>> {
        let table = fs::read_to_string("/proc/net/tcp")?;
        let mut rows = Vec::new();
        for line in table.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let (Some(l), Some(r), Some(st)) = (
                f.get(1).and_then(|a| proc_addr(a)),
                f.get(2).and_then(|a| proc_addr(a)),
                f.get(3).and_then(|s| i32::from_str_radix(s, 16).ok()),
            ) else {
                continue;
            };
            if l == local {
                rows.push(format!("{l} <-> {r} {:?}", TcpState::from_raw(st)));
            }
        }
        Ok(rows)
    }

    /// Socket, [SO_REUSEADDR], bind: the start of the seed's server.
    fn server_socket(reuseaddr: bool) -> Res<Socket> {
        let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
        if reuseaddr {
            setsockopt(&s, SO_REUSEADDR, true)?;
        }
        Ok(s)
    }

    /// One run of seed 004's server and client; returns the address the server had.
    fn serve_and_close_first(reuseaddr: bool) -> Res<SockAddr> {
        let listenfd = server_socket(reuseaddr)?;
        bind(&listenfd, &"127.0.0.1:0".parse()?)?;
        listen(&listenfd, 20)?;
        let addr = listenfd.getsockname()?;
        let opt = if reuseaddr { "setsockopt(SO_REUSEADDR, 1), " } else { "" };
        println!("server: {opt}bind + listen on {addr}");

        let client = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
        connect(&client, &addr)?;
        let (connfd, _) = accept(&listenfd)?;
        println!("client: connected from {}", client.getsockname()?);
        println!(
            "TCP_INFO: listener {:?}, server conn {:?}, client {:?}",
            state(&listenfd)?,
            state(&connfd)?,
            state(&client)?
        );

        shutdown(&connfd, Shutdown::Write)?;
        println!("server: shutdown(SHUT_WR) sends FIN first: the active close");
        let server_now = wait_leaving(&connfd, TcpState::FIN_WAIT1)?;
        let client_now = wait_leaving(&client, TcpState::ESTABLISHED)?;
        println!("TCP_INFO: server conn {server_now:?}, client {client_now:?}");

        let mut buf = [0u8; 64];
        let n = recv(&client, &mut buf, MsgFlags::empty())?;
        println!("client: read -> {n} (the server closed); close() sends FIN: the passive close");
        close(client)?;
        let server_now = wait_leaving(&connfd, TcpState::FIN_WAIT2)?;
        println!(
            "TCP_INFO: server conn {server_now:?} (its connection now lives on without a descriptor)"
        );

        close(connfd)?;
        close(listenfd)?;
        println!("server: exits, every descriptor closed");
        let SockAddr::Inet(local) = addr else { return Err("not an IPv4 address".into()) };
        let local = SocketAddrV4::from(local);
        for row in netstat(local)? {
            println!("netstat: {row}");
        }
        Ok(addr)
    }

    /// Starts the server again on `addr`: Ok(listening socket) or the bind error.
    fn restart(
        addr: &SockAddr,
        reuseaddr: bool,
        label: &str,
    ) -> Res<Result<Socket, bsdsock::Error>> {
        let s = server_socket(reuseaddr)?;
        match bind(&s, addr) {
            Ok(()) => {
                listen(&s, 20)?;
                println!("restart {label}: bind({addr}) -> ok, listening again");
                Ok(Ok(s))
            }
            Err(e) => {
                println!("restart {label}: bind({addr}) -> {e}");
                Ok(Err(e))
            }
        }
    }

    fn demo() -> Res<()> {
        println!(
            "time_wait: seed 004 on 127.0.0.1; the server closes first, so it holds TIME_WAIT"
        );

        println!("\n== 1. the seed's server: no SO_REUSEADDR");
        let addr = serve_and_close_first(false)?;
        let plain = restart(&addr, false, "without SO_REUSEADDR")?;
        // On the new socket only, it is not enough: the TIME_WAIT entry has the old setting.
        let _ = restart(&addr, true, "with SO_REUSEADDR on the new socket only")?;
        if plain.as_ref().err().and_then(bsdsock::Error::errno) != Some(Errno::EADDRINUSE) {
            return Err("the restart was expected to fail with EADDRINUSE".into());
        }

        println!("\n== 2. the fix: setsockopt(SO_REUSEADDR, 1) before bind, in the server program");
        let addr = serve_and_close_first(true)?;
        let listenfd =
            restart(&addr, true, "with SO_REUSEADDR")?.map_err(|e| format!("unexpected: {e}"))?;
        let client = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
        connect(&client, &addr)?;
        let (_conn, peer) = accept(&listenfd)?;
        println!(
            "restarted server: accepted a new client from {peer} while the old one is in TIME_WAIT"
        );
        Ok(())
    }

    pub(super) fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let result = match args.as_slice() {
            [] => demo(),
            [flag] if flag == "--demo" => demo(),
            _ => Err("usage: time_wait [--demo]   (runs on 127.0.0.1 only)".into()),
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("time_wait: {e}");
                ExitCode::FAILURE
            }
        }
    }
}
