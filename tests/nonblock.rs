//! O_NONBLOCK and FD_CLOEXEC as read-modify-write, connect_timeout (success,
//! refused, timed out) with its flags restored and no descriptor leaked, the raw
//! EINPROGRESS flow it wraps, and accept on a non-blocking listener.
//!
//! Every test holds `SERIAL`, so that counting the process's open descriptors
//! around a call is exact.

mod common;

use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use bsdsock::*;
use common::{
    TempDir, assert_same_fds, full_listener, open_fds, raw_sockopt_int, refusing, tcp_listener,
};

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// The descriptor's status flags, read with a raw fcntl as the reference.
fn raw_getfl(fd: BorrowedFd<'_>) -> i32 {
    // SAFETY: F_GETFL takes no argument; fd is open.
    unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) }
}

fn raw_getfd(fd: BorrowedFd<'_>) -> i32 {
    // SAFETY: F_GETFD takes no argument; fd is open.
    unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFD) }
}

fn tcp() -> Socket {
    socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap()
}

#[test]
fn set_nonblocking_is_read_modify_write() {
    let _g = serial();
    // A file opened O_APPEND: the other status flag must survive both directions.
    let dir = TempDir::new("nonblock");
    let path = dir.join("append");
    let f = std::fs::OpenOptions::new().create(true).append(true).open(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_ne!(raw_getfl(f.as_fd()) & libc::O_APPEND, 0);
    assert!(!is_nonblocking(&f).unwrap());

    set_nonblocking(&f, true).unwrap();
    let fl = raw_getfl(f.as_fd());
    assert_ne!(fl & libc::O_NONBLOCK, 0);
    assert_ne!(fl & libc::O_APPEND, 0, "O_APPEND kept");
    assert!(is_nonblocking(&f).unwrap());
    set_nonblocking(&f, true).unwrap(); // idempotent
    assert_eq!(raw_getfl(f.as_fd()), fl);

    set_nonblocking(&f, false).unwrap();
    let fl = raw_getfl(f.as_fd());
    assert_eq!(fl & libc::O_NONBLOCK, 0);
    assert_ne!(fl & libc::O_APPEND, 0, "O_APPEND kept");
    assert!(!is_nonblocking(&f).unwrap());

    // Socket methods and SOCK_NONBLOCK agree with the free functions.
    let s = common::nonblocking_socket(Domain::INET, Type::DGRAM);
    assert!(s.is_nonblocking().unwrap());
    s.set_nonblocking(false).unwrap();
    assert_eq!(raw_getfl(s.as_fd()) & libc::O_NONBLOCK, 0);
}

#[test]
fn set_cloexec_round_trip() {
    let _g = serial();
    let s = tcp();
    assert_ne!(raw_getfd(s.as_fd()) & libc::FD_CLOEXEC, 0, "created close-on-exec");
    set_cloexec(&s, false).unwrap();
    assert_eq!(raw_getfd(s.as_fd()) & libc::FD_CLOEXEC, 0);
    assert!(!is_cloexec(&s).unwrap());
    set_cloexec(&s, true).unwrap();
    assert_ne!(raw_getfd(s.as_fd()) & libc::FD_CLOEXEC, 0);
    assert!(is_cloexec(&s).unwrap());
}

#[test]
fn connect_timeout_succeeds_and_leaves_a_usable_blocking_socket() {
    let _g = serial();
    let (l, addr) = tcp_listener(8);
    let c = tcp();
    let fl = raw_getfl(c.as_fd());
    let before = open_fds();
    connect_timeout(&c, &addr, Duration::from_secs(5)).unwrap();
    assert_same_fds(&before, "no descriptor created or leaked");
    assert_eq!(raw_getfl(c.as_fd()), fl, "flags restored exactly");
    assert!(!is_nonblocking(&c).unwrap());
    assert_eq!(c.getpeername().unwrap(), addr);

    // Usable and blocking: the blocking readn waits for the echo.
    let (conn, _) = l.accept().unwrap();
    let echo = thread::spawn(move || {
        let mut buf = [0u8; 5];
        thread::sleep(Duration::from_millis(30));
        readn(&conn, &mut buf).unwrap();
        writen(&conn, &buf).unwrap();
    });
    writen(&c, b"hello").unwrap();
    let mut back = [0u8; 5];
    assert_eq!(readn(&c, &mut back).unwrap(), 5);
    assert_eq!(&back, b"hello");
    echo.join().unwrap();

    // IPv6 too, through the Socket method.
    let l6 = socket(Domain::INET6, Type::STREAM, Protocol::DEFAULT).unwrap();
    l6.bind(&"[::1]:0".parse().unwrap()).unwrap();
    l6.listen(1).unwrap();
    let c6 = socket(Domain::INET6, Type::STREAM, Protocol::DEFAULT).unwrap();
    c6.connect_timeout(&l6.getsockname().unwrap(), Duration::from_secs(5)).unwrap();
    assert_eq!(c6.getpeername().unwrap(), l6.getsockname().unwrap());
}

#[test]
fn connect_timeout_over_unix_domain_sockets() {
    let _g = serial();
    let dir = TempDir::new("ct");
    let path = dir.join("s.sock");
    let addr = SockAddr::from(SockAddrUn::new(&path).unwrap());
    let l = socket(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    l.bind(&addr).unwrap();
    l.listen(1).unwrap();
    let c = socket(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    connect_timeout(&c, &addr, Duration::from_secs(5)).unwrap();
    assert!(!is_nonblocking(&c).unwrap());
    let (conn, _) = l.accept().unwrap();
    writen(&c, b"unix").unwrap();
    let mut buf = [0u8; 4];
    readn(&conn, &mut buf).unwrap();
    assert_eq!(&buf, b"unix");
    // Nobody listening on a path: refused at once.
    drop(l);
    let d = socket(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    let e = connect_timeout(&d, &addr, Duration::from_secs(5)).unwrap_err();
    assert_eq!(e.errno(), Some(Errno::ECONNREFUSED));
    assert!(!is_nonblocking(&d).unwrap());
}

#[test]
fn connect_timeout_keeps_a_non_blocking_socket_non_blocking() {
    let _g = serial();
    let (_l, addr) = tcp_listener(8);
    let c = common::nonblocking_socket(Domain::INET, Type::STREAM);
    let fl = raw_getfl(c.as_fd());
    connect_timeout(&c, &addr, Duration::from_secs(5)).unwrap();
    assert_eq!(raw_getfl(c.as_fd()), fl);
    assert!(is_nonblocking(&c).unwrap());
    assert_eq!(c.getpeername().unwrap(), addr);
}

#[test]
fn connect_timeout_refused() {
    let _g = serial();
    let (_r, addr) = refusing();
    for initially_nonblocking in [false, true] {
        let c = tcp();
        c.set_nonblocking(initially_nonblocking).unwrap();
        let fl = raw_getfl(c.as_fd());
        let before = open_fds();
        let e = connect_timeout(&c, &addr, Duration::from_secs(5)).unwrap_err();
        assert_same_fds(&before, "no descriptor leaked");
        assert_eq!(e.errno(), Some(Errno::ECONNREFUSED));
        assert_eq!(
            e.to_string(),
            format!("connect: {} (ECONNREFUSED)", crate::common::strerror(libc::ECONNREFUSED))
        );
        assert_eq!(raw_getfl(c.as_fd()), fl, "flags restored");
        assert_eq!(is_nonblocking(&c).unwrap(), initially_nonblocking);
    }
}

#[test]
fn connect_timeout_times_out_against_a_full_accept_queue() {
    let _g = serial();
    let (_l, addr, fillers) = full_listener();
    for initially_nonblocking in [false, true] {
        let c = tcp();
        c.set_nonblocking(initially_nonblocking).unwrap();
        let fl = raw_getfl(c.as_fd());
        let before = open_fds();
        let timeout = Duration::from_millis(300);
        let t0 = Instant::now();
        let e = connect_timeout(&c, &addr, timeout).unwrap_err();
        let elapsed = t0.elapsed();
        assert_same_fds(&before, "no descriptor leaked");
        assert_eq!(e.errno(), Some(Errno::ETIMEDOUT), "{e}");
        assert_eq!(
            e.to_string(),
            format!("connect: {} (ETIMEDOUT)", crate::common::strerror(libc::ETIMEDOUT))
        );
        assert!(elapsed >= timeout, "waited the whole timeout: {elapsed:?}");
        assert!(elapsed < Duration::from_secs(3), "and not much more: {elapsed:?}");
        assert_eq!(raw_getfl(c.as_fd()), fl, "flags restored");
        assert_eq!(is_nonblocking(&c).unwrap(), initially_nonblocking);
        // The attempt is still pending, as documented: not connected.
        assert_eq!(c.getpeername().unwrap_err().errno(), Some(Errno::ENOTCONN));
    }
    drop(fillers);
}

#[test]
fn connect_timeout_rejects_a_zero_timeout_without_touching_the_socket() {
    let _g = serial();
    let (_l, addr) = tcp_listener(1);
    let c = tcp();
    let fl = raw_getfl(c.as_fd());
    let e = connect_timeout(&c, &addr, Duration::ZERO).unwrap_err();
    assert!(matches!(e, Error::InvalidInput { call: "connect_timeout", .. }), "{e:?}");
    assert_eq!(raw_getfl(c.as_fd()), fl);
    assert_eq!(c.getpeername().unwrap_err().errno(), Some(Errno::ENOTCONN), "no connect made");
    // A huge timeout is fine (no overflow): the connect completes at once.
    connect_timeout(&c, &addr, Duration::MAX).unwrap();
}

#[test]
fn connect_timeout_reports_connect_errors() {
    let _g = serial();
    let (_l, addr) = tcp_listener(4);
    let c = tcp();
    c.connect(&addr).unwrap();
    // Connecting a connected socket: connect(2)'s own error, flags restored.
    let e = connect_timeout(&c, &addr, Duration::from_secs(5)).unwrap_err();
    assert_eq!(e.errno(), Some(Errno::EISCONN));
    assert!(!is_nonblocking(&c).unwrap());
    // Wrong family for the socket.
    let u = tcp();
    let e = connect_timeout(&u, &"[::1]:9".parse().unwrap(), Duration::from_secs(1)).unwrap_err();
    assert!(matches!(e.errno(), Some(Errno::EAFNOSUPPORT | Errno::EINVAL)), "{e}");
    assert!(!is_nonblocking(&u).unwrap());
}

/// The flow connect_timeout wraps, done by hand as Stevens describes it (*UNIX
/// Network Programming*, §16.3 "Nonblocking connect"): connect on a non-blocking
/// socket -> EINPROGRESS -> poll for writability -> SO_ERROR.
#[test]
fn raw_einprogress_flow() {
    let _g = serial();
    let (_l, addr) = tcp_listener(4);
    let (_r, refused) = refusing();
    for (target, want) in [(&addr, 0), (&refused, libc::ECONNREFUSED)] {
        let s = tcp();
        set_nonblocking(&s, true).unwrap();
        match connect(&s, target) {
            Ok(()) => assert_eq!(want, 0, "only a success can complete at once"),
            Err(e) => {
                assert_eq!(e.errno(), Some(Errno::EINPROGRESS));
                let mut fds = [PollFd::new(s.as_fd(), PollFlags::OUT)];
                assert_eq!(poll(&mut fds, Some(Duration::from_secs(5))).unwrap(), 1);
                let rev = fds[0].revents();
                assert!(rev.contains(PollFlags::OUT), "{rev:?}");
                assert_eq!(rev.contains(PollFlags::ERR), want != 0, "{rev:?}");
                assert_eq!(raw_sockopt_int(&s, libc::SOL_SOCKET, libc::SO_ERROR), want);
                assert_eq!(
                    raw_sockopt_int(&s, libc::SOL_SOCKET, libc::SO_ERROR),
                    0,
                    "reading SO_ERROR clears it"
                );
            }
        }
        set_nonblocking(&s, false).unwrap();
        assert_eq!(s.getpeername().is_ok(), want == 0);
    }
}

#[test]
fn accept_on_a_non_blocking_listener() {
    let _g = serial();
    let (l, addr) = tcp_listener(8);
    set_nonblocking(&l, true).unwrap();
    let before = open_fds();
    let e = accept(&l).unwrap_err();
    assert_eq!(e.errno(), Some(Errno::EAGAIN));
    assert_eq!(e.errno(), Some(Errno::EWOULDBLOCK));
    assert_same_fds(&before, "accept that found nothing queued");

    let c = tcp();
    c.connect(&addr).unwrap();
    // Readable once a connection is queued; then accept succeeds.
    let mut fds = [PollFd::new(l.as_fd(), PollFlags::IN)];
    assert_eq!(poll(&mut fds, Some(Duration::from_secs(5))).unwrap(), 1);
    let (conn, peer) = accept(&l).unwrap();
    assert_eq!(peer, c.getsockname().unwrap());
    // accept4 does not pass O_NONBLOCK on: the new socket is blocking.
    assert!(!is_nonblocking(&conn).unwrap());
    assert_eq!(accept(&l).unwrap_err().errno(), Some(Errno::EAGAIN), "queue empty again");
}
