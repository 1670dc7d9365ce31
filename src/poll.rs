//! Readiness: `poll(2)` with [`PollFd`] / [`PollFlags`], and `select(2)` with [`FdSet`].
//!
//! Both wait until one of several descriptors can be read or written without
//! blocking, which is how one thread serves many sockets (the single-process
//! concurrent server of Stevens' *UNIX Network Programming*, chapter 6; see
//! `examples/echo_select.rs` and `examples/echo_poll.rs`).
//!
//! Timeouts are `Option<Duration>`: `None` waits forever, `Some(Duration::ZERO)`
//! checks and returns at once. Both calls return the number of ready descriptors,
//! `0` when the timeout expired first.
//!
//! **EINTR.** A signal delivered to the waiting thread (with a handler installed
//! without `SA_RESTART`, or always for `select` and `poll` on Linux) makes the call
//! fail with [`Errno::EINTR`](crate::Errno::EINTR). Nothing is lost: the call is
//! retryable as is (recompute the remaining time if you keep a deadline). bsdsock
//! returns it instead of retrying so that a program can react to the signal.
//!
//! **Prefer `poll`.** `select` can only hold descriptors below [`FD_SETSIZE`]
//! (1024 on Linux); [`FdSet::insert`] refuses a larger one with an error rather
//! than writing past the end of the set as C's `FD_SET` would. `poll` has no such
//! limit and does not rewrite its input.

use std::fmt;
use std::marker::PhantomData;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

use crate::error::Context;
pub use crate::sys::PollFd;
use crate::{Error, Reason, Result, sys};

/// `FD_SETSIZE`: select can watch only descriptors `0..FD_SETSIZE` (1024 on Linux).
pub const FD_SETSIZE: usize = sys::FD_SETSIZE;

bitflags::bitflags! {
    /// The `events` a [`PollFd`] asks for and the `revents` the kernel reports.
    ///
    /// `ERR`, `HUP` and `NVAL` are always reported when they apply, whether asked for
    /// or not. On a stream socket, `HUP` means both directions are shut; a peer that
    /// only closed its end (sent FIN) shows up as `IN` (a read returns 0) and, on
    /// Linux, as `RDHUP` if it was asked for.
    ///
    /// ```
    /// use bsdsock::PollFlags;
    /// let want = PollFlags::IN | PollFlags::PRI;
    /// assert!(want.contains(PollFlags::IN));
    /// assert_eq!(PollFlags::OUT.bits(), libc::POLLOUT);
    /// ```
    #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
    #[doc(alias = "POLLIN")]
    #[doc(alias = "POLLOUT")]
    pub struct PollFlags: libc::c_short {
        /// `POLLIN`: data to read, a connection to accept, or end-of-file.
        const IN = libc::POLLIN;
        /// `POLLPRI`: urgent (out-of-band) data to read.
        const PRI = libc::POLLPRI;
        /// `POLLOUT`: a write will not block (a non-blocking connect has finished).
        const OUT = libc::POLLOUT;
        /// `POLLRDNORM`: normal data to read.
        const RDNORM = libc::POLLRDNORM;
        /// `POLLRDBAND`: priority-band data to read.
        const RDBAND = libc::POLLRDBAND;
        /// `POLLWRNORM`: normal data may be written.
        const WRNORM = libc::POLLWRNORM;
        /// `POLLWRBAND`: priority-band data may be written.
        const WRBAND = libc::POLLWRBAND;
        /// `POLLERR`: an error is pending (read it with `SO_ERROR`); output only.
        const ERR = libc::POLLERR;
        /// `POLLHUP`: hang-up, the connection is closed in both directions; output only.
        const HUP = libc::POLLHUP;
        /// `POLLNVAL`: the descriptor is not open; output only.
        const NVAL = libc::POLLNVAL;
        /// `POLLRDHUP` (Linux): the peer closed its writing end (or shut down).
        #[cfg(linux_like)]
        #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
        const RDHUP = libc::POLLRDHUP;
    }
}

