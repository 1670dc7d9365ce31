//! The integer arguments of `socket(2)` as types: domain, type, protocol, and the
//! `MSG_*` flags of send and recv.

use std::fmt;

use crate::newtype::c_newtype;

/// An address family: the `domain` argument of `socket(2)` (`AF_INET`, ...).
///
/// ```
/// use bsdsock::Domain;
/// assert_eq!(Domain::INET.as_raw(), libc::AF_INET);
/// assert_eq!(Domain::LOCAL, Domain::UNIX);
/// assert_eq!(format!("{:?}", Domain::INET6), "AF_INET6");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
#[doc(alias = "AF_INET")]
pub struct Domain(i32);

impl Domain {
    /// `AF_INET`: IPv4.
    pub const INET: Domain = Domain(libc::AF_INET);
    /// `AF_INET6`: IPv6.
    pub const INET6: Domain = Domain(libc::AF_INET6);
    /// `AF_UNIX`: Unix-domain sockets, local to this machine.
    pub const UNIX: Domain = Domain(libc::AF_UNIX);
    /// `AF_LOCAL`: the POSIX name for [`Domain::UNIX`].
    pub const LOCAL: Domain = Domain(libc::AF_UNIX);
    /// `AF_UNSPEC`: no particular family (getaddrinfo hints, dissolving a datagram
    /// association).
    pub const UNSPEC: Domain = Domain(libc::AF_UNSPEC);
    /// `AF_PACKET`: raw link-level packets (Linux).
    #[cfg(linux_like)]
    #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
    pub const PACKET: Domain = Domain(libc::AF_PACKET);
    /// `AF_NETLINK`: kernel/user messaging (Linux).
    #[cfg(linux_like)]
    #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
    pub const NETLINK: Domain = Domain(libc::AF_NETLINK);
    /// `AF_VSOCK`: sockets between a virtual machine and its host (Linux
    /// vsock(7), Apple `<sys/vsock.h>`); addresses are [`SockAddrVm`](crate::SockAddrVm).
    ///
    /// ```
    /// assert_eq!(bsdsock::Domain::VSOCK.name(), Some("AF_VSOCK"));
    /// ```
    #[cfg(any(linux_like, apple))]
    #[cfg_attr(
        docsrs,
        doc(cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple")))
    )]
    pub const VSOCK: Domain = Domain(libc::AF_VSOCK);

    /// The C name (`"AF_INET"`), if this is a family the crate names.
    ///
    /// ```
    /// assert_eq!(bsdsock::Domain::INET.name(), Some("AF_INET"));
    /// ```
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            libc::AF_INET => "AF_INET",
            libc::AF_INET6 => "AF_INET6",
            libc::AF_UNIX => "AF_UNIX",
            libc::AF_UNSPEC => "AF_UNSPEC",
            #[cfg(linux_like)]
            libc::AF_PACKET => "AF_PACKET",
            #[cfg(linux_like)]
            libc::AF_NETLINK => "AF_NETLINK",
            #[cfg(any(linux_like, apple))]
            libc::AF_VSOCK => "AF_VSOCK",
            _ => return None,
        })
    }
}

c_newtype! {
    Domain, name: Domain::name,
    /// Wraps a raw `AF_*` value.
    ///
    /// ```
    /// assert_eq!(bsdsock::Domain::from_raw(libc::AF_INET6), bsdsock::Domain::INET6);
    /// ```
    from_raw;
    /// The raw `AF_*` value.
    ///
    /// ```
    /// assert_eq!(bsdsock::Domain::UNIX.as_raw(), libc::AF_UNIX);
    /// ```
    as_raw;
}

/// A socket type: the `type` argument of `socket(2)` (`SOCK_STREAM`, ...).
///
/// `SOCK_CLOEXEC` is never needed: every descriptor bsdsock creates is close-on-exec.
///
/// ```
/// use bsdsock::Type;
/// assert_eq!(Type::DGRAM.as_raw(), libc::SOCK_DGRAM);
/// assert_eq!(format!("{:?}", Type::STREAM.nonblocking()), "SOCK_STREAM | SOCK_NONBLOCK");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
#[doc(alias = "SOCK_STREAM")]
pub struct Type(i32);

