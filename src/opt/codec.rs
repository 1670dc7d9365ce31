//! How option values travel to and from the kernel.
//!
//! Every option names a *codec*: the type that knows the C representation
//! (`int`, `struct linger`, `struct timeval`, `struct ip_mreq`, ...). Most value
//! types are their own codec (`bool`, `u32`, [`IpMreq`](super::IpMreq), ...); the
//! marker types here pick a representation where one Rust type has several (a
//! [`Duration`] in seconds, milliseconds or microseconds, an `Option<Duration>` as
//! `struct linger` or `struct timeval`).
//!
//! Decoding checks the length the kernel reported and the range of what it wrote:
//! anything that does not fit the Rust type is [`Error::Decode`], never a
//! truncated or undefined value. Encoding checks the Rust value against the C
//! type before any system call: a value C cannot hold is [`Error::InvalidInput`].
//! Int options go straight through `sys::getsockopt_int` / `sys::setsockopt`:
//! no buffer, no allocation, nothing but the call and one compare that checks
//! the reported length and the value's range together.

use std::borrow::Cow;
use std::mem::size_of;
use std::os::fd::BorrowedFd;
use std::time::Duration;

use crate::error::Context;
use crate::sys::{self, Pod};
use crate::{Domain, Errno, Error, Protocol, Result, Type};

pub(crate) mod private {
    /// Keeps [`Decode`](super::Decode) and [`Encode`](super::Encode) closed: every
    /// codec must be checked against the kernel's C types, so only this crate
    /// defines them.
    pub trait Sealed {}
}
use private::Sealed;

/// A codec that can read a `V` with `getsockopt(2)`.
///
/// Implemented by the value types that are their own codec and by the marker
/// codecs ([`Secs`], [`Linger`], ...). It is sealed: use
/// [`getsockopt_raw`](super::getsockopt_raw) for a representation this crate does
/// not know.
pub trait Decode<V>: Sealed {
    /// Reads the option and decodes it; `call` names it in errors.
    #[doc(hidden)]
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<V>;
}

/// A codec that can write a `T` with `setsockopt(2)`.
///
/// A codec may accept more than one Rust type: the membership options take an
/// [`IpMreq`](super::IpMreq) or an [`IpMreqn`](super::IpMreqn), the name options
/// a [`Name`](super::Name) or a `&str`. Sealed, like [`Decode`].
pub trait Encode<T>: Sealed {
    /// Encodes `value` and sets the option; `call` names it in errors.
    #[doc(hidden)]
    fn set(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str, value: T) -> Result<()>;
}

// ---------------------------------------------------------------------------
// Helpers shared by every codec.

const INT_LEN: usize = size_of::<libc::c_int>();

/// The kernel answered with a length the C type does not have.
#[cold]
#[inline(never)]
pub(crate) fn bad_len(call: &'static str, got: usize, want: usize) -> Error {
    Error::decode(call, format!("{got} bytes where {want} were expected"))
}

/// The kernel answered with a value outside the Rust type's range.
#[cold]
#[inline(never)]
pub(crate) fn bad_value(
    call: &'static str,
    what: &'static str,
    value: impl std::fmt::Display,
) -> Error {
    Error::decode(call, format!("{value} is not a valid {what}"))
}

/// A Rust value the C type cannot hold.
#[cold]
#[inline(never)]
pub(crate) fn too_large(call: &'static str, what: &'static str) -> Error {
    Error::invalid(call, Cow::Borrowed(what))
}

/// `getsockopt` of a C `int`, with the length check.
#[inline]
pub(crate) fn get_int(
    fd: BorrowedFd<'_>,
    level: i32,
    name: i32,
    call: &'static str,
) -> Result<i32> {
    match sys::getsockopt_int(fd, level, name) {
        Ok(a) => match a.int() {
            Some(v) => Ok(v),
            None => Err(bad_len(call, a.len(), INT_LEN)),
        },
        Err(errno) => Err(os_error(call, errno)),
    }
}

