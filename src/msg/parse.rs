//! The control-message parser: safe code over the bytes the kernel wrote.

use std::os::fd::{OwnedFd, RawFd};
#[cfg(target_os = "linux")]
use std::time::{Duration, SystemTime};

#[cfg(target_os = "linux")]
use super::types::{In6Pktinfo, InPktinfo, SockExtendedErr, Timestamping};
#[cfg(target_os = "linux")]
use crate::opt::UCred;
use crate::sys::{RawCmsg, RawCmsgs};
#[cfg(target_os = "linux")]
use crate::{Errno, SockAddr, SockAddrIn, SockAddrIn6};

/// A control message received with [`recvmsg`](crate::recvmsg)
/// ([cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)), decoded.
/// The variant is the C `cmsg_type` in CamelCase. A message whose payload is
/// shorter than its C type (cut by a small buffer, `MSG_CTRUNC`) is
/// [`Truncated`](ControlMessageOwned::Truncated), never a value built from
/// partial bytes; one the crate does not type is
/// [`Unknown`](ControlMessageOwned::Unknown), with its bytes.
///
/// ```
/// use bsdsock::{ControlMessageOwned, ControlMessages};
/// // An empty control buffer holds no messages.
/// assert_eq!(ControlMessages::new(&[]).count(), 0);
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ControlMessageOwned {
    /// `SCM_RIGHTS` ([unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)):
    /// descriptors, owned and close-on-exec. From [`RecvMsg::cmsgs`](crate::RecvMsg::cmsgs) only.
    ScmRights(Vec<OwnedFd>),
    /// `SCM_RIGHTS` read by the standalone [`ControlMessages`] parser: the
    /// descriptor numbers as the kernel wrote them. The parser cannot know
    /// whether they are still open or whose they are; wrap each one the kernel
    /// installed for you (e.g. through io_uring) with `OwnedFd::from_raw_fd`.
    ScmRightsRaw(Vec<RawFd>),
    /// `SCM_CREDENTIALS` (`SO_PASSCRED`, [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)).
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    ScmCredentials(UCred),
    /// `SCM_TIMESTAMP` (`SO_TIMESTAMP`, [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)): microseconds.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    ScmTimestamp(SystemTime),
    /// `SCM_TIMESTAMPNS` (`SO_TIMESTAMPNS`): nanoseconds.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    ScmTimestampns(SystemTime),
    /// `SCM_TIMESTAMPING` (`SO_TIMESTAMPING`). Linux switches receive
    /// timestamps on for the whole stack from a work queue, so while no other
    /// socket uses them the first datagrams after the option is set may come
    /// without this message (`SO_TIMESTAMP` stamps such a datagram late instead).
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    ScmTimestamping(Timestamping),
    /// `IP_PKTINFO` ([ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)).
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    IpPktinfo(InPktinfo),
    /// `IPV6_PKTINFO` ([ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)).
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    Ipv6Pktinfo(In6Pktinfo),
    /// `IP_TTL` (`IP_RECVTTL`): received as an int.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    IpTtl(u8),
    /// `IP_TOS` (`IP_RECVTOS`): received as one byte (sent as an int).
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    IpTos(u8),
    /// `IPV6_HOPLIMIT` (`IPV6_RECVHOPLIMIT`).
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    Ipv6Hoplimit(u8),
    /// `IPV6_TCLASS` (`IPV6_RECVTCLASS`).
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    Ipv6Tclass(u8),
    /// `IP_ORIGDSTADDR` (`IP_RECVORIGDSTADDR`): where the datagram was sent.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    IpOrigdstaddr(SockAddrIn),
    /// `IPV6_ORIGDSTADDR` (`IPV6_RECVORIGDSTADDR`).
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    Ipv6Origdstaddr(SockAddrIn6),
    /// `UDP_GRO` ([udp(7)](https://man7.org/linux/man-pages/man7/udp.7.html)):
    /// the size of the coalesced segments (the kernel writes an int).
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    UdpGro(u16),
    /// `SO_RXQ_OVFL`: datagrams dropped so far for lack of buffer space.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    SoRxqOvfl(u32),
    /// `SO_MARK` (`SO_RCVMARK`): the packet's mark.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    SoMark(u32),
    /// `SCM_TXTIME`: a transmit time in nanoseconds.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    ScmTxtime(u64),
    /// `IP_RECVERR`, from the error queue (`MsgFlags::ERRQUEUE`).
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    IpRecverr(SockExtendedErr),
    /// `IPV6_RECVERR`, from the error queue.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    Ipv6Recverr(SockExtendedErr),
    /// A known message whose payload was cut short.
    Truncated {
        /// `cmsg_level`.
        level: i32,
        /// `cmsg_type`.
        ty: i32,
    },
    /// A message the crate does not type, with its payload.
    Unknown {
        /// `cmsg_level`.
        level: i32,
        /// `cmsg_type`.
        ty: i32,
        /// The payload bytes.
        data: Vec<u8>,
    },
}

