//! Level `SOL_SOCKET`.

use std::os::fd::{AsRawFd, OwnedFd};
use std::time::Duration;

use bsdsock::opt::{self, Opt, ReadOnly, getsockopt, setsockopt};
use bsdsock::{
    Domain, Errno, Error, MsgFlags, Protocol, Socket, Type, recv, sendto, socket, socketpair,
};
use libc::SOL_SOCKET;

use crate::opt_common::rows::{
    Row, assert_declared, both, both_ways, custom, flag, named, run, same_as_raw,
};
use crate::opt_common::*;

fn unix_dgram() -> Socket {
    bsdsock::socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap().0
}

pub fn rows() -> Vec<Row> {
    vec![
        flag(tcp4, opt::SO_DONTROUTE, SOL_SOCKET, libc::SO_DONTROUTE),
        flag(tcp4, opt::SO_KEEPALIVE, SOL_SOCKET, libc::SO_KEEPALIVE),
        flag(tcp4, opt::SO_OOBINLINE, SOL_SOCKET, libc::SO_OOBINLINE),
        flag(tcp4, opt::SO_REUSEADDR, SOL_SOCKET, libc::SO_REUSEADDR),
        flag(tcp4, opt::SO_REUSEPORT, SOL_SOCKET, libc::SO_REUSEPORT),
        flag(tcp4, opt::SO_TIMESTAMP, SOL_SOCKET, libc::SO_TIMESTAMP),
        flag(tcp4, opt::SO_TIMESTAMPNS, SOL_SOCKET, libc::SO_TIMESTAMPNS),
        flag(tcp4, opt::SO_RXQ_OVFL, SOL_SOCKET, libc::SO_RXQ_OVFL),
        flag(tcp4, opt::SO_RCVMARK, SOL_SOCKET, libc::SO_RCVMARK),
        flag(tcp4, opt::SO_ZEROCOPY, SOL_SOCKET, libc::SO_ZEROCOPY),
        flag(udp4, opt::SO_BROADCAST, SOL_SOCKET, libc::SO_BROADCAST),
        flag(unix_stream, opt::SO_PASSCRED, SOL_SOCKET, libc::SO_PASSCRED),
        custom(&[named(opt::SO_RCVBUF), named(opt::SO_SNDBUF)], buffer_sizes),
        both(tcp4, opt::SO_RCVLOWAT, SOL_SOCKET, libc::SO_RCVLOWAT, 10, 10, 20, 20),
        both(tcp4, opt::SO_PRIORITY, SOL_SOCKET, libc::SO_PRIORITY, 3, 3, 5, 5),
        both(tcp4, opt::SO_INCOMING_CPU, SOL_SOCKET, libc::SO_INCOMING_CPU, Some(1), 1, -1, None),
        custom(&[named(opt::SO_BUSY_POLL)], || {
            let (t, us) = (tcp4(), Duration::from_micros);
            both_ways(
                &t,
                opt::SO_BUSY_POLL,
                SOL_SOCKET,
                libc::SO_BUSY_POLL,
                us(50),
                50,
                70,
                us(70),
            );
            setsockopt(&t, opt::SO_BUSY_POLL, Duration::from_nanos(1)).unwrap(); // rounds up
            assert_eq!(raw_get_int(&t, SOL_SOCKET, libc::SO_BUSY_POLL), 1);
        }),
        both(unix_dgram, opt::SO_PEEK_OFF, SOL_SOCKET, libc::SO_PEEK_OFF, Some(3), 3, -1, None),
        custom(&[named(opt::SO_BINDTOIFINDEX)], so_bindtoifindex),
        custom(&[named(opt::SO_TIMESTAMPING)], || {
            use bsdsock::opt::TimestampingFlags as F;
            let (a, b) = (F::RX_SOFTWARE | F::SOFTWARE, F::TX_SOFTWARE | F::SOFTWARE);
            let (ra, rb) = (a.bits() as i32, b.bits() as i32);
            both_ways(
                &udp4(),
                opt::SO_TIMESTAMPING,
                SOL_SOCKET,
                libc::SO_TIMESTAMPING,
                a,
                ra,
                rb,
                b,
            );
        }),
        custom(&[named(opt::SO_LINGER)], so_linger),
        custom(&[named(opt::SO_RCVTIMEO), named(opt::SO_SNDTIMEO)], timeouts),
        custom(&[named(opt::SO_TXTIME)], so_txtime),
        custom(&[named(opt::SO_BINDTODEVICE)], so_bindtodevice),
        custom(&[named(opt::SO_ACCEPTCONN)], so_acceptconn),
        custom(
            &[named(opt::SO_TYPE), named(opt::SO_DOMAIN), named(opt::SO_PROTOCOL)],
            type_domain_protocol,
        ),
        custom(
            &[named(opt::SO_ERROR), named(opt::SO_SNDLOWAT), named(opt::SO_COOKIE)],
            error_sndlowat_cookie,
        ),
        custom(&[named(opt::SO_PEERCRED), named(opt::SO_PEERPIDFD)], peer_credentials),
        custom(
            &[named(opt::SO_ATTACH_FILTER), named(opt::SO_DETACH_FILTER)],
            bpf_filters_attach_detach_and_filter,
        ),
        custom(&[named(opt::SO_ATTACH_REUSEPORT_CBPF)], reuseport_cbpf_steers_datagrams),
    ]
}

#[test]
fn socket_level_rows() {
    run(rows());
}

fn buffer_sizes() {
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
}

fn so_bindtoifindex() {
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
}

fn so_linger() {
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

fn timeouts() {
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

fn so_txtime() {
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

fn so_bindtodevice() {
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

fn so_acceptconn() {
    let s = tcp4();
    s.bind(&loopback(0)).unwrap();
    assert!(!same_as_raw(&s, opt::SO_ACCEPTCONN, SOL_SOCKET, libc::SO_ACCEPTCONN, |&b| b as i32));
    s.listen(1).unwrap();
    assert!(same_as_raw(&s, opt::SO_ACCEPTCONN, SOL_SOCKET, libc::SO_ACCEPTCONN, |&b| b as i32));
}

fn type_domain_protocol() {
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
}

fn error_sndlowat_cookie() {
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

fn peer_credentials() {
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
    assert_eq!(
        err.to_string(),
        format!("setsockopt(SO_DETACH_FILTER): {} (ENOENT)", crate::common::strerror(libc::ENOENT))
    );

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
