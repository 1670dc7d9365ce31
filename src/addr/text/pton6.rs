//! IPv6 text to address by the `inet_pton(AF_INET6)` rules.

use super::pton::parse_dotted_quad;
use super::{HEX_VALUE, NOT_HEX};

/// Parses a whole string as an IPv6 address by the `inet_pton(AF_INET6)` rules;
/// returns the address as a number (first group in the high bits).
///
/// Groups are one to four hex digits (either case) separated by single colons; at
/// most one `::` stands for one or more zero groups; the text may end in a dotted
/// quad (strict rules) taking the place of the last two groups; the result must be
/// exactly eight groups; a leading or trailing single colon is an error.
#[inline]
pub(super) fn parse_ipv6(s: &[u8]) -> std::result::Result<u128, &'static str> {
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