/// The standalone parser, for io_uring users and anyone holding a control
/// buffer the kernel filled: an iterator of [`ControlMessageOwned`] over the
/// bytes written (`msg_controllen` of them), in kernel order. Safe code: it
/// never panics and never reads outside `buf`, whatever the bytes; a header
/// that does not fit ends the walk. `SCM_RIGHTS` comes out as
/// [`ScmRightsRaw`](ControlMessageOwned::ScmRightsRaw) (numbers, not owned
/// descriptors); [`recvmsg`](crate::recvmsg) owns them for you instead.
/// See [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html).
///
/// ```
/// use bsdsock::{ControlMessageOwned, ControlMessages};
/// // Garbage never panics: at worst it yields Unknown / Truncated or stops.
/// for m in ControlMessages::new(&[0xff; 40]) {
///     let _ = m;
/// }
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ControlMessages<'a> {
    raw: RawCmsgs<'a>,
}

impl<'a> ControlMessages<'a> {
    /// A parser over `buf`, the bytes the kernel wrote into a control buffer.
    ///
    /// ```
    /// assert!(bsdsock::ControlMessages::new(&[1, 2, 3]).next().is_none());
    /// ```
    pub fn new(buf: &'a [u8]) -> ControlMessages<'a> {
        ControlMessages { raw: RawCmsgs::new(buf) }
    }
}

impl Iterator for ControlMessages<'_> {
    type Item = ControlMessageOwned;

    fn next(&mut self) -> Option<ControlMessageOwned> {
        self.raw.next().map(decode)
    }
}

/// The descriptor numbers of an SCM_RIGHTS payload: every whole int that is
/// not negative (the same rule as the adoption in `sys::msg`).
pub(crate) fn rights(data: &[u8]) -> impl Iterator<Item = RawFd> + '_ {
    data.chunks_exact(4).map(|c| i32::from_ne_bytes([c[0], c[1], c[2], c[3]])).filter(|&fd| fd >= 0)
}

#[cfg(target_os = "linux")]
fn int(d: &[u8]) -> Option<i32> {
    Some(i32::from_ne_bytes(d.get(..4)?.try_into().ok()?))
}

#[cfg(target_os = "linux")]
fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(target_os = "linux")]
fn u64_at(d: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_ne_bytes(d.get(at..at + 8)?.try_into().ok()?))
}

#[cfg(target_os = "linux")]
fn i64_at(d: &[u8], at: usize) -> Option<i64> {
    Some(i64::from_ne_bytes(d.get(at..at + 8)?.try_into().ok()?))
}

/// `sec` seconds and `sub` billionths after the epoch.
#[cfg(target_os = "linux")]
fn time(sec: i64, nanos: i64) -> Option<SystemTime> {
    if !(0..1_000_000_000).contains(&nanos) {
        return None;
    }
    let t = if sec >= 0 {
        SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(sec as u64))?
    } else {
        SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(sec.unsigned_abs()))?
    };
    t.checked_add(Duration::from_nanos(nanos as u64))
}

/// Whether a timestamp type is one of the `SO_TIMESTAMP*_NEW` forms (63, 64, 65),
/// whose fields are 64-bit on every target; the old forms (29, 35, 37) carry
/// C `long`s, 32-bit on a 32-bit target.
#[cfg(target_os = "linux")]
fn wide(ty: i32) -> bool {
    (63..=65).contains(&ty) || cfg!(target_pointer_width = "64")
}

