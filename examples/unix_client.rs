//! The Unix-domain client of the LinuxHowtos tutorial (U_client.c,
//! shared/seeds/002 "Sockets in the Unix Domain"): connect to the server's socket
//! file, send the line typed at the prompt, print the answer.
//!
//! ```text
//! cargo run --example unix_client -- /tmp/sock   # talks to `unix_server /tmp/sock`
//! cargo run --example unix_client -- --demo      # runs the server's logic on a thread
//! ```
//!
//! `SockAddr::unix(path)` checks that the path fits `sun_path` (108 bytes on
//! Linux) instead of strcpy'ing past its end, and computes the address length the
//! C program works out by hand.

use std::error::Error;
use std::io::{self, BufRead, Read, Write};
use std::process::ExitCode;
use std::{fs, thread};

use bsdsock::{
    Domain, MsgFlags, Protocol, SockAddr, Socket, Type, accept, bind, connect, listen, recv,
    socket, writen,
};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const USAGE: &str = "usage: unix_client PATH | unix_client --demo";

/// `fgets(buffer, 80, stdin)`: one line, newline included, at most 79 bytes.
fn fgets() -> Res<Vec<u8>> {
    let mut line = Vec::new();
    io::stdin().lock().take(79).read_until(b'\n', &mut line)?;
    if line.is_empty() {
        return Err("ERROR reading the message: end of input".into());
    }
    Ok(line)
}

fn client(addr: &SockAddr, typed: Option<&str>) -> Res<()> {
    let sockfd = socket(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
    connect(&sockfd, addr)?;
    print!("Please enter your message: ");
    io::stdout().flush()?;
    let buffer = match typed {
        None => fgets()?,
        Some(line) => {
            println!("{line}");
            format!("{line}\n").into_bytes()
        }
    };
    writen(&sockfd, &buffer)?;
    let mut buffer = [0u8; 80];
    let n = recv(&sockfd, &mut buffer, MsgFlags::empty())?;
    println!("The return message was");
    // write(1, buffer, n): the answer as it came, newline included.
    io::stdout().write_all(&buffer[..n])?;
    Ok(())
}

/// U_server.c's logic for the demo, on a thread; its lines are marked "(server)".
fn demo_server(sockfd: Socket) -> Res<()> {
    let (newsockfd, _cli_addr) = accept(&sockfd)?;
    let mut buf = [0u8; 80];
    let n = recv(&newsockfd, &mut buf, MsgFlags::empty())?;
    println!("(server) A connection has been established");
    print!("(server) {}", String::from_utf8_lossy(&buf[..n]));
    writen(&newsockfd, b"I got your message\n")?;
    Ok(())
}

fn demo() -> Res<()> {
    let dir = std::env::temp_dir().join(format!("bsdsock-unix-client-{}", std::process::id()));
    fs::create_dir_all(&dir)?;
    let path = dir.join("socket");
    let result = (|| -> Res<()> {
        let addr = SockAddr::unix(&path)?;
        let sockfd = socket(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
        bind(&sockfd, &addr)?;
        listen(&sockfd, 5)?;
        println!("(server) listening on {addr} on a thread");
        let server = thread::spawn(move || demo_server(sockfd));
        println!("$ unix_client {}", path.display());
        let talked = client(&addr, Some("hello over a Unix-domain socket"));
        server.join().map_err(|_| "server thread panicked")??;
        talked
    })();
    let _ = fs::remove_file(&path);
    let _ = fs::remove_dir(&dir);
    result
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag] if flag == "--demo" => demo(),
        [path] => SockAddr::unix(path).map_err(Into::into).and_then(|a| client(&a, None)),
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("unix_client: {e}");
            ExitCode::FAILURE
        }
    }
}
