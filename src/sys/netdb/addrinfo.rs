//! `getaddrinfo(3)` and `getnameinfo(3)`; the list `getaddrinfo` returns stays C
//! memory, owned by [`AddrInfoList`] and freed when it is dropped.

use std::ffi::{CStr, c_int};
use std::mem::MaybeUninit;
use std::ptr;

use super::{Errno, c_bytes, last_errno, socklen};

/// `NI_MAXSERV`: the longest service name `getnameinfo` writes, NUL included.
const NI_MAXSERV: usize = 32;
/// `NI_MAXHOST`: the longest host name `getnameinfo` writes, NUL included.
const NI_MAXHOST: usize = 1025;

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

/// `getnameinfo(3)`: host and service text for the sockaddr bytes `addr`.
pub(crate) fn getnameinfo(addr: &[u8], flags: c_int) -> Result<(Vec<u8>, Vec<u8>), GaiError> {
    // Left uninitialized: getnameinfo writes a NUL-terminated string into each on
    // success, and only that string is read back.
    let mut host = [MaybeUninit::<u8>::uninit(); NI_MAXHOST];
    let mut serv = [MaybeUninit::<u8>::uninit(); NI_MAXSERV];
    // SAFETY: addr is valid for reads of addr.len() bytes (the length passed);
    // host and serv are valid for writes of their lengths.
    let rc = unsafe {
        libc::getnameinfo(
            addr.as_ptr().cast(),
            socklen(addr.len()),
            host.as_mut_ptr().cast(),
            ni_len(host.len()),
            serv.as_mut_ptr().cast(),
            ni_len(serv.len()),
            flags,
        )
    };
    if rc != 0 {
        return Err(GaiError::from_code(rc));
    }
    // SAFETY: on success getnameinfo stored a NUL-terminated string within each
    // buffer (POSIX; glibc reports EAI_OVERFLOW rather than truncate), so the bytes
    // up to and including the NUL are initialized.
    let host = unsafe { c_bytes(host.as_ptr().cast()) };
    // SAFETY: as for host.
    let serv = unsafe { c_bytes(serv.as_ptr().cast()) };
    Ok((host, serv))
}
