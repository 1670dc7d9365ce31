//! The datagram client again, this time coping with loss: it waits for the answer
//! with a timeout (SO_RCVTIMEO) and sends again, a bounded number of times — the
//! CIS 4307 notes' Example 5, "a client ... waits with timeout for reply"
//! (shared/seeds/003), over the LinuxHowtos datagram pair (shared/seeds/002).
//!
//! ```text
//! cargo run --example udp_client_timeout -- localhost 2000 [TIMEOUT_MS [TRIES]]  # with udp_server 2000
//! cargo run --example udp_client_timeout -- --demo   # the demo server drops the first datagram
//! ```
//!
//! Defaults: 1000 ms, 3 tries. A recvfrom that times out fails with EAGAIN
//! (`Resource temporarily unavailable`); datagrams from anyone but the server are
//! ignored. A late answer to an earlier try would still be taken for the answer
//! to the current one: real protocols number their requests for that (Stevens,
//! UNIX Network Programming, section 22.5).

use std::error::Error;
use std::io::{self, BufRead, Read, Write};
use std::net::Ipv4Addr;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use bsdsock::opt::SO_RCVTIMEO;
use bsdsock::{
    Domain, Errno, INADDR_LOOPBACK, MsgFlags, Protocol, SockAddr, SockAddrIn, Socket, Type, bind,
    recvfrom, sendto, socket,
};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const USAGE: &str =
    "usage: udp_client_timeout HOSTNAME PORT [TIMEOUT_MS [TRIES]] | udp_client_timeout --demo";

/// `fgets(buffer, 255, stdin)`: one line, newline included, at most 254 bytes.
fn fgets() -> Res<Vec<u8>> {
    let mut line = Vec::new();
    io::stdin().lock().take(254).read_until(b'\n', &mut line)?;
    if line.is_empty() {
        return Err("ERROR reading the message: end of input".into());
    }
    Ok(line)
}

