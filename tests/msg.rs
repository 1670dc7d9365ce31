//! sendmsg / recvmsg with control messages, on loopback and socketpairs only:
//! the tests socket2, nix, rustix and CPython run for their message APIs
//! (vectored I/O, truncation flags, pktinfo, TTL/TOS, timestamps, origdstaddr,
//! GSO/GRO, overflow counters, the error queue, credentials, marks, txtime),
//! written against bsdsock.
#![cfg(target_os = "linux")]

use std::io::{IoSlice, IoSliceMut};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::{Duration, SystemTime};

use bsdsock::opt::{self, SockTxtime, TxtimeFlags};
use bsdsock::*;

fn udp(local: &str) -> Socket {
    let a: SockAddr = local.parse().unwrap();
    let s = socket(a.family(), Type::DGRAM, Protocol::DEFAULT).unwrap();
    s.bind(&a).unwrap();
    // Every receive below is bounded: a lost datagram fails the test, never hangs it.
    s.set(opt::SO_RCVTIMEO, Some(Duration::from_secs(5))).unwrap();
    s
}

fn pair4() -> (Socket, Socket) {
    (udp("127.0.0.1:0"), udp("127.0.0.1:0"))
}

/// An IPv6 loopback pair, or None (with the reason) where ::1 is missing;
/// CI must have it.
fn pair6() -> Option<(Socket, Socket)> {
    let s = socket(Domain::INET6, Type::DGRAM, Protocol::DEFAULT).ok()?;
    if s.bind(&"[::1]:0".parse().unwrap()).is_err() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "::1 missing in CI");
        eprintln!("skipped: no IPv6 loopback (::1) here");
        return None;
    }
    Some((udp("[::1]:0"), udp("[::1]:0")))
}

