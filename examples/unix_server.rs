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
//! connection, on any error, and on SIGINT/SIGTERM, whenever it arrives (see
//! `wait_readable`: the handler writes to a self-pipe that every wait polls,
//! and the normal return path removes the file). A file already at PATH makes
//! bind fail with EADDRINUSE; it is never removed at start, since it may belong
//! to a server that is still running.

use std::error::Error;
use std::io::{self, Write};
use std::os::fd::{AsFd, IntoRawFd};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, Ordering};
use std::{fs, ptr, thread};

use bsdsock::{
    Domain, Errno, MsgFlags, PollFd, PollFlags, Protocol, SockAddr, Socket, Type, accept, bind,
    connect, listen, poll, recv, set_nonblocking, socket, socketpair, writen,
};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const USAGE: &str = "usage: unix_server PATH | unix_server --demo";

/// The signal that asked us to stop, or 0.
static STOP: AtomicI32 = AtomicI32::new(0);
/// The write end of the self-pipe, for the handler; -1 until it exists.
static WAKE_FD: AtomicI32 = AtomicI32::new(-1);

/// The SIGINT/SIGTERM handler. Only async-signal-safe work: atomics, write, errno.
extern "C" fn on_stop(signo: libc::c_int) {
    STOP.store(signo, Ordering::SeqCst);
    let fd = WAKE_FD.load(Ordering::SeqCst);
    if fd >= 0 {
        // A failed write (EAGAIN: the pipe is full of earlier wake-ups, which
        // already wake the poll) must not change errno under the code we interrupted.
        // SAFETY: errno_slot returns this thread's errno slot, always valid.
        let saved = unsafe { *errno_slot() };
        // SAFETY: write is async-signal-safe; `fd` is the non-blocking write end,
        // open for the life of the process, and the buffer is one valid byte.
        unsafe { libc::write(fd, [0u8].as_ptr().cast(), 1) };
        // SAFETY: as above.
        unsafe { *errno_slot() = saved };
    }
}

/// This thread's `errno`, by the name each C library gives its accessor
/// (`<errno.h>` defines `errno` as a call to it).
fn errno_slot() -> *mut libc::c_int {
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "dragonfly"))]
    // SAFETY: takes nothing; returns the calling thread's errno slot.
    return unsafe { libc::__errno_location() };
    #[cfg(any(target_os = "freebsd", target_vendor = "apple"))]
    // SAFETY: takes nothing; returns the calling thread's errno slot.
    return unsafe { libc::__error() };
    #[cfg(any(target_os = "netbsd", target_os = "openbsd"))]
    // SAFETY: takes nothing; returns the calling thread's errno slot.
    return unsafe { libc::__errno() };
    #[cfg(any(target_os = "illumos", target_os = "solaris"))]
    // SAFETY: takes nothing; returns the calling thread's errno slot.
    return unsafe { libc::___errno() };
}

/// The read end of the self-pipe: readable once a stop signal has arrived.
/// (The write end is kept open, never closed, for the handler.)
struct StopSignals(Socket);

/// Makes the self-pipe, then catches SIGINT and SIGTERM. A signal before this
/// ends the process by its default action, before there is a file to remove.
fn catch_stop_signals() -> Res<StopSignals> {
    // A Unix socket pair as the pipe: bsdsock makes it, and it is close-on-exec.
    let (rx, tx) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
    set_nonblocking(&tx, true)?; // the handler must never block
    // Never closed: the handler may run until the process ends.
    WAKE_FD.store(tx.into_raw_fd(), Ordering::SeqCst);
    for signo in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: sigaction is plain data; all-zero is an empty mask and no flags.
        let mut sa: libc::sigaction = unsafe { std::mem::zeroed() };
        sa.sa_sigaction = on_stop as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // SAFETY: `sa` is initialised and the handler is async-signal-safe.
        if unsafe { libc::sigaction(signo, &sa, ptr::null_mut()) } < 0 {
            return Err(format!("sigaction: {}", io::Error::last_os_error()).into());
        }
    }
    Ok(StopSignals(rx))
}

fn stopped() -> Box<dyn Error + Send + Sync> {
    format!("stopped by signal {}", STOP.load(Ordering::SeqCst)).into()
}

/// Waits until `sock` is readable, or fails once a stop signal has arrived.
///
/// Why not a blocking accept/recv that checks a stop flag on EINTR: a signal
/// that arrives before the call blocks (after bind, say) interrupts nothing,
/// and the call then waits for a client that may never come; checking the flag
/// just before the call only narrows that window. Here the handler also writes
/// a byte to a self-pipe, and the byte stays there: poll() on the socket and
/// the pipe together returns at once whether the signal came long before the
/// poll or during it. No window is left, and nothing depends on EINTR.
fn wait_readable(sock: &Socket, stop: Option<&StopSignals>) -> Res<()> {
    loop {
        let mut fds = vec![PollFd::new(sock.as_fd(), PollFlags::IN)];
        fds.extend(stop.map(|s| PollFd::new(s.0.as_fd(), PollFlags::IN)));
        match poll(&mut fds, None) {
            Ok(_) => {}
            Err(e) if e.errno() == Some(Errno::EINTR) => continue, // the next poll sees the byte
            Err(e) => return Err(e.into()),
        }
        if fds.get(1).is_some_and(|f| !f.revents().is_empty()) {
            return Err(stopped());
        }
        if !fds[0].revents().is_empty() {
            return Ok(());
        }
    }
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
    // Non-blocking: poll may call it readable and the client give up before
    // accept; accept then says EAGAIN instead of blocking past a stop signal.
    set_nonblocking(&sockfd, true)?;
    Ok((sockfd, file))
}

/// The body of U_server.c: accept, read at most 80 bytes, print, answer; each
/// blocking step preceded by a wait that a stop signal ends.
fn serve_one(sockfd: &Socket, stop: Option<&StopSignals>) -> Res<()> {
    let newsockfd = loop {
        wait_readable(sockfd, stop)?;
        match accept(sockfd) {
            Ok((conn, _cli_addr)) => break conn,
            Err(e)
                if matches!(
                    e.errno(),
                    Some(Errno::EAGAIN | Errno::ECONNABORTED | Errno::EINTR)
                ) => {}
            Err(e) => return Err(e.into()),
        }
    };
    // BSD and macOS pass the listener's O_NONBLOCK on to the connection; Linux does not.
    set_nonblocking(&newsockfd, false)?;
    let mut buf = [0u8; 80];
    wait_readable(&newsockfd, stop)?;
    let n = recv(&newsockfd, &mut buf, MsgFlags::empty())?;
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
        let served = serve_one(&sockfd, None);
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
    let stop = catch_stop_signals()?;
    let (sockfd, _file) = listen_on(Path::new(path))?;
    serve_one(&sockfd, Some(&stop))
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
