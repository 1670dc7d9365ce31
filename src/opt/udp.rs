//! Level `IPPROTO_UDP` (`SOL_UDP`), [`udp(7)`](https://man7.org/linux/man-pages/man7/udp.7.html):
//! UDP options (Linux).

use super::options;

options! {
    level = IPPROTO_UDP, man = udp;

    /// Generic segmentation offload (Linux 4.18): one `send` of a large buffer
    /// goes out as datagrams of this many bytes each (0 turns it off).
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, setsockopt, UDP_SEGMENT};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    /// setsockopt(&s, UDP_SEGMENT, 1200u16)?;
    /// assert_eq!(getsockopt(&s, UDP_SEGMENT)?, 1200);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(target_os = "linux")]
    UDP_SEGMENT: rw u16;

    /// Generic receive offload (Linux 5.0): coalesce arriving datagrams of one
    /// flow into one read, with a `UDP_GRO` control message giving the segment
    /// size.
    #[cfg(target_os = "linux")]
    UDP_GRO: rw bool;
}
