//! The `<arpa/inet.h>` text conversions: [`inet_pton`], [`inet_ntop`],
//! [`inet_aton`], [`inet_addr`] and [`inet_ntoa`].
//!
//! Everything here is plain Rust (no system call, no `unsafe`), written to accept
//! exactly the text glibc accepts and to print exactly the text glibc prints; the
//! integration tests compare both sides on generated input. [`inet_pton`] first
//! offers a dotted quad to the SIMD kernel in `sys::simd` (x86_64), which
//! answers only for valid text; the scalar parser here decides everything else.
//!
//! C strings end at their first NUL byte, Rust strings do not: every function here
//! takes the whole `&str` as its input, so a NUL byte inside it is an ordinary
//! character that is not part of any address, and it makes the text invalid
//! wherever glibc would have stopped reading there instead.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::{Domain, Errno, Error, Result};

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

// ---------------------------------------------------------------------------
// Text to address
// ---------------------------------------------------------------------------

/// Marks bytes that are not hexadecimal digits in [`HEX_VALUE`].
const NOT_HEX: u8 = 0xff;

/// The value of each byte as a hexadecimal digit (either case), or [`NOT_HEX`].
static HEX_VALUE: [u8; 256] = {
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

/// The value of `c` as a decimal digit, or a number above 9.
#[inline(always)]
fn dec_digit(c: u8) -> u8 {
    c.wrapping_sub(b'0')
}

/// Parses a whole string as a strict dotted quad (the `inet_pton(AF_INET)` rules):
/// exactly four decimal octets of one to three digits, each at most 255 and
/// without a leading zero, separated by single dots, nothing before or after.
///
/// The scalar parser, the reference for every text: [`inet_pton`] asks the
/// SIMD kernel (`sys::parse_ipv4`) first, which answers only for valid texts.
#[inline(always)]
fn parse_dotted_quad(s: &[u8]) -> std::result::Result<[u8; 4], &'static str> {
    let len = s.len();
    if (7..=15).contains(&len) {
        // Every text that can be valid: copy it into a zero-padded 16-byte block
        // with fixed-size loads, so the parser reads it without bounds checks.
        let (lo, hi) = if len >= 8 {
            let head = u64::from_le_bytes(first_n::<8>(s));
            let tail = u64::from_le_bytes(first_n::<8>(&s[len - 8..]));
            // The bytes past the first eight sit at the top of `tail`; two shifts
            // because a single one by 64 (len == 8) would overflow.
            (head, (tail >> 1) >> (8 * (16 - len) - 1))
        } else {
            // len == 7: bytes 0..4 and 3..7, overlapping in byte 3.
            let head = u32::from_le_bytes(first_n::<4>(s));
            let tail = u32::from_le_bytes(first_n::<4>(&s[3..]));
            (u64::from(head) | u64::from(tail) << 24, 0)
        };
        let mut block = [0u8; 16];
        block[..8].copy_from_slice(&lo.to_le_bytes());
        block[8..].copy_from_slice(&hi.to_le_bytes());
        // Indices stay below 16: see `quad_from`.
        quad_from(|i| block[i & 15], len)
    } else {
        quad_from(|i| s.get(i).copied().unwrap_or(0), len)
    }
}

/// The first `N` bytes of `s`, which has at least `N`.
#[inline(always)]
fn first_n<const N: usize>(s: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&s[..N]);
    out
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

