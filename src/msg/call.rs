//! [`sendmsg`] and [`recvmsg`].

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsFd, OwnedFd};

use super::buffer::Scratch;
use super::parse::{ControlMessageOwned, decode, rights};
use super::send::{self, ControlMessage};
use crate::error::Context;
use crate::sys::{self, AddrBuf, CmsgBuffer, RawCmsgs};
use crate::{Error, MsgFlags, Result, SockAddr};

/// Checks the input rules of `cmsgs` before any call.
#[inline]
pub(crate) fn check(
    fd: std::os::fd::BorrowedFd<'_>,
    iov: &[IoSlice<'_>],
    cmsgs: &[ControlMessage<'_>],
    call: &'static str,
) -> Result<()> {
    for c in cmsgs {
        if let Some(rule) = c.refusal() {
            return Err(Error::invalid(call, rule));
        }
    }
    if send::has_fds(cmsgs) && iov.iter().all(|s| s.is_empty()) {
        stream_needs_data(fd, call)?;
    }
    Ok(())
}

/// Descriptors with no data: refused on a stream socket, where the kernel
/// would send nothing (and so pass no descriptor).
#[cold]
fn stream_needs_data(fd: std::os::fd::BorrowedFd<'_>, call: &'static str) -> Result<()> {
    if crate::opt::getsockopt(fd, crate::opt::SO_TYPE)? == crate::Type::STREAM {
        return Err(Error::invalid(
            call,
            "descriptors on a stream socket need at least one byte of data",
        ));
    }
    Ok(())
}

/// [`sendmsg(2)`](https://man7.org/linux/man-pages/man2/sendmsg.2.html): the
/// data of `iov` (gathered), with control messages `cmsgs`
/// ([cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)), to `addr` (or
/// the connected peer). `MSG_NOSIGNAL` is always added. Returns the bytes sent.
/// The control data is encoded on the stack (no allocation) up to 256 bytes.
/// Refused before the call: see [`ControlMessage`].
///
/// ```
/// use std::io::{IoSlice, IoSliceMut};
/// use bsdsock::{recvmsg, sendmsg, socketpair, Domain, MsgFlags, Type};
/// let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Default::default())?;
/// sendmsg(&a, &[IoSlice::new(b"hel"), IoSlice::new(b"lo")], &[], MsgFlags::empty(), None)?;
/// let mut buf = [0u8; 8];
/// let m = recvmsg(&b, &mut [IoSliceMut::new(&mut buf)], None, MsgFlags::empty())?;
/// assert_eq!(&buf[..m.bytes], b"hello");
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[inline]
pub fn sendmsg(
    fd: impl AsFd,
    iov: &[IoSlice<'_>],
    cmsgs: &[ControlMessage<'_>],
    flags: MsgFlags,
    addr: Option<&SockAddr>,
) -> Result<usize> {
    let fd = fd.as_fd();
    let addr = addr.map_or(&[][..], |a| a.as_bytes());
    if cmsgs.is_empty() {
        return sys::sendmsg(fd, iov, addr, &[], 0, flags.bits()).ctx("sendmsg");
    }
    sendmsg_cmsgs(fd, iov, cmsgs, flags, addr)
}

fn sendmsg_cmsgs(
    fd: std::os::fd::BorrowedFd<'_>,
    iov: &[IoSlice<'_>],
    cmsgs: &[ControlMessage<'_>],
    flags: MsgFlags,
    addr: &[u8],
) -> Result<usize> {
    check(fd, iov, cmsgs, "sendmsg")?;
    let mut scratch = Scratch::new(send::space(cmsgs));
    let len = send::encode(cmsgs, scratch.bytes_mut());
    sys::sendmsg(fd, iov, addr, scratch.words(), len, flags.bits()).ctx("sendmsg")
}

/// What [`recvmsg`] ([recvmsg(2)](https://man7.org/linux/man-pages/man2/recvmsg.2.html))
/// received: the byte count, the sender's address, the message flags and the
/// control messages. Every descriptor the kernel installed is already owned
/// here; those not taken through [`cmsgs`](RecvMsg::cmsgs) are closed when
/// this drops.
///
/// ```
/// use std::io::{IoSlice, IoSliceMut};
/// use bsdsock::*;
/// let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Default::default())?;
/// sendmsg(&a, &[IoSlice::new(b"abc")], &[], MsgFlags::empty(), None)?;
/// let mut buf = [0u8; 2];
/// let m: RecvMsg<'_> = recvmsg(&b, &mut [IoSliceMut::new(&mut buf)], None, MsgFlags::empty())?;
/// assert_eq!((m.bytes, m.flags), (2, MsgFlags::TRUNC)); // the datagram was longer
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Debug)]
pub struct RecvMsg<'c> {
    /// Bytes received (with `MSG_TRUNC` in `flags`, the datagram was longer).
    pub bytes: usize,
    /// The sender's address; `SockAddr::Unspec` when there is none (connected stream).
    pub addr: SockAddr,
    /// `msg_flags`: `TRUNC`, `CTRUNC`, `EOR`, `OOB`, `ERRQUEUE`.
    pub flags: MsgFlags,
    pub(crate) cmsg: &'c [u8],
    pub(crate) fds: std::vec::IntoIter<OwnedFd>,
}

impl RecvMsg<'_> {
    /// `MSG_CTRUNC`: the control buffer was too small and the kernel cut the
    /// control data (descriptors that did not fit were closed by the kernel).
    ///
    /// ```
    /// use std::io::IoSliceMut;
    /// use bsdsock::{recvmsg, sendmsg, socketpair, Domain, MsgFlags, Type};
    /// let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Default::default())?;
    /// sendmsg(&a, &[std::io::IoSlice::new(b"x")], &[], MsgFlags::empty(), None)?;
    /// let m = recvmsg(&b, &mut [IoSliceMut::new(&mut [0u8; 1])], None, MsgFlags::empty())?;
    /// assert!(!m.truncated());
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn truncated(&self) -> bool {
        self.flags.contains(MsgFlags::CTRUNC)
    }

    /// The control messages, in kernel order
    /// ([cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)).
    /// `SCM_RIGHTS` comes as [`ControlMessageOwned::ScmRights`] with owned
    /// descriptors; each call after the first yields them no more (they were
    /// taken), but the other messages again.
    ///
    /// ```
    /// use std::io::{IoSlice, IoSliceMut};
    /// use std::os::fd::AsFd;
    /// use bsdsock::*;
    /// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Default::default())?;
    /// let f = std::fs::File::open("/dev/null").unwrap();
    /// sendmsg(&a, &[IoSlice::new(b"x")], &[ControlMessage::ScmRights(&[f.as_fd()])], MsgFlags::empty(), None)?;
    /// let mut cbuf = CmsgBuffer::for_fds(1);
    /// let mut m = recvmsg(&b, &mut [IoSliceMut::new(&mut [0u8; 1])], Some(&mut cbuf), MsgFlags::empty())?;
    /// let Some(ControlMessageOwned::ScmRights(fds)) = m.cmsgs().next() else { panic!() };
    /// assert_eq!(fds.len(), 1);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn cmsgs(&mut self) -> impl Iterator<Item = ControlMessageOwned> + '_ {
        let fds = &mut self.fds;
        // SCM_RIGHTS is told apart before decoding: a decoded message matched
        // and moved on would be copied whole (about 170 bytes) on every message.
        RawCmsgs::new(self.cmsg).map(move |c| {
            if c.level == libc::SOL_SOCKET && c.ty == libc::SCM_RIGHTS {
                ControlMessageOwned::ScmRights(fds.by_ref().take(rights(c.data).count()).collect())
            } else {
                decode(c)
            }
        })
    }
}

/// [`recvmsg(2)`](https://man7.org/linux/man-pages/man2/recvmsg.2.html): data
/// into `iov` (scattered), control data into `cmsg`
/// ([cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)), the sender's
/// address, the message flags. `MSG_CMSG_CLOEXEC` is always added. Descriptors
/// passed with `SCM_RIGHTS` ([unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html))
/// are owned as soon as this returns — also after `MSG_CTRUNC` and with
/// `MSG_PEEK` (which installs copies) — and closed with the [`RecvMsg`] unless
/// taken. No heap allocation when no descriptor arrives.
///
/// A datagram longer than `iov` is cut, and `MsgFlags::TRUNC` is set in the
/// result's `flags`; with `MsgFlags::TRUNC` in `flags` (Linux), the result's
/// `bytes` is then the datagram's full length, more than `iov` holds (recv(2)).
///
/// ```
/// use std::io::{IoSlice, IoSliceMut};
/// use bsdsock::*;
/// let a = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// a.bind(&"127.0.0.1:0".parse()?)?;
/// let b = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// b.bind(&"127.0.0.1:0".parse()?)?;
/// sendmsg(&b, &[IoSlice::new(b"hi")], &[], MsgFlags::empty(), Some(&a.getsockname()?))?;
/// let mut buf = [0u8; 16];
/// let m = recvmsg(&a, &mut [IoSliceMut::new(&mut buf)], None, MsgFlags::empty())?;
/// assert_eq!(m.addr, b.getsockname()?);
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[inline]
pub fn recvmsg<'c>(
    fd: impl AsFd,
    iov: &mut [IoSliceMut<'_>],
    cmsg: Option<&'c mut CmsgBuffer>,
    flags: MsgFlags,
) -> Result<RecvMsg<'c>> {
    let mut addr = AddrBuf::new();
    let mut fds = Vec::new();
    let mut cmsg = cmsg;
    let (bytes, got) =
        sys::recvmsg(fd.as_fd(), iov, &mut addr, cmsg.as_deref_mut(), &mut fds, flags.bits())
            .ctx("recvmsg")?;
    let flags = MsgFlags::from_bits_retain(got);
    let cmsg = cmsg.map_or(&[][..], |c| c.used());
    // AF_INET is built in the caller's RecvMsg at its own return: through one
    // SockAddr for every family, its 16 bytes were copied as the whole
    // 136-byte enum twice (30 of the `recvmsg` row's instructions in
    // benches/callgrind.sh).
    if let Some(sin) = addr.get_family::<libc::sockaddr_in>(libc::AF_INET as libc::sa_family_t) {
        let addr = SockAddr::Inet(crate::SockAddrIn(sin));
        return Ok(RecvMsg { bytes, addr, flags, cmsg, fds: fds.into_iter() });
    }
    let addr = SockAddr::from_addr_buf(&addr, "recvmsg")?;
    Ok(RecvMsg { bytes, addr, flags, cmsg, fds: fds.into_iter() })
}
