//! [`sendmmsg`] and [`recvmmsg`] (Linux, FreeBSD, NetBSD, OpenBSD): many
//! datagrams per call.

use std::io::IoSlice;
use std::os::fd::AsFd;
use std::time::Duration;

use super::call::{RecvMsg, check};
use super::send::{self, ControlMessage};
use crate::error::Context;
use crate::sys::{self, MmsgState, SendItem};
use crate::{CMSG_SPACE, Errno, Error, MsgFlags, PollFd, PollFlags, Result, SockAddr};

/// One message of a [`sendmmsg`] batch: its own data, destination and control
/// messages (`struct mmsghdr`'s `msg_hdr`).
///
/// ```
/// use std::io::IoSlice;
/// let iov = [IoSlice::new(b"one")];
/// let m = bsdsock::MsgOut { iov: &iov, addr: None, cmsgs: &[] };
/// assert!(m.addr.is_none());
/// ```
#[cfg_attr(
    docsrs,
    doc(cfg(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd"
    )))
)]
#[derive(Clone, Copy, Debug)]
pub struct MsgOut<'a> {
    /// The data, gathered.
    pub iov: &'a [IoSlice<'a>],
    /// The destination; `None` for a connected socket.
    pub addr: Option<&'a SockAddr>,
    /// This message's control messages.
    pub cmsgs: &'a [ControlMessage<'a>],
}

/// [`sendmmsg(2)`](https://man7.org/linux/man-pages/man2/sendmmsg.2.html):
/// sends `msgs` in one call, each with its own address and control data, with
/// `MSG_NOSIGNAL`. Returns how many were sent: fewer than `msgs.len()` is a
/// partial success (the kernel stops at the first failure after one was sent,
/// or at 1024, `UIO_MAXIOV`) — retry from `n` (`&msgs[n..]`), where the
/// failure, if any, is reported. Each message's input is checked as in
/// [`sendmsg`](crate::sendmsg) before anything is sent.
///
/// ```
/// use std::io::IoSlice;
/// use bsdsock::*;
/// let r = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// r.bind(&"127.0.0.1:0".parse()?)?;
/// let to = r.getsockname()?;
/// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// let (a, b) = ([IoSlice::new(b"a")], [IoSlice::new(b"bb")]);
/// let msgs = [MsgOut { iov: &a, addr: Some(&to), cmsgs: &[] },
///             MsgOut { iov: &b, addr: Some(&to), cmsgs: &[] }];
/// assert_eq!(sendmmsg(&s, &msgs, MsgFlags::empty())?, 2);
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[cfg_attr(
    docsrs,
    doc(cfg(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd"
    )))
)]
pub fn sendmmsg(fd: impl AsFd, msgs: &[MsgOut<'_>], flags: MsgFlags) -> Result<usize> {
    let fd = fd.as_fd();
    let mut total = 0;
    for m in msgs {
        check(fd, m.iov, m.cmsgs, "sendmmsg")?;
        total += send::space(m.cmsgs);
    }
    let mut words = vec![0u64; total.div_ceil(8)];
    let bytes = sys::words_as_bytes_mut(&mut words);
    let mut ranges = Vec::with_capacity(msgs.len());
    let mut at = 0;
    for m in msgs {
        let n = send::encode(m.cmsgs, &mut bytes[at..]);
        ranges.push(at..at + n);
        at += n;
    }
    let bytes = &*bytes;
    let items: Vec<SendItem<'_>> = msgs
        .iter()
        .zip(ranges)
        .map(|(m, r)| SendItem {
            iov: m.iov,
            addr: m.addr.map_or(&[][..], |a| a.as_bytes()),
            control: &bytes[r],
        })
        .collect();
    let mut hdrs = Vec::with_capacity(items.len());
    sys::sendmmsg(fd, &items, &mut hdrs, flags.bits()).ctx("sendmmsg")
}

/// The reusable buffers of [`recvmmsg`]: `n` data buffers of `size` bytes, `n`
/// control buffers ([`CmsgBuffer`](crate::CmsgBuffer)s) and `n` addresses,
/// allocated once and reused by every call with no allocation; each call
/// resets the lengths (and closes descriptors of the last call nobody took).
///
/// ```
/// let mut b = bsdsock::RecvBatch::new(32, 1500, bsdsock::CMSG_SPACE(4));
/// assert_eq!((b.capacity(), b.len()), (32, 0));
/// assert_eq!(b.iter().count(), 0);
/// ```
#[cfg_attr(
    docsrs,
    doc(cfg(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd"
    )))
)]
pub struct RecvBatch {
    st: MmsgState,
    got: usize,
}

