//! The socket calls on real sockets: IPv4, IPv6, Unix stream and Unix datagram,
//! the errno of each common misuse, close-on-exec, and the std conversions.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};

use bsdsock::*;
use common::{TempDir, unix_pair};

/// A listening address of each stream kind, bound to an ephemeral port or a temp path.
fn stream_listener(domain: Domain, dir: &TempDir) -> (Socket, SockAddr) {
    let s = socket(domain, Type::STREAM, Protocol::DEFAULT).unwrap();
    let addr: SockAddr = match domain {
        Domain::INET => "127.0.0.1:0".parse().unwrap(),
        Domain::INET6 => "[::1]:0".parse().unwrap(),
        _ => SockAddr::unix(dir.join("stream.sock")).unwrap(),
    };
    bind(&s, &addr).unwrap();
    listen(&s, 8).unwrap();
    let bound = getsockname(&s).unwrap();
    (s, bound)
}

#[test]
fn stream_calls_over_every_family() {
    let dir = TempDir::new("stream");
    for domain in [Domain::INET, Domain::INET6, Domain::UNIX] {
        let (l, addr) = stream_listener(domain, &dir);
        assert_eq!(addr.family(), domain);
        if domain != Domain::UNIX {
            assert_ne!(addr.port(), Some(0), "the kernel picked a port");
        }
        let c = socket(domain, Type::STREAM, Protocol::DEFAULT).unwrap();
        connect(&c, &addr).unwrap();
        let (conn, peer) = accept(&l).unwrap();
        assert_eq!(peer, getsockname(&c).unwrap(), "{domain:?}: accept reports the client");
        assert_eq!(getpeername(&c).unwrap(), addr, "{domain:?}: client's peer is the server");
        assert_eq!(getsockname(&conn).unwrap(), addr);

        assert_eq!(send(&c, b"hello", MsgFlags::empty()).unwrap(), 5);
        let mut buf = [0u8; 16];
        let n = recv(&conn, &mut buf[..5], MsgFlags::WAITALL).unwrap();
        assert_eq!(&buf[..n], b"hello");

        // sendto/recvfrom on a connected stream: the address is ignored / unspecified.
        sendto(&conn, b"back", MsgFlags::empty(), &SockAddr::Unspec).unwrap();
        let (n, from) = recvfrom(&c, &mut buf, MsgFlags::empty()).unwrap();
        assert_eq!(&buf[..n], b"back");
        if domain == Domain::UNIX {
            // Unix streams report the peer's (here unnamed) address or nothing.
            assert!(matches!(from, SockAddr::Unspec | SockAddr::Unix(_)), "{from:?}");
        } else {
            assert_eq!(from, SockAddr::Unspec, "{domain:?}");
        }

        shutdown(&c, Shutdown::Write).unwrap();
        assert_eq!(recv(&conn, &mut buf, MsgFlags::empty()).unwrap(), 0, "EOF after SHUT_WR");
        close(conn).unwrap();
        close(c).unwrap();
    }
}

#[test]
fn datagram_calls_over_every_family() {
    let dir = TempDir::new("dgram");
    let cases: [(Domain, SockAddr, SockAddr); 3] = [
        (Domain::INET, "127.0.0.1:0".parse().unwrap(), "127.0.0.1:0".parse().unwrap()),
        (Domain::INET6, "[::1]:0".parse().unwrap(), "[::1]:0".parse().unwrap()),
        (
            Domain::UNIX,
            SockAddr::unix(dir.join("a.sock")).unwrap(),
            SockAddr::unix(dir.join("b.sock")).unwrap(),
        ),
    ];
    for (domain, a_addr, b_addr) in cases {
        let a = socket(domain, Type::DGRAM, Protocol::DEFAULT).unwrap();
        let b = socket(domain, Type::DGRAM, Protocol::DEFAULT).unwrap();
        bind(&a, &a_addr).unwrap();
        bind(&b, &b_addr).unwrap();
        let (a_addr, b_addr) = (getsockname(&a).unwrap(), getsockname(&b).unwrap());

        assert_eq!(sendto(&a, b"ping", MsgFlags::empty(), &b_addr).unwrap(), 4);
        let mut buf = [0u8; 64];
        let (n, from) = recvfrom(&b, &mut buf, MsgFlags::empty()).unwrap();
        assert_eq!((&buf[..n], &from), (&b"ping"[..], &a_addr), "{domain:?}");

        // connect sets the default peer; send/recv then work without addresses.
        connect(&b, &a_addr).unwrap();
        assert_eq!(getpeername(&b).unwrap(), a_addr);
        send(&b, b"pong", MsgFlags::empty()).unwrap();
        let n = recv(&a, &mut buf, MsgFlags::empty()).unwrap();
        assert_eq!(&buf[..n], b"pong");

        // connect to AF_UNSPEC dissolves the association.
        connect(&b, &SockAddr::Unspec).unwrap();
        assert_eq!(getpeername(&b).unwrap_err().errno(), Some(Errno::ENOTCONN), "{domain:?}");
    }
}

