//! The socket calls of `<sys/socket.h>`.
//!
//! Addresses come in as the exact bytes to hand the kernel (`SockAddr::as_bytes`)
//! and go out through an [`AddrBuf`]; options as byte slices or [`Pod`] values.

use std::mem::size_of;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use super::Errno;
use super::{AddrBuf, Pod, cvt, cvt_size, socklen};

cfg_if::cfg_if! {
    if #[cfg(any(linux_like, bsd, solarish))] {
        /// Flags every send carries: a write to a closed connection must return
        /// EPIPE, never kill the process with SIGPIPE. `MSG_NOSIGNAL` is in
        /// Linux's send(2), FreeBSD's and DragonFly's send(2), NetBSD's send(2)
        /// (since 6.0), OpenBSD's send(2) and illumos' send(3SOCKET).
        pub(super) const SEND_FLAGS: libc::c_int = libc::MSG_NOSIGNAL;
    } else {
        /// Flags every send carries: none where the OS has no `MSG_NOSIGNAL`;
        /// there `SO_NOSIGPIPE` is set on every socket at creation instead
        /// (see [`finish_new`]).
        pub(super) const SEND_FLAGS: libc::c_int = 0;
    }
}

/// Wraps a descriptor the kernel just returned to us.
#[inline]
fn owned(fd: RawFd) -> OwnedFd {
    // SAFETY: callers pass only a descriptor a successful socket/accept call just
    // created, which nothing else owns.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

/// What `SOCK_CLOEXEC` and `MSG_NOSIGNAL` give elsewhere, for a fresh descriptor
/// on an OS that has neither (Apple: its socket(2) and accept(2) take no flags,
/// and its send(2) documents no `MSG_NOSIGNAL`): `FD_CLOEXEC` by fcntl(2), racy
/// against a concurrent fork+exec but the only way there is, and
/// `SO_NOSIGPIPE` (setsockopt(2), SOL_SOCKET level), so that writes to a closed
/// connection return EPIPE instead of raising SIGPIPE. Applied to accepted
/// sockets as well: the option is per socket.
#[cfg(not(any(linux_like, bsd, solarish)))]
fn finish_new(fd: OwnedFd) -> Result<OwnedFd, Errno> {
    use std::os::fd::AsFd;
    let flags = super::fcntl_getfd(fd.as_fd())?;
    super::fcntl_setfd(fd.as_fd(), flags | libc::FD_CLOEXEC)?;
    #[cfg(apple)]
    setsockopt(fd.as_fd(), libc::SOL_SOCKET, libc::SO_NOSIGPIPE, &1i32)?;
    Ok(fd)
}

/// BSD accept(2), Apple's included, gives the new socket "the same properties"
/// as the listener, `O_NONBLOCK` among them; `accept4(2)` without
/// `SOCK_NONBLOCK`, which the other systems use here, gives a blocking one
/// (FreeBSD's accept(2) spells the difference out). Cleared so that `accept`
/// returns a blocking socket everywhere.
#[cfg(not(any(linux_like, bsd, solarish)))]
fn clear_inherited_nonblock(fd: OwnedFd) -> Result<OwnedFd, Errno> {
    use std::os::fd::AsFd;
    let flags = super::fcntl_getfl(fd.as_fd())?;
    if flags & libc::O_NONBLOCK != 0 {
        super::fcntl_setfl(fd.as_fd(), flags & !libc::O_NONBLOCK)?;
    }
    Ok(fd)
}

/// `socket(2)` with `SOCK_CLOEXEC` (close-on-exec from the start: Linux, the
/// BSDs and illumos all take the flag in `type`), or with `FD_CLOEXEC` and
/// `SO_NOSIGPIPE` set right after where the OS has no such flag (Apple).
#[inline]
pub(crate) fn socket(domain: i32, ty: i32, protocol: i32) -> Result<OwnedFd, Errno> {
    cfg_if::cfg_if! {
        if #[cfg(any(linux_like, bsd, solarish))] {
            // SAFETY: socket takes integers only.
            cvt(unsafe { libc::socket(domain, ty | libc::SOCK_CLOEXEC, protocol) }).map(owned)
        } else {
            // SAFETY: socket takes integers only.
            let fd = cvt(unsafe { libc::socket(domain, ty, protocol) }).map(owned)?;
            finish_new(fd)
        }
    }
}

