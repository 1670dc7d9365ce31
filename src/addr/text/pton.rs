//! Text to address by the `inet_pton` rules: the entry point, and the strict
//! dotted quad (which IPv6 text may end in too).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{parse_error, parse_error_head, pton6::parse_ipv6};
use crate::error::zero_padded;
use crate::{Domain, Errno, Error, Result};

/// Converts text to an IP address of family `af`, like C's
/// [`inet_pton(3)`](https://man7.org/linux/man-pages/man3/inet_pton.3.html).
///
/// - [`Domain::INET`]: the strict dotted quad `"a.b.c.d"`, four decimal numbers
///   0–255 without leading zeros (`"01.2.3.4"` is refused) and nothing else
///   around them. The classic short, octal and hex forms are
///   [`inet_aton`](crate::inet_aton)'s.
/// - [`Domain::INET6`]: up to eight groups of one to four hex digits (either case),
///   one `::` for a run of zero groups, and optionally a dotted quad (same strict
///   rules) as the last 32 bits: `"::1"`, `"fe80::1:2"`, `"::ffff:192.0.2.1"`.
///   No brackets, zone (`%eth0`) or prefix length.
///
/// The accepted text and the resulting bytes are exactly glibc's. Where C returns
/// `0` for bad text this returns [`Error::AddrParse`] naming the text and the
/// problem; where C returns `-1` with `EAFNOSUPPORT` (any other family) this
/// returns [`Error::Os`] with [`Errno::EAFNOSUPPORT`]. The result is an
/// [`IpAddr`] of the requested family, so no destination buffer is needed.
///
/// Unlike C, which reads up to the first NUL, the whole `src` is the input: a
/// NUL byte in it is an invalid character.
///
/// ```
/// use bsdsock::{inet_pton, Domain, Errno};
/// use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
///
/// assert_eq!(inet_pton(Domain::INET, "192.0.2.1")?, IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)));
/// assert_eq!(inet_pton(Domain::INET6, "::1")?, IpAddr::V6(Ipv6Addr::LOCALHOST));
/// assert_eq!(
///     inet_pton(Domain::INET6, "::ffff:192.0.2.1")?,
///     IpAddr::V6(Ipv4Addr::new(192, 0, 2, 1).to_ipv6_mapped()),
/// );
/// assert!(inet_pton(Domain::INET, "127.1").is_err()); // inet_aton accepts this one
/// assert!(inet_pton(Domain::INET6, "1:::2").is_err());
/// assert_eq!(inet_pton(Domain::UNIX, "::1").unwrap_err().errno(), Some(Errno::EAFNOSUPPORT));
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[doc(alias = "InetPton")]
#[inline]
pub fn inet_pton(af: Domain, src: &str) -> Result<IpAddr> {
    if af == Domain::INET {
        inet_pton4(src)
    } else if af == Domain::INET6 {
        parse_ipv6(src.as_bytes())
            .map(|v| IpAddr::V6(Ipv6Addr::from(v)))
            .map_err(|reason| parse_error(src, reason))
    } else {
        Err(Error::os("inet_pton", Errno::EAFNOSUPPORT))
    }
}

/// The value of `c` as a decimal digit, or a number above 9.
#[inline(always)]
fn dec_digit(c: u8) -> u8 {
    c.wrapping_sub(b'0')
}

/// `inet_pton(AF_INET, src)`.
#[inline(always)]
fn inet_pton4(src: &str) -> Result<IpAddr> {
    let s = src.as_bytes();
    let len = s.len();
    if len < 16 {
        let head = zero_padded(s);
        let block = head.to_le_bytes();
        // Indices stay below 16: see `quad_from`.
        match quad_from(|i| block[i & 15], len) {
            Ok(o) => Ok(IpAddr::V4(Ipv4Addr::from(o))),
            // The error takes the text from the registers that hold it: not
            // from `block` in memory, which would reload it with wider loads
            // than it was stored with, nor from `src` again.
            Err(reason) => Err(parse_error_head(head, len, reason)),
        }
    } else {
        Err(parse_error(src, long_quad(s)))
    }
}

/// Parses a whole string as a strict dotted quad (the `inet_pton(AF_INET)` rules):
/// exactly four decimal octets of one to three digits, each at most 255 and
/// without a leading zero, separated by single dots, nothing before or after.
#[inline(always)]
pub(super) fn parse_dotted_quad(s: &[u8]) -> std::result::Result<[u8; 4], &'static str> {
    let len = s.len();
    if len < 16 {
        // Every text that can be valid: in a zero-padded block read with
        // fixed-size loads, so that the parser reads it without bounds checks.
        let block = zero_padded(s).to_le_bytes();
        // Indices stay below 16: see `quad_from`.
        quad_from(|i| block[i & 15], len)
    } else {
        Err(long_quad(s))
    }
}

/// Why a text of 16 bytes or more, too long for any dotted quad, is not one.
#[cold]
fn long_quad(s: &[u8]) -> &'static str {
    match quad_from(|i| s.get(i).copied().unwrap_or(0), s.len()) {
        Err(reason) => reason,
        Ok(_) => unreachable!("a dotted quad has at most 15 bytes"),
    }
}

/// The dotted-quad parser proper, over a text of `len` bytes that `at(i)` reads;
/// `at(i)` is 0 (neither a digit nor a dot) for `len <= i`. It never asks for a
/// byte more than one past a digit or a dot it has seen, so for `len <= 15` it
/// never asks for `i > 15`.
#[inline(always)]
fn quad_from(at: impl Fn(usize) -> u8, len: usize) -> std::result::Result<[u8; 4], &'static str> {
    let mut out = [0u8; 4];
    let mut pos = 0;
    for (k, slot) in out.iter_mut().enumerate() {
        if k > 0 {
            match at(pos) {
                b'.' => pos += 1,
                _ if pos == len => return Err("fewer than four octets"),
                // A fourth digit in a row is not checked for below.
                c if dec_digit(c) <= 9 => return Err("octet is larger than 255"),
                _ => return Err("unexpected character"),
            }
        }
        // One to three digits, looked at all at once.
        let d0 = dec_digit(at(pos));
        if d0 > 9 {
            return Err(if len == 0 { "empty string" } else { "expected a decimal digit" });
        }
        let d1 = dec_digit(at(pos + 1));
        *slot = if d1 > 9 {
            pos += 1;
            d0
        } else {
            if d0 == 0 {
                return Err("octet has a leading zero");
            }
            let d2 = dec_digit(at(pos + 2));
            if d2 > 9 {
                pos += 2;
                d0 * 10 + d1
            } else {
                pos += 3;
                let value = d0 as u32 * 100 + d1 as u32 * 10 + d2 as u32;
                if value > 255 {
                    return Err("octet is larger than 255");
                }
                value as u8
            }
        };
    }
    if pos != len {
        return Err(match at(pos) {
            b'.' => "more than four octets",
            c if dec_digit(c) <= 9 => "octet is larger than 255",
            _ => "unexpected character",
        });
    }
    Ok(out)
}
