//! Typed socket options against raw libc, and the effects the notes describe.
//!
//! Every option this machine supports without privileges is set through bsdsock
//! and read back with libc's `getsockopt` at the level and name of the C headers,
//! and the reverse: an option declared at the wrong level or name (as two peer
//! crates shipped) fails here. Options that need privileges are in
//! `tests/opt_priv.rs`.

mod opt_common;

use std::fmt::Debug;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

use bsdsock::opt::{self, Decode, Encode, Opt, ReadOnly, ReadWrite};
use bsdsock::opt::{getsockopt, getsockopt_raw, setsockopt, setsockopt_raw};
use bsdsock::{
    Domain, Errno, Error, MsgFlags, Protocol, SockAddr, Socket, Type, connect, recv, recvfrom,
    sendto, socket, socketpair,
};
use opt_common::*;

use libc::{IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, IPPROTO_UDP, SOL_SOCKET};

// ---------------------------------------------------------------------------
// Round-trip helpers.

#[track_caller]
fn assert_declared<V, A, C>(opt: Opt<V, A, C>, level: i32, name: i32) {
    assert_eq!(
        (opt.level(), opt.optname()),
        (level, name),
        "{} is declared at the wrong level or name",
        opt.name()
    );
}

/// An int-carried read-write option, both ways: typed set `a` reads back `ra`
/// through libc at (`level`, `name`); libc set `rb` reads back `b` typed.
#[track_caller]
#[allow(clippy::too_many_arguments)]
fn both_ways<V, C>(
    s: &Socket,
    opt: Opt<V, ReadWrite, C>,
    level: i32,
    name: i32,
    a: V,
    ra: i32,
    rb: i32,
    b: V,
) where
    C: Encode<V> + Decode<V>,
    V: PartialEq + Debug + Clone,
{
    assert_declared(opt, level, name);
    setsockopt(s, opt, a.clone()).unwrap_or_else(|e| panic!("typed set {a:?}: {e}"));
    assert_eq!(raw_get_int(s, level, name), ra, "{}: typed set {a:?}, libc read", opt.name());
    raw_set_int(s, level, name, rb);
    assert_eq!(getsockopt(s, opt).unwrap(), b, "{}: libc set {rb}, typed read", opt.name());
}

/// A flag, both ways and both values.
#[track_caller]
fn flag(s: &Socket, opt: Opt<bool, ReadWrite>, level: i32, name: i32) {
    both_ways(s, opt, level, name, true, 1, 0, false);
    both_ways(s, opt, level, name, false, 0, 1, true);
}

/// A read-only int-carried option: the typed read, as C's int, equals libc's.
#[track_caller]
fn same_as_raw<V, C>(
    s: &Socket,
    opt: Opt<V, ReadOnly, C>,
    level: i32,
    name: i32,
    as_int: impl Fn(&V) -> i32,
) -> V
where
    C: Decode<V>,
{
    assert_declared(opt, level, name);
    let typed = getsockopt(s, opt).unwrap();
    assert_eq!(as_int(&typed), raw_get_int(s, level, name), "{}", opt.name());
    typed
}

fn sysctl(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}")).trim().to_string()
}

fn loopback(port: u16) -> SockAddr {
    SockAddr::from(std::net::SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))
}

fn bound_udp4() -> (Socket, SockAddr) {
    let s = udp4();
    s.bind(&loopback(0)).unwrap();
    let a = s.getsockname().unwrap();
    (s, a)
}

/// A connected TCP pair on loopback: (client, server side).
fn tcp_pair() -> (Socket, Socket) {
    let l = tcp4();
    l.bind(&loopback(0)).unwrap();
    l.listen(1).unwrap();
    let c = tcp4();
    c.connect(&l.getsockname().unwrap()).unwrap();
    let (s, _) = l.accept().unwrap();
    (c, s)
}

// ---------------------------------------------------------------------------
// SOL_SOCKET

