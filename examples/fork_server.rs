//! The tutorial's "real world" server (shared/seeds/002, "Enhancements to the
//! server code" and "The zombie problem"): accept in a loop, fork one process per
//! connection, and reap every child so that no zombie is left.
//!
//! ```text
//! cargo run --example fork_server -- 2000    # serve until killed; try client.rs against it
//! cargo run --example fork_server -- --demo  # a zombie first; then 5 clients, and none left
//! ```
//!
//! Why fork, and not re-exec'ing this program with the connection as stdin/stdout
//! (inetd style): fork is what the notes teach, and the zombie problem exists only
//! because of it; a re-exec would still need fork (or posix_spawn) underneath and
//! would hide the point. fork is the one call here that bsdsock does not wrap, so
//! this example calls libc directly (fork, sigaction, waitpid). Forking is safe
//! only while the process has a single thread (the child gets one thread and a
//! copy of every lock, possibly held by a thread that no longer exists), so
//! `fork()` below checks that, and the demo forks its clients instead of running
//! them on threads.
//!
//! Reaping: the SIGCHLD handler is the notes' `SigCatcher`, but it loops on
//! `waitpid(-1, WNOHANG)`: signals are not queued, so when several children end
//! together a single wait per signal would leave zombies behind. SA_RESTART lets
//! the interrupted accept() resume.

use std::error::Error;
use std::io::{self, Write};
use std::process::{self, ExitCode};
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};
use std::{fs, ptr};

use bsdsock::opt::SO_RCVTIMEO;
use bsdsock::{
    Domain, Errno, INADDR_ANY, INADDR_LOOPBACK, MsgFlags, Protocol, SockAddr, SockAddrIn, Socket,
    Type, accept, bind, close, connect, listen, recv, socket, writen,
};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const USAGE: &str = "usage: fork_server PORT | fork_server --demo";

/// Children reaped by the handler so far.
static REAPED: AtomicUsize = AtomicUsize::new(0);
/// A child whose exit status the handler keeps (the demo's client process).
static WATCHED: AtomicI32 = AtomicI32::new(0);
static WATCHED_STATUS: AtomicI32 = AtomicI32::new(-1);

/// The SIGCHLD handler. Only async-signal-safe work: waitpid, atomics, errno.
extern "C" fn sig_catcher(_signo: libc::c_int) {
    // waitpid ends with ECHILD; the code this signal interrupted must not see it.
    let saved = Errno::last();
    loop {
        let mut status = 0;
        // SAFETY: waitpid is async-signal-safe and `status` is a valid c_int.
        let pid = unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) };
        if pid <= 0 {
            break; // 0: children left but none finished; -1: no children (ECHILD)
        }
        REAPED.fetch_add(1, Ordering::SeqCst);
        if pid == WATCHED.load(Ordering::SeqCst) {
            WATCHED_STATUS.store(status, Ordering::SeqCst);
        }
    }
    // SAFETY: errno_slot returns this thread's errno slot, always valid.
    unsafe { *errno_slot() = saved.as_raw() };
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

fn install_sig_catcher() -> Res<()> {
    // SAFETY: sigaction is plain data; all-zero is an empty mask and no flags.
    let mut sa: libc::sigaction = unsafe { std::mem::zeroed() };
    sa.sa_sigaction = sig_catcher as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SA_NOCLDSTOP: no signal when a child merely stops.
    sa.sa_flags = libc::SA_RESTART | libc::SA_NOCLDSTOP;
    // SAFETY: `sa` is initialised and the handler is async-signal-safe.
    if unsafe { libc::sigaction(libc::SIGCHLD, &sa, ptr::null_mut()) } < 0 {
        return Err(format!("sigaction(SIGCHLD): {}", io::Error::last_os_error()).into());
    }
    Ok(())
}

enum Forked {
    Child,
    Parent(libc::pid_t),
}

fn fork() -> Res<Forked> {
    let threads = fs::read_dir("/proc/self/task")?.count();
    if threads != 1 {
        return Err(format!("fork: refusing to fork a process with {threads} threads").into());
    }
    io::stdout().flush()?; // or the child would print our buffered output again
    // SAFETY: the process has a single thread (checked above), so the child starts
    // with consistent locks and allocator state; it serves one socket and exits.
    match unsafe { libc::fork() } {
        -1 => Err(format!("fork: {}", io::Error::last_os_error()).into()),
        0 => Ok(Forked::Child),
        pid => Ok(Forked::Parent(pid)),
    }
}

/// How a child ends: `exit(0)`, or the error and `exit(1)`.
fn exit_child(result: Res<()>) -> ! {
    let code = match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("fork_server[{}]: {e}", process::id());
            1
        }
    };
    let _ = io::stdout().flush();
    process::exit(code)
}

/// The tutorial's `dostuff`: one read, print, one reply.
fn dostuff(sock: &Socket) -> Res<()> {
    let mut buffer = [0u8; 256];
    let n = recv(sock, &mut buffer[..255], MsgFlags::empty())?;
    let message = String::from_utf8_lossy(&buffer[..n]);
    println!("[pid {}] Here is the message: {}", process::id(), message.trim_end_matches('\n'));
    writen(sock, b"I got your message")?;
    Ok(())
}

fn listen_on(ip: std::net::Ipv4Addr, port: u16) -> Res<Socket> {
    let sockfd = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    bind(&sockfd, &SockAddrIn::new(ip, port).into())?;
    listen(&sockfd, 5)?;
    Ok(sockfd)
}

