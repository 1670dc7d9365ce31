//! The C shapes an option value takes on its way to and from the kernel, each
//! with the one `getsockopt(2)` / `setsockopt(2)` call that moves it: a C `int`,
//! a fixed-size C struct, a short byte buffer, and the two that need a call of
//! their own (a new descriptor, a BPF program behind a pointer).
//!
//! A codec names its shape ([`Decode::C`](super::Decode::C),
//! [`Encode::C`](super::Encode::C)) and converts; it never calls.

use std::fmt;
use std::mem::size_of;
use std::os::fd::BorrowedFd;
#[cfg(target_os = "linux")]
use std::os::fd::OwnedFd;

use super::codec::Refusal;
use crate::Errno;
#[cfg(target_os = "linux")]
use crate::sys::SockFilter;
use crate::sys::{self, Pod};

/// A C shape read by one `getsockopt(2)` call.
pub trait Fetch: Sized {
    /// Reads option `name` at `level` of `fd` in this shape.
    fn fetch(fd: BorrowedFd<'_>, level: i32, name: i32) -> Result<Self, Errno>;

    /// This shape holding `raw`, all the bytes the kernel wrote for an option
    /// read some other way (`raw.len()` is the length it reported): what
    /// [`Fetch::fetch`] would hold had its call written them.
    fn from_bytes(raw: &[u8]) -> Result<Self, Refusal>;
}

/// A C shape written by one `setsockopt(2)` call.
pub trait Store {
    /// Sets option `name` at `level` of `fd` to this value.
    fn store(&self, fd: BorrowedFd<'_>, level: i32, name: i32) -> Result<(), Errno>;
}

/// A fixed-size C value (`int`, `struct linger`, `struct ip_mreq`, ...) is
/// passed as its bytes, its size as `optlen`.
impl<T: Pod> Store for T {
    #[inline(always)]
    fn store(&self, fd: BorrowedFd<'_>, level: i32, name: i32) -> Result<(), Errno> {
        sys::setsockopt(fd, level, name, self)
    }
}

/// A C `int` as the kernel answered it: the value and the reported length, read
/// together (see `sys::IntAnswer`) so that one compare checks both.
#[derive(Clone, Copy)]
pub struct Int(sys::IntAnswer);

impl Int {
    const LEN: usize = size_of::<libc::c_int>();

    /// The value, if the kernel wrote a whole `int` that lies in `0..=max`.
    #[inline(always)]
    pub(crate) fn up_to(self, max: u32, what: &'static str) -> Result<u32, Refusal> {
        match self.0.up_to(max) {
            Some(v) => Ok(v),
            None => Err(Refusal::Int { answer: self, what }),
        }
    }

    /// The value, if the kernel wrote a whole `int`, whatever its sign.
    #[inline(always)]
    pub(crate) fn whole(self) -> Result<i32, Refusal> {
        match self.0.int() {
            Some(v) => Ok(v),
            None => Err(Refusal::Len { got: self.0.len(), want: Int::LEN }),
        }
    }
}

impl Fetch for Int {
    #[inline(always)]
    fn fetch(fd: BorrowedFd<'_>, level: i32, name: i32) -> Result<Int, Errno> {
        sys::getsockopt_int(fd, level, name).map(Int)
    }

    #[inline]
    fn from_bytes(raw: &[u8]) -> Result<Int, Refusal> {
        Ok(Int(sys::IntAnswer::from_bytes(raw)))
    }
}

impl fmt::Debug for Int {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Int").field("value", &self.0.value()).field("len", &self.0.len()).finish()
    }
}

/// A fixed-size C struct as the kernel answered it, with the reported length.
#[derive(Clone, Copy, Debug)]
pub struct Fixed<T> {
    value: T,
    len: usize,
}

impl<T> Fixed<T> {
    /// The value, if the kernel filled all of it.
    #[inline(always)]
    pub(crate) fn exact(self) -> Result<T, Refusal> {
        if self.len == size_of::<T>() {
            Ok(self.value)
        } else {
            Err(Refusal::Len { got: self.len, want: size_of::<T>() })
        }
    }
}

impl<T: Pod> Fetch for Fixed<T> {
    #[inline(always)]
    fn fetch(fd: BorrowedFd<'_>, level: i32, name: i32) -> Result<Fixed<T>, Errno> {
        sys::getsockopt_val::<T>(fd, level, name).map(|(value, len)| Fixed { value, len })
    }

