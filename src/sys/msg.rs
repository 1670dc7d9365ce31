//! `sendmsg(2)`, `recvmsg(2)`, `sendmmsg(2)`, `recvmmsg(2)` and the layout of
//! `struct cmsghdr` (cmsg(3)).
//!
//! The control buffer is a [`CmsgBuffer`]: `u64` words, so that it is aligned for
//! `struct cmsghdr` by construction on every target. Walking the headers is safe
//! code over the bytes the kernel wrote ([`RawCmsgs`]); the only unsafe steps are
//! the calls themselves, the byte views of the word buffers and adopting the
//! descriptors an `SCM_RIGHTS` message installed ([`adopt_rights`], called only by
//! [`recvmsg`] / [`recvmmsg`] on what the kernel just wrote).

use std::io::{IoSlice, IoSliceMut};
use std::mem::{offset_of, size_of};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use super::{AddrBuf, Errno, cvt_size, socklen};

/// The alignment of `CMSG_ALIGN`: `sizeof(size_t)` on Linux (glibc and musl),
/// 4 bytes on Apple and illumos, `sizeof(long)` on the BSDs.
#[cfg(not(any(apple, solarish)))]
pub(crate) const CMSG_ALIGNTO: usize = size_of::<usize>();
/// The alignment of `CMSG_ALIGN`: 4 bytes on Apple (`__DARWIN_ALIGN32`) and illumos.
#[cfg(any(apple, solarish))]
pub(crate) const CMSG_ALIGNTO: usize = 4;

/// `CMSG_ALIGN(len)`.
#[inline(always)]
pub(crate) const fn cmsg_align(len: usize) -> usize {
    len.saturating_add(CMSG_ALIGNTO - 1) & !(CMSG_ALIGNTO - 1)
}

/// Where the payload starts: `CMSG_ALIGN(sizeof(struct cmsghdr))`.
pub(crate) const CMSG_HDR: usize = cmsg_align(size_of::<libc::cmsghdr>());
/// Where `cmsg_len` sits and how wide it is (`size_t` on Linux, `socklen_t` elsewhere).
const LEN_AT: usize = offset_of!(libc::cmsghdr, cmsg_len);
const LEN_SIZE: usize = offset_of!(libc::cmsghdr, cmsg_level) - LEN_AT;
const LEVEL_AT: usize = offset_of!(libc::cmsghdr, cmsg_level);
const TYPE_AT: usize = offset_of!(libc::cmsghdr, cmsg_type);

/// An aligned, owned control buffer for [`recvmsg`](crate::recvmsg)
/// ([cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)): `u64` words,
/// so aligned for `struct cmsghdr` by construction, plus the bytes the kernel
/// wrote. No `&mut [u8]` is ever taken as a control buffer, so a misaligned one
/// cannot be expressed. Reuse it across calls: each call resets its length.
///
/// ```
/// use bsdsock::{CmsgBuffer, CMSG_SPACE};
/// let fds = CmsgBuffer::for_fds(4);                       // SCM_RIGHTS, 4 descriptors
/// let info = CmsgBuffer::with_capacity(CMSG_SPACE(12) + CMSG_SPACE(4)); // pktinfo + TTL
/// assert!(fds.capacity() >= CMSG_SPACE(16) && info.capacity() >= CMSG_SPACE(12));
/// ```
pub struct CmsgBuffer {
    pub(crate) words: Vec<u64>,
    /// Bytes in use, at most `words.len() * 8`.
    pub(crate) len: usize,
}

impl CmsgBuffer {
    /// The whole buffer as bytes.
    #[inline]
    pub(crate) fn space_mut(&mut self) -> &mut [u8] {
        words_as_bytes_mut(&mut self.words)
    }

    /// The bytes in use.
    #[inline]
    pub(crate) fn used(&self) -> &[u8] {
        let all = words_as_bytes(&self.words);
        &all[..self.len.min(all.len())]
    }
}

/// `words` as bytes.
#[inline(always)]
pub(crate) fn words_as_bytes(words: &[u64]) -> &[u8] {
    // SAFETY: u64 has no padding and u8 no alignment; the slice covers exactly the
    // words' memory and borrows them.
    unsafe { std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), words.len() * 8) }
}

/// `words` as mutable bytes.
#[inline(always)]
pub(crate) fn words_as_bytes_mut(words: &mut [u64]) -> &mut [u8] {
    // SAFETY: as above; every byte pattern is a valid u64, so writes through the
    // byte view keep the words valid; the slice borrows them mutably.
    unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u8>(), words.len() * 8) }
}

