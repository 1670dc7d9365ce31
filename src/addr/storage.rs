//! `SockAddrStorage`: an address of a family the crate has no type for, kept
//! as the kernel's bytes.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::mem::size_of;

use super::family::{FAMILY_END, put_family, raw_family, write_hex};
use crate::Domain;

/// `sizeof(struct sockaddr_storage)`: the most any address takes.
pub(super) const CAP: usize = size_of::<libc::sockaddr_storage>();

/// An address of any other family (`AF_CAN`, `AF_BLUETOOTH`, `AF_ALG`, ...):
/// the bytes of a `sockaddr_storage` up to the length the kernel reported, so
/// that no call fails, and no datagram is lost, because of its family.
///
/// Text form `other:FAMILY:HEX`: the family number, then the bytes after the
/// family field in hex. Built from bytes with [`SockAddr::from_bytes`](crate::SockAddr::from_bytes),
/// or parsed from that text.
///
/// ```
/// use bsdsock::{SockAddr, SockAddrStorage};
/// // AF_CAN (29) with an interface index of 1, as sockaddr_can starts.
/// let mut raw = vec![0u8; 24];
/// raw[..2].copy_from_slice(&29u16.to_ne_bytes());
/// raw[4] = 1;
/// let a = SockAddr::from_bytes(&raw)?;
/// let SockAddr::Other(can) = &a else { panic!("{a:?}") };
/// assert_eq!((can.family().as_raw(), can.as_bytes()), (29, &raw[..]));
/// assert!(a.to_string().starts_with("other:29:000001"));
/// assert_eq!(a.to_string().parse::<SockAddr>()?, a);
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone)]
// 4-aligned like SockAddrUn (see there): SockAddr's tag then stays a whole
// u32 before every payload, which the getsockname rows of
// benches/callgrind.guard depend on.
#[repr(align(4))]
#[doc(alias = "sockaddr_storage")]
pub struct SockAddrStorage {
    /// The kernel's bytes; zero past `len`.
    bytes: [u8; CAP],
    len: u8,
}

impl SockAddrStorage {
    /// Keeps `raw` (from [`FAMILY_END`] to [`CAP`] bytes, checked by the caller).
    pub(super) fn from_raw(raw: &[u8]) -> SockAddrStorage {
        let mut bytes = [0; CAP];
        bytes[..raw.len()].copy_from_slice(raw);
        // The 4.4BSD length byte says what the length says, as for sockaddr_un.
        put_family(&mut bytes, raw_family(raw), raw.len());
        SockAddrStorage { bytes, len: raw.len() as u8 }
    }

    /// The address family (`sa_family`).
    ///
    /// ```
    /// let mut raw = [0u8; 16];
    /// raw[..2].copy_from_slice(&(libc::AF_CAN as u16).to_ne_bytes());
    /// let bsdsock::SockAddr::Other(a) = bsdsock::SockAddr::from_bytes(&raw)? else { panic!() };
    /// assert_eq!(a.family(), bsdsock::Domain::from_raw(libc::AF_CAN));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn family(&self) -> Domain {
        Domain::from_raw(raw_family(&self.bytes))
    }

    /// The address as the kernel wrote it: family field included, up to its
    /// length.
    ///
    /// ```
    /// let mut raw = [0u8; 16];
    /// raw[..2].copy_from_slice(&(libc::AF_CAN as u16).to_ne_bytes());
    /// let a = bsdsock::SockAddr::from_bytes(&raw)?;
    /// assert_eq!(a.as_bytes(), &raw[..]);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

impl PartialEq for SockAddrStorage {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}
impl Eq for SockAddrStorage {}

impl Hash for SockAddrStorage {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.as_bytes().hash(h);
    }
}

impl fmt::Display for SockAddrStorage {
    /// `other:FAMILY:HEX`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "other:{}:", self.family().as_raw())?;
        write_hex(f, &self.as_bytes()[FAMILY_END..], "")
    }
}

impl fmt::Debug for SockAddrStorage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SockAddrStorage({self})")
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use crate::SockAddr;

    #[test]
    fn the_kernel_path_keeps_a_typed_family_in_a_foreign_layout() {
        // A SOCK_PACKET address (sockaddr_pkt: family, 14-byte device name,
        // protocol) whose name puts 20 in sll_halen's place.
        let mut pkt = [0u8; 18];
        pkt[..2].copy_from_slice(&(libc::AF_PACKET as u16).to_ne_bytes());
        pkt[2..13].copy_from_slice(b"abcdefghi\x14x");
        let kept = SockAddr::decode(&pkt).unwrap();
        assert!(matches!(&kept, SockAddr::Other(o) if o.as_bytes() == pkt), "{kept:?}");
        assert!(SockAddr::from_bytes(&pkt).is_err());
        let mut nl = [0u8; 16];
        nl[..2].copy_from_slice(&(libc::AF_NETLINK as u16).to_ne_bytes());
        assert!(matches!(SockAddr::decode(&nl), Ok(SockAddr::Other(_))));
    }
}
