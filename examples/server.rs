//! server.c from the socket tutorial (shared/seeds/000, also in 002), with
//! bsdsock: a TCP server that accepts one connection, prints the client's message
//! ("Here is the message: ...") and answers "I got your message".
//!
//! ```text
//! cargo run --example server -- 2000     # then, elsewhere: cargo run --example client -- localhost 2000
//! cargo run --example server -- --demo   # serves a client thread on 127.0.0.1, then exits
//! ```
//!
//! The calls are the C program's: socket, bind to INADDR_ANY:PORT, listen(5),
//! accept, one read of at most 255 bytes, one reply, close. Like the C server it
//! does not set SO_REUSEADDR, so restarting it at once on the same port fails with
//! `bind: Address already in use (EADDRINUSE)`; time_wait.rs shows why. Port 0
//! lets the kernel pick a port, which the server then prints (the C program would
//! keep it secret).

use std::error::Error;
use std::process::ExitCode;
use std::thread;

use bsdsock::{
    Domain, INADDR_ANY, INADDR_LOOPBACK, MsgFlags, Protocol, SockAddr, SockAddrIn, Socket, Type,
    accept, bind, close, connect, listen, recv, socket, writen,
};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const USAGE: &str = "usage: server PORT | server --demo";

/// socket, bind, listen(5): the listening socket of server.c.
fn listen_on(ip: std::net::Ipv4Addr, port: u16) -> Res<Socket> {
    let sockfd = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    bind(&sockfd, &SockAddrIn::new(ip, port).into())?;
    listen(&sockfd, 5)?;
    Ok(sockfd)
}

/// accept, read, print, reply: the body of server.c.
fn serve_one(sockfd: &Socket) -> Res<()> {
    let (newsockfd, _cli_addr) = accept(sockfd)?;
    let mut buffer = [0u8; 256];
    // One read, as in C. On a stream a message may arrive in pieces; a short
    // message on one connection comes in one segment, which is all the tutorial
    // relies on (echo_select.rs reads whole lines instead).
    let n = recv(&newsockfd, &mut buffer[..255], MsgFlags::empty())?;
    let message = String::from_utf8_lossy(&buffer[..n]);
    println!("Here is the message: {}", message.trim_end_matches('\n'));
    writen(&newsockfd, b"I got your message")?;
    close(newsockfd)?;
    Ok(())
}

/// client.c's side of the demo, on a thread; its lines are marked "(client)".
fn demo_client(addr: SockAddr) -> Res<()> {
    let message = "hey buddy, socket connection is made";
    let sockfd = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    connect(&sockfd, &addr)?;
    println!("(client) Please enter the message: {message}");
    writen(&sockfd, format!("{message}\n").as_bytes())?;
    let mut buffer = [0u8; 256];
    let n = recv(&sockfd, &mut buffer[..255], MsgFlags::empty())?;
    println!("(client) {}", String::from_utf8_lossy(&buffer[..n]));
    Ok(())
}

fn demo() -> Res<()> {
    let sockfd = listen_on(INADDR_LOOPBACK, 0)?;
    let addr = sockfd.getsockname()?;
    println!("server: listening on {addr} (port 0: the kernel chose); the client runs on a thread");
    let client = thread::spawn(move || demo_client(addr));
    let served = serve_one(&sockfd);
    close(sockfd)?;
    client.join().map_err(|_| "client thread panicked")??;
    served
}

fn run(port: &str) -> Res<()> {
    let port: u16 = port.parse().map_err(|e| format!("invalid port {port:?}: {e}"))?;
    let sockfd = listen_on(INADDR_ANY, port)?;
    if port == 0 {
        println!("server: listening on port {}", sockfd.getsockname()?.port().unwrap_or(0));
    }
    serve_one(&sockfd)?;
    close(sockfd)?;
    Ok(())
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
            eprintln!("server: {e}");
            ExitCode::FAILURE
        }
    }
}
