//! SO_LINGER and what close() does (the SO_LINGER notes of shared/seeds/001 and
//! the setsockopt notes of shared/seeds/003): by default close() sends FIN and
//! the peer reads end-of-file (0); with SO_LINGER set to `Some(Duration::ZERO)`
//! (`l_onoff = 1, l_linger = 0`) close() sends RST instead, the peer's read fails
//! with ECONNRESET, and the closing side skips TIME_WAIT. With a positive time,
//! close() blocks until the peer has acknowledged the data still queued, or the
//! time runs out (Linux then returns 0 all the same, and keeps sending).
//!
//! ```text
//! cargo run --example linger               # (--demo does the same) all on 127.0.0.1
//! ```
//!
//! The client's state comes from TCP_INFO on its descriptor; the server's side,
//! whose descriptor is closed, from the netstat view (/proc/net/tcp).
//! An abortive close throws away unsent data and leaves the peer an error: it is
//! for giving up on a connection, not a way to avoid TIME_WAIT (time_wait.rs).

use std::process::ExitCode;

#[cfg(target_os = "linux")]
fn main() -> ExitCode {
    linux::main()
}

/// The program reads TCP_INFO's state and /proc/net/tcp, both Linux's.
#[cfg(not(target_os = "linux"))]
fn main() -> ExitCode {
    eprintln!("linger: TCP_INFO and /proc/net/tcp are Linux's; this example runs on Linux only");
    ExitCode::FAILURE
}

#[cfg(target_os = "linux")]
mod linux {

    use std::error::Error;
    use std::fs;
    use std::net::{Ipv4Addr, SocketAddrV4};
    use std::process::ExitCode;
    use std::thread;
    use std::time::{Duration, Instant};

    use bsdsock::opt::{SO_LINGER, SO_RCVTIMEO, TCP_INFO, TcpState};
    use bsdsock::{
        Domain, Errno, MsgFlags, Protocol, SockAddr, Socket, Type, accept, bind, close, connect,
        getsockopt, listen, recv, send, set_nonblocking, setsockopt, socket,
    };

    type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

    /// `a.b.c.d:port` as /proc/net/tcp writes it: the address is the in-memory
    /// (network order) u32 printed as a native integer, the port is host order.
    fn proc_addr(field: &str) -> Option<SocketAddrV4> {
        let (ip, port) = field.split_once(':')?;
        let ip = u32::from_str_radix(ip, 16).ok()?;
        let port = u16::from_str_radix(port, 16).ok()?;
        Some(SocketAddrV4::new(Ipv4Addr::from(ip.to_ne_bytes()), port))
    }