impl Type {
    /// `SOCK_STREAM`: a reliable byte stream (TCP, Unix stream).
    pub const STREAM: Type = Type(libc::SOCK_STREAM);
    /// `SOCK_DGRAM`: datagrams (UDP, Unix datagram).
    pub const DGRAM: Type = Type(libc::SOCK_DGRAM);
    /// `SOCK_SEQPACKET`: reliable, ordered datagrams.
    pub const SEQPACKET: Type = Type(libc::SOCK_SEQPACKET);
    /// `SOCK_RAW`: raw protocol access (needs CAP_NET_RAW).
    pub const RAW: Type = Type(libc::SOCK_RAW);
    /// `SOCK_RDM`: reliably delivered messages.
    pub const RDM: Type = Type(libc::SOCK_RDM);

    /// This type with `SOCK_NONBLOCK`: the socket is created in non-blocking mode,
    /// saving an `fcntl` call.
    ///
    /// ```
    /// use bsdsock::{socket, is_nonblocking, Domain, Protocol, Type};
    /// let s = socket(Domain::INET, Type::STREAM.nonblocking(), Protocol::DEFAULT)?;
    /// assert!(s.is_nonblocking()?);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(any(linux_like, bsd, solarish))]
    #[cfg_attr(
        docsrs,
        doc(cfg(any(
            target_os = "linux",
            target_os = "android",
            target_os = "freebsd",
            target_os = "openbsd",
            target_os = "netbsd",
            target_os = "dragonfly",
            target_os = "solaris",
            target_os = "illumos"
        )))
    )]
    pub const fn nonblocking(self) -> Type {
        Type(self.0 | libc::SOCK_NONBLOCK)
    }

    /// The C name of the base type (`"SOCK_STREAM"`), if known.
    ///
    /// ```
    /// assert_eq!(bsdsock::Type::SEQPACKET.name(), Some("SOCK_SEQPACKET"));
    /// ```
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 & !Self::FLAG_BITS {
            libc::SOCK_STREAM => "SOCK_STREAM",
            libc::SOCK_DGRAM => "SOCK_DGRAM",
            libc::SOCK_SEQPACKET => "SOCK_SEQPACKET",
            libc::SOCK_RAW => "SOCK_RAW",
            libc::SOCK_RDM => "SOCK_RDM",
            _ => return None,
        })
    }

    #[cfg(any(linux_like, bsd, solarish))]
    const FLAG_BITS: i32 = libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;
    #[cfg(not(any(linux_like, bsd, solarish)))]
    const FLAG_BITS: i32 = 0;
}

c_newtype! {
    Type, debug: manual,
    /// Wraps a raw `SOCK_*` value.
    ///
    /// ```
    /// assert_eq!(bsdsock::Type::from_raw(libc::SOCK_STREAM), bsdsock::Type::STREAM);
    /// ```
    from_raw;
    /// The raw `SOCK_*` value (including `SOCK_NONBLOCK` if set).
    ///
    /// ```
    /// assert_eq!(bsdsock::Type::RAW.as_raw(), libc::SOCK_RAW);
    /// ```
    as_raw;
}

impl fmt::Debug for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n)?,
            None => write!(f, "Type({})", self.0 & !Self::FLAG_BITS)?,
        }
        #[cfg(any(linux_like, bsd, solarish))]
        if self.0 & libc::SOCK_NONBLOCK != 0 {
            f.write_str(" | SOCK_NONBLOCK")?;
        }
        Ok(())
    }
}

/// A protocol number: the `protocol` argument of `socket(2)` (`IPPROTO_TCP`, ...).
///
/// ```
/// use bsdsock::Protocol;
/// assert_eq!(Protocol::TCP.as_raw(), libc::IPPROTO_TCP);
/// assert_eq!(format!("{:?}", Protocol::DEFAULT), "Protocol(0)");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
#[doc(alias = "IPPROTO_TCP")]
pub struct Protocol(i32);

