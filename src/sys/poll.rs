//! `poll(2)`, `select(2)` and the `FD_*` macros over `fd_set`.
//!
//! The `FD_*` helpers check the descriptor against `FD_SETSIZE` before touching the
//! bit array: C's macros index past the end of `fd_set` for a large descriptor (and
//! libc's Rust versions panic), so a descriptor out of range is reported to the
//! caller instead.

use std::marker::PhantomData;
use std::mem::{MaybeUninit, align_of, size_of};
use std::os::fd::{BorrowedFd, RawFd};
use std::ptr;
use std::time::Duration;

use super::Errno;
use super::cvt;

/// One entry of the array given to [`poll`](fn@crate::poll): a borrowed
/// descriptor, the events to wait for, and the events the kernel reported
/// (`struct pollfd`).
///
/// The lifetime ties the entry to the descriptor, so a socket cannot be closed
/// while an array that names it is still in use.
///
/// ```
/// use bsdsock::{poll, socketpair, Domain, PollFd, PollFlags, Protocol, Type};
/// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// let mut fds = [PollFd::new(b.as_fd(), PollFlags::IN)];
/// assert_eq!(poll(&mut fds, Some(std::time::Duration::ZERO))?, 0); // nothing yet
/// a.send(b"x", Default::default())?;
/// assert_eq!(poll(&mut fds, None)?, 1);
/// assert!(fds[0].revents().contains(PollFlags::IN));
/// # use std::os::fd::AsFd;
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone, Copy)]
#[repr(transparent)]
#[doc(alias = "pollfd")]
pub struct PollFd<'fd> {
    pub(crate) raw: libc::pollfd,
    /// Ties the entry to the borrow of its descriptor.
    pub(crate) fd: PhantomData<BorrowedFd<'fd>>,
}

/// `FD_SETSIZE`: one more than the largest descriptor an `fd_set` can hold.
// libc types it `usize` on Linux and `c_int` on some other systems.
#[allow(clippy::unnecessary_cast)]
pub(crate) const FD_SETSIZE: usize = libc::FD_SETSIZE as usize;

