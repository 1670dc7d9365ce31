//! Connecting with a time limit: `connect_timeout` (Stevens' `connect_nonb`) and
//! the raw flow it wraps, printed step by step — connect on a non-blocking socket
//! returns `EINPROGRESS`, the socket becomes writable when the handshake ends,
//! and `SO_ERROR` says how it ended.
//!
//! ```text
//! cargo run --example nonblock_connect -- --demo               # success, refused, timeout on loopback
//! cargo run --example nonblock_connect -- 127.0.0.1:22 [MS]    # connect there, MS ms at most (default 2000)
//! ```
//!
//! The demo produces a timeout without leaving the machine: a loopback listener
//! with `listen(fd, 0)` and a few connections it never accepts has a full accept
//! queue, and Linux then drops the SYN of every further connect.

use std::error::Error as StdError;
use std::os::fd::{AsFd, AsRawFd};
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use bsdsock::opt::{SO_ERROR, getsockopt};
use bsdsock::{
    Domain, Errno, PollFd, PollFlags, Protocol, SockAddr, Socket, Type, connect, connect_timeout,
    is_nonblocking, poll, set_nonblocking, socket,
};

type Res<T> = Result<T, Box<dyn StdError>>;

/// One `connect_timeout`, reported in a line.
fn timed_connect(label: &str, addr: &SockAddr, timeout: Duration) -> Res<Option<Socket>> {
    let s = socket(addr.family(), Type::STREAM, Protocol::DEFAULT)?;
    let t0 = Instant::now();
    let r = connect_timeout(&s, addr, timeout);
    let took = t0.elapsed();
    let blocking = !is_nonblocking(&s)?;
    match r {
        Ok(()) => {
            println!("{label}: connected to {addr} in {took:.1?} (blocking again: {blocking})");
            Ok(Some(s))
        }
        Err(e) => {
            println!("{label}: {e} after {took:.1?} (blocking again: {blocking})");
            Ok(None)
        }
    }
}

/// The flow by hand, printing each step as the C calls it makes.
fn raw_flow(addr: &SockAddr, timeout: Duration) -> Res<()> {
    println!("raw flow to {addr}:");
    let s = socket(addr.family(), Type::STREAM, Protocol::DEFAULT)?;
    println!("  socket()                        -> fd {}", s.as_raw_fd());
    set_nonblocking(&s, true)?;
    println!("  fcntl(F_SETFL, O_NONBLOCK)      -> 0");
    match connect(&s, addr) {
        Ok(()) => println!("  connect()                       -> 0 (connected at once)"),
        Err(e) if e.errno() == Some(Errno::EINPROGRESS) => {
            println!("  connect()                       -> -1 EINPROGRESS (handshake under way)");
            let mut fds = [PollFd::new(s.as_fd(), PollFlags::OUT)];
            let deadline = Instant::now() + timeout;
            let n = loop {
                // EINTR: retry with the time that is left, as connect_timeout does.
                match poll(&mut fds, Some(deadline.saturating_duration_since(Instant::now()))) {
                    Err(e) if e.errno() == Some(Errno::EINTR) => continue,
                    r => break r?,
                }
            };
            let call = format!("poll(POLLOUT, {timeout:?})");
            println!("  {call:<32}-> {n}, revents {:?}", fds[0].revents());
            if n == 0 {
                println!("  (nothing within the timeout: connect_timeout reports ETIMEDOUT)");
            } else {
                // Reading SO_ERROR returns the handshake's outcome and clears it.
                match getsockopt(&s, SO_ERROR)? {
                    None => println!("  getsockopt(SO_ERROR)            -> 0 (connected)"),
                    Some(errno) => println!(
                        "  getsockopt(SO_ERROR)            -> {} ({errno}): the connect failed",
                        errno.name()
                    ),
                }
            }
        }
        Err(e) => println!("  connect()                       -> {e}"),
    }
    set_nonblocking(&s, false)?;
    println!("  fcntl(F_SETFL, old flags)       -> 0 (blocking again)");
    match s.getpeername() {
        Ok(peer) => println!("  getpeername()                   -> {peer}"),
        Err(e) => println!("  getpeername()                   -> {e}"),
    }
    Ok(())
}

fn loopback_listener(backlog: i32) -> Res<(Socket, SockAddr)> {
    let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    l.bind(&"127.0.0.1:0".parse()?)?;
    l.listen(backlog)?;
    let a = l.getsockname()?;
    Ok((l, a))
}

fn demo() -> Res<()> {
    let limit = Duration::from_secs(2);

    let (_listener, open) = loopback_listener(8)?;
    if timed_connect("listening port ", &open, limit)?.is_none() {
        return Err("connect to a listening loopback port failed".into());
    }

    // Bound but not listening: the kernel answers the SYN with RST.
    let closed = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    closed.bind(&"127.0.0.1:0".parse()?)?;
    let refused = closed.getsockname()?;
    if timed_connect("closed port    ", &refused, limit)?.is_some() {
        return Err("a port nobody listens on accepted".into());
    }

    // Full accept queue: SYNs are dropped, the connect stays pending.
    let (_full, full) = loopback_listener(0)?;
    let mut fillers = Vec::new();
    for _ in 0..3 {
        // SOCK_NONBLOCK where socket(2) takes it; Apple's does not: fcntl after.
        #[cfg(not(target_vendor = "apple"))]
        let c = socket(Domain::INET, Type::STREAM.nonblocking(), Protocol::DEFAULT)?;
        #[cfg(target_vendor = "apple")]
        let c = {
            let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
            c.set_nonblocking(true)?;
            c
        };
        let _ = connect(&c, &full); // EINPROGRESS; never accepted
        fillers.push(c);
        thread::sleep(Duration::from_millis(10));
    }
    if timed_connect("full listener  ", &full, Duration::from_millis(300))?.is_some() {
        return Err("a full accept queue accepted".into());
    }

    println!();
    raw_flow(&open, limit)?;
    println!();
    raw_flow(&refused, limit)?;
    println!();
    raw_flow(&full, Duration::from_millis(300))?;
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag] if flag == "--demo" => demo(),
        [addr, rest @ ..] if rest.len() <= 1 => (|| -> Res<()> {
            let addr: SockAddr = addr.parse()?;
            let ms: u64 = rest.first().map_or(Ok(2000), |m| m.parse())?;
            let timeout = Duration::from_millis(ms.max(1));
            let connected = timed_connect("connect_timeout", &addr, timeout)?.is_some();
            raw_flow(&addr, timeout)?;
            if connected { Ok(()) } else { Err("could not connect".into()) }
        })(),
        _ => Err("usage: nonblock_connect --demo | nonblock_connect ADDR:PORT [TIMEOUT_MS]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("nonblock_connect: {e}");
            ExitCode::FAILURE
        }
    }
}
