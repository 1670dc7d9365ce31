//! Happy Eyeballs ([RFC 8305]): connect by name to whichever address answers
//! first, IPv6 preferred, within a deadline.
//!
//! The addresses are ordered IPv6 first, then alternating families (§4). The
//! attempts start one [`CONNECTION_ATTEMPT_DELAY`] apart (§5), each a
//! non-blocking `connect` watched with `poll`, as in Stevens' `connect_nonb`
//! (*UNIX Network Programming*, Vol. 1, 3rd ed., chapter 16); an attempt that fails
//! starts the next one at once. The first to connect wins and every other
//! socket is closed.
//!
//! [RFC 8305]: https://www.rfc-editor.org/rfc/rfc8305

use std::net::SocketAddr;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use crate::{Attempt, Domain, Errno, Error, PollFd, PollFlags, Result, Socket, Type, opt};

use super::{AddrInfo, AddrInfoHints, getaddrinfo};

/// The "Connection Attempt Delay" of RFC 8305 §5: the time between the starts
/// of two attempts, 250 ms as the RFC recommends.
///
/// ```
/// assert_eq!(bsdsock::netdb::CONNECTION_ATTEMPT_DELAY.as_millis(), 250);
/// ```
pub const CONNECTION_ATTEMPT_DELAY: Duration = Duration::from_millis(250);

/// Connects to `host`/`service` over TCP within `timeout`, by Happy Eyeballs
/// ([RFC 8305](https://www.rfc-editor.org/rfc/rfc8305)): the one call of
/// Python's `socket.create_connection(address, timeout)`, racing the addresses
/// as asyncio's `happy_eyeballs_delay` does, under one deadline for the whole
/// call; the loop of [`tcp_connect`](super::tcp_connect) made concurrent and
/// bounded.
///
/// Resolves with [`getaddrinfo`], orders the addresses IPv6 first then
/// alternating families, and starts a non-blocking `connect` to one address
/// every 250 ms ([`CONNECTION_ATTEMPT_DELAY`]), or at once when every attempt
/// so far has failed. The first connection made wins; the other sockets are
/// closed. The socket returned is connected, blocking and close-on-exec.
///
/// The whole call takes at most `timeout`, the name lookup included; a lookup
/// cannot be interrupted, though, so a resolver that is slower than `timeout`
/// makes the call return (`ETIMEDOUT`) only when it answers. A `timeout` too
/// long for [`Instant`] to hold (`Duration::MAX`) sets no deadline: each attempt
/// then ends when its handshake does or the kernel gives up on it.
///
/// # Errors
/// - [`Error::Attempts`] when no address connected: each address with its last
///   failure, in the order tried. Its [`errno`](Error::errno) is `ETIMEDOUT`
///   when the deadline passed (then [`kind`](Error::kind) is `TimedOut`),
///   else that of the last failure (`ECONNREFUSED`, ...).
/// - [`Error::Gai`] when the name does not resolve.
/// - [`Error::InvalidInput`] for a zero `timeout` (no call is made).
///
/// ```
/// use std::time::Duration;
/// use bsdsock::netdb::{tcp_connect_timeout, tcp_listen};
/// use bsdsock::Errno;
/// let server = tcp_listen(Some("127.0.0.1"), "0", 5)?;
/// let port = server.getsockname()?.port().unwrap().to_string();
/// let conn = tcp_connect_timeout("localhost", &port, Duration::from_secs(5))?;
/// assert_eq!(conn.getpeername()?, server.getsockname()?);
/// assert!(!conn.is_nonblocking()?);
///
/// drop(server); // nobody listens now: every address is refused
/// let err = tcp_connect_timeout("127.0.0.1", &port, Duration::from_secs(5)).unwrap_err();
/// assert_eq!(err.errno(), Some(Errno::ECONNREFUSED));
/// assert!(err.to_string().ends_with(&format!("127.0.0.1:{port} connect ECONNREFUSED")));
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[doc(alias = "create_connection")]
pub fn tcp_connect_timeout(host: &str, service: &str, timeout: Duration) -> Result<Socket> {
    const CALL: &str = "tcp_connect_timeout";
    let deadline = start(CALL, timeout)?;
    let hints = AddrInfoHints { socktype: Type::STREAM, ..Default::default() };
    let addrs = getaddrinfo(Some(host), Some(service), &hints)?;
    race(CALL, &addrs, deadline)
}