impl Protocol {
    /// `0`: the default protocol for the domain and type.
    pub const DEFAULT: Protocol = Protocol(0);
    /// `IPPROTO_TCP`.
    pub const TCP: Protocol = Protocol(libc::IPPROTO_TCP);
    /// `IPPROTO_UDP`.
    pub const UDP: Protocol = Protocol(libc::IPPROTO_UDP);
    /// `IPPROTO_ICMP`.
    pub const ICMPV4: Protocol = Protocol(libc::IPPROTO_ICMP);
    /// `IPPROTO_ICMPV6`.
    pub const ICMPV6: Protocol = Protocol(libc::IPPROTO_ICMPV6);
    /// `IPPROTO_SCTP`. Not on OpenBSD, which has no SCTP.
    #[cfg(not(target_os = "openbsd"))]
    #[cfg_attr(docsrs, doc(cfg(not(target_os = "openbsd"))))]
    pub const SCTP: Protocol = Protocol(crate::sys::c::IPPROTO_SCTP);
    /// `IPPROTO_UDPLITE` (Linux).
    #[cfg(linux_like)]
    #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
    pub const UDPLITE: Protocol = Protocol(libc::IPPROTO_UDPLITE);
    /// `IPPROTO_MPTCP` (Linux).
    #[cfg(linux_like)]
    #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
    pub const MPTCP: Protocol = Protocol(libc::IPPROTO_MPTCP);

    /// The C name (`"IPPROTO_TCP"`), if known.
    ///
    /// ```
    /// assert_eq!(bsdsock::Protocol::UDP.name(), Some("IPPROTO_UDP"));
    /// ```
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            libc::IPPROTO_TCP => "IPPROTO_TCP",
            libc::IPPROTO_UDP => "IPPROTO_UDP",
            libc::IPPROTO_ICMP => "IPPROTO_ICMP",
            libc::IPPROTO_ICMPV6 => "IPPROTO_ICMPV6",
            #[cfg(not(target_os = "openbsd"))]
            crate::sys::c::IPPROTO_SCTP => "IPPROTO_SCTP",
            #[cfg(linux_like)]
            libc::IPPROTO_UDPLITE => "IPPROTO_UDPLITE",
            #[cfg(linux_like)]
            libc::IPPROTO_MPTCP => "IPPROTO_MPTCP",
            _ => return None,
        })
    }
}

c_newtype! {
    Protocol, name: Protocol::name,
    /// Wraps a raw protocol number.
    ///
    /// ```
    /// assert_eq!(bsdsock::Protocol::from_raw(6), bsdsock::Protocol::TCP);
    /// ```
    from_raw;
    /// The raw protocol number.
    ///
    /// ```
    /// assert_eq!(bsdsock::Protocol::UDP.as_raw(), 17);
    /// ```
    as_raw;
}

impl Default for Protocol {
    /// [`Protocol::DEFAULT`] (0).
    fn default() -> Protocol {
        Protocol::DEFAULT
    }
}

#[cfg(target_os = "linux")]
use libc::MSG_ZEROCOPY;
/// `MSG_ZEROCOPY` of Linux's `<linux/socket.h>`: the `libc` crate exports it for
/// `target_os = "linux"` only, and Android runs the same kernel.
#[cfg(target_os = "android")]
const MSG_ZEROCOPY: i32 = 0x4000000;

