//! `sockaddr_ll`: link-layer addresses of packet sockets (Linux, packet(7)).

use std::fmt;
use std::mem::{offset_of, size_of};
use std::str::FromStr;

use super::family::{dec_u32, hex_byte, put_family, take, write_hex};
use crate::{Error, Reason};

const PROTOCOL_AT: usize = offset_of!(libc::sockaddr_ll, sll_protocol);
const IFINDEX_AT: usize = offset_of!(libc::sockaddr_ll, sll_ifindex);
const HATYPE_AT: usize = offset_of!(libc::sockaddr_ll, sll_hatype);
const PKTTYPE_AT: usize = offset_of!(libc::sockaddr_ll, sll_pkttype);
const HALEN_AT: usize = offset_of!(libc::sockaddr_ll, sll_halen);
const ADDR_AT: usize = offset_of!(libc::sockaddr_ll, sll_addr);
/// `MAX_ADDR_LEN` of `<linux/netdevice.h>`: the longest hardware address. The
/// kernel reports `sll_addr` past the struct's 8 bytes for longer ones
/// (InfiniBand's are 20), with a length to match.
const MAX_HALEN: usize = 32;
const CAP: usize = ADDR_AT + MAX_HALEN;
/// `sizeof(struct sockaddr_ll)`: the least `bind` takes (packet(7)).
const SIZE: usize = size_of::<libc::sockaddr_ll>();

/// A link-layer address of a packet socket: C's `struct sockaddr_ll` (see
/// [`packet(7)`]).
///
/// For `bind`, only the protocol and the interface index matter
/// ([`SockAddrLl::new`]); addresses received from the kernel also carry the
/// hardware type, the packet type and the hardware address, up to 32 bytes
/// of it (`MAX_ADDR_LEN`). Text form `packet:IFINDEX:PROTO` (the protocol in
/// hex), followed by `:HATYPE:PKTTYPE[:AA:BB:...]` when any of those is set.
///
/// ```
/// use bsdsock::{SockAddr, SockAddrLl};
/// let a = SockAddrLl::new(libc::ETH_P_ALL as u16, 1);
/// assert_eq!((a.protocol(), a.ifindex(), a.addr()), (3, 1, &[][..]));
/// assert_eq!(a.to_string(), "packet:1:0x0003");
/// assert_eq!("packet:1:0x0003".parse::<SockAddr>()?, SockAddr::Packet(a));
/// let seen: SockAddr = "packet:1:0x0800:772:4:00:00:00:00:00:00".parse()?;
/// let SockAddr::Packet(seen) = seen else { panic!() };
/// assert_eq!((seen.hatype(), seen.pkttype(), seen.addr().len()), (772, 4, 6));
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`packet(7)`]: https://man7.org/linux/man-pages/man7/packet.7.html
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
// 4-aligned like SockAddrUn (see there): SockAddr's tag then stays a whole
// u32 before every payload, which the getsockname rows of
// benches/callgrind.guard depend on.
#[repr(align(4))]
#[doc(alias = "sockaddr_ll")]
pub struct SockAddrLl {
    /// The C struct's bytes with room for `MAX_ADDR_LEN` bytes of `sll_addr`;
    /// zero past `sll_addr[sll_halen]`.
    bytes: [u8; CAP],
    /// The address length handed to the kernel: the struct's size, or more for
    /// a hardware address longer than 8 bytes.
    len: u8,
}

impl SockAddrLl {
    /// An address to `bind` a packet socket to: `protocol` is the Ethernet
    /// protocol in host byte order (`ETH_P_ALL`, `ETH_P_IP`, ...; 0 receives
    /// nothing), `ifindex` the interface (0 for all; see
    /// [`if_nametoindex`](crate::if_nametoindex)).
    ///
    /// ```
    /// let a = bsdsock::SockAddrLl::new(0x0800, 2);
    /// assert_eq!((a.protocol(), a.ifindex()), (0x0800, 2));
    /// ```
    pub fn new(protocol: u16, ifindex: u32) -> SockAddrLl {
        let mut bytes = [0; CAP];
        put_family(&mut bytes, libc::AF_PACKET, SIZE);
        bytes[PROTOCOL_AT..PROTOCOL_AT + 2].copy_from_slice(&protocol.to_be_bytes());
        bytes[IFINDEX_AT..IFINDEX_AT + 4].copy_from_slice(&ifindex.to_ne_bytes());
        SockAddrLl { bytes, len: SIZE as u8 }
    }

    /// `sll_protocol`, in host byte order.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrLl::new(0x86dd, 1).protocol(), 0x86dd);
    /// ```
    pub fn protocol(&self) -> u16 {
        u16::from_be_bytes(take(&self.bytes, PROTOCOL_AT))
    }

    /// `sll_ifindex`: the interface index.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrLl::new(3, 7).ifindex(), 7);
    /// ```
    pub fn ifindex(&self) -> u32 {
        u32::from_ne_bytes(take(&self.bytes, IFINDEX_AT))
    }

    /// `sll_hatype`: the ARP hardware type (`ARPHRD_ETHER`, 1; `ARPHRD_LOOPBACK`,
    /// 772; ...), 0 in an address built for `bind`.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrLl::new(3, 1).hatype(), 0);
    /// ```
    pub fn hatype(&self) -> u16 {
        u16::from_ne_bytes(take(&self.bytes, HATYPE_AT))
    }

