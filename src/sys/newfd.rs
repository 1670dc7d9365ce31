//! Calls that make a new descriptor from an existing one: `accept4(2)` with
//! caller flags, and `fcntl(F_DUPFD_CLOEXEC)`. Both results are close-on-exec.

use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use super::{AddrBuf, Errno, cvt};

/// The `accept4` flag that makes the new socket non-blocking: `SOCK_NONBLOCK`
/// where the OS has `accept4`, `O_NONBLOCK` (applied with `fcntl`) where not.
#[cfg(not(apple))]
pub(crate) const ACCEPT_NONBLOCK: libc::c_int = libc::SOCK_NONBLOCK;
#[cfg(apple)]
pub(crate) const ACCEPT_NONBLOCK: libc::c_int = libc::O_NONBLOCK;

/// The `accept4` flag for close-on-exec, which every accept sets anyway.
#[cfg(not(apple))]
pub(crate) const ACCEPT_CLOEXEC: libc::c_int = libc::SOCK_CLOEXEC;
#[cfg(apple)]
pub(crate) const ACCEPT_CLOEXEC: libc::c_int = libc::O_CLOEXEC;

/// `accept4(2)` with `flags` (bits of [`ACCEPT_NONBLOCK`] / [`ACCEPT_CLOEXEC`])
/// plus close-on-exec. Apple has no `accept4`: there it is [`super::accept`]
/// (accept, then close-on-exec and `SO_NOSIGPIPE`), then `O_NONBLOCK` by `fcntl`.
pub(crate) fn accept4(
    fd: BorrowedFd<'_>,
    addr: &mut AddrBuf,
    flags: libc::c_int,
) -> Result<OwnedFd, Errno> {
    cfg_if::cfg_if! {
        if #[cfg(not(apple))] {
            let (ptr, len) = addr.raw();
            let flags = flags | libc::SOCK_CLOEXEC;
            // SAFETY: ptr/len describe AddrBuf's sockaddr_storage and its size.
            let r = cvt(unsafe { libc::accept4(fd.as_raw_fd(), ptr, len, flags) });
            match r {
                // SAFETY: accept4 just created this descriptor; nothing else owns it.
                Ok(raw) => Ok(unsafe { OwnedFd::from_raw_fd(raw) }),
                Err(e) => {
                    addr.clear();
                    Err(e)
                }
            }
        } else {
            let new = super::accept(fd, addr)?;
            // On failure `new` is dropped, and so closed, before the error returns.
            if flags & ACCEPT_NONBLOCK != 0 {
                let b = std::os::fd::AsFd::as_fd(&new);
                super::fcntl_setfl(b, super::fcntl_getfl(b)? | libc::O_NONBLOCK)?;
            }
            Ok(new)
        }
    }
}

/// `fcntl(fd, F_DUPFD_CLOEXEC, 0)`: the lowest free descriptor, referring to the
/// same open file, close-on-exec.
pub(crate) fn dup_cloexec(fd: BorrowedFd<'_>) -> Result<OwnedFd, Errno> {
    // SAFETY: F_DUPFD_CLOEXEC takes an int argument and only creates a descriptor.
    let raw = cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 0) })?;
    // SAFETY: fcntl just created this descriptor; nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(raw) })
}