/// Writes one header at `at` of `buf` (aligned: `at` is a multiple of
/// `CMSG_ALIGNTO`). `buf` must hold `CMSG_ALIGN(CMSG_HDR + payload)` bytes from
/// `at`, zeroed: a header's padding (musl's beside a 4-byte `cmsg_len`) is not
/// written.
#[inline]
pub(crate) fn put_header(buf: &mut [u8], at: usize, level: i32, ty: i32, payload: usize) {
    let len = CMSG_HDR + payload;
    let h = &mut buf[at..at + CMSG_HDR];
    if LEN_SIZE == 8 {
        h[LEN_AT..LEN_AT + 8].copy_from_slice(&(len as u64).to_ne_bytes());
    } else {
        h[LEN_AT..LEN_AT + 4].copy_from_slice(&(len as u32).to_ne_bytes());
    }
    h[LEVEL_AT..LEVEL_AT + 4].copy_from_slice(&level.to_ne_bytes());
    h[TYPE_AT..TYPE_AT + 4].copy_from_slice(&ty.to_ne_bytes());
}

/// One control message as the kernel laid it out.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawCmsg<'a> {
    pub(crate) level: i32,
    pub(crate) ty: i32,
    /// The payload: `cmsg_len - CMSG_HDR` bytes, cut at the end of the buffer.
    pub(crate) data: &'a [u8],
    /// `cmsg_len` claimed more bytes than the buffer holds.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    pub(crate) cut: bool,
}

/// The control messages in `buf`, in order: `CMSG_FIRSTHDR` / `CMSG_NXTHDR` as
/// safe code. Stops at a header that does not fit, a `cmsg_len` shorter than a
/// header, or the end of the buffer. Never reads outside `buf`.
#[derive(Clone, Debug)]
pub(crate) struct RawCmsgs<'a> {
    buf: &'a [u8],
}

impl<'a> RawCmsgs<'a> {
    #[inline]
    pub(crate) fn new(buf: &'a [u8]) -> RawCmsgs<'a> {
        RawCmsgs { buf }
    }
}

#[inline(always)]
fn ne_i32(b: &[u8]) -> i32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[..4]);
    i32::from_ne_bytes(a)
}

impl<'a> Iterator for RawCmsgs<'a> {
    type Item = RawCmsg<'a>;

    #[inline]
    fn next(&mut self) -> Option<RawCmsg<'a>> {
        let buf = self.buf;
        let Some(len) = header_len(buf) else {
            self.buf = &[];
            return None;
        };
        let level = ne_i32(&buf[LEVEL_AT..]);
        let ty = ne_i32(&buf[TYPE_AT..]);
        let cut = len > buf.len();
        let end = len.min(buf.len());
        let data = &buf[CMSG_HDR..end];
        let next = if cut { buf.len() } else { cmsg_align(len).min(buf.len()) };
        self.buf = &buf[next..];
        Some(RawCmsg { level, ty, data, cut })
    }
}

/// `cmsg_len` of the header at the start of `buf`, or `None` when no whole
/// header is there or it claims less than a header.
#[inline(always)]
fn header_len(buf: &[u8]) -> Option<usize> {
    let h = buf.get(..CMSG_HDR)?;
    let len = if LEN_SIZE == 8 {
        let mut a = [0u8; 8];
        a.copy_from_slice(&h[LEN_AT..LEN_AT + 8]);
        usize::try_from(u64::from_ne_bytes(a)).unwrap_or(usize::MAX)
    } else {
        let mut a = [0u8; 4];
        a.copy_from_slice(&h[LEN_AT..LEN_AT + 4]);
        u32::from_ne_bytes(a) as usize
    };
    (len >= CMSG_HDR).then_some(len)
}

/// Takes ownership of the descriptors of every `SCM_RIGHTS` message in `buf`,
/// appending them to `out` in order. Private to this module: called only on a
/// control buffer a successful `recvmsg`/`recvmmsg` has just filled, whose
/// descriptors the kernel has just installed in this process and nothing owns.
#[inline]
fn adopt_rights(buf: &[u8], out: &mut Vec<OwnedFd>) {
    // Every successful receive walks its control data here, and most carries
    // no descriptor: the walk reads only each header's length, level and type,
    // and the taking is out of line (a full RawCmsgs walk with the taking
    // inline cost the `recvmsg` row of benches/callgrind.sh 40 more
    // instructions per message).
    let mut rest = buf;
    while let Some(len) = header_len(rest) {
        if ne_i32(&rest[LEVEL_AT..]) == libc::SOL_SOCKET
            && ne_i32(&rest[TYPE_AT..]) == libc::SCM_RIGHTS
        {
            adopt(&rest[CMSG_HDR..len.min(rest.len())], out);
        }
        rest = rest.get(cmsg_align(len)..).unwrap_or(&[]);
    }
}