/// `getsockopt` of a C `int` that must lie in `0..=max`: the length check and
/// the range check are one compare.
#[inline]
fn get_up_to(
    fd: BorrowedFd<'_>,
    level: i32,
    name: i32,
    call: &'static str,
    max: u32,
    what: &'static str,
) -> Result<u32> {
    match sys::getsockopt_int(fd, level, name) {
        Ok(a) => match a.up_to(max) {
            Some(v) => Ok(v),
            None => Err(int_error(call, a, what)),
        },
        Err(errno) => Err(os_error(call, errno)),
    }
}

/// Why an int answer was refused: its length, or else its value.
#[cold]
#[inline(never)]
fn int_error(call: &'static str, a: sys::IntAnswer, what: &'static str) -> Error {
    if a.len() != INT_LEN {
        bad_len(call, a.len(), INT_LEN)
    } else {
        bad_value(call, what, a.value())
    }
}

/// `setsockopt` of a C `int`.
#[inline]
pub(crate) fn set_int(
    fd: BorrowedFd<'_>,
    level: i32,
    name: i32,
    call: &'static str,
    value: i32,
) -> Result<()> {
    match sys::setsockopt::<libc::c_int>(fd, level, name, &value) {
        Ok(()) => Ok(()),
        Err(errno) => Err(os_error(call, errno)),
    }
}

/// The error of a failed call, built out of line: keeps the success path of the
/// int options as short as the raw call.
#[cold]
#[inline(never)]
fn os_error(call: &'static str, errno: crate::Errno) -> Error {
    Error::os(call, errno)
}

/// `getsockopt` of a fixed-size C struct, which the kernel must fill exactly.
#[inline]
pub(crate) fn get_fixed<T: Pod>(
    fd: BorrowedFd<'_>,
    level: i32,
    name: i32,
    call: &'static str,
) -> Result<T> {
    let (v, len) = sys::getsockopt_val::<T>(fd, level, name).ctx(call)?;
    if len != size_of::<T>() {
        return Err(bad_len(call, len, size_of::<T>()));
    }
    Ok(v)
}

/// A non-negative C `int` from the kernel as an unsigned Rust integer.
#[inline]
fn non_negative(v: i32, call: &'static str, what: &'static str) -> Result<u32> {
    u32::try_from(v).map_err(|_| bad_value(call, what, v))
}

/// An unsigned Rust integer as a C `int`, refusing what does not fit.
#[inline]
fn to_int<T: TryInto<i32>>(v: T, call: &'static str) -> Result<i32> {
    v.try_into().map_err(|_| too_large(call, "value does not fit a C int (at most 2147483647)"))
}

// ---------------------------------------------------------------------------
// int-valued codecs: the value type is its own codec.

impl Sealed for bool {}
/// A flag: C `int`, 0 = off, anything else = on.
impl Decode<bool> for bool {
    #[inline]
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<bool> {
        get_int(fd, level, name, call).map(|v| v != 0)
    }
}
impl Encode<bool> for bool {
    #[inline]
    fn set(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str, v: bool) -> Result<()> {
        set_int(fd, level, name, call, i32::from(v))
    }
}

impl Sealed for i32 {}
/// A signed C `int`, as is.
impl Decode<i32> for i32 {
    #[inline]
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<i32> {
        get_int(fd, level, name, call)
    }
}
impl Encode<i32> for i32 {
    #[inline]
    fn set(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str, v: i32) -> Result<()> {
        set_int(fd, level, name, call, v)
    }
}

impl Sealed for u32 {}
/// A non-negative C `int`: a negative value from the kernel is a decode error, a
/// value above `i32::MAX` is refused before the call.
impl Decode<u32> for u32 {
    #[inline]
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<u32> {
        get_up_to(fd, level, name, call, i32::MAX as u32, "unsigned value")
    }
}
impl Encode<u32> for u32 {
    #[inline]
    fn set(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str, v: u32) -> Result<()> {
        set_int(fd, level, name, call, to_int(v, call)?)
    }
}

