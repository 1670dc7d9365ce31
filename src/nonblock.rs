//! Non-blocking mode: `fcntl(F_GETFL/F_SETFL)` with `O_NONBLOCK`, read, modify and
//! written back as Stevens' *UNIX Network Programming* does it (chapter 7, `fcntl`),
//! and [`connect_timeout`], his `connect_nonb` (chapter 16) built on it.

use std::os::fd::{AsFd, BorrowedFd};
use std::time::{Duration, Instant};

use crate::error::Context;
use crate::{Errno, Error, PollFd, PollFlags, Result, SockAddr, Socket, opt, sys};

/// Turns `O_NONBLOCK` on or off, leaving the descriptor's other flags as they were
/// ([`fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html) `F_GETFL`, then
/// `F_SETFL` only if something changes).
///
/// On a non-blocking socket a call that would wait fails instead: `recv`/`send`
/// with `EAGAIN` (= `EWOULDBLOCK`), `connect` with `EINPROGRESS` (see
/// [`connect_timeout`]). Wait for readiness with [`poll`](crate::poll) or
/// [`select`](crate::select).
///
/// ```
/// use bsdsock::{is_nonblocking, set_nonblocking, socketpair, Domain, Errno, Protocol, Type};
/// let (a, _b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// set_nonblocking(&a, true)?;
/// assert!(is_nonblocking(&a)?);
/// let mut buf = [0u8; 1];
/// assert_eq!(a.recv(&mut buf, Default::default()).unwrap_err().errno(), Some(Errno::EAGAIN));
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// # Non-blocking listeners
/// A listener in a `select`/`poll` loop should be non-blocking: it is reported
/// readable when a connection is queued, but the client may reset it before
/// [`accept`](crate::accept) runs, and a blocking `accept` would then stall the
/// whole server. Non-blocking, `accept` fails with `EAGAIN` when the queue is empty.
/// Treat these accept errors as "nothing to accept now, go back to waiting":
/// - `EAGAIN` / `EWOULDBLOCK`: no connection is queued;
/// - `ECONNABORTED`: a queued connection was reset by the client before it was
///   accepted (POSIX);
/// - `EPROTO`: the same on some older systems (SVR4 streams);
/// - `EINTR`: a signal arrived (blocking listeners only).
///
/// ```
/// use bsdsock::{accept, set_nonblocking, socket, Domain, Errno, Protocol, Type};
/// let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// l.bind(&"127.0.0.1:0".parse()?)?;
/// l.listen(16)?;
/// set_nonblocking(&l, true)?;
/// match accept(&l) {
///     Ok((_conn, _peer)) => unreachable!("nobody connected"),
///     Err(e) if matches!(
///         e.errno(),
///         Some(Errno::EAGAIN | Errno::ECONNABORTED | Errno::EPROTO | Errno::EINTR)
///     ) => {} // retryable: wait for readability again
///     Err(e) => return Err(e),
/// }
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[doc(alias = "fcntl")]
#[doc(alias = "O_NONBLOCK")]
pub fn set_nonblocking(fd: impl AsFd, on: bool) -> Result<()> {
    let fd = fd.as_fd();
    let flags = sys::fcntl_getfl(fd).ctx("fcntl(F_GETFL)")?;
    let new = if on { flags | libc::O_NONBLOCK } else { flags & !libc::O_NONBLOCK };
    if new != flags {
        sys::fcntl_setfl(fd, new).ctx("fcntl(F_SETFL)")?;
    }
    Ok(())
}

/// Whether `O_NONBLOCK` is set
/// ([`fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html) `F_GETFL`).
///
/// ```
/// use bsdsock::{is_nonblocking, socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// assert!(!is_nonblocking(&s)?);
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn is_nonblocking(fd: impl AsFd) -> Result<bool> {
    let flags = sys::fcntl_getfl(fd.as_fd()).ctx("fcntl(F_GETFL)")?;
    Ok(flags & libc::O_NONBLOCK != 0)
}

/// Whether the descriptor is close-on-exec
/// ([`fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html) `F_GETFD` &
/// `FD_CLOEXEC`). Every descriptor bsdsock creates is.
///
/// ```
/// let s = bsdsock::socket(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
/// assert!(bsdsock::is_cloexec(&s)?);
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn is_cloexec(fd: impl AsFd) -> Result<bool> {
    let flags = sys::fcntl_getfd(fd.as_fd()).ctx("fcntl(F_GETFD)")?;
    Ok(flags & libc::FD_CLOEXEC != 0)
}