impl std::fmt::Debug for RecvBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecvBatch")
            .field("capacity", &self.capacity())
            .field("size", &self.st.size)
            .field("len", &self.got)
            .finish()
    }
}

/// One message of a [`RecvBatch`] filled by
/// [recvmmsg(2)](https://man7.org/linux/man-pages/man2/recvmmsg.2.html): its
/// data and the rest as a [`RecvMsg`] (address, flags, control messages, owned
/// descriptors).
///
/// ```
/// use bsdsock::*;
/// let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Default::default())?;
/// a.send(b"hi", MsgFlags::empty())?;
/// let mut batch = RecvBatch::new(4, 16, 0);
/// recvmmsg(&b, &mut batch, MsgFlags::WAITFORONE, None)?; // or a timeout: None waits for 4
/// let m: BatchMsg<'_> = batch.iter().next().unwrap();
/// assert_eq!((m.data, m.msg.bytes), (&b"hi"[..], 2));
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[cfg_attr(
    docsrs,
    doc(cfg(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd"
    )))
)]
#[derive(Debug)]
pub struct BatchMsg<'b> {
    /// The bytes received (`msg.bytes` of them, at most the buffer size; with
    /// `MsgFlags::TRUNC` in the call, `msg.bytes` is the datagram's real length).
    pub data: &'b [u8],
    /// Length, address, flags and control messages.
    pub msg: RecvMsg<'b>,
}

impl RecvBatch {
    /// A batch of `n` messages of up to `size` bytes each, with `cmsg_space`
    /// bytes of control buffer each (size it with [`CMSG_SPACE`]; 0 for none).
    ///
    /// ```
    /// let b = bsdsock::RecvBatch::new(8, 64, 0);
    /// assert!(b.is_empty());
    /// ```
    ///
    /// # Panics
    ///
    /// When `n × size` or `n × cmsg_space` bytes overflow `usize`, as
    /// `Vec::with_capacity` does; [`try_new`](RecvBatch::try_new) gives an `Err`
    /// instead.
    pub fn new(n: usize, size: usize, cmsg_space: usize) -> RecvBatch {
        match RecvBatch::try_new(n, size, cmsg_space) {
            Ok(b) => b,
            Err(e) => panic!("{e}"),
        }
    }