/// The narrow unsigned fields carried in a C `int`: every value is a valid `int`,
/// so setting needs no range check, and a kernel answer outside the type's range
/// is a decode error.
macro_rules! narrow_int {
    ($($t:ty: $what:literal, $doc:literal;)*) => {$(
        impl Sealed for $t {}
        #[doc = $doc]
        impl Decode<$t> for $t {
            #[inline]
            fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<$t> {
                get_up_to(fd, level, name, call, u32::from(<$t>::MAX), $what).map(|v| v as $t)
            }
        }
        impl Encode<$t> for $t {
            #[inline]
            fn set(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str, v: $t) -> Result<()> {
                set_int(fd, level, name, call, i32::from(v))
            }
        }
    )*};
}

narrow_int! {
    u8: "8-bit value", "An 8-bit header field in a C `int` (TTLs, hop limits, the TOS / traffic class byte).";
    u16: "16-bit value", "A C `int` that the kernel limits to 0..=65535.";
}

impl Sealed for usize {}
/// A size in bytes carried in a C `int` (buffer sizes, low-water marks).
impl Decode<usize> for usize {
    #[inline]
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<usize> {
        get_up_to(fd, level, name, call, i32::MAX as u32, "size").map(|v| v as usize)
    }
}
impl Encode<usize> for usize {
    #[inline]
    fn set(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str, v: usize) -> Result<()> {
        set_int(fd, level, name, call, to_int(v, call)?)
    }
}

impl Sealed for Option<u32> {}
/// A C `int` where `-1` means "none" (`SO_INCOMING_CPU`, `SO_PEEK_OFF`).
impl Decode<Option<u32>> for Option<u32> {
    #[inline]
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<Option<u32>> {
        match get_int(fd, level, name, call)? {
            -1 => Ok(None),
            v => non_negative(v, call, "value (-1 or non-negative)").map(Some),
        }
    }
}
impl Encode<Option<u32>> for Option<u32> {
    #[inline]
    fn set(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
        v: Option<u32>,
    ) -> Result<()> {
        let raw = match v {
            None => -1,
            Some(v) => to_int(v, call)?,
        };
        set_int(fd, level, name, call, raw)
    }
}

impl Sealed for Option<usize> {}
/// A size in a C `int` where `-1` (read back as `UINT_MAX`'s bit pattern) means
/// "no limit" (`TCP_NOTSENT_LOWAT`).
impl Decode<Option<usize>> for Option<usize> {
    #[inline]
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<Option<usize>> {
        match get_int(fd, level, name, call)? {
            -1 => Ok(None),
            v => usize::try_from(v).map(Some).map_err(|_| bad_value(call, "size", v)),
        }
    }
}
impl Encode<Option<usize>> for Option<usize> {
    #[inline]
    fn set(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
        v: Option<usize>,
    ) -> Result<()> {
        let raw = match v {
            None => -1,
            Some(v) => to_int(v, call)?,
        };
        set_int(fd, level, name, call, raw)
    }
}

impl Sealed for Option<Errno> {}
/// `SO_ERROR`: 0 is `None`, anything else the pending error.
impl Decode<Option<Errno>> for Option<Errno> {
    #[inline]
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<Option<Errno>> {
        match get_int(fd, level, name, call)? {
            0 => Ok(None),
            v if v > 0 => Ok(Some(Errno::from_raw(v))),
            v => Err(bad_value(call, "errno", v)),
        }
    }
}

impl Sealed for Type {}
/// `SO_TYPE`: one of the kernel's socket types (`SOCK_STREAM` ... `SOCK_PACKET`);
/// any other value is a decode error.
impl Decode<Type> for Type {
    #[inline]
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<Type> {
        let v = get_int(fd, level, name, call)?;
        if is_known_type(v) {
            Ok(Type::from_raw(v))
        } else {
            Err(bad_value(call, "socket type", v))
        }
    }
}

