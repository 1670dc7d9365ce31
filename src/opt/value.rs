//! The value types of single options: names, enums, flags and small structs, each
//! with its codec.

use std::fmt;
use std::os::fd::BorrowedFd;

use super::codec::{
    Decode, Encode, bad_len, bad_value, get_int, private::Sealed, set_int, too_large,
};
use crate::error::Context;
use crate::sys;
use crate::{Error, Result, SockAddr};

// ---------------------------------------------------------------------------
// Name

/// Bytes a kernel name holds, without its NUL: `IFNAMSIZ - 1` for interfaces,
/// `TCP_CA_NAME_MAX - 1` / `TCP_ULP_NAME_MAX - 1` for TCP algorithms.
const NAME_MAX: usize = 15;
/// What the kernel writes back: the name and its NUL padding.
const NAME_BUF: usize = NAME_MAX + 1;

/// A short kernel name: an interface (`SO_BINDTODEVICE`, at most `IFNAMSIZ - 1` =
/// 15 bytes) or a TCP congestion-control / upper-layer protocol (`TCP_CONGESTION`,
/// `TCP_ULP`, also 15). Kept on the stack; never empty, never longer than the
/// kernel would keep (Linux silently cuts longer names: here that is an error),
/// never containing NUL.
///
/// Options that take a `Name` also take a `&str`, checked the same way.
///
/// ```
/// use bsdsock::opt::{getsockopt, setsockopt, Name, TCP_CONGESTION};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::STREAM, Protocol::TCP)?;
/// setsockopt(&s, TCP_CONGESTION, "reno")?;
/// assert_eq!(getsockopt(&s, TCP_CONGESTION)?, "reno");
/// assert!(Name::new("a-name-that-is-too-long").is_err());
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Name {
    buf: [u8; NAME_MAX],
    len: u8,
}

impl Name {
    /// Checks `name`: 1 to 15 bytes, no NUL.
    ///
    /// ```
    /// let lo = bsdsock::opt::Name::new("lo")?;
    /// assert_eq!(lo.as_str(), "lo");
    /// assert!(bsdsock::opt::Name::new("").is_err());
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn new(name: &str) -> Result<Name> {
        Name::checked(name, "Name::new")
    }

    fn checked(name: &str, call: &'static str) -> Result<Name> {
        let bytes = name.as_bytes();
        if bytes.is_empty() {
            return Err(Error::invalid(call, "empty name"));
        }
        if bytes.len() > NAME_MAX {
            return Err(too_large(call, "name longer than the kernel's 15 bytes (IFNAMSIZ - 1)"));
        }
        if bytes.contains(&0) {
            return Err(Error::invalid(call, "name contains a NUL byte"));
        }
        let mut buf = [0u8; NAME_MAX];
        buf[..bytes.len()].copy_from_slice(bytes);
        Ok(Name { buf, len: bytes.len() as u8 })
    }

    /// The name as text.
    ///
    /// ```
    /// assert_eq!(bsdsock::opt::Name::new("cubic")?.as_str(), "cubic");
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn as_str(&self) -> &str {
        // Built only from a &str or from bytes checked with from_utf8.
        std::str::from_utf8(&self.buf[..usize::from(self.len)]).unwrap_or_default()
    }

    /// Decodes what the kernel wrote: the name, then NULs (or nothing after it).
    /// `Ok(None)` for an empty answer.
    pub(crate) fn from_kernel(raw: &[u8], call: &'static str) -> Result<Option<Name>> {
        let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
        if end == 0 {
            return Ok(None);
        }
        if end > NAME_MAX {
            return Err(Error::decode(call, "name without a NUL within 16 bytes"));
        }
        let text = std::str::from_utf8(&raw[..end])
            .map_err(|_| Error::decode(call, "name is not UTF-8"))?;
        Name::checked(text, call).map(Some)
    }

    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<Option<Name>> {
        let mut buf = [0u8; NAME_BUF];
        let len = sys::getsockopt(fd, level, name, &mut buf).ctx(call)?;
        if len > NAME_BUF {
            return Err(bad_len(call, len, NAME_BUF));
        }
        Name::from_kernel(&buf[..len], call)
    }

