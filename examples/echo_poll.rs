//! The single-process concurrent echo server again, with `poll()` instead of
//! `select()` (Stevens' `tcpservpoll01`): no FD_SETSIZE limit, no set to rebuild,
//! and a peer's FIN or reset reported directly (`RDHUP`, `HUP`, `ERR`).
//!
//! ```text
//! cargo run --example echo_poll -- 9877     # serve 0.0.0.0:9877 until killed
//! cargo run --example echo_poll -- --demo   # loopback server + 100 clients, checks every echo
//! ```
//!
//! Entry 0 of the `pollfd` array is the listener, the others are clients. Each
//! `PollFd` borrows its socket, so the array is rebuilt from the client list on
//! each round (cheap next to the system call) instead of C's `client[]` with
//! `fd = -1` holes.

use std::error::Error as StdError;
use std::os::fd::AsFd;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use bsdsock::netdb::tcp_listen;
use bsdsock::{
    Domain, Errno, LineReader, MsgFlags, PollFd, PollFlags, Protocol, SOMAXCONN, SockAddr, Socket,
    Type, accept, poll, set_nonblocking, socket, writen,
};

type Res<T> = Result<T, Box<dyn StdError + Send + Sync>>;

#[derive(Clone, Copy)]
enum Until {
    Forever,
    Served(usize),
}

/// Makes a listener ready for the loop. It must be non-blocking: it is reported
/// readable when a connection is queued, but the client may reset that connection
/// before we call accept, and a blocking accept would then stall every other
/// client; non-blocking, accept says EAGAIN / ECONNABORTED and the loop goes on.
fn ready_listener(l: Socket) -> Res<Socket> {
    set_nonblocking(&l, true)?;
    Ok(l)
}

/// `service` on every local address, Stevens' `tcp_listen` (SO_REUSEADDR on, so
/// a restarted server is not refused with EADDRINUSE because of TIME_WAIT).
fn listen_on_service(service: &str) -> Res<Socket> {
    ready_listener(tcp_listen(None, service, SOMAXCONN)?)
}

/// A loopback listener on a port the kernel picks (the demo).
fn listen_on_loopback() -> Res<Socket> {
    let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    l.bind(&"127.0.0.1:0".parse()?)?;
    l.listen(SOMAXCONN)?;
    ready_listener(l)
}

fn retryable(e: &bsdsock::Error) -> bool {
    matches!(e.errno(), Some(Errno::EAGAIN | Errno::ECONNABORTED | Errno::EPROTO | Errno::EINTR))
}

fn serve(listener: Socket, until: Until, verbose: bool) -> Res<usize> {
    let mut clients: Vec<Socket> = Vec::new();
    let mut served = 0;
    let mut buf = [0u8; 4096];
    loop {
        if let Until::Served(n) = until {
            if served >= n && clients.is_empty() {
                return Ok(served);
            }
        }
        let mut fds = Vec::with_capacity(clients.len() + 1);
        fds.push(PollFd::new(listener.as_fd(), PollFlags::IN));
        fds.extend(clients.iter().map(|c| PollFd::new(c.as_fd(), PollFlags::IN)));
        match poll(&mut fds, None) {
            Ok(_) => {}
            Err(e) if e.errno() == Some(Errno::EINTR) => continue, // a signal: retry
            Err(e) => return Err(e.into()),
        }
        let ready: Vec<PollFlags> = fds.iter().map(PollFd::revents).collect();
        drop(fds); // end the borrows of `clients` before changing it

        // Clients first (their indices are still valid), from the back so that
        // swap_remove does not move a client not yet looked at.
        for i in (0..clients.len()).rev() {
            let rev = ready[i + 1];
            if rev.is_empty() {
                continue;
            }
            // IN covers data and EOF; ERR/HUP (a reset) end up in recv's error.
            let done = match clients[i].recv(&mut buf, MsgFlags::empty()) {
                Ok(0) => true,
                Ok(n) => writen(&clients[i], &buf[..n]).is_err(),
                Err(e) => {
                    eprintln!("recv: {e}");
                    true
                }
            };
            if done {
                let c = clients.swap_remove(i);
                if verbose {
                    println!(
                        "{} closed",
                        c.getpeername().map_or("client".into(), |a| a.to_string())
                    );
                }
            }
        }

        if ready[0].contains(PollFlags::IN) {
            loop {
                match accept(&listener) {
                    Ok((conn, peer)) => {
                        if verbose {
                            println!("connection from {peer}");
                        }
                        clients.push(conn);
                        served += 1;
                    }
                    Err(e) if retryable(&e) => break,
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
}

fn clients(addr: SockAddr, n: usize, threads: usize) -> Res<usize> {
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let addr = addr.clone();
            thread::spawn(move || -> Res<usize> {
                let ids: Vec<usize> = (t..n).step_by(threads).collect();
                let mut conns = Vec::new();
                for _ in &ids {
                    let s = socket(addr.family(), Type::STREAM, Protocol::DEFAULT)?;
                    s.connect_timeout(&addr, Duration::from_secs(5))?;
                    conns.push(LineReader::new(s));
                }
                let mut checked = 0;
                for round in 0..3 {
                    for (c, id) in conns.iter().zip(&ids) {
                        writen(c.get_ref(), format!("client {id} says {round}\n").as_bytes())?;
                    }
                    for (c, id) in conns.iter_mut().zip(&ids) {
                        let want = format!("client {id} says {round}\n");
                        let got = c.readline()?.ok_or("server closed early")?;
                        if got != want.as_bytes() {
                            return Err(format!(
                                "client {id}: sent {want:?}, got {:?}",
                                String::from_utf8_lossy(got)
                            )
                            .into());
                        }
                        checked += 1;
                    }
                }
                Ok(checked)
            })
        })
        .collect();
    let mut total = 0;
    for h in handles {
        total += h.join().map_err(|_| "client thread panicked")??;
    }
    Ok(total)
}

fn demo() -> Res<()> {
    const CLIENTS: usize = 100;
    let listener = listen_on_loopback()?;
    let addr = listener.getsockname()?;
    println!("echo_poll: serving {addr} with one poll() loop");
    let t0 = Instant::now();
    let server = thread::spawn(move || serve(listener, Until::Served(CLIENTS), false));
    let checked = clients(addr, CLIENTS, 4)?;
    let served = server.join().map_err(|_| "server panicked")??;
    println!(
        "{served} clients served concurrently, {checked} echoed lines checked, in {:.0?}",
        t0.elapsed()
    );
    if served != CLIENTS || checked != CLIENTS * 3 {
        return Err("not every client was served".into());
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("--demo") => demo(),
        Some(service) if args.len() == 1 => listen_on_service(service).and_then(|l| {
            println!("echo_poll: listening on {}", l.getsockname()?);
            serve(l, Until::Forever, true).map(drop)
        }),
        _ => Err("usage: echo_poll PORT | echo_poll --demo".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("echo_poll: {e}");
            ExitCode::FAILURE
        }
    }
}