/// The values of Linux's `enum sock_type` (and the POSIX ones elsewhere).
fn is_known_type(v: i32) -> bool {
    // SOCK_DCCP and the obsolete SOCK_PACKET (Linux), which libc spells only
    // for some targets.
    const DCCP: i32 = 6;
    const PACKET: i32 = 10;
    matches!(v, libc::SOCK_STREAM | libc::SOCK_DGRAM | libc::SOCK_RAW | libc::SOCK_RDM)
        || v == libc::SOCK_SEQPACKET
        || v == DCCP
        || v == PACKET
}

impl Sealed for Domain {}
/// `SO_DOMAIN`: the family, as the kernel reports it.
impl Decode<Domain> for Domain {
    #[inline]
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<Domain> {
        let v = get_int(fd, level, name, call)?;
        non_negative(v, call, "address family")?;
        Ok(Domain::from_raw(v))
    }
}

impl Sealed for Protocol {}
/// `SO_PROTOCOL`: the protocol number, as the kernel reports it.
impl Decode<Protocol> for Protocol {
    #[inline]
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<Protocol> {
        let v = get_int(fd, level, name, call)?;
        non_negative(v, call, "protocol number")?;
        Ok(Protocol::from_raw(v))
    }
}

impl Sealed for u64 {}
/// A 64-bit value (`SO_COOKIE`).
impl Decode<u64> for u64 {
    #[inline]
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<u64> {
        get_fixed::<u64>(fd, level, name, call)
    }
}

impl Sealed for () {}
/// An option whose value the kernel ignores (`SO_DETACH_FILTER`); an `int` 0 is
/// passed because Linux insists on at least `sizeof(int)` bytes.
impl Encode<()> for () {
    #[inline]
    fn set(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str, _v: ()) -> Result<()> {
        set_int(fd, level, name, call, 0)
    }
}

// ---------------------------------------------------------------------------
// Durations. One rule everywhere: a duration is rounded *up* to the unit of the
// C field, so a short non-zero duration never turns into 0, which in C means
// something else entirely (no timeout, abortive close, system default).

/// `d` in units of `1/per_sec` seconds, rounded up.
#[inline]
fn ceil_units(d: Duration, per_sec: u32) -> u128 {
    let unit = u128::from(1_000_000_000 / per_sec);
    d.as_nanos().div_ceil(unit)
}

/// `d` rounded up to whole units, as a C `int`.
#[inline]
fn duration_to_int(d: Duration, per_sec: u32, call: &'static str) -> Result<i32> {
    i32::try_from(ceil_units(d, per_sec))
        .map_err(|_| too_large(call, "duration too long for a C int of its unit"))
}

/// Marker codec: a [`Duration`] carried as a C `int` of **seconds**
/// (`TCP_KEEPIDLE`, `TCP_KEEPINTVL`, `TCP_DEFER_ACCEPT`, `TCP_LINGER2`).
///
/// A fraction of a second rounds up (1.2 s is set as 2 s). For
/// `Option<Duration>`, `None` is the C value `-1`.
///
/// ```
/// use std::time::Duration;
/// use bsdsock::opt::{getsockopt, setsockopt, TCP_KEEPIDLE};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::STREAM, Protocol::TCP)?;
/// setsockopt(&s, TCP_KEEPIDLE, Duration::from_millis(1200))?;
/// assert_eq!(getsockopt(&s, TCP_KEEPIDLE)?, Duration::from_secs(2)); // rounded up
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Debug)]
pub enum Secs {}