/// What Linux's getsockname reports for a socketpair end (unix(7): an unnamed
/// socket's address is just `sun_family`).
#[cfg(target_os = "linux")]
#[test]
fn socketpair_addresses_are_unnamed_not_abstract() {
    for ty in [Type::STREAM, Type::DGRAM, Type::SEQPACKET] {
        let (a, b) = socketpair(Domain::UNIX, ty, Protocol::DEFAULT).unwrap();
        for s in [&a, &b] {
            let local = getsockname(s).unwrap();
            let un = local.as_unix().expect("AF_UNIX");
            assert!(un.is_unnamed(), "{ty:?}: {local:?}");
            assert_eq!(un.abstract_name(), None);
            assert_eq!(un.path(), None);
            assert_eq!(local.to_string(), "(unnamed)");
            assert_eq!(local.as_bytes().len(), 2, "just sun_family");
        }
        assert!(getpeername(&a).unwrap().as_unix().unwrap().is_unnamed());
    }
}

/// Linux reports an unnamed sender with length 0 (unix(7)).
#[cfg(target_os = "linux")]
#[test]
fn unix_datagram_sender_address_is_decoded_as_reported() {
    let dir = TempDir::new("unnamed");
    let rx = socket(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let path = SockAddr::unix(dir.join("rx")).unwrap();
    bind(&rx, &path).unwrap();
    let tx = socket(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    sendto(&tx, b"x", MsgFlags::empty(), &path).unwrap();
    let mut buf = [0u8; 4];
    let (_, from) = recvfrom(&rx, &mut buf, MsgFlags::empty()).unwrap();
    // Linux reports no address at all (length 0) for a sender without a name.
    assert_eq!(from, SockAddr::Unspec, "{from:?}");
    // A named sender is reported by its path.
    let named = socket(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let named_addr = SockAddr::unix(dir.join("tx")).unwrap();
    bind(&named, &named_addr).unwrap();
    sendto(&named, b"y", MsgFlags::empty(), &path).unwrap();
    let (_, from) = recvfrom(&rx, &mut buf, MsgFlags::empty()).unwrap();
    assert_eq!(from, named_addr);
}

/// Linux's 108-byte `sun_path`, filled with no NUL terminator (unix(7)).
#[cfg(target_os = "linux")]
#[test]
fn full_length_unix_path_round_trips_exactly() {
    let dir = TempDir::new("long");
    let base = dir.0.to_str().unwrap().len() + 1;
    assert!(base < 100, "temp dir too deep for this test: {}", dir.0.display());
    let name = "p".repeat(SUN_PATH_LEN - base);
    let path = dir.join(&name);
    assert_eq!(path.as_os_str().len(), 108);

    let addr = SockAddr::unix(&path).unwrap();
    assert_eq!(addr.as_bytes().len(), 110, "no NUL terminator when the path fills sun_path");
    let s = socket(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    bind(&s, &addr).unwrap();
    let back = getsockname(&s).unwrap();
    assert_eq!(back.as_unix().unwrap().path(), Some(path.as_path()));
    assert_eq!(back, addr);
    assert!(path.exists(), "the socket file was created at the full path");

    // One byte more is refused before any system call.
    let err = SockAddr::unix(dir.join(&format!("{name}q"))).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    assert!(err.to_string().contains("109 bytes"), "{err}");
}

/// Abstract names are Linux's (unix(7)).
#[cfg(any(target_os = "linux", target_os = "android"))]
#[test]
fn abstract_names_bind_and_read_back() {
    let name = format!("bsdsock-test-{}", std::process::id());
    let addr: SockAddr = SockAddrUn::new_abstract(name.as_bytes()).unwrap().into();
    let s = socket(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    bind(&s, &addr).unwrap();
    let back = getsockname(&s).unwrap();
    assert_eq!(back.as_unix().unwrap().abstract_name(), Some(name.as_bytes()));
    assert_eq!(back.to_string(), format!("@{name}"));
    // A second bind to the same abstract name is taken.
    let t = socket(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    assert_eq!(bind(&t, &addr).unwrap_err().errno(), Some(Errno::EADDRINUSE));
}

#[test]
fn misuse_gives_the_right_errno() {
    // EADDRINUSE: a second bind to a listening port.
    let a = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    bind(&a, &"127.0.0.1:0".parse().unwrap()).unwrap();
    listen(&a, 1).unwrap();
    let taken = getsockname(&a).unwrap();
    let b = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    let err = bind(&b, &taken).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::EADDRINUSE));
    assert_eq!(
        err.to_string(),
        format!("bind: {} (EADDRINUSE)", crate::common::strerror(libc::EADDRINUSE))
    );

    // ECONNREFUSED: connect to a bound port nobody listens on.
    let idle = socket(Domain::INET6, Type::STREAM, Protocol::DEFAULT).unwrap();
    bind(&idle, &"[::1]:0".parse().unwrap()).unwrap();
    let c = socket(Domain::INET6, Type::STREAM, Protocol::DEFAULT).unwrap();
    let err = connect(&c, &getsockname(&idle).unwrap()).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::ECONNREFUSED));
    assert_eq!(
        err.to_string(),
        format!("connect: {} (ECONNREFUSED)", crate::common::strerror(libc::ECONNREFUSED))
    );

    // ENOTCONN: send and getpeername on an unconnected stream.
    let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    assert_eq!(getpeername(&s).unwrap_err().errno(), Some(Errno::ENOTCONN));
    let err = send(&s, b"x", MsgFlags::empty()).unwrap_err();
    assert!(matches!(err.errno(), Some(Errno::ENOTCONN) | Some(Errno::EPIPE)), "{err}");

    // EINVAL: accept on a socket that is not listening.
    let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    bind(&s, &"127.0.0.1:0".parse().unwrap()).unwrap();
    let err = accept(&s).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::EINVAL));
    assert_eq!(
        err.to_string(),
        format!("accept: {} (EINVAL)", crate::common::strerror(libc::EINVAL))
    );

    // EOPNOTSUPP: listen on UDP.
    let u = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT).unwrap();
    assert_eq!(listen(&u, 1).unwrap_err().errno(), Some(Errno::EOPNOTSUPP));

    // EPIPE: send after the peer closed (and no SIGPIPE: see tests/sigpipe.rs).
    let (x, y) = unix_pair();
    drop(y);
    let err = send(&x, b"x", MsgFlags::empty()).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::EPIPE));

    // EAFNOSUPPORT: an address of the wrong family.
    let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let err = bind(&s, &"[::1]:0".parse().unwrap()).unwrap_err();
    assert!(matches!(err.errno(), Some(Errno::EAFNOSUPPORT) | Some(Errno::EINVAL)), "{err}");

    // Non-blocking accept with nothing queued: EAGAIN.
    let l = common::nonblocking_socket(Domain::INET, Type::STREAM);
    bind(&l, &"127.0.0.1:0".parse().unwrap()).unwrap();
    listen(&l, 1).unwrap();
    assert_eq!(accept(&l).unwrap_err().errno(), Some(Errno::EAGAIN));

    // EPROTONOSUPPORT / EINVAL for nonsense arguments to socket().
    let err = socket(Domain::INET, Type::STREAM, Protocol::UDP).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::EPROTONOSUPPORT));
    assert_eq!(
        socket(Domain::from_raw(-1), Type::STREAM, Protocol::DEFAULT).unwrap_err().errno(),
        Some(Errno::EAFNOSUPPORT)
    );
}