/// Sets or clears close-on-exec
/// ([`fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html) `F_GETFD`, then
/// `F_SETFD`).
///
/// ```
/// let s = bsdsock::socket(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
/// bsdsock::set_cloexec(&s, false)?;
/// assert!(!bsdsock::is_cloexec(&s)?);
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn set_cloexec(fd: impl AsFd, on: bool) -> Result<()> {
    let fd = fd.as_fd();
    let flags = sys::fcntl_getfd(fd).ctx("fcntl(F_GETFD)")?;
    let new = if on { flags | libc::FD_CLOEXEC } else { flags & !libc::FD_CLOEXEC };
    if new != flags {
        sys::fcntl_setfd(fd, new).ctx("fcntl(F_SETFD)")?;
    }
    Ok(())
}

/// Stevens' `connect_nonb` (*UNIX Network Programming*, chapter 16):
/// [`connect`](crate::connect) that gives up after `timeout` with `ETIMEDOUT`.
///
/// Sets `O_NONBLOCK`, calls
/// [`connect(2)`](https://man7.org/linux/man-pages/man2/connect.2.html); if that returns
/// `EINPROGRESS`, waits with [`poll(2)`](https://man7.org/linux/man-pages/man2/poll.2.html)
/// for the socket to become writable — retrying `EINTR` with the time that is left — then
/// reads `SO_ERROR` for the outcome. The descriptor's original flags are restored on every
/// path, so a blocking socket is blocking again (and, after success, connected and ready
/// for `send`/`recv`/[`readn`](crate::readn)).
///
/// # Errors
/// - `connect: Connection timed out (ETIMEDOUT)` if `timeout` passes first. The
///   connection attempt is still pending in the kernel: close the socket (as
///   `connect_nonb` does) and use a new one for another try.
/// - `connect` with the errno from `SO_ERROR` (`ECONNREFUSED`, `EHOSTUNREACH`,
///   ...) or from `connect` itself.
/// - [`Error::InvalidInput`] for a zero `timeout` (as std's
///   `TcpStream::connect_timeout`); no system call is made.
///
/// A `timeout` too long for [`Instant`] to hold (`Duration::MAX`) sets no
/// deadline: the call waits as a blocking `connect` does, until the handshake
/// ends or the kernel gives up (`ETIMEDOUT` after its SYN retries, about 2
/// minutes on Linux by default, see `TCP_SYNCNT` in tcp(7)). It never panics
/// on the overflow.
///
/// A Unix-domain stream connect has no handshake to wait for: it completes at
/// once, or fails at once (`EAGAIN` when the listener's backlog is full on Linux,
/// `ECONNREFUSED` when nobody listens).
///
/// ```
/// use std::time::Duration;
/// use bsdsock::{connect_timeout, is_nonblocking, socket, Domain, Errno, Protocol, Type};
/// let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// l.bind(&"127.0.0.1:0".parse()?)?;
/// l.listen(1)?;
/// let addr = l.getsockname()?;
/// let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// connect_timeout(&c, &addr, Duration::from_secs(2))?;
/// assert!(!is_nonblocking(&c)?); // blocking again, and connected
/// assert_eq!(c.getpeername()?, addr);
///
/// let closed = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// closed.bind(&"127.0.0.1:0".parse()?)?; // bound, not listening: refused
/// let d = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// let err = connect_timeout(&d, &closed.getsockname()?, Duration::from_secs(2)).unwrap_err();
/// assert_eq!(err.errno(), Some(Errno::ECONNREFUSED));
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// # The raw flow
/// What this function does, written out with the crate's calls (Stevens'
/// nonblocking `connect`): a non-blocking `connect` returns `EINPROGRESS` at once,
/// the socket turns writable when the handshake ends either way, and `SO_ERROR`
/// says which way.
///
/// ```
/// use std::os::fd::AsFd;
/// use std::time::Duration;
/// use bsdsock::{connect, poll, set_nonblocking, socket, Domain, Errno, PollFd, PollFlags, Protocol, Type};
/// use bsdsock::opt::{getsockopt, SO_ERROR};
/// # let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// # l.bind(&"127.0.0.1:0".parse()?)?;
/// # l.listen(1)?;
/// # let server = l.getsockname()?;
/// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// set_nonblocking(&s, true)?;                                  // fcntl(F_SETFL, O_NONBLOCK)
/// match connect(&s, &server) {
///     Ok(()) => {}                                              // done already (can happen on loopback)
///     Err(e) if e.errno() == Some(Errno::EINPROGRESS) => {
///         let mut fds = [PollFd::new(s.as_fd(), PollFlags::OUT)];
///         if poll(&mut fds, Some(Duration::from_secs(2)))? == 0 {
///             panic!("timed out");                              // connect_timeout: ETIMEDOUT
///         }
///         if let Some(errno) = getsockopt(&s, SO_ERROR)? {      // the handshake's outcome
///             return Err(bsdsock::Error::os("connect", errno));
///         }
///     }
///     Err(e) => return Err(e),
/// }
/// set_nonblocking(&s, false)?;                                 // restore blocking mode
/// assert_eq!(s.getpeername()?, server);
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[doc(alias = "connect_nonb")]
pub fn connect_timeout(fd: impl AsFd, addr: &SockAddr, timeout: Duration) -> Result<()> {
    if timeout.is_zero() {
        return Err(Error::invalid("connect_timeout", "the timeout must not be zero"));
    }
    let fd = fd.as_fd();
    let flags = sys::fcntl_getfl(fd).ctx("fcntl(F_GETFL)")?;
    if flags & libc::O_NONBLOCK != 0 {
        return connect_nonb(fd, addr, timeout);
    }
    sys::fcntl_setfl(fd, flags | libc::O_NONBLOCK).ctx("fcntl(F_SETFL)")?;
    let result = connect_nonb(fd, addr, timeout);
    let restored = sys::fcntl_setfl(fd, flags).ctx("fcntl(F_SETFL)");
    // The connect's own failure is the more useful report; a failed restore is
    // reported only when the connect succeeded.
    result.and(restored)
}