// `poll` hands a `&mut [PollFd]` to the kernel as an array of `struct pollfd`; this
// is sound only while PollFd is `#[repr(transparent)]` over `libc::pollfd` (its other
// field is a zero-sized PhantomData). Checked here so a layout change fails the build.
const _: () = assert!(size_of::<PollFd<'static>>() == size_of::<libc::pollfd>());
const _: () = assert!(align_of::<PollFd<'static>>() == align_of::<libc::pollfd>());

/// `poll(2)` over `fds`; `None` waits forever. On Linux this is `ppoll(2)` with a
/// null signal mask, which is `poll` with a nanosecond timeout: no rounding to
/// milliseconds and no 24-day ceiling.
pub(crate) fn poll(fds: &mut [PollFd<'_>], timeout: Option<Duration>) -> Result<usize, Errno> {
    let ptr = fds.as_mut_ptr().cast::<libc::pollfd>();
    let nfds = fds.len() as libc::nfds_t;
    cfg_if::cfg_if! {
        if #[cfg(linux_like)] {
            let ts = timeout.map(timespec);
            let ts_ptr = ts.as_ref().map_or(ptr::null(), |t| t as *const libc::timespec);
            // A null sigmask makes ppoll behave as poll, with a timespec timeout.
            // SAFETY: PollFd is repr(transparent) over pollfd (asserted above), so
            // ptr/nfds are fds.len() writable pollfds; ts_ptr is null or a live timespec.
            let n = cvt(unsafe { libc::ppoll(ptr, nfds, ts_ptr, ptr::null()) })?;
        } else {
            let ms = timeout.map_or(-1, millis_round_up);
            // SAFETY: PollFd is repr(transparent) over libc::pollfd (asserted above),
            // so ptr/nfds describe fds.len() valid, writable pollfd structs.
            let n = cvt(unsafe { libc::poll(ptr, nfds, ms) })?;
        }
    }
    Ok(n as usize)
}

/// A timeout as `poll`'s milliseconds: rounded up (so a short wait never becomes a
/// busy poll) and capped at `c_int::MAX`.
#[cfg(not(linux_like))]
fn millis_round_up(d: Duration) -> libc::c_int {
    let ms = d.as_nanos().div_ceil(1_000_000);
    libc::c_int::try_from(ms).unwrap_or(libc::c_int::MAX)
}

/// A `Duration` as a `timespec`, saturating the seconds at `time_t::MAX`.
#[cfg(linux_like)]
fn timespec(d: Duration) -> libc::timespec {
    // SAFETY: timespec is a struct of integers (plus, on some targets, integer
    // padding), for which all zeros is a valid value.
    let mut ts: libc::timespec = unsafe { MaybeUninit::zeroed().assume_init() };
    ts.tv_sec = super::TimeT::try_from(d.as_secs()).unwrap_or(super::TimeT::MAX);
    ts.tv_nsec = d.subsec_nanos() as _;
    ts
}

/// A `Duration` as a `timeval`, rounding nanoseconds up to the next microsecond so
/// that a sub-microsecond wait does not become a zero (non-blocking) one.
fn timeval(d: Duration) -> libc::timeval {
    let mut secs = d.as_secs();
    let mut usecs = d.subsec_nanos().div_ceil(1000);
    if usecs == 1_000_000 {
        secs = secs.saturating_add(1);
        usecs = 0;
    }
    // SAFETY: timeval is a struct of integers, for which all zeros is valid.
    let mut tv: libc::timeval = unsafe { MaybeUninit::zeroed().assume_init() };
    tv.tv_sec = super::TimeT::try_from(secs).unwrap_or(super::TimeT::MAX);
    tv.tv_usec = usecs as _;
    tv
}

/// An empty `fd_set` (`FD_ZERO`).
pub(crate) fn fd_set_empty() -> libc::fd_set {
    let mut set = MaybeUninit::<libc::fd_set>::uninit();
    // SAFETY: FD_ZERO writes every byte of the fd_set it is given, which makes the
    // MaybeUninit initialized; set is a valid, writable fd_set-sized place.
    unsafe {
        libc::FD_ZERO(set.as_mut_ptr());
        set.assume_init()
    }
}

/// Whether `fd` is a descriptor an `fd_set` can hold (`0 <= fd < FD_SETSIZE`).
#[inline]
pub(crate) fn fd_in_range(fd: RawFd) -> bool {
    usize::try_from(fd).is_ok_and(|i| i < FD_SETSIZE)
}

/// `FD_SET`; `false` (and nothing written) if `fd` is outside `0..FD_SETSIZE`.
#[inline]
pub(crate) fn fd_set_insert(set: &mut libc::fd_set, fd: RawFd) -> bool {
    if !fd_in_range(fd) {
        return false;
    }
    // SAFETY: fd is in 0..FD_SETSIZE, so the bit lies inside set, a valid fd_set.
    unsafe { libc::FD_SET(fd, set) };
    true
}

/// `FD_CLR`; a descriptor outside `0..FD_SETSIZE` cannot be in the set: no-op.
#[inline]
pub(crate) fn fd_set_remove(set: &mut libc::fd_set, fd: RawFd) {
    if fd_in_range(fd) {
        // SAFETY: fd is in 0..FD_SETSIZE, so the bit lies inside set, a valid fd_set.
        unsafe { libc::FD_CLR(fd, set) };
    }
}

/// `FD_ISSET`; `false` for a descriptor outside `0..FD_SETSIZE`.
#[inline]
pub(crate) fn fd_set_contains(set: &libc::fd_set, fd: RawFd) -> bool {
    // SAFETY: fd is in 0..FD_SETSIZE (checked first), so the bit lies inside set.
    fd_in_range(fd) && unsafe { libc::FD_ISSET(fd, set) }
}

/// `select(2)`. `nfds` is one more than the highest descriptor in any set (at most
/// `FD_SETSIZE`, which the callers' sets guarantee); `None` sets are passed as NULL
/// and a `None` timeout waits forever. The kernel overwrites each set with its
/// ready descriptors.
pub(crate) fn select(
    nfds: libc::c_int,
    read: Option<&mut libc::fd_set>,
    write: Option<&mut libc::fd_set>,
    except: Option<&mut libc::fd_set>,
    timeout: Option<Duration>,
) -> Result<usize, Errno> {
    fn raw(set: Option<&mut libc::fd_set>) -> *mut libc::fd_set {
        set.map_or(ptr::null_mut(), |s| s as *mut libc::fd_set)
    }
    let mut tv = timeout.map(timeval);
    let tv_ptr = tv.as_mut().map_or(ptr::null_mut(), |t| t as *mut libc::timeval);
    debug_assert!(nfds >= 0 && nfds as usize <= FD_SETSIZE);
    // SAFETY: each set pointer is null or a live, writable fd_set borrowed for the
    // call; nfds <= FD_SETSIZE so the kernel reads and writes only inside them;
    // tv_ptr is null or a live timeval the kernel may update.
    let n = cvt(unsafe { libc::select(nfds, raw(read), raw(write), raw(except), tv_ptr) })?;
    Ok(n as usize)
}

/// The descriptor a [`PollFd`] watches, borrowed for as long as the entry is.
#[inline]
pub(crate) fn pollfd_as_fd<'a>(entry: &'a PollFd<'_>) -> BorrowedFd<'a> {
    // SAFETY: PollFd::new took the number from a BorrowedFd<'fd>, so the descriptor
    // stays open for 'fd; 'a cannot outlive the entry, which cannot outlive 'fd.
    unsafe { BorrowedFd::borrow_raw(entry.raw.fd) }
}