    #[inline]
    fn from_bytes(raw: &[u8]) -> Result<Fixed<T>, Refusal> {
        Ok(Fixed { value: sys::read_prefix(raw), len: raw.len() })
    }
}

/// Up to `N` bytes of variable length: a name, a `sockaddr`, a `struct
/// tcp_info` that grows with the kernel.
#[derive(Clone, Copy, Debug)]
pub struct Bytes<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Bytes<N> {
    /// No bytes at all (`optlen` 0).
    pub(crate) const EMPTY: Bytes<N> = Bytes { buf: [0; N], len: 0 };

    /// `src` as the value to set; `None` if it is longer than `N`.
    #[inline]
    pub(crate) fn new(src: &[u8]) -> Option<Bytes<N>> {
        let mut buf = [0u8; N];
        buf.get_mut(..src.len())?.copy_from_slice(src);
        Some(Bytes { buf, len: src.len() })
    }

    /// The bytes the kernel wrote, if they fit in `N`.
    #[inline]
    pub(crate) fn written(&self) -> Result<&[u8], Refusal> {
        self.buf.get(..self.len).ok_or(Refusal::Len { got: self.len, want: N })
    }

    /// The whole buffer and the length the kernel reported (which may exceed `N`).
    /// Used by `TCP_INFO`'s decoder only, which is Linux's.
    #[cfg(target_os = "linux")]
    #[inline]
    pub(crate) fn into_parts(self) -> ([u8; N], usize) {
        (self.buf, self.len)
    }
}

impl<const N: usize> Fetch for Bytes<N> {
    #[inline]
    fn fetch(fd: BorrowedFd<'_>, level: i32, name: i32) -> Result<Bytes<N>, Errno> {
        let mut buf = [0u8; N];
        let len = sys::getsockopt(fd, level, name, &mut buf)?;
        Ok(Bytes { buf, len })
    }

    /// More than `N` bytes is kept as a length only, as from a kernel that
    /// reported more than it wrote: the decoders refuse it.
    #[inline]
    fn from_bytes(raw: &[u8]) -> Result<Bytes<N>, Refusal> {
        let mut buf = [0u8; N];
        let n = raw.len().min(N);
        buf[..n].copy_from_slice(&raw[..n]);
        Ok(Bytes { buf, len: raw.len() })
    }
}

impl<const N: usize> Store for Bytes<N> {
    #[inline]
    fn store(&self, fd: BorrowedFd<'_>, level: i32, name: i32) -> Result<(), Errno> {
        sys::setsockopt_bytes(fd, level, name, &self.buf[..self.len])
    }
}

/// A descriptor the kernel created for the caller (`SO_PEERPIDFD`); `None` when
/// the answer was not a whole `int`, and so not a descriptor to own.
#[cfg(target_os = "linux")]
#[derive(Debug)]
pub struct NewFd(pub(crate) Option<OwnedFd>);

#[cfg(target_os = "linux")]
impl Fetch for NewFd {
    fn fetch(fd: BorrowedFd<'_>, level: i32, name: i32) -> Result<NewFd, Errno> {
        sys::getsockopt_fd(fd, level, name).map(NewFd)
    }

    /// Never: a descriptor is owned only when the kernel created it for this
    /// process's own call; a number taken from bytes could be anyone's.
    fn from_bytes(_raw: &[u8]) -> Result<NewFd, Refusal> {
        Err(Refusal::Invalid(
            "a descriptor cannot be decoded from bytes: use getsockopt, whose call creates it",
        ))
    }
}

/// A classic BPF program as `struct sock_fprog`: the instructions and their
/// count, checked to fit C's `unsigned short`.
#[cfg(target_os = "linux")]
#[derive(Clone, Copy, Debug)]
pub struct Fprog<'a> {
    pub(crate) prog: &'a [SockFilter],
    pub(crate) len: u16,
}

#[cfg(target_os = "linux")]
impl Store for Fprog<'_> {
    fn store(&self, fd: BorrowedFd<'_>, level: i32, name: i32) -> Result<(), Errno> {
        sys::setsockopt_fprog(fd, level, name, self.prog, self.len)
    }
}
