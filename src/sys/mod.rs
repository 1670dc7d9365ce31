//! The only module that calls libc. One safe function per C call; everything above
//! this module works on typed values and never sees a raw pointer.
//!
//! Each wrapper returns `Result<_, Errno>`: the caller names the call when it turns
//! that into an [`Error`](crate::Error), so the error text matches the public API.
//!
//! This module is a leaf: it imports nothing from the modules above it. The types
//! that cross the boundary ([`Errno`], [`PollFd`]) are defined here as plain data,
//! and their public methods live above as inherent impls (`error::errno`, `poll`).
//!
//! Linux is built and tested (glibc on x86_64 and i686, musl on x86_64); the
//! branches for the other systems follow each system's man pages and are
//! type-checked in CI, not run. Where libc names
//! a constant differently or lacks one the OS documents, [`c`] has it.

mod addrbuf;
pub(crate) mod c;
mod errno;
mod fd;
mod io;
mod msg;
mod netdb;
mod netif;
mod newfd;
#[cfg(target_os = "linux")]
mod opt;
mod pod;
mod poll;
mod socket;

pub(crate) use addrbuf::AddrBuf;
pub use errno::Errno;
pub(crate) use errno::strerror;
pub(crate) use fd::{close, fcntl_getfd, fcntl_getfl, fcntl_setfd, fcntl_setfl};
pub(crate) use io::*;
pub use msg::CmsgBuffer;
pub(crate) use msg::{
    CMSG_HDR, RawCmsg, RawCmsgs, cmsg_align, put_header, recvmsg, sendmsg, words_as_bytes_mut,
};
#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
))]
pub(crate) use msg::{MmsgState, SendItem, recvmmsg, sendmmsg};
pub(crate) use netdb::*;
pub(crate) use netif::*;
pub(crate) use newfd::*;
#[cfg(target_os = "linux")]
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
pub use opt::SockFilter;
#[cfg(target_os = "linux")]
pub(crate) use opt::*;
pub(crate) use pod::{Pod, bytes_of, read_exact, read_prefix};
pub use poll::PollFd;
pub(crate) use poll::*;
pub(crate) use socket::*;

/// C's `time_t`, as in `struct timeval` and `struct timespec`. The `libc` crate
/// marks its musl alias deprecated (it means to widen it to 64 bits, as musl 1.2
/// did on 32-bit targets); a value copied straight into those structs follows the
/// struct, whatever the width, so the alias is named once, here.
#[allow(deprecated)]
pub(crate) type TimeT = libc::time_t;

/// Turns C's "`-1` and errno" convention into a `Result`.
#[inline(always)]
fn cvt(ret: libc::c_int) -> Result<libc::c_int, Errno> {
    if ret == -1 { Err(last_errno()) } else { Ok(ret) }
}

/// `cvt` for the calls that return `ssize_t`.
#[inline(always)]
fn cvt_size(ret: libc::ssize_t) -> Result<usize, Errno> {
    if ret < 0 { Err(last_errno()) } else { Ok(ret as usize) }
}

/// The calling thread's `errno`. Out of line and cold: every wrapper inlines
/// into its caller, and this keeps the failure path (and the thread-local
/// lookup) out of the straight line of a successful call.
#[cold]
#[inline(never)]
pub(crate) fn last_errno() -> Errno {
    cfg_if::cfg_if! {
        if #[cfg(any(target_os = "linux", target_os = "android"))] {
            // SAFETY: __errno_location returns a valid pointer to this thread's errno.
            Errno(unsafe { *libc::__errno_location() })
        } else {
            Errno(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
        }
    }
}

/// A slice length as `socklen_t`; every buffer this crate hands the kernel is far
/// below 4 GiB, and saturating keeps a pathological caller from wrapping.
#[inline]
fn socklen(len: usize) -> libc::socklen_t {
    libc::socklen_t::try_from(len).unwrap_or(libc::socklen_t::MAX)
}