#[test]
fn errors_convert_to_io_errors_with_errno_and_kind() {
    let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    let err = getpeername(&s).unwrap_err();
    let io: std::io::Error = err.into();
    assert_eq!(io.raw_os_error(), Some(libc::ENOTCONN));
    assert_eq!(io.kind(), std::io::ErrorKind::NotConnected);

    let bad = SockAddr::unix("a\0b").unwrap_err();
    assert_eq!(bad.errno(), None);
    let io: std::io::Error = bad.into();
    assert_eq!(io.kind(), std::io::ErrorKind::InvalidInput);
    assert!(io.to_string().contains("NUL"), "{io}");
}

#[test]
fn every_descriptor_is_close_on_exec() {
    let fd_flags = |fd: i32| {
        // SAFETY: F_GETFD only reads the flags of a descriptor we hold open.
        unsafe { libc::fcntl(fd, libc::F_GETFD) }
    };
    let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    assert_eq!(fd_flags(s.as_raw_fd()) & libc::FD_CLOEXEC, libc::FD_CLOEXEC, "socket");
    let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    assert_eq!(fd_flags(a.as_raw_fd()) & libc::FD_CLOEXEC, libc::FD_CLOEXEC, "socketpair 0");
    assert_eq!(fd_flags(b.as_raw_fd()) & libc::FD_CLOEXEC, libc::FD_CLOEXEC, "socketpair 1");
    bind(&s, &"127.0.0.1:0".parse().unwrap()).unwrap();
    listen(&s, 1).unwrap();
    let c = TcpStream::connect(getsockname(&s).unwrap().as_socket().unwrap()).unwrap();
    let (conn, _) = accept(&s).unwrap();
    assert_eq!(fd_flags(conn.as_raw_fd()) & libc::FD_CLOEXEC, libc::FD_CLOEXEC, "accept");
    assert!(is_cloexec(&conn).unwrap());
    drop(c);
}