/// A timeval (`scale` 1000) or timespec (`scale` 1): two 64-bit fields when
/// `wide`, two 32-bit ones otherwise.
#[cfg(target_os = "linux")]
fn stamp(d: &[u8], scale: i64, wide: bool) -> Option<SystemTime> {
    let (s, f) = if wide {
        (i64_at(d, 0)?, i64_at(d, 8)?)
    } else {
        (i64::from(int(d)?), i64::from(int(d.get(4..)?)?))
    };
    time(s, f.checked_mul(scale)?)
}

#[cfg(target_os = "linux")]
fn stamping(d: &[u8], wide: bool) -> Option<Timestamping> {
    let w = if wide { 16 } else { 8 };
    if d.len() < 3 * w {
        return None;
    }
    let one = |i: usize| {
        let p = &d[i * w..(i + 1) * w];
        if p.iter().all(|&b| b == 0) { Ok(None) } else { stamp(p, 1, wide).map(Some).ok_or(()) }
    };
    Some(Timestamping { software: one(0).ok()?, legacy: one(1).ok()?, hardware: one(2).ok()? })
}

#[cfg(target_os = "linux")]
fn sockaddr(d: &[u8]) -> Option<SockAddr> {
    if d.len() < 2 {
        return None;
    }
    let fam = i32::from(u16::from_ne_bytes([d[0], d[1]]));
    let len = match fam {
        libc::AF_INET => 16,
        libc::AF_INET6 => 28,
        _ => return None,
    };
    SockAddr::decode(d.get(..len)?).ok()
}

#[cfg(target_os = "linux")]
fn ext_err(d: &[u8]) -> Option<SockExtendedErr> {
    if d.len() < 16 {
        return None;
    }
    Some(SockExtendedErr {
        errno: Errno(u32_at(d, 0)? as i32),
        origin: d[4],
        r#type: d[5],
        code: d[6],
        info: u32_at(d, 8)?,
        data: u32_at(d, 12)?,
        offender: sockaddr(&d[16..]),
    })
}

/// The variant, unless the payload was short or the buffer cut it.
#[cfg(target_os = "linux")]
macro_rules! typed {
    ($c:ident, $variant:ident, $value:expr) => {
        match $value {
            Some(v) if !$c.cut => ControlMessageOwned::$variant(v),
            _ => ControlMessageOwned::Truncated { level: $c.level, ty: $c.ty },
        }
    };
}

/// Decodes one message. Each arm builds its variant where the caller wants it
/// (`ControlMessageOwned` is about 170 bytes: a value passed back through an
/// `Option` and matched again is copied whole, which cost the `recvmsg` row of
/// benches/callgrind.sh a memcpy per message). The one-int messages a receive
/// loop meets on every datagram are decoded here, inline, without the frame
/// the others need (25 instructions less on that row).
#[inline]
pub(crate) fn decode(c: RawCmsg<'_>) -> ControlMessageOwned {
    #[cfg(target_os = "linux")]
    match (c.level, c.ty) {
        (libc::IPPROTO_IP, libc::IP_TTL) => return typed!(c, IpTtl, int(c.data).and_then(byte)),
        (libc::IPPROTO_IPV6, libc::IPV6_HOPLIMIT) => {
            return typed!(c, Ipv6Hoplimit, int(c.data).and_then(byte));
        }
        (libc::IPPROTO_IPV6, libc::IPV6_TCLASS) => {
            return typed!(c, Ipv6Tclass, int(c.data).and_then(byte));
        }
        (libc::SOL_UDP, libc::UDP_GRO) => {
            return typed!(c, UdpGro, int(c.data).and_then(|v| u16::try_from(v).ok()));
        }
        _ => {}
    }
    decode_other(c)
}

