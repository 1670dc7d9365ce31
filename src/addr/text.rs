//! The `<arpa/inet.h>` text conversions: [`inet_pton`], [`inet_ntop`],
//! [`inet_aton`], [`inet_addr`] and [`inet_ntoa`].
//!
//! Everything here is plain Rust (no system call, no `unsafe`), written to accept
//! exactly the text glibc accepts and to print exactly the text glibc prints; the
//! integration tests compare both sides on generated input. A refusal allocates
//! nothing: [`Error::AddrParse`] keeps the text inline ([`InputText`]).
//!
//! C strings end at their first NUL byte, Rust strings do not: every function here
//! takes the whole `&str` as its input, so a NUL byte inside it is an ordinary
//! character that is not part of any address, and it makes the text invalid
//! wherever glibc would have stopped reading there instead.
//!
//! One file per direction and notation: `pton` (strict dotted quad, and the
//! `inet_pton` entry point), `pton6` (IPv6 text), `aton` (the classic notations
//! of `inet_aton` and `inet_addr`) and `ntop` (address to text).

mod aton;
mod ntop;
mod pton;
mod pton6;
#[cfg(test)]
mod tests;

pub use aton::{inet_addr, inet_aton};
pub use ntop::{inet_ntoa, inet_ntop, inet_ntop_buf};
pub use pton::inet_pton;

use crate::{Error, InputText, Reason};

/// The size of a buffer that holds any IPv4 address as text, counting the C
/// string's terminating NUL: `"255.255.255.255"` is 15 bytes, plus one.
///
/// As in C, where it sizes the `dst` of `inet_ntop(AF_INET, ...)`. The text that
/// [`inet_ntop`] returns for an IPv4 address is at most `INET_ADDRSTRLEN - 1` bytes.
///
/// ```
/// use bsdsock::{inet_ntop, INET_ADDRSTRLEN};
/// let text = inet_ntop("255.255.255.255".parse().unwrap());
/// assert_eq!(text.len(), INET_ADDRSTRLEN - 1);
/// ```
pub const INET_ADDRSTRLEN: usize = 16;

/// The size of a buffer that holds any IPv6 address as text, counting the C
/// string's terminating NUL, as in C.
///
/// It is the size of the buffer [`inet_ntop_buf`] writes into. The longest IPv6
/// text [`inet_pton`] accepts without leading zeros is 45 bytes long
/// (`"ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"`); the longest that
/// [`inet_ntop`] prints is 39 (eight groups of four digits).
///
/// ```
/// use bsdsock::{inet_ntop, INET6_ADDRSTRLEN};
/// let text = inet_ntop("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff".parse().unwrap());
/// assert!(text.len() < INET6_ADDRSTRLEN);
/// ```
pub const INET6_ADDRSTRLEN: usize = 46;

/// Marks bytes that are not hexadecimal digits in [`HEX_VALUE`].
const NOT_HEX: u8 = 0xff;

/// The value of each byte as a hexadecimal digit (either case), or [`NOT_HEX`].
/// A `const`, so that each crate the parsers inline into holds its own copy and
/// reads it directly, not through the global offset table.
const HEX_VALUE: [u8; 256] = {
    let mut t = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// The error for `src` refused for `reason`. Out of line and cold, so that the
/// parsers' success path stays short; it copies at most
/// [`InputText::CAPACITY`] bytes and allocates nothing.
#[cold]
#[inline(never)]
fn parse_error(src: &str, reason: &'static str) -> Error {
    Error::AddrParse { input: InputText::new(src), reason: Reason::Rule(reason) }
}

/// [`parse_error`] for a text of `len <= 16` bytes that the parser holds,
/// zero-padded, in `head` (little-endian).
#[cold]
#[inline(never)]
fn parse_error_head(head: u128, len: usize, reason: &'static str) -> Error {
    Error::AddrParse { input: InputText::from_head(head, len), reason: Reason::Rule(reason) }
}
