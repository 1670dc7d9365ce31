//! [`CmsgBuffer`]'s methods and the `CMSG_SPACE` / `CMSG_LEN` arithmetic.

use crate::sys::{self, CMSG_HDR, CmsgBuffer, cmsg_align};

/// `CMSG_SPACE(len)` of [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html): the bytes one control message with a
/// `len`-byte payload takes in a control buffer, padding included.
///
/// ```
/// use bsdsock::{CMSG_LEN, CMSG_SPACE};
/// assert!(CMSG_SPACE(4) >= CMSG_LEN(4));
/// assert_eq!(CMSG_SPACE(4) % std::mem::size_of::<u32>(), 0);
/// ```
#[allow(non_snake_case)]
#[doc(alias = "cmsghdr")]
pub const fn CMSG_SPACE(len: usize) -> usize {
    cmsg_align(len).saturating_add(CMSG_HDR)
}

/// `CMSG_LEN(len)` of [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html): the `cmsg_len` of a control message with a
/// `len`-byte payload (header plus payload, no trailing padding).
///
/// ```
/// assert_eq!(bsdsock::CMSG_LEN(0) + 4, bsdsock::CMSG_LEN(4));
/// ```
#[allow(non_snake_case)]
pub const fn CMSG_LEN(len: usize) -> usize {
    len.saturating_add(CMSG_HDR)
}

impl CmsgBuffer {
    /// A buffer of at least `bytes` bytes (rounded up to 8), aligned for
    /// `struct cmsghdr` because it is made of `u64` words. Size it with
    /// [`CMSG_SPACE`] per expected message; see [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html).
    ///
    /// ```
    /// let b = bsdsock::CmsgBuffer::with_capacity(bsdsock::CMSG_SPACE(12));
    /// assert!(b.capacity() >= bsdsock::CMSG_SPACE(12));
    /// assert!(b.as_bytes().is_empty());
    /// ```
    pub fn with_capacity(bytes: usize) -> CmsgBuffer {
        CmsgBuffer { words: vec![0; bytes.div_ceil(8)], len: 0 }
    }

    /// A buffer for one `SCM_RIGHTS` message of `n` descriptors
    /// ([unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)): `CMSG_SPACE(n * 4)`.
    ///
    /// ```
    /// let b = bsdsock::CmsgBuffer::for_fds(3);
    /// assert!(b.capacity() >= bsdsock::CMSG_SPACE(12));
    /// ```
    pub fn for_fds(n: usize) -> CmsgBuffer {
        CmsgBuffer::with_capacity(CMSG_SPACE(n.saturating_mul(4)))
    }

    /// The bytes the buffer holds.
    ///
    /// ```
    /// assert_eq!(bsdsock::CmsgBuffer::with_capacity(20).capacity(), 24);
    /// ```
    pub fn capacity(&self) -> usize {
        self.words.len() * 8
    }

    /// The bytes the kernel wrote in the last [`recvmsg`](crate::recvmsg)
    /// (`msg_controllen`); parse them with [`ControlMessages`](crate::ControlMessages).
    ///
    /// ```
    /// assert!(bsdsock::CmsgBuffer::for_fds(1).as_bytes().is_empty());
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        self.used()
    }

    /// Forgets the last call's contents.
    ///
    /// ```
    /// let mut b = bsdsock::CmsgBuffer::for_fds(1);
    /// b.clear();
    /// assert!(b.as_bytes().is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.len = 0;
    }
}

impl std::fmt::Debug for CmsgBuffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CmsgBuffer")
            .field("capacity", &self.capacity())
            .field("len", &self.len)
            .finish()
    }
}

impl Clone for CmsgBuffer {
    fn clone(&self) -> CmsgBuffer {
        CmsgBuffer { words: self.words.clone(), len: self.len }
    }
}

/// Aligned scratch space for encoding outgoing control messages: on the stack
/// up to 256 bytes (a few messages, up to 58 descriptors), on the heap beyond.
/// Up to 64 bytes (one or two messages of an int or a pktinfo) only 64 bytes
/// are zeroed: zeroing all 256 was a memset call, 45 of the 307 instructions of
/// the `sendmsg` row of benches/callgrind.sh.
#[allow(clippy::large_enum_variant)] // the point: no allocation up to 256 bytes
pub(crate) enum Scratch {
    Small([u64; 8]),
    Stack([u64; 32]),
    Heap(Vec<u64>),
}

impl Scratch {
    #[inline]
    pub(crate) fn new(bytes: usize) -> Scratch {
        if bytes <= 64 {
            Scratch::Small([0; 8])
        } else if bytes <= 256 {
            Scratch::Stack([0; 32])
        } else {
            Scratch::Heap(vec![0; bytes.div_ceil(8)])
        }
    }

    #[inline]
    pub(crate) fn words(&self) -> &[u64] {
        match self {
            Scratch::Small(a) => a,
            Scratch::Stack(a) => a,
            Scratch::Heap(v) => v,
        }
    }

    #[inline]
    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        match self {
            Scratch::Small(a) => sys::words_as_bytes_mut(a),
            Scratch::Stack(a) => sys::words_as_bytes_mut(a),
            Scratch::Heap(v) => sys::words_as_bytes_mut(v),
        }
    }
}
