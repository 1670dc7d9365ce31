//! Level `IPPROTO_TCP` (`SOL_TCP`), [`tcp(7)`](https://man7.org/linux/man-pages/man7/tcp.7.html):
//! TCP options, on stream sockets of `AF_INET` / `AF_INET6`.

#[cfg(target_os = "linux")]
use std::time::Duration;

use super::options;
#[cfg(target_os = "linux")]
use super::{Millis, Name, Secs, TcpInfo, TcpRepair};

options! {
    level = IPPROTO_TCP, man = tcp;

    /// The maximum segment size. Before the connection exists it reads back
    /// the default (536 on Linux) and setting it caps the MSS announced in the
    /// SYN; after, it reads the MSS in use.
    TCP_MAXSEG: rw u32;

    /// Disable Nagle's algorithm: send small segments at once instead of
    /// coalescing them while data is unacknowledged.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, setsockopt, TCP_NODELAY};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    /// assert!(!getsockopt(&s, TCP_NODELAY)?);
    /// setsockopt(&s, TCP_NODELAY, true)?;
    /// assert!(getsockopt(&s, TCP_NODELAY)?);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    TCP_NODELAY: rw bool;

    /// With [`SO_KEEPALIVE`](super::SO_KEEPALIVE): idle time before the first
    /// probe (Linux default 2 hours). Whole seconds, 1 to 32767; a fraction
    /// rounds up. See [`Secs`].
    #[cfg(target_os = "linux")]
    TCP_KEEPIDLE: rw Duration as Secs;

    /// Time between keep-alive probes (Linux default 75 s). Whole seconds, 1 to
    /// 32767; a fraction rounds up.
    #[cfg(target_os = "linux")]
    TCP_KEEPINTVL: rw Duration as Secs;

    /// Unanswered keep-alive probes before the connection is dropped (Linux
    /// default 9; 1 to 127).
    #[cfg(target_os = "linux")]
    TCP_KEEPCNT: rw u32;

    /// Cork the stream: hold partial segments until uncorked or 200 ms pass
    /// (Linux); uncorking sends what is queued.
    #[cfg(target_os = "linux")]
    TCP_CORK: rw bool;

    /// Acknowledge at once rather than delaying ACKs (Linux). Not permanent: the
    /// kernel may return to delayed ACKs, so it is set again after reads.
    #[cfg(target_os = "linux")]
    TCP_QUICKACK: rw bool;

    /// How long sent data may stay unacknowledged before the connection is
    /// dropped with `ETIMEDOUT` (Linux, RFC 5482). In milliseconds, a fraction
    /// rounding up; `Duration::ZERO` means the system default.
    #[cfg(target_os = "linux")]
    TCP_USER_TIMEOUT: rw Duration as Millis;

    /// The congestion-control algorithm (Linux): `"cubic"`, `"reno"`, `"bbr"`,
    /// ... Takes a [`Name`] or a `&str`; an algorithm not loaded fails with
    /// `ENOENT`, one not in `net.ipv4.tcp_allowed_congestion_control` needs
    /// `CAP_NET_ADMIN` (`EPERM`).
    #[cfg(target_os = "linux")]
    TCP_CONGESTION: rw Name;

    /// Queue no more than this many unsent bytes before the socket stops being
    /// writable (Linux 3.12). `None` reads back when there is no limit
    /// (`net.ipv4.tcp_notsent_lowat` is `UINT_MAX`, the default) and sets no
    /// limit; `Some(0)` restores the system default.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, setsockopt, TCP_NOTSENT_LOWAT};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    /// setsockopt(&s, TCP_NOTSENT_LOWAT, Some(16384))?;
    /// assert_eq!(getsockopt(&s, TCP_NOTSENT_LOWAT)?, Some(16384));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(target_os = "linux")]
    TCP_NOTSENT_LOWAT: rw Option<usize>;

    /// Linear instead of exponential retransmission backoff for thin streams
    /// (Linux).
    #[cfg(target_os = "linux")]
    TCP_THIN_LINEAR_TIMEOUTS: rw bool;

    /// Let `connect` return at once and send the first data in the SYN (TCP Fast
    /// Open, client side, Linux 4.11).
    #[cfg(target_os = "linux")]
    TCP_FASTOPEN_CONNECT: rw bool;

    /// Repair mode, to checkpoint and restore connections (Linux); needs
    /// `CAP_NET_ADMIN` (`EPERM`). See [`TcpRepair`].
    #[cfg(target_os = "linux")]
    TCP_REPAIR: rw TcpRepair;

    /// Attach an upper-layer protocol to the connection (Linux): `"tls"` for
    /// kernel TLS, `"mptcp"`, ... Takes a [`Name`] or a `&str`; an unknown one
    /// fails with `ENOENT`, an unconnected socket with `ENOTCONN`.
    #[cfg(target_os = "linux")]
    TCP_ULP: w Name;

    /// Statistics and state of the connection (Linux); see [`TcpInfo`].
    #[cfg(target_os = "linux")]
    TCP_INFO: r TcpInfo;

    /// Enable TCP Fast Open on a listener, with this many pending Fast Open
    /// requests allowed (Linux 3.7; `net.ipv4.tcp_fastopen` must allow servers).
    #[cfg(target_os = "linux")]
    TCP_FASTOPEN: rw u32;

    /// On a listener, wake `accept` only when data arrives, waiting at most this
    /// long (Linux). Whole seconds, a fraction rounding up; the kernel keeps it
    /// as a count of SYN-ACK retransmissions, so it reads back rounded up to the
    /// retransmission schedule (1, 3, 7, 15, ... s at the default timeout).
    #[cfg(target_os = "linux")]
    TCP_DEFER_ACCEPT: rw Duration as Secs;

    /// SYN retransmissions before `connect` gives up (Linux; 1 to 127; reads
    /// back `net.ipv4.tcp_syn_retries` until set).
    #[cfg(target_os = "linux")]
    TCP_SYNCNT: rw u32;

    /// How long an orphaned connection stays in FIN_WAIT2 (Linux). `Some(t)` in
    /// whole seconds (`Duration::ZERO`: the system's `net.ipv4.tcp_fin_timeout`,
    /// which is what then reads back); `None` (-1) skips FIN_WAIT2 and resets.
    ///
    /// ```
    /// use std::time::Duration;
    /// use bsdsock::opt::{getsockopt, setsockopt, TCP_LINGER2};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    /// setsockopt(&s, TCP_LINGER2, Some(Duration::from_secs(10)))?;
    /// assert_eq!(getsockopt(&s, TCP_LINGER2)?, Some(Duration::from_secs(10)));
    /// setsockopt(&s, TCP_LINGER2, None)?;
    /// assert_eq!(getsockopt(&s, TCP_LINGER2)?, None);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[cfg(target_os = "linux")]
    TCP_LINGER2: rw Option<Duration> as Secs;

    /// Bound the advertised receive window, in bytes (Linux; at least half the
    /// minimum receive buffer).
    #[cfg(target_os = "linux")]
    TCP_WINDOW_CLAMP: rw u32;
}
