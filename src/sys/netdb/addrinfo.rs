//! `getaddrinfo(3)` and `getnameinfo(3)`; the list `getaddrinfo` returns stays C
//! memory, owned by [`AddrInfoList`] and freed when it is dropped.

use std::ffi::{CStr, c_char, c_int};
use std::mem::size_of;
use std::ptr;

use super::{Errno, last_errno, socklen};
use crate::sys::read_prefix;

cfg_if::cfg_if! {
    if #[cfg(any(target_os = "freebsd", target_os = "dragonfly", target_os = "openbsd"))] {
        /// The type of getnameinfo's `hostlen`/`servlen`: `size_t` in FreeBSD's,
        /// DragonFly's and OpenBSD's getnameinfo(3) prototypes.
        type NiLen = libc::size_t;
    } else {
        /// The type of getnameinfo's `hostlen`/`servlen`: `socklen_t`, as POSIX
        /// and glibc, musl, Apple, NetBSD and illumos declare it.
        type NiLen = libc::socklen_t;
    }
}

/// A buffer length as getnameinfo's [`NiLen`]; the buffers here are far below
/// its range, and saturating keeps the length an underestimate.
#[inline]
fn ni_len(len: usize) -> NiLen {
    NiLen::try_from(len).unwrap_or(NiLen::MAX)
}

/// A failed `getaddrinfo` / `getnameinfo`: the `EAI_*` code, and for `EAI_SYSTEM`
/// the errno read right after the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GaiError {
    pub(crate) code: c_int,
    pub(crate) errno: Option<Errno>,
}

impl GaiError {
    /// Captures errno now, before anything else can overwrite it.
    fn from_code(code: c_int) -> GaiError {
        let errno = (code == libc::EAI_SYSTEM).then(last_errno);
        GaiError { code, errno }
    }
}

/// The `ai_flags`, `ai_family`, `ai_socktype`, `ai_protocol` of a hints struct.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hints {
    pub(crate) flags: c_int,
    pub(crate) family: c_int,
    pub(crate) socktype: c_int,
    pub(crate) protocol: c_int,
}

/// The list `getaddrinfo` returned; `freeaddrinfo` runs when it is dropped, so the
/// list is freed on every path, a panic in a caller's loop included.
pub(crate) struct AddrInfoList {
    head: *mut libc::addrinfo,
}

impl Drop for AddrInfoList {
    fn drop(&mut self) {
        if !self.head.is_null() {
            // SAFETY: head came from a successful getaddrinfo and is freed exactly
            // once, here; no entry borrowed from it outlives self.
            unsafe { libc::freeaddrinfo(self.head) };
        }
    }
}

/// One entry of an [`AddrInfoList`], borrowed from it.
pub(crate) struct AddrInfoEntry<'a> {
    pub(crate) family: c_int,
    pub(crate) socktype: c_int,
    pub(crate) protocol: c_int,
    /// The `ai_addr` bytes, `ai_addrlen` long.
    pub(crate) addr: &'a [u8],
    pub(crate) canonname: Option<&'a CStr>,
}

impl AddrInfoList {
    /// The entries in the order `getaddrinfo` sorted them.
    pub(crate) fn iter(&self) -> impl Iterator<Item = AddrInfoEntry<'_>> + '_ {
        let mut next = self.head;
        std::iter::from_fn(move || {
            if next.is_null() {
                return None;
            }
            // SAFETY: next is a node of the list self owns (the head or an
            // ai_next link), valid until self is dropped, which the returned
            // borrow prevents.
            let ai = unsafe { &*next };
            next = ai.ai_next;
            let addr = if ai.ai_addr.is_null() {
                &[][..]
            } else {
                // SAFETY: ai_addr points to ai_addrlen bytes of sockaddr owned by
                // the list.
                unsafe {
                    std::slice::from_raw_parts(ai.ai_addr.cast::<u8>(), ai.ai_addrlen as usize)
                }
            };
            let canonname = (!ai.ai_canonname.is_null())
                // SAFETY: a non-null ai_canonname is a NUL-terminated string owned
                // by the list.
                .then(|| unsafe { CStr::from_ptr(ai.ai_canonname) });
            Some(AddrInfoEntry {
                family: ai.ai_family,
                socktype: ai.ai_socktype,
                protocol: ai.ai_protocol,
                addr,
                canonname,
            })
        })
    }
}