/// Owns the descriptors of one SCM_RIGHTS payload (see [`adopt_rights`]).
#[inline(never)]
fn adopt(data: &[u8], out: &mut Vec<OwnedFd>) {
    for raw in data.chunks_exact(4) {
        let fd = ne_i32(raw);
        if fd >= 0 {
            // SAFETY: the kernel installed this descriptor for the receive
            // whose control data this is; this is the only place that wraps it.
            out.push(unsafe { OwnedFd::from_raw_fd(fd) });
        }
    }
}

/// A zeroed `msghdr` (musl and the BSDs have padding fields, so no struct literal).
#[inline(always)]
fn empty_msghdr() -> libc::msghdr {
    // SAFETY: msghdr is a C struct of integers and pointers, for which all zeros
    // (null pointers, zero lengths) is a valid value.
    unsafe { std::mem::zeroed() }
}

/// `sendmsg(2)` with MSG_NOSIGNAL where the OS has it. `control` is the encoded
/// control data (`control_len` bytes of `words`); `addr` empty means no address.
#[inline]
pub(crate) fn sendmsg(
    fd: BorrowedFd<'_>,
    iov: &[IoSlice<'_>],
    addr: &[u8],
    words: &[u64],
    control_len: usize,
    flags: i32,
) -> Result<usize, Errno> {
    let mut m = empty_msghdr();
    if !addr.is_empty() {
        m.msg_name = addr.as_ptr() as *mut libc::c_void;
        m.msg_namelen = socklen(addr.len());
    }
    // IoSlice is ABI-compatible with iovec (std guarantees it on Unix).
    m.msg_iov = iov.as_ptr() as *mut libc::iovec;
    m.msg_iovlen = iov.len() as _;
    if control_len > 0 {
        m.msg_control = words.as_ptr() as *mut libc::c_void;
        m.msg_controllen = control_len.min(words.len() * 8) as _;
    }
    let flags = flags | super::socket::SEND_FLAGS;
    // musl's sendmsg on 64-bit targets copies the control data into a 1024-byte
    // stack buffer to clear its padding and fails with ENOMEM beyond that, which
    // would cap SCM_RIGHTS at 252 descriptors. The crate writes the padding as
    // zeros itself (a zeroed msghdr, full-width cmsg_len), so only there, for
    // control data past musl's buffer, it calls the kernel directly; everything
    // else goes through libc's sendmsg, where LD_PRELOAD interposers see it.
    #[cfg(all(target_os = "linux", target_env = "musl", target_pointer_width = "64"))]
    if control_len > 1024 {
        // SAFETY: as below; the raw syscall takes the same three arguments, and
        // m's padding fields are zero (empty_msghdr), as the kernel's layout needs.
        let r = unsafe {
            libc::syscall(libc::SYS_sendmsg, fd.as_raw_fd(), &m as *const libc::msghdr, flags)
        };
        return cvt_size(r as libc::ssize_t);
    }
    // SAFETY: every pointer in m is null or points into a borrowed slice valid for
    // the length beside it; the kernel only reads through them for sendmsg.
    cvt_size(unsafe { libc::sendmsg(fd.as_raw_fd(), &m, flags) })
}

/// Flags every receive carries: close-on-exec for received descriptors.
#[cfg(any(
    linux_like,
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "dragonfly",
    solarish
))]
pub(crate) const RECV_FLAGS: libc::c_int = libc::MSG_CMSG_CLOEXEC;
/// Flags every receive carries: none where the OS has no MSG_CMSG_CLOEXEC.
#[cfg(not(any(
    linux_like,
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "dragonfly",
    solarish
)))]
pub(crate) const RECV_FLAGS: libc::c_int = 0;

