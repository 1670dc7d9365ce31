//! The resolver calls of `<netdb.h>`, reentrant forms only.
//!
//! C's `gethostbyname` family returns pointers into static storage that the next
//! call on any thread overwrites. Here every lookup uses the `_r` variant with a
//! buffer owned by the call (on the stack first, doubled on the heap while the
//! library answers `ERANGE`), or `getaddrinfo`/`getnameinfo`, and everything is
//! copied into owned values before the buffer goes away. The only C memory that
//! leaves this module is the `getaddrinfo` list, inside [`AddrInfoList`], which
//! owns it, lends out entries tied to its lifetime, and frees it when dropped.
//!
//! The `_r` prototypes are not in the `libc` crate, so `ffi` declares them. They
//! are glibc's, and musl has them too, except the `getprotoby*_r` pair: on musl
//! `locked` serializes the plain calls instead. The modules that need them
//! (`ffi`, `copy`, `reentrant`, `locked`) are compiled on those two (`netdb_r`,
//! set by build.rs) only.

use std::ffi::{CStr, c_char, c_int};

use super::{Errno, last_errno, socklen};

mod addrinfo;
#[cfg(netdb_r)]
mod copy;
#[cfg(netdb_r)]
mod ffi;
#[cfg(all(netdb_r, target_env = "musl"))]
mod locked;
#[cfg(netdb_r)]
mod reentrant;

pub(crate) use addrinfo::*;
#[cfg(netdb_r)]
pub(crate) use copy::{LookupError, RawHost, RawProto, RawServ};
#[cfg(all(netdb_r, target_env = "musl"))]
pub(crate) use locked::*;
#[cfg(netdb_r)]
pub(crate) use reentrant::*;

// h_errno values (<netdb.h>); the same numbers on every system that has them.
/// `NETDB_INTERNAL`: see errno.
pub(crate) const NETDB_INTERNAL: c_int = -1;
/// `HOST_NOT_FOUND`.
pub(crate) const HOST_NOT_FOUND: c_int = 1;
/// `TRY_AGAIN`.
pub(crate) const TRY_AGAIN: c_int = 2;
/// `NO_RECOVERY`.
pub(crate) const NO_RECOVERY: c_int = 3;
/// `NO_DATA` (also `NO_ADDRESS`).
pub(crate) const NO_DATA: c_int = 4;

/// `EAI_ADDRFAMILY`: the code for "the host has no address of the requested
/// family", -9 in glibc's and musl's `<netdb.h>` (a GNU extension the `libc`
/// crate does not export).
#[cfg(target_os = "linux")]
pub(crate) const EAI_ADDRFAMILY: c_int = -9;

/// Copies a C string; a null pointer reads as empty.
///
/// # Safety
/// `s` is null or points to a NUL-terminated string that stays valid for the call.
unsafe fn c_bytes(s: *const c_char) -> Vec<u8> {
    if s.is_null() {
        return Vec::new();
    }
    // SAFETY: the caller guarantees s is a valid NUL-terminated string.
    unsafe { CStr::from_ptr(s) }.to_bytes().to_vec()
}

/// `gethostname(2)`: the bytes of this machine's host name.
pub(crate) fn gethostname() -> Result<Vec<u8>, Errno> {
    // HOST_NAME_MAX is 64 on Linux and 255 at most anywhere (POSIX allows that
    // much); one more byte for the NUL.
    let mut buf = [0u8; 256];
    // SAFETY: buf is valid for writes of buf.len() bytes.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc == -1 {
        return Err(last_errno());
    }
    // POSIX leaves a truncated name unterminated: refuse it rather than guess.
    match CStr::from_bytes_until_nul(&buf) {
        Ok(s) => Ok(s.to_bytes().to_vec()),
        Err(_) => Err(Errno(libc::ENAMETOOLONG)),
    }
}

/// `gai_strerror(3)`: the text for an `EAI_*` code.
pub(crate) fn gai_strerror(code: c_int) -> String {
    // glibc's table has no text for EAI_OVERFLOW (getnameinfo's "a buffer is too
    // small") and answers "Unknown error"; this is its <netdb.h> comment's.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if code == libc::EAI_OVERFLOW {
        return String::from("Argument buffer overflow");
    }
    // SAFETY: gai_strerror takes any int and returns a pointer to a constant
    // NUL-terminated message (never freed), or null on some systems for unknown
    // codes, which is checked.
    let p = unsafe { libc::gai_strerror(code) };
    // SAFETY: a non-null p is a valid NUL-terminated string that lives as long as
    // the process; it is copied at once.
    message(unsafe { c_bytes(p) })
}

/// `hstrerror(3)`: the text for an `h_errno` code.
pub(crate) fn hstrerror(code: c_int) -> String {
    // SAFETY: hstrerror takes any int and returns a pointer to a constant
    // NUL-terminated message (never freed), or null on some systems for unknown
    // codes, which is checked.
    let p = unsafe { libc::hstrerror(code) };
    // SAFETY: a non-null p is a valid NUL-terminated string that lives as long as
    // the process; it is copied at once.
    message(unsafe { c_bytes(p) })
}

/// A C message as text; a translated message that is not UTF-8, or none at all,
/// becomes a fixed fallback instead of garbage.
fn message(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) if !s.is_empty() => s,
        _ => String::from("Unknown error"),
    }
}
