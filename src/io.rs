//! `readn` / `writen`: Stevens' helpers for the two things every stream program
//! gets wrong — short transfers and `EINTR` — and [`LineReader`], his `readline`
//! with its own buffer.
//!
//! A `read(2)` on a stream returns whatever has arrived, possibly one byte of the
//! hundred asked for; a `write(2)` may move only part of the buffer; and a signal
//! handler installed without `SA_RESTART` makes a blocked call fail with `EINTR`.
//! [`readn`] and [`writen`] loop until the whole buffer has moved, retrying both.
//!
//! If an error stops the loop after some bytes were transferred, the error is
//! [`Error::Partial`], which carries the count as well as the errno; an error
//! before any byte moved is the plain [`Error::Os`].

mod line;

use std::os::fd::{AsFd, BorrowedFd};

pub use line::{LineReader, MAXLINE};

use crate::{Errno, Error, Result, Socket, sys};

/// Stevens' `readn` (*UNIX Network Programming*, §3.9): reads until `buf` is full, retrying short reads and `EINTR`; returns
/// less than `buf.len()` only at end-of-file.
///
/// Uses [`read(2)`](https://man7.org/linux/man-pages/man2/read.2.html), so any stream
/// descriptor works (socket, pipe, file). On a datagram socket each `read` takes one
/// datagram, which this would concatenate: use [`recv`](crate::recv) there.
///
/// # Errors
/// The `read` errno. If some bytes had already been read into `buf`, it is
/// [`Error::Partial`] with their count, so `err.bytes_done().unwrap_or(0)` is
/// always how much of `buf` was filled. On a non-blocking descriptor, running out
/// of data before EOF is such an error with `EAGAIN`: poll, then resume with
/// `buf[done..]`.
///
/// ```
/// use bsdsock::{readn, socketpair, writen, Domain, Protocol, Type};
/// use std::net::Shutdown;
/// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// let writer = std::thread::spawn(move || -> bsdsock::Result<()> {
///     for byte in b"hello, world" {
///         writen(&a, &[*byte])?; // twelve one-byte writes
///     }
///     a.shutdown(Shutdown::Write)
/// });
/// let mut buf = [0u8; 12];
/// assert_eq!(readn(&b, &mut buf)?, 12); // one call gets them all
/// assert_eq!(&buf, b"hello, world");
/// assert_eq!(readn(&b, &mut buf)?, 0);  // EOF
/// writer.join().unwrap()?;
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[inline]
pub fn readn(fd: impl AsFd, buf: &mut [u8]) -> Result<usize> {
    readn_fd(fd.as_fd(), buf)
}

fn readn_fd(fd: BorrowedFd<'_>, buf: &mut [u8]) -> Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        match sys::read(fd, &mut buf[done..]) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(Errno::EINTR) => {}
            Err(errno) => return Err(stopped("read", done, errno)),
        }
    }
    Ok(done)
}

/// Stevens' `writen` (*UNIX Network Programming*, §3.9): writes all of `buf`, retrying short writes and `EINTR`; returns
/// `buf.len()`.
///
/// On a socket it calls [`send(2)`](https://man7.org/linux/man-pages/man2/send.2.html) with
/// `MSG_NOSIGNAL`, so a closed peer is `EPIPE` and never `SIGPIPE`; on any other descriptor
/// (a pipe, a file) `send` fails with `ENOTSOCK` once and the rest goes through
/// [`write(2)`](https://man7.org/linux/man-pages/man2/write.2.html) — which, for a pipe
/// with no reader, does raise `SIGPIPE` as in C.
///
/// # Errors
/// The `send`/`write` errno. If some bytes had already been written, it is
/// [`Error::Partial`] with their count, so `err.bytes_done().unwrap_or(0)` is
/// always how much of `buf` was written. On a non-blocking descriptor a full send
/// buffer is such an error with `EAGAIN`: poll for writability, then resume with
/// `buf[done..]`.
///
/// ```
/// use bsdsock::{readn, socketpair, writen, Domain, Errno, Protocol, Type};
/// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// let big = vec![7u8; 1 << 20]; // far more than the socket buffer holds
/// let reader = std::thread::spawn(move || {
///     let mut got = vec![0u8; 1 << 20];
///     readn(&b, &mut got).map(|n| (n, got))
/// });
/// assert_eq!(writen(&a, &big)?, big.len());
/// let (n, got) = reader.join().unwrap()?;
/// assert_eq!((n, got), (big.len(), big));
///
/// // The peer is gone: EPIPE, not SIGPIPE.
/// let (c, d) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// drop(d);
/// assert_eq!(writen(&c, b"anyone?").unwrap_err().errno(), Some(Errno::EPIPE));
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[inline]
pub fn writen(fd: impl AsFd, buf: &[u8]) -> Result<usize> {
    writen_fd(fd.as_fd(), buf)
}

fn writen_fd(fd: BorrowedFd<'_>, buf: &[u8]) -> Result<usize> {
    let mut done = 0;
    let mut is_socket = true;
    while done < buf.len() {
        let rest = &buf[done..];
        let r = if is_socket { sys::send(fd, rest, 0) } else { sys::write(fd, rest) };
        match r {
            Ok(0) => {
                // write(2) of a non-empty buffer that moves nothing and reports no
                // error would make this loop spin forever; C's writen treats it as
                // an error too. No kernel does this for sockets or pipes.
                return Err(stopped(call(is_socket), done, Errno::EIO));
            }
            Ok(n) => done += n,
            Err(Errno::EINTR) => {}
            Err(Errno::ENOTSOCK) if is_socket => is_socket = false,
            Err(errno) => return Err(stopped(call(is_socket), done, errno)),
        }
    }
    Ok(done)
}

fn call(is_socket: bool) -> &'static str {
    if is_socket { "send" } else { "write" }
}

/// The error for a transfer loop that failed after `done` bytes: [`Error::Partial`]
/// if anything moved, else the plain [`Error::Os`].
#[cold]
fn stopped(call: &'static str, done: usize, errno: Errno) -> Error {
    if done == 0 { Error::os(call, errno) } else { Error::Partial { call, done, errno } }
}

/// `read(2)` once, retrying `EINTR`; the building block of the line reader.
fn read_once(fd: BorrowedFd<'_>, buf: &mut [u8]) -> Result<usize> {
    loop {
        match sys::read(fd, buf) {
            Err(Errno::EINTR) => {}
            r => return r.map_err(|errno| Error::os("read", errno)),
        }
    }
}

impl Socket {
    /// [`readn`] on this socket: fills `buf` unless EOF comes first.
    ///
    /// ```
    /// let (a, b) = bsdsock::Socket::pair(bsdsock::Domain::UNIX, bsdsock::Type::STREAM, Default::default())?;
    /// a.writen(b"abcd")?;
    /// let mut buf = [0u8; 4];
    /// assert_eq!(b.readn(&mut buf)?, 4);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    pub fn readn(&self, buf: &mut [u8]) -> Result<usize> {
        readn_fd(self.as_fd(), buf)
    }

    /// [`writen`] on this socket: writes all of `buf`.
    ///
    /// ```
    /// let (a, _b) = bsdsock::Socket::pair(bsdsock::Domain::UNIX, bsdsock::Type::STREAM, Default::default())?;
    /// assert_eq!(a.writen(b"abcd")?, 4);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    pub fn writen(&self, buf: &[u8]) -> Result<usize> {
        writen_fd(self.as_fd(), buf)
    }
}
