//! Message I/O over loopback (Linux): datagrams per second of one technique
//! against another for the same work, each done by raw libc and by bsdsock in
//! the same run, and the single sendmsg / recvmsg calls that callgrind counts.
//!
//! - 64 datagrams of 64 B received with 64 recvfrom calls, or one recvmmsg(64);
//! - 64 datagrams of 64 B sent with 64 sendto calls, or one sendmmsg(64);
//! - 44 datagrams of 1,472 B (64,768 B, the largest multiple of 1,472 that fits
//!   one UDP datagram's 65,507 B) sent with 44 sendto calls, or one sendmsg with
//!   UDP_SEGMENT 1472 (GSO: the kernel cuts it into the 44 datagrams);
//! - that GSO send received with 44 recvfrom calls by a socket without UDP_GRO
//!   (the kernel delivers the 44 datagrams), or with one recvmsg by a socket with
//!   UDP_GRO (it delivers the 64,768 B whole, with the segment size in a UDP_GRO
//!   control message).
//!
//! Only the side named in a row is timed: a receive row fills the queue in
//! [`untimed`], a send row drains it there. Every peer of a row uses the same
//! sockets; the filling and draining is the same raw code for all of them.
//!
//! Each batched row also runs raw libc's per-call loop for the same work
//! ([`Peer::PerCall`], the "raw libc per call" column) in the same rounds: its
//! speedup target is the median over rounds of that loop's time divided by
//! bsdsock's, so load that comes and goes hits both sides of the ratio alike.

use std::hint::black_box;
use std::io::{IoSlice, IoSliceMut};
use std::mem::{MaybeUninit, size_of, zeroed};
use std::net::{SocketAddr, UdpSocket};
use std::os::fd::{AsRawFd, RawFd};
use std::ptr;
use std::rc::Rc;
use std::time::Duration;

use crate::harness::{Case, CaseDef, Impl, Peer, Target, Unit, looped, untimed};

/// Datagrams per batch, and the payload of each in the small-datagram rows.
const BATCH: usize = 64;
const SMALL: usize = 64;
/// The GSO rows: segment size (a 1,500-byte MTU's UDP payload) and segments.
const SEG: usize = 1472;
const SEGS: usize = 44;
const GSO_BYTES: usize = SEG * SEGS;

const SAMPLE: Duration = Duration::from_millis(20);
const ROUNDS: usize = 31;

/// Each bsdsock figure within 5% of raw libc's same technique.
const WITHIN: f64 = 1.05;

// ---------------------------------------------------------------------------
// Set-up: sockets and the raw helpers every peer shares

/// A UDP socket on 127.0.0.1 with a receive buffer large enough for a whole
/// batch (root may exceed rmem_max with SO_RCVBUFFORCE; otherwise SO_RCVBUF).
fn udp() -> UdpSocket {
    let s = UdpSocket::bind("127.0.0.1:0").expect("bind a UDP socket on loopback");
    if bsdsock::opt::setsockopt(&s, bsdsock::opt::SO_RCVBUFFORCE, 8 << 20).is_err() {
        bsdsock::opt::setsockopt(&s, bsdsock::opt::SO_RCVBUF, 8 << 20).expect("SO_RCVBUF");
    }
    s
}

/// The receiver's address as a sockaddr_in, for the raw peers.
fn sin_of(s: &UdpSocket) -> libc::sockaddr_in {
    let SocketAddr::V4(a) = s.local_addr().unwrap() else { unreachable!("bound to 127.0.0.1") };
    libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: a.port().to_be(),
        sin_addr: libc::in_addr { s_addr: u32::from_ne_bytes(a.ip().octets()) },
        sin_zero: [0; 8],
    }
}

const SIN_LEN: libc::socklen_t = size_of::<libc::sockaddr_in>() as libc::socklen_t;

/// Sends `count` datagrams of `len` bytes on the connected `fd`.
fn fill(fd: RawFd, len: usize, count: usize) {
    let buf = [0x5au8; SEG];
    for _ in 0..count {
        // SAFETY: buf is valid for reads of len <= SEG bytes.
        let n = unsafe { libc::send(fd, buf.as_ptr().cast(), len, 0) };
        assert_eq!(n, len as isize, "{}", std::io::Error::last_os_error());
    }
}