#[test]
fn socket_flags_both_ways() {
    let t = tcp4();
    flag(&t, opt::SO_DONTROUTE, SOL_SOCKET, libc::SO_DONTROUTE);
    flag(&t, opt::SO_KEEPALIVE, SOL_SOCKET, libc::SO_KEEPALIVE);
    flag(&t, opt::SO_OOBINLINE, SOL_SOCKET, libc::SO_OOBINLINE);
    flag(&t, opt::SO_REUSEADDR, SOL_SOCKET, libc::SO_REUSEADDR);
    flag(&t, opt::SO_REUSEPORT, SOL_SOCKET, libc::SO_REUSEPORT);
    flag(&t, opt::SO_TIMESTAMP, SOL_SOCKET, libc::SO_TIMESTAMP);
    flag(&t, opt::SO_TIMESTAMPNS, SOL_SOCKET, libc::SO_TIMESTAMPNS);
    flag(&t, opt::SO_RXQ_OVFL, SOL_SOCKET, libc::SO_RXQ_OVFL);
    flag(&t, opt::SO_RCVMARK, SOL_SOCKET, libc::SO_RCVMARK);
    flag(&t, opt::SO_ZEROCOPY, SOL_SOCKET, libc::SO_ZEROCOPY);
    let u = udp4();
    flag(&u, opt::SO_BROADCAST, SOL_SOCKET, libc::SO_BROADCAST);
    let (a, _b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    flag(&a, opt::SO_PASSCRED, SOL_SOCKET, libc::SO_PASSCRED);
}

#[test]
fn socket_ints_both_ways() {
    // Linux doubles the buffer sizes, after capping them at rmem_max / wmem_max.
    let rmem_max: i32 = sysctl("/proc/sys/net/core/rmem_max").parse().unwrap();
    let wmem_max: i32 = sysctl("/proc/sys/net/core/wmem_max").parse().unwrap();
    let t = tcp4();
    let (r1, r2) = (100_000.min(rmem_max), 50_000.min(rmem_max));
    both_ways(
        &t,
        opt::SO_RCVBUF,
        SOL_SOCKET,
        libc::SO_RCVBUF,
        r1 as usize,
        2 * r1,
        r2,
        2 * r2 as usize,
    );
    let (w1, w2) = (60_000.min(wmem_max), 30_000.min(wmem_max));
    both_ways(
        &t,
        opt::SO_SNDBUF,
        SOL_SOCKET,
        libc::SO_SNDBUF,
        w1 as usize,
        2 * w1,
        w2,
        2 * w2 as usize,
    );
    both_ways(&t, opt::SO_RCVLOWAT, SOL_SOCKET, libc::SO_RCVLOWAT, 10, 10, 20, 20);
    both_ways(&t, opt::SO_PRIORITY, SOL_SOCKET, libc::SO_PRIORITY, 3, 3, 5, 5);
    both_ways(&t, opt::SO_INCOMING_CPU, SOL_SOCKET, libc::SO_INCOMING_CPU, Some(1), 1, -1, None);
    let us = Duration::from_micros;
    both_ways(&t, opt::SO_BUSY_POLL, SOL_SOCKET, libc::SO_BUSY_POLL, us(50), 50, 70, us(70));
    setsockopt(&t, opt::SO_BUSY_POLL, Duration::from_nanos(1)).unwrap(); // rounds up
    assert_eq!(raw_get_int(&t, SOL_SOCKET, libc::SO_BUSY_POLL), 1);

    let (a, _b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    both_ways(&a, opt::SO_PEEK_OFF, SOL_SOCKET, libc::SO_PEEK_OFF, Some(3), 3, -1, None);

    let lo = lo_index() as i32;
    // Each socket is bound once: changing a binding needs CAP_NET_RAW.
    let u = udp4();
    assert_declared(opt::SO_BINDTOIFINDEX, SOL_SOCKET, libc::SO_BINDTOIFINDEX);
    assert_eq!(getsockopt(&u, opt::SO_BINDTOIFINDEX).unwrap(), 0);
    setsockopt(&u, opt::SO_BINDTOIFINDEX, lo as u32).unwrap();
    assert_eq!(raw_get_int(&u, SOL_SOCKET, libc::SO_BINDTOIFINDEX), lo);
    let fresh = udp4();
    raw_set_int(&fresh, SOL_SOCKET, libc::SO_BINDTOIFINDEX, lo);
    assert_eq!(getsockopt(&fresh, opt::SO_BINDTOIFINDEX).unwrap(), lo as u32);

    use bsdsock::opt::TimestampingFlags as F;
    let u = udp4();
    let (a, b) = (F::RX_SOFTWARE | F::SOFTWARE, F::TX_SOFTWARE | F::SOFTWARE);
    both_ways(
        &u,
        opt::SO_TIMESTAMPING,
        SOL_SOCKET,
        libc::SO_TIMESTAMPING,
        a,
        a.bits() as i32,
        b.bits() as i32,
        b,
    );
}

#[test]
fn so_linger_both_ways() {
    assert_declared(opt::SO_LINGER, SOL_SOCKET, libc::SO_LINGER);
    let s = tcp4();
    assert_eq!(getsockopt(&s, opt::SO_LINGER).unwrap(), None);
    setsockopt(&s, opt::SO_LINGER, Some(Duration::from_secs(3))).unwrap();
    let (l, len) = raw_get::<libc::linger>(&s, SOL_SOCKET, libc::SO_LINGER).unwrap();
    assert_eq!((len, l.l_onoff, l.l_linger), (std::mem::size_of::<libc::linger>(), 1, 3));
    // A fraction rounds up: 1.2 s lingers 2 s; a millisecond is not an abort.
    setsockopt(&s, opt::SO_LINGER, Some(Duration::from_millis(1200))).unwrap();
    assert_eq!(raw_get::<libc::linger>(&s, SOL_SOCKET, libc::SO_LINGER).unwrap().0.l_linger, 2);
    setsockopt(&s, opt::SO_LINGER, Some(Duration::from_millis(1))).unwrap();
    assert_eq!(raw_get::<libc::linger>(&s, SOL_SOCKET, libc::SO_LINGER).unwrap().0.l_linger, 1);
    setsockopt(&s, opt::SO_LINGER, Some(Duration::ZERO)).unwrap();
    let l = raw_get::<libc::linger>(&s, SOL_SOCKET, libc::SO_LINGER).unwrap().0;
    assert_eq!((l.l_onoff, l.l_linger), (1, 0));
    setsockopt(&s, opt::SO_LINGER, None).unwrap();
    assert_eq!(raw_get::<libc::linger>(&s, SOL_SOCKET, libc::SO_LINGER).unwrap().0.l_onoff, 0);

    raw_set(&s, SOL_SOCKET, libc::SO_LINGER, &libc::linger { l_onoff: 1, l_linger: 7 }).unwrap();
    assert_eq!(getsockopt(&s, opt::SO_LINGER).unwrap(), Some(Duration::from_secs(7)));
    raw_set(&s, SOL_SOCKET, libc::SO_LINGER, &libc::linger { l_onoff: 0, l_linger: 0 }).unwrap();
    assert_eq!(getsockopt(&s, opt::SO_LINGER).unwrap(), None);
}

#[test]
fn timeouts_both_ways() {
    for (opt, name) in
        [(opt::SO_RCVTIMEO, libc::SO_RCVTIMEO), (opt::SO_SNDTIMEO, libc::SO_SNDTIMEO)]
    {
        assert_declared(opt, SOL_SOCKET, name);
        let s = udp4();
        assert_eq!(getsockopt(&s, opt).unwrap(), None);
        setsockopt(&s, opt, Some(Duration::from_secs(2))).unwrap();
        let tv = raw_get::<libc::timeval>(&s, SOL_SOCKET, name).unwrap().0;
        assert_eq!((tv.tv_sec, tv.tv_usec), (2, 0), "{}", opt.name());
        let tv = libc::timeval { tv_sec: 1, tv_usec: 500_000 };
        raw_set(&s, SOL_SOCKET, name, &tv).unwrap();
        assert_eq!(getsockopt(&s, opt).unwrap(), Some(Duration::from_millis(1500)));

        // A nanosecond is not "no timeout": it rounds up (to 1 µs here, then to a
        // clock tick in the kernel), and typed and raw agree on the result.
        setsockopt(&s, opt, Some(Duration::from_nanos(1))).unwrap();
        let tv = raw_get::<libc::timeval>(&s, SOL_SOCKET, name).unwrap().0;
        assert!(tv.tv_sec > 0 || tv.tv_usec > 0, "{}: 1 ns became no timeout", opt.name());
        let got = getsockopt(&s, opt).unwrap().expect("a timeout");
        assert_eq!(got, Duration::new(tv.tv_sec as u64, tv.tv_usec as u32 * 1000));

        // Some(ZERO) would mean "no timeout" in C: refused before any call, so
        // the previous value stays.
        let err = setsockopt(&s, opt, Some(Duration::ZERO)).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
        assert!(err.to_string().starts_with(&format!("setsockopt({}): ", opt.name())));
        assert_eq!(getsockopt(&s, opt).unwrap(), Some(got));

        setsockopt(&s, opt, None).unwrap();
        let tv = raw_get::<libc::timeval>(&s, SOL_SOCKET, name).unwrap().0;
        assert_eq!((tv.tv_sec, tv.tv_usec), (0, 0));
    }
}

#[test]
fn so_txtime_both_ways() {
    use bsdsock::opt::{SockTxtime, TxtimeFlags};
    assert_declared(opt::SO_TXTIME, SOL_SOCKET, libc::SO_TXTIME);
    let s = udp4();
    let t = SockTxtime { clockid: libc::CLOCK_MONOTONIC, flags: TxtimeFlags::REPORT_ERRORS };
    setsockopt(&s, opt::SO_TXTIME, t).unwrap();
    let raw = raw_get::<libc::sock_txtime>(&s, SOL_SOCKET, libc::SO_TXTIME).unwrap().0;
    assert_eq!((raw.clockid, raw.flags), (libc::CLOCK_MONOTONIC, libc::SOF_TXTIME_REPORT_ERRORS));
    let raw = libc::sock_txtime {
        clockid: libc::CLOCK_MONOTONIC,
        flags: libc::SOF_TXTIME_DEADLINE_MODE | libc::SOF_TXTIME_REPORT_ERRORS,
    };
    raw_set(&s, SOL_SOCKET, libc::SO_TXTIME, &raw).unwrap();
    assert_eq!(
        getsockopt(&s, opt::SO_TXTIME).unwrap(),
        SockTxtime { clockid: libc::CLOCK_MONOTONIC, flags: TxtimeFlags::all() }
    );
}

#[test]
fn so_bindtodevice_both_ways() {
    assert_declared(opt::SO_BINDTODEVICE, SOL_SOCKET, libc::SO_BINDTODEVICE);
    let s = udp4();
    assert_eq!(getsockopt(&s, opt::SO_BINDTODEVICE).unwrap(), None);
    setsockopt(&s, opt::SO_BINDTODEVICE, "lo").unwrap();
    let mut buf = [0u8; 16];
    let n = raw_get_bytes(&s, SOL_SOCKET, libc::SO_BINDTODEVICE, &mut buf).unwrap();
    assert_eq!(&buf[..n], b"lo\0");
    // The binding is real: the index option sees the same interface.
    assert_eq!(raw_get_int(&s, SOL_SOCKET, libc::SO_BINDTOIFINDEX), lo_index() as i32);

    let fresh = udp4();
    raw_set_bytes(&fresh, SOL_SOCKET, libc::SO_BINDTODEVICE, b"lo").unwrap();
    assert_eq!(getsockopt(&fresh, opt::SO_BINDTODEVICE).unwrap().unwrap(), "lo");

    // Longer than IFNAMSIZ - 1: Linux would cut it silently; here it is refused.
    let err = setsockopt(udp4(), opt::SO_BINDTODEVICE, "a-very-long-ifname").unwrap_err();
    assert!(matches!(err, Error::InvalidInput { call: "setsockopt(SO_BINDTODEVICE)", .. }));
    // An interface that does not exist: the kernel's ENODEV, named.
    let err = setsockopt(udp4(), opt::SO_BINDTODEVICE, "nosuchif0").unwrap_err();
    assert_eq!(err.errno(), Some(Errno::ENODEV));
}

#[test]
fn socket_read_only_options_match_libc() {
    let s = tcp4();
    s.bind(&loopback(0)).unwrap();
    assert!(!same_as_raw(&s, opt::SO_ACCEPTCONN, SOL_SOCKET, libc::SO_ACCEPTCONN, |&b| b as i32));
    s.listen(1).unwrap();
    assert!(same_as_raw(&s, opt::SO_ACCEPTCONN, SOL_SOCKET, libc::SO_ACCEPTCONN, |&b| b as i32));

    assert_declared(opt::SO_TYPE, SOL_SOCKET, libc::SO_TYPE);
    assert_declared(opt::SO_DOMAIN, SOL_SOCKET, libc::SO_DOMAIN);
    assert_declared(opt::SO_PROTOCOL, SOL_SOCKET, libc::SO_PROTOCOL);
    for (d, t, p) in [
        (Domain::INET, Type::STREAM, Protocol::TCP),
        (Domain::INET, Type::DGRAM, Protocol::UDP),
        (Domain::INET6, Type::STREAM, Protocol::TCP),
        (Domain::UNIX, Type::SEQPACKET, Protocol::DEFAULT),
    ] {
        let s = socket(d, t, Protocol::DEFAULT).unwrap();
        assert_eq!(getsockopt(&s, opt::SO_TYPE).unwrap(), t);
        assert_eq!(
            getsockopt(&s, opt::SO_TYPE).unwrap().as_raw(),
            raw_get_int(&s, SOL_SOCKET, libc::SO_TYPE)
        );
        assert_eq!(getsockopt(&s, opt::SO_DOMAIN).unwrap(), d);
        assert_eq!(
            getsockopt(&s, opt::SO_DOMAIN).unwrap().as_raw(),
            raw_get_int(&s, SOL_SOCKET, libc::SO_DOMAIN)
        );
        assert_eq!(getsockopt(&s, opt::SO_PROTOCOL).unwrap(), p);
        assert_eq!(
            getsockopt(&s, opt::SO_PROTOCOL).unwrap().as_raw(),
            raw_get_int(&s, SOL_SOCKET, libc::SO_PROTOCOL)
        );
    }

    let s = tcp4();
    assert_declared(opt::SO_ERROR, SOL_SOCKET, libc::SO_ERROR);
    assert_eq!(getsockopt(&s, opt::SO_ERROR).unwrap(), None);
    assert_eq!(raw_get_int(&s, SOL_SOCKET, libc::SO_ERROR), 0);

    // SO_SNDLOWAT: read-only on Linux, as libc confirms by refusing to set it.
    assert_eq!(same_as_raw(&s, opt::SO_SNDLOWAT, SOL_SOCKET, libc::SO_SNDLOWAT, |&n| n as i32), 1);
    assert_eq!(raw_set(&s, SOL_SOCKET, libc::SO_SNDLOWAT, &4096i32), Err(Errno::ENOPROTOOPT));

    assert_declared(opt::SO_COOKIE, SOL_SOCKET, libc::SO_COOKIE);
    let cookie = getsockopt(&s, opt::SO_COOKIE).unwrap();
    let (raw, len) = raw_get::<u64>(&s, SOL_SOCKET, libc::SO_COOKIE).unwrap();
    assert_eq!((cookie, len), (raw, 8));
    assert_ne!(cookie, 0);
    assert_ne!(getsockopt(tcp4(), opt::SO_COOKIE).unwrap(), cookie, "cookies are unique");
}

/// `pid` from `/proc/self/fdinfo/<fd>` of a pidfd.
fn pidfd_pid(fd: &OwnedFd) -> i32 {
    let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{}", fd.as_raw_fd())).unwrap();
    let line = info.lines().find(|l| l.starts_with("Pid:")).expect("a pidfd has a Pid: line");
    line["Pid:".len()..].trim().parse().unwrap()
}

#[test]
fn peer_credentials_are_our_own() {
    assert_declared(opt::SO_PEERCRED, SOL_SOCKET, libc::SO_PEERCRED);
    let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    let cred = getsockopt(&a, opt::SO_PEERCRED).unwrap();
    // SAFETY: getpid, getuid and getgid have no preconditions.
    let (pid, uid, gid) = unsafe { (libc::getpid(), libc::getuid(), libc::getgid()) };
    assert_eq!(cred, opt::UCred { pid, uid, gid });
    let (raw, len) = raw_get::<libc::ucred>(&b, SOL_SOCKET, libc::SO_PEERCRED).unwrap();
    assert_eq!((raw.pid, raw.uid, raw.gid, len), (pid, uid, gid, 12));

    // SO_PEERPIDFD: a new descriptor naming this very process, owned by us.
    assert_declared(opt::SO_PEERPIDFD, SOL_SOCKET, libc::SO_PEERPIDFD);
    let pidfd = getsockopt(&a, opt::SO_PEERPIDFD).unwrap();
    assert_eq!(pidfd_pid(&pidfd), pid);
    let raw_fd = raw_get_int(&a, SOL_SOCKET, libc::SO_PEERPIDFD);
    // SAFETY: the kernel just installed raw_fd for us and nothing else owns it.
    let raw_fd = unsafe { <OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(raw_fd) };
    assert_eq!(pidfd_pid(&raw_fd), pid);
    assert_ne!(pidfd.as_raw_fd(), raw_fd.as_raw_fd());

    // The descriptor codec cannot be pointed at another option: SO_TYPE's 1
    // would otherwise become an OwnedFd for stdout, closed on drop.
    const TYPE_AS_FD: Opt<OwnedFd, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_TYPE, "SO_TYPE");
    let err = getsockopt(&a, TYPE_AS_FD).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
}

#[test]
fn bpf_filters_attach_detach_and_filter() {
    use bsdsock::opt::SockFilter;
    assert_declared(opt::SO_ATTACH_FILTER, SOL_SOCKET, libc::SO_ATTACH_FILTER);
    assert_declared(opt::SO_DETACH_FILTER, SOL_SOCKET, libc::SO_DETACH_FILTER);
    // BPF_LD|BPF_W|BPF_LEN (A = length), then BPF_RET|BPF_K #0: drop everything.
    const DROP_ALL: [SockFilter; 2] =
        [SockFilter::new(0x80, 0, 0, 0), SockFilter::new(0x06, 0, 0, 0)];
    let (rx, addr) = bound_udp4();
    setsockopt(&rx, opt::SO_RCVTIMEO, Some(Duration::from_millis(200))).unwrap();
    setsockopt(&rx, opt::SO_ATTACH_FILTER, &DROP_ALL).unwrap();

    // libc reads the program back (SO_GET_FILTER is SO_ATTACH_FILTER): the
    // kernel got exactly our instructions, in struct sock_filter's layout.
    let mut back = [0u8; 16];
    let n = raw_get_bytes(&rx, SOL_SOCKET, libc::SO_ATTACH_FILTER, &mut back).unwrap();
    assert_eq!(n, 2, "the kernel reports the program length in instructions");
    assert_eq!(&back[..8], &[0x80, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(&back[8..], &[0x06, 0, 0, 0, 0, 0, 0, 0]);

    let tx = udp4();
    let mut buf = [0u8; 8];
    sendto(&tx, b"dropped", MsgFlags::empty(), &addr).unwrap();
    assert_eq!(recv(&rx, &mut buf, MsgFlags::empty()).unwrap_err().errno(), Some(Errno::EAGAIN));
    setsockopt(&rx, opt::SO_DETACH_FILTER, ()).unwrap();
    sendto(&tx, b"passed", MsgFlags::empty(), &addr).unwrap();
    assert_eq!(recv(&rx, &mut buf, MsgFlags::empty()).unwrap(), 6);
    // Nothing attached any more: the kernel's ENOENT, named.
    let err = setsockopt(&rx, opt::SO_DETACH_FILTER, ()).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::ENOENT));
    assert_eq!(err.to_string(), "setsockopt(SO_DETACH_FILTER): No such file or directory (ENOENT)");

    // The reverse: a filter attached through libc, detached typed.
    let prog = [libc::sock_filter { code: 0x06, jt: 0, jf: 0, k: u32::MAX }];
    let fprog = libc::sock_fprog { len: 1, filter: prog.as_ptr().cast_mut() };
    raw_set(&rx, SOL_SOCKET, libc::SO_ATTACH_FILTER, &fprog).unwrap();
    setsockopt(&rx, opt::SO_DETACH_FILTER, ()).unwrap();

    // A program the kernel refuses gets the same errno typed and raw.
    let empty: &[SockFilter] = &[];
    let typed = setsockopt(&rx, opt::SO_ATTACH_FILTER, empty).unwrap_err().errno();
    let fprog = libc::sock_fprog { len: 0, filter: prog.as_ptr().cast_mut() };
    assert_eq!(typed, raw_set(&rx, SOL_SOCKET, libc::SO_ATTACH_FILTER, &fprog).err());
    assert_eq!(typed, Some(Errno::EINVAL));
}

#[test]
fn reuseport_cbpf_steers_datagrams() {
    use bsdsock::opt::SockFilter;
    assert_declared(opt::SO_ATTACH_REUSEPORT_CBPF, SOL_SOCKET, libc::SO_ATTACH_REUSEPORT_CBPF);
    let first = udp4();
    setsockopt(&first, opt::SO_REUSEPORT, true).unwrap();
    first.bind(&loopback(0)).unwrap();
    let addr = first.getsockname().unwrap();
    let second = udp4();
    setsockopt(&second, opt::SO_REUSEPORT, true).unwrap();
    second.bind(&addr).unwrap();
    // "ret #1": every datagram goes to the group's second socket.
    setsockopt(&first, opt::SO_ATTACH_REUSEPORT_CBPF, &[SockFilter::new(0x06, 0, 0, 1)]).unwrap();
    for s in [&first, &second] {
        setsockopt(s, opt::SO_RCVTIMEO, Some(Duration::from_millis(200))).unwrap();
    }
    let tx = udp4();
    for _ in 0..4 {
        sendto(&tx, b"x", MsgFlags::empty(), &addr).unwrap();
    }
    let mut buf = [0u8; 4];
    for _ in 0..4 {
        assert_eq!(recv(&second, &mut buf, MsgFlags::empty()).unwrap(), 1);
    }
    assert_eq!(
        recv(&first, &mut buf, MsgFlags::DONTWAIT).unwrap_err().errno(),
        Some(Errno::EAGAIN)
    );
}

// ---------------------------------------------------------------------------
// IPPROTO_IP

#[test]
fn ip_options_both_ways() {
    let u = udp4();
    both_ways(&u, opt::IP_TOS, IPPROTO_IP, libc::IP_TOS, 0x28, 0x28, 0x10, 0x10);
    both_ways(&u, opt::IP_TTL, IPPROTO_IP, libc::IP_TTL, 33, 33, 44, 44);
    both_ways(&u, opt::IP_MULTICAST_TTL, IPPROTO_IP, libc::IP_MULTICAST_TTL, 0, 0, 7, 7);
    use bsdsock::opt::PmtuDisc;
    both_ways(
        &u,
        opt::IP_MTU_DISCOVER,
        IPPROTO_IP,
        libc::IP_MTU_DISCOVER,
        PmtuDisc::DO,
        2,
        0,
        PmtuDisc::DONT,
    );
    both_ways(
        &u,
        opt::IP_MTU_DISCOVER,
        IPPROTO_IP,
        libc::IP_MTU_DISCOVER,
        PmtuDisc::OMIT,
        5,
        3,
        PmtuDisc::PROBE,
    );
    for (o, n) in [
        (opt::IP_MULTICAST_LOOP, libc::IP_MULTICAST_LOOP),
        (opt::IP_MULTICAST_ALL, libc::IP_MULTICAST_ALL),
        (opt::IP_FREEBIND, libc::IP_FREEBIND),
        (opt::IP_BIND_ADDRESS_NO_PORT, libc::IP_BIND_ADDRESS_NO_PORT),
        (opt::IP_PKTINFO, libc::IP_PKTINFO),
        (opt::IP_RECVTOS, libc::IP_RECVTOS),
        (opt::IP_RECVTTL, libc::IP_RECVTTL),
        (opt::IP_RECVERR, libc::IP_RECVERR),
        (opt::IP_ORIGDSTADDR, libc::IP_ORIGDSTADDR),
    ] {
        flag(&u, o, IPPROTO_IP, n);
    }
    // An out-of-range TTL is the kernel's EINVAL, named after the option.
    let err = setsockopt(&u, opt::IP_TTL, 0).unwrap_err();
    assert_eq!(err.to_string(), "setsockopt(IP_TTL): Invalid argument (EINVAL)");
    // A value C's int cannot hold never reaches the kernel (TCP_MAXSEG is a u32).
    let t = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    assert!(matches!(setsockopt(&t, opt::TCP_MAXSEG, u32::MAX), Err(Error::InvalidInput { .. })));
    assert_eq!(raw_get_int(&u, IPPROTO_IP, libc::IP_TTL), 44);
}

#[test]
fn ip_multicast_if_both_ways() {
    assert_declared(opt::IP_MULTICAST_IF, IPPROTO_IP, libc::IP_MULTICAST_IF);
    let u = udp4();
    setsockopt(&u, opt::IP_MULTICAST_IF, Ipv4Addr::LOCALHOST).unwrap();
    let (a, len) = raw_get::<libc::in_addr>(&u, IPPROTO_IP, libc::IP_MULTICAST_IF).unwrap();
    assert_eq!((Ipv4Addr::from(u32::from_be(a.s_addr)), len), (Ipv4Addr::LOCALHOST, 4));
    raw_set(&u, IPPROTO_IP, libc::IP_MULTICAST_IF, &libc::in_addr { s_addr: 0 }).unwrap();
    assert_eq!(getsockopt(&u, opt::IP_MULTICAST_IF).unwrap(), Ipv4Addr::UNSPECIFIED);
    // The ip_mreqn form names the interface by index; the address reads back.
    let m = opt::IpMreqn {
        multiaddr: Ipv4Addr::UNSPECIFIED,
        address: Ipv4Addr::LOCALHOST,
        ifindex: lo_index(),
    };
    setsockopt(&u, opt::IP_MULTICAST_IF, m).unwrap();
    assert_eq!(getsockopt(&u, opt::IP_MULTICAST_IF).unwrap(), Ipv4Addr::LOCALHOST);
}

#[test]
fn ip_mtu_of_a_connected_socket_matches_libc() {
    let u = udp4();
    assert_eq!(
        getsockopt(&u, opt::IP_MTU).unwrap_err().to_string(),
        "getsockopt(IP_MTU): Transport endpoint is not connected (ENOTCONN)"
    );
    u.connect(&loopback(9)).unwrap();
    let mtu = same_as_raw(&u, opt::IP_MTU, IPPROTO_IP, libc::IP_MTU, |&n| n as i32);
    // IPv4 caps a route's MTU at IP_MAX_MTU (65535), below lo's usual 65536.
    let lo_mtu: u32 = sysctl("/sys/class/net/lo/mtu").parse().unwrap();
    assert_eq!(mtu, lo_mtu.min(65535));
}

/// Typed and raw `setsockopt` of the same request give the same errno (or both
/// succeed): the typed one reached the same level and name with the same bytes.
#[track_caller]
fn same_errno<T: Copy>(
    typed: bsdsock::Result<()>,
    s: &Socket,
    level: i32,
    name: i32,
    raw: &T,
) -> Option<Errno> {
    let t = typed.err().map(|e| e.errno().expect("an OS error"));
    assert_eq!(t, raw_set(s, level, name, raw).err());
    t
}

#[test]
fn ip_membership_reaches_the_kernel() {
    use bsdsock::opt::{IpMreq, IpMreqSource, IpMreqn};
    assert_declared(opt::IP_ADD_MEMBERSHIP, IPPROTO_IP, libc::IP_ADD_MEMBERSHIP);
    assert_declared(opt::IP_DROP_MEMBERSHIP, IPPROTO_IP, libc::IP_DROP_MEMBERSHIP);
    assert_declared(opt::IP_ADD_SOURCE_MEMBERSHIP, IPPROTO_IP, libc::IP_ADD_SOURCE_MEMBERSHIP);
    assert_declared(opt::IP_DROP_SOURCE_MEMBERSHIP, IPPROTO_IP, libc::IP_DROP_SOURCE_MEMBERSHIP);
    let lo = Ipv4Addr::LOCALHOST;
    let raw_mreq = |g: Ipv4Addr| libc::ip_mreq {
        imr_multiaddr: libc::in_addr { s_addr: u32::from(g).to_be() },
        imr_interface: libc::in_addr { s_addr: u32::from(lo).to_be() },
    };
    let u = udp4();
    let g = Ipv4Addr::new(239, 77, 1, 1);
    // Typed join, then libc's join of the same group: already a member.
    setsockopt(&u, opt::IP_ADD_MEMBERSHIP, IpMreq { multiaddr: g, interface: lo }).unwrap();
    assert_eq!(
        raw_set(&u, IPPROTO_IP, libc::IP_ADD_MEMBERSHIP, &raw_mreq(g)),
        Err(Errno::EADDRINUSE)
    );
    setsockopt(&u, opt::IP_DROP_MEMBERSHIP, IpMreq { multiaddr: g, interface: lo }).unwrap();
    assert_eq!(
        raw_set(&u, IPPROTO_IP, libc::IP_DROP_MEMBERSHIP, &raw_mreq(g)),
        Err(Errno::EADDRNOTAVAIL)
    );
    // The reverse, with the ip_mreqn form.
    let n = IpMreqn { multiaddr: g, address: Ipv4Addr::UNSPECIFIED, ifindex: lo_index() };
    raw_set(&u, IPPROTO_IP, libc::IP_ADD_MEMBERSHIP, &raw_mreq(g)).unwrap();
    let err = setsockopt(&u, opt::IP_ADD_MEMBERSHIP, n).unwrap_err();
    assert_eq!(
        err.to_string(),
        "setsockopt(IP_ADD_MEMBERSHIP): Address already in use (EADDRINUSE)"
    );
    raw_set(&u, IPPROTO_IP, libc::IP_DROP_MEMBERSHIP, &raw_mreq(g)).unwrap();
    assert_eq!(
        setsockopt(&u, opt::IP_DROP_MEMBERSHIP, n).unwrap_err().errno(),
        Some(Errno::EADDRNOTAVAIL)
    );

    // Source-specific: the typed request and libc's behave alike at each step.
    let src =
        IpMreqSource { multiaddr: Ipv4Addr::new(232, 77, 1, 1), interface: lo, sourceaddr: lo };
    let raw_src = libc::ip_mreq_source {
        imr_multiaddr: libc::in_addr { s_addr: u32::from(src.multiaddr).to_be() },
        imr_interface: libc::in_addr { s_addr: u32::from(lo).to_be() },
        imr_sourceaddr: libc::in_addr { s_addr: u32::from(lo).to_be() },
    };
    let a = udp4();
    let b = udp4();
    let add = libc::IP_ADD_SOURCE_MEMBERSHIP;
    let drop = libc::IP_DROP_SOURCE_MEMBERSHIP;
    assert_eq!(
        same_errno(
            setsockopt(&a, opt::IP_ADD_SOURCE_MEMBERSHIP, src),
            &b,
            IPPROTO_IP,
            add,
            &raw_src
        ),
        None
    );
    let again = same_errno(
        setsockopt(&a, opt::IP_ADD_SOURCE_MEMBERSHIP, src),
        &b,
        IPPROTO_IP,
        add,
        &raw_src,
    );
    assert!(again.is_some(), "joining the same source twice is an error");
    assert_eq!(
        same_errno(
            setsockopt(&a, opt::IP_DROP_SOURCE_MEMBERSHIP, src),
            &b,
            IPPROTO_IP,
            drop,
            &raw_src
        ),
        None
    );
    let gone = same_errno(
        setsockopt(&a, opt::IP_DROP_SOURCE_MEMBERSHIP, src),
        &b,
        IPPROTO_IP,
        drop,
        &raw_src,
    );
    assert!(gone.is_some(), "leaving a source twice is an error");
}

#[test]
fn original_dst_without_nat_fails_like_libc() {
    let (c, _s) = tcp_pair();
    assert_declared(opt::SO_ORIGINAL_DST, IPPROTO_IP, libc::SO_ORIGINAL_DST);
    let typed = getsockopt(&c, opt::SO_ORIGINAL_DST).unwrap_err().errno();
    let mut buf = [0u8; 128];
    let raw = raw_get_bytes(&c, libc::SOL_IP, libc::SO_ORIGINAL_DST, &mut buf).err();
    assert!(typed.is_some());
    assert_eq!(typed, raw);

    let l = tcp6();
    l.bind(&"[::1]:0".parse().unwrap()).unwrap();
    l.listen(1).unwrap();
    let c6 = tcp6();
    c6.connect(&l.getsockname().unwrap()).unwrap();
    assert_declared(opt::IP6T_SO_ORIGINAL_DST, IPPROTO_IPV6, libc::IP6T_SO_ORIGINAL_DST);
    let typed = getsockopt(&c6, opt::IP6T_SO_ORIGINAL_DST).unwrap_err().errno();
    let raw = raw_get_bytes(&c6, libc::SOL_IPV6, libc::IP6T_SO_ORIGINAL_DST, &mut buf).err();
    assert!(typed.is_some());
    assert_eq!(typed, raw);
}

// ---------------------------------------------------------------------------
// IPPROTO_IPV6

#[test]
fn ipv6_options_both_ways() {
    let u = udp6();
    both_ways(&u, opt::IPV6_UNICAST_HOPS, IPPROTO_IPV6, libc::IPV6_UNICAST_HOPS, 5, 5, 9, 9);
    // The one a peer crate sent to IPPROTO_IP: here it must be IPPROTO_IPV6.
    both_ways(&u, opt::IPV6_MULTICAST_HOPS, IPPROTO_IPV6, libc::IPV6_MULTICAST_HOPS, 5, 5, 9, 9);
    let lo = lo_index();
    both_ways(
        &u,
        opt::IPV6_MULTICAST_IF,
        IPPROTO_IPV6,
        libc::IPV6_MULTICAST_IF,
        lo,
        lo as i32,
        0,
        0,
    );
    both_ways(&u, opt::IPV6_TCLASS, IPPROTO_IPV6, libc::IPV6_TCLASS, 0x20, 0x20, 0x40, 0x40);
    use bsdsock::opt::PmtuDisc;
    both_ways(
        &u,
        opt::IPV6_MTU_DISCOVER,
        IPPROTO_IPV6,
        libc::IPV6_MTU_DISCOVER,
        PmtuDisc::PROBE,
        3,
        1,
        PmtuDisc::WANT,
    );
    for (o, n) in [
        (opt::IPV6_DONTFRAG, libc::IPV6_DONTFRAG),
        (opt::IPV6_V6ONLY, libc::IPV6_V6ONLY),
        (opt::IPV6_MULTICAST_LOOP, libc::IPV6_MULTICAST_LOOP),
        (opt::IPV6_MULTICAST_ALL, libc::IPV6_MULTICAST_ALL),
        (opt::IPV6_FREEBIND, libc::IPV6_FREEBIND),
        (opt::IPV6_RECVPKTINFO, libc::IPV6_RECVPKTINFO),
        (opt::IPV6_RECVTCLASS, libc::IPV6_RECVTCLASS),
        (opt::IPV6_RECVHOPLIMIT, libc::IPV6_RECVHOPLIMIT),
        (opt::IPV6_RECVERR, libc::IPV6_RECVERR),
        (opt::IPV6_ORIGDSTADDR, libc::IPV6_ORIGDSTADDR),
    ] {
        flag(&u, o, IPPROTO_IPV6, n);
    }
    // The IPv4 multicast TTL of an IPv6 socket is untouched by the hop limit.
    let v4_ttl = raw_get_int(&u, IPPROTO_IP, libc::IP_MULTICAST_TTL);
    setsockopt(&u, opt::IPV6_MULTICAST_HOPS, 17).unwrap();
    assert_eq!(raw_get_int(&u, IPPROTO_IP, libc::IP_MULTICAST_TTL), v4_ttl);
}

#[test]
fn ipv6_mtu_of_a_connected_socket_matches_libc() {
    let u = udp6();
    assert_eq!(getsockopt(&u, opt::IPV6_MTU).unwrap_err().errno(), Some(Errno::ENOTCONN));
    u.connect(&"[::1]:9".parse().unwrap()).unwrap();
    let mtu = same_as_raw(&u, opt::IPV6_MTU, IPPROTO_IPV6, libc::IPV6_MTU, |&n| n as i32);
    assert!(mtu >= 1280);
}

#[test]
fn ipv6_membership_reaches_the_kernel() {
    use bsdsock::opt::Ipv6Mreq;
    assert_declared(opt::IPV6_ADD_MEMBERSHIP, IPPROTO_IPV6, libc::IPV6_ADD_MEMBERSHIP);
    assert_declared(opt::IPV6_DROP_MEMBERSHIP, IPPROTO_IPV6, libc::IPV6_DROP_MEMBERSHIP);
    assert_declared(opt::IPV6_JOIN_GROUP, IPPROTO_IPV6, libc::IPV6_ADD_MEMBERSHIP);
    assert_declared(opt::IPV6_LEAVE_GROUP, IPPROTO_IPV6, libc::IPV6_DROP_MEMBERSHIP);
    let g: Ipv6Addr = "ff02::77:1".parse().unwrap();
    let m = Ipv6Mreq { multiaddr: g, interface: lo_index() };
    let raw = libc::ipv6_mreq {
        ipv6mr_multiaddr: libc::in6_addr { s6_addr: g.octets() },
        ipv6mr_interface: lo_index(),
    };
    let u = udp6();
    setsockopt(&u, opt::IPV6_ADD_MEMBERSHIP, m).unwrap();
    assert_eq!(raw_set(&u, IPPROTO_IPV6, libc::IPV6_ADD_MEMBERSHIP, &raw), Err(Errno::EADDRINUSE));
    assert_eq!(
        setsockopt(&u, opt::IPV6_JOIN_GROUP, m).unwrap_err().errno(),
        Some(Errno::EADDRINUSE)
    );
    setsockopt(&u, opt::IPV6_DROP_MEMBERSHIP, m).unwrap();
    assert_eq!(
        raw_set(&u, IPPROTO_IPV6, libc::IPV6_DROP_MEMBERSHIP, &raw),
        Err(Errno::EADDRNOTAVAIL)
    );
    raw_set(&u, IPPROTO_IPV6, libc::IPV6_ADD_MEMBERSHIP, &raw).unwrap();
    setsockopt(&u, opt::IPV6_LEAVE_GROUP, m).unwrap();
    assert_eq!(
        setsockopt(&u, opt::IPV6_LEAVE_GROUP, m).unwrap_err().errno(),
        Some(Errno::EADDRNOTAVAIL)
    );
}

// ---------------------------------------------------------------------------
// IPPROTO_TCP, IPPROTO_UDP

#[test]
fn tcp_options_both_ways() {
    let t = tcp4();
    for (o, n) in [
        (opt::TCP_NODELAY, libc::TCP_NODELAY),
        (opt::TCP_CORK, libc::TCP_CORK),
        (opt::TCP_QUICKACK, libc::TCP_QUICKACK),
        (opt::TCP_THIN_LINEAR_TIMEOUTS, libc::TCP_THIN_LINEAR_TIMEOUTS),
        (opt::TCP_FASTOPEN_CONNECT, libc::TCP_FASTOPEN_CONNECT),
    ] {
        flag(&t, o, IPPROTO_TCP, n);
    }
    both_ways(&t, opt::TCP_MAXSEG, IPPROTO_TCP, libc::TCP_MAXSEG, 1000, 1000, 1200, 1200);
    let s = Duration::from_secs;
    both_ways(&t, opt::TCP_KEEPIDLE, IPPROTO_TCP, libc::TCP_KEEPIDLE, s(60), 60, 120, s(120));
    both_ways(&t, opt::TCP_KEEPINTVL, IPPROTO_TCP, libc::TCP_KEEPINTVL, s(10), 10, 20, s(20));
    both_ways(&t, opt::TCP_KEEPCNT, IPPROTO_TCP, libc::TCP_KEEPCNT, 4, 4, 6, 6);
    let ms = Duration::from_millis;
    both_ways(
        &t,
        opt::TCP_USER_TIMEOUT,
        IPPROTO_TCP,
        libc::TCP_USER_TIMEOUT,
        ms(1500),
        1500,
        2500,
        ms(2500),
    );
    both_ways(
        &t,
        opt::TCP_NOTSENT_LOWAT,
        IPPROTO_TCP,
        libc::TCP_NOTSENT_LOWAT,
        Some(1000),
        1000,
        -1,
        None,
    );
    both_ways(&t, opt::TCP_FASTOPEN, IPPROTO_TCP, libc::TCP_FASTOPEN, 5, 5, 7, 7);
    both_ways(&t, opt::TCP_SYNCNT, IPPROTO_TCP, libc::TCP_SYNCNT, 3, 3, 4, 4);
    both_ways(&t, opt::TCP_LINGER2, IPPROTO_TCP, libc::TCP_LINGER2, Some(s(10)), 10, -1, None);
    both_ways(
        &t,
        opt::TCP_WINDOW_CLAMP,
        IPPROTO_TCP,
        libc::TCP_WINDOW_CLAMP,
        20_000,
        20_000,
        30_000,
        30_000,
    );
    // TCP_DEFER_ACCEPT is kept as SYN-ACK retransmissions: 7 s is on the
    // schedule, 5 s reads back as the next step up; typed and raw always agree.
    both_ways(&t, opt::TCP_DEFER_ACCEPT, IPPROTO_TCP, libc::TCP_DEFER_ACCEPT, s(7), 7, 3, s(3));
    setsockopt(&t, opt::TCP_DEFER_ACCEPT, s(5)).unwrap();
    let back = getsockopt(&t, opt::TCP_DEFER_ACCEPT).unwrap();
    assert!(back >= s(5));
    assert_eq!(back.as_secs() as i32, raw_get_int(&t, IPPROTO_TCP, libc::TCP_DEFER_ACCEPT));

    // Fractions round up, never down to 0 (which C reads as "invalid" or
    // "default").
    setsockopt(&t, opt::TCP_KEEPIDLE, ms(1200)).unwrap();
    assert_eq!(raw_get_int(&t, IPPROTO_TCP, libc::TCP_KEEPIDLE), 2);
    setsockopt(&t, opt::TCP_USER_TIMEOUT, Duration::from_micros(1)).unwrap();
    assert_eq!(raw_get_int(&t, IPPROTO_TCP, libc::TCP_USER_TIMEOUT), 1);
    assert!(matches!(
        setsockopt(&t, opt::TCP_KEEPIDLE, Duration::MAX),
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(raw_get_int(&t, IPPROTO_TCP, libc::TCP_KEEPIDLE), 2);
}

#[test]
fn tcp_congestion_both_ways() {
    assert_declared(opt::TCP_CONGESTION, IPPROTO_TCP, libc::TCP_CONGESTION);
    let default = sysctl("/proc/sys/net/ipv4/tcp_congestion_control");
    let t = tcp4();
    assert_eq!(getsockopt(&t, opt::TCP_CONGESTION).unwrap(), default.as_str());
    setsockopt(&t, opt::TCP_CONGESTION, "reno").unwrap();
    let mut buf = [0u8; 16];
    let n = raw_get_bytes(&t, IPPROTO_TCP, libc::TCP_CONGESTION, &mut buf).unwrap();
    assert_eq!(&buf[..5], b"reno\0");
    assert!(n >= 5);
    raw_set_bytes(&t, IPPROTO_TCP, libc::TCP_CONGESTION, default.as_bytes()).unwrap();
    assert_eq!(getsockopt(&t, opt::TCP_CONGESTION).unwrap(), default.as_str());
    let err = setsockopt(&t, opt::TCP_CONGESTION, "no-such-cc").unwrap_err();
    assert_eq!(err.errno(), Some(Errno::ENOENT));
}

#[test]
fn tcp_ulp_reaches_the_kernel() {
    assert_declared(opt::TCP_ULP, IPPROTO_TCP, libc::TCP_ULP);
    let t = tcp4();
    let typed = setsockopt(&t, opt::TCP_ULP, "no-such-ulp").unwrap_err().errno();
    assert_eq!(typed, raw_set_bytes(&t, IPPROTO_TCP, libc::TCP_ULP, b"no-such-ulp").err());
    assert_eq!(typed, Some(Errno::ENOENT));
    let err = setsockopt(&t, opt::TCP_ULP, "name-longer-than-15").unwrap_err();
    assert!(matches!(err, Error::InvalidInput { call: "setsockopt(TCP_ULP)", .. }));
}

#[test]
fn tcp_info_of_a_connection() {
    use bsdsock::opt::TcpState;
    assert_declared(opt::TCP_INFO, IPPROTO_TCP, libc::TCP_INFO);
    let fresh = tcp4();
    assert_eq!(getsockopt(&fresh, opt::TCP_INFO).unwrap().state(), TcpState::CLOSE);
    let (c, s) = tcp_pair();
    c.send(b"hello", MsgFlags::empty()).unwrap();
    let mut buf = [0u8; 5];
    s.recv(&mut buf, MsgFlags::WAITALL).unwrap();
    let info = getsockopt(&c, opt::TCP_INFO).unwrap();
    assert_eq!(info.state(), TcpState::ESTABLISHED);
    let (raw, len) = raw_get::<libc::tcp_info>(&c, IPPROTO_TCP, libc::TCP_INFO).unwrap();
    assert!(len >= 104);
    assert_eq!(info.state().as_raw(), i32::from(raw.tcpi_state));
    assert_eq!(info.snd_mss(), raw.tcpi_snd_mss);
    assert_eq!(info.rcv_mss(), raw.tcpi_rcv_mss);
    assert_eq!(info.advmss(), raw.tcpi_advmss);
    assert_eq!(info.pmtu(), raw.tcpi_pmtu);
    assert_eq!(info.options(), raw.tcpi_options);
    assert_eq!(info.snd_wscale() | (info.rcv_wscale() << 4), raw.tcpi_snd_rcv_wscale);
    assert_eq!(info.total_retrans(), raw.tcpi_total_retrans);
    // Fields of later kernels are there on this one, and count what we did.
    assert_eq!(info.bytes_acked(), Some(raw.tcpi_bytes_acked));
    assert!(info.bytes_acked().unwrap() >= 5);
    assert!(info.segs_out().unwrap() >= 1);
    assert!(info.rtt() > Duration::ZERO);
    assert!(format!("{info:?}").contains("state: TCP_ESTABLISHED"));
}

#[test]
fn udp_options_both_ways() {
    let u = udp4();
    both_ways(&u, opt::UDP_SEGMENT, IPPROTO_UDP, libc::UDP_SEGMENT, 1200u16, 1200, 1400, 1400);
    flag(&u, opt::UDP_GRO, IPPROTO_UDP, libc::UDP_GRO);
}

// ---------------------------------------------------------------------------
// Values that do not fit are errors, never garbage.

#[test]
fn kernel_answers_that_do_not_fit_are_decode_errors() {
    let s = tcp4();
    // A 64-bit codec given SO_TYPE's 4 bytes: a short length.
    const TYPE_AS_U64: Opt<u64, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_TYPE, "SO_TYPE");
    let err = getsockopt(&s, TYPE_AS_U64).unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "getsockopt: unexpected value from the kernel: 4 bytes where 8 were expected"
    );
    // SO_RCVBUF's value is no socket type: an unknown SO_TYPE is an error.
    const RCVBUF_AS_TYPE: Opt<Type, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_RCVBUF, "SO_RCVBUF");
    assert!(matches!(getsockopt(&s, RCVBUF_AS_TYPE), Err(Error::Decode { .. })));
    // A struct codec given an int: short.
    const TYPE_AS_INFO: Opt<opt::TcpInfo, ReadOnly> =
        Opt::new(SOL_SOCKET, libc::SO_TYPE, "SO_TYPE");
    assert!(matches!(getsockopt(&s, TYPE_AS_INFO), Err(Error::Decode { .. })));
    const TYPE_AS_TIMEVAL: Opt<Option<Duration>, ReadOnly, opt::Timeval> =
        Opt::new(SOL_SOCKET, libc::SO_TYPE, "SO_TYPE");
    assert!(matches!(getsockopt(&s, TYPE_AS_TIMEVAL), Err(Error::Decode { .. })));
    // TCP_NOTSENT_LOWAT's "no limit" is UINT_MAX: as a plain size it does not fit.
    const LOWAT_AS_USIZE: Opt<usize, ReadOnly> =
        Opt::new(IPPROTO_TCP, libc::TCP_NOTSENT_LOWAT, "x");
    raw_set_int(&s, IPPROTO_TCP, libc::TCP_NOTSENT_LOWAT, -1);
    assert!(matches!(getsockopt(&s, LOWAT_AS_USIZE), Err(Error::Decode { .. })));
    assert_eq!(getsockopt(&s, opt::TCP_NOTSENT_LOWAT).unwrap(), None);
}