#[test]
fn free_functions_work_on_std_sockets() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = getsockname(&l).unwrap();
    assert_eq!(addr.as_socket(), Some(l.local_addr().unwrap()));
    let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (conn, peer) = accept(&l).unwrap();
    assert_eq!(peer.as_socket(), Some(c.local_addr().unwrap()));
    send(&c, b"std", MsgFlags::empty()).unwrap();
    let mut buf = [0u8; 3];
    recv(&conn, &mut buf, MsgFlags::WAITALL).unwrap();
    assert_eq!(&buf, b"std");

    let u = UdpSocket::bind("[::1]:0").unwrap();
    let v = UdpSocket::bind("[::1]:0").unwrap();
    sendto(&u, b"d", MsgFlags::empty(), &v.local_addr().unwrap().into()).unwrap();
    let (n, from) = recvfrom(&v, &mut buf, MsgFlags::empty()).unwrap();
    assert_eq!((n, from.as_socket()), (1, Some(u.local_addr().unwrap())));

    let (x, y) = UnixStream::pair().unwrap();
    send(&x, b"u", MsgFlags::empty()).unwrap();
    assert_eq!(recv(&y, &mut buf, MsgFlags::empty()).unwrap(), 1);
}

#[test]
fn std_conversions_keep_the_descriptor() {
    let dir = TempDir::new("conv");
    let tl = TcpListener::bind("127.0.0.1:0").unwrap();
    let fd = tl.as_raw_fd();
    let s = Socket::from(tl);
    assert_eq!(s.as_raw_fd(), fd);
    let tl: TcpListener = s.into();
    assert_eq!(tl.as_raw_fd(), fd);
    let ts = TcpStream::connect(tl.local_addr().unwrap()).unwrap();
    let fd = ts.as_raw_fd();
    assert_eq!(TcpStream::from(Socket::from(ts)).as_raw_fd(), fd);
    let us = UdpSocket::bind("127.0.0.1:0").unwrap();
    let fd = us.as_raw_fd();
    assert_eq!(UdpSocket::from(Socket::from(us)).as_raw_fd(), fd);

    let ul = UnixListener::bind(dir.join("l")).unwrap();
    let s = Socket::from(ul);
    assert_eq!(getsockname(&s).unwrap().as_unix().unwrap().path(), Some(dir.join("l").as_path()));
    let ul: UnixListener = s.into();
    let std_addr = ul.local_addr().unwrap();
    assert_eq!(SockAddr::from(&std_addr), getsockname(&ul).unwrap());
    let us = UnixStream::connect(dir.join("l")).unwrap();
    let fd = us.as_raw_fd();
    assert_eq!(UnixStream::from(Socket::from(us)).as_raw_fd(), fd);
    let ud = UnixDatagram::unbound().unwrap();
    let fd = ud.as_raw_fd();
    assert_eq!(UnixDatagram::from(Socket::from(ud)).as_raw_fd(), fd);

    let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let fd = s.as_raw_fd();
    let owned: OwnedFd = s.into();
    let s = Socket::from(owned);
    let raw = s.into_raw_fd();
    assert_eq!(raw, fd);
    // SAFETY: raw was just released by into_raw_fd, so we own it.
    let s = unsafe { Socket::from_raw_fd(raw) };
    assert_eq!(s.r#type().unwrap(), Type::DGRAM);
}

#[test]
fn socket_reads_and_writes_as_io_traits() {
    let (mut a, b) = unix_pair();
    a.write_all(b"through io::Write").unwrap();
    a.flush().unwrap();
    let mut buf = [0u8; 17];
    (&b).read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"through io::Write");
    (&b).write_all(b"and back").unwrap();
    let mut buf = [0u8; 8];
    a.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"and back");
    drop(b);
    let err = a.write(b"x").unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EPIPE));
    assert_eq!(a.read(&mut buf).unwrap(), 0);
}