/// Sends one GSO message of `SEGS` segments of `SEG` bytes on the connected `fd`.
fn fill_gso(fd: RawFd, buf: &[u8]) {
    let mut cbuf = CmsgSpace::zeroed();
    // SAFETY: as in raw_send_gso (to is null).
    let n = unsafe { raw_send_gso(fd, buf, ptr::null(), 0, &mut cbuf) };
    assert_eq!(n, buf.len() as isize);
}

/// Receives whatever is queued on `fd` without waiting (up to a bound).
fn drain(fd: RawFd) {
    let mut buf = [0u8; SEG];
    for _ in 0..4 * BATCH {
        // SAFETY: buf is valid for writes of its length.
        let n = unsafe { libc::recv(fd, buf.as_mut_ptr().cast(), SEG, libc::MSG_DONTWAIT) };
        if n < 0 {
            return;
        }
    }
}

/// Room for one control message of an int, aligned as cmsghdr needs.
#[repr(C)]
struct CmsgSpace {
    _align: [libc::cmsghdr; 0],
    bytes: [u8; 64],
}

impl CmsgSpace {
    fn zeroed() -> CmsgSpace {
        CmsgSpace { _align: [], bytes: [0; 64] }
    }
}

/// A 64 KiB receive buffer that starts on a page boundary, so that the kernel's
/// copy of a coalesced GRO datagram meets the same alignment for every peer (an
/// unaligned `Vec` costs the copy up to a tenth more, which is not the API's).
struct PageBuf {
    bytes: Vec<u8>,
    at: usize,
}

impl PageBuf {
    fn new() -> PageBuf {
        let bytes = vec![0u8; (1 << 16) + 4096];
        let at = bytes.as_ptr().align_offset(4096);
        PageBuf { bytes, at }
    }

    fn get(&mut self) -> &mut [u8] {
        &mut self.bytes[self.at..self.at + (1 << 16)]
    }
}

/// sendmsg of `buf` with one UDP_SEGMENT control message (SEG), to `to` (or the
/// connected peer if null).
///
/// # Safety
/// `to` is null or points to `to_len` readable bytes of a socket address.
unsafe fn raw_send_gso(
    fd: RawFd,
    buf: &[u8],
    to: *const libc::sockaddr_in,
    to_len: libc::socklen_t,
    cbuf: &mut CmsgSpace,
) -> isize {
    let mut iov = libc::iovec { iov_base: buf.as_ptr() as *mut _, iov_len: buf.len() };
    // SAFETY: an all-zero msghdr is a valid empty one.
    let mut msg: libc::msghdr = unsafe { zeroed() };
    msg.msg_name = to as *mut _;
    msg.msg_namelen = to_len;
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf.bytes.as_mut_ptr().cast();
    // SAFETY: CMSG_SPACE is arithmetic.
    msg.msg_controllen = unsafe { libc::CMSG_SPACE(size_of::<u16>() as u32) } as _;
    // SAFETY: msg_control points to cbuf, aligned for cmsghdr and larger than
    // msg_controllen, so CMSG_FIRSTHDR is a valid header and its data has room
    // for the u16 (the kernel reads UDP_SEGMENT as a u16).
    unsafe {
        let c = libc::CMSG_FIRSTHDR(&msg);
        (*c).cmsg_level = libc::SOL_UDP;
        (*c).cmsg_type = libc::UDP_SEGMENT;
        (*c).cmsg_len = libc::CMSG_LEN(size_of::<u16>() as u32) as _;
        ptr::write_unaligned(libc::CMSG_DATA(c).cast::<u16>(), SEG as u16);
    }
    // SAFETY: msg points to live iovec, address and control buffers of the
    // lengths it gives.
    unsafe { libc::sendmsg(fd, &msg, 0) }
}

/// A receiver with its own sender connected to it.
struct Pair {
    rx: UdpSocket,
    tx: UdpSocket,
}

fn pair() -> Rc<Pair> {
    let (rx, tx) = (udp(), udp());
    tx.connect(rx.local_addr().unwrap()).unwrap();
    Rc::new(Pair { rx, tx })
}

/// The raw recvmmsg/sendmmsg headers for `BATCH` messages of `len` bytes each,
/// pointing into buffers this owns (boxed: they do not move with it).
struct MmsgRaw {
    hdrs: Vec<libc::mmsghdr>,
    _iovs: Vec<libc::iovec>,
    _bufs: Vec<u8>,
    names: Vec<libc::sockaddr_storage>,
}