/// Marker codec: a [`Duration`] carried as a C `int` of **milliseconds**
/// (`TCP_USER_TIMEOUT`). A fraction of a millisecond rounds up.
///
/// ```
/// use std::time::Duration;
/// use bsdsock::opt::{getsockopt, setsockopt, TCP_USER_TIMEOUT};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::STREAM, Protocol::TCP)?;
/// setsockopt(&s, TCP_USER_TIMEOUT, Duration::from_micros(30_000_500))?;
/// assert_eq!(getsockopt(&s, TCP_USER_TIMEOUT)?, Duration::from_millis(30_001));
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Debug)]
pub enum Millis {}

/// Marker codec: a [`Duration`] carried as a C `int` of **microseconds**
/// (`SO_BUSY_POLL`). A fraction of a microsecond rounds up.
#[derive(Debug)]
pub enum Micros {}

macro_rules! int_duration {
    ($codec:ty, $per_sec:expr, $from:path) => {
        impl Sealed for $codec {}
        impl Decode<Duration> for $codec {
            #[inline]
            fn get(
                fd: BorrowedFd<'_>,
                level: i32,
                name: i32,
                call: &'static str,
            ) -> Result<Duration> {
                let v = get_int(fd, level, name, call)?;
                Ok($from(u64::from(non_negative(v, call, "duration")?)))
            }
        }
        impl Encode<Duration> for $codec {
            #[inline]
            fn set(
                fd: BorrowedFd<'_>,
                level: i32,
                name: i32,
                call: &'static str,
                v: Duration,
            ) -> Result<()> {
                set_int(fd, level, name, call, duration_to_int(v, $per_sec, call)?)
            }
        }
    };
}
int_duration!(Secs, 1, Duration::from_secs);
int_duration!(Millis, 1_000, Duration::from_millis);
int_duration!(Micros, 1_000_000, Duration::from_micros);

/// `None` is -1 ("off"); used by `TCP_LINGER2`.
impl Decode<Option<Duration>> for Secs {
    #[inline]
    fn get(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
    ) -> Result<Option<Duration>> {
        match get_int(fd, level, name, call)? {
            -1 => Ok(None),
            v => Ok(Some(Duration::from_secs(u64::from(non_negative(v, call, "duration")?)))),
        }
    }
}
impl Encode<Option<Duration>> for Secs {
    #[inline]
    fn set(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
        v: Option<Duration>,
    ) -> Result<()> {
        let raw = match v {
            None => -1,
            Some(d) => duration_to_int(d, 1, call)?,
        };
        set_int(fd, level, name, call, raw)
    }
}

/// Marker codec: `Option<Duration>` as `struct linger` (`SO_LINGER`).
///
/// `None` is `l_onoff = 0` (close returns at once, data is still delivered in the
/// background); `Some(d)` is `l_onoff = 1, l_linger = d` in **whole seconds**, a
/// fraction rounding *up* (so `Some(500 ms)` lingers 1 s rather than becoming an
/// abortive close); `Some(Duration::ZERO)` is the abortive close: `close` discards
/// unsent data and sends RST, and the socket skips TIME_WAIT.
///
/// ```
/// use std::time::Duration;
/// use bsdsock::opt::{getsockopt, setsockopt, SO_LINGER};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// assert_eq!(getsockopt(&s, SO_LINGER)?, None); // the default
/// setsockopt(&s, SO_LINGER, Some(Duration::from_millis(2500)))?;
/// assert_eq!(getsockopt(&s, SO_LINGER)?, Some(Duration::from_secs(3)));
/// setsockopt(&s, SO_LINGER, Some(Duration::ZERO))?; // RST on close
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Debug)]
#[doc(alias = "linger")]
pub enum Linger {}

impl Sealed for Linger {}
impl Decode<Option<Duration>> for Linger {
    #[inline]
    fn get(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
    ) -> Result<Option<Duration>> {
        let l = get_fixed::<libc::linger>(fd, level, name, call)?;
        linger_from_c(l, call)
    }
}
impl Encode<Option<Duration>> for Linger {
    #[inline]
    fn set(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
        v: Option<Duration>,
    ) -> Result<()> {
        let l = linger_to_c(v, call)?;
        sys::setsockopt(fd, level, name, &l).ctx(call)
    }
}

