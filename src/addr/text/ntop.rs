//! Address to text, as glibc's `inet_ntop` and `inet_ntoa` write it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::INET6_ADDRSTRLEN;

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
/// [`inet_ntop(3)`](https://man7.org/linux/man-pages/man3/inet_ntop.3.html),
/// without allocating; returns the text, which borrows `buf`.
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

/// Converts an IP address to text, like C's
/// [`inet_ntop(3)`](https://man7.org/linux/man-pages/man3/inet_ntop.3.html), and
/// returns the text exactly as glibc would write it.
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
/// text always parses back to the same address with [`inet_pton`](crate::inet_pton).
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

/// Converts an IPv4 address to its dotted-quad text, like C's
/// [`inet_ntoa(3)`](https://man7.org/linux/man-pages/man3/inet_ntoa.3.html).
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
