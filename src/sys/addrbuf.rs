//! A buffer the kernel writes a socket address into (accept, recvfrom,
//! getsockname, getpeername).

use std::mem::{MaybeUninit, size_of};

use super::Pod;

/// Where `sa_family` sits in every `sockaddr`: 0 where it is the first field
/// (Linux, illumos: a 16-bit `sa_family_t`), 1 where the 4.4BSD layout puts a
/// length byte `sa_len` first and an 8-bit `sa_family_t` after it (FreeBSD,
/// NetBSD, OpenBSD, DragonFly and Apple `<sys/socket.h>`, see their
/// `getsockname(2)`: the kernel fills `sa_len` in every address it returns).
const FAMILY_AT: usize = std::mem::offset_of!(libc::sockaddr, sa_family);

/// `sockaddr_storage` plus the length the kernel reported.
///
/// Left uninitialized: zeroing 128 bytes on every getsockname would cost more than
/// the decode. Only the bytes the kernel wrote are ever read back, through
/// [`AddrBuf::bytes`].
pub(crate) struct AddrBuf {
    storage: MaybeUninit<libc::sockaddr_storage>,
    /// Bytes written by the kernel; 0 until a call succeeds.
    len: libc::socklen_t,
}

impl AddrBuf {
    #[inline]
    pub(crate) fn new() -> AddrBuf {
        // Field by field on purpose: written as one struct expression, the value is
        // folded into a constant whose uninit bytes LLVM then copies in as zeros
        // (a 128-byte memset on every call). Bench rows getsockname /
        // getsockname6 (benches/callgrind.guard): 23 / 35 instructions per call
        // field by field, 32 / 44 as one struct expression.
        let mut buf = MaybeUninit::<AddrBuf>::uninit();
        // SAFETY: `len` is written through a raw pointer into buf's own memory;
        // `storage` is a MaybeUninit, so once `len` is written every field holds a
        // valid value and buf is initialized.
        unsafe {
            std::ptr::addr_of_mut!((*buf.as_mut_ptr()).len).write(0);
            buf.assume_init()
        }
    }

    /// What the kernel wrote. If it reported a longer address than fits (never for
    /// `sockaddr_storage`, but the length is the kernel's word), only the part that
    /// was written is returned.
    #[inline]
    pub(crate) fn bytes(&self) -> &[u8] {
        let n = (self.len as usize).min(size_of::<libc::sockaddr_storage>());
        // SAFETY: the kernel initialized the first `len` bytes of storage (len is set
        // only by a successful call, see `raw`), n is clamped to the storage size,
        // and the slice borrows self.
        unsafe { std::slice::from_raw_parts(self.storage.as_ptr().cast::<u8>(), n) }
    }

    /// What the kernel wrote as a `T`, if it wrote exactly `size_of::<T>()` bytes
    /// and they start with `family`: the fast path of decoding. The family is
    /// compared in the buffer, before the copy, so that the copy stays one move
    /// of the whole struct (compared in the copy, LLVM stores the known family
    /// as a constant and copies the rest in pieces). Bench rows getsockname /
    /// getsockname6 (benches/callgrind.guard): 23 / 35 instructions per call
    /// compared in the buffer, 26 / 36 compared in the copy.
    ///
    /// The family is read where `struct sockaddr` has it ([`FAMILY_AT`]): byte
    /// 0 on Linux and illumos, byte 1 on the BSDs and Apple, after `sa_len`.
    #[inline(always)]
    pub(crate) fn get_family<T: Pod>(&self, family: libc::sa_family_t) -> Option<T> {
        let fits = FAMILY_AT + size_of::<libc::sa_family_t>() <= size_of::<T>()
            && size_of::<T>() <= size_of::<libc::sockaddr_storage>();
        if !fits || self.len as usize != size_of::<T>() {
            return None;
        }
        let p = self.storage.as_ptr();
        // SAFETY: the kernel initialized the first len == size_of::<T>() bytes of
        // storage, which hold the sa_family_t at FAMILY_AT (checked above); read
        // unaligned.
        let found = unsafe {
            std::ptr::read_unaligned(p.cast::<u8>().add(FAMILY_AT).cast::<libc::sa_family_t>())
        };
        if found != family {
            return None;
        }
        // SAFETY: as above, those size_of::<T>() bytes fit in storage and were
        // written by the kernel; every bit pattern is a valid T (Pod).
        Some(unsafe { std::ptr::read_unaligned(p.cast::<T>()) })
    }

    /// Pointer and in/out length for one call; `len` is reset to 0 if the call fails.
    #[inline]
    pub(super) fn raw(&mut self) -> (*mut libc::sockaddr, *mut libc::socklen_t) {
        self.len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        (self.storage.as_mut_ptr().cast(), &mut self.len)
    }

    #[inline]
    pub(super) fn clear(&mut self) {
        self.len = 0;
    }

    /// Records the length the kernel reported through a header (recvmmsg).
    #[cfg(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd"
    ))]
    #[inline]
    pub(super) fn set_len(&mut self, len: libc::socklen_t) {
        self.len = len;
    }
}