#[test]
fn int_codecs_check_the_length_and_the_range_together() {
    // The int codecs read the value and the reported length as one word and
    // check both with one compare; each way of failing must still be told apart.
    let s = tcp4();
    raw_set_int(&s, SOL_SOCKET, libc::SO_RCVBUF, 65536); // reads back doubled
    let rcvbuf = raw_get_int(&s, SOL_SOCKET, libc::SO_RCVBUF);
    assert!(rcvbuf > 65535, "{rcvbuf}");
    const RCVBUF_AS_U8: Opt<u8, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_RCVBUF, "SO_RCVBUF");
    assert_eq!(
        getsockopt(&s, RCVBUF_AS_U8).unwrap_err().to_string(),
        format!(
            "getsockopt: unexpected value from the kernel: {rcvbuf} is not a valid 8-bit value"
        )
    );
    const RCVBUF_AS_U16: Opt<u16, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_RCVBUF, "SO_RCVBUF");
    assert!(matches!(getsockopt(&s, RCVBUF_AS_U16), Err(Error::Decode { .. })));
    // The same value as wide types is fine.
    const RCVBUF_AS_U32: Opt<u32, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_RCVBUF, "SO_RCVBUF");
    assert_eq!(getsockopt(&s, RCVBUF_AS_U32).unwrap(), rcvbuf as u32);
    assert_eq!(getsockopt(&s, opt::SO_RCVBUF).unwrap(), rcvbuf as usize);
    // A negative int: fine as i32, an error as every unsigned type.
    raw_set_int(&s, IPPROTO_TCP, libc::TCP_NOTSENT_LOWAT, -1);
    const LOWAT_AS_I32: Opt<i32, ReadOnly> = Opt::new(IPPROTO_TCP, libc::TCP_NOTSENT_LOWAT, "x");
    const LOWAT_AS_U32: Opt<u32, ReadOnly> = Opt::new(IPPROTO_TCP, libc::TCP_NOTSENT_LOWAT, "x");
    const LOWAT_AS_U8: Opt<u8, ReadOnly> = Opt::new(IPPROTO_TCP, libc::TCP_NOTSENT_LOWAT, "x");
    assert_eq!(getsockopt(&s, LOWAT_AS_I32).unwrap(), -1);
    assert_eq!(
        getsockopt(&s, LOWAT_AS_U32).unwrap_err().to_string(),
        "getsockopt: unexpected value from the kernel: -1 is not a valid unsigned value"
    );
    assert!(matches!(getsockopt(&s, LOWAT_AS_U8), Err(Error::Decode { .. })));
    // SO_BINDTODEVICE of an unbound socket answers with 0 bytes: a short length
    // for every int codec, whatever the 4 bytes left in the buffer would say.
    let mut buf = [0xffu8; 16];
    assert_eq!(getsockopt_raw(&s, SOL_SOCKET, libc::SO_BINDTODEVICE, &mut buf).unwrap(), 0);
    let short = "getsockopt: unexpected value from the kernel: 0 bytes where 4 were expected";
    const DEV_AS_U8: Opt<u8, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_BINDTODEVICE, "x");
    const DEV_AS_U16: Opt<u16, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_BINDTODEVICE, "x");
    const DEV_AS_U32: Opt<u32, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_BINDTODEVICE, "x");
    const DEV_AS_USIZE: Opt<usize, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_BINDTODEVICE, "x");
    const DEV_AS_I32: Opt<i32, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_BINDTODEVICE, "x");
    const DEV_AS_BOOL: Opt<bool, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_BINDTODEVICE, "x");
    assert_eq!(getsockopt(&s, DEV_AS_U8).unwrap_err().to_string(), short);
    assert_eq!(getsockopt(&s, DEV_AS_U16).unwrap_err().to_string(), short);
    assert_eq!(getsockopt(&s, DEV_AS_U32).unwrap_err().to_string(), short);
    assert_eq!(getsockopt(&s, DEV_AS_USIZE).unwrap_err().to_string(), short);
    assert_eq!(getsockopt(&s, DEV_AS_I32).unwrap_err().to_string(), short);
    assert_eq!(getsockopt(&s, DEV_AS_BOOL).unwrap_err().to_string(), short);
}

