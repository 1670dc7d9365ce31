//! Hostile values: what C does with them, or a clear `Err`, never a panic, a
//! wrap-around or a silent change. Each test shows one value on real sockets;
//! the behaviour asserted is Linux's (recv(2), socket(7), listen(2), tcp(7),
//! ip(7)), which the rustdoc of each item describes.
#![cfg(target_os = "linux")]

mod common;

use std::io::{IoSliceMut, Read};
use std::thread;
use std::time::{Duration, Instant};

use bsdsock::opt::{self, getsockopt, setsockopt};
use bsdsock::*;
use common::{full_listener, refusing, tcp_listener, tcp_pair};

/// A bound UDP socket on loopback that gives up a blocking receive after 5 s.
fn udp() -> Socket {
    let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT).unwrap();
    s.bind(&"127.0.0.1:0".parse().unwrap()).unwrap();
    s.set(opt::SO_RCVTIMEO, Some(Duration::from_secs(5))).unwrap();
    s
}

/// Two UDP sockets, the first connected to the second, and a 1,000-byte
/// datagram from the first queued at the second.
fn udp_pair_with_datagram() -> (Socket, Socket, Vec<u8>) {
    let (tx, rx) = (udp(), udp());
    tx.connect(&rx.getsockname().unwrap()).unwrap();
    let data = common::pattern(1000, 14);
    assert_eq!(tx.send(&data, MsgFlags::empty()).unwrap(), 1000);
    (tx, rx, data)
}

// ---- MSG_TRUNC: a returned length larger than the buffer ----

#[test]
fn recv_trunc_returns_the_datagram_length_and_fills_only_the_buffer() {
    let (_tx, rx, data) = udp_pair_with_datagram();
    // The C idiom: MSG_PEEK | MSG_TRUNC into no buffer at all sizes the datagram.
    assert_eq!(rx.recv(&mut [], MsgFlags::PEEK | MsgFlags::TRUNC).unwrap(), 1000);
    let mut buf = [0u8; 10];
    let n = recv(&rx, &mut buf, MsgFlags::TRUNC).unwrap();
    assert_eq!(n, 1000, "recv(2): MSG_TRUNC returns the real length");
    assert_eq!(buf[..], data[..10]);
    // What a caller must not do: `&buf[..n]` would panic; `min` is the data read.
    assert_eq!(buf[..n.min(buf.len())], data[..10]);
}

#[test]
fn recvfrom_trunc_returns_the_datagram_length() {
    let (tx, rx, data) = udp_pair_with_datagram();
    let mut buf = [0u8; 7];
    let (n, from) = recvfrom(&rx, &mut buf, MsgFlags::TRUNC).unwrap();
    assert_eq!((n, from), (1000, tx.getsockname().unwrap()));
    assert_eq!(buf[..], data[..7]);
}

#[test]
fn recvmsg_trunc_reports_the_length_and_the_flag() {
    let (_tx, rx, data) = udp_pair_with_datagram();
    let (mut a, mut b) = ([0u8; 3], [0u8; 4]);
    let m = recvmsg(
        &rx,
        &mut [IoSliceMut::new(&mut a), IoSliceMut::new(&mut b)],
        None,
        MsgFlags::TRUNC,
    )
    .unwrap();
    assert_eq!(m.bytes, 1000);
    assert!(m.flags.contains(MsgFlags::TRUNC), "{:?}", m.flags);
    assert_eq!((&a[..], &b[..]), (&data[..3], &data[3..7]));
    // Without the flag in the call, the length is what fitted; msg_flags still
    // says the datagram was cut.
    let (_tx, rx, _) = udp_pair_with_datagram();
    let m = recvmsg(&rx, &mut [IoSliceMut::new(&mut a)], None, MsgFlags::empty()).unwrap();
    assert_eq!((m.bytes, m.flags.contains(MsgFlags::TRUNC)), (3, true));
}