impl MmsgRaw {
    /// Headers whose names point at `to` (sending) or at their own storage
    /// (receiving, `to` None).
    fn new(len: usize, to: Option<libc::sockaddr_in>) -> MmsgRaw {
        let mut bufs = vec![0x5au8; BATCH * len];
        // SAFETY: all-zero sockaddr_storage and mmsghdr are valid values.
        let mut names: Vec<libc::sockaddr_storage> = vec![unsafe { zeroed() }; BATCH];
        if let Some(sin) = to {
            for n in &mut names {
                // SAFETY: sockaddr_storage is larger than sockaddr_in and aligned for it.
                unsafe { ptr::write((n as *mut libc::sockaddr_storage).cast(), sin) };
            }
        }
        let mut iovs: Vec<libc::iovec> = bufs
            .chunks_mut(len)
            .map(|b| libc::iovec { iov_base: b.as_mut_ptr().cast(), iov_len: len })
            .collect();
        let hdrs = (0..BATCH)
            .map(|i| {
                // SAFETY: an all-zero mmsghdr is a valid empty one.
                let mut h: libc::mmsghdr = unsafe { zeroed() };
                h.msg_hdr.msg_name = (&mut names[i] as *mut libc::sockaddr_storage).cast();
                h.msg_hdr.msg_namelen = if to.is_some() {
                    SIN_LEN
                } else {
                    size_of::<libc::sockaddr_storage>() as libc::socklen_t
                };
                h.msg_hdr.msg_iov = &mut iovs[i];
                h.msg_hdr.msg_iovlen = 1;
                h
            })
            .collect();
        MmsgRaw { hdrs, _iovs: iovs, _bufs: bufs, names }
    }
}

// ---------------------------------------------------------------------------
// The per-call loops: raw libc's in the per-call rows (Peer::Raw) and as the
// batched rows' baseline (Peer::PerCall), bsdsock's in the per-call rows

/// `count` recvfrom calls of `len` bytes each, after `fill` queued them.
fn raw_recvfrom(peer: Peer, p: &Rc<Pair>, len: usize, count: usize, fill: Filler) -> Impl {
    let p = p.clone();
    looped(peer, move || {
        let (rfd, tfd) = (p.rx.as_raw_fd(), p.tx.as_raw_fd());
        untimed(|| fill.run(tfd));
        let mut buf = [0u8; SEG];
        for _ in 0..count {
            let mut ss = MaybeUninit::<libc::sockaddr_storage>::uninit();
            let mut l = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            // SAFETY: buf is valid for writes of len <= SEG bytes; ss and l are
            // valid for writes and l is ss's size.
            let n = unsafe {
                libc::recvfrom(rfd, buf.as_mut_ptr().cast(), len, 0, ss.as_mut_ptr().cast(), &mut l)
            };
            assert_eq!(n, len as isize);
            black_box((&ss, l));
        }
        black_box(&buf);
    })
}

fn bsdsock_recvfrom(p: &Rc<Pair>, len: usize, count: usize, fill: Filler) -> Impl {
    let p = p.clone();
    looped(Peer::Bsdsock, move || {
        use bsdsock::{MsgFlags, recvfrom};
        untimed(|| fill.run(p.tx.as_raw_fd()));
        let mut buf = [0u8; SEG];
        for _ in 0..count {
            let (n, from) = recvfrom(&p.rx, &mut buf[..len], MsgFlags::empty()).unwrap();
            assert_eq!(n, len);
            black_box(&from);
        }
        black_box(&buf);
    })
}

/// `count` sendto calls of `len` bytes each to the receiver's address, which
/// is drained afterwards.
fn raw_sendto(peer: Peer, p: &Rc<Pair>, len: usize, count: usize) -> Impl {
    let p = p.clone();
    let sin = sin_of(&p.rx);
    looped(peer, move || {
        let (rfd, tfd) = (p.rx.as_raw_fd(), p.tx.as_raw_fd());
        let buf = [0x5au8; SEG];
        for _ in 0..count {
            // SAFETY: buf is valid for reads of len <= SEG bytes; sin is a valid
            // sockaddr_in of the length passed.
            let n = unsafe {
                libc::sendto(
                    tfd,
                    buf.as_ptr().cast(),
                    len,
                    0,
                    (&sin as *const libc::sockaddr_in).cast(),
                    SIN_LEN,
                )
            };
            assert_eq!(n, len as isize);
        }
        untimed(|| drain(rfd));
    })
}

