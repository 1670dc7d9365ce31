//! A tour of bsdsock in one process, following the notes' programs
//! (shared/seeds/000 and 002): the TCP server/client pair ("Here is the message",
//! "I got your message"), the datagram pair ("Got your message"), and a Unix-domain
//! stream exchange. Each step prints the C call it makes, like the transcripts in
//! the notes.
//!
//! Run it with `cargo run --example tour` (`--demo` is accepted and does the same;
//! any other argument is refused with exit status 1).

use std::net::Shutdown;
use std::thread;

use bsdsock::{
    Domain, INADDR_LOOPBACK, MsgFlags, Protocol, SockAddr, SockAddrIn, Type, accept, bind, close,
    connect, getsockname, listen, recv, recvfrom, send, sendto, shutdown, socket,
};

type Result<T = (), E = Box<dyn std::error::Error>> = std::result::Result<T, E>;

fn main() -> Result {
    // `--demo` (the examples' shared convention) changes nothing: this program
    // always runs its own peers on loopback and exits. Anything else is refused.
    if let Some(arg) = std::env::args().skip(1).find(|a| a != "--demo") {
        eprintln!("usage: tour [--demo]   (unexpected argument {arg:?})");
        std::process::exit(1);
    }
    tcp_exchange()?;
    udp_exchange()?;
    unix_exchange()?;
    println!("\ntour complete");
    Ok(())
}

/// server.c / client.c from the tutorial, with the server on its own thread.
fn tcp_exchange() -> Result {
    println!("== TCP (server.c / client.c)");
    let sockfd = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    println!("server: socket(AF_INET, SOCK_STREAM, 0) -> {sockfd:?}");
    // Port 0: the kernel picks a free port, which getsockname reads back.
    bind(&sockfd, &SockAddrIn::new(INADDR_LOOPBACK, 0).into())?;
    let addr = getsockname(&sockfd)?;
    println!("server: bind(127.0.0.1:0), getsockname -> {addr}");
    listen(&sockfd, 5)?;
    println!("server: listen(5)");

    let server = thread::spawn(move || -> bsdsock::Result<()> {
        let (newsockfd, cli_addr) = accept(&sockfd)?;
        println!("server: accept -> connection from {cli_addr}");
        let mut buffer = [0u8; 256];
        let n = recv(&newsockfd, &mut buffer[..255], MsgFlags::empty())?;
        println!("server: Here is the message: {}", String::from_utf8_lossy(&buffer[..n]));
        send(&newsockfd, b"I got your message", MsgFlags::empty())?;
        close(newsockfd)?;
        close(sockfd)
    });

    let client = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    connect(&client, &addr)?;
    println!("client: connect({addr}) from {}", getsockname(&client)?);
    let message = "hey buddy, socket connection is made";
    println!("client: Please enter the message: {message}");
    send(&client, message.as_bytes(), MsgFlags::empty())?;
    let mut buffer = [0u8; 256];
    let n = recv(&client, &mut buffer, MsgFlags::empty())?;
    println!("client: {}", String::from_utf8_lossy(&buffer[..n]));
    server.join().expect("server thread")?;
    Ok(close(client)?)
}

/// The datagram pair of the LinuxHowtos tutorial: sendto / recvfrom.
fn udp_exchange() -> Result {
    println!("\n== UDP (the datagram server and client)");
    let server = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    bind(&server, &"127.0.0.1:0".parse()?)?;
    let server_addr = getsockname(&server)?;
    println!("server: socket(AF_INET, SOCK_DGRAM, 0), bind -> {server_addr}");

    let client = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    let message = "a datagram from the client";
    sendto(&client, message.as_bytes(), MsgFlags::empty(), &server_addr)?;
    println!("client: sendto({server_addr}): {message}");

    let mut buf = [0u8; 1024];
    let (n, from) = recvfrom(&server, &mut buf, MsgFlags::empty())?;
    println!("server: recvfrom -> {n} bytes from {from}");
    println!("server: Here is the message: {}", String::from_utf8_lossy(&buf[..n]));
    sendto(&server, b"Got your message", MsgFlags::empty(), &from)?;

    let (n, from) = recvfrom(&client, &mut buf, MsgFlags::empty())?;
    println!("client: Got an ack from {from}: {}", String::from_utf8_lossy(&buf[..n]));
    Ok(())
}

/// The Unix-domain stream pair: a path in a temp dir instead of a port.
fn unix_exchange() -> Result {
    println!("\n== Unix domain (AF_UNIX, SOCK_STREAM)");
    let dir = std::env::temp_dir().join(format!("bsdsock-tour-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("tour.sock");
    let addr = SockAddr::unix(&path)?;

    let server = socket(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
    bind(&server, &addr)?;
    listen(&server, 5)?;
    println!("server: bind({addr}), listen(5)");

    let client = socket(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
    connect(&client, &addr)?;
    let (conn, peer) = accept(&server)?;
    println!("server: accept -> connection from {peer}");

    send(&client, b"hello over a Unix socket", MsgFlags::empty())?;
    shutdown(&client, Shutdown::Write)?;
    let mut buf = [0u8; 256];
    let mut got = Vec::new();
    loop {
        let n = recv(&conn, &mut buf, MsgFlags::empty())?;
        if n == 0 {
            break; // the client's shutdown(SHUT_WR) reads as end-of-file
        }
        got.extend_from_slice(&buf[..n]);
    }
    println!("server: Here is the message: {}", String::from_utf8_lossy(&got));
    send(&conn, b"I got your message", MsgFlags::empty())?;
    let n = recv(&client, &mut buf, MsgFlags::empty())?;
    println!("client: {}", String::from_utf8_lossy(&buf[..n]));

    drop((conn, server, client));
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_dir(&dir);
    println!("server: removed {}", path.display());
    Ok(())
}
