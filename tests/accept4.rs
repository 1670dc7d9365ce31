//! `accept4` with its flags, `Socket::try_clone`, and `Error::kind` as std users
//! read it: over loopback TCP and Unix sockets, descriptors counted.

mod common;

use std::io::ErrorKind;
use std::net::Shutdown;
use std::os::fd::AsRawFd;
use std::sync::{Mutex, MutexGuard};

use bsdsock::*;
use common::{TempDir, assert_same_fds, open_fds, tcp_listener, unix_pair};

/// One test at a time: the descriptor counts must see no other test's sockets.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

#[test]
fn accept4_nonblock_gives_a_nonblocking_close_on_exec_socket() {
    let _g = serial();
    let (l, addr) = tcp_listener(8);
    let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    c.connect(&addr).unwrap();
    let (conn, peer) = accept4(&l, AcceptFlags::NONBLOCK).unwrap();
    assert_eq!(peer, c.getsockname().unwrap());
    assert!(conn.is_nonblocking().unwrap());
    assert!(is_cloexec(&conn).unwrap());
    // The listener itself is untouched.
    assert!(!l.is_nonblocking().unwrap());
    let mut buf = [0u8; 4];
    let e = conn.recv(&mut buf, MsgFlags::empty()).unwrap_err();
    assert_eq!((e.errno(), e.kind()), (Some(Errno::EAGAIN), ErrorKind::WouldBlock));
    assert_eq!(e.to_string(), "recv: Resource temporarily unavailable (EAGAIN)");
    c.send(b"ping", MsgFlags::empty()).unwrap();
    let mut fds = [PollFd::new(std::os::fd::AsFd::as_fd(&conn), PollFlags::IN)];
    assert_eq!(poll(&mut fds, Some(std::time::Duration::from_secs(10))).unwrap(), 1);
    assert_eq!(conn.recv(&mut buf, MsgFlags::empty()).unwrap(), 4);
}

#[test]
fn accept4_without_flags_is_accept_and_cloexec_is_accepted() {
    let _g = serial();
    let dir = TempDir::new("accept4");
    let path = SockAddr::unix(dir.join("l.sock")).unwrap();
    let l = socket(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    l.bind(&path).unwrap();
    l.listen(4).unwrap();
    for flags in [AcceptFlags::empty(), AcceptFlags::CLOEXEC] {
        let c = socket(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
        c.connect(&path).unwrap();
        let (conn, peer) = l.accept4(flags).unwrap();
        assert_eq!(peer.to_string(), "(unnamed)");
        assert!(!conn.is_nonblocking().unwrap(), "{flags:?}");
        assert!(is_cloexec(&conn).unwrap(), "{flags:?}");
    }
}

#[test]
fn accept4_errors_name_the_call_and_leak_nothing() {
    let _g = serial();
    let before = open_fds();
    let (l, _) = tcp_listener(8);
    l.set_nonblocking(true).unwrap();
    for _ in 0..20 {
        let e = accept4(&l, AcceptFlags::NONBLOCK).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::WouldBlock);
        assert_eq!(e.to_string(), "accept4: Resource temporarily unavailable (EAGAIN)");
    }
    let (a, _b) = unix_pair(); // not a listener
    assert_eq!(accept4(&a, AcceptFlags::NONBLOCK).unwrap_err().errno(), Some(Errno::EINVAL));
    drop((l, a, _b));
    assert_same_fds(&before, "accept4 failures");
}

#[test]
fn try_clone_shares_the_socket_and_is_close_on_exec() {
    let _g = serial();
    let before = open_fds();
    let (a, b) = unix_pair();
    let a2 = a.try_clone().unwrap();
    assert_ne!(a2.as_raw_fd(), a.as_raw_fd());
    assert!(is_cloexec(&a2).unwrap());
    // One open file: O_NONBLOCK set on one is seen on the other.
    a.set_nonblocking(true).unwrap();
    assert!(a2.is_nonblocking().unwrap());
    a.set_nonblocking(false).unwrap();
    // The socket lives until both descriptors are closed.
    drop(a);
    a2.send(b"x", MsgFlags::empty()).unwrap();
    let mut buf = [0u8; 1];
    assert_eq!(b.recv(&mut buf, MsgFlags::empty()).unwrap(), 1);
    a2.shutdown(Shutdown::Write).unwrap();
    assert_eq!(b.recv(&mut buf, MsgFlags::empty()).unwrap(), 0);
    drop((a2, b));
    assert_same_fds(&before, "try_clone");
}

#[test]
fn error_kinds_read_like_std() {
    let _g = serial();
    let (_hold, refused) = common::refusing();
    let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    let e = c.connect(&refused).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ConnectionRefused);
    let io = std::io::Error::from(e);
    assert_eq!(
        (io.kind(), io.raw_os_error()),
        (ErrorKind::ConnectionRefused, Some(libc::ECONNREFUSED))
    );
    let (l, addr) = tcp_listener(1);
    let b = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    assert_eq!(b.bind(&addr).unwrap_err().kind(), ErrorKind::AddrInUse);
    drop(l);
    assert_eq!(Error::os("x", Errno::EINTR).kind(), ErrorKind::Interrupted);
    assert_eq!(Error::os("x", Errno::ETIMEDOUT).kind(), ErrorKind::TimedOut);
    assert_eq!(Error::os("x", Errno::EPIPE).kind(), ErrorKind::BrokenPipe);
    assert_eq!(SockAddrUn::new("a\0b").unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[test]
fn shutdown_is_reexported_at_the_root() {
    let _g = serial();
    let (a, b) = unix_pair();
    shutdown(&a, bsdsock::Shutdown::Write).unwrap();
    let mut buf = [0u8; 1];
    assert_eq!(b.recv(&mut buf, MsgFlags::empty()).unwrap(), 0);
    let _: std::net::Shutdown = bsdsock::Shutdown::Both;
}