/// The accept/fork loop; stops after `max` connections if given.
fn serve(sockfd: Socket, max: Option<usize>) -> Res<Socket> {
    let mut served = 0;
    while max.is_none_or(|m| served < m) {
        let (newsockfd, cli_addr) = match accept(&sockfd) {
            Ok(conn) => conn,
            // A signal can still interrupt accept (always, with SO_RCVTIMEO set).
            Err(e) if e.errno() == Some(Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        };
        match fork()? {
            Forked::Child => {
                // The child serves only its connection, and must never return
                // into the accept loop: every path ends in exit_child.
                let served = close(sockfd).map_err(Into::into).and_then(|()| dostuff(&newsockfd));
                exit_child(served);
            }
            Forked::Parent(pid) => {
                close(newsockfd)?; // the child has its own copy
                println!("server: connection from {cli_addr} -> child pid {pid}");
                served += 1;
            }
        }
    }
    Ok(sockfd)
}

/// This process's children, and how many of them are zombies (as `ps` sees them).
fn children() -> io::Result<(usize, usize)> {
    let me = process::id().to_string();
    let (mut all, mut zombies) = (0, 0);
    for entry in fs::read_dir("/proc")? {
        let entry = entry?;
        if !entry.file_name().to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        // A process can vanish while we look: skip what cannot be read.
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else { continue };
        // "pid (comm) state ppid ...": comm may hold spaces, so split at the last ')'.
        let Some((_, rest)) = stat.rsplit_once(')') else { continue };
        let mut fields = rest.split_whitespace();
        let (state, ppid) = (fields.next(), fields.next());
        if ppid == Some(me.as_str()) {
            all += 1;
            zombies += usize::from(state == Some("Z"));
        }
    }
    Ok((all, zombies))
}

/// The demo's client process: connect every client first, then send in reverse
/// order, each waiting for its answer. Only concurrent servers get through this:
/// an iterative one would sit reading the first connection, which speaks last.
fn demo_clients(addr: &SockAddr, n: usize) -> Res<()> {
    let mut conns = Vec::new();
    for _ in 0..n {
        let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
        s.set(SO_RCVTIMEO, Some(Duration::from_secs(10)))?;
        connect(&s, addr)?;
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

/// The problem first: with SIGCHLD left at its default, a child that has
/// exited stays in the process table as a zombie until someone waits for it.
fn show_zombie() -> Res<()> {
    let pid = match fork()? {
        Forked::Child => exit_child(Ok(())),
        Forked::Parent(pid) => pid,
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    while children()?.1 == 0 && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    let (_, zombies) = children()?;
    println!("without a handler: child {pid} has exited; zombies: {zombies} (state Z in /proc)");
    let mut status = 0;
    // SAFETY: `pid` is our child and `status` a valid c_int.
    if unsafe { libc::waitpid(pid, &mut status, 0) } != pid {
        return Err(format!("waitpid({pid}): {}", io::Error::last_os_error()).into());
    }
    println!("waitpid({pid}) reaps it; zombies: {}", children()?.1);
    if zombies != 1 {
        return Err("the exited child was not seen as a zombie".into());
    }
    Ok(())
}

fn demo() -> Res<()> {
    const CLIENTS: usize = 5;
    show_zombie()?;
    install_sig_catcher()?;
    let sockfd = listen_on(INADDR_LOOPBACK, 0)?;
    // Bounded: if the clients never come, accept fails with EAGAIN instead of hanging.
    sockfd.set(SO_RCVTIMEO, Some(Duration::from_secs(10)))?;
    let addr = sockfd.getsockname()?;
    println!("server: pid {} listening on {addr}", process::id());

    let client_pid = match fork()? {
        Forked::Child => {
            drop(sockfd);
            exit_child(demo_clients(&addr, CLIENTS));
        }
        Forked::Parent(pid) => pid,
    };
    // The client cannot finish before all its connections are served below, so
    // the handler cannot reap it before this store.
    WATCHED.store(client_pid, Ordering::SeqCst);
    println!("server: clients run in process {client_pid}");
    close(serve(sockfd, Some(CLIENTS))?)?;

    let expected = CLIENTS + 1; // the handlers and the client process
    let deadline = Instant::now() + Duration::from_secs(10);
    while REAPED.load(Ordering::SeqCst) < expected && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    let reaped = REAPED.load(Ordering::SeqCst);
    println!("server: SIGCHLD handler reaped {reaped} children ({CLIENTS} handlers + 1 client)");
    let (left, zombies) = children()?;
    println!("server: children left: {left}, zombies: {zombies} (from /proc)");
    // SAFETY: waitpid with a null status pointer is allowed.
    let r = unsafe { libc::waitpid(-1, ptr::null_mut(), libc::WNOHANG) };
    let errno = Errno::last();
    if r == -1 && errno == Errno::ECHILD {
        println!("server: waitpid(-1, WNOHANG) -> -1 ECHILD ({errno}): no zombies left");
    } else {
        return Err(format!("waitpid(-1, WNOHANG) -> {r}: a child was not reaped").into());
    }

    let status = WATCHED_STATUS.load(Ordering::SeqCst);
    if reaped != expected || left != 0 || zombies != 0 {
        return Err(format!("expected {expected} reaped and none left").into());
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(format!("the client process failed (wait status {status:#x})").into());
    }
    Ok(())
}

fn run(port: &str) -> Res<()> {
    let port: u16 = port.parse().map_err(|e| format!("invalid port {port:?}: {e}"))?;
    install_sig_catcher()?;
    let sockfd = listen_on(INADDR_ANY, port)?;
    println!("server: pid {} listening on {}", process::id(), sockfd.getsockname()?);
    serve(sockfd, None).map(drop)
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
            eprintln!("fork_server: {e}");
            ExitCode::FAILURE
        }
    }
}
