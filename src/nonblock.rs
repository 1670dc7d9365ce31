//! Non-blocking mode: `fcntl(F_GETFL/F_SETFL)` with `O_NONBLOCK`, as the notes'
//! `setFlags` helper does it (read, modify, write back).

use std::os::fd::AsFd;

use crate::error::Context;
use crate::{sys, Result, Socket};

/// Turns `O_NONBLOCK` on or off, leaving the descriptor's other flags as they were
/// (`fcntl(F_GETFL)`, then `fcntl(F_SETFL)` only if something changes).
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

/// Whether `O_NONBLOCK` is set (`fcntl(F_GETFL)`).
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

/// Whether the descriptor is close-on-exec (`fcntl(F_GETFD)` & `FD_CLOEXEC`).
/// Every descriptor bsdsock creates is.
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

/// Sets or clears close-on-exec (`fcntl(F_GETFD)` then `fcntl(F_SETFD)`).
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

impl Socket {
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
