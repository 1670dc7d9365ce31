//! The resolve-then-try-each-address helpers of Stevens' *UNIX Network
//! Programming* (`tcp_connect`, `tcp_listen`, `udp_client`, `udp_connect`,
//! `udp_server`).
//!
//! Each resolves with [`getaddrinfo`] and walks the answers in order. A socket
//! that fails at any step is dropped (closed) before the next address is tried, so
//! no descriptor leaks, and when every address fails the error of the last
//! attempt is returned.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};

use crate::{Domain, Error, Protocol, Result, SockAddr, Socket, Type, opt};

use super::{AddrInfo, AddrInfoHints, AiFlags, getaddrinfo};

/// Calls `f` on each address until one succeeds; otherwise the last error (or
/// `InvalidInput` from `call` for an empty list).
fn first_ok<'a, T>(
    call: &'static str,
    addrs: impl IntoIterator<Item = &'a AddrInfo>,
    mut f: impl FnMut(&AddrInfo) -> Result<T>,
) -> Result<T> {
    let mut last = None;
    for ai in addrs {
        match f(ai) {
            Ok(v) => return Ok(v),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| Error::invalid(call, "no addresses to try")))
}

/// How a server socket is prepared before `bind`.
#[derive(Clone, Copy)]
struct Setup {
    /// SO_REUSEADDR on: restart while old connections sit in TIME_WAIT.
    reuseaddr: bool,
    /// IPV6_V6ONLY off: an IPv6 wildcard socket also takes IPv4 (v4-mapped).
    dual_stack: bool,
    /// `listen(backlog)` after bind (stream servers).
    backlog: Option<i32>,
}

/// socket + options + bind (+ listen). On any failure the socket is dropped, and
/// so closed, before the error is returned.
fn open_server(
    family: Domain,
    ty: Type,
    protocol: Protocol,
    addr: &SockAddr,
    setup: Setup,
) -> Result<Socket> {
    let s = crate::socket(family, ty, protocol)?;
    if setup.reuseaddr {
        opt::setsockopt(&s, opt::SO_REUSEADDR, true)?;
    }
    if setup.dual_stack {
        opt::setsockopt(&s, opt::IPV6_V6ONLY, false)?;
    }
    s.bind(addr)?;
    if let Some(backlog) = setup.backlog {
        s.listen(backlog)?;
    }
    Ok(s)
}

/// A server socket on `host` (each address in turn) or, with no host, on the
/// wildcard address: `[::]` with IPV6_V6ONLY off where the system allows it, so
/// one socket takes both families, else `0.0.0.0`.
fn server(
    call: &'static str,
    host: Option<&str>,
    service: &str,
    ty: Type,
    setup: Setup,
) -> Result<Socket> {
    let hints = AddrInfoHints { flags: AiFlags::PASSIVE, socktype: ty, ..Default::default() };
    let addrs = getaddrinfo(host, Some(service), &hints)?;
    if host.is_some() {
        return first_ok(call, &addrs, |ai| {
            open_server(ai.family, ai.socktype, ai.protocol, &ai.addr, setup)
        });
    }
    // No host: only the port matters (the service may be a name).
    let port = addrs
        .iter()
        .find_map(|ai| ai.addr.port())
        .ok_or_else(|| Error::decode(call, "getaddrinfo gave no IP address for the service"))?;
    let any6 = SockAddr::from(SocketAddrV6::new(Ipv6Addr::UNSPECIFIED, port, 0, 0));
    let dual = Setup { dual_stack: true, ..setup };
    open_server(Domain::INET6, ty, Protocol::DEFAULT, &any6, dual).or_else(|_| {
        let any4 = SockAddr::from(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port));
        open_server(Domain::INET, ty, Protocol::DEFAULT, &any4, setup)
    })
}

/// Connects to the first of `addrs` that accepts: for each, `socket()` then
/// `connect()`; a socket that fails is closed before the next address is tried.
/// If all fail, the error of the last attempt; an empty list is
/// [`Error::InvalidInput`].
///
/// This is the loop inside [`tcp_connect`], for callers that resolved already.
///
/// ```
/// use bsdsock::netdb::{connect_first, getaddrinfo, AddrInfoHints, AiFlags};
/// use bsdsock::{Socket, Domain, Type};
/// let server = Socket::new(Domain::INET, Type::STREAM, Default::default())?;
/// server.bind(&"127.0.0.1:0".parse()?)?;
/// server.listen(1)?;
/// let port = server.getsockname()?.port().unwrap().to_string();
/// let hints = AddrInfoHints { flags: AiFlags::NUMERICHOST, socktype: Type::STREAM, ..Default::default() };
/// let addrs = getaddrinfo(Some("127.0.0.1"), Some(&port), &hints)?;
/// let conn = connect_first(&addrs)?;
/// assert_eq!(conn.getpeername()?, server.getsockname()?);
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn connect_first<'a>(addrs: impl IntoIterator<Item = &'a AddrInfo>) -> Result<Socket> {
    connect_each("connect_first", addrs)
}

/// socket + connect on each address in turn; see [`connect_first`].
fn connect_each<'a>(
    call: &'static str,
    addrs: impl IntoIterator<Item = &'a AddrInfo>,
) -> Result<Socket> {
    first_ok(call, addrs, |ai| {
        let s = ai.socket()?;
        s.connect(&ai.addr)?; // on Err, `s` is dropped here: closed, not leaked
        Ok(s)
    })
}