/// `socketpair(2)` with `SOCK_CLOEXEC` (as [`socket`]: fcntl and `SO_NOSIGPIPE`
/// after the call where the OS has no such flag).
pub(crate) fn socketpair(domain: i32, ty: i32, protocol: i32) -> Result<(OwnedFd, OwnedFd), Errno> {
    let mut fds = [-1 as RawFd; 2];
    #[cfg(any(linux_like, bsd, solarish))]
    let ty = ty | libc::SOCK_CLOEXEC;
    // SAFETY: fds is a valid array of two ints for the kernel to fill.
    cvt(unsafe { libc::socketpair(domain, ty, protocol, fds.as_mut_ptr()) })?;
    let pair = (owned(fds[0]), owned(fds[1]));
    #[cfg(not(any(linux_like, bsd, solarish)))]
    let pair = (finish_new(pair.0)?, finish_new(pair.1)?);
    Ok(pair)
}

/// `bind(2)`; `addr` is a complete sockaddr of its family's length.
#[inline]
pub(crate) fn bind(fd: BorrowedFd<'_>, addr: &[u8]) -> Result<(), Errno> {
    // SAFETY: addr is valid for reads of addr.len() bytes, which is the length passed.
    cvt(unsafe { libc::bind(fd.as_raw_fd(), addr.as_ptr().cast(), socklen(addr.len())) }).map(drop)
}

/// `connect(2)`.
#[inline]
pub(crate) fn connect(fd: BorrowedFd<'_>, addr: &[u8]) -> Result<(), Errno> {
    // SAFETY: addr is valid for reads of addr.len() bytes, which is the length passed.
    cvt(unsafe { libc::connect(fd.as_raw_fd(), addr.as_ptr().cast(), socklen(addr.len())) })
        .map(drop)
}

/// `listen(2)`.
#[inline]
pub(crate) fn listen(fd: BorrowedFd<'_>, backlog: i32) -> Result<(), Errno> {
    // SAFETY: listen takes integers only.
    cvt(unsafe { libc::listen(fd.as_raw_fd(), backlog) }).map(drop)
}

/// `accept4(2)` with `SOCK_CLOEXEC`: Linux, FreeBSD (10.0+), DragonFly, NetBSD
/// (8.0+), OpenBSD (5.7+) and illumos document it; elsewhere (Apple) `accept(2)`
/// and then [`finish_new`] (`FD_CLOEXEC`, `SO_NOSIGPIPE`).
pub(crate) fn accept(fd: BorrowedFd<'_>, addr: &mut AddrBuf) -> Result<OwnedFd, Errno> {
    let (ptr, len) = addr.raw();
    cfg_if::cfg_if! {
        if #[cfg(any(linux_like, bsd, solarish))] {
            // SAFETY: ptr/len describe AddrBuf's sockaddr_storage and its size.
            let r = cvt(unsafe { libc::accept4(fd.as_raw_fd(), ptr, len, libc::SOCK_CLOEXEC) })
                .map(owned);
        } else {
            // SAFETY: ptr/len describe AddrBuf's sockaddr_storage and its size.
            let r = cvt(unsafe { libc::accept(fd.as_raw_fd(), ptr, len) })
                .map(owned)
                .and_then(finish_new)
                .and_then(clear_inherited_nonblock);
        }
    }
    if r.is_err() {
        addr.clear();
    }
    r
}

/// `shutdown(2)`; `how` is SHUT_RD, SHUT_WR or SHUT_RDWR.
#[inline]
pub(crate) fn shutdown(fd: BorrowedFd<'_>, how: i32) -> Result<(), Errno> {
    // SAFETY: shutdown takes integers only.
    cvt(unsafe { libc::shutdown(fd.as_raw_fd(), how) }).map(drop)
}

/// `getsockname(2)`.
#[inline]
pub(crate) fn getsockname(fd: BorrowedFd<'_>, addr: &mut AddrBuf) -> Result<(), Errno> {
    let (ptr, len) = addr.raw();
    // SAFETY: ptr/len describe AddrBuf's sockaddr_storage and its size.
    let r = cvt(unsafe { libc::getsockname(fd.as_raw_fd(), ptr, len) }).map(drop);
    if r.is_err() {
        addr.clear();
    }
    r
}