#[test]
fn raw_escape_hatch() {
    let s = udp4();
    setsockopt_raw(&s, SOL_SOCKET, libc::SO_BROADCAST, &1i32.to_ne_bytes()).unwrap();
    assert!(getsockopt(&s, opt::SO_BROADCAST).unwrap());
    let mut buf = [0u8; 8];
    assert_eq!(getsockopt_raw(&s, SOL_SOCKET, libc::SO_BROADCAST, &mut buf).unwrap(), 4);
    assert_eq!(i32::from_ne_bytes(buf[..4].try_into().unwrap()), 1);
    let err = setsockopt_raw(&s, SOL_SOCKET, 9999, &[0; 4]).unwrap_err();
    assert_eq!(err.to_string(), "setsockopt: Protocol not available (ENOPROTOOPT)");
    // Socket::get / Socket::set are the same calls.
    s.set(opt::IP_TTL, 9).unwrap();
    assert_eq!(s.get(opt::IP_TTL).unwrap(), 9);
    assert_eq!(
        format!("{:?}", opt::SO_RCVBUF),
        format!("SO_RCVBUF (level {SOL_SOCKET}, optname {})", libc::SO_RCVBUF)
    );
}

// ---------------------------------------------------------------------------
// The effects the notes describe.

#[test]
fn so_reuseaddr_rebinds_while_time_wait_holds_the_port() {
    // The server closes first, so its side of the connection sits in TIME_WAIT.
    let server = tcp4();
    setsockopt(&server, opt::SO_REUSEADDR, true).unwrap();
    server.bind(&loopback(0)).unwrap();
    server.listen(1).unwrap();
    let addr = server.getsockname().unwrap();
    let client = tcp4();
    client.connect(&addr).unwrap();
    let (conn, _) = server.accept().unwrap();
    drop(conn); // active close: FIN from the server side
    let mut buf = [0u8; 1];
    assert_eq!(client.recv(&mut buf, MsgFlags::empty()).unwrap(), 0); // EOF
    drop(client); // the client's FIN moves the server side to TIME_WAIT
    drop(server);

    let info_time_wait = || {
        std::fs::read_to_string("/proc/net/tcp").unwrap().lines().skip(1).any(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f[1].ends_with(&format!(":{:04X}", addr.port().unwrap())) && f[3] == "06"
        })
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    while !info_time_wait() {
        assert!(Instant::now() < deadline, "no TIME_WAIT entry appeared");
        std::thread::sleep(Duration::from_millis(10));
    }

    let without = tcp4();
    assert_eq!(without.bind(&addr).unwrap_err().errno(), Some(Errno::EADDRINUSE));
    let with = tcp4();
    setsockopt(&with, opt::SO_REUSEADDR, true).unwrap();
    with.bind(&addr).unwrap();
    with.listen(1).unwrap();
    assert!(getsockopt(&with, opt::SO_ACCEPTCONN).unwrap());
}

