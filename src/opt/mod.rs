//! Socket options, typed: `getsockopt(2)` and `setsockopt(2)`.
//!
//! Every option is a constant named exactly as in C ([`SO_REUSEADDR`],
//! [`IP_ADD_MEMBERSHIP`], [`TCP_INFO`], ...) that knows its level, its number, its
//! value type and whether it can be read, written or both:
//!
//! ```
//! use std::time::Duration;
//! use bsdsock::opt::{getsockopt, setsockopt, SO_LINGER, SO_RCVBUF, SO_REUSEADDR, SO_TYPE};
//! use bsdsock::{socket, Domain, Protocol, Type};
//! let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
//! setsockopt(&s, SO_REUSEADDR, true)?;                          // int 1
//! setsockopt(&s, SO_LINGER, Some(Duration::from_secs(5)))?;     // struct linger {1, 5}
//! assert_eq!(getsockopt(&s, SO_TYPE)?, Type::STREAM);
//! let rcvbuf: usize = s.get(SO_RCVBUF)?;                        // the same, as a method
//! # Ok::<(), bsdsock::Error>(())
//! ```
//!
//! A read-only option cannot be passed to [`setsockopt`] and a write-only one
//! cannot be passed to [`getsockopt`]: both are compile errors, even where the
//! value type itself could be encoded or decoded.
//!
//! ```compile_fail
//! use bsdsock::opt::{setsockopt, SO_SNDLOWAT};
//! let s = bsdsock::socket(bsdsock::Domain::INET, bsdsock::Type::STREAM, Default::default()).unwrap();
//! // error: this socket option is read-only: it cannot be passed to setsockopt
//! setsockopt(&s, SO_SNDLOWAT, 1usize); // read-only on Linux
//! ```
//!
//! ```compile_fail
//! use bsdsock::opt::{getsockopt, SO_RCVBUFFORCE};
//! let s = bsdsock::socket(bsdsock::Domain::INET, bsdsock::Type::STREAM, Default::default()).unwrap();
//! // error: this socket option is write-only: it cannot be passed to getsockopt
//! let n: usize = getsockopt(&s, SO_RCVBUFFORCE).unwrap();
//! ```
//!
//! The same lines with a read-write option compile:
//!
//! ```
//! use bsdsock::opt::{getsockopt, setsockopt, SO_RCVLOWAT};
//! let s = bsdsock::socket(bsdsock::Domain::INET, bsdsock::Type::STREAM, Default::default())?;
//! setsockopt(&s, SO_RCVLOWAT, 1usize)?;
//! let n: usize = getsockopt(&s, SO_RCVLOWAT)?;
//! # Ok::<(), bsdsock::Error>(())
//! ```
//!
//! A value the C type cannot hold is refused before the call
//! ([`Error::InvalidInput`]); a value the kernel
//! returns that does not fit the Rust type (a short length, an unknown
//! `SO_TYPE`) is [`Error::Decode`]. An OS failure names the
//! option: `setsockopt(SO_LINGER): Invalid argument (EINVAL)`.
//!
//! For an option this crate does not list, [`getsockopt_raw`] and
//! [`setsockopt_raw`] take the level, number and bytes; [`Opt::new`] gives it a
//! type.
//!
//! # Linux behaviour worth knowing
//!
//! These are the kernel's rules, documented on each option and not papered over:
//!
//! - [`SO_RCVBUF`] / [`SO_SNDBUF`] read back **twice** the value set (the kernel
//!   reserves the other half for its bookkeeping), capped by `net.core.rmem_max`
//!   / `wmem_max` and raised to a minimum. [`SO_RCVBUFFORCE`] ignores the cap but
//!   needs `CAP_NET_ADMIN`.
//! - [`SO_SNDLOWAT`] is read-only on Linux (always 1; setting it fails with
//!   `ENOPROTOOPT`), so here it has no setter.
//! - [`SO_RCVTIMEO`] / [`SO_SNDTIMEO`] are rounded up to the kernel's clock tick:
//!   the value read back can be larger than the one set. `None` is "no timeout";
//!   `Some(Duration::ZERO)` is refused because C would read it as "no timeout".
//! - [`SO_LINGER`] is in whole seconds; a fraction rounds up so that a short
//!   linger never becomes the abortive `Some(Duration::ZERO)`.
//! - Every [`Duration`](std::time::Duration) is rounded up to the unit of its C
//!   field (seconds, milliseconds or microseconds, see [`Secs`], [`Millis`],
//!   [`Micros`]).
//! - A few options need privileges: `CAP_NET_ADMIN` for [`SO_RCVBUFFORCE`],
//!   [`SO_SNDBUFFORCE`], [`SO_MARK`], [`SO_PRIORITY`] above 6, [`TCP_REPAIR`],
//!   [`IP_TRANSPARENT`] (or `CAP_NET_RAW`), changing [`SO_BINDTODEVICE`]
//!   (`CAP_NET_RAW`); [`SO_DEBUG`] fails with `EACCES` rather than `EPERM`.
//!
//! # Platforms
//! The tables are Linux's. The classic options (Stevens' `checkopts` set,
//! multicast membership) are also declared for the other Unix systems where the
//! `libc` crate has them; those are untested.

