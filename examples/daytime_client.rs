//! The daytime client of the CIS 4307 notes ("modified from Stevens",
//! shared/seeds/003, Example 3; Stevens' daytimetcpcli): connect to a daytime
//! server and copy everything it sends to stdout until it closes the connection.
//!
//! ```text
//! cargo run --example daytime_client -- localhost        # port 13, the daytime service
//! cargo run --example daytime_client -- localhost 2013   # talks to `daytime_server 2013`
//! cargo run --example daytime_client -- --demo           # runs the server's logic on a thread
//! ```
//!
//! Stevens' client takes a dotted address (inet_pton); this one takes a host name
//! too, resolved with gethostbyname. It reads in a loop because TCP keeps no
//! message boundaries: the answer may come in several pieces, and read returns 0
//! only when the server has closed.

use std::error::Error;
use std::io::{self, Write};
use std::net::Ipv4Addr;
use std::process::ExitCode;
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use bsdsock::{
    Domain, Errno, INADDR_LOOPBACK, MsgFlags, Protocol, SockAddrIn, Socket, Type, accept, bind,
    connect, listen, recv, socket, writen,
};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const USAGE: &str = "usage: daytime_client HOST [PORT] | daytime_client --demo";

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

fn client(host: &str, port: u16) -> Res<()> {
    let sockfd = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    let Some(ip) = h_addr(host)? else {
        return Err(format!("no IPv4 address for {host}").into());
    };
    connect(&sockfd, &SockAddrIn::new(ip, port).into())?;
    let mut recvline = [0u8; 4096]; // MAXLINE
    // stdout is locked per write, never across recv: the demo's server thread
    // prints too, and would wait for the lock while we wait for its data.
    let mut out = io::stdout();
    loop {
        let n = match recv(&sockfd, &mut recvline, MsgFlags::empty()) {
            Ok(0) => break, // the server closed: the whole answer is here
            Ok(n) => n,
            Err(e) if e.errno() == Some(Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        };
        out.write_all(&recvline[..n])?; // fputs(recvline, stdout)
    }
    out.flush()?;
    Ok(())
}

/// The server's logic for the demo, on a thread: one connection. The time is
/// formatted by hand here, in UTC (daytime_server.rs uses libc's ctime_r and
/// local time).
fn demo_server(listenfd: Socket) -> Res<()> {
    let (connfd, cliaddr) = accept(&listenfd)?;
    println!("(server) connection from {cliaddr}");
    let secs = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    writen(&connfd, format!("{}\r\n", ctime_utc(secs)).as_bytes())?;
    Ok(())
}

/// `ctime`'s format ("Thu Nov 21 09:30:00 2026") for a UTC time.
fn ctime_utc(secs: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]; // 1970-01-01: Thursday
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{} {} {:2} {:02}:{:02}:{:02} {year}",
        DAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize],
        day,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn demo() -> Res<()> {
    let listenfd = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    bind(&listenfd, &SockAddrIn::new(INADDR_LOOPBACK, 0).into())?;
    listen(&listenfd, 5)?;
    let port = listenfd.getsockname()?.port().unwrap_or(0);
    println!("(server) listening on 127.0.0.1:{port} on a thread");
    let server = thread::spawn(move || demo_server(listenfd));
    println!("$ daytime_client localhost {port}");
    let talked = client("localhost", port);
    server.join().map_err(|_| "server thread panicked")??;
    talked
}

fn run(host: &str, port: Option<&str>) -> Res<()> {
    let port: u16 = match port {
        Some(p) => p.parse().map_err(|e| format!("invalid port {p:?}: {e}"))?,
        None => tcp_service_port("daytime")?,
    };
    if port == 0 {
        return Err("invalid port 0: a server cannot listen there".into());
    }
    client(host, port)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag] if flag == "--demo" => demo(),
        [host] => run(host, None),
        [host, port] => run(host, Some(port)),
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("daytime_client: {e}");
            ExitCode::FAILURE
        }
    }
}