/// Waits until `deadline` for a datagram from `server`: its length, or the
/// error that ended the wait (EAGAIN when the time is up).
fn wait_ack(
    sock: &Socket,
    server: &SockAddr,
    deadline: Instant,
    buf: &mut [u8],
) -> Res<Result<usize, bsdsock::Error>> {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(Err(bsdsock::Error::os("recvfrom", Errno::EAGAIN)));
        }
        // Re-armed each time, so stray datagrams cannot stretch the wait.
        sock.set(SO_RCVTIMEO, Some(left))?;
        match recvfrom(sock, buf, MsgFlags::empty()) {
            Ok((n, from)) if from == *server => return Ok(Ok(n)),
            Ok((_, from)) => println!("ignoring a datagram from {from}"),
            Err(e) if e.errno() == Some(Errno::EAGAIN) => return Ok(Err(e)),
            Err(e) if e.errno() == Some(Errno::EINTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

struct Patience {
    timeout: Duration,
    tries: u32,
}

/// `h_addr` of `gethostbyname(host)`: its first IPv4 address. bsdsock has
/// `gethostbyname` where it wraps the C library's reentrant form (glibc, musl);
/// elsewhere getaddrinfo with family `AF_INET` gives the same answer.
#[cfg(netdb_r)]
fn h_addr(host: &str) -> Res<Option<Ipv4Addr>> {
    Ok(match bsdsock::netdb::gethostbyname(host)?.addr() {
        Some(std::net::IpAddr::V4(a)) => Some(a),
        _ => None,
    })
}

/// `h_addr` of `gethostbyname(host)`, by getaddrinfo (see the netdb_r version).
#[cfg(not(netdb_r))]
fn h_addr(host: &str) -> Res<Option<Ipv4Addr>> {
    use bsdsock::netdb::{AddrInfoHints, getaddrinfo};
    let hints = AddrInfoHints { family: Domain::INET, ..AddrInfoHints::default() };
    Ok(getaddrinfo(Some(host), None, &hints)?.into_iter().find_map(|ai| match ai.addr {
        bsdsock::SockAddr::Inet(a) => Some(a.ip()),
        _ => None,
    }))
}

fn client(host: &str, port: u16, typed: Option<&str>, p: &Patience) -> Res<()> {
    let sock = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    let Some(h_addr) = h_addr(host)? else {
        return Err(format!("Unknown host: {host}").into());
    };
    let server: SockAddr = SockAddrIn::new(h_addr, port).into();

    print!("Please enter the message: ");
    io::stdout().flush()?;
    let message = match typed {
        None => fgets()?,
        Some(line) => {
            println!("{line}");
            format!("{line}\n").into_bytes()
        }
    };
    let mut buf = [0u8; 256];
    for attempt in 1..=p.tries {
        println!(
            "try {attempt}/{}: sendto {server}, then wait {:?} for the ack",
            p.tries, p.timeout
        );
        sendto(&sock, &message, MsgFlags::empty(), &server)?;
        match wait_ack(&sock, &server, Instant::now() + p.timeout, &mut buf)? {
            Ok(n) => {
                let ack = String::from_utf8_lossy(&buf[..n]);
                println!("Got an ack: {}", ack.trim_end_matches('\n'));
                return Ok(());
            }
            Err(e) => println!("try {attempt}/{}: no ack within {:?}: {e}", p.tries, p.timeout),
        }
    }
    Err(format!("no ack from {server} after {} tries", p.tries).into())
}

/// The demo's server, on a thread: it drops the first datagram on purpose, as a
/// lossy network would, and answers the rest. Its lines are marked "(server)".
fn demo_server(sock: Socket) -> Res<()> {
    let mut buf = [0u8; 1024];
    for i in 1..=2 {
        let (n, from) = recvfrom(&sock, &mut buf, MsgFlags::empty())?;
        let text = String::from_utf8_lossy(&buf[..n]);
        if i == 1 {
            println!("(server) dropped datagram {i} on purpose: {}", text.trim_end());
            continue;
        }
        println!("(server) Received a datagram: {}", text.trim_end());
        sendto(&sock, b"Got your message\n", MsgFlags::empty(), &from)?;
    }
    Ok(())
}

fn demo() -> Res<()> {
    let sock = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    bind(&sock, &SockAddrIn::new(INADDR_LOOPBACK, 0).into())?;
    sock.set(SO_RCVTIMEO, Some(Duration::from_secs(5)))?; // never hang the demo
    let port = sock.getsockname()?.port().unwrap_or(0);
    println!("(server) bound to 127.0.0.1:{port} on a thread; it loses the first datagram");
    let server = thread::spawn(move || demo_server(sock));
    println!("$ udp_client_timeout localhost {port} 300 3");
    let patience = Patience { timeout: Duration::from_millis(300), tries: 3 };
    let talked = client("localhost", port, Some("are you there?"), &patience);
    server.join().map_err(|_| "server thread panicked")??;
    talked
}

fn run(host: &str, port: &str, timeout: Option<&String>, tries: Option<&String>) -> Res<()> {
    let port: u16 = port.parse().map_err(|e| format!("invalid port {port:?}: {e}"))?;
    if port == 0 {
        return Err("invalid port 0: a server cannot be bound there".into());
    }
    let ms: u64 = match timeout {
        Some(t) => t.parse().map_err(|e| format!("invalid timeout {t:?}: {e}"))?,
        None => 1000,
    };
    let tries: u32 = match tries {
        Some(t) => t.parse().map_err(|e| format!("invalid number of tries {t:?}: {e}"))?,
        None => 3,
    };
    if ms == 0 || tries == 0 {
        return Err("the timeout and the number of tries must be at least 1".into());
    }
    client(host, port, None, &Patience { timeout: Duration::from_millis(ms), tries })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag] if flag == "--demo" => demo(),
        [host, port, rest @ ..] if rest.len() <= 2 => run(host, port, rest.first(), rest.get(1)),
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("udp_client_timeout: {e}");
            ExitCode::FAILURE
        }
    }
}
