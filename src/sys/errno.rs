//! `Errno`'s data, and `strerror_r(3)`: the text for an errno, without touching
//! C's static buffer.
//!
//! The type lives here because every wrapper in this module returns it; its named
//! constants, `name()`, `kind()` and `Display` are in `crate::error::errno`.

use std::ffi::CStr;

/// An `errno` value: the reason a system call failed.
///
/// Compare against the named constants (`Errno::EADDRINUSE`, ...); print it for
/// `strerror(3)`'s text, or call [`Errno::name`] for the symbol.
///
/// ```
/// use bsdsock::Errno;
/// let e = Errno::EADDRINUSE;
/// assert_eq!(e.name(), "EADDRINUSE");
/// // strerror(3)'s text, which is the C library's own wording:
/// assert!(["Address already in use", "Address in use"].contains(&&*e.to_string())); // glibc, musl
/// assert_eq!(Errno::from_raw(e.as_raw()), e);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Errno(pub(crate) i32);

/// The message for `code`, written into `buf`. Unknown codes get glibc's
/// "Unknown error N" text (XSI strerror_r writes it and returns EINVAL); should no
/// text come back, or text that is not UTF-8 (a non-C locale), a fixed fallback is
/// returned instead of garbage.
pub(crate) fn strerror(code: i32, buf: &mut [u8; 128]) -> &str {
    buf[0] = 0;
    // SAFETY: buf is valid for writes of buf.len() bytes; strerror_r (the XSI variant
    // that the libc crate binds) writes a NUL-terminated string of at most that size.
    unsafe { libc::strerror_r(code, buf.as_mut_ptr().cast(), buf.len()) };
    CStr::from_bytes_until_nul(buf).ok().and_then(|s| s.to_str().ok()).unwrap_or("Unknown error")
}
