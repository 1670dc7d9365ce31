//! `read(2)` and `write(2)`: the descriptor-generic transfer calls behind `readn`,
//! `writen` and the line reader (they work on pipes and files as well as sockets).

use std::os::fd::{AsRawFd, BorrowedFd};

use super::Errno;
use super::cvt_size;

/// `read(2)`; 0 is end-of-file (for a non-empty `buf`).
#[inline]
pub(crate) fn read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: buf is valid for writes of buf.len() bytes, the length passed.
    cvt_size(unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) })
}

/// `write(2)`. Unlike `send`, this can raise SIGPIPE on a socket or pipe whose
/// reader is gone; callers use it only for descriptors that are not sockets.
#[inline]
pub(crate) fn write(fd: BorrowedFd<'_>, buf: &[u8]) -> Result<usize, Errno> {
    // SAFETY: buf is valid for reads of buf.len() bytes, the length passed.
    cvt_size(unsafe { libc::write(fd.as_raw_fd(), buf.as_ptr().cast(), buf.len()) })
}