#[test]
fn recvmmsg_trunc_lengths_never_index_past_the_buffers() {
    let (tx, rx, data) = udp_pair_with_datagram();
    tx.send(&data[..5], MsgFlags::empty()).unwrap();
    let mut batch = RecvBatch::new(4, 16, 0);
    let n = recvmmsg(&rx, &mut batch, MsgFlags::TRUNC, Some(Duration::from_secs(5))).unwrap();
    if n == 1 {
        // The second datagram had not been queued yet when the first was taken.
        let more = recvmmsg(&rx, &mut batch, MsgFlags::TRUNC, Some(Duration::from_secs(5)));
        assert_eq!(more.unwrap(), 1);
        assert_eq!(batch.data(0), Some(&data[..5]));
        return;
    }
    assert_eq!(n, 2);
    assert_eq!(batch.data(0), Some(&data[..16]));
    assert_eq!(batch.data(1), Some(&data[..5]));
    let msgs: Vec<(usize, usize, bool)> = batch
        .iter()
        .map(|m| (m.msg.bytes, m.data.len(), m.msg.flags.contains(MsgFlags::TRUNC)))
        .collect();
    assert_eq!(msgs, [(1000, 16, true), (5, 5, false)]);
}

#[test]
fn read_paths_on_a_datagram_socket_stay_inside_the_buffer() {
    // readn uses read(2), which takes no flags: a datagram larger than the
    // buffer is cut to it, and the rest of it is discarded.
    let (_tx, rx, data) = udp_pair_with_datagram();
    let mut buf = [0u8; 10];
    assert_eq!(readn(&rx, &mut buf).unwrap(), 10);
    assert_eq!(buf[..], data[..10]);
    // io::Read for &Socket is recv without flags: at most buf.len().
    let (_tx, rx, data) = udp_pair_with_datagram();
    assert_eq!((&rx).read(&mut buf).unwrap(), 10);
    assert_eq!(buf[..], data[..10]);
}

// ---- SO_PEERCRED on a socket with no peer process ----

#[test]
fn peercred_on_tcp_is_pid_0_and_no_uid_or_gid() {
    let (c, s) = tcp_pair();
    for sock in [&c, &s] {
        let cred = getsockopt(sock, opt::SO_PEERCRED).unwrap();
        assert_eq!(cred, opt::UCred { pid: 0, uid: u32::MAX, gid: u32::MAX });
    }
    // On a Unix socket it names this process.
    let (a, _b) = common::unix_pair();
    let cred = getsockopt(&a, opt::SO_PEERCRED).unwrap();
    assert_eq!(cred.pid as u32, std::process::id());
}

// ---- listen's backlog, clamped by the kernel ----

/// net.core.somaxconn, the ceiling listen(2) clamps every backlog to.
fn somaxconn() -> u32 {
    let text = std::fs::read_to_string("/proc/sys/net/core/somaxconn").unwrap();
    text.trim().parse().unwrap()
}

/// The backlog the kernel keeps for a listener: TCP_INFO's `tcpi_sacked` holds
/// `sk_max_ack_backlog` for a socket in LISTEN.
fn kept_backlog(backlog: i32) -> u32 {
    let (l, _) = tcp_listener(backlog);
    let info = getsockopt(&l, opt::TCP_INFO).unwrap();
    assert_eq!(info.state(), opt::TcpState::LISTEN);
    info.sacked()
}

#[test]
fn listen_backlog_is_clamped_to_somaxconn() {
    let max = somaxconn();
    assert_eq!(kept_backlog(5), 5);
    assert_eq!(kept_backlog(0), 0);
    assert_eq!(kept_backlog(i32::MAX), max);
    // Negative: compared as unsigned, so larger than somaxconn, so somaxconn.
    assert_eq!(kept_backlog(-1), max);
    assert_eq!(kept_backlog(i32::MIN), max);
    // Each listener works, even with 0: a client connects and is accepted.
    for backlog in [-1, 0] {
        let (l, addr) = tcp_listener(backlog);
        let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
        c.connect(&addr).unwrap();
        let (_s, from) = l.accept().unwrap();
        assert_eq!(from, c.getsockname().unwrap());
    }
}

// ---- SO_RCVTIMEO / SO_SNDTIMEO: only what reads back the same ----

/// The raw timeval the kernel reports for a timeout option.
// `time_t` and `suseconds_t` are `i32` on some 32-bit targets.
#[allow(clippy::useless_conversion)]
fn raw_timeval(s: &Socket, name: i32) -> (i64, i64) {
    let mut buf = [0u8; size_of::<libc::timeval>()];
    let n = getsockopt_raw(s, libc::SOL_SOCKET, name, &mut buf).unwrap();
    assert_eq!(n, buf.len());
    // SAFETY: buf holds a whole timeval the kernel wrote; read unaligned.
    let tv: libc::timeval = unsafe { std::ptr::read_unaligned(buf.as_ptr().cast()) };
    (tv.tv_sec.into(), tv.tv_usec.into())
}