    fn set(self, fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<()> {
        // The kernel copies optlen bytes and terminates them itself.
        sys::setsockopt_bytes(fd, level, name, &self.buf[..usize::from(self.len)]).ctx(call)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::str::FromStr for Name {
    type Err = Error;
    fn from_str(s: &str) -> Result<Name> {
        Name::new(s)
    }
}

impl TryFrom<&str> for Name {
    type Error = Error;
    fn try_from(s: &str) -> Result<Name> {
        Name::new(s)
    }
}

impl Sealed for Name {}
impl Decode<Name> for Name {
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<Name> {
        Name::get(fd, level, name, call)?.ok_or_else(|| Error::decode(call, "empty name"))
    }
}
impl Encode<Name> for Name {
    fn set(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str, v: Name) -> Result<()> {
        v.set(fd, level, name, call)
    }
}
impl<'a> Encode<&'a str> for Name {
    fn set(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
        v: &'a str,
    ) -> Result<()> {
        Name::checked(v, call)?.set(fd, level, name, call)
    }
}

impl Sealed for Option<Name> {}
/// `SO_BINDTODEVICE`: `None` is "not bound" (the kernel answers with length 0).
impl Decode<Option<Name>> for Option<Name> {
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<Option<Name>> {
        Name::get(fd, level, name, call)
    }
}
/// `None` unbinds (an empty value).
impl Encode<Option<Name>> for Option<Name> {
    fn set(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
        v: Option<Name>,
    ) -> Result<()> {
        match v {
            Some(n) => n.set(fd, level, name, call),
            None => sys::setsockopt_bytes(fd, level, name, &[]).ctx(call),
        }
    }
}
impl Encode<Name> for Option<Name> {
    fn set(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str, v: Name) -> Result<()> {
        v.set(fd, level, name, call)
    }
}
impl<'a> Encode<&'a str> for Option<Name> {
    fn set(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
        v: &'a str,
    ) -> Result<()> {
        Name::checked(v, call)?.set(fd, level, name, call)
    }
}

// ---------------------------------------------------------------------------
// Enums carried in an int.

macro_rules! int_enum {
    (
        $(#[$meta:meta])*
        pub enum $ty:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $value:expr, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $ty {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $ty {
            /// The C value.
            pub const fn as_raw(self) -> i32 {
                match self {
                    $( $ty::$variant => $value, )*
                }
            }

            /// The variant for a C value, if there is one.
            pub const fn from_raw(raw: i32) -> Option<$ty> {
                $( if raw == $value { return Some($ty::$variant); } )*
                None
            }
        }

        impl Sealed for $ty {}
        impl Decode<$ty> for $ty {
            #[inline]
            fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<$ty> {
                let v = get_int(fd, level, name, call)?;
                $ty::from_raw(v).ok_or_else(|| bad_value(call, $what, v))
            }
        }
        impl Encode<$ty> for $ty {
            #[inline]
            fn set(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str, v: $ty) -> Result<()> {
                set_int(fd, level, name, call, v.as_raw())
            }
        }
    };
}

#[cfg(target_os = "linux")]
int_enum! {
    /// Path-MTU discovery mode: the value of `IP_MTU_DISCOVER` and
    /// `IPV6_MTU_DISCOVER` (`IP_PMTUDISC_*`, `IPV6_PMTUDISC_*`, which share their
    /// values). A mode the kernel reports that is not listed here is a decode error.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, setsockopt, PmtuDisc, IP_MTU_DISCOVER};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    /// setsockopt(&s, IP_MTU_DISCOVER, PmtuDisc::Do)?; // set DF, never fragment locally
    /// assert_eq!(getsockopt(&s, IP_MTU_DISCOVER)?, PmtuDisc::Do);
    /// assert_eq!(PmtuDisc::Probe.as_raw(), libc::IP_PMTUDISC_PROBE);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[doc(alias = "IP_PMTUDISC_DO")]
    pub enum PmtuDisc ("path-MTU discovery mode") {
        /// `IP_PMTUDISC_DONT`: never set DF; fragment as needed.
        Dont = libc::IP_PMTUDISC_DONT,
        /// `IP_PMTUDISC_WANT`: discover per route (the default for TCP and UDP).
        Want = libc::IP_PMTUDISC_WANT,
        /// `IP_PMTUDISC_DO`: always set DF; a datagram above the path MTU fails
        /// with `EMSGSIZE`.
        Do = libc::IP_PMTUDISC_DO,
        /// `IP_PMTUDISC_PROBE`: set DF but ignore the path MTU (for probing tools).
        Probe = libc::IP_PMTUDISC_PROBE,
        /// `IP_PMTUDISC_INTERFACE`: use the interface MTU, ignore ICMP "too big".
        Interface = libc::IP_PMTUDISC_INTERFACE,
        /// `IP_PMTUDISC_OMIT`: like `Interface`, but fragment larger packets and
        /// do not set DF on them.
        Omit = libc::IP_PMTUDISC_OMIT,
    }
}

#[cfg(target_os = "linux")]
int_enum! {
    /// The value of `TCP_REPAIR` (Linux, needs `CAP_NET_ADMIN`): put a socket in
    /// repair mode to checkpoint or restore a connection (CRIU).
    ///
    /// ```
    /// use bsdsock::opt::TcpRepair;
    /// assert_eq!(TcpRepair::On.as_raw(), 1);
    /// assert_eq!(TcpRepair::from_raw(-1), Some(TcpRepair::OffNoWindowProbe));
    /// ```
    pub enum TcpRepair ("TCP repair mode") {
        /// `TCP_REPAIR_OFF` (0): normal operation.
        Off = 0,
        /// `TCP_REPAIR_ON` (1): repair mode.
        On = 1,
        /// `TCP_REPAIR_OFF_NO_WP` (-1): leave repair mode without sending a window
        /// probe.
        #[doc(alias = "TCP_REPAIR_OFF_NO_WP")]
        OffNoWindowProbe = -1,
    }
}

// ---------------------------------------------------------------------------
// Credentials, descriptors, addresses.

/// `struct ucred`: the credentials of the process at the other end of a Unix
/// socket (`SO_PEERCRED`), as they were when it called `connect` or
/// `socketpair`.
///
/// ```
/// use bsdsock::opt::{getsockopt, SO_PEERCRED};
/// use bsdsock::{socketpair, Domain, Type};
/// let (a, _b) = socketpair(Domain::UNIX, Type::STREAM, Default::default())?;
/// let cred = getsockopt(&a, SO_PEERCRED)?;
/// assert_eq!(cred.pid, std::process::id() as i32);
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[cfg(target_os = "linux")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[doc(alias = "ucred")]
pub struct UCred {
    /// `pid`: the peer's process id.
    pub pid: i32,
    /// `uid`: its effective user id.
    pub uid: u32,
    /// `gid`: its effective group id.
    pub gid: u32,
}

#[cfg(target_os = "linux")]
impl Sealed for UCred {}
#[cfg(target_os = "linux")]
impl Decode<UCred> for UCred {
    #[inline]
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<UCred> {
        let c = super::codec::get_fixed::<libc::ucred>(fd, level, name, call)?;
        Ok(UCred { pid: c.pid, uid: c.uid, gid: c.gid })
    }
}

#[cfg(target_os = "linux")]
impl Sealed for std::os::fd::OwnedFd {}
/// `SO_PEERPIDFD`: a descriptor the kernel creates for us, owned from then on.
///
/// Only for `SO_PEERPIDFD` itself: an int read from any other option is no
/// descriptor of ours, and owning it would close someone else's. An [`Opt`]
/// declared with [`Opt::new`](super::Opt::new) that pairs this codec with another
/// level or name is refused before the call.
///
/// [`Opt`]: super::Opt
#[cfg(target_os = "linux")]
impl Decode<std::os::fd::OwnedFd> for std::os::fd::OwnedFd {
    fn get(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
    ) -> Result<std::os::fd::OwnedFd> {
        if (level, name) != (libc::SOL_SOCKET, libc::SO_PEERPIDFD) {
            return Err(Error::invalid(call, "only SO_PEERPIDFD returns a descriptor"));
        }
        sys::getsockopt_fd(fd, level, name)
            .ctx(call)?
            .ok_or_else(|| Error::decode(call, "not a whole int descriptor"))
    }
}

impl Sealed for SockAddr {}
/// `SO_ORIGINAL_DST`: a `sockaddr` the kernel fills, decoded like the address of
/// `getsockname`.
impl Decode<SockAddr> for SockAddr {
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<SockAddr> {
        let (ss, len) = sys::getsockopt_val::<libc::sockaddr_storage>(fd, level, name).ctx(call)?;
        let raw = sys::bytes_of(&ss);
        if len > raw.len() {
            return Err(bad_len(call, len, raw.len()));
        }
        SockAddr::from_kernel(&raw[..len], call)
    }
}

// ---------------------------------------------------------------------------
// Timestamping and transmit time (Linux).

#[cfg(target_os = "linux")]
bitflags::bitflags! {
    /// The flags of `SO_TIMESTAMPING` (`SOF_TIMESTAMPING_*`): which timestamps to
    /// generate and how to report them. Bits the kernel reports that have no name
    /// here are kept.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, setsockopt, TimestampingFlags as F, SO_TIMESTAMPING};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    /// setsockopt(&s, SO_TIMESTAMPING, F::RX_SOFTWARE | F::SOFTWARE)?;
    /// assert_eq!(getsockopt(&s, SO_TIMESTAMPING)?, F::RX_SOFTWARE | F::SOFTWARE);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    #[doc(alias = "SOF_TIMESTAMPING_SOFTWARE")]
    pub struct TimestampingFlags: u32 {
        /// `SOF_TIMESTAMPING_TX_HARDWARE`.
        const TX_HARDWARE = libc::SOF_TIMESTAMPING_TX_HARDWARE;
        /// `SOF_TIMESTAMPING_TX_SOFTWARE`.
        const TX_SOFTWARE = libc::SOF_TIMESTAMPING_TX_SOFTWARE;
        /// `SOF_TIMESTAMPING_RX_HARDWARE`.
        const RX_HARDWARE = libc::SOF_TIMESTAMPING_RX_HARDWARE;
        /// `SOF_TIMESTAMPING_RX_SOFTWARE`.
        const RX_SOFTWARE = libc::SOF_TIMESTAMPING_RX_SOFTWARE;
        /// `SOF_TIMESTAMPING_SOFTWARE`: report software timestamps.
        const SOFTWARE = libc::SOF_TIMESTAMPING_SOFTWARE;
        /// `SOF_TIMESTAMPING_SYS_HARDWARE` (obsolete).
        const SYS_HARDWARE = libc::SOF_TIMESTAMPING_SYS_HARDWARE;
        /// `SOF_TIMESTAMPING_RAW_HARDWARE`: report raw hardware timestamps.
        const RAW_HARDWARE = libc::SOF_TIMESTAMPING_RAW_HARDWARE;
        /// `SOF_TIMESTAMPING_OPT_ID`: tag each send with an id.
        const OPT_ID = libc::SOF_TIMESTAMPING_OPT_ID;
        /// `SOF_TIMESTAMPING_TX_SCHED`.
        const TX_SCHED = libc::SOF_TIMESTAMPING_TX_SCHED;
        /// `SOF_TIMESTAMPING_TX_ACK`.
        const TX_ACK = libc::SOF_TIMESTAMPING_TX_ACK;
        /// `SOF_TIMESTAMPING_OPT_CMSG`.
        const OPT_CMSG = libc::SOF_TIMESTAMPING_OPT_CMSG;
        /// `SOF_TIMESTAMPING_OPT_TSONLY`.
        const OPT_TSONLY = libc::SOF_TIMESTAMPING_OPT_TSONLY;
        /// `SOF_TIMESTAMPING_OPT_STATS`.
        const OPT_STATS = libc::SOF_TIMESTAMPING_OPT_STATS;
        /// `SOF_TIMESTAMPING_OPT_PKTINFO`.
        const OPT_PKTINFO = libc::SOF_TIMESTAMPING_OPT_PKTINFO;
        /// `SOF_TIMESTAMPING_OPT_TX_SWHW`.
        const OPT_TX_SWHW = libc::SOF_TIMESTAMPING_OPT_TX_SWHW;
        /// `SOF_TIMESTAMPING_BIND_PHC`.
        const BIND_PHC = libc::SOF_TIMESTAMPING_BIND_PHC;
        /// `SOF_TIMESTAMPING_OPT_ID_TCP`.
        const OPT_ID_TCP = libc::SOF_TIMESTAMPING_OPT_ID_TCP;
        /// `SOF_TIMESTAMPING_OPT_RX_FILTER`.
        const OPT_RX_FILTER = libc::SOF_TIMESTAMPING_OPT_RX_FILTER;
    }
}

#[cfg(target_os = "linux")]
impl Sealed for TimestampingFlags {}
/// An `int` of flags. Linux answers with `struct so_timestamping` when asked for
/// 8 bytes; asked for 4 it answers with the flags alone, which is what is read.
#[cfg(target_os = "linux")]
impl Decode<TimestampingFlags> for TimestampingFlags {
    #[inline]
    fn get(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
    ) -> Result<TimestampingFlags> {
        let v = get_int(fd, level, name, call)?;
        Ok(TimestampingFlags::from_bits_retain(v as u32))
    }
}
#[cfg(target_os = "linux")]
impl Encode<TimestampingFlags> for TimestampingFlags {
    #[inline]
    fn set(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
        v: TimestampingFlags,
    ) -> Result<()> {
        set_int(fd, level, name, call, v.bits() as i32)
    }
}

#[cfg(target_os = "linux")]
bitflags::bitflags! {
    /// The `flags` of [`SockTxtime`] (`SOF_TXTIME_*`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct TxtimeFlags: u32 {
        /// `SOF_TXTIME_DEADLINE_MODE`: the time is a deadline, not a launch time.
        const DEADLINE_MODE = libc::SOF_TXTIME_DEADLINE_MODE;
        /// `SOF_TXTIME_REPORT_ERRORS`: report dropped packets on the error queue.
        const REPORT_ERRORS = libc::SOF_TXTIME_REPORT_ERRORS;
    }
}

/// `struct sock_txtime`: the value of `SO_TXTIME` (Linux): send each packet at the
/// time given in its `SCM_TXTIME` control message, measured on `clockid`. A
/// clock other than `CLOCK_MONOTONIC` needs `CAP_NET_ADMIN`.
///
/// ```
/// use bsdsock::opt::{getsockopt, setsockopt, SockTxtime, TxtimeFlags, SO_TXTIME};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// let t = SockTxtime { clockid: libc::CLOCK_MONOTONIC, flags: TxtimeFlags::REPORT_ERRORS };
/// setsockopt(&s, SO_TXTIME, t)?;
/// assert_eq!(getsockopt(&s, SO_TXTIME)?, t);
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[cfg(target_os = "linux")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[doc(alias = "sock_txtime")]
pub struct SockTxtime {
    /// `clockid`: the clock the times are read on (`libc::CLOCK_MONOTONIC`,
    /// `libc::CLOCK_TAI`, ...).
    pub clockid: i32,
    /// `flags`.
    pub flags: TxtimeFlags,
}

#[cfg(target_os = "linux")]
impl Sealed for SockTxtime {}
#[cfg(target_os = "linux")]
impl Decode<SockTxtime> for SockTxtime {
    #[inline]
    fn get(fd: BorrowedFd<'_>, level: i32, name: i32, call: &'static str) -> Result<SockTxtime> {
        let t = super::codec::get_fixed::<libc::sock_txtime>(fd, level, name, call)?;
        Ok(SockTxtime { clockid: t.clockid, flags: TxtimeFlags::from_bits_retain(t.flags) })
    }
}
#[cfg(target_os = "linux")]
impl Encode<SockTxtime> for SockTxtime {
    #[inline]
    fn set(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
        v: SockTxtime,
    ) -> Result<()> {
        let t = libc::sock_txtime { clockid: v.clockid, flags: v.flags.bits() };
        sys::setsockopt(fd, level, name, &t).ctx(call)
    }
}

// ---------------------------------------------------------------------------
// Classic BPF.

/// One instruction of a classic BPF program (`struct sock_filter`), as `tcpdump
/// -dd` prints them: `{ code, jt, jf, k }`.
///
/// ```
/// use bsdsock::opt::{setsockopt, SockFilter, SO_ATTACH_FILTER, SO_DETACH_FILTER};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// // "ret #0": accept no packet at all.
/// const DROP_ALL: [SockFilter; 1] = [SockFilter::new(0x06, 0, 0, 0)];
/// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// setsockopt(&s, SO_ATTACH_FILTER, &DROP_ALL)?;
/// setsockopt(&s, SO_DETACH_FILTER, ())?;
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[cfg(target_os = "linux")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
#[doc(alias = "sock_filter")]
pub struct SockFilter {
    /// `code`: the operation.
    pub code: u16,
    /// `jt`: jump offset if true.
    pub jt: u8,
    /// `jf`: jump offset if false.
    pub jf: u8,
    /// `k`: the operand.
    pub k: u32,
}

#[cfg(target_os = "linux")]
impl SockFilter {
    /// `BPF_STMT` / `BPF_JUMP` in one: an instruction from its four fields.
    ///
    /// ```
    /// let ret_all = bsdsock::opt::SockFilter::new(0x06, 0, 0, u32::MAX);
    /// assert_eq!(ret_all.k, u32::MAX);
    /// ```
    pub const fn new(code: u16, jt: u8, jf: u8, k: u32) -> SockFilter {
        SockFilter { code, jt, jf, k }
    }
}

/// Marker codec: a classic BPF program as `struct sock_fprog` (`SO_ATTACH_FILTER`,
/// `SO_ATTACH_REUSEPORT_CBPF`). Takes a `&[SockFilter]` or a `&[SockFilter; N]`;
/// a program longer than 65535 instructions (C's `unsigned short len`) is refused
/// before the call, and the kernel refuses more than 4096 (`BPF_MAXINSNS`).
#[cfg(target_os = "linux")]
#[derive(Debug)]
#[doc(alias = "sock_fprog")]
pub enum SockFprog {}

#[cfg(target_os = "linux")]
impl Sealed for SockFprog {}
#[cfg(target_os = "linux")]
impl<'a> Encode<&'a [SockFilter]> for SockFprog {
    fn set(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
        v: &'a [SockFilter],
    ) -> Result<()> {
        let len = u16::try_from(v.len())
            .map_err(|_| too_large(call, "BPF program longer than 65535 instructions"))?;
        sys::setsockopt_fprog(fd, level, name, v, len).ctx(call)
    }
}
#[cfg(target_os = "linux")]
impl<'a, const N: usize> Encode<&'a [SockFilter; N]> for SockFprog {
    fn set(
        fd: BorrowedFd<'_>,
        level: i32,
        name: i32,
        call: &'static str,
        v: &'a [SockFilter; N],
    ) -> Result<()> {
        <SockFprog as Encode<&[SockFilter]>>::set(fd, level, name, call, &v[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert_eq!(Name::new("lo").unwrap(), "lo");
        assert_eq!(Name::new("fifteen-bytes-x").unwrap().as_str().len(), 15);
        assert!(Name::new("sixteen-bytes-xx").is_err());
        assert!(Name::new("a\0b").is_err());
        assert!(Name::new("").is_err());
        let e = Name::checked("sixteen-bytes-xx", "setsockopt(SO_BINDTODEVICE)").unwrap_err();
        assert!(e.to_string().starts_with("setsockopt(SO_BINDTODEVICE): "));
    }

    #[test]
    fn names_from_kernel() {
        let call = "getsockopt(TCP_CONGESTION)";
        assert_eq!(
            Name::from_kernel(b"cubic\0\0\0\0\0\0\0\0\0\0\0", call).unwrap().unwrap(),
            "cubic"
        );
        assert_eq!(Name::from_kernel(b"lo\0", call).unwrap().unwrap(), "lo");
        assert_eq!(Name::from_kernel(b"eth0", call).unwrap().unwrap(), "eth0");
        assert_eq!(Name::from_kernel(b"", call).unwrap(), None);
        assert_eq!(Name::from_kernel(b"\0\0", call).unwrap(), None);
        assert!(matches!(Name::from_kernel(b"0123456789abcdef", call), Err(Error::Decode { .. })));
        assert!(matches!(Name::from_kernel(b"\xff\xfe\0", call), Err(Error::Decode { .. })));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn pmtu_values() {
        for m in [
            PmtuDisc::Dont,
            PmtuDisc::Want,
            PmtuDisc::Do,
            PmtuDisc::Probe,
            PmtuDisc::Interface,
            PmtuDisc::Omit,
        ] {
            assert_eq!(PmtuDisc::from_raw(m.as_raw()), Some(m));
        }
        assert_eq!(PmtuDisc::from_raw(6), None);
        assert_eq!(PmtuDisc::from_raw(-1), None);
    }
}
