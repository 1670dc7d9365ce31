//! Durations, in the C units of their options: an `int` of seconds,
//! milliseconds or microseconds, `struct linger`, `struct timeval`.
//!
//! One rule everywhere: a duration is rounded *up* to the unit of the C field,
//! so a short non-zero duration never turns into 0, which in C means something
//! else entirely (no timeout, abortive close, system default).

use std::time::Duration;

use super::codec::{Decode, Encode, Refusal, Sealed};
use super::int::{NONE, non_negative};
use super::shape::{Fixed, Int};

/// The unit of a C field in seconds, as a count per second.
const SECS_PER_SEC: u32 = 1;
/// Nanoseconds in a second.
const NANOS_PER_SEC: u32 = 1_000_000_000;
/// Milliseconds in a second.
const MILLIS_PER_SEC: u32 = 1_000;
/// Microseconds in a second: the range of `tv_usec`.
const MICROS_PER_SEC: u32 = 1_000_000;
/// Nanoseconds in a microsecond.
const NANOS_PER_MICRO: u32 = 1_000;

/// `d` in units of `1/per_sec` seconds, rounded up.
#[inline]
fn ceil_units(d: Duration, per_sec: u32) -> u128 {
    let unit = u128::from(NANOS_PER_SEC / per_sec);
    d.as_nanos().div_ceil(unit)
}

/// `d` rounded up to whole units, as a C `int`.
#[inline]
fn duration_to_int(d: Duration, per_sec: u32) -> Result<i32, Refusal> {
    i32::try_from(ceil_units(d, per_sec))
        .map_err(|_| Refusal::Invalid("duration too long for a C int of its unit"))
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
            type C = Int;
            #[inline]
            fn decode(a: Int) -> Result<Duration, Refusal> {
                Ok($from(u64::from(non_negative(a.whole()?, "duration")?)))
            }
        }
        impl Encode<Duration> for $codec {
            type C = libc::c_int;
            #[inline]
            fn encode(v: Duration) -> Result<libc::c_int, Refusal> {
                duration_to_int(v, $per_sec)
            }
        }
    };
}
int_duration!(Secs, SECS_PER_SEC, Duration::from_secs);
int_duration!(Millis, MILLIS_PER_SEC, Duration::from_millis);
int_duration!(Micros, MICROS_PER_SEC, Duration::from_micros);

/// `None` is -1 ("off"); used by `TCP_LINGER2`.
impl Decode<Option<Duration>> for Secs {
    type C = Int;
    #[inline]
    fn decode(a: Int) -> Result<Option<Duration>, Refusal> {
        match a.whole()? {
            NONE => Ok(None),
            v => Ok(Some(Duration::from_secs(u64::from(non_negative(v, "duration")?)))),
        }
    }
}
impl Encode<Option<Duration>> for Secs {
    type C = libc::c_int;
    #[inline]
    fn encode(v: Option<Duration>) -> Result<libc::c_int, Refusal> {
        v.map_or(Ok(NONE), |d| duration_to_int(d, SECS_PER_SEC))
    }
}

/// Marker codec: `Option<Duration>` as `struct linger` (`SO_LINGER`).
///
/// `None` is `l_onoff = 0` (close returns at once, data is still delivered in the
/// background); `Some(d)` is `l_onoff = 1, l_linger = d` in **whole seconds**, a
/// fraction rounding *up* (so `Some(500 ms)` lingers 1 s rather than becoming an
/// abortive close); `Some(Duration::ZERO)` is the abortive close: `close` discards
/// unsent data and sends RST, and the socket skips TIME_WAIT. A time of more than
/// `INT_MAX` seconds (or, on Linux with a 32-bit `long`, more than its clock ticks
/// hold: about 24.8 days) is refused with
/// [`Error::InvalidInput`](crate::Error::InvalidInput) rather than cut short.
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
    type C = Fixed<libc::linger>;
    #[inline]
    fn decode(c: Fixed<libc::linger>) -> Result<Option<Duration>, Refusal> {
        linger_from_c(c.exact()?)
    }
}
impl Encode<Option<Duration>> for Linger {
    type C = libc::linger;
    #[inline]
    fn encode(v: Option<Duration>) -> Result<libc::linger, Refusal> {
        linger_to_c(v)
    }
}

