//! The datagram server of the LinuxHowtos tutorial (shared/seeds/002, "Alternative
//! types of sockets"): bind a UDP port, then forever recvfrom a datagram, print it
//! and sendto the sender "Got your message".
//!
//! ```text
//! cargo run --example udp_server -- 2000    # then: cargo run --example udp_client -- localhost 2000
//! cargo run --example udp_server -- --demo  # serves three datagrams from a client thread, exits
//! ```
//!
//! No listen, no accept: the address recvfrom fills in is where the answer goes.
//! Port 0 lets the kernel pick a port, which the server then prints.

use std::error::Error;
use std::io::{self, Write};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use bsdsock::opt::SO_RCVTIMEO;
use bsdsock::{
    Domain, INADDR_ANY, INADDR_LOOPBACK, MsgFlags, Protocol, SockAddr, SockAddrIn, Socket, Type,
    bind, recvfrom, sendto, socket,
};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const USAGE: &str = "usage: udp_server PORT | udp_server --demo";

fn bind_udp(ip: std::net::Ipv4Addr, port: u16) -> Res<Socket> {
    let sock = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    bind(&sock, &SockAddrIn::new(ip, port).into())?;
    Ok(sock)
}

/// The server's loop: `count` datagrams, or forever.
fn serve(sock: &Socket, count: Option<usize>) -> Res<()> {
    let mut buf = [0u8; 1024];
    let mut served = 0;
    while count.is_none_or(|c| served < c) {
        let (n, from) = recvfrom(sock, &mut buf, MsgFlags::empty())?;
        // write(1, "Received a datagram: ", 21); write(1, buf, n);
        let mut out = io::stdout().lock();
        out.write_all(b"Received a datagram: ")?;
        out.write_all(&buf[..n])?;
        if !buf[..n].ends_with(b"\n") {
            out.write_all(b"\n")?;
        }
        drop(out);
        sendto(sock, b"Got your message\n", MsgFlags::empty(), &from)?;
        served += 1;
    }
    Ok(())
}

/// udp_client.c's side of the demo, on a thread; its lines are marked "(client)".
fn demo_client(server: SockAddr, messages: &[&str]) -> Res<()> {
    let sock = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    sock.set(SO_RCVTIMEO, Some(Duration::from_secs(5)))?; // never hang the demo
    let mut buf = [0u8; 256];
    for m in messages {
        println!("(client) Please enter the message: {m}");
        sendto(&sock, format!("{m}\n").as_bytes(), MsgFlags::empty(), &server)?;
        let (n, _from) = recvfrom(&sock, &mut buf, MsgFlags::empty())?;
        print!("(client) Got an ack: {}", String::from_utf8_lossy(&buf[..n]));
    }
    Ok(())
}

fn demo() -> Res<()> {
    let messages = ["first datagram", "second datagram", "third datagram"];
    let sock = bind_udp(INADDR_LOOPBACK, 0)?;
    sock.set(SO_RCVTIMEO, Some(Duration::from_secs(5)))?; // never hang the demo
    let addr = sock.getsockname()?;
    println!("server: bound to {addr}; a client thread sends {} datagrams", messages.len());
    let client = thread::spawn(move || demo_client(addr, &messages));
    let served = serve(&sock, Some(messages.len()));
    client.join().map_err(|_| "client thread panicked")??;
    served
}

fn run(port: &str) -> Res<()> {
    let port: u16 = port.parse().map_err(|e| format!("invalid port {port:?}: {e}"))?;
    let sock = bind_udp(INADDR_ANY, port)?;
    if port == 0 {
        println!("server: listening on port {}", sock.getsockname()?.port().unwrap_or(0));
    }
    serve(&sock, None)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag] if flag == "--demo" => demo(),
        [port] => run(port),
        [] => Err(format!("ERROR, no port provided\n{USAGE}").into()),
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("udp_server: {e}");
            ExitCode::FAILURE
        }
    }
}