/// Parses a whole string as an IPv6 address by the `inet_pton(AF_INET6)` rules;
/// returns the address as a number (first group in the high bits).
///
/// Groups are one to four hex digits (either case) separated by single colons; at
/// most one `::` stands for one or more zero groups; the text may end in a dotted
/// quad (strict rules) taking the place of the last two groups; the result must be
/// exactly eight groups; a leading or trailing single colon is an error.
#[inline]
fn parse_ipv6(s: &[u8]) -> std::result::Result<u128, &'static str> {
    let len = s.len();
    if len == 0 {
        return Err("empty string");
    }
    // The groups read so far (after the `::` once there is one), in the low bits.
    let mut acc: u128 = 0;
    // How many groups have been read in all (a dotted quad counts as two).
    let mut groups = 0usize;
    // The groups before the `::`, and how many there were, once there is one.
    let mut head: u128 = 0;
    let mut gap: Option<usize> = None;
    let mut pos = 0;
    if s[0] == b':' {
        if len < 2 || s[1] != b':' {
            return Err("starts with a single ':'");
        }
        gap = Some(0);
        pos = 2;
    }
    // Each turn reads one token: hex digits up to the next ':', '.' or the end.
    loop {
        let token = pos;
        let mut value = 0u32;
        while pos < len {
            let h = HEX_VALUE[s[pos] as usize];
            if h == NOT_HEX {
                break;
            }
            if pos - token == 4 {
                return Err("group has more than four hex digits");
            }
            value = (value << 4) | h as u32;
            pos += 1;
        }
        let has_digits = pos > token;
        if pos == len {
            // An empty last token can only follow a `::` (a single trailing ':'
            // is caught below).
            if has_digits {
                if groups == 8 {
                    return Err("more than eight groups");
                }
                acc = (acc << 16) | value as u128;
                groups += 1;
            }
            break;
        }
        match s[pos] {
            b':' if has_digits => {
                pos += 1;
                if pos == len {
                    return Err("ends with a single ':'");
                }
                if groups == 8 {
                    return Err("more than eight groups");
                }
                acc = (acc << 16) | value as u128;
                groups += 1;
            }
            b':' => {
                // The second colon of a `::`.
                if gap.is_some() {
                    return Err("more than one '::', or ':::'");
                }
                gap = Some(groups);
                head = acc;
                acc = 0;
                pos += 1;
            }
            b'.' => {
                if groups > 6 {
                    return Err("no room for a dotted quad");
                }
                let quad = parse_dotted_quad(&s[token..])?;
                acc = (acc << 32) | u32::from_be_bytes(quad) as u128;
                groups += 2;
                break;
            }
            _ => return Err("unexpected character"),
        }
    }
    match gap {
        None if groups == 8 => Ok(acc),
        None => Err("fewer than eight groups"),
        Some(_) if groups == 8 => Err("'::' with eight groups"),
        Some(0) => Ok(acc),
        Some(before) => Ok((head << (16 * (8 - before))) | acc),
    }
}

/// Converts text to an IP address of family `af`, like C's `inet_pton(3)`.
///
/// - [`Domain::INET`]: the strict dotted quad `"a.b.c.d"`, four decimal numbers
///   0–255 without leading zeros (`"01.2.3.4"` is refused) and nothing else
///   around them. The classic short, octal and hex forms are [`inet_aton`]'s.
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
        // The SIMD kernel answers for valid texts; it hands every other text
        // back (so that nothing has to be kept across the call) for the scalar
        // parser, which also gives the reason for a refusal.
        match crate::sys::parse_ipv4(src).get() {
            Ok(octets) => Ok(IpAddr::V4(Ipv4Addr::from(octets))),
            Err(src) => inet_pton4_scalar(src),
        }
    } else if af == Domain::INET6 {
        parse_ipv6(src.as_bytes())
            .map(|v| IpAddr::V6(Ipv6Addr::from(v)))
            .map_err(|reason| parse_error(src, reason))
    } else {
        Err(Error::os("inet_pton", Errno::EAFNOSUPPORT))
    }
}

/// `inet_pton(AF_INET)` by the scalar parser. On x86_64 it is out of line, so
/// that the caller of the SIMD kernel keeps a short loop; elsewhere (no kernel)
/// it is the whole of the work.
#[cfg_attr(target_arch = "x86_64", inline(never))]
#[cfg_attr(not(target_arch = "x86_64"), inline(always))]
fn inet_pton4_scalar(src: &str) -> Result<IpAddr> {
    parse_dotted_quad(src.as_bytes())
        .map(|o| IpAddr::V4(Ipv4Addr::from(o)))
        .map_err(|reason| parse_error(src, reason))
}

#[cold]
#[inline(never)]
fn parse_error(src: &str, reason: &'static str) -> Error {
    Error::AddrParse { input: src.to_owned(), reason }
}

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
/// `inet_aton(3)`; `None` where C returns 0.
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
/// For the strict dotted quad alone use [`inet_pton`] with [`Domain::INET`].
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
/// like C's `inet_addr(3)`.
///
/// Accepts exactly what [`inet_aton`] accepts. The value is in network byte
/// order, as in C: the `u32` whose bytes in memory are the address bytes, that
/// is `u32::from_ne_bytes(ip.octets())`, ready to store in a `struct in_addr`.
///
/// C's `inet_addr` returns `INADDR_NONE` (all ones) for bad text, which is also
/// the valid answer for `"255.255.255.255"`; this returns an
/// [`Error::AddrParse`] instead, so the broadcast address is an ordinary `Ok`.
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

