//! Socket options, typed: [`getsockopt(2)`](https://man7.org/linux/man-pages/man2/getsockopt.2.html)
//! and [`setsockopt(2)`](https://man7.org/linux/man-pages/man2/setsockopt.2.html).
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
//! type. [`Opt::decode`] turns bytes read some other way (io_uring's
//! `SOCKET_URING_OP_GETSOCKOPT`, `getsockopt_raw`) into the typed value, with
//! the checks of [`getsockopt`].
//!
//! The options are in one table per level, as the man pages list them:
//! `SOL_SOCKET` in [`socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html),
//! `IPPROTO_IP` in [`ip(7)`](https://man7.org/linux/man-pages/man7/ip.7.html),
//! `IPPROTO_IPV6` in [`ipv6(7)`](https://man7.org/linux/man-pages/man7/ipv6.7.html),
//! `IPPROTO_TCP` in [`tcp(7)`](https://man7.org/linux/man-pages/man7/tcp.7.html) and
//! `IPPROTO_UDP` in [`udp(7)`](https://man7.org/linux/man-pages/man7/udp.7.html).
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
//!   `Some(Duration::ZERO)` is refused because C would read it as "no timeout",
//!   and so is a duration above [`Timeval::MAX`], which Linux would store as
//!   "no timeout" too.
//! - [`SO_PEERCRED`] on a socket with no peer process (TCP, UDP) is not an
//!   error: it reads `pid` 0 and `uid` / `gid` `u32::MAX` (C's `-1`).
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
//!
//! # Adding an option
//!
//! An option is one line in its level's table (`src/opt/socket.rs`, `ip.rs`,
//! `ipv6.rs`, `tcp.rs`, `udp.rs`), and one row in the tests (`tests/opt/`),
//! which fail while an option of the tables has no row. The line names the
//! access (`r`, `w`, `rw`), the Rust value type and, when the value type is not
//! its own codec, the codec after `as`. `TCP_NOTSENT_LOWAT`, an `int` where `-1`
//! means "no limit", is:
//!
//! ```text
//! // src/opt/tcp.rs, in `options! { level = IPPROTO_TCP, man = tcp; ... }`
//! /// Queue no more than this many unsent bytes ... (its docs, with an example)
//! #[cfg(target_os = "linux")]
//! TCP_NOTSENT_LOWAT: rw Option<usize>;
//!
//! // tests/opt/tcp.rs, its row: set typed Some(1000), libc reads 1000; libc
//! // sets -1, typed reads None
//! both(tcp4, opt::TCP_NOTSENT_LOWAT, IPPROTO_TCP, libc::TCP_NOTSENT_LOWAT, Some(1000), 1000, -1, None),
//! ```
//!
//! That is all: `Option<usize>` is already a codec (in `src/opt/int.rs`), and
//! the call itself is made by [`getsockopt`] and [`setsockopt`], once for every
//! option. A name that `libc` spells differently is `NAME = LIBC_NAME: ...`.
//!
//! A value type that is new is one type and its conversion, in one file. A
//! codec is a pure conversion: it names the C shape the kernel reads and writes
//! (`libc::c_int`, `Fixed<struct>` to read and the struct itself to write, or
//! `Bytes<N>`), and converts between that and the Rust value, returning a
//! `Refusal` for what does not fit; it never makes the call. A struct-valued
//! option, say `SO_TXTIME` with `struct sock_txtime`, takes:
//!
//! ```text
//! // src/opt/timestamp.rs: the Rust type, with the fields named as in C
//! pub struct SockTxtime { pub clockid: i32, pub flags: TxtimeFlags }
//!
//! impl Sealed for SockTxtime {}
//! impl Decode<SockTxtime> for SockTxtime {
//!     type C = Fixed<libc::sock_txtime>; // read: the struct, with the length
//!     fn decode(c: Fixed<libc::sock_txtime>) -> Result<SockTxtime, Refusal> {
//!         let t = c.exact()?; // a short answer is a decode error
//!         Ok(SockTxtime { clockid: t.clockid, flags: TxtimeFlags::from_bits_retain(t.flags) })
//!     }
//! }
//! impl Encode<SockTxtime> for SockTxtime {
//!     type C = libc::sock_txtime; // written as its bytes
//!     fn encode(v: SockTxtime) -> Result<libc::sock_txtime, Refusal> {
//!         Ok(libc::sock_txtime { clockid: v.clockid, flags: v.flags.bits() })
//!     }
//! }
//!
//! // src/opt/socket.rs
//! SO_TXTIME: rw SockTxtime;
//!
//! // tests/opt/socket.rs, its row: a check that sets a value typed and reads it
//! // back through libc, and the reverse
//! custom(&[named(opt::SO_TXTIME)], so_txtime),
//! ```
//!
//! plus, when `libc`'s struct is new to the crate, its name in the `pod!` list
//! of `src/sys/pod.rs` (the promise that any bytes make a valid value).

mod access;
mod codec;
#[cfg(target_os = "linux")]
mod consts;
#[cfg(target_os = "linux")]
mod filter;
mod int;
mod ip;
mod ipv6;
mod mreq;
mod name;
mod peer;
mod shape;
mod socket;
mod table;
mod tcp;
#[cfg(target_os = "linux")]
mod tcp_info;
mod time;
#[cfg(target_os = "linux")]
mod timestamp;
mod udp;

use std::os::fd::AsFd;

