//! `<sys/socket.h>`: the socket calls as free functions that take any descriptor
//! (`impl AsFd`: a [`Socket`] or any std socket), and [`Socket`], which owns one.

mod accept;
mod convert;
mod kinds;

use std::fmt;
use std::net::Shutdown;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};

pub use accept::{AcceptFlags, accept4};
pub use kinds::{Domain, MsgFlags, Protocol, Type};

use crate::error::Context;
use crate::sys::{self, AddrBuf};
use crate::{Result, SockAddr};

/// `SOMAXCONN` of `<sys/socket.h>`: the conventional "as many as allowed"
/// backlog for `listen(2)`. The kernel's real cap is its own setting
/// (`net.core.somaxconn` on Linux, 4096 by default and often raised), which a
/// larger backlog reaches; see [`listen`]'s kernel behaviour.
pub const SOMAXCONN: i32 = libc::SOMAXCONN;

/// An owned socket descriptor, closed when dropped.
///
/// Every C socket call is a method with the same name (`s.bind(&a)`,
/// `s.listen(5)`, `s.accept()`, ...) and also a free function
/// ([`bind`], [`listen`], ...) that takes any `AsFd`. Converts to and from
/// `OwnedFd` and the six std socket types without a system call.
///
/// ```
/// use bsdsock::{Domain, Protocol, SockAddr, Socket, Type};
/// let server = Socket::new(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// server.bind(&"127.0.0.1:0".parse()?)?;
/// server.listen(5)?;
/// let client = Socket::new(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// client.connect(&server.getsockname()?)?;
/// let (conn, peer) = server.accept()?;
/// assert_eq!(peer, client.getsockname()?);
/// client.send(b"hello", Default::default())?;
/// let mut buf = [0u8; 5];
/// conn.recv(&mut buf, Default::default())?;
/// assert_eq!(&buf, b"hello");
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub struct Socket {
    fd: OwnedFd,
}

/// [`socket(2)`](https://man7.org/linux/man-pages/man2/socket.2.html): a new socket, close-on-exec.
///
/// ```
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET6, Type::DGRAM, Protocol::UDP)?;
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[doc(alias = "SOCK_CLOEXEC")]
#[inline]
pub fn socket(domain: Domain, ty: Type, protocol: Protocol) -> Result<Socket> {
    sys::socket(domain.as_raw(), ty.as_raw(), protocol.as_raw()).ctx("socket").map(Socket::from)
}

/// [`socketpair(2)`](https://man7.org/linux/man-pages/man2/socketpair.2.html): two
/// connected sockets, both close-on-exec.
///
/// ```
/// use bsdsock::{socketpair, Domain, Protocol, Type};
/// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// a.send(b"x", Default::default())?;
/// let mut buf = [0u8; 1];
/// assert_eq!(b.recv(&mut buf, Default::default())?, 1);
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn socketpair(domain: Domain, ty: Type, protocol: Protocol) -> Result<(Socket, Socket)> {
    let (a, b) =
        sys::socketpair(domain.as_raw(), ty.as_raw(), protocol.as_raw()).ctx("socketpair")?;
    Ok((Socket::from(a), Socket::from(b)))
}

/// [`bind(2)`](https://man7.org/linux/man-pages/man2/bind.2.html): gives the socket its
/// local address. Port 0 asks the kernel to pick one; read it back with [`getsockname`].
///
/// ```
/// use bsdsock::{bind, getsockname, socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// bind(&s, &"127.0.0.1:0".parse()?)?;
/// assert_ne!(getsockname(&s)?.port(), Some(0));
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn bind(fd: impl AsFd, addr: &SockAddr) -> Result<()> {
    sys::bind(fd.as_fd(), addr.as_bytes()).ctx("bind")
}