mod codec;
mod ip;
mod ipv6;
mod mreq;
mod socket;
mod tcp;
#[cfg(target_os = "linux")]
mod tcp_info;
mod udp;
mod value;

use std::fmt;
use std::marker::PhantomData;
use std::os::fd::AsFd;

use crate::error::Context;
use crate::{Error, Result, Socket, sys};

pub use codec::{Decode, Encode, Linger, Micros, Millis, Secs, Timeval};
pub use ip::*;
pub use ipv6::*;
#[cfg(target_os = "linux")]
pub use mreq::IpMreqn;
pub use mreq::{IpMreq, IpMreqSource, Ipv6Mreq};
pub use socket::*;
pub use tcp::*;
#[cfg(target_os = "linux")]
pub use tcp_info::{TcpInfo, TcpState};
pub use udp::*;
pub use value::Name;
#[cfg(target_os = "linux")]
pub use value::{PmtuDisc, UCred};
#[cfg(target_os = "linux")]
pub use value::{SockFilter, SockFprog, SockTxtime, TcpRepair, TimestampingFlags, TxtimeFlags};

mod access {
    /// Keeps the access markers closed.
    pub trait Sealed {}
}

/// Access marker: the option can only be read ([`getsockopt`]).
#[derive(Debug)]
pub enum ReadOnly {}
/// Access marker: the option can only be written ([`setsockopt`]).
#[derive(Debug)]
pub enum WriteOnly {}
/// Access marker: the option can be read and written.
#[derive(Debug)]
pub enum ReadWrite {}

impl access::Sealed for ReadOnly {}
impl access::Sealed for WriteOnly {}
impl access::Sealed for ReadWrite {}

/// Access that allows [`getsockopt`]: [`ReadOnly`] and [`ReadWrite`].
#[diagnostic::on_unimplemented(
    message = "this socket option is write-only: it cannot be passed to getsockopt",
    label = "write-only option"
)]
pub trait Get: access::Sealed {}
impl Get for ReadOnly {}
impl Get for ReadWrite {}

/// Access that allows [`setsockopt`]: [`WriteOnly`] and [`ReadWrite`].
#[diagnostic::on_unimplemented(
    message = "this socket option is read-only: it cannot be passed to setsockopt",
    label = "read-only option"
)]
pub trait Set: access::Sealed {}
impl Set for WriteOnly {}
impl Set for ReadWrite {}

/// A socket option: level, number and C name, with its value type `V`, its
/// access `A` ([`ReadOnly`], [`WriteOnly`], [`ReadWrite`]) and its codec `C` (the
/// C representation; by default `V` itself) in the type.
///
/// The constants of this module are the options C has; [`Opt::new`] declares one
/// it does not list.
pub struct Opt<V, A, C = V> {
    level: i32,
    optname: i32,
    name: &'static str,
    get_call: &'static str,
    set_call: &'static str,
    marker: Marker<V, A, C>,
}

/// Carries the type parameters without owning a value: `Opt` is `Copy`, `Send`
/// and `Sync` whatever they are.
type Marker<V, A, C> = PhantomData<fn() -> (V, A, C)>;