pub(crate) fn linger_from_c(l: libc::linger, call: &'static str) -> Result<Option<Duration>> {
    if l.l_onoff == 0 {
        return Ok(None);
    }
    let secs = non_negative(l.l_linger, call, "linger time")?;
    Ok(Some(Duration::from_secs(u64::from(secs))))
}

pub(crate) fn linger_to_c(v: Option<Duration>, call: &'static str) -> Result<libc::linger> {
    Ok(match v {
        None => libc::linger { l_onoff: 0, l_linger: 0 },
        Some(d) => libc::linger { l_onoff: 1, l_linger: duration_to_int(d, 1, call)? },
    })
}

/// Marker codec: `Option<Duration>` as `struct timeval` (`SO_RCVTIMEO`,
/// `SO_SNDTIMEO`).
///
/// `None` is `{0, 0}`: no timeout, block for ever. `Some(Duration::ZERO)` is
/// refused with [`Error::InvalidInput`] because C would read it as "no timeout",
/// the opposite of what it says (std's `set_read_timeout` does the same). A
/// duration is rounded up to whole microseconds (1 ns becomes 1 µs); the kernel
/// then rounds up again to its clock tick, so the value read back can be larger
/// than the one set.
///
/// ```
/// use std::time::Duration;
/// use bsdsock::opt::{getsockopt, setsockopt, SO_RCVTIMEO};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// assert_eq!(getsockopt(&s, SO_RCVTIMEO)?, None);
/// setsockopt(&s, SO_RCVTIMEO, Some(Duration::from_secs(2)))?;
/// assert_eq!(getsockopt(&s, SO_RCVTIMEO)?, Some(Duration::from_secs(2)));
/// assert!(setsockopt(&s, SO_RCVTIMEO, Some(Duration::ZERO)).is_err());
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Debug)]
#[doc(alias = "timeval")]
pub enum Timeval {}

impl Sealed for Timeval {}
impl Decode<Option<Duration>> for Timeval {
    #[inline]
    fn get(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
    ) -> Result<Option<Duration>> {
        let tv = get_fixed::<libc::timeval>(fd, level, name, call)?;
        timeval_from_c(tv, call)
    }
}
impl Encode<Option<Duration>> for Timeval {
    #[inline]
    fn set(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
        v: Option<Duration>,
    ) -> Result<()> {
        let tv = timeval_to_c(v, call)?;
        sys::setsockopt(fd, level, name, &tv).ctx(call)
    }
}

pub(crate) fn timeval_from_c(tv: libc::timeval, call: &'static str) -> Result<Option<Duration>> {
    let secs = u64::try_from(tv.tv_sec).map_err(|_| bad_value(call, "tv_sec", tv.tv_sec))?;
    let usecs = u32::try_from(tv.tv_usec)
        .ok()
        .filter(|&u| u < 1_000_000)
        .ok_or_else(|| bad_value(call, "tv_usec", tv.tv_usec))?;
    if secs == 0 && usecs == 0 {
        return Ok(None);
    }
    Ok(Some(Duration::new(secs, usecs * 1_000)))
}