fn bsdsock_sendto(p: &Rc<Pair>, len: usize, count: usize) -> Impl {
    let p = p.clone();
    let to = bsdsock::SockAddr::from(p.rx.local_addr().unwrap());
    looped(Peer::Bsdsock, move || {
        use bsdsock::{MsgFlags, sendto};
        let buf = [0x5au8; SEG];
        for _ in 0..count {
            assert_eq!(sendto(&p.tx, &buf[..len], MsgFlags::empty(), &to).unwrap(), len);
        }
        untimed(|| drain(p.rx.as_raw_fd()));
    })
}

/// What a receive row queues before each timed operation.
#[derive(Clone, Copy)]
enum Filler {
    /// `BATCH` datagrams of `SMALL` bytes.
    Small,
    /// One GSO send of `SEGS` segments of `SEG` bytes.
    Gso,
}

impl Filler {
    fn run(self, tfd: RawFd) {
        match self {
            Filler::Small => fill(tfd, SMALL, BATCH),
            Filler::Gso => fill_gso(tfd, &[0x5au8; GSO_BYTES]),
        }
    }
}

fn case(title: &str, segs: usize, target: Target, impls: Vec<Impl>) -> Case {
    Case {
        title: title.into(),
        unit: Unit::Dgrams(segs as u64),
        sample: SAMPLE,
        rounds: ROUNDS,
        target,
        impls,
    }
}

const PER_CALL: Target = Target::WithinRaw(WITHIN);

// ---------------------------------------------------------------------------
// recvfrom ×64 against recvmmsg(64), 64 B

fn recv_percall() -> Case {
    let p = pair();
    let impls = vec![
        raw_recvfrom(Peer::Raw, &p, SMALL, BATCH, Filler::Small),
        bsdsock_recvfrom(&p, SMALL, BATCH, Filler::Small),
    ];
    case("UDP recv 64 B: recvfrom ×64", BATCH, PER_CALL, impls)
}

fn recv_mmsg() -> Case {
    let p = pair();
    let mut raw = MmsgRaw::new(SMALL, None);
    let raw_mmsg = looped(Peer::Raw, {
        let p = p.clone();
        move || {
            // The whole of `raw` (a closure would capture only the fields it
            // names, and the buffers the headers point into would be dropped).
            let raw = &mut raw;
            untimed(|| fill(p.tx.as_raw_fd(), SMALL, BATCH));
            // As C does: the lengths the last call wrote are set back first.
            for h in &mut raw.hdrs {
                h.msg_hdr.msg_namelen = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            }
            // SAFETY: every header points to its own live name, iovec and buffer
            // of the lengths it gives; the timeout is null.
            let n = unsafe {
                libc::recvmmsg(
                    p.rx.as_raw_fd(),
                    raw.hdrs.as_mut_ptr(),
                    BATCH as u32,
                    0,
                    ptr::null_mut(),
                )
            };
            assert_eq!(n, BATCH as i32, "{}", std::io::Error::last_os_error());
            black_box((&raw.hdrs, &raw.names));
        }
    });
    let bsdsock_mmsg = {
        let p = p.clone();
        let mut batch = bsdsock::RecvBatch::new(BATCH, SMALL, 0);
        looped(Peer::Bsdsock, move || {
            untimed(|| fill(p.tx.as_raw_fd(), SMALL, BATCH));
            let n = bsdsock::recvmmsg(&p.rx, &mut batch, bsdsock::MsgFlags::empty(), None);
            assert_eq!(n.unwrap(), BATCH);
            black_box(&batch);
        })
    };
    let impls =
        vec![raw_mmsg, bsdsock_mmsg, raw_recvfrom(Peer::PerCall, &p, SMALL, BATCH, Filler::Small)];
    let target = Target::Speedup { over: "recvfrom ×64", min: 1.25, within: WITHIN };
    case("UDP recv 64 B: recvmmsg(64)", BATCH, target, impls)
}

// ---------------------------------------------------------------------------
// sendto ×64 against sendmmsg(64), 64 B

fn send_percall() -> Case {
    let p = pair();
    let impls = vec![raw_sendto(Peer::Raw, &p, SMALL, BATCH), bsdsock_sendto(&p, SMALL, BATCH)];
    case("UDP send 64 B: sendto ×64", BATCH, PER_CALL, impls)
}