use crate::error::Context;
use crate::{Error, Reason, Result, Socket, sys};
use codec::os_error;
use shape::{Fetch, Store};
use table::options;

pub use access::{Get, ReadOnly, ReadWrite, Set, WriteOnly};
pub use codec::{Decode, Encode};
#[cfg(target_os = "linux")]
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
pub use consts::{PmtuDisc, TcpRepair, TcpState};
#[cfg(target_os = "linux")]
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
pub use filter::{SockFilter, SockFprog};
pub use ip::*;
pub use ipv6::*;
#[cfg(target_os = "linux")]
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
pub use mreq::IpMreqSource;
#[cfg(target_os = "linux")]
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
pub use mreq::IpMreqn;
pub use mreq::{IpMreq, Ipv6Mreq};
pub use name::Name;
#[cfg(target_os = "linux")]
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
pub use peer::UCred;
pub use socket::*;
#[doc(hidden)]
pub use table::Declared;
pub use table::Opt;
pub use tcp::*;
#[cfg(target_os = "linux")]
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
pub use tcp_info::TcpInfo;
pub use time::{Linger, Micros, Millis, Secs, Timeval};
#[cfg(target_os = "linux")]
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
pub use timestamp::{SockTxtime, TimestampingFlags, TxtimeFlags};
#[cfg(target_os = "linux")]
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
pub use udp::*;

/// Every option of the tables, level by level: what the tests check that each
/// has a row.
#[doc(hidden)]
pub const TABLES: [&[Declared]; 5] =
    [socket::TABLE, ip::TABLE, ipv6::TABLE, tcp::TABLE, udp::TABLE];

/// [`getsockopt(2)`](https://man7.org/linux/man-pages/man2/getsockopt.2.html):
/// reads option `opt` of the socket.
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
    if let Err(r) = C::check(opt.level, opt.optname) {
        return Err(r.into_error(opt.get_call));
    }
    match C::C::fetch(fd.as_fd(), opt.level, opt.optname) {
        Ok(c) => match C::decode(c) {
            Ok(v) => Ok(v),
            Err(r) => Err(r.into_error(opt.get_call)),
        },
        Err(errno) => Err(os_error(opt.get_call, errno)),
    }
}

impl<V, A: Get, C: Decode<V>> Opt<V, A, C> {
    /// Decodes a value of this option from `raw`, every byte the kernel wrote
    /// for it (`raw.len()` is the `optlen` it reported), with the checks of
    /// [`getsockopt`]: for a value read some other way, by [`getsockopt_raw`]
    /// or by io_uring's `SOCKET_URING_OP_GETSOCKOPT`. A length or value that
    /// does not fit the Rust type is [`Error::Decode`], as from `getsockopt`;
    /// a `tcp_info` longer than this crate's is a newer kernel's, kept to the
    /// fields [`TcpInfo`](crate::opt::TcpInfo) knows. A descriptor
    /// (`SO_PEERPIDFD`) never comes from bytes: a number could be anyone's,
    /// so that is [`Error::InvalidInput`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use bsdsock::opt::{getsockopt_raw, SO_LINGER, SO_RCVBUF};
    /// use bsdsock::{socket, Domain, Error, Protocol, Type};
    /// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    /// s.set(SO_LINGER, Some(Duration::from_secs(3)))?;
    /// let mut buf = [0u8; 64];
    /// let n = getsockopt_raw(&s, SO_LINGER.level(), SO_LINGER.optname(), &mut buf)?;
    /// assert_eq!(SO_LINGER.decode(&buf[..n])?, Some(Duration::from_secs(3)));
    /// assert_eq!(SO_RCVBUF.decode(&4096i32.to_ne_bytes())?, 4096);
    /// // Two bytes are no C int; -1 is no size.
    /// assert!(matches!(SO_RCVBUF.decode(&[0, 16]), Err(Error::Decode { .. })));
    /// assert!(matches!(SO_RCVBUF.decode(&(-1i32).to_ne_bytes()), Err(Error::Decode { .. })));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn decode(&self, raw: &[u8]) -> Result<V> {
        C::check(self.level, self.optname)
            .and_then(|()| C::C::from_bytes(raw))
            .and_then(C::decode)
            .map_err(|r| r.into_error(self.get_call))
    }
}

/// [`setsockopt(2)`](https://man7.org/linux/man-pages/man2/setsockopt.2.html):
/// sets option `opt` of the socket to `value`.
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
    let c = match C::encode(value) {
        Ok(c) => c,
        Err(r) => return Err(r.into_error(opt.set_call)),
    };
    match c.store(fd.as_fd(), opt.level, opt.optname) {
        Ok(()) => Ok(()),
        Err(errno) => Err(os_error(opt.set_call, errno)),
    }
}

/// [`getsockopt(2)`](https://man7.org/linux/man-pages/man2/getsockopt.2.html)
/// into a byte buffer: the escape hatch for an option this crate
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
            Reason::TooLong { what: "the kernel's answer", len, max: buf.len() },
        ));
    }
    Ok(len)
}

/// [`setsockopt(2)`](https://man7.org/linux/man-pages/man2/setsockopt.2.html)
/// from a byte buffer: the escape hatch for an option this crate
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
    /// [`getsockopt(2)`](https://man7.org/linux/man-pages/man2/getsockopt.2.html);
    /// see [`getsockopt`].
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

    /// [`setsockopt(2)`](https://man7.org/linux/man-pages/man2/setsockopt.2.html);
    /// see [`setsockopt`].
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