/// Stevens' `tcp_connect`: resolves `host` and `service` for a stream socket and
/// connects to the first address that accepts, trying each in turn. Sockets that
/// fail are closed; if every address fails, the last error is returned
/// (`connect: Connection refused (ECONNREFUSED)`, ...). Resolver failures are
/// [`Error::Gai`].
///
/// From *UNIX Network Programming*, Vol. 1 (3rd ed.), §11.12.
///
/// ```
/// use bsdsock::netdb::{tcp_connect, tcp_listen};
/// let server = tcp_listen(Some("localhost"), "0", 5)?;
/// let port = server.getsockname()?.port().unwrap();
/// let client = tcp_connect("localhost", &port.to_string())?;
/// let (_conn, peer) = server.accept()?;
/// assert_eq!(peer, client.getsockname()?);
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn tcp_connect(host: &str, service: &str) -> Result<Socket> {
    let hints = AddrInfoHints { socktype: Type::STREAM, ..Default::default() };
    let addrs = getaddrinfo(Some(host), Some(service), &hints)?;
    connect_each("tcp_connect", &addrs)
}

/// Stevens' `tcp_listen`: a listening stream socket for `service` with
/// `SO_REUSEADDR` on, so a restarted server can bind while old connections are in
/// TIME_WAIT.
///
/// With a `host`, binds to the first of its addresses that works. With `None`,
/// binds the wildcard address: `[::]` with `IPV6_V6ONLY` off, taking IPv4 and IPv6
/// clients on one socket, where the system allows it, else `0.0.0.0`. Service
/// `"0"` lets the kernel pick a port; read it back with `getsockname`.
///
/// From *UNIX Network Programming*, Vol. 1 (3rd ed.), §11.13.
///
/// ```
/// use bsdsock::netdb::tcp_listen;
/// let server = tcp_listen(None, "0", bsdsock::SOMAXCONN)?;
/// let port = server.getsockname()?.port().unwrap();
/// // One socket, both families (on a dual-stack system):
/// let v4 = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn tcp_listen(host: Option<&str>, service: &str, backlog: i32) -> Result<Socket> {
    let setup = Setup { reuseaddr: true, dual_stack: false, backlog: Some(backlog) };
    server("tcp_listen", host, service, Type::STREAM, setup)
}

/// Stevens' `udp_client`: an unconnected datagram socket for the first address
/// of `host`/`service` that a socket can be created for, and that address, to use
/// with `sendto`.
///
/// From *UNIX Network Programming*, Vol. 1 (3rd ed.), §11.14.
///
/// ```
/// use bsdsock::netdb::{udp_client, udp_server};
/// use bsdsock::MsgFlags;
/// let server = udp_server(Some("127.0.0.1"), "0")?;
/// let port = server.getsockname()?.port().unwrap();
/// let (client, to) = udp_client("localhost", &port.to_string())?;
/// client.sendto(b"ping", MsgFlags::empty(), &to)?;
/// let mut buf = [0u8; 8];
/// let (n, _from) = server.recvfrom(&mut buf, MsgFlags::empty())?;
/// assert_eq!(&buf[..n], b"ping");
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn udp_client(host: &str, service: &str) -> Result<(Socket, SockAddr)> {
    let hints = AddrInfoHints { socktype: Type::DGRAM, ..Default::default() };
    let addrs = getaddrinfo(Some(host), Some(service), &hints)?;
    first_ok("udp_client", &addrs, |ai| Ok((ai.socket()?, ai.addr.clone())))
}

/// Stevens' `udp_connect`: a datagram socket connected to the first address of
/// `host`/`service` that works, so plain `send`/`recv` can be used and ICMP
/// errors (`ECONNREFUSED`) are reported.
///
/// From *UNIX Network Programming*, Vol. 1 (3rd ed.), §11.15.
///
/// ```
/// use bsdsock::netdb::{udp_connect, udp_server};
/// let server = udp_server(Some("localhost"), "0")?;
/// let port = server.getsockname()?.port().unwrap();
/// let client = udp_connect("localhost", &port.to_string())?;
/// assert_eq!(client.getpeername()?, server.getsockname()?);
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn udp_connect(host: &str, service: &str) -> Result<Socket> {
    let hints = AddrInfoHints { socktype: Type::DGRAM, ..Default::default() };
    let addrs = getaddrinfo(Some(host), Some(service), &hints)?;
    connect_each("udp_connect", &addrs)
}

/// Stevens' `udp_server`: a datagram socket bound to `service` on `host`, or, with
/// `None`, on the wildcard address (dual-stack `[::]` where the system allows it,
/// else `0.0.0.0`, as for [`tcp_listen`]). `SO_REUSEADDR` is left off: on a
/// datagram socket it would let a second server share the port and split the
/// traffic.
///
/// From *UNIX Network Programming*, Vol. 1 (3rd ed.), §11.16.
///
/// ```
/// use bsdsock::netdb::udp_server;
/// let s = udp_server(None, "0")?;
/// assert_ne!(s.getsockname()?.port(), Some(0));
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn udp_server(host: Option<&str>, service: &str) -> Result<Socket> {
    let setup = Setup { reuseaddr: false, dual_stack: false, backlog: None };
    server("udp_server", host, service, Type::DGRAM, setup)
}