#[test]
fn timeout_too_long_for_the_kernel_is_refused_not_read_back_as_none() {
    let s = udp();
    // What the kernel does with a timeval it cannot hold in jiffies: it stores
    // "no timeout", so the value reads back as {0, 0}.
    #[allow(clippy::useless_conversion, clippy::unnecessary_fallible_conversions)]
    let huge = libc::timeval { tv_sec: i64::MAX.try_into().unwrap_or(i32::MAX as _), tv_usec: 0 };
    // SAFETY: timeval is plain integers; its bytes are read for the call only.
    let bytes: [u8; size_of::<libc::timeval>()] = unsafe { std::mem::transmute(huge) };
    setsockopt_raw(&s, libc::SOL_SOCKET, libc::SO_RCVTIMEO, &bytes).unwrap();
    if size_of_val(&huge.tv_sec) == 8 {
        assert_eq!(raw_timeval(&s, libc::SO_RCVTIMEO), (0, 0));
    }

    let max = opt::Timeval::MAX;
    for (option, name) in [(opt::SO_RCVTIMEO, "SO_RCVTIMEO"), (opt::SO_SNDTIMEO, "SO_SNDTIMEO")] {
        setsockopt(&s, option, Some(Duration::from_secs(1))).unwrap();
        for too_long in [max + Duration::from_secs(1), Duration::from_secs(i64::MAX as u64)] {
            let err = setsockopt(&s, option, Some(too_long)).unwrap_err();
            assert!(matches!(err, Error::InvalidInput { .. }), "{name}: {err:?}");
            assert!(err.to_string().contains("too long"), "{err}");
            // Refused before the call: the old value is still there.
            assert_eq!(getsockopt(&s, option).unwrap(), Some(Duration::from_secs(1)));
        }
        setsockopt(&s, option, Some(max)).unwrap();
        assert_eq!(getsockopt(&s, option).unwrap(), Some(max), "{name}");
    }
}

#[test]
fn sub_microsecond_timeout_rounds_up_and_never_becomes_none() {
    let s = udp();
    setsockopt(&s, opt::SO_RCVTIMEO, Some(Duration::from_nanos(1))).unwrap();
    let (sec, usec) = raw_timeval(&s, libc::SO_RCVTIMEO);
    // 1 µs sent, rounded up again by the kernel to one clock tick (1 to 10 ms).
    assert!(sec == 0 && (1..=10_000).contains(&usec), "{sec} s {usec} µs");
    let back = getsockopt(&s, opt::SO_RCVTIMEO).unwrap().unwrap();
    assert!(back >= Duration::from_micros(1));
    // And it is a timeout: a receive with nothing queued fails with EAGAIN.
    let t = Instant::now();
    let err = s.recv(&mut [0u8; 1], MsgFlags::empty()).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::EAGAIN));
    assert!(t.elapsed() < Duration::from_secs(2));
}

// ---- Durations past what Instant or the C types hold ----

/// A listener whose peer sends one byte after 100 ms: returns the socket that
/// will become readable and the thread that writes.
fn readable_soon() -> (Socket, thread::JoinHandle<Socket>) {
    let (a, b) = common::unix_pair();
    let writer = thread::spawn(move || {
        thread::sleep(Duration::from_millis(100));
        a.send(b"x", MsgFlags::empty()).unwrap();
        a
    });
    (b, writer)
}

#[test]
fn poll_with_a_timeout_past_int_milliseconds_waits_for_the_event() {
    for timeout in [
        Duration::MAX,
        Duration::from_millis(i32::MAX as u64 + 1),
        Duration::from_millis(u32::MAX as u64 + 1),
        Duration::from_secs(i64::MAX as u64),
    ] {
        let (b, writer) = readable_soon();
        let t = Instant::now();
        let mut fds = [PollFd::new(std::os::fd::AsFd::as_fd(&b), PollFlags::IN)];
        // A timeout that wrapped to a negative int would wait for ever (the
        // writer ends it anyway); one that wrapped to a small value returns 0.
        assert_eq!(poll(&mut fds, Some(timeout)).unwrap(), 1, "{timeout:?}");
        assert!(t.elapsed() >= Duration::from_millis(90), "{timeout:?}: {:?}", t.elapsed());
        writer.join().unwrap();
    }
}