/// `getpeername(2)`.
#[inline]
pub(crate) fn getpeername(fd: BorrowedFd<'_>, addr: &mut AddrBuf) -> Result<(), Errno> {
    let (ptr, len) = addr.raw();
    // SAFETY: ptr/len describe AddrBuf's sockaddr_storage and its size.
    let r = cvt(unsafe { libc::getpeername(fd.as_raw_fd(), ptr, len) }).map(drop);
    if r.is_err() {
        addr.clear();
    }
    r
}

/// `send(2)`, always with MSG_NOSIGNAL where the OS has it (`SEND_FLAGS`).
#[inline]
pub(crate) fn send(fd: BorrowedFd<'_>, buf: &[u8], flags: i32) -> Result<usize, Errno> {
    // SAFETY: buf is valid for reads of buf.len() bytes.
    cvt_size(unsafe {
        libc::send(fd.as_raw_fd(), buf.as_ptr().cast(), buf.len(), flags | SEND_FLAGS)
    })
}

/// `sendto(2)`, always with MSG_NOSIGNAL where the OS has it; an empty `addr` is passed as `NULL, 0`.
#[inline]
pub(crate) fn sendto(
    fd: BorrowedFd<'_>,
    buf: &[u8],
    flags: i32,
    addr: &[u8],
) -> Result<usize, Errno> {
    // SAFETY: buf and addr are valid for reads of their lengths, which are passed.
    cvt_size(unsafe {
        libc::sendto(
            fd.as_raw_fd(),
            buf.as_ptr().cast(),
            buf.len(),
            flags | SEND_FLAGS,
            if addr.is_empty() { std::ptr::null() } else { addr.as_ptr().cast() },
            socklen(addr.len()),
        )
    })
}

/// `recv(2)`.
#[inline]
pub(crate) fn recv(fd: BorrowedFd<'_>, buf: &mut [u8], flags: i32) -> Result<usize, Errno> {
    // SAFETY: buf is valid for writes of buf.len() bytes.
    cvt_size(unsafe { libc::recv(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), flags) })
}

/// `recvfrom(2)`.
#[inline]
pub(crate) fn recvfrom(
    fd: BorrowedFd<'_>,
    buf: &mut [u8],
    flags: i32,
    addr: &mut AddrBuf,
) -> Result<usize, Errno> {
    let (ptr, len) = addr.raw();
    // SAFETY: buf is valid for writes of buf.len() bytes; ptr/len describe
    // AddrBuf's sockaddr_storage and its size.
    let r = cvt_size(unsafe {
        libc::recvfrom(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), flags, ptr, len)
    });
    if r.is_err() {
        addr.clear();
    }
    r
}

/// `getsockopt(2)` into a byte buffer; returns the length the kernel reported.
pub(crate) fn getsockopt(
    fd: BorrowedFd<'_>,
    level: i32,
    name: i32,
    buf: &mut [u8],
) -> Result<usize, Errno> {
    let mut len = socklen(buf.len());
    // SAFETY: buf is valid for writes of len bytes and len is a valid in/out pointer.
    cvt(unsafe {
        libc::getsockopt(fd.as_raw_fd(), level, name, buf.as_mut_ptr().cast(), &mut len)
    })?;
    Ok(len as usize)
}

/// `setsockopt(2)` from a byte buffer.
pub(crate) fn setsockopt_bytes(
    fd: BorrowedFd<'_>,
    level: i32,
    name: i32,
    value: &[u8],
) -> Result<(), Errno> {
    // SAFETY: value is valid for reads of value.len() bytes, which is the length passed.
    cvt(unsafe {
        libc::setsockopt(fd.as_raw_fd(), level, name, value.as_ptr().cast(), socklen(value.len()))
    })
    .map(drop)
}

/// `getsockopt(2)` of a fixed-size C value, with the length the kernel reported.
/// Bytes the kernel did not write stay zero.
#[inline]
pub(crate) fn getsockopt_val<T: Pod>(
    fd: BorrowedFd<'_>,
    level: i32,
    name: i32,
) -> Result<(T, usize), Errno> {
    let mut val = super::read_prefix::<T>(&[]);
    let mut len = size_of::<T>() as libc::socklen_t;
    // SAFETY: val is a T, valid for writes of size_of::<T>() bytes; any bytes the
    // kernel writes form a valid T because T is Pod.
    cvt(unsafe {
        libc::getsockopt(fd.as_raw_fd(), level, name, (&mut val as *mut T).cast(), &mut len)
    })?;
    Ok((val, len as usize))
}