fn send_mmsg() -> Case {
    let p = pair();
    let mut raw = MmsgRaw::new(SMALL, Some(sin_of(&p.rx)));
    let raw_mmsg = looped(Peer::Raw, {
        let p = p.clone();
        move || {
            // The whole of `raw`, with the buffers its headers point into.
            let raw = &mut raw;
            // sendmmsg may send fewer than asked: retry from the first unsent.
            let mut done = 0;
            while done < BATCH {
                // SAFETY: every header points to a live address, iovec and buffer
                // of the lengths it gives.
                let n = unsafe {
                    libc::sendmmsg(
                        p.tx.as_raw_fd(),
                        raw.hdrs[done..].as_mut_ptr(),
                        (BATCH - done) as u32,
                        0,
                    )
                };
                assert!(n > 0);
                done += n as usize;
            }
            untimed(|| drain(p.rx.as_raw_fd()));
        }
    });
    // bsdsock's side: the 64 `MsgOut`s built on the stack for each call, as a
    // caller would.
    let bsdsock_mmsg = {
        use bsdsock::{MsgFlags, MsgOut, sendmmsg};
        let p = p.clone();
        let to = bsdsock::SockAddr::from(p.rx.local_addr().unwrap());
        looped(Peer::Bsdsock, move || {
            let buf = [0x5au8; SMALL];
            let iov = [IoSlice::new(&buf)];
            let msgs = [MsgOut { iov: &iov, addr: Some(&to), cmsgs: &[] }; BATCH];
            // Fewer than asked is a partial success: retry from the first unsent.
            let mut done = 0;
            while done < BATCH {
                done += sendmmsg(&p.tx, &msgs[done..], MsgFlags::empty()).unwrap();
            }
            untimed(|| drain(p.rx.as_raw_fd()));
        })
    };
    let impls = vec![raw_mmsg, bsdsock_mmsg, raw_sendto(Peer::PerCall, &p, SMALL, BATCH)];
    let target = Target::Speedup { over: "sendto ×64", min: 1.2, within: WITHIN };
    case("UDP send 64 B: sendmmsg(64)", BATCH, target, impls)
}

// ---------------------------------------------------------------------------
// sendto ×44 against one GSO sendmsg, 1,472 B segments

fn send_percall_1472() -> Case {
    let p = pair();
    let impls = vec![raw_sendto(Peer::Raw, &p, SEG, SEGS), bsdsock_sendto(&p, SEG, SEGS)];
    case("UDP send 1472 B: sendto ×44", SEGS, PER_CALL, impls)
}

fn send_gso() -> Case {
    let p = pair();
    let data = Rc::new(vec![0x5au8; GSO_BYTES]);
    let raw_gso = looped(Peer::Raw, {
        let (p, data) = (p.clone(), data.clone());
        let sin = sin_of(&p.rx);
        move || {
            let mut cbuf = CmsgSpace::zeroed();
            // SAFETY: sin is a valid sockaddr_in of the length passed.
            let n = unsafe { raw_send_gso(p.tx.as_raw_fd(), &data, &sin, SIN_LEN, &mut cbuf) };
            assert_eq!(n, GSO_BYTES as isize);
            untimed(|| drain(p.rx.as_raw_fd()));
        }
    });
    // bsdsock's side: `sendmsg` with `ControlMessage::UdpSegment`.
    let bsdsock_gso = {
        use bsdsock::{ControlMessage, MsgFlags, sendmsg};
        let p = p.clone();
        let to = bsdsock::SockAddr::from(p.rx.local_addr().unwrap());
        looped(Peer::Bsdsock, move || {
            let gso = [ControlMessage::UdpSegment(SEG as u16)];
            let n = sendmsg(&p.tx, &[IoSlice::new(&data)], &gso, MsgFlags::empty(), Some(&to));
            assert_eq!(n.unwrap(), GSO_BYTES);
            untimed(|| drain(p.rx.as_raw_fd()));
        })
    };
    let impls = vec![raw_gso, bsdsock_gso, raw_sendto(Peer::PerCall, &p, SEG, SEGS)];
    let target = Target::Speedup { over: "sendto ×44", min: 4.0, within: WITHIN };
    case("UDP send 1472 B: GSO sendmsg", SEGS, target, impls)
}

// ---------------------------------------------------------------------------
// recvfrom ×44 against one GRO recvmsg, of GSO traffic

fn recv_percall_gso() -> Case {
    let p = pair();
    let impls = vec![
        raw_recvfrom(Peer::Raw, &p, SEG, SEGS, Filler::Gso),
        bsdsock_recvfrom(&p, SEG, SEGS, Filler::Gso),
    ];
    case("UDP recv of GSO: recvfrom ×44", SEGS, PER_CALL, impls)
}