/// `recvmsg(2)` with MSG_CMSG_CLOEXEC; returns `(bytes, msg_flags)`. The
/// address goes to `addr`, control data to `cmsg` (its `len` set to what the
/// kernel wrote), and every descriptor an SCM_RIGHTS message installed to `fds`.
#[inline]
pub(crate) fn recvmsg(
    fd: BorrowedFd<'_>,
    iov: &mut [IoSliceMut<'_>],
    addr: &mut AddrBuf,
    cmsg: Option<&mut CmsgBuffer>,
    fds: &mut Vec<OwnedFd>,
    flags: i32,
) -> Result<(usize, i32), Errno> {
    let mut m = empty_msghdr();
    let (name, namelen) = addr.raw();
    m.msg_name = name.cast();
    // SAFETY: namelen points at AddrBuf's length, just set to the storage size.
    m.msg_namelen = unsafe { *namelen };
    m.msg_iov = iov.as_mut_ptr().cast::<libc::iovec>();
    m.msg_iovlen = iov.len() as _;
    let mut cmsg = cmsg;
    if let Some(c) = cmsg.as_deref_mut() {
        c.len = 0;
        let space = c.space_mut();
        m.msg_control = space.as_mut_ptr().cast();
        m.msg_controllen = space.len() as _;
    }
    // The control pointer and length describe the CmsgBuffer's words, aligned for
    // cmsghdr because they are u64s.
    // SAFETY: name/namelen describe AddrBuf's sockaddr_storage; the iovecs are
    // IoSliceMuts (ABI-compatible with iovec) over live mutable buffers.
    let r = cvt_size(unsafe { libc::recvmsg(fd.as_raw_fd(), &mut m, flags | RECV_FLAGS) });
    match r {
        Ok(n) => {
            // SAFETY: namelen still points at AddrBuf's length field.
            unsafe { *namelen = m.msg_namelen };
            if let Some(c) = cmsg {
                #[allow(clippy::unnecessary_cast)] // socklen_t on musl and the BSDs
                let got = m.msg_controllen as usize;
                c.len = got.min(c.words.len() * 8);
                adopt_rights(c.used(), fds);
            }
            // The kernel echoes MSG_CMSG_CLOEXEC back in msg_flags; it is the
            // crate's, not a property of the message.
            Ok((n, m.msg_flags & !RECV_FLAGS))
        }
        Err(e) => {
            addr.clear();
            Err(e)
        }
    }
}

/// The count an mmsg call returned (`int` on Linux, NetBSD and OpenBSD,
/// `ssize_t` on FreeBSD), or its errno.
#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
))]
#[inline]
fn cvt_count<T: TryInto<usize>>(ret: T) -> Result<usize, Errno> {
    ret.try_into().map_err(|_| super::last_errno())
}

/// One message of a `sendmmsg` batch, as bytes for the kernel.
#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
))]
pub(crate) struct SendItem<'a> {
    pub(crate) iov: &'a [IoSlice<'a>],
    pub(crate) addr: &'a [u8],
    /// Encoded control data: this message's range of the shared word buffer.
    pub(crate) control: &'a [u8],
}

/// `sendmmsg(2)` with MSG_NOSIGNAL; returns how many messages were sent. Each
/// `control` must start at a `CMSG_ALIGNTO` boundary of a word buffer.
#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
))]
pub(crate) fn sendmmsg(
    fd: BorrowedFd<'_>,
    items: &[SendItem<'_>],
    hdrs: &mut Vec<libc::mmsghdr>,
    flags: i32,
) -> Result<usize, Errno> {
    hdrs.clear();
    for it in items {
        let mut m = empty_msghdr();
        if !it.addr.is_empty() {
            m.msg_name = it.addr.as_ptr() as *mut libc::c_void;
            m.msg_namelen = socklen(it.addr.len());
        }
        m.msg_iov = it.iov.as_ptr() as *mut libc::iovec;
        m.msg_iovlen = it.iov.len() as _;
        if !it.control.is_empty() {
            m.msg_control = it.control.as_ptr() as *mut libc::c_void;
            m.msg_controllen = it.control.len() as _;
        }
        hdrs.push(libc::mmsghdr { msg_hdr: m, msg_len: 0 });
    }
    let n = hdrs.len().min(u32::MAX as usize) as libc::c_uint;
    // SAFETY: hdrs holds n msghdrs whose pointers all borrow from `items`, alive
    // for this call; the kernel reads them and writes only msg_len.
    let r = cvt_count(unsafe {
        libc::sendmmsg(
            fd.as_raw_fd(),
            hdrs.as_mut_ptr(),
            n as _,
            (flags | super::socket::SEND_FLAGS) as _,
        )
    });
    hdrs.clear();
    r
}

/// The reusable state of a `recvmmsg` batch: data, addresses, control buffers,
/// and the kernel's headers (empty between calls, so no pointer outlives one).
#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
))]
pub(crate) struct MmsgState {
    pub(crate) data: Vec<u8>,
    pub(crate) size: usize,
    pub(crate) addrs: Vec<AddrBuf>,
    pub(crate) cmsgs: Vec<CmsgBuffer>,
    pub(crate) lens: Vec<usize>,
    pub(crate) flags: Vec<i32>,
    pub(crate) fds: Vec<Vec<OwnedFd>>,
    hdrs: Vec<libc::mmsghdr>,
    iovs: Vec<libc::iovec>,
}