impl<'fd> PollFd<'fd> {
    /// An entry that waits for `events` on `fd`; `revents` starts empty.
    ///
    /// ```
    /// use std::os::fd::AsFd;
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::STREAM, Default::default())?;
    /// let p = bsdsock::PollFd::new(s.as_fd(), bsdsock::PollFlags::OUT);
    /// assert_eq!(p.events(), bsdsock::PollFlags::OUT);
    /// assert!(p.revents().is_empty());
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    pub fn new(fd: BorrowedFd<'fd>, events: PollFlags) -> PollFd<'fd> {
        PollFd {
            raw: libc::pollfd { fd: fd.as_raw_fd(), events: events.bits(), revents: 0 },
            fd: PhantomData,
        }
    }

    /// What the last [`poll`] reported for this descriptor (`revents`). Bits the
    /// kernel sets that have no named flag are kept.
    ///
    /// ```
    /// use std::os::fd::AsFd;
    /// use bsdsock::{poll, socketpair, Domain, PollFd, PollFlags, Type};
    /// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Default::default())?;
    /// drop(a); // the peer is gone: readable (EOF) and hung up
    /// let mut fds = [PollFd::new(b.as_fd(), PollFlags::IN)];
    /// poll(&mut fds, None)?;
    /// assert!(fds[0].revents().contains(PollFlags::IN | PollFlags::HUP));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    pub fn revents(&self) -> PollFlags {
        PollFlags::from_bits_retain(self.raw.revents)
    }

    /// The events this entry waits for (`events`).
    ///
    /// ```
    /// use std::os::fd::AsFd;
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// let p = bsdsock::PollFd::new(s.as_fd(), bsdsock::PollFlags::IN | bsdsock::PollFlags::OUT);
    /// assert!(p.events().contains(bsdsock::PollFlags::OUT));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    pub fn events(&self) -> PollFlags {
        PollFlags::from_bits_retain(self.raw.events)
    }

    /// Changes the events to wait for, e.g. adding `OUT` while output is queued.
    /// With no events, `poll` still reports `ERR`, `HUP` and `NVAL`.
    ///
    /// ```
    /// use std::os::fd::AsFd;
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// let mut p = bsdsock::PollFd::new(s.as_fd(), bsdsock::PollFlags::IN);
    /// p.set_events(bsdsock::PollFlags::OUT);
    /// assert_eq!(p.events(), bsdsock::PollFlags::OUT);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    pub fn set_events(&mut self, events: PollFlags) {
        self.raw.events = events.bits();
    }
}

impl AsFd for PollFd<'_> {
    /// The descriptor this entry watches.
    fn as_fd(&self) -> BorrowedFd<'_> {
        sys::pollfd_as_fd(self)
    }
}

impl AsRawFd for PollFd<'_> {
    fn as_raw_fd(&self) -> RawFd {
        self.raw.fd
    }
}

impl fmt::Debug for PollFd<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PollFd")
            .field("fd", &self.raw.fd)
            .field("events", &self.events())
            .field("revents", &self.revents())
            .finish()
    }
}