#[test]
fn so_linger_zero_resets_the_peer() {
    let (client, conn) = tcp_pair();
    setsockopt(&client, opt::SO_RCVTIMEO, Some(Duration::from_secs(5))).unwrap();
    conn.send(b"unread", MsgFlags::empty()).unwrap();
    setsockopt(&conn, opt::SO_LINGER, Some(Duration::ZERO)).unwrap();
    drop(conn); // abortive close: RST
    let mut buf = [0u8; 16];
    let err = loop {
        // Data that arrived before the RST may be discarded or read first.
        match client.recv(&mut buf, MsgFlags::empty()) {
            Ok(n) if n > 0 => continue,
            Ok(_) => panic!("orderly EOF instead of a reset"),
            Err(e) => break e,
        }
    };
    assert_eq!(err.errno(), Some(Errno::ECONNRESET));
}

#[test]
fn so_rcvtimeo_bounds_a_blocking_recv() {
    let (s, _) = bound_udp4();
    let timeout = Duration::from_millis(150);
    setsockopt(&s, opt::SO_RCVTIMEO, Some(timeout)).unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 4];
    let err = recv(&s, &mut buf, MsgFlags::empty()).unwrap_err();
    let waited = start.elapsed();
    assert_eq!(err.errno(), Some(Errno::EAGAIN));
    assert!(waited >= timeout, "returned after {waited:?}, before the timeout");
    assert!(waited < Duration::from_secs(10), "blocked {waited:?}");
}