#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
))]
// SAFETY: hdrs and iovs hold raw pointers only during `recvmmsg`, which clears
// them before returning; between calls they are empty, so sending the state to
// another thread sends no pointer.
unsafe impl Send for MmsgState {}
#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
))]
// SAFETY: as above: no pointer is reachable through a shared reference.
unsafe impl Sync for MmsgState {}

#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
))]
impl MmsgState {
    pub(crate) fn new(n: usize, size: usize, cmsg_words: usize) -> MmsgState {
        MmsgState {
            data: vec![0; n * size],
            size,
            addrs: (0..n).map(|_| AddrBuf::new()).collect(),
            cmsgs: (0..n).map(|_| CmsgBuffer { words: vec![0; cmsg_words], len: 0 }).collect(),
            lens: vec![0; n],
            flags: vec![0; n],
            fds: (0..n).map(|_| Vec::new()).collect(),
            hdrs: Vec::with_capacity(n),
            iovs: Vec::with_capacity(n),
        }
    }

    /// Forgets the last call's results (closing descriptors nobody took).
    pub(crate) fn reset(&mut self) {
        for i in 0..self.lens.len() {
            self.lens[i] = 0;
            self.flags[i] = 0;
            self.cmsgs[i].len = 0;
            self.addrs[i].clear();
            self.fds[i].clear();
        }
    }
}

/// `recvmmsg(2)` into `st` with MSG_CMSG_CLOEXEC and no kernel timeout; returns
/// how many messages arrived, their lengths, flags, addresses and control data
/// recorded in `st`.
#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
))]
pub(crate) fn recvmmsg(fd: BorrowedFd<'_>, st: &mut MmsgState, flags: i32) -> Result<usize, Errno> {
    st.reset();
    let n = st.lens.len();
    st.hdrs.clear();
    st.iovs.clear();
    let base = st.data.as_mut_ptr();
    for i in 0..n {
        // SAFETY: i * size + size <= data.len() (data has n * size bytes).
        let p = unsafe { base.add(i * st.size) };
        st.iovs.push(libc::iovec { iov_base: p.cast(), iov_len: st.size });
    }
    for i in 0..n {
        let mut m = empty_msghdr();
        let (name, namelen) = st.addrs[i].raw();
        m.msg_name = name.cast();
        // SAFETY: namelen points at this AddrBuf's length, just set.
        m.msg_namelen = unsafe { *namelen };
        // SAFETY: iovs has n entries and its buffer is not reallocated below.
        m.msg_iov = unsafe { st.iovs.as_mut_ptr().add(i) };
        m.msg_iovlen = 1;
        let space = st.cmsgs[i].space_mut();
        if !space.is_empty() {
            m.msg_control = space.as_mut_ptr().cast();
            m.msg_controllen = space.len() as _;
        }
        st.hdrs.push(libc::mmsghdr { msg_hdr: m, msg_len: 0 });
    }
    // SAFETY: hdrs holds n headers whose pointers address st's data, addrs,
    // iovs and control words, all alive and not moved during the call; a null
    // timeout means none.
    let r = cvt_count(unsafe {
        libc::recvmmsg(
            fd.as_raw_fd(),
            st.hdrs.as_mut_ptr(),
            n as _,
            (flags | RECV_FLAGS) as _,
            std::ptr::null_mut(),
        )
    });
    let out = match r {
        Ok(got) => {
            for i in 0..got.min(n) {
                let h = &st.hdrs[i];
                // Unclamped: with MSG_TRUNC the kernel reports the datagram's real length.
                st.lens[i] = h.msg_len as usize;
                st.flags[i] = h.msg_hdr.msg_flags & !RECV_FLAGS;
                st.addrs[i].set_len(h.msg_hdr.msg_namelen);
                let c = &mut st.cmsgs[i];
                #[allow(clippy::unnecessary_cast)] // socklen_t on musl
                let got = h.msg_hdr.msg_controllen as usize;
                c.len = got.min(c.words.len() * 8);
                let mut fds = std::mem::take(&mut st.fds[i]);
                adopt_rights(c.used(), &mut fds);
                st.fds[i] = fds;
            }
            for a in &mut st.addrs[got.min(n)..] {
                a.clear();
            }
            Ok(got)
        }
        Err(e) => {
            for a in &mut st.addrs {
                a.clear();
            }
            Err(e)
        }
    };
    st.hdrs.clear();
    st.iovs.clear();
    out
}