fn linger_from_c(l: libc::linger) -> Result<Option<Duration>, Refusal> {
    if l.l_onoff == 0 {
        return Ok(None);
    }
    let secs = non_negative(l.l_linger, "linger time")?;
    Ok(Some(Duration::from_secs(u64::from(secs))))
}

fn linger_to_c(v: Option<Duration>) -> Result<libc::linger, Refusal> {
    Ok(match v {
        None => libc::linger { l_onoff: 0, l_linger: 0 },
        Some(d) => libc::linger { l_onoff: 1, l_linger: linger_secs(d)? },
    })
}

/// A linger time in whole seconds, rounded up, that reads back as set.
fn linger_secs(d: Duration) -> Result<i32, Refusal> {
    let secs = duration_to_int(d, SECS_PER_SEC)?;
    // Linux keeps a linger time in clock ticks in a `long` and stores a longer
    // one as its maximum, which reads back shorter: only with a 32-bit `long`
    // is that below INT_MAX seconds.
    #[cfg(linux_like)]
    if secs as u64 > JIFFY_SECS {
        return Err(Refusal::Invalid("linger time too long for the kernel's clock ticks"));
    }
    Ok(secs)
}

/// Marker codec: `Option<Duration>` as `struct timeval` (`SO_RCVTIMEO`,
/// `SO_SNDTIMEO`).
///
/// `None` is `{0, 0}`: no timeout, block for ever. `Some(Duration::ZERO)` is
/// refused with [`Error::InvalidInput`](crate::Error::InvalidInput) because C
/// would read it as "no timeout", the opposite of what it says (std's
/// `set_read_timeout` does the same). A duration is rounded up to whole
/// microseconds (1 ns becomes 1 µs); the kernel then rounds up again to its
/// clock tick, so the value read back can be larger than the one set.
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
///
/// # Kernel behaviour
/// Linux keeps the timeout in clock ticks (jiffies) in a C `long`, and stores a
/// `timeval` of `LONG_MAX / HZ - 1` seconds or more as "no timeout", which reads
/// back as `None` (`sock_set_timeout` in net/core/sock.c; socket(7)). A duration
/// above [`Timeval::MAX`], the limit for any `HZ` up to 1000, is therefore
/// refused with [`Error::InvalidInput`](crate::Error::InvalidInput) rather than
/// silently turned into "wait for ever".
///
/// ```
/// use std::time::Duration;
/// use bsdsock::opt::{setsockopt, Timeval, SO_SNDTIMEO};
/// use bsdsock::{socket, Domain, Error, Protocol, Type};
/// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// setsockopt(&s, SO_SNDTIMEO, Some(Timeval::MAX))?;
/// let err = setsockopt(&s, SO_SNDTIMEO, Some(Duration::from_secs(i64::MAX as u64))).unwrap_err();
/// assert!(matches!(err, Error::InvalidInput { .. }));
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Debug)]
#[doc(alias = "timeval")]
pub enum Timeval {}

/// The most seconds a Linux timeout or linger time keeps: its clock ticks must
/// fit a C `long` at `HZ` = 1000, the highest rate Linux configures.
#[cfg(linux_like)]
const JIFFY_SECS: u64 = (libc::c_long::MAX / 1000) as u64;