/// [`poll(2)`](https://man7.org/linux/man-pages/man2/poll.2.html): waits until one of `fds`
/// is ready or `timeout` passes (`None`: wait forever). Returns how many entries have a
/// non-empty [`PollFd::revents`]; 0 on timeout.
///
/// `Err` with `EINTR` if a signal handler ran during the wait — on Linux even one
/// installed with `SA_RESTART`, since poll is never restarted. Nothing is lost:
/// retry the call (with the remaining time if you keep a deadline). bsdsock does
/// not retry by itself, so that a program can react to the signal first.
///
/// On Linux this is `ppoll(2)` with a null signal mask, so the timeout keeps its
/// full precision instead of being rounded to milliseconds, and any `Duration` is
/// accepted: one past what the kernel's clock holds (`Duration::MAX`) saturates
/// there and waits like `None`, never wrapping to a short or negative wait. Elsewhere
/// `poll` takes an `int` of milliseconds: a longer timeout is capped at `INT_MAX`
/// ms (about 24.8 days), after which it returns 0.
///
/// ```
/// use std::os::fd::AsFd;
/// use std::time::Duration;
/// use bsdsock::{poll, socketpair, Domain, PollFd, PollFlags, Protocol, Type};
/// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// let mut fds = [PollFd::new(a.as_fd(), PollFlags::IN), PollFd::new(b.as_fd(), PollFlags::OUT)];
/// // `a` has nothing to read, `b` can be written:
/// assert_eq!(poll(&mut fds, Some(Duration::from_millis(10)))?, 1);
/// assert!(fds[0].revents().is_empty());
/// assert!(fds[1].revents().contains(PollFlags::OUT));
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[doc(alias = "ppoll")]
pub fn poll(fds: &mut [PollFd<'_>], timeout: Option<Duration>) -> Result<usize> {
    sys::poll(fds, timeout).ctx("poll")
}

/// A set of descriptors for [`select`] (`fd_set` with `FD_SET`, `FD_CLR`,
/// `FD_ISSET`, `FD_ZERO`).
///
/// It can hold descriptors `0..FD_SETSIZE` only: [`insert`](FdSet::insert) returns
/// `Err` for a larger one (use [`poll`] instead), where C would write past the end
/// of the set. The set stores descriptor numbers, not borrows: like in C, keep the
/// descriptors open while they are in a set you pass to `select` (a closed one makes
/// it fail with `EBADF`).
///
/// ```
/// use bsdsock::{socket, Domain, FdSet, Protocol, Type};
/// use std::os::fd::AsRawFd;
/// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// let mut set = FdSet::new();
/// set.insert(&s)?;                       // FD_SET
/// assert!(set.contains(&s));             // FD_ISSET
/// assert_eq!(set.iter().collect::<Vec<_>>(), [s.as_raw_fd()]);
/// set.remove(&s);                        // FD_CLR
/// assert!(set.is_empty());
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone)]
#[doc(alias = "fd_set")]
pub struct FdSet {
    set: libc::fd_set,
    /// One more than the highest descriptor in the set (select's `nfds`); 0 if empty.
    /// After `select` rewrites the set this may be an overestimate, which is harmless.
    nfds: usize,
}

impl FdSet {
    /// An empty set (`FD_ZERO`).
    ///
    /// ```
    /// assert!(bsdsock::FdSet::new().is_empty());
    /// ```
    #[doc(alias = "FD_ZERO")]
    pub fn new() -> FdSet {
        FdSet { set: sys::fd_set_empty(), nfds: 0 }
    }

    /// Adds `fd` (`FD_SET`). `Err` if `fd` is not below [`FD_SETSIZE`]; the set is
    /// then unchanged.
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// let mut set = bsdsock::FdSet::new();
    /// set.insert(&s)?;
    /// assert!(set.contains(&s));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[doc(alias = "FD_SET")]
    pub fn insert(&mut self, fd: impl AsFd) -> Result<()> {
        let raw = fd.as_fd().as_raw_fd();
        if !sys::fd_set_insert(&mut self.set, raw) {
            return Err(Error::invalid("FD_SET", Reason::FdSetSize { fd: raw }));
        }
        self.nfds = self.nfds.max(raw as usize + 1);
        Ok(())
    }

    /// Removes `fd` (`FD_CLR`); returns whether it was in the set.
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// let mut set = bsdsock::FdSet::new();
    /// set.insert(&s)?;
    /// assert!(set.remove(&s));
    /// assert!(!set.remove(&s));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[doc(alias = "FD_CLR")]
    pub fn remove(&mut self, fd: impl AsFd) -> bool {
        let raw = fd.as_fd().as_raw_fd();
        let was = sys::fd_set_contains(&self.set, raw);
        sys::fd_set_remove(&mut self.set, raw);
        if was && raw as usize + 1 == self.nfds {
            self.nfds = self.highest().map_or(0, |h| h as usize + 1);
        }
        was
    }

    /// Whether `fd` is in the set (`FD_ISSET`); after [`select`], whether it is
    /// ready. Always `false` for a descriptor not below [`FD_SETSIZE`].
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// assert!(!bsdsock::FdSet::new().contains(&s));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[doc(alias = "FD_ISSET")]
    pub fn contains(&self, fd: impl AsFd) -> bool {
        sys::fd_set_contains(&self.set, fd.as_fd().as_raw_fd())
    }

    /// Empties the set (`FD_ZERO`).
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// let mut set = bsdsock::FdSet::new();
    /// set.insert(&s)?;
    /// set.clear();
    /// assert!(set.is_empty());
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[doc(alias = "FD_ZERO")]
    pub fn clear(&mut self) {
        self.set = sys::fd_set_empty();
        self.nfds = 0;
    }