bitflags::bitflags! {
    /// The `flags` of `send(2)` / `recv(2)` and the `msg_flags` that `recvmsg`
    /// reports. `MSG_NOSIGNAL` is added to every send by bsdsock itself where the
    /// OS has it (elsewhere, Apple, every socket has `SO_NOSIGPIPE` set).
    ///
    /// ```
    /// use bsdsock::{recv, send, socketpair, Domain, MsgFlags, Protocol, Type};
    /// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
    /// send(&a, b"peek", MsgFlags::empty())?;
    /// let mut buf = [0u8; 4];
    /// assert_eq!(recv(&b, &mut buf, MsgFlags::PEEK)?, 4); // still queued
    /// assert_eq!(recv(&b, &mut buf, MsgFlags::DONTWAIT)?, 4);
    /// assert_eq!(&buf, b"peek");
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
    pub struct MsgFlags: i32 {
        /// `MSG_OOB`: out-of-band data.
        const OOB = libc::MSG_OOB;
        /// `MSG_PEEK`: look at queued data without removing it.
        const PEEK = libc::MSG_PEEK;
        /// `MSG_DONTROUTE`: send only to directly connected hosts.
        const DONTROUTE = libc::MSG_DONTROUTE;
        /// `MSG_WAITALL`: block until the whole buffer is filled (or EOF/error).
        const WAITALL = libc::MSG_WAITALL;
        /// `MSG_DONTWAIT`: this one call is non-blocking.
        const DONTWAIT = libc::MSG_DONTWAIT;
        /// `MSG_TRUNC`: (recv) return the real datagram length; (recvmsg) it was cut.
        const TRUNC = libc::MSG_TRUNC;
        /// `MSG_CTRUNC`: control data was cut (recvmsg).
        const CTRUNC = libc::MSG_CTRUNC;
        /// `MSG_EOR`: end of record (SOCK_SEQPACKET).
        const EOR = libc::MSG_EOR;
        /// `MSG_NOSIGNAL`: no SIGPIPE. bsdsock adds it to every send where the OS
        /// has it (Linux, the BSDs, illumos); Apple has `SO_NOSIGPIPE` instead,
        /// which bsdsock sets on every socket it creates.
        #[cfg(any(linux_like, bsd, solarish))]
        #[cfg_attr(
            docsrs,
            doc(cfg(any(
                target_os = "linux",
                target_os = "android",
                target_os = "freebsd",
                target_os = "openbsd",
                target_os = "netbsd",
                target_os = "dragonfly",
                target_os = "solaris",
                target_os = "illumos"
            )))
        )]
        const NOSIGNAL = libc::MSG_NOSIGNAL;
        /// `MSG_MORE`: more data follows; like TCP_CORK for one call (Linux).
        #[cfg(linux_like)]
        #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
        const MORE = libc::MSG_MORE;
        /// `MSG_CONFIRM`: the link layer got a reply (Linux).
        #[cfg(linux_like)]
        #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
        const CONFIRM = libc::MSG_CONFIRM;
        /// `MSG_ERRQUEUE`: read the socket's error queue (Linux).
        #[cfg(linux_like)]
        #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
        const ERRQUEUE = libc::MSG_ERRQUEUE;
        /// `MSG_CMSG_CLOEXEC`: descriptors received by SCM_RIGHTS are close-on-exec (Linux).
        #[cfg(linux_like)]
        #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
        const CMSG_CLOEXEC = libc::MSG_CMSG_CLOEXEC;
        /// `MSG_WAITFORONE`: recvmmsg returns after the first datagram.
        #[cfg(any(linux_like, target_os = "freebsd", target_os = "netbsd", target_os = "openbsd"))]
        #[cfg_attr(
            docsrs,
            doc(cfg(any(
                target_os = "linux",
                target_os = "android",
                target_os = "freebsd",
                target_os = "netbsd",
                target_os = "openbsd"
            )))
        )]
        const WAITFORONE = libc::MSG_WAITFORONE;
        /// `MSG_FASTOPEN`: send data in the SYN (TCP Fast Open, Linux).
        #[cfg(linux_like)]
        #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
        const FASTOPEN = libc::MSG_FASTOPEN;
        /// `MSG_ZEROCOPY`: send without copying (with SO_ZEROCOPY, Linux).
        #[cfg(linux_like)]
        #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
        const ZEROCOPY = MSG_ZEROCOPY;
    }
}