/// connect + poll(POLLOUT) + SO_ERROR on a socket that is already non-blocking.
fn connect_nonb(fd: BorrowedFd<'_>, addr: &SockAddr, timeout: Duration) -> Result<()> {
    match sys::connect(fd, addr.as_bytes()) {
        Ok(()) => return Ok(()),
        // EINTR: the attempt goes on asynchronously, exactly as after EINPROGRESS.
        Err(Errno::EINPROGRESS | Errno::EINTR) => {}
        Err(errno) => return Err(Error::os("connect", errno)),
    }
    // A timeout too large for Instant has no deadline: wait as long as it takes.
    let deadline = Instant::now().checked_add(timeout);
    let mut fds = [PollFd::new(fd, PollFlags::OUT)];
    loop {
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        match sys::poll(&mut fds, left) {
            // A wait that poll cut short (an `int` of milliseconds outside Linux)
            // before the deadline: wait on.
            Ok(0) if deadline.is_some_and(|d| Instant::now() < d) => {}
            Ok(0) => return Err(Error::os("connect", Errno::ETIMEDOUT)),
            Ok(_) => break,
            Err(Errno::EINTR) => {}
            Err(errno) => return Err(Error::os("poll", errno)),
        }
    }
    match opt::getsockopt(fd, opt::SO_ERROR)? {
        None => Ok(()),
        Some(errno) => Err(Error::os("connect", errno)),
    }
}

impl Socket {
    /// [`connect_timeout`] on this socket.
    ///
    /// ```
    /// use std::time::Duration;
    /// let l = bsdsock::Socket::new(bsdsock::Domain::INET6, bsdsock::Type::STREAM, Default::default())?;
    /// l.bind(&"[::1]:0".parse()?)?;
    /// l.listen(1)?;
    /// let c = bsdsock::Socket::new(bsdsock::Domain::INET6, bsdsock::Type::STREAM, Default::default())?;
    /// c.connect_timeout(&l.getsockname()?, Duration::from_secs(2))?;
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[doc(alias = "connect_nonb")]
    pub fn connect_timeout(&self, addr: &SockAddr, timeout: Duration) -> Result<()> {
        connect_timeout(self, addr, timeout)
    }

    /// [`set_nonblocking`] on this socket.
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::STREAM, Default::default())?;
    /// s.set_nonblocking(true)?;
    /// assert!(s.is_nonblocking()?);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn set_nonblocking(&self, on: bool) -> Result<()> {
        set_nonblocking(self, on)
    }

    /// [`is_nonblocking`] on this socket.
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::STREAM, Default::default())?;
    /// assert!(!s.is_nonblocking()?);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn is_nonblocking(&self) -> Result<bool> {
        is_nonblocking(self)
    }
}
