//! `sockaddr_vm`: vsock addresses between a virtual machine and its host
//! (Linux vsock(7), Apple `<sys/vsock.h>`).

use std::fmt;
use std::mem::{offset_of, size_of};
use std::str::FromStr;

use super::family::{dec_u32, put_family, take};
use crate::{Error, Reason};

const SIZE: usize = size_of::<libc::sockaddr_vm>();
const PORT_AT: usize = offset_of!(libc::sockaddr_vm, svm_port);
const CID_AT: usize = offset_of!(libc::sockaddr_vm, svm_cid);
/// `svm_flags` (Linux 5.10 and later, vsock(7)): the first byte of what older
/// headers, libc's among them, call `svm_zero`.
#[cfg(linux_like)]
const FLAGS_AT: usize = offset_of!(libc::sockaddr_vm, svm_zero);

/// `VMADDR_CID_ANY`: bind to any context ID.
pub const VMADDR_CID_ANY: u32 = libc::VMADDR_CID_ANY;
/// `VMADDR_CID_HYPERVISOR` (0): the hypervisor.
pub const VMADDR_CID_HYPERVISOR: u32 = libc::VMADDR_CID_HYPERVISOR;
/// `VMADDR_CID_LOCAL` (1): this machine, over the loopback transport (Linux).
#[cfg(linux_like)]
#[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
pub const VMADDR_CID_LOCAL: u32 = libc::VMADDR_CID_LOCAL;
/// `VMADDR_CID_HOST` (2): the host, seen from a virtual machine.
pub const VMADDR_CID_HOST: u32 = libc::VMADDR_CID_HOST;
/// `VMADDR_PORT_ANY`: bind to any free port.
pub const VMADDR_PORT_ANY: u32 = libc::VMADDR_PORT_ANY;

/// A vsock address: C's `struct sockaddr_vm` (see [`vsock(7)`]): a context ID
/// (which machine) and a port. Text form `vsock:CID:PORT` (then `:FLAGS` when
/// the Linux `svm_flags` byte is set).
///
/// ```
/// use bsdsock::{SockAddr, SockAddrVm, VMADDR_CID_HOST};
/// let a = SockAddrVm::new(VMADDR_CID_HOST, 1024);
/// assert_eq!((a.cid(), a.port()), (2, 1024));
/// assert_eq!(a.to_string(), "vsock:2:1024");
/// assert_eq!("vsock:2:1024".parse::<SockAddr>()?, SockAddr::Vsock(a));
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`vsock(7)`]: https://man7.org/linux/man-pages/man7/vsock.7.html
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
// 4-aligned like SockAddrUn (see there): SockAddr's tag then stays a whole
// u32 before every payload, which the getsockname rows of
// benches/callgrind.guard depend on.
#[repr(align(4))]
#[doc(alias = "sockaddr_vm")]
pub struct SockAddrVm {
    /// The C struct's bytes; the reserved ones zero.
    bytes: [u8; SIZE],
}

impl SockAddrVm {
    /// An address for context ID `cid` ([`VMADDR_CID_ANY`], [`VMADDR_CID_HOST`],
    /// a guest's CID, ...) and `port` ([`VMADDR_PORT_ANY`] to let `bind` choose).
    ///
    /// ```
    /// let a = bsdsock::SockAddrVm::new(bsdsock::VMADDR_CID_ANY, bsdsock::VMADDR_PORT_ANY);
    /// assert_eq!(a.port(), u32::MAX);
    /// ```
    pub fn new(cid: u32, port: u32) -> SockAddrVm {
        let mut bytes = [0; SIZE];
        put_family(&mut bytes, libc::AF_VSOCK, SIZE);
        bytes[PORT_AT..PORT_AT + 4].copy_from_slice(&port.to_ne_bytes());
        bytes[CID_AT..CID_AT + 4].copy_from_slice(&cid.to_ne_bytes());
        SockAddrVm { bytes }
    }