    /// [`new`](RecvBatch::new), or `Error::InvalidInput` when the buffers'
    /// total size overflows `usize` (the allocation itself can still fail, as
    /// any `Vec`'s does).
    ///
    /// ```
    /// use bsdsock::RecvBatch;
    /// assert!(RecvBatch::try_new(usize::MAX, 2, 0).is_err());
    /// assert_eq!(RecvBatch::try_new(2, 1500, 0)?.capacity(), 2);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn try_new(n: usize, size: usize, cmsg_space: usize) -> Result<RecvBatch> {
        let words = cmsg_space.div_ceil(8);
        let fits = |each: usize| n.checked_mul(each).is_some_and(|t| t <= isize::MAX as usize);
        // Each message also has its address, header, lengths and descriptor
        // list: well under 512 bytes of bookkeeping.
        if !fits(size.saturating_add(512)) || !fits(words.saturating_mul(8)) {
            return Err(Error::invalid("RecvBatch::new", "the batch's buffers overflow usize"));
        }
        Ok(RecvBatch { st: MmsgState::new(n, size, words), got: 0 })
    }

    /// A batch whose control buffers hold one `UDP_GRO` (or other int) message:
    /// `CMSG_SPACE(4)` each.
    ///
    /// ```
    /// let b = bsdsock::RecvBatch::with_int_cmsg(4, 65535);
    /// assert_eq!(b.capacity(), 4);
    /// ```
    pub fn with_int_cmsg(n: usize, size: usize) -> RecvBatch {
        RecvBatch::new(n, size, CMSG_SPACE(4))
    }

    /// How many messages it holds at most.
    ///
    /// ```
    /// assert_eq!(bsdsock::RecvBatch::new(3, 10, 0).capacity(), 3);
    /// ```
    pub fn capacity(&self) -> usize {
        self.st.lens.len()
    }

    /// How many messages the last [`recvmmsg`] received.
    ///
    /// ```
    /// assert_eq!(bsdsock::RecvBatch::new(3, 10, 0).len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.got
    }

    /// Whether the last call received nothing.
    ///
    /// ```
    /// assert!(bsdsock::RecvBatch::new(3, 10, 0).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.got == 0
    }

    /// The data of message `i` of the last call.
    ///
    /// ```
    /// assert!(bsdsock::RecvBatch::new(3, 10, 0).data(0).is_none());
    /// ```
    pub fn data(&self, i: usize) -> Option<&[u8]> {
        (i < self.got).then(|| {
            let at = i * self.st.size;
            &self.st.data[at..at + self.st.lens[i].min(self.st.size)]
        })
    }

    /// The messages of the last call, in order, each with its data, address,
    /// flags and control messages (descriptors are moved out to the caller).
    ///
    /// ```
    /// let mut b = bsdsock::RecvBatch::new(2, 10, 0);
    /// for m in b.iter() { let _ = (m.data, m.msg.addr); }
    /// ```
    pub fn iter(&mut self) -> impl Iterator<Item = BatchMsg<'_>> + '_ {
        let st = &mut self.st;
        let (data, size) = (&st.data, st.size);
        st.lens
            .iter()
            .zip(st.addrs.iter())
            .zip(st.cmsgs.iter())
            .zip(st.flags.iter())
            .zip(st.fds.iter_mut())
            .enumerate()
            .take(self.got)
            .map(move |(i, ((((&len, addr), cmsg), &flags), fds))| BatchMsg {
                data: &data[i * size..i * size + len.min(size)],
                msg: RecvMsg {
                    bytes: len,
                    addr: SockAddr::from_addr_buf(addr, "recvmmsg").unwrap_or(SockAddr::Unspec),
                    flags: MsgFlags::from_bits_retain(flags),
                    cmsg: cmsg.used(),
                    fds: std::mem::take(fds).into_iter(),
                },
            })
    }
}

/// [`recvmmsg(2)`](https://man7.org/linux/man-pages/man2/recvmmsg.2.html):
/// receives up to `batch.capacity()` datagrams in one call into `batch`, with
/// `MSG_CMSG_CLOEXEC`. Returns how many arrived (also [`RecvBatch::len`]).
///
/// The timeout is honoured, unlike the raw syscall's (checked only after each
/// datagram): with `Some(t)` this waits at most `t` for the first message
/// (`poll(2)`), then takes what is queued without waiting (`MSG_DONTWAIT`);
/// `Ok(0)` when nothing came in time. With `None` the raw call blocks until
/// the whole batch is filled, unless [`MsgFlags::WAITFORONE`] (return after the
/// first datagram) or `DONTWAIT` is given.
///
/// ```
/// use std::time::Duration;
/// use bsdsock::*;
/// let r = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// r.bind(&"127.0.0.1:0".parse()?)?;
/// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// for i in 0..3u8 { s.sendto(&[i], MsgFlags::empty(), &r.getsockname()?)?; }
/// let mut batch = RecvBatch::new(8, 16, 0);
/// assert_eq!(recvmmsg(&r, &mut batch, MsgFlags::empty(), Some(Duration::from_secs(1)))?, 3);
/// assert_eq!(batch.data(2), Some(&[2u8][..]));
/// assert_eq!(recvmmsg(&r, &mut batch, MsgFlags::empty(), Some(Duration::ZERO))?, 0);
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[cfg_attr(
    docsrs,
    doc(cfg(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd"
    )))
)]
pub fn recvmmsg(
    fd: impl AsFd,
    batch: &mut RecvBatch,
    flags: MsgFlags,
    timeout: Option<Duration>,
) -> Result<usize> {
    let fd = fd.as_fd();
    batch.got = 0;
    let mut flags = flags;
    if let Some(t) = timeout {
        let mut p = [PollFd::new(fd, PollFlags::IN)];
        if crate::poll(&mut p, Some(t))? == 0 {
            batch.st.reset();
            return Ok(0);
        }
        flags |= MsgFlags::DONTWAIT;
    }
    match sys::recvmmsg(fd, &mut batch.st, flags.bits()) {
        Ok(n) => {
            batch.got = n;
            Ok(n)
        }
        Err(Errno::EAGAIN) if timeout.is_some() => Ok(0),
        Err(e) => Err(e).ctx("recvmmsg"),
    }
}