#[test]
fn select_with_a_huge_timeout_waits_for_the_event() {
    for timeout in [Duration::MAX, Duration::from_secs(i64::MAX as u64)] {
        let (b, writer) = readable_soon();
        let t = Instant::now();
        let mut read = FdSet::new();
        read.insert(std::os::fd::AsFd::as_fd(&b)).unwrap();
        assert_eq!(select(Some(&mut read), None, None, Some(timeout)).unwrap(), 1);
        assert!(t.elapsed() >= Duration::from_millis(90), "{:?}", t.elapsed());
        writer.join().unwrap();
    }
}

#[test]
fn recvmmsg_with_a_huge_timeout_waits_for_the_datagram() {
    let (rx, tx) = (udp(), udp());
    let to = rx.getsockname().unwrap();
    let writer = thread::spawn(move || {
        thread::sleep(Duration::from_millis(100));
        tx.sendto(b"late", MsgFlags::empty(), &to).unwrap();
    });
    let mut batch = RecvBatch::new(2, 16, 0);
    let t = Instant::now();
    assert_eq!(recvmmsg(&rx, &mut batch, MsgFlags::empty(), Some(Duration::MAX)).unwrap(), 1);
    assert!(t.elapsed() >= Duration::from_millis(90));
    assert_eq!(batch.data(0), Some(&b"late"[..]));
    writer.join().unwrap();
}

#[test]
fn connect_timeout_past_instant_is_a_plain_connect() {
    let (l, addr) = tcp_listener(1);
    let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    connect_timeout(&c, &addr, Duration::MAX).unwrap();
    assert_eq!(c.getpeername().unwrap(), addr);
    assert!(!is_nonblocking(&c).unwrap());
    drop(l);
    let (_closed, refusing) = refusing();
    let d = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    let err = connect_timeout(&d, &refusing, Duration::MAX).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::ECONNREFUSED));
}

#[test]
fn connect_timeout_past_instant_ends_when_the_kernel_gives_up() {
    // No deadline of our own: the kernel's SYN retries end the wait. With
    // TCP_SYNCNT 1 it sends the SYN and one retry (after 1 s), then gives up
    // 2 s later with ETIMEDOUT (tcp(7)).
    let (_l, addr, _fillers) = full_listener();
    let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    setsockopt(&c, opt::TCP_SYNCNT, 1u32).unwrap();
    let t = Instant::now();
    let err = connect_timeout(&c, &addr, Duration::MAX).unwrap_err();
    let took = t.elapsed();
    assert_eq!(err.errno(), Some(Errno::ETIMEDOUT), "{err}");
    assert!((Duration::from_millis(2500)..Duration::from_secs(10)).contains(&took), "{took:?}");
}

#[test]
fn connect_by_name_with_a_huge_timeout_connects() {
    let (l, addr) = tcp_listener(1);
    let port = addr.port().unwrap().to_string();
    let c = netdb::tcp_connect_timeout("127.0.0.1", &port, Duration::MAX).unwrap();
    assert_eq!(c.getpeername().unwrap(), addr);
    let hints = netdb::AddrInfoHints {
        flags: netdb::AiFlags::NUMERICHOST | netdb::AiFlags::NUMERICSERV,
        socktype: Type::STREAM,
        ..Default::default()
    };
    let addrs = netdb::getaddrinfo(Some("127.0.0.1"), Some(&port), &hints).unwrap();
    let c = netdb::happy_eyeballs(&addrs, Duration::MAX).unwrap();
    assert_eq!(c.getpeername().unwrap(), addr);
    drop(l);
}

// ---- Parse errors quote a bounded prefix ----

const MIB: usize = 1 << 20;

/// The error of a 1 MiB input prints short and says the input was cut (`…`),
/// how long it was, or that it was too long.
fn assert_bounded(what: &str, err: Error) {
    let text = err.to_string();
    // 45 bytes kept, each at most 6 when escaped (`\u{1}`), and the reason.
    assert!(text.len() <= 400, "{what}: {} bytes: {}…", text.len(), &text[..400]);
    let cut = text.contains('…') || text.contains("bytes long") || text.contains("longer than");
    assert!(cut, "{what}: the error does not say the input was cut: {text}");
    if let Error::AddrParse { input, .. } = &err {
        assert!(input.is_cut(), "{what}: {text}");
    }
}