    /// `svm_cid`: the context ID.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrVm::new(3, 9).cid(), 3);
    /// ```
    pub fn cid(&self) -> u32 {
        u32::from_ne_bytes(take(&self.bytes, CID_AT))
    }

    /// `svm_port`.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrVm::new(3, 9).port(), 9);
    /// ```
    pub fn port(&self) -> u32 {
        u32::from_ne_bytes(take(&self.bytes, PORT_AT))
    }

    /// `svm_flags` (vsock(7)): `VMADDR_FLAG_TO_HOST` (1) on a connection the
    /// kernel routes to the host; 0 otherwise.
    ///
    /// ```
    /// assert_eq!(bsdsock::SockAddrVm::new(3, 9).flags(), 0);
    /// ```
    #[cfg(linux_like)]
    #[cfg_attr(docsrs, doc(cfg(any(target_os = "linux", target_os = "android"))))]
    pub fn flags(&self) -> u8 {
        self.bytes[FLAGS_AT]
    }

    #[cfg(linux_like)]
    fn with_flags(mut self, flags: u8) -> SockAddrVm {
        self.bytes[FLAGS_AT] = flags;
        self
    }

    fn raw_flags(&self) -> u8 {
        cfg_if::cfg_if! {
            if #[cfg(linux_like)] { self.flags() } else { 0 }
        }
    }

    /// Decodes a `sockaddr_vm` whose family was already checked.
    pub(super) fn from_raw(raw: &[u8]) -> Result<SockAddrVm, &'static str> {
        if raw.len() != SIZE {
            return Err("length does not fit AF_VSOCK (sizeof(struct sockaddr_vm))");
        }
        let a = SockAddrVm::new(
            u32::from_ne_bytes(take(raw, CID_AT)),
            u32::from_ne_bytes(take(raw, PORT_AT)),
        );
        #[cfg(linux_like)]
        let a = a.with_flags(raw[FLAGS_AT]);
        Ok(a)
    }

    /// Parses the text after `vsock:`.
    pub(super) fn parse(rest: &str) -> Result<SockAddrVm, Reason> {
        const FORM: Reason =
            Reason::Rule("a vsock address is vsock:CID:PORT (two numbers; then :FLAGS on Linux)");
        let mut parts = rest.split(':');
        let cid = parts.next().and_then(dec_u32).ok_or(FORM)?;
        let port = parts.next().and_then(dec_u32).ok_or(FORM)?;
        let a = SockAddrVm::new(cid, port);
        match (parts.next(), parts.next()) {
            (None, _) => Ok(a),
            #[cfg(linux_like)]
            (Some(flags), None) => {
                let flags = dec_u32(flags).and_then(|f| u8::try_from(f).ok()).ok_or(FORM)?;
                Ok(a.with_flags(flags))
            }
            _ => Err(FORM),
        }
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Display for SockAddrVm {
    /// `vsock:CID:PORT` in decimal, then `:FLAGS` if `svm_flags` is set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "vsock:{}:{}", self.cid(), self.port())?;
        match self.raw_flags() {
            0 => Ok(()),
            flags => write!(f, ":{flags}"),
        }
    }
}

impl fmt::Debug for SockAddrVm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SockAddrVm({self})")
    }
}

impl FromStr for SockAddrVm {
    type Err = Error;

    /// Parses what Display prints.
    ///
    /// ```
    /// let a: bsdsock::SockAddrVm = "vsock:3:5000".parse()?;
    /// assert_eq!((a.cid(), a.port()), (3, 5000));
    /// assert!("vsock:3".parse::<bsdsock::SockAddrVm>().is_err());
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<SockAddrVm, Error> {
        s.strip_prefix("vsock:")
            .ok_or(Reason::Rule("a vsock address starts with vsock:"))
            .and_then(SockAddrVm::parse)
            .map_err(|reason| super::parse::refused(s, reason))
    }
}