/// Happy Eyeballs over addresses already resolved: the race inside
/// [`tcp_connect_timeout`], as [`connect_first`](super::connect_first) is the
/// loop inside [`tcp_connect`](super::tcp_connect). Addresses other than IPv4
/// and IPv6 are skipped; one listed twice is tried once. The `timeout` is as
/// for [`tcp_connect_timeout`], `Duration::MAX` meaning no deadline.
///
/// ```
/// use std::time::Duration;
/// use bsdsock::netdb::{getaddrinfo, happy_eyeballs, AddrInfoHints, AiFlags};
/// use bsdsock::{Domain, Socket, Type};
/// let server = Socket::new(Domain::INET, Type::STREAM, Default::default())?;
/// server.bind(&"127.0.0.1:0".parse()?)?;
/// server.listen(1)?;
/// let port = server.getsockname()?.port().unwrap().to_string();
/// let hints = AddrInfoHints { flags: AiFlags::NUMERICHOST, socktype: Type::STREAM, ..Default::default() };
/// let mut addrs = getaddrinfo(Some("::1"), Some(&port), &hints)?; // nobody there: refused
/// addrs.extend(getaddrinfo(Some("127.0.0.1"), Some(&port), &hints)?);
/// let conn = happy_eyeballs(&addrs, Duration::from_secs(5))?;
/// assert_eq!(conn.getpeername()?, server.getsockname()?);
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn happy_eyeballs<'a>(
    addrs: impl IntoIterator<Item = &'a AddrInfo>,
    timeout: Duration,
) -> Result<Socket> {
    const CALL: &str = "happy_eyeballs";
    let deadline = start(CALL, timeout)?;
    race(CALL, addrs, deadline)
}

/// The deadline of a call that starts now, or its error for a zero timeout. A
/// timeout too large for `Instant` has none.
fn start(call: &'static str, timeout: Duration) -> Result<Option<Instant>> {
    if timeout.is_zero() {
        return Err(Error::invalid(call, "the timeout must not be zero"));
    }
    Ok(Instant::now().checked_add(timeout))
}

/// The IP addresses of `addrs` in the order of RFC 8305 §4: IPv6 first, then
/// alternating families, each family in the resolver's order; duplicates
/// dropped.
pub(super) fn order<'a>(addrs: impl IntoIterator<Item = &'a AddrInfo>) -> Vec<&'a AddrInfo> {
    let (mut v6, mut v4) = (Vec::new(), Vec::new());
    for ai in addrs {
        let list = match ai.family {
            Domain::INET6 => &mut v6,
            Domain::INET => &mut v4,
            _ => continue,
        };
        let seen = |x: &&AddrInfo| {
            x.addr == ai.addr && x.socktype == ai.socktype && x.protocol == ai.protocol
        };
        if !list.iter().any(seen) {
            list.push(ai);
        }
    }
    let mut out = Vec::with_capacity(v6.len() + v4.len());
    let (mut a, mut b) = (v6.into_iter(), v4.into_iter());
    loop {
        match (a.next(), b.next()) {
            (None, None) => return out,
            (x, y) => out.extend(x.into_iter().chain(y)),
        }
    }
}