// ---------------------------------------------------------------------------
// Address to text
// ---------------------------------------------------------------------------

/// `DECIMAL[n]` holds `n` in decimal, left-aligned in the first three bytes, and
/// the number of digits in the fourth, so an octet is written with one 4-byte copy.
static DECIMAL: [[u8; 4]; 256] = {
    let mut t = [[0u8; 4]; 256];
    let mut n = 0;
    while n < 256 {
        let hundreds = b'0' + (n / 100) as u8;
        let tens = b'0' + (n / 10 % 10) as u8;
        let ones = b'0' + (n % 10) as u8;
        t[n] = if n >= 100 {
            [hundreds, tens, ones, 3]
        } else if n >= 10 {
            [tens, ones, 0, 2]
        } else {
            [ones, 0, 0, 1]
        };
        n += 1;
    }
    t
};

/// Lowercase hexadecimal digits.
const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

type Buf = [u8; INET6_ADDRSTRLEN];

/// Writes `o` as a dotted quad at `buf[pos..]`; returns the position after it.
/// Needs `pos <= INET6_ADDRSTRLEN - 16`.
#[inline(always)]
fn put_ipv4(buf: &mut Buf, mut pos: usize, o: [u8; 4]) -> usize {
    for (i, &byte) in o.iter().enumerate() {
        if i > 0 {
            buf[pos] = b'.';
            pos += 1;
        }
        let d = DECIMAL[byte as usize];
        // The fourth byte written is scratch, overwritten or past the end.
        buf[pos..pos + 4].copy_from_slice(&d);
        pos += d[3] as usize;
    }
    pos
}

/// Writes `word` in lowercase hex without leading zeros at `buf[pos..]`; returns
/// the position after it. Needs `pos + 4 <= INET6_ADDRSTRLEN`.
#[inline(always)]
fn put_hex(buf: &mut Buf, pos: usize, word: u16) -> usize {
    // Digits needed: 1 for 0..=0xf, up to 4 for 0x1000..
    let digits = (16 - (word | 1).leading_zeros() as usize).div_ceil(4);
    // Left-align the significant digits in four nibbles; the rest are scratch.
    let v = (word as u32) << (4 * (4 - digits));
    buf[pos..pos + 4].copy_from_slice(&[
        HEX_DIGITS[(v >> 12) as usize & 0xf],
        HEX_DIGITS[(v >> 8) as usize & 0xf],
        HEX_DIGITS[(v >> 4) as usize & 0xf],
        HEX_DIGITS[v as usize & 0xf],
    ]);
    pos + digits
}

/// Writes `ip` as glibc's `inet_ntop(AF_INET6)` does; returns the length.
#[inline]
fn put_ipv6(buf: &mut Buf, ip: &Ipv6Addr) -> usize {
    let w = ip.segments();
    // The longest run of two or more zero groups, the first one on a tie;
    // `run_start == 8` when there is none.
    let (mut run_start, mut run_len) = (8usize, 0usize);
    let mut i = 0;
    while i < 8 {
        if w[i] != 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < 8 && w[i] == 0 {
            i += 1;
        }
        if i - start > run_len {
            run_start = start;
            run_len = i - start;
        }
    }
    if run_len < 2 {
        run_start = 8;
    }

    let mut pos = 0;
    let mut i = 0;
    while i < 8 {
        if i == run_start {
            buf[pos] = b':';
            pos += 1;
            i += run_len;
            if i == 8 {
                buf[pos] = b':';
                pos += 1;
            }
            continue;
        }
        if i != 0 {
            buf[pos] = b':';
            pos += 1;
        }
        // IPv4-compatible (::a.b.c.d, with the run ending right at group 6) and
        // IPv4-mapped (::ffff:a.b.c.d) addresses end in a dotted quad.
        if i == 6 && run_start == 0 && (run_len == 6 || (run_len == 5 && w[5] == 0xffff)) {
            let o = ip.octets();
            return put_ipv4(buf, pos, [o[12], o[13], o[14], o[15]]);
        }
        pos = put_hex(buf, pos, w[i]);
        i += 1;
    }
    pos
}