/// [`listen(2)`](https://man7.org/linux/man-pages/man2/listen.2.html): marks a bound stream
/// socket as accepting connections. `backlog` bounds the queue of connections not yet
/// accepted.
///
/// # Kernel behaviour
/// Any `backlog` is accepted and clamped, as in C: Linux compares it as an
/// `unsigned int` with `net.core.somaxconn` (by default 4096 since Linux 5.4,
/// 128 before) and uses the smaller, so `i32::MAX` and any negative
/// value (`-1` included) mean "as many as the system allows", and 0 still
/// accepts a connection (listen(2), "NOTES"). Calling `listen` again on a
/// listener only changes the backlog.
///
/// ```
/// # use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// s.bind(&"127.0.0.1:0".parse()?)?;
/// s.listen(-1)?; // somaxconn
/// s.listen(i32::MAX)?; // somaxconn too
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// ```
/// use bsdsock::{bind, listen, socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// bind(&s, &"127.0.0.1:0".parse()?)?;
/// listen(&s, 5)?;
/// // A datagram socket cannot listen:
/// let u = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// assert_eq!(listen(&u, 5).unwrap_err().errno(), Some(bsdsock::Errno::EOPNOTSUPP));
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn listen(fd: impl AsFd, backlog: i32) -> Result<()> {
    sys::listen(fd.as_fd(), backlog).ctx("listen")
}

/// [`accept(2)`](https://man7.org/linux/man-pages/man2/accept.2.html) (as `accept4` with
/// `SOCK_CLOEXEC`): the next connection and its peer's address. On a non-blocking listener
/// with nothing queued, `EAGAIN`.
///
/// ```
/// use bsdsock::{accept, connect, socket, Domain, Protocol, Type};
/// let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// l.bind(&"127.0.0.1:0".parse()?)?;
/// l.listen(1)?;
/// let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// connect(&c, &l.getsockname()?)?;
/// let (conn, peer) = accept(&l)?;
/// assert_eq!(peer, c.getsockname()?);
/// assert_eq!(conn.getpeername()?, peer);
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn accept(fd: impl AsFd) -> Result<(Socket, SockAddr)> {
    let mut buf = AddrBuf::new();
    let conn = sys::accept(fd.as_fd(), &mut buf).ctx("accept")?;
    // On a decode failure `conn` is dropped here, closing it: no leak.
    let addr = SockAddr::from_addr_buf(&buf, "accept")?;
    Ok((Socket::from(conn), addr))
}

/// [`connect(2)`](https://man7.org/linux/man-pages/man2/connect.2.html): connects a stream
/// socket, or sets the default peer of a datagram socket ([`SockAddr::Unspec`] dissolves
/// that association). On a non-blocking socket a connection in progress is `Err` with
/// `EINPROGRESS`.
///
/// ```
/// use bsdsock::{connect, socket, Domain, Errno, Protocol, Type};
/// let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// l.bind(&"127.0.0.1:0".parse()?)?;
/// let addr = l.getsockname()?; // bound but not listening: refused
/// let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// assert_eq!(connect(&c, &addr).unwrap_err().errno(), Some(Errno::ECONNREFUSED));
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn connect(fd: impl AsFd, addr: &SockAddr) -> Result<()> {
    sys::connect(fd.as_fd(), addr.as_bytes()).ctx("connect")
}

/// [`shutdown(2)`](https://man7.org/linux/man-pages/man2/shutdown.2.html): ends one or both
/// directions of a connection without closing the descriptor. After `Shutdown::Write` the
/// peer reads end-of-file.
///
/// ```
/// use std::net::Shutdown;
/// use bsdsock::{shutdown, socketpair, Domain, Protocol, Type};
/// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// shutdown(&a, Shutdown::Write)?;
/// let mut buf = [0u8; 8];
/// assert_eq!(b.recv(&mut buf, Default::default())?, 0); // EOF
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn shutdown(fd: impl AsFd, how: Shutdown) -> Result<()> {
    let how = match how {
        Shutdown::Read => libc::SHUT_RD,
        Shutdown::Write => libc::SHUT_WR,
        Shutdown::Both => libc::SHUT_RDWR,
    };
    sys::shutdown(fd.as_fd(), how).ctx("shutdown")
}

