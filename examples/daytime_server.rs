//! The daytime server of the CIS 4307 notes ("modified from Stevens", shared/seeds/003,
//! Example 3; Stevens' daytimetcpsrv1): for each connection, print who it is from,
//! write the time as `ctime` formats it plus "\r\n", and close.
//!
//! ```text
//! cargo run --example daytime_server             # port 13, the daytime service (needs root)
//! cargo run --example daytime_server -- 2013     # any port; 0 lets the kernel pick and prints it
//! cargo run --example daytime_server -- --demo   # three clients on a thread, then exits
//! ```
//!
//! The default port comes from /etc/services (`getservbyname("daytime", "tcp")`).
//! The time is formatted by libc's `ctime_r`: Stevens calls `ctime`, whose static
//! buffer is not safe once there are threads.

use std::error::Error;
use std::ffi::CStr;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bsdsock::opt::SO_RCVTIMEO;
use bsdsock::{
    Domain, Errno, INADDR_ANY, INADDR_LOOPBACK, Protocol, SOMAXCONN, SockAddr, SockAddrIn, Socket,
    Type, accept, bind, close, connect, listen, readn, socket, writen,
};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

/// C's `time_t`. The `libc` crate marks its musl alias deprecated (it means to
/// widen it, as musl 1.2 did on 32-bit targets); a value handed straight back to C
/// is unaffected.
#[allow(deprecated)]
type TimeT = libc::time_t;

const USAGE: &str = "usage: daytime_server [PORT] | daytime_server --demo";

// POSIX's ctime_r (<time.h>), which the libc crate binds for glibc and Apple
// only (musl has it too, with this prototype). NetBSD's <time.h> renames it to
// __ctime_r50 (its 64-bit time_t ABI); illumos' POSIX form is __posix_ctime_r
// (its plain ctime_r takes a third, length argument).
#[cfg(not(any(all(target_os = "linux", target_env = "gnu"), target_vendor = "apple")))]
unsafe extern "C" {
    #[cfg_attr(target_os = "netbsd", link_name = "__ctime_r50")]
    #[cfg_attr(target_os = "illumos", link_name = "__posix_ctime_r")]
    fn ctime_r(timep: *const TimeT, buf: *mut libc::c_char) -> *mut libc::c_char;
}
#[cfg(any(all(target_os = "linux", target_env = "gnu"), target_vendor = "apple"))]
use libc::ctime_r;

/// `snprintf(buff, sizeof(buff), "%.24s\r\n", ctime(&ticks))`.
fn daytime() -> Res<String> {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let ticks = TimeT::try_from(secs)?;
    let mut buf = [0 as libc::c_char; 26]; // ctime_r's documented minimum
    // SAFETY: `ticks` is a valid time_t and `buf` has the 26 bytes ctime_r needs.
    let p = unsafe { ctime_r(&ticks, buf.as_mut_ptr()) };
    if p.is_null() {
        return Err("ctime_r: the time cannot be formatted".into());
    }
    let bytes: Vec<u8> = buf.iter().map(|&c| c as u8).collect();
    let text = CStr::from_bytes_until_nul(&bytes)?.to_str()?;
    Ok(format!("{}\r\n", text.trim_end_matches('\n')))
}

fn listen_on(ip: std::net::Ipv4Addr, port: u16) -> Res<Socket> {
    let listenfd = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    bind(&listenfd, &SockAddrIn::new(ip, port).into())?;
    listen(&listenfd, SOMAXCONN)?;
    Ok(listenfd)
}

/// Stevens' loop: accept, print, write, close. `count` connections, or forever.
fn serve(listenfd: &Socket, count: Option<usize>) -> Res<()> {
    let mut served = 0;
    while count.is_none_or(|c| served < c) {
        let (connfd, cliaddr) = match accept(listenfd) {
            Ok(conn) => conn,
            Err(e) if e.errno() == Some(Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        };
        match (cliaddr.ip(), cliaddr.port()) {
            (Some(ip), Some(port)) => println!("connection from {ip}, port {port}"),
            _ => println!("connection from {cliaddr}"),
        }
        writen(&connfd, daytime()?.as_bytes())?;
        close(connfd)?;
        served += 1;
    }
    Ok(())
}

/// daytimetcpcli's side of the demo, on a thread: read until the server closes.
fn demo_client(addr: SockAddr, times: usize) -> Res<()> {
    for _ in 0..times {
        let sockfd = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
        sockfd.set(SO_RCVTIMEO, Some(Duration::from_secs(5)))?; // never hang the demo
        connect(&sockfd, &addr)?;
        let mut recvline = [0u8; 64];
        let n = readn(&sockfd, &mut recvline)?; // stops at the server's close (EOF)
        println!("(client) {}", String::from_utf8_lossy(&recvline[..n]).trim_end());
    }
    Ok(())
}

fn demo() -> Res<()> {
    const CLIENTS: usize = 3;
    let listenfd = listen_on(INADDR_LOOPBACK, 0)?;
    listenfd.set(SO_RCVTIMEO, Some(Duration::from_secs(10)))?; // accept gives up, never hangs
    let addr = listenfd.getsockname()?;
    println!("server: listening on {addr}; a client thread connects {CLIENTS} times");
    let client = thread::spawn(move || demo_client(addr, CLIENTS));
    let served = serve(&listenfd, Some(CLIENTS));
    client.join().map_err(|_| "client thread panicked")??;
    served
}

/// `getservbyname(name, "tcp")->s_port`, in host byte order. bsdsock has
/// `getservbyname` where it wraps the C library's reentrant form (glibc, musl);
/// elsewhere getaddrinfo of the service alone gives the same port.
#[cfg(netdb_r)]
fn tcp_service_port(name: &str) -> Res<u16> {
    Ok(bsdsock::netdb::getservbyname(name, Some("tcp"))?.port)
}

/// `getservbyname(name, "tcp")->s_port`, by getaddrinfo (see the netdb_r version).
#[cfg(not(netdb_r))]
fn tcp_service_port(name: &str) -> Res<u16> {
    use bsdsock::netdb::{AddrInfoHints, getaddrinfo};
    let hints =
        AddrInfoHints { family: Domain::INET, socktype: Type::STREAM, ..AddrInfoHints::default() };
    let list = getaddrinfo(None, Some(name), &hints)?;
    list.first().and_then(|ai| ai.addr.port()).ok_or_else(|| format!("no port for {name}").into())
}

fn run(port: Option<&str>) -> Res<()> {
    let port: u16 = match port {
        Some(p) => p.parse().map_err(|e| format!("invalid port {p:?}: {e}"))?,
        None => tcp_service_port("daytime")?,
    };
    let listenfd = listen_on(INADDR_ANY, port)?;
    if port == 0 {
        println!("server: listening on port {}", listenfd.getsockname()?.port().unwrap_or(0));
    }
    serve(&listenfd, None)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag] if flag == "--demo" => demo(),
        [port] => run(Some(port)),
        [] => run(None),
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("daytime_server: {e}");
            ExitCode::FAILURE
        }
    }
}