/// [`decode`] of every other message.
#[inline(never)]
fn decode_other(c: RawCmsg<'_>) -> ControlMessageOwned {
    use ControlMessageOwned as M;
    let d = c.data;
    match (c.level, c.ty) {
        (libc::SOL_SOCKET, libc::SCM_RIGHTS) => M::ScmRightsRaw(rights(d).collect()),
        #[cfg(target_os = "linux")]
        (libc::IPPROTO_IP, libc::IP_PKTINFO) => typed!(c, IpPktinfo, in_pktinfo(d)),
        #[cfg(target_os = "linux")]
        (libc::IPPROTO_IPV6, libc::IPV6_PKTINFO) => typed!(c, Ipv6Pktinfo, in6_pktinfo(d)),
        // The kernel writes IP_TOS as one byte (ip_cmsg_recv_tos); an int is taken too.
        #[cfg(target_os = "linux")]
        (libc::IPPROTO_IP, libc::IP_TOS) => typed!(
            c,
            IpTos,
            match d.len() {
                0 => None,
                1..4 => Some(d[0]),
                _ => int(d).and_then(byte),
            }
        ),
        #[cfg(target_os = "linux")]
        (libc::SOL_SOCKET, libc::SCM_CREDENTIALS) => typed!(c, ScmCredentials, ucred(d)),
        #[cfg(target_os = "linux")]
        (libc::SOL_SOCKET, libc::SO_TIMESTAMP | 63) => {
            typed!(c, ScmTimestamp, stamp(d, 1000, wide(c.ty)))
        }
        #[cfg(target_os = "linux")]
        (libc::SOL_SOCKET, libc::SO_TIMESTAMPNS | 64) => {
            typed!(c, ScmTimestampns, stamp(d, 1, wide(c.ty)))
        }
        #[cfg(target_os = "linux")]
        (libc::SOL_SOCKET, libc::SO_TIMESTAMPING | 65) => {
            typed!(c, ScmTimestamping, stamping(d, wide(c.ty)))
        }
        #[cfg(target_os = "linux")]
        (libc::SOL_SOCKET, libc::SO_RXQ_OVFL) => typed!(c, SoRxqOvfl, u32_at(d, 0)),
        #[cfg(target_os = "linux")]
        (libc::SOL_SOCKET, libc::SO_MARK) => typed!(c, SoMark, u32_at(d, 0)),
        #[cfg(target_os = "linux")]
        (libc::SOL_SOCKET, libc::SCM_TXTIME) => typed!(c, ScmTxtime, u64_at(d, 0)),
        #[cfg(target_os = "linux")]
        (libc::IPPROTO_IP, libc::IP_ORIGDSTADDR) => typed!(
            c,
            IpOrigdstaddr,
            match sockaddr(d) {
                Some(SockAddr::Inet(a)) => Some(a),
                _ => None,
            }
        ),
        #[cfg(target_os = "linux")]
        (libc::IPPROTO_IPV6, libc::IPV6_ORIGDSTADDR) => typed!(
            c,
            Ipv6Origdstaddr,
            match sockaddr(d) {
                Some(SockAddr::Inet6(a)) => Some(a),
                _ => None,
            }
        ),
        #[cfg(target_os = "linux")]
        (libc::IPPROTO_IP, libc::IP_RECVERR) => typed!(c, IpRecverr, ext_err(d)),
        #[cfg(target_os = "linux")]
        (libc::IPPROTO_IPV6, libc::IPV6_RECVERR) => typed!(c, Ipv6Recverr, ext_err(d)),
        _ => M::Unknown { level: c.level, ty: c.ty, data: d.to_vec() },
    }
}

/// A u8 payload the kernel wrote as an int (TTL, hop limit, traffic class).
#[cfg(target_os = "linux")]
fn byte(v: i32) -> Option<u8> {
    u8::try_from(v).ok()
}

#[cfg(target_os = "linux")]
fn ucred(d: &[u8]) -> Option<UCred> {
    Some(UCred { pid: int(d)?, uid: u32_at(d, 4)?, gid: u32_at(d, 8)? })
}

#[cfg(target_os = "linux")]
fn in_pktinfo(d: &[u8]) -> Option<InPktinfo> {
    Some(InPktinfo {
        ifindex: u32_at(d, 0)?,
        spec_dst: <[u8; 4]>::try_from(d.get(4..8)?).ok()?.into(),
        addr: <[u8; 4]>::try_from(d.get(8..12)?).ok()?.into(),
    })
}

#[cfg(target_os = "linux")]
fn in6_pktinfo(d: &[u8]) -> Option<In6Pktinfo> {
    Some(In6Pktinfo {
        addr: <[u8; 16]>::try_from(d.get(..16)?).ok()?.into(),
        ifindex: u32_at(d, 16)?,
    })
}