/// [`getsockname(2)`](https://man7.org/linux/man-pages/man2/getsockname.2.html): the
/// socket's local address.
///
/// ```
/// use bsdsock::{getsockname, socket, Domain, Protocol, SockAddr, Type};
/// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// assert_eq!(getsockname(&s)?.to_string(), "0.0.0.0:0"); // not bound yet
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[inline]
pub fn getsockname(fd: impl AsFd) -> Result<SockAddr> {
    let mut buf = AddrBuf::new();
    sys::getsockname(fd.as_fd(), &mut buf).ctx("getsockname")?;
    SockAddr::from_addr_buf(&buf, "getsockname")
}

/// [`getpeername(2)`](https://man7.org/linux/man-pages/man2/getpeername.2.html): the
/// address of the connected peer; `ENOTCONN` if there is none.
///
/// ```
/// use bsdsock::{getpeername, socket, Domain, Errno, Protocol, Type};
/// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// assert_eq!(getpeername(&s).unwrap_err().errno(), Some(Errno::ENOTCONN));
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[inline]
pub fn getpeername(fd: impl AsFd) -> Result<SockAddr> {
    let mut buf = AddrBuf::new();
    sys::getpeername(fd.as_fd(), &mut buf).ctx("getpeername")?;
    SockAddr::from_addr_buf(&buf, "getpeername")
}

/// [`send(2)`](https://man7.org/linux/man-pages/man2/send.2.html): sends on a connected
/// socket; returns how many bytes were queued (possibly fewer than `buf.len()` on a stream;
/// see `writen`). Never raises SIGPIPE: writing to a closed connection is `Err` with
/// `EPIPE`.
///
/// ```
/// use bsdsock::{send, socketpair, Domain, Errno, MsgFlags, Protocol, Type};
/// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// assert_eq!(send(&a, b"hi", MsgFlags::empty())?, 2);
/// drop(b);
/// assert_eq!(send(&a, b"hi", MsgFlags::empty()).unwrap_err().errno(), Some(Errno::EPIPE));
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[inline]
pub fn send(fd: impl AsFd, buf: &[u8], flags: MsgFlags) -> Result<usize> {
    sys::send(fd.as_fd(), buf, flags.bits()).ctx("send")
}

/// [`recv(2)`](https://man7.org/linux/man-pages/man2/recv.2.html): receives into `buf`; 0
/// means the peer closed a stream (EOF).
///
/// # Kernel behaviour
/// With [`MsgFlags::TRUNC`] on a datagram or raw socket (Linux), the count returned
/// is the datagram's **full length**, which can be larger than `buf`: only
/// `buf[..n.min(buf.len())]` was written, and `&buf[..n]` would panic. With
/// `MsgFlags::PEEK | MsgFlags::TRUNC` and an empty `buf` it sizes the next datagram
/// without taking it (recv(2), udp(7)).
///
/// ```
/// # use bsdsock::{recv, socketpair, Domain, MsgFlags, Protocol, Type};
/// let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT)?;
/// a.send(&[7u8; 100], MsgFlags::empty())?;
/// assert_eq!(recv(&b, &mut [], MsgFlags::PEEK | MsgFlags::TRUNC)?, 100);
/// let mut buf = [0u8; 10];
/// let n = recv(&b, &mut buf, MsgFlags::TRUNC)?;
/// assert_eq!(n, 100); // more than buf holds
/// assert_eq!(&buf[..n.min(buf.len())], &[7u8; 10]);
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// ```
/// use bsdsock::{recv, socketpair, Domain, MsgFlags, Protocol, Type};
/// let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT)?;
/// a.send(b"datagram", MsgFlags::empty())?;
/// let mut buf = [0u8; 16];
/// let n = recv(&b, &mut buf, MsgFlags::empty())?;
/// assert_eq!(&buf[..n], b"datagram");
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[inline]
pub fn recv(fd: impl AsFd, buf: &mut [u8], flags: MsgFlags) -> Result<usize> {
    sys::recv(fd.as_fd(), buf, flags.bits()).ctx("recv")
}

