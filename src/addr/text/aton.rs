//! The classic IPv4 notations of `inet_aton` and `inet_addr`: one to four parts,
//! each a C integer constant in decimal, octal or hex.

use std::net::Ipv4Addr;

use super::{HEX_VALUE, NOT_HEX, parse_error};
use crate::Result;

/// Whether C's `isspace` is true for `c` in the "C" locale.
#[inline]
fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// Reads one number the way `strtoul(s + pos, &end, 0)` does when `s[pos]` is a
/// decimal digit: `0x`/`0X` plus at least one hex digit is hexadecimal, another
/// leading `0` is octal, anything else decimal. Returns the value and the
/// position after it, or an error once the value exceeds 32 bits (for glibc's
/// `inet_aton` that fails the whole conversion whatever follows).
#[inline]
fn parse_c_number(s: &[u8], mut pos: usize) -> std::result::Result<(u32, usize), &'static str> {
    // The base, as strtoul picks it, and where the digits start. A leading zero
    // of an octal number is its first digit; HEX_VALUE maps every non-hex byte
    // to NOT_HEX, which is no digit in any base.
    let base: u64 = if s[pos] != b'0' {
        10
    } else if matches!(s.get(pos + 1), Some(b'x' | b'X'))
        && s.get(pos + 2).is_some_and(|&c| HEX_VALUE[c as usize] != NOT_HEX)
    {
        pos += 2;
        16
    } else {
        8
    };
    let mut value: u64 = 0;
    while let Some(&c) = s.get(pos) {
        let digit = u64::from(HEX_VALUE[c as usize]);
        if digit >= base {
            break;
        }
        value = value * base + digit;
        if value > u64::from(u32::MAX) {
            return Err("number does not fit in 32 bits");
        }
        pos += 1;
    }
    Ok((value as u32, pos))
}

/// glibc's `inet_aton` rules; returns the address as a host-order `u32`.
#[inline]
fn parse_aton(s: &[u8]) -> std::result::Result<u32, &'static str> {
    // The largest value the last part may have, by the number of parts before it.
    const LAST_MAX: [u32; 4] = [u32::MAX, 0x00ff_ffff, 0xffff, 0xff];
    let mut high = 0u32;
    let mut parts = 0usize;
    let mut pos = 0;
    loop {
        match s.get(pos) {
            Some(&c) if c.is_ascii_digit() => {}
            None if s.is_empty() => return Err("empty string"),
            _ => return Err("expected a decimal digit"),
        }
        let (value, end) = parse_c_number(s, pos)?;
        pos = end;
        match s.get(pos) {
            Some(b'.') => {
                if parts == 3 {
                    return Err("more than four parts");
                }
                if value > 0xff {
                    return Err("part other than the last is larger than 255");
                }
                high |= value << (24 - 8 * parts);
                parts += 1;
                pos += 1;
            }
            rest => {
                // glibc stops at the first whitespace and ignores what follows it.
                if rest.is_some_and(|&c| !is_c_space(c)) {
                    return Err("unexpected character");
                }
                if value > LAST_MAX[parts] {
                    return Err("last part is too large for its position");
                }
                return Ok(high | value);
            }
        }
    }
}

/// Converts an IPv4 address in any of the classic notations, like C's
/// [`inet_aton(3)`](https://man7.org/linux/man-pages/man3/inet_aton.3.html);
/// `None` where C returns 0.
///
/// The text has one to four parts separated by dots, and the last part fills all
/// the bytes the others leave:
///
/// | form      | meaning                                | example                    |
/// |-----------|----------------------------------------|----------------------------|
/// | `a`       | `a` is all 32 bits                     | `"2130706433"` = 127.0.0.1 |
/// | `a.b`     | `b` is the low 24 bits                 | `"127.1"` = 127.0.0.1      |
/// | `a.b.c`   | `c` is the low 16 bits                 | `"10.1.513"` = 10.1.2.1    |
/// | `a.b.c.d` | one byte each                          | `"10.1.2.1"`               |
///
/// Each part is a C integer constant as `strtoul(.., 0)` reads it: decimal, or
/// hexadecimal after `0x`/`0X`, or octal after a leading `0` (so `"017.0.0.1"` is
/// 15.0.0.1 and `"08.0.0.1"` is invalid). Every part but the last must be at most
/// 255, and the last at most what its bytes can hold. Each part must start with a
/// digit (no sign, no space).
///
/// Byte for byte glibc's behaviour, including its leniency: the address may be
/// followed by whitespace (`isspace` in the C locale: space, `\t`, `\n`, `\v`,
/// `\f`, `\r`) and then anything at all, so `"1.2.3.4 junk"` is 1.2.3.4. Any
/// other trailing character makes the text invalid, including a NUL byte (C
/// would stop reading there; here the whole `&str` is the input).
///
/// For the strict dotted quad alone use [`inet_pton`](crate::inet_pton) with
/// [`Domain::INET`](crate::Domain::INET).
///
/// ```
/// use bsdsock::inet_aton;
/// use std::net::Ipv4Addr;
///
/// assert_eq!(inet_aton("127.1"), Some(Ipv4Addr::LOCALHOST));
/// assert_eq!(inet_aton("0x7f.1"), Some(Ipv4Addr::LOCALHOST));
/// assert_eq!(inet_aton("017.0.0.1"), Some(Ipv4Addr::new(15, 0, 0, 1)));
/// assert_eq!(inet_aton("4294967295"), Some(Ipv4Addr::BROADCAST));
/// assert_eq!(inet_aton("1.2.3.4 trailing words"), Some(Ipv4Addr::new(1, 2, 3, 4)));
/// assert_eq!(inet_aton("1.2.3.256"), None);
/// assert_eq!(inet_aton("1.2.3.4x"), None);
/// ```
#[inline]
pub fn inet_aton(cp: &str) -> Option<Ipv4Addr> {
    parse_aton(cp.as_bytes()).ok().map(Ipv4Addr::from)
}

/// Converts an IPv4 address in any of the classic notations to an `in_addr_t`,
/// like C's [`inet_addr(3)`](https://man7.org/linux/man-pages/man3/inet_addr.3.html).
///
/// Accepts exactly what [`inet_aton`] accepts. The value is in network byte
/// order, as in C: the `u32` whose bytes in memory are the address bytes, that
/// is `u32::from_ne_bytes(ip.octets())`, ready to store in a `struct in_addr`.
///
/// C's `inet_addr` returns `INADDR_NONE` (all ones) for bad text, which is also
/// the valid answer for `"255.255.255.255"`; this returns an
/// [`Error::AddrParse`](crate::Error::AddrParse) instead, so the broadcast address is
/// an ordinary `Ok`.
///
/// ```
/// use bsdsock::inet_addr;
///
/// assert_eq!(inet_addr("127.0.0.1")?, u32::from_ne_bytes([127, 0, 0, 1]));
/// assert_eq!(inet_addr("127.1")?, u32::from_ne_bytes([127, 0, 0, 1]));
/// assert_eq!(inet_addr("255.255.255.255")?, 0xffff_ffff); // not an error here
/// assert!(inet_addr("256.0.0.1").is_err());
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[doc(alias = "INADDR_NONE")]
#[inline]
pub fn inet_addr(cp: &str) -> Result<u32> {
    match parse_aton(cp.as_bytes()) {
        Ok(host) => Ok(host.to_be()),
        Err(reason) => Err(parse_error(cp, reason)),
    }
}