    /// The netstat state of the connection `local` <-> `remote`, if the kernel still
    /// has one.
    fn netstat(local: &SockAddr, remote: &SockAddr) -> Res<Option<TcpState>> {
        let (SockAddr::Inet(l), SockAddr::Inet(r)) = (local, remote) else {
            return Err("not IPv4 addresses".into());
        };
        let (l, r) = (SocketAddrV4::from(*l), SocketAddrV4::from(*r));
        for line in fs::read_to_string("/proc/net/tcp")?.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let (Some(fl), Some(fr)) =
                (f.get(1).and_then(|a| proc_addr(a)), f.get(2).and_then(|a| proc_addr(a)))
            else {
                continue;
            };
            if (fl, fr) == (l, r) {
                let st = f.get(3).and_then(|s| i32::from_str_radix(s, 16).ok()).ok_or("bad row")?;
                return Ok(Some(TcpState::from_raw(st)));
            }
        }
        Ok(None)
    }

    /// Polls the server side's netstat state (at most 2 s) until it is not `from`.
    fn netstat_leaving(
        local: &SockAddr,
        remote: &SockAddr,
        from: TcpState,
    ) -> Res<Option<TcpState>> {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            let now = netstat(local, remote)?;
            if now != Some(from) || Instant::now() >= deadline {
                return Ok(now);
            }
            thread::sleep(Duration::from_millis(1));
        }
    }

    fn show(state: Option<TcpState>) -> String {
        state.map_or("no entry".to_string(), |s| format!("{s:?}"))
    }

    /// A loopback listener, a client connected to it and the accepted socket.
    fn connection() -> Res<(Socket, Socket, Socket)> {
        let listenfd = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
        bind(&listenfd, &"127.0.0.1:0".parse()?)?;
        listen(&listenfd, 5)?;
        let client = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
        client.set(SO_RCVTIMEO, Some(Duration::from_secs(5)))?; // never hang the demo
        connect(&client, &listenfd.getsockname()?)?;
        let (conn, _) = accept(&listenfd)?;
        Ok((listenfd, conn, client))
    }

    fn orderly() -> Res<()> {
        println!("== 1. close() with SO_LINGER off, the default: FIN");
        let (listenfd, conn, client) = connection()?;
        let (server_side, client_side) = (conn.getsockname()?, client.getsockname()?);
        println!(
            "server: getsockopt(SO_LINGER) -> {:?} (l_onoff = 0)",
            getsockopt(&conn, SO_LINGER)?
        );
        close(conn)?;
        close(listenfd)?;
        println!("server: close()");
        let mut buf = [0u8; 64];
        let n = recv(&client, &mut buf, MsgFlags::empty())?;
        println!("client: recv -> {n}: end of file, the server sent FIN");
        if n != 0 {
            return Err("expected end of file".into());
        }
        println!("client: TCP_INFO state {:?}", client.get(TCP_INFO)?.state());
        let st = netstat_leaving(&server_side, &client_side, TcpState::FIN_WAIT1)?;
        println!("netstat: server side {server_side} -> {}", show(st));
        close(client)?;
        let st = netstat_leaving(&server_side, &client_side, TcpState::FIN_WAIT2)?;
        println!("client: close(); netstat: server side {server_side} -> {}", show(st));
        Ok(())
    }

    fn abortive() -> Res<()> {
        println!("\n== 2. close() with SO_LINGER = Some(0s): RST");
        let (listenfd, conn, client) = connection()?;
        let (server_side, client_side) = (conn.getsockname()?, client.getsockname()?);
        setsockopt(&conn, SO_LINGER, Some(Duration::ZERO))?;
        println!(
            "server: setsockopt(SO_LINGER, Some(0s)) -> {:?} (l_onoff = 1, l_linger = 0)",
            getsockopt(&conn, SO_LINGER)?
        );
        close(conn)?;
        close(listenfd)?;
        println!("server: close()");
        let mut buf = [0u8; 64];
        match recv(&client, &mut buf, MsgFlags::empty()) {
            Err(e) if e.errno() == Some(Errno::ECONNRESET) => println!("client: recv -> {e}"),
            other => return Err(format!("expected ECONNRESET, got {other:?}").into()),
        }
        println!("client: TCP_INFO state {:?}", client.get(TCP_INFO)?.state());
        println!(
            "netstat: server side {server_side} -> {} (no TIME_WAIT after an RST)",
            show(netstat(&server_side, &client_side)?)
        );
        let again = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
        bind(&again, &server_side)?;
        println!("server: bind({server_side}) again without SO_REUSEADDR -> ok");
        Ok(())
    }

    /// Queues as much as the kernel takes without blocking (the client is not
    /// reading), then makes the socket blocking again: a non-blocking socket does
    /// not linger in close().
    fn fill(s: &Socket) -> Res<usize> {
        set_nonblocking(s, true)?;
        let chunk = [0x5au8; 64 * 1024];
        let mut queued = 0;
        loop {
            match send(s, &chunk, MsgFlags::empty()) {
                Ok(n) => queued += n,
                Err(e) if e.errno() == Some(Errno::EAGAIN) => break,
                Err(e) => return Err(e.into()),
            }
        }
        set_nonblocking(s, false)?;
        Ok(queued)
    }

    /// Reads until end of file, after `delay`; returns the byte count.
    fn drain(client: Socket, delay: Duration) -> Res<usize> {
        thread::sleep(delay);
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0;
        loop {
            match recv(&client, &mut buf, MsgFlags::empty())? {
                0 => return Ok(total),
                n => total += n,
            }
        }
    }

    fn lingering() -> Res<()> {
        println!("\n== 3. close() with data the client has not read yet");
        let cases = [
            (None, Some(Duration::ZERO), "SO_LINGER off"),
            (
                Some(Duration::from_secs(1)),
                Some(Duration::from_millis(300)),
                "SO_LINGER Some(1s), the client reads after 300 ms",
            ),
            (Some(Duration::from_secs(1)), None, "SO_LINGER Some(1s), the client never reads"),
        ];
        for (linger, read_after, label) in cases {
            let (listenfd, conn, client) = connection()?;
            close(listenfd)?;
            let queued = fill(&conn)?;
            setsockopt(&conn, SO_LINGER, linger)?;
            let (reader, idle) = match read_after {
                Some(delay) => (Some(thread::spawn(move || drain(client, delay))), None),
                None => (None, Some(client)), // open, never read, until close() is done
            };
            let start = Instant::now();
            close(conn)?;
            let took = start.elapsed().as_millis();
            drop(idle);
            println!("server: {label}: {queued} bytes queued, close() returned after {took} ms");
            if let Some(reader) = reader {
                let got = reader.join().map_err(|_| "reader panicked")??;
                println!("client: read {got} bytes, then end of file");
                if got != queued {
                    return Err(format!("{queued} bytes were queued, {got} arrived").into());
                }
            }
        }
        Ok(())
    }

    fn demo() -> Res<()> {
        orderly()?;
        abortive()?;
        lingering()
    }

    pub(super) fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let result = match args.as_slice() {
            [] => demo(),
            [flag] if flag == "--demo" => demo(),
            _ => Err("usage: linger [--demo]   (runs on 127.0.0.1 only)".into()),
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("linger: {e}");
                ExitCode::FAILURE
            }
        }
    }
}