impl<V, A, C> Opt<V, A, C> {
    /// Declares an option this crate does not list. Errors name it by the call
    /// alone (`getsockopt: ...`), since the C name cannot be pasted into a static
    /// string at run time.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, setsockopt, Opt, ReadWrite};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// // SO_PREFER_BUSY_POLL (Linux 5.11), an int flag.
    /// const SO_PREFER_BUSY_POLL: Opt<bool, ReadWrite> = Opt::new(libc::SOL_SOCKET, 69, "SO_PREFER_BUSY_POLL");
    /// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    /// setsockopt(&s, SO_PREFER_BUSY_POLL, true)?;
    /// assert!(getsockopt(&s, SO_PREFER_BUSY_POLL)?);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub const fn new(level: i32, optname: i32, name: &'static str) -> Self {
        Opt::named(level, optname, name, "getsockopt", "setsockopt")
    }

    /// An option of the tables, with the call names its errors carry.
    pub(crate) const fn named(
        level: i32,
        optname: i32,
        name: &'static str,
        get_call: &'static str,
        set_call: &'static str,
    ) -> Self {
        Opt { level, optname, name, get_call, set_call, marker: PhantomData }
    }

    /// The `level` argument (`SOL_SOCKET`, `IPPROTO_IP`, ...).
    ///
    /// ```
    /// assert_eq!(bsdsock::opt::IPV6_MULTICAST_HOPS.level(), libc::IPPROTO_IPV6);
    /// ```
    pub const fn level(&self) -> i32 {
        self.level
    }

    /// The `optname` argument (the value of `SO_REUSEADDR`, ...).
    ///
    /// ```
    /// assert_eq!(bsdsock::opt::SO_REUSEADDR.optname(), libc::SO_REUSEADDR);
    /// ```
    pub const fn optname(&self) -> i32 {
        self.optname
    }

    /// The C name (`"SO_REUSEADDR"`).
    ///
    /// ```
    /// assert_eq!(bsdsock::opt::TCP_NODELAY.name(), "TCP_NODELAY");
    /// ```
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<V, A, C> Clone for Opt<V, A, C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<V, A, C> Copy for Opt<V, A, C> {}

impl<V, A, C> fmt::Debug for Opt<V, A, C> {
    /// `SO_RCVBUF (level 1, optname 8)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (level {}, optname {})", self.name, self.level, self.optname)
    }
}

/// `getsockopt(2)`: reads option `opt` of the socket.
///
/// Only options that can be read are accepted (a compile error otherwise). The
/// value is checked: a length or value that does not fit the Rust type is
/// [`Error::Decode`]. An int option costs the system call and one compare that
/// checks the length and the range together, nothing more.
///
/// ```
/// use bsdsock::opt::{getsockopt, SO_ACCEPTCONN, SO_ERROR};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// s.bind(&"127.0.0.1:0".parse()?)?;
/// assert!(!getsockopt(&s, SO_ACCEPTCONN)?);
/// s.listen(1)?;
/// assert!(getsockopt(&s, SO_ACCEPTCONN)?);
/// assert_eq!(getsockopt(&s, SO_ERROR)?, None);
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[inline]
pub fn getsockopt<V, A: Get, C: Decode<V>>(fd: impl AsFd, opt: Opt<V, A, C>) -> Result<V> {
    C::get(fd.as_fd(), opt.level, opt.optname, opt.get_call)
}

/// `setsockopt(2)`: sets option `opt` of the socket to `value`.
///
/// Only options that can be written are accepted (a compile error otherwise).
/// `value` is checked against the C type first: what C cannot hold is
/// [`Error::InvalidInput`], before any system call.
///
/// ```
/// use bsdsock::opt::{getsockopt, setsockopt, IP_TTL, SO_KEEPALIVE};
/// use bsdsock::{socket, Domain, Errno, Protocol, Type};
/// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// setsockopt(&s, SO_KEEPALIVE, true)?;
/// setsockopt(&s, IP_TTL, 32)?;
/// assert_eq!(getsockopt(&s, IP_TTL)?, 32);
/// // IP_TTL is a u8, so 256 does not compile; 0 is a u8 the kernel refuses (1..=255).
/// let err = setsockopt(&s, IP_TTL, 0).unwrap_err();
/// assert_eq!(err.errno(), Some(Errno::EINVAL));
/// assert_eq!(err.to_string(), "setsockopt(IP_TTL): Invalid argument (EINVAL)");
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[inline]
pub fn setsockopt<V, A: Set, C: Encode<T>, T>(
    fd: impl AsFd,
    opt: Opt<V, A, C>,
    value: T,
) -> Result<()> {
    C::set(fd.as_fd(), opt.level, opt.optname, opt.set_call, value)
}