impl Timeval {
    /// The longest timeout that reads back as set (give or take the rounding
    /// up to a clock tick). Linux: `LONG_MAX / 1000 - 2` seconds, about 292
    /// million years with a 64-bit `long` and 24.8 days with a 32-bit one (a
    /// 32-bit program keeps that limit even on a 64-bit kernel, which it cannot
    /// tell apart). Elsewhere `INT_MAX` seconds, beyond which FreeBSD keeps its own maximum
    /// instead (the other BSDs fail with `EDOM`, some of them sooner).
    ///
    /// ```
    /// // At least 24 days everywhere (a 32-bit Linux program's limit is 24.8).
    /// assert!(bsdsock::opt::Timeval::MAX.as_secs() >= 24 * 24 * 3600);
    /// ```
    #[cfg(linux_like)]
    pub const MAX: Duration = Duration::from_secs(JIFFY_SECS - 2);
    /// The longest timeout that reads back as set (give or take the rounding
    /// up to a clock tick). Linux: `LONG_MAX / 1000 - 2` seconds, about 292
    /// million years with a 64-bit `long` and 24.8 days with a 32-bit one (a
    /// 32-bit program keeps that limit even on a 64-bit kernel, which it cannot
    /// tell apart). Elsewhere `INT_MAX` seconds, beyond which FreeBSD keeps its own maximum
    /// instead (the other BSDs fail with `EDOM`, some of them sooner).
    ///
    /// ```
    /// // At least 24 days everywhere (a 32-bit Linux program's limit is 24.8).
    /// assert!(bsdsock::opt::Timeval::MAX.as_secs() >= 24 * 24 * 3600);
    /// ```
    #[cfg(not(linux_like))]
    pub const MAX: Duration = Duration::from_secs(i32::MAX as u64);
}

impl Sealed for Timeval {}
impl Decode<Option<Duration>> for Timeval {
    type C = Fixed<libc::timeval>;
    #[inline]
    fn decode(c: Fixed<libc::timeval>) -> Result<Option<Duration>, Refusal> {
        timeval_from_c(c.exact()?)
    }
}
impl Encode<Option<Duration>> for Timeval {
    type C = libc::timeval;
    #[inline]
    fn encode(v: Option<Duration>) -> Result<libc::timeval, Refusal> {
        timeval_to_c(v)
    }
}

// `time_t` and `suseconds_t` are `i32` on some 32-bit targets: `into` is not
// always the identity.
#[allow(clippy::useless_conversion)]
fn timeval_from_c(tv: libc::timeval) -> Result<Option<Duration>, Refusal> {
    let secs = u64::try_from(tv.tv_sec)
        .map_err(|_| Refusal::Value { value: tv.tv_sec.into(), what: "tv_sec" })?;
    let usecs = u32::try_from(tv.tv_usec)
        .ok()
        .filter(|&u| u < MICROS_PER_SEC)
        .ok_or(Refusal::Value { value: tv.tv_usec.into(), what: "tv_usec" })?;
    if secs == 0 && usecs == 0 {
        return Ok(None);
    }
    Ok(Some(Duration::new(secs, usecs * NANOS_PER_MICRO)))
}

fn timeval_to_c(v: Option<Duration>) -> Result<libc::timeval, Refusal> {
    let Some(d) = v else {
        return Ok(libc::timeval { tv_sec: 0, tv_usec: 0 });
    };
    if d.is_zero() {
        return Err(Refusal::Invalid(
            "a zero timeout means \"no timeout\" in C; pass None for no timeout",
        ));
    }
    let too_long = Refusal::Invalid("timeout too long for the kernel (above Timeval::MAX)");
    if d > Timeval::MAX {
        return Err(too_long);
    }
    let mut secs = d.as_secs();
    let mut usecs = d.subsec_nanos().div_ceil(NANOS_PER_MICRO);
    if usecs == MICROS_PER_SEC {
        secs = secs.checked_add(1).ok_or(too_long)?;
        usecs = 0;
    }
    // The field types (`time_t`, `suseconds_t`) are inferred rather than named: the
    // `libc` crate marks their musl aliases deprecated. `usecs` < 1_000_000 fits
    // either width.
    let tv_sec = secs.try_into().map_err(|_| too_long)?;
    Ok(libc::timeval { tv_sec, tv_usec: usecs as _ })
}

#[cfg(test)]
mod tests;
