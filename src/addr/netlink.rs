//! `sockaddr_nl`: netlink addresses (Linux, netlink(7)).

use std::fmt;
use std::mem::{offset_of, size_of};
use std::str::FromStr;

use super::family::{dec_u32, put_family, take};
use crate::{Error, Reason};

const SIZE: usize = size_of::<libc::sockaddr_nl>();
const PID_AT: usize = offset_of!(libc::sockaddr_nl, nl_pid);
const GROUPS_AT: usize = offset_of!(libc::sockaddr_nl, nl_groups);

/// A netlink socket address: C's `struct sockaddr_nl` (see [`netlink(7)`]).
///
/// `pid` is the port ID (0 is the kernel, or "let the kernel choose" for
/// `bind`); `groups` the bit mask of multicast groups. Text form
/// `netlink:PID:GROUPS`.
///
/// ```
/// use bsdsock::{SockAddr, SockAddrNl};
/// let a = SockAddrNl::new(0, 1);
/// assert_eq!((a.pid(), a.groups()), (0, 1));
/// assert_eq!(a.to_string(), "netlink:0:1");
/// assert_eq!("netlink:0:1".parse::<SockAddr>()?, SockAddr::Netlink(a));
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`netlink(7)`]: https://man7.org/linux/man-pages/man7/netlink.7.html
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
// 4-aligned like SockAddrUn (see there): SockAddr's tag then stays a whole
// u32 before every payload, which the getsockname rows of
// benches/callgrind.guard depend on.
#[repr(align(4))]
#[doc(alias = "sockaddr_nl")]
pub struct SockAddrNl {
    /// The C struct's bytes, `nl_pad` zero.
    bytes: [u8; SIZE],
}

impl SockAddrNl {
    /// An address with port ID `pid` and multicast group mask `groups`.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrNl::new(7, 0).pid(), 7);
    /// ```
    pub fn new(pid: u32, groups: u32) -> SockAddrNl {
        let mut bytes = [0; SIZE];
        put_family(&mut bytes, libc::AF_NETLINK, SIZE);
        bytes[PID_AT..PID_AT + 4].copy_from_slice(&pid.to_ne_bytes());
        bytes[GROUPS_AT..GROUPS_AT + 4].copy_from_slice(&groups.to_ne_bytes());
        SockAddrNl { bytes }
    }

    /// `nl_pid`: the port ID (0 for the kernel).
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrNl::new(42, 0).pid(), 42);
    /// ```
    pub fn pid(&self) -> u32 {
        u32::from_ne_bytes(take(&self.bytes, PID_AT))
    }

    /// `nl_groups`: the multicast group mask.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrNl::new(0, 0b101).groups(), 5);
    /// ```
    pub fn groups(&self) -> u32 {
        u32::from_ne_bytes(take(&self.bytes, GROUPS_AT))
    }

    /// Decodes a `sockaddr_nl` whose family was already checked.
    pub(super) fn from_raw(raw: &[u8]) -> Result<SockAddrNl, &'static str> {
        if raw.len() != SIZE {
            return Err("length does not fit AF_NETLINK (12 bytes)");
        }
        // Rebuilt from its fields, so that nl_pad is zero whatever it held.
        Ok(SockAddrNl::new(
            u32::from_ne_bytes(take(raw, PID_AT)),
            u32::from_ne_bytes(take(raw, GROUPS_AT)),
        ))
    }

    /// Parses the text after `netlink:`.
    pub(super) fn parse(rest: &str) -> Result<SockAddrNl, Reason> {
        const FORM: Reason = Reason::Rule("a netlink address is netlink:PID:GROUPS (two numbers)");
        let (pid, groups) = rest.split_once(':').ok_or(FORM)?;
        Ok(SockAddrNl::new(dec_u32(pid).ok_or(FORM)?, dec_u32(groups).ok_or(FORM)?))
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Display for SockAddrNl {
    /// `netlink:PID:GROUPS`, both in decimal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "netlink:{}:{}", self.pid(), self.groups())
    }
}

impl fmt::Debug for SockAddrNl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SockAddrNl({self})")
    }
}

impl FromStr for SockAddrNl {
    type Err = Error;

    /// Parses `netlink:PID:GROUPS`.
    ///
    /// ```
    /// let a: bsdsock::SockAddrNl = "netlink:12:3".parse()?;
    /// assert_eq!((a.pid(), a.groups()), (12, 3));
    /// assert!("netlink:12".parse::<bsdsock::SockAddrNl>().is_err());
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<SockAddrNl, Error> {
        s.strip_prefix("netlink:")
            .ok_or(Reason::Rule("a netlink address starts with netlink:"))
            .and_then(SockAddrNl::parse)
            .map_err(|reason| super::parse::refused(s, reason))
    }
}
