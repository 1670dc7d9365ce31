//! The family field that every `sockaddr` starts with, and the byte helpers the
//! typed addresses without a `Pod` C struct of their own are built from.

use std::mem::size_of;

/// Where `sa_family` ends in every `sockaddr`: 2 bytes in, both for Linux's
/// and illumos' 16-bit family and for the 4.4BSD layout (FreeBSD, NetBSD,
/// OpenBSD, Apple `<sys/socket.h>`) of an 8-bit `sa_len` then an 8-bit family.
pub(super) const FAMILY_END: usize =
    std::mem::offset_of!(libc::sockaddr, sa_family) + size_of::<libc::sa_family_t>();

/// One more than the highest address family the OS defines: `from_bytes` refuses
/// a family at or above it (it cannot be a real address), while what the kernel
/// itself returns is kept whatever its family (a newer kernel may know more).
/// Linux and Android: `AF_MAX` of `<linux/socket.h>` (46 since `AF_MCTP`, 45, in
/// 5.15). Apple: `AF_MAX` of `<sys/socket.h>` (41 since `AF_VSOCK`, 40). The other
/// systems' headers move it from release to release (FreeBSD reserves odd numbers
/// up to 133 for vendors), so there only the family field's own range applies.
pub(super) const AF_MAX: i32 = {
    cfg_if::cfg_if! {
        if #[cfg(linux_like)] {
            46
        } else if #[cfg(apple)] {
            41
        } else {
            1 << (8 * (FAMILY_END - std::mem::offset_of!(libc::sockaddr, sa_family)))
        }
    }
};

/// `sa_family` from the front of a raw address (at least [`FAMILY_END`] bytes).
#[inline]
pub(super) fn raw_family(raw: &[u8]) -> i32 {
    cfg_if::cfg_if! {
        if #[cfg(any(apple, bsd))] {
            // 4.4BSD layout: sa_len (u8), then sa_family (u8).
            i32::from(raw[1])
        } else {
            i32::from(u16::from_ne_bytes([raw[0], raw[1]]))
        }
    }
}

/// Writes the family field (and, on the 4.4BSD layout, `sa_len` = `len`) at the
/// front of `bytes`.
pub(super) fn put_family(bytes: &mut [u8], family: i32, len: usize) {
    cfg_if::cfg_if! {
        if #[cfg(any(apple, bsd))] {
            bytes[0] = len as u8;
            bytes[1] = family as u8;
        } else {
            let _ = len;
            bytes[..2].copy_from_slice(&(family as u16).to_ne_bytes());
        }
    }
}

/// The `N` bytes of `b` at `at`.
#[cfg(any(linux_like, apple))]
pub(super) fn take<const N: usize>(b: &[u8], at: usize) -> [u8; N] {
    let mut out = [0; N];
    out.copy_from_slice(&b[at..at + N]);
    out
}

/// Lowercase hex of `bytes`, `sep` between bytes.
pub(super) fn write_hex(
    f: &mut std::fmt::Formatter<'_>,
    bytes: &[u8],
    sep: &str,
) -> std::fmt::Result {
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        write!(f, "{b:02x}")?;
    }
    Ok(())
}

/// A byte from two hex digits.
pub(super) fn hex_byte(pair: &[u8]) -> Option<u8> {
    match pair {
        [hi, lo] => {
            let d = |c: u8| (c as char).to_digit(16);
            Some((d(*hi)? * 16 + d(*lo)?) as u8)
        }
        _ => None,
    }
}

/// A decimal `u32` with nothing around it (no sign, no spaces).
pub(super) fn dec_u32(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}