/// `getsockopt(2)` into a byte buffer: the escape hatch for an option this crate
/// does not type. Returns how many bytes the kernel wrote. If the kernel reports
/// more than `buf` holds, that is [`Error::Decode`] rather than a silently
/// truncated value.
///
/// ```
/// use bsdsock::opt::getsockopt_raw;
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// let mut buf = [0u8; 4];
/// let n = getsockopt_raw(&s, libc::SOL_SOCKET, libc::SO_TYPE, &mut buf)?;
/// assert_eq!((n, i32::from_ne_bytes(buf)), (4, libc::SOCK_DGRAM));
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn getsockopt_raw(fd: impl AsFd, level: i32, name: i32, buf: &mut [u8]) -> Result<usize> {
    let len = sys::getsockopt(fd.as_fd(), level, name, buf).ctx("getsockopt")?;
    if len > buf.len() {
        return Err(Error::decode(
            "getsockopt",
            format!("the kernel reported {len} bytes for a {}-byte buffer", buf.len()),
        ));
    }
    Ok(len)
}

/// `setsockopt(2)` from a byte buffer: the escape hatch for an option this crate
/// does not type. `value` is passed as is, its length as `optlen`.
///
/// ```
/// use bsdsock::opt::{getsockopt, setsockopt_raw, SO_KEEPALIVE};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// setsockopt_raw(&s, libc::SOL_SOCKET, libc::SO_KEEPALIVE, &1i32.to_ne_bytes())?;
/// assert!(getsockopt(&s, SO_KEEPALIVE)?);
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn setsockopt_raw(fd: impl AsFd, level: i32, name: i32, value: &[u8]) -> Result<()> {
    sys::setsockopt_bytes(fd.as_fd(), level, name, value).ctx("setsockopt")
}

impl Socket {
    /// `getsockopt(2)`; see [`getsockopt`].
    ///
    /// ```
    /// use bsdsock::opt::SO_TYPE;
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// assert_eq!(s.get(SO_TYPE)?, bsdsock::Type::DGRAM);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    #[doc(alias = "getsockopt")]
    pub fn get<V, A: Get, C: Decode<V>>(&self, opt: Opt<V, A, C>) -> Result<V> {
        getsockopt(self, opt)
    }

    /// `setsockopt(2)`; see [`setsockopt`].
    ///
    /// ```
    /// use bsdsock::opt::TCP_NODELAY;
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::STREAM, Default::default())?;
    /// s.set(TCP_NODELAY, true)?;
    /// assert!(s.get(TCP_NODELAY)?);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    #[doc(alias = "setsockopt")]
    pub fn set<V, A: Set, C: Encode<T>, T>(&self, opt: Opt<V, A, C>, value: T) -> Result<()> {
        setsockopt(self, opt, value)
    }
}

/// Declares one level's options, one line each:
/// `NAME: access value_type [as codec];` where access is `r`, `w` or `rw`;
/// `NAME = OTHER: ...` for a C name that libc only has as `OTHER`.
/// The generated docs start with the level, the C name, the access and the
/// value type; the line's own docs follow.
macro_rules! options {
    (
        level = $level:ident;
        $(
            $(#[$attr:meta])*
            $name:ident $(= $alias_of:ident)? : $access:ident $v:ty $(as $codec:ty)? ;
        )*
    ) => {
        $(
            options!(@one $level, $name [$($alias_of)?], $access, [$v], [$($codec)?], $(#[$attr])*);
        )*
    };

    (@one $level:ident, $name:ident [$($alias_of:ident)?], $access:ident, [$v:ty], [$($codec:ty)?], $(#[$attr:meta])*) => {
        #[doc = concat!(
            "`", stringify!($name), "` — level `", stringify!($level), "`, ",
            options!(@access_doc $access), ", value `", stringify!($v), "`",
            $(" (codec [`", stringify!($codec), "`])",)?
            "."
        )]
        #[doc = ""]
        $(#[$attr])*
        pub const $name: $crate::opt::Opt<$v, options!(@access $access), options!(@codec [$v] $($codec)?)> =
            $crate::opt::Opt::named(
                libc::$level,
                options!(@optname $name $($alias_of)?),
                stringify!($name),
                concat!("getsockopt(", stringify!($name), ")"),
                concat!("setsockopt(", stringify!($name), ")"),
            );
    };

    (@access r) => { $crate::opt::ReadOnly };
    (@access w) => { $crate::opt::WriteOnly };
    (@access rw) => { $crate::opt::ReadWrite };
    (@access_doc r) => { "read-only" };
    (@access_doc w) => { "write-only" };
    (@access_doc rw) => { "read-write" };
    (@optname $name:ident) => { libc::$name };
    (@optname $name:ident $alias_of:ident) => { libc::$alias_of };
    (@codec [$v:ty]) => { $v };
    (@codec [$v:ty] $codec:ty) => { $codec };
}
use options;
