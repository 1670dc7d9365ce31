//! The notes' single-process concurrent server: one `select()` loop serves the
//! listening socket and every client at once, no fork, no threads (Stevens'
//! `tcpservselect01`, rewritten with bsdsock).
//!
//! ```text
//! cargo run --example echo_select -- 9877     # serve 0.0.0.0:9877 until killed
//! cargo run --example echo_select -- --demo   # loopback server + 100 clients, checks every echo
//! ```
//!
//! The C version keeps `allset` (every descriptor being watched) and copies it into
//! `rset` before each `select`, because select overwrites its sets with the ready
//! descriptors; `FdSet` is `Clone`, so the copy is `allset.clone()`. `nfds`
//! (`maxfd + 1`) is computed by `select` itself, and `FD_SET` of a descriptor
//! >= FD_SETSIZE is an error instead of memory corruption.

use std::error::Error as StdError;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use bsdsock::netdb::tcp_listen;
use bsdsock::{
    Domain, Errno, FdSet, LineReader, MsgFlags, Protocol, SOMAXCONN, SockAddr, Socket, Type,
    accept, select, set_nonblocking, socket, writen,
};

type Res<T> = Result<T, Box<dyn StdError + Send + Sync>>;

/// When to stop: never (a real server), or after `clients` connections have come
/// and gone (the demo).
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

/// Accept errors that only mean "nothing to accept right now".
fn retryable(e: &bsdsock::Error) -> bool {
    matches!(e.errno(), Some(Errno::EAGAIN | Errno::ECONNABORTED | Errno::EPROTO | Errno::EINTR))
}

/// The select loop. Returns the number of connections served.
fn serve(listener: Socket, until: Until, verbose: bool) -> Res<usize> {
    let mut allset = FdSet::new();
    allset.insert(&listener)?;
    let mut clients: Vec<Socket> = Vec::new();
    let mut served = 0;
    let mut buf = [0u8; 4096];
    loop {
        if let Until::Served(n) = until {
            if served >= n && clients.is_empty() {
                return Ok(served);
            }
        }
        let mut rset = allset.clone();
        match select(Some(&mut rset), None, None, None) {
            Ok(_) => {}
            Err(e) if e.errno() == Some(Errno::EINTR) => continue, // a signal: retry
            Err(e) => return Err(e.into()),
        }

        if rset.contains(&listener) {
            loop {
                match accept(&listener) {
                    Ok((conn, peer)) => {
                        if let Err(e) = allset.insert(&conn) {
                            // Descriptor >= FD_SETSIZE: select cannot watch it.
                            eprintln!("refusing {peer}: {e}");
                            continue;
                        }
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

        let mut i = 0;
        while i < clients.len() {
            let conn = &clients[i];
            if !rset.contains(conn) {
                i += 1;
                continue;
            }
            // One recv per readiness report: it cannot block, select said so.
            let done = match conn.recv(&mut buf, MsgFlags::empty()) {
                Ok(0) => true,
                // Echo it back. A client that stops reading can block this write:
                // the weakness of this design that Stevens points out.
                Ok(n) => writen(conn, &buf[..n]).is_err(),
                Err(e) => {
                    eprintln!("recv: {e}");
                    true
                }
            };
            if done {
                if verbose {
                    println!(
                        "{} closed",
                        conn.getpeername().map_or("client".into(), |a| a.to_string())
                    );
                }
                allset.remove(conn);
                clients.swap_remove(i);
            } else {
                i += 1;
            }
        }
    }
}

/// `n` clients in `threads` threads: all connect first, then each sends lines and
/// reads back the echo through a LineReader. Returns the number of checked replies.
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
                        writen(
                            c.get_ref(),
                            format!("hello from client {id}, line {round}\n").as_bytes(),
                        )?;
                    }
                    for (c, id) in conns.iter_mut().zip(&ids) {
                        let want = format!("hello from client {id}, line {round}\n");
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
    println!("echo_select: serving {addr} with one select() loop");
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
            println!("echo_select: listening on {}", l.getsockname()?);
            serve(l, Until::Forever, true).map(drop)
        }),
        _ => Err("usage: echo_select PORT | echo_select --demo".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("echo_select: {e}");
            ExitCode::FAILURE
        }
    }
}