/// [`sendto(2)`](https://man7.org/linux/man-pages/man2/sendto.2.html): sends a datagram to
/// `addr`. Never raises SIGPIPE. [`SockAddr::Unspec`] passes no address (`NULL, 0`), which
/// makes this `send`.
///
/// ```
/// use bsdsock::{recvfrom, sendto, socket, Domain, MsgFlags, Protocol, Type};
/// let rx = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// rx.bind(&"127.0.0.1:0".parse()?)?;
/// let tx = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// tx.bind(&"127.0.0.1:0".parse()?)?;
/// sendto(&tx, b"ping", MsgFlags::empty(), &rx.getsockname()?)?;
/// let mut buf = [0u8; 8];
/// let (n, from) = recvfrom(&rx, &mut buf, MsgFlags::empty())?;
/// assert_eq!((&buf[..n], from), (&b"ping"[..], tx.getsockname()?));
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[inline]
pub fn sendto(fd: impl AsFd, buf: &[u8], flags: MsgFlags, addr: &SockAddr) -> Result<usize> {
    let raw = match addr {
        SockAddr::Unspec => &[][..],
        _ => addr.as_bytes(),
    };
    sys::sendto(fd.as_fd(), buf, flags.bits(), raw).ctx("sendto")
}

/// [`recvfrom(2)`](https://man7.org/linux/man-pages/man2/recvfrom.2.html): receives a
/// datagram and the address it came from, decoded exactly as the kernel reports it. Where
/// the kernel reports no address (length 0: on a connected TCP stream, or from a Unix
/// socket that has no name) it is [`SockAddr::Unspec`].
///
/// With [`MsgFlags::TRUNC`] the count is the datagram's full length, which can
/// exceed `buf.len()`, as for [`recv`] (see its "Kernel behaviour").
///
/// ```
/// use bsdsock::{recvfrom, socketpair, Domain, MsgFlags, Protocol, SockAddr, Type};
/// let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT)?;
/// a.send(b"x", MsgFlags::empty())?;
/// let mut buf = [0u8; 4];
/// let (n, from) = recvfrom(&b, &mut buf, MsgFlags::empty())?;
/// assert_eq!(n, 1);
/// assert_eq!(from, SockAddr::Unspec); // the sender has no name
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[inline]
pub fn recvfrom(fd: impl AsFd, buf: &mut [u8], flags: MsgFlags) -> Result<(usize, SockAddr)> {
    let mut addr = AddrBuf::new();
    let n = sys::recvfrom(fd.as_fd(), buf, flags.bits(), &mut addr).ctx("recvfrom")?;
    Ok((n, SockAddr::from_addr_buf(&addr, "recvfrom")?))
}

/// [`close(2)`](https://man7.org/linux/man-pages/man2/close.2.html), reporting its error.
/// Dropping a [`Socket`] also closes it but has nowhere to report a failure; call this when
/// the result matters. The descriptor is released either way.
///
/// ```
/// use bsdsock::{close, socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// close(s)?;
/// # Ok::<(), bsdsock::Error>(())
/// ```
pub fn close(sock: Socket) -> Result<()> {
    sys::close(sock.fd).ctx("close")
}

