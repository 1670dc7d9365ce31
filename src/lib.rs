//! # bsdsock — the BSD socket API in safe Rust
//!
//! The calls you know from C — `socket()`, `bind()`, `listen()`, `accept()`,
//! `connect()`, `setsockopt()`, `gethostbyname()` — under the same names, with
//! typed arguments, no `unsafe` for the caller, and errors that say which call
//! failed and why (`bind: Address already in use (EADDRINUSE)`).
//!
//! Every call takes `impl AsFd`, so it works on a [`Socket`] and on any std
//! socket alike. Every descriptor is created close-on-exec, and no send ever
//! raises `SIGPIPE`: a write to a closed connection returns `EPIPE`.
//!
//! ```
//! use bsdsock::{accept, bind, connect, listen, recv, send, socket, Domain, MsgFlags, Protocol, Type};
//! // server: socket -> bind -> listen -> accept
//! let server = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
//! bind(&server, &"127.0.0.1:0".parse()?)?;
//! listen(&server, 5)?;
//! // client: socket -> connect
//! let client = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
//! connect(&client, &server.getsockname()?)?;
//! let (conn, _peer) = accept(&server)?;
//! send(&client, b"hello", MsgFlags::empty())?;
//! let mut buf = [0u8; 256];
//! let n = recv(&conn, &mut buf, MsgFlags::empty())?;
//! assert_eq!(&buf[..n], b"hello");
//! # Ok::<(), bsdsock::Error>(())
//! ```
//!
//! ## From C to bsdsock
//!
//! | C | bsdsock |
//! |---|---|
//! | `socket(AF_INET, SOCK_STREAM, 0)` | [`socket`]`(Domain::INET, Type::STREAM, Protocol::DEFAULT)`, [`Socket::new`] |
//! | `socketpair` | [`socketpair`], [`Socket::pair`] |
//! | `bind(fd, (struct sockaddr *)&a, sizeof a)` | [`bind`]`(&fd, &addr)`, [`Socket::bind`] |
//! | `listen` | [`listen`], [`SOMAXCONN`] |
//! | `accept` | [`accept`] → `(Socket, SockAddr)` |
//! | `accept4(fd, .., SOCK_NONBLOCK \| SOCK_CLOEXEC)` | [`accept4`]`(&fd, AcceptFlags::NONBLOCK)` ([`AcceptFlags`]) |
//! | `dup`, `fcntl(fd, F_DUPFD_CLOEXEC, 0)` | [`Socket::try_clone`] |
//! | `connect` | [`connect`] (non-blocking: `Err` with `EINPROGRESS`) |
//! | `send`, `recv` | [`send`], [`recv`] with [`MsgFlags`] |
//! | `sendto`, `recvfrom` | [`sendto`], [`recvfrom`] |
//! | `sendmsg`, `recvmsg`, `struct msghdr`, `struct iovec` | [`sendmsg`]`(&fd, &[IoSlice], &cmsgs, flags, Some(&addr))`, [`recvmsg`] → [`RecvMsg`] (`MSG_NOSIGNAL`, `MSG_CMSG_CLOEXEC` added) |
//! | `struct cmsghdr`, `CMSG_FIRSTHDR`, `CMSG_NXTHDR`, `CMSG_DATA`, `CMSG_SPACE`, `CMSG_LEN` | [`ControlMessage`] (send), [`ControlMessageOwned`] via [`RecvMsg::cmsgs`] (receive), [`CmsgBuffer`] (aligned), [`CMSG_SPACE`], [`CMSG_LEN`], [`ControlMessages`] (parser of raw control bytes) |
//! | `SCM_RIGHTS`, `SCM_CREDENTIALS`, `SCM_TIMESTAMP(NS/ING)`, `SCM_TXTIME` | [`ControlMessage::ScmRights`] (`&[BorrowedFd]`) → [`ControlMessageOwned::ScmRights`] (`Vec<OwnedFd>`), `ScmCredentials`, `ScmTimestamp`, `ScmTimestampns`, `ScmTimestamping`, `ScmTxtime` (Linux) |
//! | `IP_PKTINFO`, `IPV6_PKTINFO`, `IP_TTL`, `IP_TOS`, `IPV6_HOPLIMIT`, `IPV6_TCLASS`, `IP_ORIGDSTADDR`, `UDP_SEGMENT`, `UDP_GRO`, `SO_RXQ_OVFL`, `SO_MARK` in a cmsg | the variants of the same names, e.g. `ControlMessage::IpPktinfo(`[`InPktinfo`]`)`, `ControlMessageOwned::UdpGro(u16)` (Linux) |
//! | `IP_RECVERR` + `MSG_ERRQUEUE`, `struct sock_extended_err`, `SO_EE_OFFENDER` | [`recvmsg`] with [`MsgFlags::ERRQUEUE`] → `ControlMessageOwned::IpRecverr(`[`SockExtendedErr`]`)` with `.offender` (Linux) |
//! | `sendmmsg`, `recvmmsg`, `struct mmsghdr` | [`sendmmsg`] with [`MsgOut`] (returns how many were sent), [`recvmmsg`] into a reusable [`RecvBatch`] (Linux) |
//! | `read`, `write` on a socket | `io::Read` / `io::Write` for [`Socket`] |
//! | `shutdown(fd, SHUT_WR)`, `SHUT_RD`, `SHUT_RDWR` | [`shutdown`]`(&fd, Shutdown::Write)` ([`Shutdown`]) |
//! | `close` | [`close`] (or drop the [`Socket`]) |
//! | `getsockname`, `getpeername` | [`getsockname`], [`getpeername`] |
//! | `struct sockaddr`, `sockaddr_storage` | [`SockAddr`] |
//! | `struct sockaddr_in`, `sin_port`, `sin_addr` | [`SockAddrIn`], `.port()`, `.ip()` |
//! | `struct sockaddr_in6` | [`SockAddrIn6`] |
//! | `struct sockaddr_un`, `sun_path` | [`SockAddrUn`], `.path()` |
//! | `struct sockaddr_nl`, `sockaddr_ll`, `sockaddr_vm`; any other family | `SockAddrNl`, `SockAddrLl` (Linux), `SockAddrVm` (Linux, Apple); [`SockAddrStorage`] |
//! | `AF_INET`, `AF_INET6`, `AF_UNIX` / `AF_LOCAL` | [`Domain`] |
//! | `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_NONBLOCK` | [`Type`], [`Type::nonblocking`] |
//! | `inet_pton`, `inet_ntop` | [`inet_pton`], [`inet_ntop`], [`inet_ntop_buf`] |
//! | `inet_aton`, `inet_addr`, `inet_ntoa` | [`inet_aton`], [`inet_addr`], [`inet_ntoa`] |
//! | `htons`, `htonl`, `ntohs`, `ntohl` | [`htons`], [`htonl`], [`ntohs`], [`ntohl`] |
//! | `INADDR_ANY`, `INADDR_LOOPBACK`, `in6addr_any` | [`INADDR_ANY`], [`INADDR_LOOPBACK`], [`IN6ADDR_ANY`] |
//! | `fcntl(fd, F_SETFL, O_NONBLOCK)` | [`set_nonblocking`], [`is_nonblocking`] |
//! | `fcntl(fd, F_SETFD, FD_CLOEXEC)` | [`set_cloexec`], [`is_cloexec`] |
//! | Stevens' `readn`, `writen` (short transfers, `EINTR`) | [`readn`], [`writen`]; count on error: [`Error::Partial`] |
//! | Stevens' `readline`, `MAXLINE` | [`LineReader::readline`], [`MAXLINE`] |
//! | Stevens' `connect_nonb` (`EINPROGRESS`, then wait, then `SO_ERROR`) | [`connect_timeout`] |
//! | `accept` on a non-blocking listener (`EAGAIN`, `ECONNABORTED`) | [`accept`]; see [`set_nonblocking`] |
//! | `if_nametoindex`, `if_indextoname`, `if_nameindex`, `IF_NAMESIZE` | [`if_nametoindex`], [`if_indextoname`], [`if_nameindex`] → `Vec<(u32, String)>` (freed for you), [`IF_NAMESIZE`] |
//! | `poll`, `struct pollfd`, `POLLIN`, `POLLOUT`, `POLLRDHUP` | [`poll`], [`PollFd`], [`PollFlags`] |
//! | `select`, `fd_set`, `FD_SET`, `FD_CLR`, `FD_ISSET`, `FD_ZERO`, `FD_SETSIZE` | [`select`], [`FdSet`] (`insert`, `remove`, `contains`, `clear`), [`FD_SETSIZE`] |
//! | `gethostbyname`, `gethostbyname2`, `struct hostent`, `h_addr` | [`netdb::gethostbyname`], [`netdb::gethostbyname2`] → [`netdb::HostEnt`], [`.addr()`](netdb::HostEnt::addr) (thread-safe: `_r` variants) |
//! | `gethostbyaddr`, `gethostname` | [`netdb::gethostbyaddr`], [`netdb::gethostname`] |
//! | `h_errno`, `hstrerror`, `herror` | [`Error::Host`] with [`netdb::HErrno`] (its `Display`) |
//! | `getservbyname`, `getservbyport`, `struct servent` | [`netdb::getservbyname`], [`netdb::getservbyport`] → [`netdb::ServEnt`] (port in host order) |
//! | `getprotobyname`, `getprotobynumber`, `struct protoent` | [`netdb::getprotobyname`], [`netdb::getprotobynumber`] → [`netdb::ProtoEnt`] |
//! | `getaddrinfo`, `freeaddrinfo`, `struct addrinfo`, `AI_*` | [`netdb::getaddrinfo`] → `Vec<`[`netdb::AddrInfo`]`>` (freed for you), [`netdb::AddrInfoHints`], [`netdb::AiFlags`] |
//! | `getnameinfo`, `NI_*`, `NI_MAXHOST`, `NI_MAXSERV` | [`netdb::getnameinfo`] → `(String, String)`, [`netdb::getnameinfo_buf`] (into your buffers), [`netdb::NiFlags`], [`netdb::NI_MAXHOST`], [`netdb::NI_MAXSERV`] |
//! | `gai_strerror`, `EAI_*` | [`Error::Gai`] with [`netdb::EaiCode`] (its `Display`) |
//! | Stevens' `tcp_connect`, `tcp_listen`, `udp_client`, `udp_connect`, `udp_server` | [`netdb::tcp_connect`], [`netdb::tcp_listen`], [`netdb::udp_client`], [`netdb::udp_connect`], [`netdb::udp_server`] |
//! | Python's `create_connection(address, timeout)`, with Happy Eyeballs (RFC 8305) | [`netdb::tcp_connect_timeout`] ([`Error::Attempts`] names each address's failure), [`netdb::happy_eyeballs`] |
//! | `getsockopt(fd, level, name, &v, &len)`, `setsockopt` | [`getsockopt`]`(&fd, opt::SO_X)`, [`setsockopt`]`(&fd, opt::SO_X, v)`, [`Socket::get`], [`Socket::set`] |
//! | `SO_REUSEADDR`, `SO_LINGER`, `SO_RCVBUF`, `SO_ERROR`, ... (every `SO_*`) | [`opt::SO_REUSEADDR`], [`opt::SO_LINGER`], [`opt::SO_RCVBUF`], [`opt::SO_ERROR`], ... (same names, typed) |
//! | `IP_*`, `IPV6_*`, `TCP_*`, `UDP_*` options | [`opt::IP_TTL`], [`opt::IPV6_V6ONLY`], [`opt::TCP_NODELAY`], [`opt::TCP_INFO`], [`opt::UDP_SEGMENT`], ... |
//! | `struct linger`, `struct timeval` (timeouts) | `Option<Duration>` ([`opt::Linger`], [`opt::Timeval`]) |
//! | `struct ip_mreq`, `ip_mreqn`, `ip_mreq_source`, `ipv6_mreq` | [`opt::IpMreq`], [`opt::IpMreqn`], [`opt::IpMreqSource`], [`opt::Ipv6Mreq`] |
//! | `struct tcp_info`, `struct ucred`, `struct sock_filter` | [`opt::TcpInfo`], [`opt::UCred`], [`opt::SockFilter`] |
//! | `getsockopt` / `setsockopt` with raw bytes | [`getsockopt_raw`], [`setsockopt_raw`] |
//! | `errno`, `strerror`, `perror` | [`Errno`], [`Error`] (its `Display`) |
//!
//! ## Async runtimes
//!
//! bsdsock's calls block as C's do, and it has no runtime of its own. It works
//! with one (tokio, smol, ...) in two ways.
//!
//! **Set a socket up, then hand it over.** Create a [`Socket`], give it the
//! options the runtime's types have no method for, bind and listen (or
//! connect), make it non-blocking, and convert it into the std type:
//! `tokio::net::TcpListener::from_std`, `TcpStream::from_std`,
//! `UdpSocket::from_std` and their `Unix*` siblings take exactly those, and
//! expect them non-blocking already; smol's `Async::new` takes them too (and
//! sets `O_NONBLOCK` itself). An accepted connection
//! is handed over the same way, non-blocking from the start with
//! [`accept4`]`(&l, AcceptFlags::NONBLOCK)`.
//!
//! **Call the free functions on the runtime's sockets.** Every call takes `impl
//! AsFd`, and the runtimes' sockets implement `AsFd`: `setsockopt(&stream,
//! opt::TCP_NODELAY, true)` or `getsockname(&listener)` works on a
//! `tokio::net::TcpStream` as on a std one. Calls that never wait (options,
//! names, `shutdown`) are fine inside a task. Calls that wait for data
//! belong to the runtime: on its non-blocking sockets they fail with `EAGAIN`
//! ([`Error::kind`] is `WouldBlock`) rather than wait, and readiness is the
//! runtime's to track (tokio's `AsyncFd` takes any `AsRawFd`, a [`Socket`] too).
//!
//! The same steps with std types only (each comment names the runtime's call):
//!
//! ```
//! use std::io::{Read, Write};
//! use std::net::{TcpListener, TcpStream};
//! use bsdsock::opt::{self, getsockopt, setsockopt};
//! use bsdsock::{accept4, AcceptFlags, Domain, Protocol, Socket, Type, SOMAXCONN};
//! // Set up with typed options, then hand over:
//! let s = Socket::new(Domain::INET6, Type::STREAM, Protocol::TCP)?;
//! s.set(opt::SO_REUSEADDR, true)?;
//! s.set(opt::IPV6_V6ONLY, false)?; // one socket for IPv4 and IPv6 clients
//! s.bind(&"[::]:0".parse()?)?;
//! s.listen(SOMAXCONN)?;
//! s.set_nonblocking(true)?;
//! let listener = TcpListener::from(s); // tokio::net::TcpListener::from_std(listener)?
//! let port = listener.local_addr().unwrap().port();
//!
//! // Free functions on sockets that someone else owns (anything AsFd):
//! let mut client = TcpStream::connect(("127.0.0.1", port)).unwrap(); // tokio's connect
//! setsockopt(&client, opt::TCP_NODELAY, true)?;
//! assert!(getsockopt(&client, opt::TCP_NODELAY)?);
//! assert_eq!(bsdsock::getsockname(&listener)?.port(), Some(port));
//!
//! // An accepted connection, non-blocking from the start, handed over too:
//! let (conn, _peer) = accept4(&listener, AcceptFlags::NONBLOCK)?;
//! conn.set(opt::SO_KEEPALIVE, true)?;
//! let mut conn = TcpStream::from(conn); // tokio::net::TcpStream::from_std(conn)?
//! client.write_all(b"hi").unwrap();
//! let mut buf = [0u8; 2];
//! conn.set_nonblocking(false).unwrap(); // std reads block; a runtime's would await
//! conn.read_exact(&mut buf).unwrap();
//! assert_eq!(&buf, b"hi");
//! # Ok::<(), bsdsock::Error>(())
//! ```
//!
//! ## Platforms
//! Linux is built and tested in CI with glibc (x86_64, i686) and musl (x86_64);
//! aarch64 Linux, FreeBSD, macOS, NetBSD, OpenBSD and illumos are type-checked
//! in CI (library, tests, examples and benches). An item a system lacks is absent there; the docs
//! say where each platform-limited item exists. The README's "Platforms" table
//! lists what is absent on each target.
#![cfg_attr(docsrs, feature(doc_cfg))]
// `unsafe` lives in `sys` (and in the one `FromRawFd` impl the trait forces), where
// every block states why it is sound; the compiler keeps it from spreading.
#![deny(unsafe_code)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

