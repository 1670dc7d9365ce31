//! [`ControlMessage`]: what `sendmsg` can attach, and its encoding.

use std::os::fd::{AsRawFd, BorrowedFd};

use super::CMSG_SPACE;
#[cfg(target_os = "linux")]
use super::types::{In6Pktinfo, InPktinfo};
#[cfg(target_os = "linux")]
use crate::opt::UCred;
use crate::sys::{CMSG_HDR, put_header};

/// The most descriptors one `SCM_RIGHTS` message may carry (`SCM_MAX_FD` of
/// Linux, [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)).
pub(crate) const SCM_MAX_FD: usize = 253;

/// A control message to send with [`sendmsg`](crate::sendmsg)
/// ([cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)). The variant
/// is the C `cmsg_type` in CamelCase; its level is implied.
///
/// Encoding follows the kernel: `IP_TTL`, `IP_TOS`, `IPV6_HOPLIMIT` and
/// `IPV6_TCLASS` are sent as a C `int` (`IP_TOS` arrives as one byte but is
/// sent as an int, [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html));
/// `UDP_SEGMENT` is a `u16` ([udp(7)](https://man7.org/linux/man-pages/man7/udp.7.html)).
/// Refused before the call: more than 253 descriptors, descriptors with no
/// data on a stream socket (the kernel would drop them), and `IpTtl(0)`.
///
/// ```
/// use std::io::IoSlice;
/// use std::os::fd::AsFd;
/// use bsdsock::{sendmsg, socketpair, ControlMessage, Domain, MsgFlags, Type};
/// let (a, _b) = socketpair(Domain::UNIX, Type::STREAM, Default::default())?;
/// let file = std::fs::File::open("/dev/null").unwrap();
/// let fds = [file.as_fd()];
/// sendmsg(&a, &[IoSlice::new(b"x")], &[ControlMessage::ScmRights(&fds)], MsgFlags::empty(), None)?;
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum ControlMessage<'a> {
    /// `SCM_RIGHTS`: pass descriptors over a Unix socket ([unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)); at most 253.
    ScmRights(&'a [BorrowedFd<'a>]),
    /// `SCM_CREDENTIALS`: this process's credentials (a privileged process may name others).
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    ScmCredentials(UCred),
    /// `IP_PKTINFO`: the source address / interface for this datagram.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    IpPktinfo(InPktinfo),
    /// `IPV6_PKTINFO`: the source address / interface for this datagram.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    Ipv6Pktinfo(In6Pktinfo),
    /// `IP_TTL` for this datagram (1..=255; 0 is refused), sent as an int.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    IpTtl(u8),
    /// `IP_TOS` for this datagram, sent as an int.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    IpTos(u8),
    /// `IPV6_HOPLIMIT` for this datagram, sent as an int.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    Ipv6Hoplimit(u8),
    /// `IPV6_TCLASS` for this datagram, sent as an int.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    Ipv6Tclass(u8),
    /// `UDP_SEGMENT` (GSO): cut the data into datagrams of this size, a `u16`.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    UdpSegment(u16),
    /// `SCM_TXTIME`: the transmit time in nanoseconds of the clock set with `SO_TXTIME`.
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    ScmTxtime(u64),
    /// `SO_MARK` for this packet (needs CAP_NET_ADMIN).
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    SoMark(u32),
    /// Any other message: level, type and payload bytes as the kernel reads them.
    Raw {
        /// `cmsg_level`.
        level: i32,
        /// `cmsg_type`.
        ty: i32,
        /// The payload.
        data: &'a [u8],
    },
}

