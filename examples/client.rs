//! client.c from the socket tutorial (shared/seeds/000, also in 002), with
//! bsdsock: resolve HOST with gethostbyname (the hostent's `h_addr`), connect to
//! PORT, send the line typed at the prompt, print the server's answer.
//!
//! ```text
//! cargo run --example client -- localhost 2000   # talks to `server 2000` (server.rs)
//! cargo run --example client -- --demo           # runs server.c's logic on a thread
//! ```
//!
//! The C program copies `h_addr` into `sin_addr` with bcopy and byte-swaps the
//! port with htons; here `SockAddrIn::new(ip, port)` takes both in their natural
//! form. Like `fgets(buffer, 255, stdin)`, at most 254 bytes of the line are read.

use std::error::Error;
use std::io::{self, BufRead, Read, Write};
use std::net::Ipv4Addr;
use std::process::ExitCode;
use std::thread;

use bsdsock::{
    Domain, INADDR_LOOPBACK, MsgFlags, Protocol, SockAddrIn, Socket, Type, accept, bind, close,
    connect, listen, recv, socket, writen,
};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const USAGE: &str = "usage: client HOSTNAME PORT | client --demo";

/// Where the message comes from: the terminal, as in C, or the demo's script.
enum Input<'a> {
    Stdin,
    Typed(&'a str),
}

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

fn client(host: &str, port: u16, input: Input<'_>) -> Res<()> {
    let sockfd = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    // gethostbyname answers with IPv4 addresses; h_addr is the first one.
    let Some(h_addr) = h_addr(host)? else {
        return Err(format!("ERROR, no such host: {host}").into());
    };
    connect(&sockfd, &SockAddrIn::new(h_addr, port).into())?;

    print!("Please enter the message: ");
    io::stdout().flush()?;
    let buffer = match input {
        Input::Stdin => fgets()?,
        Input::Typed(line) => {
            println!("{line}"); // echo what the demo "types"
            format!("{line}\n").into_bytes()
        }
    };
    writen(&sockfd, &buffer)?;
    let mut buffer = [0u8; 256];
    let n = recv(&sockfd, &mut buffer[..255], MsgFlags::empty())?;
    println!("{}", String::from_utf8_lossy(&buffer[..n]));
    close(sockfd)?;
    Ok(())
}

/// server.c's logic for the demo, on a thread; its lines are marked "(server)".
fn demo_server(sockfd: Socket) -> Res<()> {
    let (newsockfd, _cli_addr) = accept(&sockfd)?;
    let mut buffer = [0u8; 256];
    let n = recv(&newsockfd, &mut buffer[..255], MsgFlags::empty())?;
    let message = String::from_utf8_lossy(&buffer[..n]);
    println!("(server) Here is the message: {}", message.trim_end_matches('\n'));
    writen(&newsockfd, b"I got your message")?;
    Ok(())
}

fn demo() -> Res<()> {
    let sockfd = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    bind(&sockfd, &SockAddrIn::new(INADDR_LOOPBACK, 0).into())?;
    listen(&sockfd, 5)?;
    let port = sockfd.getsockname()?.port().unwrap_or(0);
    println!("(server) listening on 127.0.0.1:{port} on a thread");
    let server = thread::spawn(move || demo_server(sockfd));
    // "localhost" comes from /etc/hosts: no DNS involved.
    println!("$ client localhost {port}");
    let talked = client("localhost", port, Input::Typed("hey buddy, socket connection is made"));
    server.join().map_err(|_| "server thread panicked")??;
    talked
}

fn run(host: &str, port: &str) -> Res<()> {
    let port: u16 = port.parse().map_err(|e| format!("invalid port {port:?}: {e}"))?;
    if port == 0 {
        return Err("invalid port 0: a server cannot listen there".into());
    }
    client(host, port, Input::Stdin)
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
            eprintln!("client: {e}");
            ExitCode::FAILURE
        }
    }
}