#[test]
fn so_broadcast_is_needed_for_the_loopback_broadcast_address() {
    let rx = udp4();
    rx.bind(&SockAddr::from(std::net::SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0))).unwrap();
    setsockopt(&rx, opt::SO_RCVTIMEO, Some(Duration::from_secs(5))).unwrap();
    let port = rx.getsockname().unwrap().port().unwrap();
    let bcast =
        SockAddr::from(std::net::SocketAddrV4::new(Ipv4Addr::new(127, 255, 255, 255), port));
    let tx = udp4();
    let err = sendto(&tx, b"all", MsgFlags::empty(), &bcast).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::EACCES));
    setsockopt(&tx, opt::SO_BROADCAST, true).unwrap();
    assert_eq!(sendto(&tx, b"all", MsgFlags::empty(), &bcast).unwrap(), 3);
    let mut buf = [0u8; 8];
    let (n, from) = recvfrom(&rx, &mut buf, MsgFlags::empty()).unwrap();
    assert_eq!(&buf[..n], b"all");
    assert_eq!(from.port(), tx.getsockname().unwrap().port());
}

#[test]
fn so_error_holds_the_refused_nonblocking_connect() {
    // A bound port with no listener refuses connections.
    let closed = tcp4();
    closed.bind(&loopback(0)).unwrap();
    let addr = closed.getsockname().unwrap();
    let c = socket(Domain::INET, Type::STREAM.nonblocking(), Protocol::DEFAULT).unwrap();
    match connect(&c, &addr) {
        Err(e) if e.errno() == Some(Errno::EINPROGRESS) => {}
        other => panic!("expected EINPROGRESS, got {other:?}"),
    }
    let mut pfd = libc::pollfd { fd: c.as_raw_fd(), events: libc::POLLOUT, revents: 0 };
    // SAFETY: pfd is one valid pollfd.
    let n = unsafe { libc::poll(&mut pfd, 1, 5000) };
    assert_eq!(n, 1, "the connect attempt did not finish");
    assert_eq!(getsockopt(&c, opt::SO_ERROR).unwrap(), Some(Errno::ECONNREFUSED));
    // Reading it cleared it.
    assert_eq!(getsockopt(&c, opt::SO_ERROR).unwrap(), None);
}

