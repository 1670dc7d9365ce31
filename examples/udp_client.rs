//! The datagram client of the LinuxHowtos tutorial (shared/seeds/002): resolve
//! HOST with gethostbyname, sendto the server the line typed at the prompt, wait
//! for its answer with recvfrom and print "Got an ack: ...".
//!
//! ```text
//! cargo run --example udp_client -- localhost 2000   # talks to `udp_server 2000`
//! cargo run --example udp_client -- --demo           # runs the server's logic on a thread
//! ```
//!
//! No connect: every datagram carries its destination. Like the C client it waits
//! for the answer forever; datagrams can be lost, and udp_client_timeout.rs shows
//! how to wait with a timeout and retry.

use std::error::Error;
use std::io::{self, BufRead, Read, Write};
use std::net::Ipv4Addr;
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use bsdsock::opt::SO_RCVTIMEO;
use bsdsock::{
    Domain, INADDR_LOOPBACK, MsgFlags, Protocol, SockAddr, SockAddrIn, Socket, Type, bind,
    recvfrom, sendto, socket,
};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const USAGE: &str = "usage: udp_client HOSTNAME PORT | udp_client --demo";

/// `fgets(buffer, 255, stdin)`: one line, newline included, at most 254 bytes.
fn fgets() -> Res<Vec<u8>> {
    let mut line = Vec::new();
    io::stdin().lock().take(254).read_until(b'\n', &mut line)?;
    if line.is_empty() {
        return Err("ERROR reading the message: end of input".into());
    }
    Ok(line)
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

fn client(host: &str, port: u16, typed: Option<&str>) -> Res<()> {
    let sock = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    let Some(h_addr) = h_addr(host)? else {
        return Err(format!("Unknown host: {host}").into());
    };
    let server: SockAddr = SockAddrIn::new(h_addr, port).into();

    print!("Please enter the message: ");
    io::stdout().flush()?;
    let buffer = match typed {
        None => fgets()?,
        Some(line) => {
            println!("{line}");
            format!("{line}\n").into_bytes()
        }
    };
    sendto(&sock, &buffer, MsgFlags::empty(), &server)?;
    let mut buffer = [0u8; 256];
    let (n, _from) = recvfrom(&sock, &mut buffer, MsgFlags::empty())?;
    // write(1, "Got an ack: ", 12); write(1, buffer, n);
    let mut out = io::stdout().lock();
    out.write_all(b"Got an ack: ")?;
    out.write_all(&buffer[..n])?;
    if !buffer[..n].ends_with(b"\n") {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The server's logic for the demo, on a thread; its lines are marked "(server)".
fn demo_server(sock: Socket) -> Res<()> {
    let mut buf = [0u8; 1024];
    let (n, from) = recvfrom(&sock, &mut buf, MsgFlags::empty())?;
    print!("(server) Received a datagram: {}", String::from_utf8_lossy(&buf[..n]));
    sendto(&sock, b"Got your message\n", MsgFlags::empty(), &from)?;
    Ok(())
}

fn demo() -> Res<()> {
    let sock = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    bind(&sock, &SockAddrIn::new(INADDR_LOOPBACK, 0).into())?;
    sock.set(SO_RCVTIMEO, Some(Duration::from_secs(5)))?; // never hang the demo
    let port = sock.getsockname()?.port().unwrap_or(0);
    println!("(server) bound to 127.0.0.1:{port} on a thread");
    let server = thread::spawn(move || demo_server(sock));
    println!("$ udp_client localhost {port}");
    let talked = client("localhost", port, Some("a datagram for the server"));
    server.join().map_err(|_| "server thread panicked")??;
    talked
}

fn run(host: &str, port: &str) -> Res<()> {
    let port: u16 = port.parse().map_err(|e| format!("invalid port {port:?}: {e}"))?;
    if port == 0 {
        return Err("invalid port 0: a server cannot be bound there".into());
    }
    client(host, port, None)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag] if flag == "--demo" => demo(),
        [host, port] => run(host, port),
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("udp_client: {e}");
            ExitCode::FAILURE
        }
    }
}