/// Converts an IP address to text into a caller's buffer, like C's
/// `inet_ntop(3)`, without allocating; returns the text, which borrows `buf`.
///
/// The text is exactly [`inet_ntop`]'s (see there for the format). The buffer has
/// room for any address, so unlike C there is no `ENOSPC` case; no NUL is
/// written after the text, and the bytes of `buf` past it are unspecified.
///
/// ```
/// use bsdsock::{inet_ntop_buf, INET6_ADDRSTRLEN};
/// use std::net::{IpAddr, Ipv6Addr};
///
/// let mut buf = [0u8; INET6_ADDRSTRLEN];
/// let text = inet_ntop_buf(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)), &mut buf);
/// assert_eq!(text, "2001:db8::1");
/// assert_eq!(inet_ntop_buf("10.0.0.1".parse().unwrap(), &mut buf), "10.0.0.1");
/// ```
#[doc(alias = "inet_ntop")]
#[inline]
pub fn inet_ntop_buf(addr: IpAddr, buf: &mut [u8; INET6_ADDRSTRLEN]) -> &str {
    let len = match addr {
        IpAddr::V4(ip) => put_ipv4(buf, 0, ip.octets()),
        IpAddr::V6(ip) => put_ipv6(buf, &ip),
    };
    match std::str::from_utf8(&buf[..len]) {
        Ok(text) => text,
        // Only ASCII digits, letters, '.' and ':' are ever written.
        Err(_) => unreachable!("inet_ntop_buf wrote non-ASCII text"),
    }
}

/// Converts an IP address to text, like C's `inet_ntop(3)`, and returns the
/// text exactly as glibc would write it.
///
/// - IPv4: the dotted quad `"a.b.c.d"` in decimal.
/// - IPv6: eight groups of lowercase hex without leading zeros; the longest run
///   of two or more zero groups (the first such run on a tie) is written `::`,
///   and a single zero group stays `0`. Two forms end in a dotted quad:
///   IPv4-mapped addresses (`::ffff:a.b.c.d`) and, as glibc does, addresses whose
///   first six groups are zero when group 6 is not, the old IPv4-compatible form
///   (`::a.b.c.d`; but `::1` stays `::1`). Note that this differs from Rust's
///   `Display` for [`Ipv6Addr`] in that last case.
///
/// The family comes from the [`IpAddr`] variant, so there is no `af` argument and
/// no `EAFNOSUPPORT`; the text is returned rather than written to a buffer, so
/// there is no `ENOSPC` ([`inet_ntop_buf`] writes into a buffer instead). The
/// text always parses back to the same address with [`inet_pton`].
///
/// ```
/// use bsdsock::inet_ntop;
/// use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
///
/// assert_eq!(inet_ntop(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))), "192.0.2.1");
/// assert_eq!(inet_ntop(IpAddr::V6(Ipv6Addr::LOCALHOST)), "::1");
/// assert_eq!(inet_ntop("2001:db8:0:0:1:0:0:1".parse().unwrap()), "2001:db8::1:0:0:1");
/// assert_eq!(inet_ntop("::ffff:c000:201".parse().unwrap()), "::ffff:192.0.2.1");
/// assert_eq!(inet_ntop("::c000:201".parse().unwrap()), "::192.0.2.1");
/// ```
#[doc(alias = "InetNtop")]
#[inline]
pub fn inet_ntop(addr: IpAddr) -> String {
    let mut buf = [0u8; INET6_ADDRSTRLEN];
    String::from(inet_ntop_buf(addr, &mut buf))
}

