//! The Unix-domain server of the LinuxHowtos tutorial (U_server.c,
//! shared/seeds/002 "Sockets in the Unix Domain"): the same stream server, but its
//! address is a path in the file system instead of a port.
//!
//! ```text
//! cargo run --example unix_server -- /tmp/sock   # then: cargo run --example unix_client -- /tmp/sock
//! cargo run --example unix_server -- --demo      # a client thread, in a temporary directory
//! ```
//!
//! bind creates the socket file, and it "remains until it is explicitly deleted":
//! unlike the C program, this server removes it when it exits — after the one
//! connection, on any error, and on SIGINT/SIGTERM (the handler only sets a flag;
//! installed without SA_RESTART, it makes the blocked accept or read fail with
//! EINTR, and the normal return path removes the file). A file already at PATH
//! makes bind fail with EADDRINUSE; it is never removed at start, since it may
//! belong to a server that is still running.

use std::error::Error;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, Ordering};
use std::{fs, ptr, thread};

use bsdsock::{
    Domain, Errno, MsgFlags, Protocol, SockAddr, Socket, Type, accept, bind, connect, listen, recv,
    socket, writen,
};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const USAGE: &str = "usage: unix_server PATH | unix_server --demo";

/// The signal that asked us to stop, or 0.
static STOP: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_stop(signo: libc::c_int) {
    STOP.store(signo, Ordering::SeqCst);
}

fn catch_stop_signals() -> Res<()> {
    for signo in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: sigaction is plain data; all-zero is an empty mask and no flags
        // (no SA_RESTART: a blocked call must return EINTR so that we clean up).
        let mut sa: libc::sigaction = unsafe { std::mem::zeroed() };
        sa.sa_sigaction = on_stop as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // SAFETY: `sa` is initialised and the handler only stores to an atomic.
        if unsafe { libc::sigaction(signo, &sa, ptr::null_mut()) } < 0 {
            return Err(format!("sigaction: {}", io::Error::last_os_error()).into());
        }
    }
    Ok(())
}

/// Removes the socket file when dropped, so every way out of the server does.
struct SocketFile(PathBuf);

impl Drop for SocketFile {
    fn drop(&mut self) {
        if let Err(e) = fs::remove_file(&self.0) {
            eprintln!("unix_server: cannot remove {}: {e}", self.0.display());
        }
    }
}

/// socket, bind(path), listen(5). The file is ours to remove only once bind made it.
fn listen_on(path: &Path) -> Res<(Socket, SocketFile)> {
    let sockfd = socket(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
    match bind(&sockfd, &SockAddr::unix(path)?) {
        Ok(()) => {}
        Err(e) if e.errno() == Some(Errno::EADDRINUSE) => {
            return Err(
                format!("{e}: {} exists (remove it if no server uses it)", path.display()).into()
            );
        }
        Err(e) => return Err(e.into()),
    }
    let file = SocketFile(path.to_path_buf());
    listen(&sockfd, 5)?;
    Ok((sockfd, file))
}

/// EINTR from a blocked call: stop if a signal asked us to, else the error.
fn interrupted(e: bsdsock::Error) -> Box<dyn Error + Send + Sync> {
    match STOP.load(Ordering::SeqCst) {
        0 => e.into(),
        signo => format!("stopped by signal {signo}").into(),
    }
}

/// The body of U_server.c: accept, read at most 80 bytes, print, answer.
fn serve_one(sockfd: &Socket) -> Res<()> {
    let (newsockfd, _cli_addr) = accept(sockfd).map_err(interrupted)?;
    let mut buf = [0u8; 80];
    let n = recv(&newsockfd, &mut buf, MsgFlags::empty()).map_err(interrupted)?;
    println!("A connection has been established");
    // write(1, buf, n): the message as it came, newline included.
    io::stdout().write_all(&buf[..n])?;
    writen(&newsockfd, b"I got your message\n")?;
    Ok(())
}

/// U_client.c's side of the demo, on a thread; its lines are marked "(client)".
fn demo_client(addr: SockAddr) -> Res<()> {
    let message = "hello over a Unix-domain socket";
    let sockfd = socket(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
    connect(&sockfd, &addr)?;
    println!("(client) Please enter your message: {message}");
    writen(&sockfd, format!("{message}\n").as_bytes())?;
    let mut buffer = [0u8; 80];
    let n = recv(&sockfd, &mut buffer, MsgFlags::empty())?;
    println!("(client) The return message was");
    print!("(client) {}", String::from_utf8_lossy(&buffer[..n]));
    Ok(())
}

fn demo() -> Res<()> {
    let dir = std::env::temp_dir().join(format!("bsdsock-unix-server-{}", std::process::id()));
    fs::create_dir_all(&dir)?;
    let path = dir.join("socket");
    let result = (|| -> Res<()> {
        let (sockfd, file) = listen_on(&path)?;
        let addr = sockfd.getsockname()?;
        println!("server: listening on {addr}; the client runs on a thread");
        let client = thread::spawn(move || demo_client(addr));
        let served = serve_one(&sockfd);
        client.join().map_err(|_| "client thread panicked")??;
        served?;
        println!("server: {} exists while serving: {}", path.display(), path.exists());
        drop((sockfd, file));
        println!("server: exited; {} exists: {}", path.display(), path.exists());
        if path.exists() {
            return Err("the socket file was left behind".into());
        }
        Ok(())
    })();
    let _ = fs::remove_dir(&dir);
    result
}

fn run(path: &str) -> Res<()> {
    catch_stop_signals()?;
    let (sockfd, _file) = listen_on(Path::new(path))?;
    serve_one(&sockfd)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag] if flag == "--demo" => demo(),
        [path] => run(path),
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("unix_server: {e}");
            match STOP.load(Ordering::SeqCst) {
                0 => ExitCode::FAILURE,
                signo => ExitCode::from(128 + signo as u8), // the shell's convention
            }
        }
    }
}