impl ControlMessage<'_> {
    /// `(level, type, payload length)`.
    #[inline]
    pub(crate) fn head(&self) -> (i32, i32, usize) {
        match self {
            ControlMessage::ScmRights(fds) => (libc::SOL_SOCKET, libc::SCM_RIGHTS, fds.len() * 4),
            #[cfg(target_os = "linux")]
            ControlMessage::ScmCredentials(_) => (libc::SOL_SOCKET, libc::SCM_CREDENTIALS, 12),
            #[cfg(target_os = "linux")]
            ControlMessage::IpPktinfo(_) => (libc::IPPROTO_IP, libc::IP_PKTINFO, 12),
            #[cfg(target_os = "linux")]
            ControlMessage::Ipv6Pktinfo(_) => (libc::IPPROTO_IPV6, libc::IPV6_PKTINFO, 20),
            #[cfg(target_os = "linux")]
            ControlMessage::IpTtl(_) => (libc::IPPROTO_IP, libc::IP_TTL, 4),
            #[cfg(target_os = "linux")]
            ControlMessage::IpTos(_) => (libc::IPPROTO_IP, libc::IP_TOS, 4),
            #[cfg(target_os = "linux")]
            ControlMessage::Ipv6Hoplimit(_) => (libc::IPPROTO_IPV6, libc::IPV6_HOPLIMIT, 4),
            #[cfg(target_os = "linux")]
            ControlMessage::Ipv6Tclass(_) => (libc::IPPROTO_IPV6, libc::IPV6_TCLASS, 4),
            #[cfg(target_os = "linux")]
            ControlMessage::UdpSegment(_) => (libc::SOL_UDP, libc::UDP_SEGMENT, 2),
            #[cfg(target_os = "linux")]
            ControlMessage::ScmTxtime(_) => (libc::SOL_SOCKET, libc::SCM_TXTIME, 8),
            #[cfg(target_os = "linux")]
            ControlMessage::SoMark(_) => (libc::SOL_SOCKET, libc::SO_MARK, 4),
            ControlMessage::Raw { level, ty, data } => (*level, *ty, data.len()),
        }
    }

    /// The input rule this message breaks, if any.
    #[inline]
    pub(crate) fn refusal(&self) -> Option<&'static str> {
        match self {
            ControlMessage::ScmRights(fds) if fds.len() > SCM_MAX_FD => {
                Some("SCM_RIGHTS carries at most 253 descriptors per message")
            }
            #[cfg(target_os = "linux")]
            ControlMessage::IpTtl(0) => Some("IP_TTL must be 1..=255; 0 is not a valid TTL"),
            _ => None,
        }
    }

    /// Writes the payload into `out` (exactly `head().2` bytes).
    fn payload(&self, out: &mut [u8]) {
        match self {
            ControlMessage::ScmRights(fds) => {
                for (c, fd) in out.chunks_exact_mut(4).zip(fds.iter()) {
                    c.copy_from_slice(&fd.as_raw_fd().to_ne_bytes());
                }
            }
            #[cfg(target_os = "linux")]
            ControlMessage::ScmCredentials(u) => {
                out[0..4].copy_from_slice(&u.pid.to_ne_bytes());
                out[4..8].copy_from_slice(&u.uid.to_ne_bytes());
                out[8..12].copy_from_slice(&u.gid.to_ne_bytes());
            }
            #[cfg(target_os = "linux")]
            ControlMessage::IpPktinfo(p) => {
                out[0..4].copy_from_slice(&p.ifindex.to_ne_bytes());
                out[4..8].copy_from_slice(&p.spec_dst.octets());
                out[8..12].copy_from_slice(&p.addr.octets());
            }
            #[cfg(target_os = "linux")]
            ControlMessage::Ipv6Pktinfo(p) => {
                out[0..16].copy_from_slice(&p.addr.octets());
                out[16..20].copy_from_slice(&p.ifindex.to_ne_bytes());
            }
            #[cfg(target_os = "linux")]
            ControlMessage::IpTtl(v)
            | ControlMessage::IpTos(v)
            | ControlMessage::Ipv6Hoplimit(v)
            | ControlMessage::Ipv6Tclass(v) => out.copy_from_slice(&i32::from(*v).to_ne_bytes()),
            #[cfg(target_os = "linux")]
            ControlMessage::UdpSegment(v) => out.copy_from_slice(&v.to_ne_bytes()),
            #[cfg(target_os = "linux")]
            ControlMessage::ScmTxtime(v) => out.copy_from_slice(&v.to_ne_bytes()),
            #[cfg(target_os = "linux")]
            ControlMessage::SoMark(v) => out.copy_from_slice(&v.to_ne_bytes()),
            ControlMessage::Raw { data, .. } => out.copy_from_slice(data),
        }
    }
}

/// The control-buffer bytes `cmsgs` take.
#[inline]
pub(crate) fn space(cmsgs: &[ControlMessage<'_>]) -> usize {
    cmsgs.iter().map(|c| CMSG_SPACE(c.head().2)).sum()
}

/// Encodes `cmsgs` at the start of `buf` (aligned, all zeros, at least
/// `space(cmsgs)` bytes, which the caller checked); returns the bytes used.
/// The padding the kernel must see as zeros (after a short payload, beside a
/// 4-byte `cmsg_len` on musl) is left as the caller zeroed it.
pub(crate) fn encode(cmsgs: &[ControlMessage<'_>], buf: &mut [u8]) -> usize {
    let mut at = 0;
    for c in cmsgs {
        let (level, ty, len) = c.head();
        let total = CMSG_SPACE(len);
        put_header(buf, at, level, ty, len);
        c.payload(&mut buf[at + CMSG_HDR..at + CMSG_HDR + len]);
        at += total;
    }
    at
}

/// Whether any message carries descriptors.
#[inline]
pub(crate) fn has_fds(cmsgs: &[ControlMessage<'_>]) -> bool {
    cmsgs.iter().any(|c| matches!(c, ControlMessage::ScmRights(f) if !f.is_empty()))
}
