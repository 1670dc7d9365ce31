//! The values carried in a C `int`: flags, counts, sizes, and the kernel's
//! enumerations that this crate types elsewhere (`Type`, `Domain`, `Protocol`,
//! `Errno`).
//!
//! Each is its own codec. Reading one is the call and [`Int::up_to`]'s single
//! compare of the length and the range together (or [`Int::whole`] where every
//! `int` is a valid value); writing one cannot fail before the call except where
//! the Rust type is wider than C's `int`.

use super::codec::{Decode, Encode, Refusal, Sealed};
use super::shape::{Fixed, Int};
use crate::{Domain, Errno, Protocol, Type};

/// The refusal of an unsigned Rust value above `INT_MAX`.
const NOT_AN_INT: Refusal = Refusal::Invalid("value does not fit a C int (at most 2147483647)");

/// An unsigned Rust integer as a C `int`, refusing what does not fit.
#[inline]
pub(crate) fn to_int<T: TryInto<i32>>(v: T) -> Result<i32, Refusal> {
    v.try_into().map_err(|_| NOT_AN_INT)
}

/// A C `int` the kernel keeps non-negative, as an unsigned Rust integer.
#[inline]
pub(crate) fn non_negative(v: i32, what: &'static str) -> Result<u32, Refusal> {
    u32::try_from(v).map_err(|_| Refusal::Value { value: v.into(), what })
}

/// C's "none" in an `int` option that is otherwise non-negative: no CPU yet, no
/// peek offset, no limit, FIN_WAIT2 off.
pub(crate) const NONE: i32 = -1;

/// `INT_MAX` as the `max` of [`Int::up_to`].
const INT_MAX: u32 = i32::MAX as u32;

/// Declares an int codec: `Type: get |answer| decode, set |value| encode;` (the
/// `set` side is left out for a read-only value).
macro_rules! int_codec {
    ($(
        $(#[$doc:meta])*
        $t:ty: get |$a:ident| $dec:expr $(, set |$v:ident| $enc:expr)?;
    )*) => {$(
        impl Sealed for $t {}
        $(#[$doc])*
        impl Decode<$t> for $t {
            type C = Int;
            #[inline(always)]
            fn decode($a: Int) -> Result<$t, Refusal> {
                $dec
            }
        }
        $(
            impl Encode<$t> for $t {
                type C = libc::c_int;
                #[inline(always)]
                fn encode($v: $t) -> Result<libc::c_int, Refusal> {
                    $enc
                }
            }
        )?
    )*};
}

int_codec! {
    /// A flag: 0 = off, anything else = on.
    bool: get |a| a.whole().map(|v| v != 0), set |v| Ok(i32::from(v));
    /// A signed C `int`, as is.
    i32: get |a| a.whole(), set |v| Ok(v);
    /// A non-negative C `int`: a negative value from the kernel is a decode
    /// error, a value above `i32::MAX` is refused before the call.
    u32: get |a| a.up_to(INT_MAX, "unsigned value"), set |v| to_int(v);
    /// An 8-bit header field (TTLs, hop limits, the TOS / traffic class byte).
    u8: get |a| a.up_to(u8::MAX.into(), "8-bit value").map(|v| v as u8), set |v| Ok(v.into());
    /// A C `int` that the kernel limits to 0..=65535.
    u16: get |a| a.up_to(u16::MAX.into(), "16-bit value").map(|v| v as u16), set |v| Ok(v.into());
    /// A size in bytes (buffer sizes, low-water marks).
    usize: get |a| a.up_to(INT_MAX, "size").map(|v| v as usize), set |v| to_int(v);
    /// `-1` means "none" (`SO_INCOMING_CPU`, `SO_PEEK_OFF`).
    Option<u32>: get |a| match a.whole()? {
        NONE => Ok(None),
        v => non_negative(v, "value (-1 or non-negative)").map(Some),
    }, set |v| v.map_or(Ok(NONE), to_int);
    /// A size where `-1` (read back as `UINT_MAX`'s bit pattern) means "no
    /// limit" (`TCP_NOTSENT_LOWAT`).
    Option<usize>: get |a| match a.whole()? {
        NONE => Ok(None),
        v => non_negative(v, "size").map(|v| Some(v as usize)),
    }, set |v| v.map_or(Ok(NONE), to_int);
    /// `SO_ERROR`: 0 is `None`, anything else the pending error.
    Option<Errno>: get |a| match a.whole()? {
        0 => Ok(None),
        v if v > 0 => Ok(Some(Errno::from_raw(v))),
        v => Err(Refusal::Value { value: v.into(), what: "errno" }),
    };
    /// `SO_TYPE`: one of the kernel's socket types (`SOCK_STREAM` ...
    /// `SOCK_PACKET`); any other value is a decode error.
    Type: get |a| match a.whole()? {
        v if is_known_type(v) => Ok(Type::from_raw(v)),
        v => Err(Refusal::Value { value: v.into(), what: "socket type" }),
    };
    /// `SO_DOMAIN`: the family, as the kernel reports it.
    Domain: get |a| a.up_to(INT_MAX, "address family").map(|v| Domain::from_raw(v as i32));
    /// `SO_PROTOCOL`: the protocol number, as the kernel reports it.
    Protocol: get |a| a.up_to(INT_MAX, "protocol number").map(|v| Protocol::from_raw(v as i32));
}

impl Sealed for () {}
/// An option whose value the kernel ignores (`SO_DETACH_FILTER`); an `int` 0 is
/// passed because Linux insists on at least `sizeof(int)` bytes.
impl Encode<()> for () {
    type C = libc::c_int;
    #[inline]
    fn encode(_v: ()) -> Result<libc::c_int, Refusal> {
        Ok(0)
    }
}

impl Sealed for u64 {}
/// A 64-bit value (`SO_COOKIE`).
impl Decode<u64> for u64 {
    type C = Fixed<u64>;
    #[inline]
    fn decode(c: Fixed<u64>) -> Result<u64, Refusal> {
        c.exact()
    }
}

/// `SOCK_DCCP`, which `libc` spells only for some Linux targets.
const SOCK_DCCP: i32 = 6;
/// `SOCK_PACKET` (obsolete), which `libc` spells only for some Linux targets.
const SOCK_PACKET: i32 = 10;

/// The values of Linux's `enum sock_type` (and the POSIX ones elsewhere).
fn is_known_type(v: i32) -> bool {
    matches!(v, libc::SOCK_STREAM | libc::SOCK_DGRAM | libc::SOCK_RAW | libc::SOCK_RDM)
        || v == libc::SOCK_SEQPACKET
        || v == SOCK_DCCP
        || v == SOCK_PACKET
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_socket_types() {
        for t in [libc::SOCK_STREAM, libc::SOCK_DGRAM, libc::SOCK_RAW, libc::SOCK_SEQPACKET] {
            assert!(is_known_type(t));
        }
        assert!(!is_known_type(0));
        assert!(!is_known_type(77));
        assert!(!is_known_type(-1));
    }

    #[test]
    fn ints_that_do_not_fit() {
        assert!(to_int(u32::MAX).is_err());
        assert_eq!(to_int(7usize).unwrap(), 7);
    }
}
