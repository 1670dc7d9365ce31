//! `getaddrinfo(3)` and `getnameinfo(3)`; the list `getaddrinfo` returns stays C
//! memory, owned by [`AddrInfoList`] and freed when it is dropped.

use std::ffi::{CStr, c_char, c_int};
use std::mem::{MaybeUninit, align_of, size_of};
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

/// Whether C may read `addr` where it lies: an `AF_INET` or `AF_INET6` address of
/// exactly its struct's size and alignment. getnameinfo checks the length of
/// these families against their struct and reads their fields by offset, never
/// as a string, so it reads nothing outside `addr`. Every other address goes
/// through a [`NulPaddedAddr`]. (Bench row getnameinfo_buf: the zeroed copy cost
/// 14 instructions and about 1% of the call's time.)
#[inline]
fn ip_in_place(addr: &[u8]) -> bool {
    const AT: usize = std::mem::offset_of!(libc::sockaddr, sa_family);
    let Some(Ok(family)) = addr.get(AT..AT + size_of::<libc::sa_family_t>()).map(|b| b.try_into())
    else {
        return false;
    };
    let is =
        |size: usize, align: usize| addr.len() == size && addr.as_ptr().align_offset(align) == 0;
    match c_int::from(libc::sa_family_t::from_ne_bytes(family)) {
        libc::AF_INET => is(size_of::<libc::sockaddr_in>(), align_of::<libc::sockaddr_in>()),
        libc::AF_INET6 => is(size_of::<libc::sockaddr_in6>(), align_of::<libc::sockaddr_in6>()),
        _ => false,
    }
}

/// The NUL-terminated text at the start of `buf`: `None` if `buf` holds no NUL,
/// `Some(None)` if the text is not UTF-8.
///
/// Eight bytes at a time, checking that they are ASCII on the way, so that the
/// common case (every numeric answer, nearly every name) needs no second pass:
/// bench row getnameinfo_buf spent 90 instructions per call in a byte-by-byte
/// NUL search and 88 in `str::from_utf8` for "2001:db8::1" and "8080".
#[inline]
fn c_text(buf: &[u8]) -> Option<Option<&str>> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut words = buf.chunks_exact(8);
    let (mut at, mut seen) = (0, 0u64);
    let len = 'find: {
        for word in &mut words {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            let v = u64::from_le_bytes(w);
            // The lowest byte whose high bit is set here is the first zero byte
            // (a borrow only ever marks bytes above a zero byte, never below one).
            let zero = v.wrapping_sub(ONES) & !v & HIGHS;
            if zero != 0 {
                let below = zero.trailing_zeros() / 8;
                // The bytes of this word before the NUL.
                seen |= v & ((1u64 << (below * 8)) - 1);
                break 'find at + below as usize;
            }
            seen |= v;
            at += 8;
        }
        let rest = words.remainder();
        let n = rest.iter().position(|&b| b == 0)?;
        seen |= u64::from(rest[..n].iter().fold(0, |acc, &b| acc | b));
        at + n
    };
    let text = &buf[..len];
    if seen & HIGHS == 0 {
        // SAFETY: no byte of text has its high bit set (each was OR-ed into
        // `seen`, whose high bits are clear): ASCII, which is valid UTF-8.
        Some(Some(unsafe { std::str::from_utf8_unchecked(text) }))
    } else {
        Some(std::str::from_utf8(text).ok())
    }
}

/// A caller's buffer as getnameinfo's `(pointer, length)`: an empty one is
/// `(NULL, 0)`, C's "this answer is not wanted".
#[inline]
fn ni_buf(buf: &mut [u8]) -> (*mut c_char, NiLen) {
    if buf.is_empty() { (ptr::null_mut(), 0) } else { (buf.as_mut_ptr().cast(), ni_len(buf.len())) }
}

/// `getnameinfo(3)` into the caller's buffers: the host and service text for the
/// sockaddr bytes `addr`, NUL-terminated in `host` and `serv`. Returns each text
/// without its NUL (`""` for an empty buffer, which asks for no answer), or
/// `None` for a text that is not UTF-8.
///
/// An answer that does not fit its buffer is the C library's error
/// (`EAI_OVERFLOW` in glibc and musl), never a truncated text: a buffer that
/// holds no NUL after a "successful" call is reported as `EAI_OVERFLOW` too. An
/// address longer than `sockaddr_storage` is `EAI_FAMILY` (no family has one).
#[inline]
pub(crate) fn getnameinfo<'h, 's>(
    addr: &[u8],
    flags: c_int,
    host: &'h mut [u8],
    serv: &'s mut [u8],
) -> Result<(Option<&'h str>, Option<&'s str>), GaiError> {
    if addr.len() > size_of::<libc::sockaddr_storage>() {
        return Err(GaiError { code: libc::EAI_FAMILY, errno: None });
    }
    let mut sa = MaybeUninit::<NulPaddedAddr>::uninit();
    let c_addr: *const libc::sockaddr = if ip_in_place(addr) {
        addr.as_ptr().cast()
    } else {
        sa.write(NulPaddedAddr { storage: read_prefix(addr), nul: 0 });
        sa.as_ptr().cast()
    };
    let (host_ptr, host_len) = ni_buf(host);
    let (serv_ptr, serv_len) = ni_buf(serv);
    // c_addr points to the addr.len() bytes passed as the length: addr itself, an
    // IPv4 or IPv6 address C reads only within (see ip_in_place), or sa,
    // initialized above, where they are followed by zeros up to and including its
    // `nul` byte, so that even a strlen that ignores the length (glibc, AF_UNIX)
    // stops inside sa; either is aligned for its sockaddr, and sa lives until the
    // end of the function.
    // SAFETY: c_addr is valid for reads as just said; host_ptr/serv_ptr are null
    // with length 0, or valid for writes of the length passed (ni_len only ever
    // underestimates).
    let rc = unsafe {
        libc::getnameinfo(
            c_addr,
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
    let host = if host.is_empty() { Some("") } else { c_text(host).ok_or(overflow)? };
    let serv = if serv.is_empty() { Some("") } else { c_text(serv).ok_or(overflow)? };
    Ok((host, serv))
}

#[cfg(test)]
mod tests {
    use super::c_text;

    /// What `c_text` must answer: the text before the first NUL, if any, and
    /// whether it is UTF-8.
    fn reference(buf: &[u8]) -> Option<Option<&str>> {
        let text = std::ffi::CStr::from_bytes_until_nul(buf).ok()?.to_bytes();
        Some(std::str::from_utf8(text).ok())
    }

    #[test]
    fn c_text_finds_the_first_nul_and_checks_utf8() {
        // Every buffer length up to three words and a bit, every NUL position (or
        // none), with ASCII, a two-byte UTF-8 character, a lone high byte, or
        // 0x80 (whose borrow pattern is the word trick's edge) around it.
        let fillers: [&[u8]; 5] = [b"a", "é".as_bytes(), b"\xff", b"\x80", b"\x01"];
        for len in 0..30 {
            for nul in (0..len).map(Some).chain([None]) {
                for fill in fillers {
                    for at in 0..len {
                        let mut buf: Vec<u8> = (0..len).map(|i| b'0' + (i % 10) as u8).collect();
                        for (i, &b) in fill.iter().enumerate() {
                            if let Some(slot) = buf.get_mut(at + i) {
                                *slot = b;
                            }
                        }
                        if let Some(n) = nul {
                            buf[n] = 0;
                        }
                        assert_eq!(c_text(&buf), reference(&buf), "{buf:?}");
                    }
                }
            }
        }
    }
}