/// `getsockopt(2)` of a C `int`: the value with the length the kernel reported.
#[inline(always)]
pub(crate) fn getsockopt_int(
    fd: BorrowedFd<'_>,
    level: i32,
    name: i32,
) -> Result<IntAnswer, Errno> {
    let mut a = IntAnswer { val: 0, len: size_of::<libc::c_int>() as libc::socklen_t };
    // SAFETY: a.val is a live c_int, valid for writes of a.len = sizeof(int)
    // bytes; a.len is a valid in/out length pointer.
    cvt(unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&mut a.val as *mut libc::c_int).cast(),
            &mut a.len,
        )
    })?;
    Ok(a)
}

/// What [`getsockopt_int`] read. The two fields sit side by side in one 8-byte
/// word, so that [`IntAnswer::up_to`] checks the length and the value's range
/// with one load and one compare. Bench row `getsockopt` (guarded by
/// `benches/callgrind.sh --check`): 25 instructions per call with the one-word
/// read, 27 with the two fields compared one by one.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
pub(crate) struct IntAnswer {
    val: libc::c_int,
    len: libc::socklen_t,
}

// `IntAnswer::word` reads the two fields as one u64: no padding, no more.
const _: () = assert!(size_of::<IntAnswer>() == size_of::<u64>());

impl IntAnswer {
    /// `len << 32 | val as u32` of a well-formed answer with value 0.
    const EXACT: u64 = (size_of::<libc::c_int>() as u64) << 32;

    /// `len << 32 | val as u32`, read as one word.
    #[inline(always)]
    fn word(self) -> u64 {
        // SAFETY: IntAnswer is two initialized 4-byte fields, 8-aligned, with no
        // padding: its 8 bytes are a valid u64.
        let word = unsafe { std::ptr::read((&self as *const IntAnswer).cast::<u64>()) };
        // In memory the value comes first: the low half on little-endian machines.
        #[cfg(target_endian = "big")]
        let word = word.rotate_left(32);
        word
    }

    /// The value, if the kernel wrote a whole `int` that lies in `0..=max`:
    /// both conditions are one compare, `word ^ EXACT <= max`.
    #[inline(always)]
    pub(crate) fn up_to(self, max: u32) -> Option<u32> {
        let v = self.word() ^ IntAnswer::EXACT;
        (v <= u64::from(max)).then_some(v as u32)
    }

    /// The value, if the kernel wrote a whole `int`, whatever its sign.
    #[inline(always)]
    pub(crate) fn int(self) -> Option<i32> {
        (self.len as usize == size_of::<libc::c_int>()).then_some(self.val)
    }

    /// The answer of an `int` option whose `raw.len()` bytes came some other
    /// way than [`getsockopt_int`] (`getsockopt_raw`, io_uring): its first
    /// bytes, at most an `int`'s, over zeros, as that call's zeroed buffer
    /// would hold them, and the length as reported.
    pub(crate) fn from_bytes(raw: &[u8]) -> IntAnswer {
        let len = libc::socklen_t::try_from(raw.len()).unwrap_or(libc::socklen_t::MAX);
        IntAnswer { val: super::read_prefix::<libc::c_int>(raw), len }
    }

    /// The length the kernel reported.
    pub(crate) fn len(self) -> usize {
        self.len as usize
    }

    /// The value as written (meaningful when `len() == sizeof(int)`).
    pub(crate) fn value(self) -> i32 {
        self.val
    }
}

/// `setsockopt(2)` of a fixed-size C value.
#[inline]
pub(crate) fn setsockopt<T: Pod>(
    fd: BorrowedFd<'_>,
    level: i32,
    name: i32,
    value: &T,
) -> Result<(), Errno> {
    // SAFETY: value points to a live T of size_of::<T>() bytes, the length passed.
    cvt(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (value as *const T).cast(),
            size_of::<T>() as libc::socklen_t,
        )
    })
    .map(drop)
}