#[test]
fn address_parse_errors_of_a_mebibyte_are_short() {
    let big = "9".repeat(MIB);
    for prefix in [
        "",
        "1.",
        "[",
        "[::1]:",
        "127.0.0.1:",
        "unix:",
        "@",
        "netlink:",
        "packet:",
        "vsock:",
        "other:",
        "/",
        "x",
    ] {
        let input = format!("{prefix}{big}");
        assert_bounded(prefix, input.parse::<SockAddr>().unwrap_err());
    }
    assert_bounded("SockAddrNl", big.parse::<SockAddrNl>().unwrap_err());
    assert_bounded("SockAddrLl", big.parse::<SockAddrLl>().unwrap_err());
    assert_bounded("SockAddrVm", big.parse::<SockAddrVm>().unwrap_err());
    // Text that escapes long when quoted: control characters and wide ones.
    for unit in ["\u{1}", "é", "😀", "\\"] {
        let input = format!("1.{}", unit.repeat(MIB / unit.len()));
        assert_bounded(unit, input.parse::<SockAddr>().unwrap_err());
        assert_bounded(unit, inet_pton(Domain::INET6, &input[2..]).unwrap_err());
    }
    assert_bounded("inet_pton INET", inet_pton(Domain::INET, &big).unwrap_err());
    assert_bounded("inet_pton INET6", inet_pton(Domain::INET6, &big).unwrap_err());
    assert_bounded("inet_addr", inet_addr(&big).unwrap_err());
    assert_eq!(inet_aton(&big), None);
    assert_bounded("SockAddrUn::new", SockAddrUn::new(format!("/{big}")).unwrap_err());
    assert_bounded("new_abstract", SockAddrUn::new_abstract(big.as_bytes()).unwrap_err());
    assert_bounded("opt::Name", opt::Name::new(&big).unwrap_err());
}

#[test]
fn lookup_errors_of_a_mebibyte_are_short_and_make_no_lookup() {
    let big = "a".repeat(MIB);
    let digits = "1".repeat(MIB);
    let hints = netdb::AddrInfoHints::default();
    assert_bounded("getaddrinfo host", netdb::getaddrinfo(Some(&big), None, &hints).unwrap_err());
    assert_bounded(
        "getaddrinfo service",
        netdb::getaddrinfo(None, Some(&big), &hints).unwrap_err(),
    );
    assert_bounded(
        "getaddrinfo port",
        netdb::getaddrinfo(None, Some(&digits), &hints).unwrap_err(),
    );
    assert_bounded("getservbyname", netdb::getservbyname(&big, None).unwrap_err());
    assert_bounded("getservbyname proto", netdb::getservbyname("http", Some(&big)).unwrap_err());
    assert_bounded("getprotobyname", netdb::getprotobyname(&big).unwrap_err());
    assert_bounded("gethostbyname", netdb::gethostbyname(&big).unwrap_err());
    assert_bounded("tcp_connect", netdb::tcp_connect(&big, "80").unwrap_err());
    assert_bounded("tcp_listen", netdb::tcp_listen(None, &digits, 1).unwrap_err());
    assert_bounded(
        "tcp_connect_timeout",
        netdb::tcp_connect_timeout(&big, "80", Duration::from_secs(1)).unwrap_err(),
    );
    assert_bounded("if_nametoindex", if_nametoindex(&big).unwrap_err());
    // A NUL inside a name is refused before C would stop reading at it.
    let err = netdb::getaddrinfo(Some("127.0.0.1\0.evil"), None, &hints).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { reason: Reason::Nul { .. }, .. }), "{err:?}");
    let err = if_nametoindex("lo\0x").unwrap_err();
    assert!(matches!(err, Error::InvalidInput { reason: Reason::Nul { .. }, .. }), "{err:?}");
}

// ---- Option values outside the C type or the kernel's range ----

fn tcp() -> Socket {
    socket(Domain::INET, Type::STREAM, Protocol::TCP).unwrap()
}

#[test]
fn unsigned_option_values_above_int_max_are_refused() {
    let s = tcp();
    let before = getsockopt(&s, opt::SO_RCVBUF).unwrap();
    for v in [i32::MAX as usize + 1, usize::MAX] {
        let err = setsockopt(&s, opt::SO_RCVBUF, v).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    }
    assert_eq!(getsockopt(&s, opt::SO_RCVBUF).unwrap(), before);
    for v in [i32::MAX as u32 + 1, u32::MAX] {
        let err = setsockopt(&s, opt::SO_PRIORITY, v).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
        let err = setsockopt(&s, opt::SO_MARK, v).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    }
}