#[test]
fn so_acceptconn_and_so_type() {
    let s = tcp4();
    s.bind(&loopback(0)).unwrap();
    assert!(!getsockopt(&s, opt::SO_ACCEPTCONN).unwrap());
    s.listen(5).unwrap();
    assert!(getsockopt(&s, opt::SO_ACCEPTCONN).unwrap());
    let c = tcp4();
    c.connect(&s.getsockname().unwrap()).unwrap();
    let (conn, _) = s.accept().unwrap();
    assert!(!getsockopt(&conn, opt::SO_ACCEPTCONN).unwrap());
    assert_eq!(getsockopt(&conn, opt::SO_TYPE).unwrap(), Type::STREAM);
    assert_eq!(getsockopt(udp4(), opt::SO_TYPE).unwrap(), Type::DGRAM);
    let (a, _b) = socketpair(Domain::UNIX, Type::SEQPACKET, Protocol::DEFAULT).unwrap();
    assert_eq!(getsockopt(&a, opt::SO_TYPE).unwrap(), Type::SEQPACKET);
}

#[test]
fn ip_multicast_join_and_leave_on_loopback() {
    use bsdsock::opt::IpMreq;
    let group = Ipv4Addr::new(239, 77, 2, 2);
    let rx = udp4();
    setsockopt(&rx, opt::SO_REUSEADDR, true).unwrap();
    rx.bind(&SockAddr::from(std::net::SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0))).unwrap();
    let port = rx.getsockname().unwrap().port().unwrap();
    setsockopt(&rx, opt::SO_RCVTIMEO, Some(Duration::from_millis(300))).unwrap();
    setsockopt(&rx, opt::IP_MULTICAST_ALL, false).unwrap(); // only groups this socket joined
    let mreq = IpMreq { multiaddr: group, interface: Ipv4Addr::LOCALHOST };
    setsockopt(&rx, opt::IP_ADD_MEMBERSHIP, mreq).unwrap();

    // Sent out of the loopback interface, TTL 0: it never leaves this host.
    let tx = udp4();
    setsockopt(&tx, opt::IP_MULTICAST_IF, Ipv4Addr::LOCALHOST).unwrap();
    setsockopt(&tx, opt::IP_MULTICAST_TTL, 0).unwrap();
    setsockopt(&tx, opt::IP_MULTICAST_LOOP, true).unwrap();
    let to = SockAddr::from(std::net::SocketAddrV4::new(group, port));
    sendto(&tx, b"joined", MsgFlags::empty(), &to).unwrap();
    let mut buf = [0u8; 16];
    let (n, _) = recvfrom(&rx, &mut buf, MsgFlags::empty()).unwrap();
    assert_eq!(&buf[..n], b"joined");

    setsockopt(&rx, opt::IP_DROP_MEMBERSHIP, mreq).unwrap();
    sendto(&tx, b"left", MsgFlags::empty(), &to).unwrap();
    assert_eq!(recv(&rx, &mut buf, MsgFlags::empty()).unwrap_err().errno(), Some(Errno::EAGAIN));
    assert_eq!(
        setsockopt(&rx, opt::IP_DROP_MEMBERSHIP, mreq).unwrap_err().errno(),
        Some(Errno::EADDRNOTAVAIL)
    );
}
