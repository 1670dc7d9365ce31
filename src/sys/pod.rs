//! Plain C structs viewed as bytes and rebuilt from bytes.
//!
//! `Pod` marks the C types for which every bit pattern, including all zeros, is a
//! valid value, so that copying bytes in and out of them is sound. It is implemented
//! only here, for libc's structs and integers.

use std::mem::{MaybeUninit, size_of};

/// A C type made only of integers and arrays of integers: no padding-sensitive
/// invariants, no pointers, no niches.
///
/// # Safety
/// Every bit pattern of `size_of::<Self>()` bytes must be a valid `Self`.
pub(crate) unsafe trait Pod: Copy + 'static {}

macro_rules! pod {
    ($($t:ty),* $(,)?) => {
        // SAFETY: each of these is an integer or a C struct of integers and integer
        // arrays, for which any bit pattern is valid.
        $(unsafe impl Pod for $t {})*
    };
}

pod!(
    u8,
    i32,
    u32,
    u64,
    libc::sockaddr,
    libc::sockaddr_in,
    libc::sockaddr_in6,
    libc::sockaddr_un,
    libc::sockaddr_storage,
    libc::linger,
    libc::timeval,
    libc::in_addr,
    libc::in6_addr,
    libc::ip_mreq,
    libc::ipv6_mreq,
);
#[cfg(linux_like)]
pod!(libc::ip_mreqn, libc::ucred);
#[cfg(target_os = "linux")]
pod!(libc::ip_mreq_source);
#[cfg(target_os = "linux")]
pod!(libc::sock_txtime);

/// The bytes of `v`, as the kernel would read them.
#[inline]
pub(crate) fn bytes_of<T: Pod>(v: &T) -> &[u8] {
    // SAFETY: T is Pod, so all size_of::<T>() bytes behind v are initialized
    // (libc's structs have no padding the kernel cares about, and callers build them
    // from zeroed values); the slice borrows v and so cannot outlive it.
    unsafe { std::slice::from_raw_parts((v as *const T).cast::<u8>(), size_of::<T>()) }
}

/// A `T` whose first bytes are `src` (at most `size_of::<T>()` of them) and whose
/// remaining bytes are zero.
#[inline]
pub(crate) fn read_prefix<T: Pod>(src: &[u8]) -> T {
    let mut out = MaybeUninit::<T>::zeroed();
    let n = src.len().min(size_of::<T>());
    // SAFETY: out is valid for size_of::<T>() bytes and n never exceeds that or
    // src.len(); the regions cannot overlap (out is a fresh local). Zeroed plus
    // copied bytes form a valid T because T is Pod.
    unsafe {
        std::ptr::copy_nonoverlapping(src.as_ptr(), out.as_mut_ptr().cast::<u8>(), n);
        out.assume_init()
    }
}

/// A `T` read from exactly `size_of::<T>()` bytes, or `None` for any other length.
/// The fixed size lets the compiler turn the copy into a couple of moves.
#[inline]
pub(crate) fn read_exact<T: Pod>(src: &[u8]) -> Option<T> {
    if src.len() != size_of::<T>() {
        return None;
    }
    // SAFETY: src holds exactly size_of::<T>() readable bytes; read_unaligned
    // tolerates any alignment; every bit pattern is a valid T because T is Pod.
    Some(unsafe { std::ptr::read_unaligned(src.as_ptr().cast::<T>()) })
}
