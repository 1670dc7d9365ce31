//! Timestamping and timed transmission (Linux): the flags of `SO_TIMESTAMPING`
//! and the `struct sock_txtime` of `SO_TXTIME`.

use super::codec::{Decode, Encode, Refusal, Sealed};
use super::shape::{Fixed, Int};

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

impl Sealed for TimestampingFlags {}
/// An `int` of flags. Linux answers with `struct so_timestamping` when asked for
/// 8 bytes; asked for 4 it answers with the flags alone, which is what is read.
impl Decode<TimestampingFlags> for TimestampingFlags {
    type C = Int;
    #[inline]
    fn decode(a: Int) -> Result<TimestampingFlags, Refusal> {
        Ok(TimestampingFlags::from_bits_retain(a.whole()? as u32))
    }
}
impl Encode<TimestampingFlags> for TimestampingFlags {
    type C = libc::c_int;
    #[inline]
    fn encode(v: TimestampingFlags) -> Result<libc::c_int, Refusal> {
        Ok(v.bits() as i32)
    }
}

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[doc(alias = "sock_txtime")]
pub struct SockTxtime {
    /// `clockid`: the clock the times are read on (`libc::CLOCK_MONOTONIC`,
    /// `libc::CLOCK_TAI`, ...).
    pub clockid: i32,
    /// `flags`.
    pub flags: TxtimeFlags,
}

impl Sealed for SockTxtime {}
impl Decode<SockTxtime> for SockTxtime {
    type C = Fixed<libc::sock_txtime>;
    #[inline]
    fn decode(c: Fixed<libc::sock_txtime>) -> Result<SockTxtime, Refusal> {
        let t = c.exact()?;
        Ok(SockTxtime { clockid: t.clockid, flags: TxtimeFlags::from_bits_retain(t.flags) })
    }
}
impl Encode<SockTxtime> for SockTxtime {
    type C = libc::sock_txtime;
    #[inline]
    fn encode(v: SockTxtime) -> Result<libc::sock_txtime, Refusal> {
        Ok(libc::sock_txtime { clockid: v.clockid, flags: v.flags.bits() })
    }
}