#[test]
fn debug_shows_fd_family_type_and_addresses() {
    let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    bind(&l, &"127.0.0.1:0".parse().unwrap()).unwrap();
    listen(&l, 1).unwrap();
    let addr = getsockname(&l).unwrap();
    let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    connect(&c, &addr).unwrap();
    let text = format!("{c:?}");
    let local = getsockname(&c).unwrap();
    assert_eq!(
        text,
        format!(
            "Socket {{ fd: {}, domain: AF_INET, type: SOCK_STREAM, local: {local}, peer: {addr} }}",
            c.as_raw_fd()
        )
    );
    let text = format!("{l:?}");
    assert!(text.contains(&format!("local: {addr}")) && !text.contains("peer"), "{text}");
}

/// `Type::nonblocking` (SOCK_NONBLOCK): not on Apple.
#[cfg(not(target_vendor = "apple"))]
#[test]
fn nonblocking_type_and_peek_flags() {
    let (a, b) = socketpair(Domain::UNIX, Type::STREAM.nonblocking(), Protocol::DEFAULT).unwrap();
    assert!(is_nonblocking(&a).unwrap());
    let mut buf = [0u8; 4];
    assert_eq!(recv(&b, &mut buf, MsgFlags::empty()).unwrap_err().errno(), Some(Errno::EAGAIN));
    send(&a, b"abcd", MsgFlags::empty()).unwrap();
    assert_eq!(recv(&b, &mut buf[..2], MsgFlags::PEEK).unwrap(), 2);
    assert_eq!(recv(&b, &mut buf, MsgFlags::empty()).unwrap(), 4);
    assert_eq!(&buf, b"abcd");
    // DONTWAIT makes one call non-blocking on a blocking socket.
    let (c, _d) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    assert_eq!(recv(&c, &mut buf, MsgFlags::DONTWAIT).unwrap_err().errno(), Some(Errno::EAGAIN));
    // MSG_TRUNC on a datagram reports the real length.
    let (e, f) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    send(&e, b"0123456789", MsgFlags::empty()).unwrap();
    assert_eq!(recv(&f, &mut buf, MsgFlags::TRUNC).unwrap(), 10);
}

#[test]
fn errno_table_names_and_strerror_text() {
    // Every code Linux defines has a name, and Display is strerror's text.
    let mut named = 0;
    for code in 1..=133 {
        let e = Errno::from_raw(code);
        if e.name() == "E?" {
            continue;
        }
        named += 1;
        assert_eq!(e.as_raw(), code);
        assert!(e.name().starts_with('E'));
        // SAFETY: strerror returns a pointer to a NUL-terminated string that stays
        // valid until the next strerror call on this thread; we copy it at once.
        let c =
            unsafe { std::ffi::CStr::from_ptr(libc::strerror(code)) }.to_str().unwrap().to_owned();
        assert_eq!(e.to_string(), c, "{}", e.name());
    }
    assert_eq!(named, 131, "every errno Linux defines (1..=133 less the two unused codes)");
    assert_eq!(Errno::EWOULDBLOCK, Errno::EAGAIN);
    assert_eq!(format!("{:?}", Errno::ECONNRESET), "ECONNRESET");
    assert_eq!(format!("{:?}", Errno::from_raw(4242)), "Errno(4242)");
    assert_eq!(Errno::from_raw(4242).to_string(), crate::common::strerror(4242));
}