/// `getaddrinfo(3)`. On failure nothing was allocated; on success the list is
/// owned by the returned value.
pub(crate) fn getaddrinfo(
    host: Option<&CStr>,
    service: Option<&CStr>,
    hints: Hints,
) -> Result<AddrInfoList, GaiError> {
    // SAFETY: an all-zero addrinfo is valid (integers and null pointers), and it is
    // what POSIX asks the unused fields of hints to be.
    let mut h: libc::addrinfo = unsafe { std::mem::zeroed() };
    h.ai_flags = hints.flags;
    h.ai_family = hints.family;
    h.ai_socktype = hints.socktype;
    h.ai_protocol = hints.protocol;
    let mut head: *mut libc::addrinfo = ptr::null_mut();
    // SAFETY: host and service are null or NUL-terminated; h is a valid hints
    // struct; head is valid for writes.
    let rc = unsafe {
        libc::getaddrinfo(
            host.map_or(ptr::null(), CStr::as_ptr),
            service.map_or(ptr::null(), CStr::as_ptr),
            &h,
            &mut head,
        )
    };
    if rc != 0 {
        return Err(GaiError::from_code(rc));
    }
    Ok(AddrInfoList { head })
}

/// A socket address copied for `getnameinfo`, with a NUL byte after it.
///
/// glibc's `getnameinfo` ignores the address length for `AF_UNIX` and runs
/// `strlen` on `sun_path`; a path that fills all of `sun_path` (legal, and then
/// unterminated) would make it read past the caller's bytes. Here the address
/// sits at the start of a zeroed `sockaddr_storage` with one more zero byte
/// after that, so every string C may read starting inside it ends within this
/// struct, whatever the family and length.
#[repr(C)]
struct NulPaddedAddr {
    storage: libc::sockaddr_storage,
    nul: u8,
}

// The whole of any sockaddr_un fits in the storage, so a NUL follows sun_path
// inside it even before `nul` (and `nul` covers a storage-sized address).
const _: () = assert!(size_of::<libc::sockaddr_storage>() > size_of::<libc::sockaddr_un>());

/// The length of the NUL-terminated text at the start of `buf`, or `None` if
/// `buf` holds no NUL.
#[inline]
fn c_len(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&b| b == 0)
}

/// A caller's buffer as getnameinfo's `(pointer, length)`: an empty one is
/// `(NULL, 0)`, C's "this answer is not wanted".
#[inline]
fn ni_buf(buf: &mut [u8]) -> (*mut c_char, NiLen) {
    if buf.is_empty() { (ptr::null_mut(), 0) } else { (buf.as_mut_ptr().cast(), ni_len(buf.len())) }
}

/// `getnameinfo(3)` into the caller's buffers: the host and service text for the
/// sockaddr bytes `addr`, NUL-terminated in `host` and `serv`. Returns the
/// length of each text (0 for an empty buffer, which asks for no answer).
///
/// An answer that does not fit its buffer is the C library's error
/// (`EAI_OVERFLOW` in glibc and musl), never a truncated text: a buffer that
/// holds no NUL after a "successful" call is reported as `EAI_OVERFLOW` too. An
/// address longer than `sockaddr_storage` is `EAI_FAMILY` (no family has one).
pub(crate) fn getnameinfo(
    addr: &[u8],
    flags: c_int,
    host: &mut [u8],
    serv: &mut [u8],
) -> Result<(usize, usize), GaiError> {
    if addr.len() > size_of::<libc::sockaddr_storage>() {
        return Err(GaiError { code: libc::EAI_FAMILY, errno: None });
    }
    let sa = NulPaddedAddr { storage: read_prefix(addr), nul: 0 };
    let (host_ptr, host_len) = ni_buf(host);
    let (serv_ptr, serv_len) = ni_buf(serv);
    // SAFETY: sa.storage holds the addr.len() bytes passed as the length, and is
    // followed by zeros up to and including sa.nul, so even a strlen that ignores
    // the length (glibc, AF_UNIX) stops inside sa; sa is aligned for any sockaddr.
    // host_ptr/serv_ptr are null with length 0, or valid for writes of the length
    // passed (ni_len only ever underestimates).
    let rc = unsafe {
        libc::getnameinfo(
            (&raw const sa.storage).cast(),
            socklen(addr.len()),
            host_ptr,
            host_len,
            serv_ptr,
            serv_len,
            flags,
        )
    };
    if rc != 0 {
        return Err(GaiError::from_code(rc));
    }
    let overflow = GaiError { code: libc::EAI_OVERFLOW, errno: None };
    let host_text = if host.is_empty() { 0 } else { c_len(host).ok_or(overflow)? };
    let serv_text = if serv.is_empty() { 0 } else { c_len(serv).ok_or(overflow)? };
    Ok((host_text, serv_text))
}