    /// Whether no descriptor is in the set.
    ///
    /// ```
    /// assert!(bsdsock::FdSet::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The descriptors in the set, in increasing order (after [`select`]: the
    /// ready ones).
    ///
    /// ```
    /// use std::os::fd::AsRawFd;
    /// let a = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// let b = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// let mut set = bsdsock::FdSet::new();
    /// set.insert(&b)?;
    /// set.insert(&a)?;
    /// let mut want = vec![a.as_raw_fd(), b.as_raw_fd()];
    /// want.sort();
    /// assert_eq!(set.iter().collect::<Vec<_>>(), want);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn iter(&self) -> FdSetIter<'_> {
        FdSetIter { set: self, next: 0 }
    }

    /// The highest descriptor in the set (the C idiom's `maxfd`).
    fn highest(&self) -> Option<RawFd> {
        (0..self.nfds as RawFd).rev().find(|&fd| sys::fd_set_contains(&self.set, fd))
    }
}

impl Default for FdSet {
    /// An empty set.
    fn default() -> FdSet {
        FdSet::new()
    }
}

impl fmt::Debug for FdSet {
    /// The descriptors in the set: `FdSet {3, 7}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FdSet ")?;
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a FdSet {
    type Item = RawFd;
    type IntoIter = FdSetIter<'a>;
    fn into_iter(self) -> FdSetIter<'a> {
        self.iter()
    }
}

/// The descriptors of an [`FdSet`], in increasing order; see [`FdSet::iter`].
#[derive(Clone, Debug)]
pub struct FdSetIter<'a> {
    set: &'a FdSet,
    next: usize,
}

impl Iterator for FdSetIter<'_> {
    type Item = RawFd;
    fn next(&mut self) -> Option<RawFd> {
        while self.next < self.set.nfds {
            let fd = self.next as RawFd;
            self.next += 1;
            if sys::fd_set_contains(&self.set.set, fd) {
                return Some(fd);
            }
        }
        None
    }
}

/// [`select(2)`](https://man7.org/linux/man-pages/man2/select.2.html): waits until a
/// descriptor in `read` can be read (or accepted, or is at end-of-file), one in `write` can
/// be written (or finished connecting), or one in `except` has an exceptional condition
/// (out-of-band data), or `timeout` passes (`None`: wait forever). Returns the number of
/// ready descriptors counted over all sets, 0 on timeout.
///
/// As in C, each set given is **overwritten** with its ready descriptors: rebuild
/// the sets (or copy a master set, as Stevens' select server does with `allset`) before
/// each call. `nfds` is computed from the sets. Timeouts are rounded up to whole
/// microseconds.
///
/// `Err` with `EINTR` if a signal handler ran during the wait (on Linux even with
/// `SA_RESTART`): retry it, after rebuilding the sets. Descriptors at or above
/// [`FD_SETSIZE`] cannot be in an [`FdSet`]; use [`poll`] for them.
///
/// ```
/// use std::time::Duration;
/// use bsdsock::{select, socketpair, Domain, FdSet, Protocol, Type};
/// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// a.send(b"ping", Default::default())?;
/// let mut readable = FdSet::new();
/// readable.insert(&a)?;
/// readable.insert(&b)?;
/// let n = select(Some(&mut readable), None, None, Some(Duration::from_secs(1)))?;
/// assert_eq!(n, 1);
/// assert!(readable.contains(&b) && !readable.contains(&a));
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn select(
    read: Option<&mut FdSet>,
    write: Option<&mut FdSet>,
    except: Option<&mut FdSet>,
    timeout: Option<Duration>,
) -> Result<usize> {
    let nfds = [&read, &write, &except]
        .iter()
        .filter_map(|s| s.as_ref().map(|s| s.nfds))
        .max()
        .unwrap_or(0);
    // nfds <= FD_SETSIZE (insert refuses anything larger), which fits a c_int.
    sys::select(
        nfds as libc::c_int,
        read.map(|s| &mut s.set),
        write.map(|s| &mut s.set),
        except.map(|s| &mut s.set),
        timeout,
    )
    .ctx("select")
}
