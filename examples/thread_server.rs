//! The concurrent server of the notes with one thread per connection instead of
//! one process (shared/seeds/002 "Enhancements to the server code"; the CIS 4307
//! notes in shared/seeds/003 list "a multithreaded echoserver" next to it).
//!
//! ```text
//! cargo run --example thread_server -- 2000    # serve until killed; try client.rs against it
//! cargo run --example thread_server -- --demo  # 5 clients that only a concurrent server can serve
//! ```
//!
//! Each accepted socket is moved into its own thread, which owns it and closes it
//! when done: there is no listening socket to close in the child and no zombie to
//! reap. A finished thread that nobody joins frees itself (the real server drops
//! its JoinHandles); the demo joins them to collect each thread's result.

use std::error::Error;
use std::process::ExitCode;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use bsdsock::opt::SO_RCVTIMEO;
use bsdsock::{
    Domain, Errno, INADDR_ANY, INADDR_LOOPBACK, MsgFlags, Protocol, SockAddr, SockAddrIn, Socket,
    Type, accept, bind, connect, listen, recv, socket, writen,
};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const USAGE: &str = "usage: thread_server PORT | thread_server --demo";

/// The tutorial's `dostuff`: one read, print, one reply.
fn dostuff(id: usize, sock: Socket) -> Res<()> {
    let mut buffer = [0u8; 256];
    let n = recv(&sock, &mut buffer[..255], MsgFlags::empty())?;
    let message = String::from_utf8_lossy(&buffer[..n]);
    println!("[thread {id}] Here is the message: {}", message.trim_end_matches('\n'));
    writen(&sock, b"I got your message")?;
    Ok(()) // `sock` is dropped here: close(2)
}

fn listen_on(ip: std::net::Ipv4Addr, port: u16) -> Res<Socket> {
    let sockfd = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    bind(&sockfd, &SockAddrIn::new(ip, port).into())?;
    listen(&sockfd, 5)?;
    Ok(sockfd)
}

/// The accept loop: a thread per connection. Stops after `max` connections if
/// given, and returns the handles of the threads it started.
fn serve(sockfd: &Socket, max: Option<usize>) -> Res<Vec<JoinHandle<Res<()>>>> {
    let mut handles = Vec::new();
    let mut id = 0;
    while max.is_none_or(|m| id < m) {
        let (newsockfd, cli_addr) = match accept(sockfd) {
            Ok(conn) => conn,
            Err(e) if e.errno() == Some(Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        };
        println!("server: connection from {cli_addr} -> thread {id}");
        let handle = thread::Builder::new().name(format!("conn-{id}")).spawn(move || {
            let r = dostuff(id, newsockfd);
            if let Err(e) = &r {
                eprintln!("thread_server: thread {id}: {e}");
            }
            r
        })?;
        if max.is_some() {
            handles.push(handle); // a real server lets finished threads go
        }
        id += 1;
    }
    Ok(handles)
}

/// Connect every client first, then send in reverse order, each waiting for its
/// answer: an iterative server would sit reading the first connection, which
/// speaks last, and never get there.
fn demo_clients(addr: SockAddr, n: usize) -> Res<()> {
    let mut conns = Vec::new();
    for _ in 0..n {
        let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
        s.set(SO_RCVTIMEO, Some(Duration::from_secs(10)))?; // never hang the demo
        connect(&s, &addr)?;
        conns.push(s);
    }
    for (i, s) in conns.iter().enumerate().rev() {
        writen(s, format!("hello from client {i}\n").as_bytes())?;
        let mut buffer = [0u8; 256];
        let got = recv(s, &mut buffer[..255], MsgFlags::empty())?;
        println!("(client {i}) {}", String::from_utf8_lossy(&buffer[..got]));
    }
    Ok(())
}

fn demo() -> Res<()> {
    const CLIENTS: usize = 5;
    let sockfd = listen_on(INADDR_LOOPBACK, 0)?;
    // Bounded: if the clients never come, accept fails with EAGAIN instead of hanging.
    sockfd.set(SO_RCVTIMEO, Some(Duration::from_secs(10)))?;
    let addr = sockfd.getsockname()?;
    println!("server: listening on {addr}; {CLIENTS} clients connect, then speak last-first");
    let clients = thread::spawn(move || demo_clients(addr, CLIENTS));
    let handles = serve(&sockfd, Some(CLIENTS))?;
    let mut ok = 0;
    for h in handles {
        h.join().map_err(|_| "a connection thread panicked")??;
        ok += 1;
    }
    clients.join().map_err(|_| "client thread panicked")??;
    println!("server: {ok} connections served by {ok} threads, all joined");
    Ok(())
}

fn run(port: &str) -> Res<()> {
    let port: u16 = port.parse().map_err(|e| format!("invalid port {port:?}: {e}"))?;
    let sockfd = listen_on(INADDR_ANY, port)?;
    println!("server: listening on {}", sockfd.getsockname()?);
    serve(&sockfd, None).map(drop)
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
            eprintln!("thread_server: {e}");
            ExitCode::FAILURE
        }
    }
}