#[test]
fn linger_longer_than_an_int_of_seconds_is_refused() {
    let s = tcp();
    // INT_MAX seconds; with a 32-bit long, what Linux's clock ticks hold at HZ 1000.
    let secs = (libc::c_long::MAX / 1000).min(i32::MAX as libc::c_long);
    let max = Duration::from_secs(secs as u64);
    for too_long in [max + Duration::from_nanos(1), Duration::from_secs(1 << 31), Duration::MAX] {
        let err = setsockopt(&s, opt::SO_LINGER, Some(too_long)).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    }
    assert_eq!(getsockopt(&s, opt::SO_LINGER).unwrap(), None);
    setsockopt(&s, opt::SO_LINGER, Some(max)).unwrap();
    assert_eq!(getsockopt(&s, opt::SO_LINGER).unwrap(), Some(max));
}

#[test]
fn ttl_out_of_range_is_the_kernels_einval() {
    let s = udp();
    let err = setsockopt(&s, opt::IP_TTL, 0u8).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::EINVAL), "{err}");
    // 256 has no u8; raw, the kernel refuses it too.
    let err = setsockopt_raw(&s, libc::IPPROTO_IP, libc::IP_TTL, &256i32.to_ne_bytes());
    assert_eq!(err.unwrap_err().errno(), Some(Errno::EINVAL));
    setsockopt(&s, opt::IP_TTL, 255u8).unwrap();
    assert_eq!(getsockopt(&s, opt::IP_TTL).unwrap(), 255);
}

#[test]
fn keepalive_times_out_of_range_are_the_kernels_einval_or_refused() {
    let s = tcp();
    for option in [opt::TCP_KEEPIDLE, opt::TCP_KEEPINTVL] {
        // 0 and more than MAX_TCP_KEEPIDLE (32767 s): EINVAL from the kernel.
        for v in [Duration::ZERO, Duration::from_secs(32768)] {
            let err = setsockopt(&s, option, v).unwrap_err();
            assert_eq!(err.errno(), Some(Errno::EINVAL), "{v:?}: {err}");
        }
        // More seconds than a C int: refused before the call.
        let err = setsockopt(&s, option, Duration::from_secs(1 << 31)).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
        setsockopt(&s, option, Duration::from_secs(32767)).unwrap();
        assert_eq!(getsockopt(&s, option).unwrap(), Duration::from_secs(32767));
    }
    let err = setsockopt(&s, opt::TCP_USER_TIMEOUT, Duration::from_secs(1 << 31)).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
}

#[test]
fn hostile_values_leak_no_descriptor() {
    if !common::alone("hostile_values_leak_no_descriptor") {
        return;
    }
    let before = common::open_fds();
    for _ in 0..3 {
        let (_l, addr) = tcp_listener(i32::MIN);
        let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
        connect_timeout(&c, &addr, Duration::MAX).unwrap();
        let _ = netdb::tcp_connect_timeout(&"a".repeat(MIB), "80", Duration::MAX);
        let _ = "1.".repeat(MIB).parse::<SockAddr>();
    }
    common::assert_same_fds(&before, "hostile values");
}

/// A batch whose buffers cannot exist is an `Err` from `try_new`, not an
/// overflowed multiplication; a sane one still receives.
#[test]
fn recv_batch_sizes_that_overflow_are_refused() {
    for (n, size, cmsg) in [
        (usize::MAX, 2, 0),
        (2, usize::MAX, 0),
        (usize::MAX / 2, 0, 0),
        (4, 16, usize::MAX),
        (usize::MAX / 1024, 1 << 11, 0),
    ] {
        let e = RecvBatch::try_new(n, size, cmsg).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{n} {size} {cmsg}: {e}");
        assert!(e.to_string().contains("overflow"), "{e}");
    }
    let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Default::default()).unwrap();
    a.send(b"ok", MsgFlags::empty()).unwrap();
    let mut batch = RecvBatch::try_new(2, 16, 0).unwrap();
    assert_eq!(recvmmsg(&b, &mut batch, MsgFlags::WAITFORONE, None).unwrap(), 1);
    assert_eq!(batch.iter().next().unwrap().data, b"ok");
}
