//! Descriptor calls that are not socket-specific: close and fcntl.

use std::os::fd::{AsRawFd, BorrowedFd, IntoRawFd, OwnedFd};

use super::Errno;
use super::cvt;

/// `close(2)`, reporting its error instead of ignoring it as `OwnedFd`'s drop does.
/// On Linux the descriptor is released even when close fails (also on EINTR), so
/// it is never retried.
pub(crate) fn close(fd: OwnedFd) -> Result<(), Errno> {
    let raw = fd.into_raw_fd();
    // SAFETY: raw came from an OwnedFd we consumed, so we own it and nobody else
    // will close it again.
    cvt(unsafe { libc::close(raw) }).map(drop)
}

/// `fcntl(fd, F_GETFL)`.
pub(crate) fn fcntl_getfl(fd: BorrowedFd<'_>) -> Result<libc::c_int, Errno> {
    // SAFETY: F_GETFL takes no argument and only reads the descriptor's flags.
    cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) })
}

/// `fcntl(fd, F_SETFL, flags)`.
pub(crate) fn fcntl_setfl(fd: BorrowedFd<'_>, flags: libc::c_int) -> Result<(), Errno> {
    // SAFETY: F_SETFL takes an int argument; fd is a live descriptor we borrow.
    cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags) }).map(drop)
}

/// `fcntl(fd, F_GETFD)`.
pub(crate) fn fcntl_getfd(fd: BorrowedFd<'_>) -> Result<libc::c_int, Errno> {
    // SAFETY: F_GETFD takes no argument and only reads the descriptor's flags.
    cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFD) })
}

/// `fcntl(fd, F_SETFD, flags)`.
pub(crate) fn fcntl_setfd(fd: BorrowedFd<'_>, flags: libc::c_int) -> Result<(), Errno> {
    // SAFETY: F_SETFD takes an int argument; fd is a live descriptor we borrow.
    cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, flags) }).map(drop)
}
