//! Level `SOL_SOCKET`, [`socket(7)`](https://man7.org/linux/man-pages/man7/socket.7.html):
//! options of the socket itself, whatever its protocol.

#[cfg(target_os = "linux")]
use std::os::fd::OwnedFd;
use std::time::Duration;

use super::{Linger, Timeval, options};
#[cfg(target_os = "linux")]
use super::{Micros, Name, SockFilter, SockFprog, SockTxtime, TimestampingFlags, UCred};
#[cfg(target_os = "linux")]
use crate::{Domain, Protocol};
use crate::{Errno, Type};

options! {
    level = SOL_SOCKET, man = socket;

    /// Whether the socket is listening: `true` once [`listen`](crate::listen)
    /// has been called.
    SO_ACCEPTCONN: r bool;

    /// Permission to send to a broadcast address. Without it, `sendto` to
    /// `255.255.255.255` or a subnet's broadcast address fails with `EACCES`.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, setsockopt, SO_BROADCAST};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    /// assert!(!getsockopt(&s, SO_BROADCAST)?);
    /// setsockopt(&s, SO_BROADCAST, true)?;
    /// assert!(getsockopt(&s, SO_BROADCAST)?);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    SO_BROADCAST: rw bool;

    /// Protocol debugging. Linux: turning it on needs `CAP_NET_ADMIN`, and fails
    /// with `EACCES` (not `EPERM`) without it.
    SO_DEBUG: rw bool;

    /// Bypass the routing table: send only to hosts on a directly connected
    /// network, as `MSG_DONTROUTE` does for one call.
    SO_DONTROUTE: rw bool;

    /// The pending socket error, `None` if there is none. **Reading it clears
    /// it.** After a non-blocking `connect` (`EINPROGRESS`) the socket becomes
    /// writable when the attempt ends, and this is its result.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, SO_ERROR};
    /// let s = bsdsock::socket(bsdsock::Domain::INET, bsdsock::Type::STREAM, Default::default())?;
    /// assert_eq!(getsockopt(&s, SO_ERROR)?, None);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    SO_ERROR: r Option<Errno>;

    /// Send keep-alive probes on an idle connection, to notice a peer that
    /// vanished without closing (see [`TCP_KEEPIDLE`](super::TCP_KEEPIDLE),
    /// [`TCP_KEEPINTVL`](super::TCP_KEEPINTVL), [`TCP_KEEPCNT`](super::TCP_KEEPCNT)
    /// for the timing).
    SO_KEEPALIVE: rw bool;

    /// What `close` does with unsent data: `None` (the default) returns at once
    /// and delivers in the background; `Some(t)` blocks up to `t` for delivery;
    /// `Some(Duration::ZERO)` aborts: unsent data is discarded, the peer gets an
    /// RST (its `recv` fails with `ECONNRESET`) and there is no TIME_WAIT.
    /// Whole seconds: a fraction rounds up. See [`Linger`].
    SO_LINGER: rw Option<Duration> as Linger;

    /// Receive out-of-band data in the normal stream instead of with `MSG_OOB`.
    SO_OOBINLINE: rw bool;

    /// The receive buffer size in bytes. Linux: reads back **twice** the value
    /// set (half is kept for the kernel's own bookkeeping), capped at
    /// `net.core.rmem_max` and raised to a minimum; set it before `listen` or
    /// `connect` for it to shape the TCP window.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, setsockopt, SO_RCVBUF};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    /// setsockopt(&s, SO_RCVBUF, 65536)?;
    /// assert_eq!(getsockopt(&s, SO_RCVBUF)?, 2 * 65536); // Linux doubles it
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    SO_RCVBUF: rw usize;

    /// The send buffer size in bytes. Linux: reads back **twice** the value set,
    /// capped at `net.core.wmem_max` and raised to a minimum.
    SO_SNDBUF: rw usize;

    /// The receive low-water mark: a blocking `recv` waits for at least this
    /// many bytes (default 1).
    SO_RCVLOWAT: rw usize;

    /// The send low-water mark. Linux: **read-only**, always 1; setting it fails
    /// with `ENOPROTOOPT`, so there is no setter here.
    #[cfg(target_os = "linux")]
    SO_SNDLOWAT: r usize;

    /// The send low-water mark: `select`/`poll` report the socket writable when
    /// at least this many bytes of buffer are free.
    #[cfg(not(target_os = "linux"))]
    SO_SNDLOWAT: rw usize;

    /// The receive timeout: a blocking receive that waits longer fails with
    /// `EAGAIN`. `None` (the default) waits for ever; `Some(Duration::ZERO)` is
    /// refused (C reads 0 as "no timeout"), as is a duration above
    /// [`Timeval::MAX`] (Linux would store "no timeout"). Rounded up to whole
    /// microseconds, then by Linux to its clock tick, so it can read back
    /// larger. See [`Timeval`].
    SO_RCVTIMEO: rw Option<Duration> as Timeval;

    /// The send timeout: a blocking send that waits longer returns what it sent
    /// or fails with `EAGAIN`. Same encoding and rounding as
    /// [`SO_RCVTIMEO`].
    SO_SNDTIMEO: rw Option<Duration> as Timeval;

    /// Allow `bind` to an address that sockets in TIME_WAIT still hold, so a
    /// server can restart at once (set it on the listener before `bind`; Linux
    /// wants it on the old socket too). Not a licence for two listeners on one
    /// port: that is [`SO_REUSEPORT`].
    SO_REUSEADDR: rw bool;

    /// Let several sockets bind the same address and port (Linux: all of the same
    /// user, all with this set before `bind`); the kernel spreads connections or
    /// datagrams between them. Not on illumos, whose socket.h(3HEAD) has no
    /// such option.
    #[cfg(not(any(target_os = "illumos", target_os = "solaris")))]
    SO_REUSEPORT: rw bool;

    /// The socket type given to `socket`, without `SOCK_NONBLOCK` /
    /// `SOCK_CLOEXEC`. A value outside the kernel's socket types is a decode
    /// error.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, SO_TYPE};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET, Type::STREAM.nonblocking(), Protocol::DEFAULT)?;
    /// assert_eq!(getsockopt(&s, SO_TYPE)?, Type::STREAM);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    SO_TYPE: r Type;

    /// The socket's address family (Linux).
    #[cfg(target_os = "linux")]
    SO_DOMAIN: r Domain;

    /// The socket's protocol (Linux): `IPPROTO_TCP` for a TCP socket even if it
    /// was created with protocol 0.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, SO_DOMAIN, SO_PROTOCOL};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET6, Type::STREAM, Protocol::DEFAULT)?;
    /// assert_eq!(getsockopt(&s, SO_DOMAIN)?, Domain::INET6);
    /// assert_eq!(getsockopt(&s, SO_PROTOCOL)?, Protocol::TCP);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(target_os = "linux")]
    SO_PROTOCOL: r Protocol;

    /// Bind the socket to one interface, by name (Linux): it sends and receives
    /// only through it. `None` reads back when unbound, and unbinds when set.
    /// Takes a [`Name`] or a `&str` (at most 15 bytes: longer is an error, not
    /// Linux's silent cut). Binding an unbound socket is allowed to anyone since
    /// Linux 5.7; changing an existing binding needs `CAP_NET_RAW` (`EPERM`).
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, setsockopt, SO_BINDTODEVICE};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    /// assert_eq!(getsockopt(&s, SO_BINDTODEVICE)?, None);
    /// setsockopt(&s, SO_BINDTODEVICE, "lo")?;
    /// assert_eq!(getsockopt(&s, SO_BINDTODEVICE)?.unwrap(), "lo");
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(target_os = "linux")]
    SO_BINDTODEVICE: rw Option<Name>;

    /// Bind the socket to one interface, by index (Linux 5.0); 0 reads back when
    /// unbound, and unbinds when set. Same privilege rules as
    /// [`SO_BINDTODEVICE`].
    #[cfg(target_os = "linux")]
    SO_BINDTOIFINDEX: rw u32;

    /// Busy-poll the device for this long before sleeping in a blocking receive
    /// (Linux), in microseconds (rounded up). Older kernels refuse to raise it
    /// above `net.core.busy_read` without `CAP_NET_ADMIN` (`EPERM`); Linux 6.18,
    /// where this crate is tested, allows it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use bsdsock::opt::{getsockopt, SO_BUSY_POLL};
    /// let s = bsdsock::socket(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// let current: Duration = getsockopt(&s, SO_BUSY_POLL)?;
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(target_os = "linux")]
    SO_BUSY_POLL: rw Duration as Micros;

    /// The CPU that handled the last packet of this socket, `None` before any
    /// (Linux). Setting it is a hint for `SO_REUSEPORT` groups.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, SO_INCOMING_CPU};
    /// let s = bsdsock::socket(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// assert_eq!(getsockopt(&s, SO_INCOMING_CPU)?, None); // no packet yet
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(target_os = "linux")]
    SO_INCOMING_CPU: rw Option<u32>;

    /// The priority of the socket's packets, for queueing disciplines (Linux).
    /// 0 to 6 for anyone; above 6 needs `CAP_NET_ADMIN` (`EPERM`).
    #[cfg(target_os = "linux")]
    SO_PRIORITY: rw u32;

    /// The firewall mark of the socket's packets (Linux); needs `CAP_NET_ADMIN`
    /// or `CAP_NET_RAW` (`EPERM`).
    #[cfg(target_os = "linux")]
    SO_MARK: rw u32;

    /// Deliver each packet's firewall mark as an `SO_MARK` control message
    /// (Linux 5.19).
    #[cfg(target_os = "linux")]
    SO_RCVMARK: rw bool;

    /// A number the kernel gives the socket for its whole life, unique while the
    /// system runs (Linux 4.12); the key of BPF socket maps and `ss -e`.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, SO_COOKIE};
    /// let s = bsdsock::socket(bsdsock::Domain::INET, bsdsock::Type::DGRAM, Default::default())?;
    /// let cookie: u64 = getsockopt(&s, SO_COOKIE)?;
    /// assert_eq!(getsockopt(&s, SO_COOKIE)?, cookie);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(target_os = "linux")]
    SO_COOKIE: r u64;

    /// Receive the sender's credentials as an `SCM_CREDENTIALS` control message
    /// on a Unix socket (Linux).
    #[cfg(target_os = "linux")]
    SO_PASSCRED: rw bool;

    /// The credentials of the peer of a connected Unix socket (Linux), as they
    /// were at `connect` / `socketpair`. See [`UCred`].
    ///
    /// # Kernel behaviour
    /// A socket whose peer is no local process (TCP, UDP, an unconnected Unix
    /// socket) does not fail: Linux reports `pid` 0 and `uid` = `gid` =
    /// `u32::MAX` (C's `(uid_t)-1`, "no user"), so check the socket's family,
    /// or that `pid` is not 0, before trusting the answer (socket(7),
    /// unix(7)).
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, UCred, SO_PEERCRED};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    /// l.bind(&"127.0.0.1:0".parse()?)?;
    /// l.listen(1)?;
    /// let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    /// c.connect(&l.getsockname()?)?;
    /// let none = UCred { pid: 0, uid: u32::MAX, gid: u32::MAX };
    /// assert_eq!(getsockopt(&c, SO_PEERCRED)?, none);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(target_os = "linux")]
    SO_PEERCRED: r UCred;

    /// A pidfd for the process at the other end of a Unix socket (Linux 6.5): a
    /// new descriptor, owned by the caller, that names the process without the
    /// PID-reuse race of [`SO_PEERCRED`].
    ///
    /// ```
    /// use std::os::fd::{AsRawFd, OwnedFd};
    /// use bsdsock::opt::{getsockopt, SO_PEERPIDFD};
    /// let (a, _b) = bsdsock::socketpair(bsdsock::Domain::UNIX, bsdsock::Type::STREAM, Default::default())?;
    /// let pidfd: OwnedFd = getsockopt(&a, SO_PEERPIDFD)?; // closed when dropped
    /// let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{}", pidfd.as_raw_fd())).unwrap();
    /// assert!(info.contains(&format!("Pid:\t{}\n", std::process::id())));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(target_os = "linux")]
    SO_PEERPIDFD: r OwnedFd;

    /// Set the receive buffer size ignoring `net.core.rmem_max` (Linux); needs
    /// `CAP_NET_ADMIN` (`EPERM`). Read the result with [`SO_RCVBUF`] (doubled).
    #[cfg(target_os = "linux")]
    SO_RCVBUFFORCE: w usize;

    /// Set the send buffer size ignoring `net.core.wmem_max` (Linux); needs
    /// `CAP_NET_ADMIN` (`EPERM`). Read the result with [`SO_SNDBUF`] (doubled).
    #[cfg(target_os = "linux")]
    SO_SNDBUFFORCE: w usize;

    /// Report the count of packets dropped for lack of buffer space as an
    /// `SO_RXQ_OVFL` control message (Linux).
    #[cfg(target_os = "linux")]
    SO_RXQ_OVFL: rw bool;

    /// Receive each datagram's arrival time as an `SCM_TIMESTAMP` control
    /// message (`struct timeval`).
    #[cfg(target_os = "linux")]
    SO_TIMESTAMP: rw bool;

    /// Receive each datagram's arrival time as an `SCM_TIMESTAMPNS` control
    /// message (`struct timespec`, Linux).
    #[cfg(target_os = "linux")]
    SO_TIMESTAMPNS: rw bool;

    /// Which send and receive timestamps to generate and report (Linux); see
    /// [`TimestampingFlags`].
    #[cfg(target_os = "linux")]
    SO_TIMESTAMPING: rw TimestampingFlags;

    /// Time-based packet transmission (Linux 4.19); see [`SockTxtime`].
    #[cfg(target_os = "linux")]
    SO_TXTIME: rw SockTxtime;

    /// Attach a classic BPF program that filters what the socket receives
    /// (Linux). Takes a `&[SockFilter]` or `&[SockFilter; N]`; see
    /// [`SockFilter`].
    #[cfg(target_os = "linux")]
    SO_ATTACH_FILTER: w &'static [SockFilter] as SockFprog;

    /// Remove the attached filter (Linux); the value is `()`. `ENOENT` if there
    /// is none.
    #[cfg(target_os = "linux")]
    SO_DETACH_FILTER: w ();

    /// Attach a classic BPF program that picks which socket of an
    /// [`SO_REUSEPORT`] group gets each packet (Linux 4.5): it returns the index
    /// of the socket in the group.
    #[cfg(target_os = "linux")]
    SO_ATTACH_REUSEPORT_CBPF: w &'static [SockFilter] as SockFprog;

    /// The offset at which `recv(MSG_PEEK)` peeks, advancing with each peek
    /// (Linux; Unix sockets, and TCP/UDP since Linux 6.10). `None` (-1, the
    /// default) turns it off.
    #[cfg(target_os = "linux")]
    SO_PEEK_OFF: rw Option<u32>;

    /// Allow `send(MSG_ZEROCOPY)`: the kernel sends from the caller's pages and
    /// reports completion on the error queue (Linux 4.14).
    #[cfg(target_os = "linux")]
    SO_ZEROCOPY: rw bool;
}