fn send_to(from: &Socket, to: &Socket, data: &[u8], cmsgs: &[ControlMessage<'_>]) -> usize {
    sendmsg(from, &[IoSlice::new(data)], cmsgs, MsgFlags::empty(), Some(&to.getsockname().unwrap()))
        .unwrap()
}

/// Receives one datagram with a 256-byte control buffer; returns the data and
/// the control messages.
fn recv_all(s: &Socket) -> (Vec<u8>, MsgFlags, Vec<ControlMessageOwned>) {
    let mut buf = vec![0u8; 65536];
    let mut cb = CmsgBuffer::with_capacity(256);
    let mut m =
        recvmsg(s, &mut [IoSliceMut::new(&mut buf)], Some(&mut cb), MsgFlags::empty()).unwrap();
    let c: Vec<_> = m.cmsgs().collect();
    let (n, f) = (m.bytes, m.flags);
    drop(m);
    buf.truncate(n);
    (buf, f, c)
}

#[test]
fn vectored_send_and_scattered_receive() {
    let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let n = sendmsg(
        &a,
        &[IoSlice::new(b"hello"), IoSlice::new(b", "), IoSlice::new(b"world")],
        &[],
        MsgFlags::empty(),
        None,
    )
    .unwrap();
    assert_eq!(n, 12);
    let (mut x, mut y) = ([0u8; 4], [0u8; 16]);
    let m = recvmsg(
        &b,
        &mut [IoSliceMut::new(&mut x), IoSliceMut::new(&mut y)],
        None,
        MsgFlags::empty(),
    )
    .unwrap();
    assert_eq!(m.bytes, 12);
    assert_eq!(&x, b"hell");
    assert_eq!(&y[..8], b"o, world");
    assert_eq!(m.flags, MsgFlags::empty()); // nor the crate's own MSG_CMSG_CLOEXEC
    assert!(!m.truncated());
}

#[test]
fn udp_gives_the_sender_address_and_sendmsg_takes_one() {
    let (a, b) = pair4();
    send_to(&a, &b, b"ping", &[]);
    let mut buf = [0u8; 8];
    let m = recvmsg(&b, &mut [IoSliceMut::new(&mut buf)], None, MsgFlags::empty()).unwrap();
    assert_eq!(m.addr, a.getsockname().unwrap());
    assert_eq!(&buf[..m.bytes], b"ping");
}

#[test]
fn msg_trunc_when_the_datagram_is_longer_than_the_buffers() {
    let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    send(&a, &[7u8; 100], MsgFlags::empty()).unwrap();
    let mut buf = [0u8; 10];
    let m = recvmsg(&b, &mut [IoSliceMut::new(&mut buf)], None, MsgFlags::empty()).unwrap();
    assert_eq!(m.bytes, 10);
    assert!(m.flags.contains(MsgFlags::TRUNC));
    // With MSG_TRUNC in the call, the real length comes back.
    send(&a, &[7u8; 100], MsgFlags::empty()).unwrap();
    let m = recvmsg(&b, &mut [IoSliceMut::new(&mut buf)], None, MsgFlags::TRUNC).unwrap();
    assert_eq!(m.bytes, 100);
}

#[test]
fn msg_ctrunc_when_the_control_buffer_is_too_small() {
    let (a, b) = pair4();
    b.set(opt::IP_PKTINFO, true).unwrap();
    b.set(opt::IP_RECVTTL, true).unwrap();
    send_to(&a, &b, b"x", &[]);
    let mut buf = [0u8; 4];
    // Room for the header and 4 bytes: IP_PKTINFO (12 bytes) cannot fit.
    let mut cb = CmsgBuffer::with_capacity(CMSG_LEN(4));
    let mut m =
        recvmsg(&b, &mut [IoSliceMut::new(&mut buf)], Some(&mut cb), MsgFlags::empty()).unwrap();
    assert!(m.truncated());
    for c in m.cmsgs() {
        assert!(
            !matches!(c, ControlMessageOwned::IpPktinfo(_)),
            "a typed value from a cut payload: {c:?}"
        );
    }
}

#[test]
fn ip_pktinfo_received_and_sent() {
    let (a, b) = pair4();
    b.set(opt::IP_PKTINFO, true).unwrap();
    send_to(&a, &b, b"x", &[]);
    let (_, _, c) = recv_all(&b);
    let lo = if_nametoindex("lo").unwrap();
    assert!(
        c.iter().any(|m| matches!(m, ControlMessageOwned::IpPktinfo(p)
            if p.addr == Ipv4Addr::LOCALHOST && p.spec_dst == Ipv4Addr::LOCALHOST && p.ifindex == lo)),
        "{c:?}"
    );
    // Sending with a source from IP_PKTINFO (what a server bound to 0.0.0.0 does).
    let any = udp("0.0.0.0:0");
    let info = InPktinfo { ifindex: 0, spec_dst: Ipv4Addr::LOCALHOST, addr: Ipv4Addr::UNSPECIFIED };
    send_to(&any, &b, b"y", &[ControlMessage::IpPktinfo(info)]);
    let mut buf = [0u8; 4];
    let m = recvmsg(&b, &mut [IoSliceMut::new(&mut buf)], None, MsgFlags::empty()).unwrap();
    assert_eq!(m.addr.ip(), Some(Ipv4Addr::LOCALHOST.into()));
}

#[test]
fn ipv6_pktinfo_received_and_sent() {
    let Some((a, b)) = pair6() else { return };
    b.set(opt::IPV6_RECVPKTINFO, true).unwrap();
    let info = In6Pktinfo { addr: Ipv6Addr::LOCALHOST, ifindex: 0 };
    send_to(&a, &b, b"x", &[ControlMessage::Ipv6Pktinfo(info)]);
    let (_, _, c) = recv_all(&b);
    let lo = if_nametoindex("lo").unwrap();
    assert!(
        c.iter().any(|m| matches!(m, ControlMessageOwned::Ipv6Pktinfo(p)
            if p.addr == Ipv6Addr::LOCALHOST && p.ifindex == lo)),
        "{c:?}"
    );
}

fn near_now(t: SystemTime) -> bool {
    let now = SystemTime::now();
    let d = now.duration_since(t).unwrap_or_else(|e| e.duration());
    d < Duration::from_secs(60)
}

#[test]
fn so_timestamp_and_timestampns() {
    let (a, b) = pair4();
    b.set(opt::SO_TIMESTAMP, true).unwrap();
    send_to(&a, &b, b"x", &[]);
    let (_, _, c) = recv_all(&b);
    assert!(
        c.iter().any(|m| matches!(m, ControlMessageOwned::ScmTimestamp(t) if near_now(*t))),
        "{c:?}"
    );
    let (a, b) = pair4();
    b.set(opt::SO_TIMESTAMPNS, true).unwrap();
    send_to(&a, &b, b"x", &[]);
    let (_, _, c) = recv_all(&b);
    assert!(
        c.iter().any(|m| matches!(m, ControlMessageOwned::ScmTimestampns(t) if near_now(*t))),
        "{c:?}"
    );
}

#[test]
fn so_timestamping_software_receive() {
    let (a, b) = pair4();
    let flags = opt::TimestampingFlags::RX_SOFTWARE | opt::TimestampingFlags::SOFTWARE;
    b.set(opt::SO_TIMESTAMPING, flags).unwrap();
    // When no socket of the system wants timestamps yet, the kernel turns them
    // on from a work queue (net_enable_timestamp defers its static key), and a
    // datagram that arrives first carries none: likelier on a busy machine
    // (network namespaces being torn down delay the work). So a few may pass.
    let mut c = Vec::new();
    for _ in 0..50 {
        send_to(&a, &b, b"x", &[]);
        c = recv_all(&b).2;
        if c.iter().any(|m| matches!(m, ControlMessageOwned::ScmTimestamping(_))) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        c.iter().any(|m| matches!(m, ControlMessageOwned::ScmTimestamping(t)
            if t.software.is_some_and(near_now))),
        "{c:?}"
    );
}

#[test]
fn ip_ttl_and_tos_sent_per_message_and_received() {
    let (a, b) = pair4();
    b.set(opt::IP_RECVTTL, true).unwrap();
    b.set(opt::IP_RECVTOS, true).unwrap();
    // TOS goes out as an int and comes back as one byte.
    send_to(&a, &b, b"x", &[ControlMessage::IpTtl(42), ControlMessage::IpTos(0x10)]);
    let (_, _, c) = recv_all(&b);
    assert!(c.iter().any(|m| matches!(m, ControlMessageOwned::IpTtl(42))), "{c:?}");
    assert!(c.iter().any(|m| matches!(m, ControlMessageOwned::IpTos(0x10))), "{c:?}");
    // Without per-message values: the socket's defaults.
    send_to(&a, &b, b"y", &[]);
    let (_, _, c) = recv_all(&b);
    let ttl = a.get(opt::IP_TTL).unwrap();
    assert!(c.iter().any(|m| matches!(m, ControlMessageOwned::IpTtl(t) if *t == ttl)), "{c:?}");
}

#[test]
fn ipv6_hoplimit_and_tclass() {
    let Some((a, b)) = pair6() else { return };
    b.set(opt::IPV6_RECVHOPLIMIT, true).unwrap();
    b.set(opt::IPV6_RECVTCLASS, true).unwrap();
    send_to(&a, &b, b"x", &[ControlMessage::Ipv6Hoplimit(9), ControlMessage::Ipv6Tclass(0x20)]);
    let (_, _, c) = recv_all(&b);
    assert!(c.iter().any(|m| matches!(m, ControlMessageOwned::Ipv6Hoplimit(9))), "{c:?}");
    assert!(c.iter().any(|m| matches!(m, ControlMessageOwned::Ipv6Tclass(0x20))), "{c:?}");
}

#[test]
fn ip_and_ipv6_origdstaddr() {
    let (a, b) = pair4();
    b.set(opt::IP_ORIGDSTADDR, true).unwrap();
    send_to(&a, &b, b"x", &[]);
    let (_, _, c) = recv_all(&b);
    let want = b.getsockname().unwrap();
    assert!(
        c.iter().any(
            |m| matches!(m, ControlMessageOwned::IpOrigdstaddr(d) if SockAddr::Inet(*d) == want)
        ),
        "{c:?}"
    );
    let Some((a, b)) = pair6() else { return };
    b.set(opt::IPV6_ORIGDSTADDR, true).unwrap();
    send_to(&a, &b, b"x", &[]);
    let (_, _, c) = recv_all(&b);
    let want = b.getsockname().unwrap();
    assert!(
        c.iter().any(
            |m| matches!(m, ControlMessageOwned::Ipv6Origdstaddr(d) if SockAddr::Inet6(*d) == want)
        ),
        "{c:?}"
    );
}

#[test]
fn udp_segment_leaves_as_datagrams_and_udp_gro_reads_them_back_in_one() {
    let data = vec![0xabu8; 10 * 1000];
    // Without GRO: ten datagrams of 1000 bytes.
    let (a, b) = pair4();
    assert_eq!(send_to(&a, &b, &data, &[ControlMessage::UdpSegment(1000)]), data.len());
    for _ in 0..10 {
        let (d, _, _) = recv_all(&b);
        assert_eq!(d.len(), 1000);
    }
    // With GRO: one read of all of it, with the segment size.
    let (a, b) = pair4();
    b.set(opt::UDP_GRO, true).unwrap();
    send_to(&a, &b, &data, &[ControlMessage::UdpSegment(1000)]);
    let (d, _, c) = recv_all(&b);
    assert_eq!(d.len(), data.len());
    assert!(c.iter().any(|m| matches!(m, ControlMessageOwned::UdpGro(1000))), "{c:?}");
}

#[test]
fn so_rxq_ovfl_counts_drops() {
    let (a, b) = pair4();
    b.set(opt::SO_RXQ_OVFL, true).unwrap();
    b.set(opt::SO_RCVBUF, 4096).unwrap();
    for _ in 0..200 {
        send_to(&a, &b, &[0u8; 512], &[]);
    }
    // The count is stamped on each datagram as it is queued: drain what fit,
    // then the next one carries the drops so far.
    let mut buf = [0u8; 512];
    while recv(&b, &mut buf, MsgFlags::DONTWAIT).is_ok() {}
    send_to(&a, &b, b"after", &[]);
    let (_, _, c) = recv_all(&b);
    assert!(c.iter().any(|m| matches!(m, ControlMessageOwned::SoRxqOvfl(n) if *n > 0)), "{c:?}");
}

/// A port on `host` that nothing listens on: bound, read, closed.
fn closed_port(host: &str) -> SockAddr {
    let s = udp(host);
    s.getsockname().unwrap()
}

fn error_queue(s: &Socket) -> Vec<ControlMessageOwned> {
    let mut p = [PollFd::new(s.as_fd(), PollFlags::empty())];
    // POLLERR is always reported; wait for it, bounded.
    assert_eq!(poll(&mut p, Some(Duration::from_secs(5))).unwrap(), 1);
    let mut buf = [0u8; 64];
    let mut cb = CmsgBuffer::with_capacity(256);
    let mut m =
        recvmsg(s, &mut [IoSliceMut::new(&mut buf)], Some(&mut cb), MsgFlags::ERRQUEUE).unwrap();
    assert!(m.flags.contains(MsgFlags::ERRQUEUE));
    m.cmsgs().collect()
}
use std::os::fd::AsFd;

#[test]
fn ip_recverr_reads_the_icmp_error_with_its_offender() {
    let to = closed_port("127.0.0.1:0");
    let s = udp("127.0.0.1:0");
    s.set(opt::IP_RECVERR, true).unwrap();
    sendmsg(&s, &[IoSlice::new(b"x")], &[], MsgFlags::empty(), Some(&to)).unwrap();
    let c = error_queue(&s);
    let e = c
        .iter()
        .find_map(|m| match m {
            ControlMessageOwned::IpRecverr(e) => Some(e),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{c:?}"));
    assert_eq!(e.errno, Errno::ECONNREFUSED);
    assert_eq!(e.origin, libc::SO_EE_ORIGIN_ICMP);
    assert_eq!((e.r#type, e.code), (3, 3)); // destination unreachable, port unreachable
    assert_eq!(e.offender.as_ref().and_then(|a| a.ip()), Some(Ipv4Addr::LOCALHOST.into()));
}

#[test]
fn ipv6_recverr_reads_the_icmpv6_error_with_its_offender() {
    if pair6().is_none() {
        return;
    }
    let to = closed_port("[::1]:0");
    let s = udp("[::1]:0");
    s.set(opt::IPV6_RECVERR, true).unwrap();
    sendmsg(&s, &[IoSlice::new(b"x")], &[], MsgFlags::empty(), Some(&to)).unwrap();
    let c = error_queue(&s);
    let e = c
        .iter()
        .find_map(|m| match m {
            ControlMessageOwned::Ipv6Recverr(e) => Some(e),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{c:?}"));
    assert_eq!(e.errno, Errno::ECONNREFUSED);
    assert_eq!(e.origin, libc::SO_EE_ORIGIN_ICMP6);
    assert_eq!(e.offender.as_ref().and_then(|a| a.ip()), Some(Ipv6Addr::LOCALHOST.into()));
}

#[test]
fn scm_credentials_with_so_passcred() {
    let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    b.set(opt::SO_PASSCRED, true).unwrap();
    let me = opt::UCred {
        pid: std::process::id() as i32,
        uid: unsafe_free_getuid(),
        gid: unsafe_free_getgid(),
    };
    for cmsgs in [&[][..], &[ControlMessage::ScmCredentials(me)][..]] {
        sendmsg(&a, &[IoSlice::new(b"x")], cmsgs, MsgFlags::empty(), None).unwrap();
        let (_, _, c) = recv_all(&b);
        assert!(
            c.iter().any(|m| matches!(m, ControlMessageOwned::ScmCredentials(u) if *u == me)),
            "{c:?}"
        );
    }
}

/// Our uid and gid, read back from the kernel through SO_PEERCRED of a pair.
fn unsafe_free_getuid() -> u32 {
    let (a, _b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    a.get(opt::SO_PEERCRED).unwrap().uid
}
fn unsafe_free_getgid() -> u32 {
    let (a, _b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    a.get(opt::SO_PEERCRED).unwrap().gid
}

#[test]
fn so_mark_per_message_needs_root() {
    if unsafe_free_getuid() != 0 {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI runs as root");
        eprintln!("skipped: SO_MARK needs CAP_NET_ADMIN and this test is not root");
        return;
    }
    let (a, b) = pair4();
    let rcvmark = b.set(opt::SO_RCVMARK, true).is_ok(); // Linux 6.0+
    send_to(&a, &b, b"x", &[ControlMessage::SoMark(7)]);
    let (d, _, c) = recv_all(&b);
    assert_eq!(d, b"x");
    if rcvmark {
        assert!(c.iter().any(|m| matches!(m, ControlMessageOwned::SoMark(7))), "{c:?}");
    }
}

#[test]
fn scm_txtime_send_path() {
    let (a, b) = pair4();
    a.set(
        opt::SO_TXTIME,
        SockTxtime { clockid: libc::CLOCK_MONOTONIC, flags: TxtimeFlags::empty() },
    )
    .unwrap();
    // Loopback has no time-based qdisc: the packet leaves at once.
    send_to(&a, &b, b"at", &[ControlMessage::ScmTxtime(0)]);
    let (d, _, _) = recv_all(&b);
    assert_eq!(d, b"at");
}

#[test]
fn raw_control_message_reaches_the_kernel_and_unknown_is_kept() {
    let (a, b) = pair4();
    b.set(opt::IP_RECVTTL, true).unwrap();
    let ttl = 33i32.to_ne_bytes();
    send_to(
        &a,
        &b,
        b"x",
        &[ControlMessage::Raw { level: libc::IPPROTO_IP, ty: libc::IP_TTL, data: &ttl }],
    );
    let (_, _, c) = recv_all(&b);
    assert!(c.iter().any(|m| matches!(m, ControlMessageOwned::IpTtl(33))), "{c:?}");
}

#[test]
fn refused_input_is_an_err_before_the_call() {
    let (a, b) = pair4();
    let e = sendmsg(
        &a,
        &[IoSlice::new(b"x")],
        &[ControlMessage::IpTtl(0)],
        MsgFlags::empty(),
        Some(&b.getsockname().unwrap()),
    )
    .unwrap_err();
    assert!(e.errno().is_none(), "{e}");
    assert!(e.to_string().starts_with("sendmsg: "), "{e}");
}

#[test]
fn sendmsg_on_a_closed_stream_is_epipe_not_sigpipe() {
    let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    drop(b);
    let e = sendmsg(&a, &[IoSlice::new(b"x")], &[], MsgFlags::empty(), None).unwrap_err();
    assert_eq!(e.errno(), Some(Errno::EPIPE));
}

#[test]
fn recvmsg_error_names_the_call() {
    let (_a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let e =
        recvmsg(&b, &mut [IoSliceMut::new(&mut [0u8; 1])], None, MsgFlags::DONTWAIT).unwrap_err();
    assert_eq!(e.errno(), Some(Errno::EAGAIN));
    assert!(e.to_string().starts_with("recvmsg: "), "{e}");
}