fn recv_gro() -> Case {
    let p = pair();
    bsdsock::opt::setsockopt(&p.rx, bsdsock::opt::UDP_GRO, true).expect("UDP_GRO");
    let raw_gro = looped(Peer::Raw, {
        let p = p.clone();
        let mut page = PageBuf::new();
        move || {
            untimed(|| Filler::Gso.run(p.tx.as_raw_fd()));
            let buf = page.get();
            let mut cbuf = CmsgSpace::zeroed();
            let mut ss = MaybeUninit::<libc::sockaddr_storage>::uninit();
            let mut iov = libc::iovec { iov_base: buf.as_mut_ptr().cast(), iov_len: buf.len() };
            // SAFETY: an all-zero msghdr is a valid empty one.
            let mut msg: libc::msghdr = unsafe { zeroed() };
            msg.msg_name = ss.as_mut_ptr().cast();
            msg.msg_namelen = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            msg.msg_iov = &mut iov;
            msg.msg_iovlen = 1;
            msg.msg_control = cbuf.bytes.as_mut_ptr().cast();
            msg.msg_controllen = cbuf.bytes.len() as _;
            // SAFETY: msg points to live name, iovec and control buffers of the
            // lengths it gives.
            let n = unsafe { libc::recvmsg(p.rx.as_raw_fd(), &mut msg, libc::MSG_CMSG_CLOEXEC) };
            assert_eq!(n, GSO_BYTES as isize);
            let mut gso = 0;
            // SAFETY: the kernel wrote msg_controllen bytes of well-formed control
            // messages into cbuf; CMSG_FIRSTHDR/NXTHDR stay within them, and a
            // UDP_GRO message carries an int.
            unsafe {
                let mut c = libc::CMSG_FIRSTHDR(&msg);
                while !c.is_null() {
                    if (*c).cmsg_level == libc::SOL_UDP && (*c).cmsg_type == libc::UDP_GRO {
                        gso = ptr::read_unaligned(libc::CMSG_DATA(c).cast::<libc::c_int>());
                    }
                    c = libc::CMSG_NXTHDR(&msg, c);
                }
            }
            assert_eq!(gso, SEG as libc::c_int);
            black_box((&buf, &ss));
        }
    });
    // bsdsock's side: `recvmsg` into a `CmsgBuffer` made once, the segment size
    // from `ControlMessageOwned::UdpGro`.
    let bsdsock_gro = {
        use bsdsock::{CMSG_SPACE, CmsgBuffer, ControlMessageOwned, MsgFlags, recvmsg};
        let p = p.clone();
        let mut page = PageBuf::new();
        let mut cbuf = CmsgBuffer::with_capacity(CMSG_SPACE(4));
        looped(Peer::Bsdsock, move || {
            untimed(|| Filler::Gso.run(p.tx.as_raw_fd()));
            let mut m = recvmsg(
                &p.rx,
                &mut [IoSliceMut::new(page.get())],
                Some(&mut cbuf),
                MsgFlags::empty(),
            )
            .unwrap();
            assert_eq!(m.bytes, GSO_BYTES);
            let mut gso = 0;
            for c in m.cmsgs() {
                if let ControlMessageOwned::UdpGro(size) = c {
                    gso = size;
                }
            }
            assert_eq!(usize::from(gso), SEG);
            black_box(&m.addr);
        })
    };
    // The per-call baseline needs a receiver without UDP_GRO: its own pair.
    let plain = pair();
    let impls =
        vec![raw_gro, bsdsock_gro, raw_recvfrom(Peer::PerCall, &plain, SEG, SEGS, Filler::Gso)];
    let target = Target::Speedup { over: "recvfrom ×44", min: 10.0, within: WITHIN };
    case("UDP recv of GSO: GRO recvmsg", SEGS, target, impls)
}

// ---------------------------------------------------------------------------
// Single calls, for callgrind: sendmsg and recvmsg with one control message