/// Where one address stands in the race.
enum State {
    /// Its turn has not come.
    Waiting,
    /// A non-blocking connect is under way.
    Trying(Socket),
    /// It failed: the call and errno.
    Failed(&'static str, Errno),
}

/// How starting an attempt turned out.
enum Started {
    Connected(Socket),
    InProgress(Socket),
}

/// socket + `O_NONBLOCK` + connect for one address; a failure is the call and
/// errno (the socket, if any, is closed).
fn begin(ai: &AddrInfo) -> std::result::Result<Started, (&'static str, Errno)> {
    let s = ai.socket().map_err(|e| os_parts(&e, "socket"))?;
    s.set_nonblocking(true).map_err(|e| os_parts(&e, "fcntl(F_SETFL)"))?;
    match s.connect(&ai.addr) {
        Ok(()) => Ok(Started::Connected(s)),
        // EINTR: the attempt goes on asynchronously, as after EINPROGRESS.
        Err(e) if matches!(e.errno(), Some(Errno::EINPROGRESS | Errno::EINTR)) => {
            Ok(Started::InProgress(s))
        }
        Err(e) => Err(os_parts(&e, "connect")),
    }
}

/// The call and errno of a failure below (an OS error, always, for the calls
/// made here; `fallback` names the call otherwise).
fn os_parts(e: &Error, fallback: &'static str) -> (&'static str, Errno) {
    match *e {
        Error::Os { call, errno } => (call, errno),
        _ => (fallback, e.errno().unwrap_or(Errno::EINVAL)),
    }
}

/// A connected socket made blocking again: the winner.
fn finish(s: Socket) -> Result<Socket> {
    s.set_nonblocking(false)?;
    Ok(s)
}

/// The race over `addrs`, in RFC 8305 order, until one connects, all fail, or
/// `deadline` passes.
fn race<'a>(
    call: &'static str,
    addrs: impl IntoIterator<Item = &'a AddrInfo>,
    deadline: Option<Instant>,
) -> Result<Socket> {
    let order = order(addrs);
    if order.is_empty() {
        return Err(Error::invalid(call, "no IP addresses to try"));
    }
    let mut states: Vec<State> = order.iter().map(|_| State::Waiting).collect();
    let (mut next, mut trying) = (0, 0);
    let mut next_start = Instant::now();
    let mut last = Errno::ETIMEDOUT;
    loop {
        let now = Instant::now();
        if deadline.is_some_and(|d| now >= d) {
            return Err(failed(call, &order, states, Errno::ETIMEDOUT));
        }
        // Start the next attempt when its time has come, or at once when none is
        // under way; one that fails at once makes room for the next.
        while next < order.len() && (trying == 0 || now >= next_start) {
            match begin(order[next]) {
                Ok(Started::Connected(s)) => return finish(s),
                Ok(Started::InProgress(s)) => {
                    states[next] = State::Trying(s);
                    trying += 1;
                    next_start = now + CONNECTION_ATTEMPT_DELAY;
                    next += 1;
                    break;
                }
                Err((c, errno)) => {
                    states[next] = State::Failed(c, errno);
                    last = errno;
                    next += 1;
                }
            }
        }
        if trying == 0 {
            return Err(failed(call, &order, states, last));
        }
        let until_start = (next < order.len()).then(|| next_start.saturating_duration_since(now));
        let until_deadline = deadline.map(|d| d.saturating_duration_since(now));
        let wait = match (until_start, until_deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        for (i, ready) in wait_ready(&states, wait)? {
            if ready.is_empty() {
                continue;
            }
            let State::Trying(s) = std::mem::replace(&mut states[i], State::Waiting) else {
                continue;
            };
            // The handshake ended: SO_ERROR says how (Stevens, chapter 16).
            match opt::getsockopt(&s, opt::SO_ERROR) {
                Ok(None) => return finish(s),
                Ok(Some(errno)) => states[i] = State::Failed("connect", errno),
                Err(e) => {
                    let (c, errno) = os_parts(&e, "getsockopt(SO_ERROR)");
                    states[i] = State::Failed(c, errno);
                }
            }
            if let State::Failed(_, errno) = states[i] {
                last = errno;
            }
            trying -= 1;
            // A failure hands its turn on: the next attempt starts now (§5).
            next_start = now;
        }
    }
}

/// Polls every attempt under way for writability for at most `wait`; returns
/// each one's index and what was reported (empty on timeout). `EINTR` is an
/// empty answer: the caller's loop recomputes the time left.
fn wait_ready(states: &[State], wait: Option<Duration>) -> Result<Vec<(usize, PollFlags)>> {
    let mut index = Vec::new();
    let mut fds = Vec::new();
    for (i, st) in states.iter().enumerate() {
        if let State::Trying(s) = st {
            index.push(i);
            fds.push(PollFd::new(s.as_fd(), PollFlags::OUT));
        }
    }
    match crate::poll(&mut fds, wait) {
        Ok(_) => Ok(index.into_iter().zip(fds.iter().map(PollFd::revents)).collect()),
        Err(e) if e.errno() == Some(Errno::EINTR) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// The error once no address can connect any more: each with its last failure
/// (`ETIMEDOUT` for those still under way or waiting at the deadline).
#[cold]
fn failed(call: &'static str, order: &[&AddrInfo], states: Vec<State>, errno: Errno) -> Error {
    let attempts = order
        .iter()
        .zip(states)
        .filter_map(|(ai, st)| {
            let addr = SocketAddr::try_from(ai.addr.clone()).ok()?;
            let (call, errno) = match st {
                State::Failed(c, e) => (c, e),
                State::Waiting | State::Trying(_) => ("connect", Errno::ETIMEDOUT),
            };
            Some(Attempt { addr, call, errno })
        })
        .collect();
    Error::Attempts { call, errno, attempts }
}
