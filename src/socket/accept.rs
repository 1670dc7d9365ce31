//! `accept4(2)` with its flags, and [`Socket::try_clone`]: the calls that make a
//! new descriptor from a socket.

use std::os::fd::AsFd;

use crate::error::Context;
use crate::sys::{self, AddrBuf};
use crate::{Result, SockAddr, Socket};

bitflags::bitflags! {
    /// The `flags` of [`accept4`].
    ///
    /// Every socket bsdsock accepts is close-on-exec whatever the flags say, so
    /// [`AcceptFlags::NONBLOCK`] is the one that changes anything; `CLOEXEC` is
    /// there so that C's `SOCK_NONBLOCK | SOCK_CLOEXEC` can be written as is.
    ///
    /// ```
    /// use bsdsock::AcceptFlags;
    /// let flags = AcceptFlags::NONBLOCK | AcceptFlags::CLOEXEC;
    /// assert!(flags.contains(AcceptFlags::NONBLOCK));
    /// ```
    #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
    #[doc(alias = "SOCK_NONBLOCK")]
    pub struct AcceptFlags: i32 {
        /// `SOCK_NONBLOCK`: the accepted socket is non-blocking (`O_NONBLOCK`).
        const NONBLOCK = sys::ACCEPT_NONBLOCK;
        /// `SOCK_CLOEXEC`: close-on-exec, which bsdsock sets on every socket anyway.
        const CLOEXEC = sys::ACCEPT_CLOEXEC;
    }
}

/// [`accept4(2)`](https://man7.org/linux/man-pages/man2/accept4.2.html): [`accept`](crate::accept)
/// with flags; `AcceptFlags::NONBLOCK` gives a non-blocking socket in the same
/// call, as a poll loop wants it. The socket is close-on-exec either way.
///
/// macOS and iOS have no `accept4`: there it is `accept(2)`, then `fcntl(2)`.
///
/// ```
/// use std::io::ErrorKind;
/// use bsdsock::{accept4, connect, socket, AcceptFlags, Domain, MsgFlags, Protocol, Type};
/// let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// l.bind(&"127.0.0.1:0".parse()?)?;
/// l.listen(1)?;
/// let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// connect(&c, &l.getsockname()?)?;
/// let (conn, peer) = accept4(&l, AcceptFlags::NONBLOCK)?;
/// assert_eq!(peer, c.getsockname()?);
/// assert!(conn.is_nonblocking()? && bsdsock::is_cloexec(&conn)?);
/// let mut buf = [0u8; 8];
/// let err = conn.recv(&mut buf, MsgFlags::empty()).unwrap_err(); // nothing sent yet
/// assert_eq!(err.kind(), ErrorKind::WouldBlock);
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[doc(alias = "SOCK_NONBLOCK")]
pub fn accept4(fd: impl AsFd, flags: AcceptFlags) -> Result<(Socket, SockAddr)> {
    let mut buf = AddrBuf::new();
    let conn = sys::accept4(fd.as_fd(), &mut buf, flags.bits()).ctx("accept4")?;
    // On a decode failure `conn` is dropped here, closing it: no leak.
    let addr = SockAddr::from_addr_buf(&buf, "accept4")?;
    Ok((Socket::from(conn), addr))
}

impl Socket {
    /// [`accept4(2)`](https://man7.org/linux/man-pages/man2/accept4.2.html); see [`accept4`].
    ///
    /// ```
    /// use bsdsock::{AcceptFlags, Domain, Socket, Type};
    /// let l = Socket::new(Domain::INET6, Type::STREAM, Default::default())?;
    /// l.bind(&"[::1]:0".parse()?)?;
    /// l.listen(1)?;
    /// let c = Socket::new(Domain::INET6, Type::STREAM, Default::default())?;
    /// c.connect(&l.getsockname()?)?;
    /// let (conn, _peer) = l.accept4(AcceptFlags::empty())?;
    /// assert!(!conn.is_nonblocking()?);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn accept4(&self, flags: AcceptFlags) -> Result<(Socket, SockAddr)> {
        accept4(self, flags)
    }

    /// A second descriptor for the same socket,
    /// [`fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html)
    /// `F_DUPFD_CLOEXEC`, as std's `try_clone` does: close-on-exec, sharing the
    /// socket's state (options, `O_NONBLOCK`, the connection) with the original.
    /// The socket lives until both are closed.
    ///
    /// ```
    /// use std::os::fd::AsRawFd;
    /// use bsdsock::{Domain, MsgFlags, Socket, Type};
    /// let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Default::default())?;
    /// let a2 = a.try_clone()?;
    /// assert_ne!(a2.as_raw_fd(), a.as_raw_fd());
    /// assert!(bsdsock::is_cloexec(&a2)?);
    /// drop(a); // the clone still holds the connection open
    /// a2.send(b"hi", MsgFlags::empty())?;
    /// let mut buf = [0u8; 2];
    /// assert_eq!(b.recv(&mut buf, MsgFlags::empty())?, 2);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[doc(alias = "dup")]
    #[doc(alias = "F_DUPFD_CLOEXEC")]
    pub fn try_clone(&self) -> Result<Socket> {
        sys::dup_cloexec(self.as_fd()).ctx("fcntl(F_DUPFD_CLOEXEC)").map(Socket::from)
    }
}