/// `sendmsg` of 64 B to an address with one IP_TTL control message (a per-packet
/// TTL). The receiver is never read: once its queue is full the kernel drops
/// what arrives, which changes nothing in user space.
fn sendmsg_call() -> Case {
    let p = pair();
    let tfd = p.tx.as_raw_fd();
    let sin = sin_of(&p.rx);
    let hold = p.clone();
    let mut impls = vec![
        looped(Peer::Raw, move || {
            let _ = &hold;
            let buf = [0x5au8; SMALL];
            let mut cbuf = CmsgSpace::zeroed();
            let mut iov = libc::iovec { iov_base: buf.as_ptr() as *mut _, iov_len: SMALL };
            // SAFETY: an all-zero msghdr is a valid empty one.
            let mut msg: libc::msghdr = unsafe { zeroed() };
            msg.msg_name = (&sin as *const libc::sockaddr_in) as *mut _;
            msg.msg_namelen = SIN_LEN;
            msg.msg_iov = &mut iov;
            msg.msg_iovlen = 1;
            msg.msg_control = cbuf.bytes.as_mut_ptr().cast();
            // SAFETY: CMSG_SPACE is arithmetic.
            msg.msg_controllen = unsafe { libc::CMSG_SPACE(size_of::<libc::c_int>() as u32) } as _;
            // SAFETY: cbuf is aligned for cmsghdr and larger than msg_controllen,
            // so the first header and its int fit in it.
            unsafe {
                let c = libc::CMSG_FIRSTHDR(&msg);
                (*c).cmsg_level = libc::IPPROTO_IP;
                (*c).cmsg_type = libc::IP_TTL;
                (*c).cmsg_len = libc::CMSG_LEN(size_of::<libc::c_int>() as u32) as _;
                ptr::write_unaligned(libc::CMSG_DATA(c).cast::<libc::c_int>(), 64);
            }
            // SAFETY: msg points to live address, iovec and control buffers of
            // the lengths it gives.
            let n = unsafe { libc::sendmsg(tfd, &msg, libc::MSG_NOSIGNAL) };
            assert_eq!(n, SMALL as isize);
        }),
        looped(Peer::Nix, {
            let SocketAddr::V4(a) = p.rx.local_addr().unwrap() else { unreachable!() };
            let to = nix::sys::socket::SockaddrIn::from(a);
            move || {
                use nix::sys::socket::{ControlMessage, MsgFlags, sendmsg};
                let buf = [0x5au8; SMALL];
                let ttl: libc::c_int = 64;
                let n = sendmsg(
                    tfd,
                    &[std::io::IoSlice::new(&buf)],
                    &[ControlMessage::Ipv4Ttl(&ttl)],
                    MsgFlags::MSG_NOSIGNAL,
                    Some(&to),
                );
                assert_eq!(n, Ok(SMALL));
            }
        }),
    ];
    impls.extend(bsdsock_sendmsg(&p));
    Case {
        title: "sendmsg 64 B + IP_TTL cmsg".into(),
        unit: Unit::Ns,
        sample: Duration::from_millis(2),
        rounds: 101,
        target: Target::WithinRaw(WITHIN),
        impls,
    }
}

/// bsdsock's side: `sendmsg` with `ControlMessage::IpTtl`.
fn bsdsock_sendmsg(p: &Rc<Pair>) -> Option<Impl> {
    use bsdsock::{ControlMessage, MsgFlags, sendmsg};
    let p = p.clone();
    let to = bsdsock::SockAddr::from(p.rx.local_addr().unwrap());
    Some(looped(Peer::Bsdsock, move || {
        let buf = [0x5au8; SMALL];
        let n = sendmsg(
            &p.tx,
            &[IoSlice::new(&buf)],
            &[ControlMessage::IpTtl(64)],
            MsgFlags::empty(),
            Some(&to),
        );
        assert_eq!(n.unwrap(), SMALL);
    }))
}