/// Converts an IPv4 address to its dotted-quad text, like C's `inet_ntoa(3)`.
///
/// Where C returns a pointer to a static buffer that the next call overwrites
/// (and so is not thread-safe), this returns a new `String`. The text is the
/// same as [`inet_ntop`]'s for the address.
///
/// ```
/// use bsdsock::inet_ntoa;
/// use std::net::Ipv4Addr;
///
/// assert_eq!(inet_ntoa(Ipv4Addr::new(127, 0, 0, 1)), "127.0.0.1");
/// assert_eq!(inet_ntoa(Ipv4Addr::BROADCAST), "255.255.255.255");
/// ```
#[inline]
pub fn inet_ntoa(addr: Ipv4Addr) -> String {
    inet_ntop(IpAddr::V4(addr))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(s: &str) -> Option<[u8; 4]> {
        match inet_pton(Domain::INET, s) {
            Ok(IpAddr::V4(ip)) => Some(ip.octets()),
            Ok(IpAddr::V6(_)) => panic!("inet_pton(INET) gave an IPv6 address"),
            Err(e) => {
                assert!(matches!(e, Error::AddrParse { .. }), "{e:?}");
                None
            }
        }
    }

    fn v6(s: &str) -> Option<Ipv6Addr> {
        match inet_pton(Domain::INET6, s) {
            Ok(IpAddr::V6(ip)) => Some(ip),
            Ok(IpAddr::V4(_)) => panic!("inet_pton(INET6) gave an IPv4 address"),
            Err(e) => {
                assert!(matches!(e, Error::AddrParse { .. }), "{e:?}");
                None
            }
        }
    }

    fn aton(s: &str) -> Option<[u8; 4]> {
        let r = inet_aton(s).map(|ip| ip.octets());
        // inet_addr accepts the same text and gives the same bytes.
        assert_eq!(inet_addr(s).ok().map(u32::to_ne_bytes), r, "inet_addr({s:?})");
        r
    }

    fn text6(s: &str) -> String {
        inet_ntop(IpAddr::V6(s.parse().unwrap()))
    }

    #[test]
    fn pton4_accepts() {
        assert_eq!(v4("0.0.0.0"), Some([0, 0, 0, 0]));
        assert_eq!(v4("1.2.3.4"), Some([1, 2, 3, 4]));
        assert_eq!(v4("255.255.255.255"), Some([255; 4]));
        assert_eq!(v4("10.0.100.199"), Some([10, 0, 100, 199]));
    }

    #[test]
    fn pton4_rejects() {
        for s in [
            "",
            ".",
            "1",
            "1.2",
            "1.2.3",
            "1.2.3.",
            "1.2.3.4.",
            ".1.2.3.4",
            "1..2.3",
            "1.2.3.4.5",
            "256.0.0.0",
            "1.2.3.256",
            "1000.1.1.1",
            "01.2.3.4",
            "1.2.3.00",
            "1.2.3.04",
            "0x1.2.3.4",
            "1.2.3.4 ",
            " 1.2.3.4",
            "1.2.3.4\0",
            "1.2.3.a",
            "+1.2.3.4",
            "1.2.3.-4",
            "1,2,3,4",
            "١.2.3.4",
            "::1",
        ] {
            assert_eq!(v4(s), None, "{s:?}");
        }
    }

    /// Whether the SIMD kernel runs on this CPU (so its answers are checked).
    fn simd_here() -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            std::arch::is_x86_feature_detected!("ssse3")
                && std::arch::is_x86_feature_detected!("sse4.1")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    }

    /// Puts `text` through the SIMD kernel and the scalar parser and checks that
    /// they agree: the kernel's answer, when it gives one, is the scalar
    /// parser's, and on a CPU that has it the kernel answers for every valid text
    /// of 7 to 15 bytes; `inet_pton` gives the scalar parser's answer, reason
    /// included. Returns whether the kernel answered.
    fn both_paths(text: &str) -> bool {
        let scalar = parse_dotted_quad(text.as_bytes());
        let answered = match crate::sys::parse_ipv4(text).get() {
            Ok(octets) => {
                assert_eq!(scalar, Ok(octets), "{text:?}: the SIMD kernel accepted it");
                true
            }
            Err(back) => {
                assert_eq!((back.as_ptr(), back.len()), (text.as_ptr(), text.len()), "{text:?}");
                if simd_here() && (7..=15).contains(&text.len()) {
                    assert!(scalar.is_err(), "{text:?} is valid ({scalar:?}); SIMD passed on it");
                }
                false
            }
        };
        match (inet_pton(Domain::INET, text), scalar) {
            (Ok(IpAddr::V4(ip)), Ok(octets)) => assert_eq!(ip.octets(), octets, "{text:?}"),
            (Err(Error::AddrParse { input, reason }), Err(expected)) => {
                assert_eq!((input.as_str(), reason), (text, expected), "{text:?}")
            }
            (public, scalar) => panic!("{text:?}: inet_pton gave {public:?}, scalar {scalar:?}"),
        }
        answered
    }

    /// A small deterministic generator (xorshift), for inputs that are the same
    /// on every run.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn pton4_simd_and_scalar_agree_on_field_combinations() {
        // Every combination of four fields from these, with dots: all the
        // shapes, octet boundaries, leading zeros, overlong and empty fields.
        const FIELDS: [&str; 24] = [
            "", "0", "1", "9", "00", "01", "10", "99", "000", "001", "010", "099", "100", "199",
            "200", "249", "250", "255", "256", "299", "300", "999", "0000", "1a",
        ];
        let mut simd = 0;
        let mut total = 0;
        for a in FIELDS {
            for b in FIELDS {
                for c in FIELDS {
                    for d in FIELDS {
                        let text = format!("{a}.{b}.{c}.{d}");
                        simd += both_paths(&text) as usize;
                        total += 1;
                    }
                }
            }
        }
        assert_eq!(total, 24usize.pow(4));
        if simd_here() {
            // The kernel answered for exactly the valid texts: those made of
            // the fields that are octets written without a leading zero.
            let octets = FIELDS
                .iter()
                .filter(|f| f.parse::<u8>().is_ok_and(|v| v.to_string() == **f))
                .count();
            assert_eq!(octets, 11);
            assert_eq!(simd, octets.pow(4));
        }
    }

    #[test]
    fn pton4_simd_and_scalar_agree_on_random_text() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        // Mostly digits and dots, with the odd other byte: ':', ',', a space, a
        // letter, NUL, a sign, a two-byte character.
        const OTHERS: [&str; 8] = [":", ",", " ", "a", "\0", "+", "-", "é"];
        let mut simd = 0;
        for _ in 0..300_000 {
            let len = rng.below(17);
            let mut text = String::new();
            for _ in 0..len {
                match rng.below(40) {
                    0 => text.push_str(OTHERS[rng.below(OTHERS.len())]),
                    1..=11 => text.push('.'),
                    _ => text.push((b'0' + rng.below(10) as u8) as char),
                }
            }
            simd += both_paths(&text) as usize;
        }
        if simd_here() {
            assert!(simd > 500, "only {simd} random texts were valid");
        }
    }

    #[test]
    fn pton4_simd_and_scalar_agree_near_valid_text() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let ip = Ipv4Addr::from(rng.next() as u32 >> (rng.below(4) * 8));
            let text = ip.to_string();
            // The address itself goes through the kernel...
            assert!(both_paths(&text) || !simd_here(), "{text:?}");
            // ...and so does every one-byte change, deletion and insertion.
            let bytes = text.as_bytes();
            let i = rng.below(bytes.len());
            for b in [b'0', b'1', b'5', b'9', b'.', b'/', b':', b'a', 0, b' ', 0x7f, 0xff] {
                let mut changed = bytes.to_vec();
                changed[i] = b;
                if let Ok(changed) = String::from_utf8(changed) {
                    both_paths(&changed);
                }
                let mut inserted = bytes.to_vec();
                inserted.insert(i, b);
                if let Ok(inserted) = String::from_utf8(inserted) {
                    both_paths(&inserted);
                }
            }
            let mut deleted = bytes.to_vec();
            deleted.remove(i);
            both_paths(std::str::from_utf8(&deleted).unwrap());
        }
    }

    #[test]
    fn pton_bad_family() {
        let e = inet_pton(Domain::UNIX, "1.2.3.4").unwrap_err();
        assert_eq!(e.errno(), Some(Errno::EAFNOSUPPORT));
        assert!(matches!(e, Error::Os { call: "inet_pton", .. }));
    }

    #[test]
    fn pton_error_names_input() {
        match inet_pton(Domain::INET6, "1:::2") {
            Err(Error::AddrParse { input, reason }) => {
                assert_eq!(input, "1:::2");
                assert!(!reason.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pton6_accepts() {
        let cases: &[(&str, [u16; 8])] = &[
            ("::", [0; 8]),
            ("::1", [0, 0, 0, 0, 0, 0, 0, 1]),
            ("1::", [1, 0, 0, 0, 0, 0, 0, 0]),
            ("1::2", [1, 0, 0, 0, 0, 0, 0, 2]),
            ("1:2:3:4:5:6:7:8", [1, 2, 3, 4, 5, 6, 7, 8]),
            ("1:2:3:4:5:6:7::", [1, 2, 3, 4, 5, 6, 7, 0]),
            ("::2:3:4:5:6:7:8", [0, 2, 3, 4, 5, 6, 7, 8]),
            ("1:2:3::5:6:7:8", [1, 2, 3, 0, 5, 6, 7, 8]),
            ("FFFF:abcd:ABCD:0:00:000:0000:fFfF", [0xffff, 0xabcd, 0xabcd, 0, 0, 0, 0, 0xffff]),
            ("::ffff:1.2.3.4", [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]),
            ("::1.2.3.4", [0, 0, 0, 0, 0, 0, 0x0102, 0x0304]),
            ("1:2:3:4:5:6:1.2.3.4", [1, 2, 3, 4, 5, 6, 0x0102, 0x0304]),
            ("1::255.255.255.255", [1, 0, 0, 0, 0, 0, 0xffff, 0xffff]),
            ("1:2:3:4:5::1.2.3.4", [1, 2, 3, 4, 5, 0, 0x0102, 0x0304]),
            ("fe80::1:2", [0xfe80, 0, 0, 0, 0, 0, 1, 2]),
        ];
        for (s, words) in cases {
            assert_eq!(v6(s).map(|ip| ip.segments()), Some(*words), "{s:?}");
        }
    }

    #[test]
    fn pton6_rejects() {
        for s in [
            "",
            ":",
            ":1",
            ":1::",
            "1:",
            "1::2:",
            "1:::2",
            ":::",
            "::1::",
            "1::2::3",
            "12345::",
            "00000::",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7:8::",
            "::1:2:3:4:5:6:7:8",
            "1:2:3:4::5:6:7:8",
            "1:2:3:4:5:6:7:1.2.3.4",
            "1:2:3:4:5:6::1.2.3.4",
            "::1.2.3",
            "::1.2.3.4.5",
            "::01.2.3.4",
            "::256.1.1.1",
            "::1.2.3.4:5",
            "::1.2.3.4::",
            "::a.2.3.4",
            "1.2.3.4",
            "::ffff:1.2.3.4 ",
            " ::1",
            "::1%eth0",
            "[::1]",
            "::g",
            "::1\0",
            "1:2:3:4:5:6:7:8/64",
            "::.1.2.3",
        ] {
            assert_eq!(v6(s), None, "{s:?}");
        }
    }

    #[test]
    fn aton_forms() {
        assert_eq!(aton("127.1"), Some([127, 0, 0, 1]));
        assert_eq!(aton("0x7f.1"), Some([127, 0, 0, 1]));
        assert_eq!(aton("0X7F.1"), Some([127, 0, 0, 1]));
        assert_eq!(aton("017.0.0.1"), Some([15, 0, 0, 1]));
        assert_eq!(aton("1.2.3.4 junk"), Some([1, 2, 3, 4]));
        assert_eq!(aton("1.2.3.4\tx.y"), Some([1, 2, 3, 4]));
        assert_eq!(aton("1.2.3.4\n"), Some([1, 2, 3, 4]));
        assert_eq!(aton("1.2.3.4 \0"), Some([1, 2, 3, 4]));
        assert_eq!(aton("4294967295"), Some([255; 4]));
        assert_eq!(aton("0xffffffff"), Some([255; 4]));
        assert_eq!(aton("037777777777"), Some([255; 4]));
        assert_eq!(aton("0"), Some([0; 4]));
        assert_eq!(aton("00000000000000000000000001"), Some([0, 0, 0, 1]));
        assert_eq!(aton("0x00000000000000000000000001"), Some([0, 0, 0, 1]));
        assert_eq!(aton("1.16777215"), Some([1, 255, 255, 255]));
        assert_eq!(aton("1.0xffffff"), Some([1, 255, 255, 255]));
        assert_eq!(aton("1.2.65535"), Some([1, 2, 255, 255]));
        assert_eq!(aton("10.1.513"), Some([10, 1, 2, 1]));
        assert_eq!(aton("0377.0xff.255.0"), Some([255, 255, 255, 0]));
        assert_eq!(aton("255.255.255.255"), Some([255; 4]));
        assert_eq!(aton("0.0.0.0"), Some([0; 4]));
    }

    #[test]
    fn aton_rejects() {
        for s in [
            "",
            " ",
            " 1.2.3.4",
            "4294967296",
            "0x100000000",
            "040000000000",
            "99999999999999999999999",
            "1.16777216",
            "1.2.65536",
            "1.2.3.256",
            "256.1",
            "1.256.3",
            "1.2.3.4.5",
            "1.2.3.4.",
            "1.",
            "1..2",
            ".1",
            "08",
            "09.1.2.3",
            "0x",
            "0x.1",
            "0xg",
            "1.2.3.4x",
            "1.2.3.4\0",
            "1.2.3.0x",
            "-1",
            "+1",
            "1.-1",
            "1. 2",
            "1.2.3.4\u{a0}",
            "a.b.c.d",
        ] {
            assert_eq!(aton(s), None, "{s:?}");
        }
    }

    #[test]
    fn inet_addr_network_order() {
        assert_eq!(inet_addr("1.2.3.4").unwrap().to_ne_bytes(), [1, 2, 3, 4]);
        assert_eq!(inet_addr("255.255.255.255").unwrap(), 0xffff_ffff);
        assert!(matches!(
            inet_addr("255.255.255.256"),
            Err(Error::AddrParse { ref input, .. }) if input == "255.255.255.256"
        ));
    }

    #[test]
    fn ntop4() {
        for (o, s) in [
            ([0, 0, 0, 0], "0.0.0.0"),
            ([1, 2, 3, 4], "1.2.3.4"),
            ([9, 10, 99, 100], "9.10.99.100"),
            ([255, 255, 255, 255], "255.255.255.255"),
            ([127, 0, 0, 1], "127.0.0.1"),
        ] {
            assert_eq!(inet_ntop(IpAddr::V4(Ipv4Addr::from(o))), s);
            assert_eq!(inet_ntoa(Ipv4Addr::from(o)), s);
        }
    }

    #[test]
    fn ntop6() {
        for (given, want) in [
            ("::", "::"),
            ("::1", "::1"),
            ("1::", "1::"),
            ("1:0:0:0:0:0:0:0", "1::"),
            ("0:0:0:0:0:0:0:1", "::1"),
            ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
            ("1:0:3:4:5:6:7:8", "1:0:3:4:5:6:7:8"),
            ("1:0:0:4:5:6:7:8", "1::4:5:6:7:8"),
            ("1:0:0:4:0:0:7:8", "1::4:0:0:7:8"),
            ("1:0:0:4:0:0:0:8", "1:0:0:4::8"),
            ("0:0:1:0:0:0:1:0", "0:0:1::1:0"),
            ("abcd:ef01:2345:6789:0:0:0:0", "abcd:ef01:2345:6789::"),
            ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            ("10:100:1000:a:b0:c00:d000:f", "10:100:1000:a:b0:c00:d000:f"),
            ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
            ("::ffff:0.0.0.0", "::ffff:0.0.0.0"),
            ("::ffff:0:1", "::ffff:0.0.0.1"),
            ("::1.2.3.4", "::1.2.3.4"),
            ("::0.1.0.0", "::0.1.0.0"),
            ("::0.0.0.2", "::2"),
            ("::1:0:0", "::1:0:0"),
            ("::fffe:1.2.3.4", "::fffe:102:304"),
            ("0:0:0:0:1:ffff:102:304", "::1:ffff:102:304"),
            ("1::ffff:1.2.3.4", "1::ffff:102:304"),
            ("::ffff:0:0:1", "::ffff:0:0:1"),
            ("0:0:0:0:0:ffff:0:0", "::ffff:0.0.0.0"),
        ] {
            assert_eq!(text6(given), want, "{given}");
        }
    }

    #[test]
    fn ntop_buf_matches_and_round_trips() {
        let mut buf = [0xaa; INET6_ADDRSTRLEN];
        for s in
            ["::", "1.2.3.4", "::ffff:255.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]
        {
            let ip: IpAddr = s.parse().unwrap();
            let text = inet_ntop_buf(ip, &mut buf).to_owned();
            assert_eq!(text, inet_ntop(ip));
            let family = if ip.is_ipv4() { Domain::INET } else { Domain::INET6 };
            assert_eq!(inet_pton(family, &text).unwrap(), ip);
        }
    }

    #[test]
    fn longest_texts_fit() {
        assert!("255.255.255.255".len() < INET_ADDRSTRLEN);
        let ip: IpAddr = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff".parse().unwrap();
        assert_eq!(inet_ntop(ip).len(), 39);
        let ip: IpAddr = "::ffff:255.255.255.255".parse().unwrap();
        assert_eq!(inet_ntop(ip), "::ffff:255.255.255.255");
    }
}