    /// `sll_pkttype`: `PACKET_HOST` (0), `PACKET_BROADCAST`, `PACKET_OUTGOING`
    /// (4), ... for a received packet.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrLl::new(3, 1).pkttype(), 0);
    /// ```
    pub fn pkttype(&self) -> u8 {
        self.bytes[PKTTYPE_AT]
    }

    /// The hardware address: the `sll_halen` bytes of `sll_addr`.
    ///
    /// ```
    /// assert!(bsdsock::SockAddrLl::new(3, 1).addr().is_empty());
    /// ```
    pub fn addr(&self) -> &[u8] {
        &self.bytes[ADDR_AT..ADDR_AT + usize::from(self.bytes[HALEN_AT])]
    }

    /// Decodes a `sockaddr_ll` whose family was already checked. The kernel
    /// reports `offsetof(sll_addr) + sll_halen` bytes from getsockname (18 for
    /// `lo`'s 6-byte address, less than the struct) and at least the struct's
    /// size from recvfrom; both decode to the same address, which hands the
    /// kernel at least the struct's size (what `bind` requires).
    pub(super) fn from_raw(raw: &[u8]) -> Result<SockAddrLl, &'static str> {
        if raw.len() < ADDR_AT || raw.len() > CAP {
            return Err("length does not fit AF_PACKET (12 to 44 bytes)");
        }
        let halen = usize::from(raw[HALEN_AT]);
        if halen > MAX_HALEN {
            return Err("sll_halen is over 32 (MAX_ADDR_LEN)");
        }
        let end = ADDR_AT + halen;
        if end > raw.len() {
            return Err("length is too short for sll_halen bytes of sll_addr");
        }
        let mut bytes = [0; CAP];
        bytes[..end].copy_from_slice(&raw[..end]);
        let len = end.max(SIZE);
        put_family(&mut bytes, libc::AF_PACKET, len);
        Ok(SockAddrLl { bytes, len: len as u8 })
    }

    /// Parses the text after `packet:`.
    pub(super) fn parse(rest: &str) -> Result<SockAddrLl, Reason> {
        const FORM: Reason =
            Reason::Rule("a packet address is packet:IFINDEX:PROTO[:HATYPE:PKTTYPE[:AA:BB:...]]");
        let mut parts = rest.split(':');
        let ifindex = parts.next().and_then(dec_u32).ok_or(FORM)?;
        let protocol = parts.next().and_then(number).ok_or(FORM)?;
        let mut a = SockAddrLl::new(u16::try_from(protocol).map_err(|_| FORM)?, ifindex);
        if let Some(hatype) = parts.next() {
            let hatype = number(hatype).and_then(|n| u16::try_from(n).ok()).ok_or(FORM)?;
            let pkttype = parts.next().and_then(number).ok_or(FORM)?;
            let pkttype = u8::try_from(pkttype).map_err(|_| FORM)?;
            let mut raw = a.bytes;
            raw[HATYPE_AT..HATYPE_AT + 2].copy_from_slice(&hatype.to_ne_bytes());
            raw[PKTTYPE_AT] = pkttype;
            let mut halen = 0;
            for pair in parts {
                let slot = raw.get_mut(ADDR_AT + halen).ok_or(Reason::Rule(
                    "a hardware address has at most 32 bytes (MAX_ADDR_LEN)",
                ))?;
                *slot = hex_byte(pair.as_bytes()).ok_or(Reason::Rule(
                    "a hardware address is hex bytes separated by ':' (00:1a:2b)",
                ))?;
                halen += 1;
            }
            raw[HALEN_AT] = halen as u8;
            a = SockAddrLl::from_raw(&raw[..ADDR_AT + halen]).map_err(Reason::Rule)?;
        }
        Ok(a)
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// A decimal number, or a hex one after `0x`.
fn number(text: &str) -> Option<u32> {
    match text.strip_prefix("0x") {
        Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
            u32::from_str_radix(hex, 16).ok()
        }
        Some(_) => None,
        None => dec_u32(text),
    }
}

impl fmt::Display for SockAddrLl {
    /// `packet:IFINDEX:0xPROTO`, then `:HATYPE:PKTTYPE` and the hardware address
    /// as `:`-separated hex bytes when any of them is set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "packet:{}:{:#06x}", self.ifindex(), self.protocol())?;
        if self.hatype() != 0 || self.pkttype() != 0 || !self.addr().is_empty() {
            write!(f, ":{}:{}", self.hatype(), self.pkttype())?;
            if !self.addr().is_empty() {
                f.write_str(":")?;
                write_hex(f, self.addr(), ":")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for SockAddrLl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SockAddrLl({self})")
    }
}

impl FromStr for SockAddrLl {
    type Err = Error;

    /// Parses what Display prints.
    ///
    /// ```
    /// let a: bsdsock::SockAddrLl = "packet:2:0x0800".parse()?;
    /// assert_eq!((a.ifindex(), a.protocol()), (2, 0x0800));
    /// assert!("packet:2:0x10000".parse::<bsdsock::SockAddrLl>().is_err());
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<SockAddrLl, Error> {
        s.strip_prefix("packet:")
            .ok_or(Reason::Rule("a packet address starts with packet:"))
            .and_then(SockAddrLl::parse)
            .map_err(|reason| super::parse::refused(s, reason))
    }
}