/// `recvmsg` with MSG_PEEK of the one 64 B datagram queued (so every call reads
/// the same), with the sender's address and an IP_TTL control message
/// (IP_RECVTTL), which each peer parses.
fn recvmsg_call() -> Case {
    let p = pair();
    bsdsock::opt::setsockopt(&p.rx, bsdsock::opt::IP_RECVTTL, true).expect("IP_RECVTTL");
    fill(p.tx.as_raw_fd(), SMALL, 1);
    let rfd = p.rx.as_raw_fd();
    let hold = p.clone();
    let mut impls = vec![
        looped(Peer::Raw, move || {
            let _ = &hold;
            let mut buf = [0u8; SMALL];
            let mut cbuf = CmsgSpace::zeroed();
            let mut ss = MaybeUninit::<libc::sockaddr_storage>::uninit();
            let mut iov = libc::iovec { iov_base: buf.as_mut_ptr().cast(), iov_len: SMALL };
            // SAFETY: an all-zero msghdr is a valid empty one.
            let mut msg: libc::msghdr = unsafe { zeroed() };
            msg.msg_name = ss.as_mut_ptr().cast();
            msg.msg_namelen = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            msg.msg_iov = &mut iov;
            msg.msg_iovlen = 1;
            msg.msg_control = cbuf.bytes.as_mut_ptr().cast();
            msg.msg_controllen = cbuf.bytes.len() as _;
            // SAFETY: msg points to live name, iovec and control buffers of the
            // lengths it gives.
            let n =
                unsafe { libc::recvmsg(rfd, &mut msg, libc::MSG_PEEK | libc::MSG_CMSG_CLOEXEC) };
            assert_eq!(n, SMALL as isize);
            let mut ttl = 0;
            // SAFETY: the kernel wrote msg_controllen bytes of well-formed control
            // messages into cbuf; an IP_TTL message carries an int.
            unsafe {
                let mut c = libc::CMSG_FIRSTHDR(&msg);
                while !c.is_null() {
                    if (*c).cmsg_level == libc::IPPROTO_IP && (*c).cmsg_type == libc::IP_TTL {
                        ttl = ptr::read_unaligned(libc::CMSG_DATA(c).cast::<libc::c_int>());
                    }
                    c = libc::CMSG_NXTHDR(&msg, c);
                }
            }
            assert!(ttl > 0);
            black_box((&buf, &ss, msg.msg_namelen));
        }),
        looped(Peer::Nix, move || {
            use nix::sys::socket::{ControlMessageOwned, MsgFlags, SockaddrIn, recvmsg};
            let mut buf = [0u8; SMALL];
            let mut cbuf = nix::cmsg_space!(libc::c_int);
            let mut iov = [std::io::IoSliceMut::new(&mut buf)];
            let r = recvmsg::<SockaddrIn>(
                rfd,
                &mut iov,
                Some(&mut cbuf),
                MsgFlags::MSG_PEEK | MsgFlags::MSG_CMSG_CLOEXEC,
            )
            .unwrap();
            assert_eq!(r.bytes, SMALL);
            let mut ttl = 0;
            for c in r.cmsgs().unwrap() {
                if let ControlMessageOwned::Ipv4Ttl(t) = c {
                    ttl = t;
                }
            }
            assert!(ttl > 0);
            black_box(&r.address);
        }),
    ];
    impls.extend(bsdsock_recvmsg(&p));
    Case {
        title: "recvmsg 64 B + IP_TTL cmsg (peek)".into(),
        unit: Unit::Ns,
        sample: Duration::from_millis(2),
        rounds: 101,
        target: Target::WithinRaw(WITHIN),
        impls,
    }
}

/// bsdsock's side: `recvmsg` into a `CmsgBuffer` made once, the TTL from
/// `ControlMessageOwned::IpTtl`.
fn bsdsock_recvmsg(p: &Rc<Pair>) -> Option<Impl> {
    use bsdsock::{CMSG_SPACE, CmsgBuffer, ControlMessageOwned, MsgFlags, recvmsg};
    let p = p.clone();
    let mut cbuf = CmsgBuffer::with_capacity(CMSG_SPACE(4));
    Some(looped(Peer::Bsdsock, move || {
        let mut buf = [0u8; SMALL];
        let mut m =
            recvmsg(&p.rx, &mut [IoSliceMut::new(&mut buf)], Some(&mut cbuf), MsgFlags::PEEK)
                .unwrap();
        assert_eq!(m.bytes, SMALL);
        let mut ttl = 0;
        for c in m.cmsgs() {
            if let ControlMessageOwned::IpTtl(t) = c {
                ttl = t;
            }
        }
        assert!(ttl > 0);
        black_box(&m.addr);
    }))
}

pub fn cases() -> Vec<CaseDef> {
    vec![
        CaseDef::new("udp_recvfrom_x64", recv_percall),
        CaseDef::new("udp_recvmmsg_64", recv_mmsg),
        CaseDef::new("udp_sendto_x64", send_percall),
        CaseDef::new("udp_sendmmsg_64", send_mmsg),
        CaseDef::new("udp_sendto_1472_x44", send_percall_1472),
        CaseDef::new("udp_gso_send", send_gso),
        CaseDef::new("udp_recvfrom_gso_x44", recv_percall_gso),
        CaseDef::new("udp_gro_recv", recv_gro),
        CaseDef::new("sendmsg", sendmsg_call),
        CaseDef::new("recvmsg", recvmsg_call),
    ]
}