impl Socket {
    /// [`socket(2)`](https://man7.org/linux/man-pages/man2/socket.2.html); the same as [`socket`].
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::UNIX, bsdsock::Type::DGRAM, Default::default())?;
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[doc(alias = "socket")]
    pub fn new(domain: Domain, ty: Type, protocol: Protocol) -> Result<Socket> {
        socket(domain, ty, protocol)
    }

    /// [`socketpair(2)`](https://man7.org/linux/man-pages/man2/socketpair.2.html); the same
    /// as [`socketpair`].
    ///
    /// ```
    /// let (a, b) = bsdsock::Socket::pair(bsdsock::Domain::UNIX, bsdsock::Type::STREAM, Default::default())?;
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[doc(alias = "socketpair")]
    pub fn pair(domain: Domain, ty: Type, protocol: Protocol) -> Result<(Socket, Socket)> {
        socketpair(domain, ty, protocol)
    }

    /// [`bind(2)`](https://man7.org/linux/man-pages/man2/bind.2.html); see [`bind`].
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// s.bind(&"127.0.0.1:0".parse()?)?;
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn bind(&self, addr: &SockAddr) -> Result<()> {
        bind(self, addr)
    }

    /// [`listen(2)`](https://man7.org/linux/man-pages/man2/listen.2.html); see [`listen`].
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::STREAM, Default::default())?;
    /// s.bind(&"127.0.0.1:0".parse()?)?;
    /// s.listen(bsdsock::SOMAXCONN)?;
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn listen(&self, backlog: i32) -> Result<()> {
        listen(self, backlog)
    }

    /// [`accept(2)`](https://man7.org/linux/man-pages/man2/accept.2.html); see [`accept`].
    ///
    /// ```
    /// use bsdsock::{Domain, Socket, Type};
    /// let l = Socket::new(Domain::INET6, Type::STREAM, Default::default())?;
    /// l.bind(&"[::1]:0".parse()?)?;
    /// l.listen(1)?;
    /// let c = Socket::new(Domain::INET6, Type::STREAM, Default::default())?;
    /// c.connect(&l.getsockname()?)?;
    /// let (_conn, peer) = l.accept()?;
    /// assert_eq!(peer, c.getsockname()?);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn accept(&self) -> Result<(Socket, SockAddr)> {
        accept(self)
    }

    /// [`connect(2)`](https://man7.org/linux/man-pages/man2/connect.2.html); see [`connect`].
    ///
    /// ```
    /// use bsdsock::{Domain, Socket, Type};
    /// let a = Socket::new(Domain::INET, Type::DGRAM, Default::default())?;
    /// a.bind(&"127.0.0.1:0".parse()?)?;
    /// let b = Socket::new(Domain::INET, Type::DGRAM, Default::default())?;
    /// b.connect(&a.getsockname()?)?;
    /// assert_eq!(b.getpeername()?, a.getsockname()?);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn connect(&self, addr: &SockAddr) -> Result<()> {
        connect(self, addr)
    }

    /// [`shutdown(2)`](https://man7.org/linux/man-pages/man2/shutdown.2.html); see [`shutdown`].
    ///
    /// ```
    /// let (a, _b) = bsdsock::Socket::pair(bsdsock::Domain::UNIX, bsdsock::Type::STREAM, Default::default())?;
    /// a.shutdown(std::net::Shutdown::Both)?;
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn shutdown(&self, how: Shutdown) -> Result<()> {
        shutdown(self, how)
    }

    /// [`getsockname(2)`](https://man7.org/linux/man-pages/man2/getsockname.2.html); see
    /// [`getsockname`].
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET6, bsdsock::Type::DGRAM, Default::default())?;
    /// assert_eq!(s.getsockname()?.to_string(), "[::]:0");
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    pub fn getsockname(&self) -> Result<SockAddr> {
        getsockname(self)
    }

    /// [`getpeername(2)`](https://man7.org/linux/man-pages/man2/getpeername.2.html); see
    /// [`getpeername`].
    ///
    /// ```
    /// let (a, _b) = bsdsock::Socket::pair(bsdsock::Domain::UNIX, bsdsock::Type::STREAM, Default::default())?;
    /// assert_eq!(a.getpeername()?.to_string(), "(unnamed)");
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    pub fn getpeername(&self) -> Result<SockAddr> {
        getpeername(self)
    }

    /// [`send(2)`](https://man7.org/linux/man-pages/man2/send.2.html); see [`send`].
    ///
    /// ```
    /// let (a, _b) = bsdsock::Socket::pair(bsdsock::Domain::UNIX, bsdsock::Type::STREAM, Default::default())?;
    /// assert_eq!(a.send(b"abc", Default::default())?, 3);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    pub fn send(&self, buf: &[u8], flags: MsgFlags) -> Result<usize> {
        send(self, buf, flags)
    }

    /// [`recv(2)`](https://man7.org/linux/man-pages/man2/recv.2.html); see [`recv`].
    ///
    /// ```
    /// let (a, b) = bsdsock::Socket::pair(bsdsock::Domain::UNIX, bsdsock::Type::STREAM, Default::default())?;
    /// a.send(b"abc", Default::default())?;
    /// let mut buf = [0u8; 3];
    /// assert_eq!(b.recv(&mut buf, Default::default())?, 3);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    pub fn recv(&self, buf: &mut [u8], flags: MsgFlags) -> Result<usize> {
        recv(self, buf, flags)
    }

    /// [`sendto(2)`](https://man7.org/linux/man-pages/man2/sendto.2.html); see [`sendto`].
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// s.bind(&"127.0.0.1:0".parse()?)?;
    /// assert_eq!(s.sendto(b"me", Default::default(), &s.getsockname()?)?, 2);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    pub fn sendto(&self, buf: &[u8], flags: MsgFlags, addr: &SockAddr) -> Result<usize> {
        sendto(self, buf, flags, addr)
    }

    /// [`recvfrom(2)`](https://man7.org/linux/man-pages/man2/recvfrom.2.html); see [`recvfrom`].
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// s.bind(&"127.0.0.1:0".parse()?)?;
    /// s.sendto(b"me", Default::default(), &s.getsockname()?)?;
    /// let mut buf = [0u8; 2];
    /// let (n, from) = s.recvfrom(&mut buf, Default::default())?;
    /// assert_eq!((n, from), (2, s.getsockname()?));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[inline]
    pub fn recvfrom(&self, buf: &mut [u8], flags: MsgFlags) -> Result<(usize, SockAddr)> {
        recvfrom(self, buf, flags)
    }

    /// [`close(2)`](https://man7.org/linux/man-pages/man2/close.2.html); see [`close`].
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// s.close()?;
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn close(self) -> Result<()> {
        close(self)
    }

    /// The socket's family, read with
    /// [`getsockopt(2)`](https://man7.org/linux/man-pages/man2/getsockopt.2.html)
    /// `SO_DOMAIN` ([`opt::SO_DOMAIN`](crate::opt::SO_DOMAIN)).
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET6, bsdsock::Type::DGRAM, Default::default())?;
    /// assert_eq!(s.domain()?, bsdsock::Domain::INET6);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(target_os = "linux")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
    #[doc(alias = "SO_DOMAIN")]
    pub fn domain(&self) -> Result<Domain> {
        crate::opt::getsockopt(self, crate::opt::SO_DOMAIN)
    }

    /// The socket's type, read with
    /// [`getsockopt(2)`](https://man7.org/linux/man-pages/man2/getsockopt.2.html) `SO_TYPE`
    /// ([`opt::SO_TYPE`](crate::opt::SO_TYPE)).
    ///
    /// ```
    /// let s = bsdsock::Socket::new(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// assert_eq!(s.r#type()?, bsdsock::Type::DGRAM);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[doc(alias = "SO_TYPE")]
    pub fn r#type(&self) -> Result<Type> {
        crate::opt::getsockopt(self, crate::opt::SO_TYPE)
    }
}

impl fmt::Debug for Socket {
    /// Shows the descriptor, family, type and both addresses, each read from the
    /// kernel (a field that cannot be read is left out).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Socket");
        d.field("fd", &self.fd.as_raw_fd());
        #[cfg(target_os = "linux")]
        if let Ok(domain) = self.domain() {
            d.field("domain", &domain);
        }
        if let Ok(ty) = self.r#type() {
            d.field("type", &ty);
        }
        if let Ok(local) = self.getsockname() {
            d.field("local", &format_args!("{local}"));
        }
        if let Ok(peer) = self.getpeername() {
            d.field("peer", &format_args!("{peer}"));
        }
        d.finish()
    }
}