mod addr;
mod error;
mod io;
mod msg;
pub mod netdb;
mod netif;
mod newtype;
mod nonblock;
pub mod opt;
mod poll;
mod socket;
// The only module that calls C; it imports nothing from the modules above it.
#[allow(unsafe_code)]
mod sys;

pub use addr::*;
pub use error::{Attempt, AttemptList, Errno, Error, InputText, Reason, Result};
pub use io::{LineReader, MAXLINE, readn, writen};
pub use msg::*;
pub use netif::{IF_NAMESIZE, if_indextoname, if_nameindex, if_nametoindex};
pub use nonblock::{connect_timeout, is_cloexec, is_nonblocking, set_cloexec, set_nonblocking};
pub use opt::{getsockopt, getsockopt_raw, setsockopt, setsockopt_raw};
pub use poll::{FD_SETSIZE, FdSet, FdSetIter, PollFd, PollFlags, poll, select};
pub use socket::{
    AcceptFlags, Domain, MsgFlags, Protocol, SOMAXCONN, Socket, Type, accept, accept4, bind, close,
    connect, getpeername, getsockname, listen, recv, recvfrom, send, sendto, shutdown, socket,
    socketpair,
};
/// `std::net::Shutdown`, the `how` of [`shutdown`]: `Read`, `Write` or `Both`
/// (`SHUT_RD`, `SHUT_WR`, `SHUT_RDWR`).
///
/// ```
/// use bsdsock::{shutdown, socketpair, Domain, Shutdown, Type};
/// let (a, _b) = socketpair(Domain::UNIX, Type::STREAM, Default::default())?;
/// shutdown(&a, Shutdown::Write)?;
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[doc(no_inline)]
pub use std::net::Shutdown;