pub(crate) fn timeval_to_c(v: Option<Duration>, call: &'static str) -> Result<libc::timeval> {
    let Some(d) = v else {
        return Ok(libc::timeval { tv_sec: 0, tv_usec: 0 });
    };
    if d.is_zero() {
        return Err(Error::invalid(
            call,
            "a zero timeout means \"no timeout\" in C; pass None for no timeout",
        ));
    }
    let too_long = || too_large(call, "timeout too long for struct timeval");
    let mut secs = d.as_secs();
    let mut usecs = d.subsec_nanos().div_ceil(1_000);
    if usecs == 1_000_000 {
        secs = secs.checked_add(1).ok_or_else(too_long)?;
        usecs = 0;
    }
    let tv_sec = libc::time_t::try_from(secs).map_err(|_| too_long())?;
    Ok(libc::timeval { tv_sec, tv_usec: usecs as libc::suseconds_t })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_round_up() {
        assert_eq!(ceil_units(Duration::from_nanos(1), 1), 1);
        assert_eq!(ceil_units(Duration::from_millis(1000), 1), 1);
        assert_eq!(ceil_units(Duration::from_millis(1001), 1), 2);
        assert_eq!(ceil_units(Duration::from_nanos(1_000_001), 1_000), 2);
        assert_eq!(ceil_units(Duration::from_nanos(999), 1_000_000), 1);
        assert_eq!(ceil_units(Duration::ZERO, 1_000), 0);
        assert!(duration_to_int(Duration::from_secs(1 << 31), 1, "t").is_err());
        assert_eq!(duration_to_int(Duration::from_secs((1 << 31) - 1), 1, "t").unwrap(), i32::MAX);
        assert!(duration_to_int(Duration::MAX, 1_000, "t").is_err());
    }

    #[test]
    fn timeval_encoding() {
        let tv = timeval_to_c(Some(Duration::from_nanos(1)), "t").unwrap();
        assert_eq!((tv.tv_sec, tv.tv_usec), (0, 1));
        let tv = timeval_to_c(Some(Duration::new(1, 999_999_001)), "t").unwrap();
        assert_eq!((tv.tv_sec, tv.tv_usec), (2, 0));
        let tv = timeval_to_c(None, "t").unwrap();
        assert_eq!((tv.tv_sec, tv.tv_usec), (0, 0));
        let e = timeval_to_c(Some(Duration::ZERO), "setsockopt(SO_RCVTIMEO)").unwrap_err();
        assert!(matches!(e, Error::InvalidInput { call: "setsockopt(SO_RCVTIMEO)", .. }));
        assert!(timeval_to_c(Some(Duration::MAX), "t").is_err());
    }

    #[test]
    fn timeval_decoding_checks_ranges() {
        let tv = |s, u| libc::timeval { tv_sec: s, tv_usec: u };
        assert_eq!(timeval_from_c(tv(0, 0), "t").unwrap(), None);
        assert_eq!(timeval_from_c(tv(3, 4000), "t").unwrap(), Some(Duration::new(3, 4_000_000)));
        for bad in [tv(-1, 0), tv(0, -1), tv(0, 1_000_000)] {
            assert!(matches!(
                timeval_from_c(bad, "g").unwrap_err(),
                Error::Decode { call: "g", .. }
            ));
        }
    }

    #[test]
    fn linger_encoding() {
        let l = linger_to_c(Some(Duration::from_millis(1)), "t").unwrap();
        assert_eq!((l.l_onoff, l.l_linger), (1, 1)); // never an accidental RST
        let l = linger_to_c(Some(Duration::ZERO), "t").unwrap();
        assert_eq!((l.l_onoff, l.l_linger), (1, 0));
        let l = linger_to_c(None, "t").unwrap();
        assert_eq!(l.l_onoff, 0);
        let on = |s| libc::linger { l_onoff: 1, l_linger: s };
        assert_eq!(linger_from_c(on(7), "t").unwrap(), Some(Duration::from_secs(7)));
        assert_eq!(linger_from_c(libc::linger { l_onoff: 0, l_linger: 9 }, "t").unwrap(), None);
        assert!(matches!(linger_from_c(on(-2), "t"), Err(Error::Decode { .. })));
    }

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
    fn errors_name_the_call() {
        let e = bad_len("getsockopt(SO_TYPE)", 2, 4);
        assert_eq!(
            e.to_string(),
            "getsockopt(SO_TYPE): unexpected value from the kernel: 2 bytes where 4 were expected"
        );
        assert!(to_int(u32::MAX, "setsockopt(IP_TTL)").is_err());
        assert_eq!(to_int(7usize, "x").unwrap(), 7);
    }
}
