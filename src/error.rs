//! Errors: which call failed and why.
//!
//! Every fallible function returns [`Result`]. An OS failure is [`Error::Os`], which
//! names the C call and carries its [`Errno`], so it prints the way `perror(3)` would
//! (`bind: Address already in use (EADDRINUSE)`) and still converts to an
//! [`std::io::Error`] with the same `raw_os_error()` and `kind()`.

mod attempts;
mod debug;
mod errno;
mod input;
mod reason;
mod resolver;

pub use attempts::{Attempt, AttemptList};
pub use errno::Errno;
pub use input::InputText;
pub(crate) use input::zero_padded;
pub use reason::Reason;
pub use resolver::{EaiCode, HErrno};

/// `Result` with bsdsock's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong in a bsdsock call.
///
/// ```
/// use bsdsock::{bind, socket, Domain, Errno, Protocol, SockAddr, Type};
/// let a = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// bind(&a, &"127.0.0.1:0".parse()?)?;
/// let taken = a.getsockname()?;
/// let b = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
/// a.listen(1)?;
/// let err = bind(&b, &taken).unwrap_err();
/// assert_eq!(err.errno(), Some(Errno::EADDRINUSE));
/// // The call, strerror(3)'s text, the symbol: with glibc,
/// // "bind: Address already in use (EADDRINUSE)".
/// assert_eq!(err.to_string(), format!("bind: {} (EADDRINUSE)", Errno::EADDRINUSE));
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // The two variants that own heap memory come first, and own a String each
    // (AttemptList is one): so declared, the rows of benches/callgrind.guard keep
    // their figures. Measured: Attempts last, or holding a Vec<Attempt> or a
    // Box<[Attempt]>, cost the inet_pton rows 1 to 8 instructions per call (the
    // drop glue of Error, inlined into every caller, and its code layout).
    /// A services or protocols lookup
    /// ([`getservbyname`](crate::netdb::getservbyname),
    /// [`getprotobynumber`](crate::netdb::getprotobynumber), ...) found no entry.
    #[error("{call}: {what} not found")]
    NotFound {
        /// The C name of the lookup.
        call: &'static str,
        /// What was looked for (`service "gopher"/tcp`, `protocol 254`).
        what: String,
    },
    /// A connect by name ([`netdb::tcp_connect_timeout`](crate::netdb::tcp_connect_timeout))
    /// found no address that would connect: each address with its last failure,
    /// in the order they were tried.
    /// `tcp_connect_timeout: Connection refused (ECONNREFUSED): [::1]:80 connect
    /// ECONNREFUSED, 127.0.0.1:80 connect ECONNREFUSED`.
    ///
    /// `errno` sums them up: `ETIMEDOUT` when the deadline passed, else the
    /// failure that came last; [`errno`](Error::errno) and [`kind`](Error::kind)
    /// are its. Converted to an `io::Error`, it keeps its kind and its text.
    ///
    /// ```
    /// use bsdsock::{Attempt, Errno, Error};
    /// let refused = |addr: &str| Attempt { addr: addr.parse().unwrap(), call: "connect", errno: Errno::ECONNREFUSED };
    /// let e = Error::Attempts {
    ///     call: "tcp_connect_timeout",
    ///     errno: Errno::ECONNREFUSED,
    ///     attempts: [refused("[::1]:80"), refused("127.0.0.1:80")].into_iter().collect(),
    /// };
    /// assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused);
    /// assert_eq!(
    ///     e.to_string(),
    ///     "tcp_connect_timeout: Connection refused (ECONNREFUSED): \
    ///      [::1]:80 connect ECONNREFUSED, 127.0.0.1:80 connect ECONNREFUSED"
    /// );
    /// ```
    #[error("{call}: {errno} ({}): {attempts}", .errno.name())]
    Attempts {
        /// The function that tried them.
        call: &'static str,
        /// `ETIMEDOUT` if the deadline passed, else the errno of the last failure.
        errno: Errno,
        /// Each address and how it failed, in the order tried
        /// ([`AttemptList::iter`] gives them as [`Attempt`]s).
        attempts: AttemptList,
    },
    /// A system call failed: `call` is its C name, `errno` the reason.
    #[error("{call}: {errno} ({})", .errno.name())]
    Os {
        /// The C name of the call that failed (`"bind"`, `"setsockopt(SO_LINGER)"`, ...).
        call: &'static str,
        /// The `errno` it set.
        errno: Errno,
    },
    /// An argument was rejected before any system call was made.
    #[error("{call}: {reason}")]
    InvalidInput {
        /// The function that refused the argument.
        call: &'static str,
        /// What was wrong with it.
        reason: Reason,
    },
    /// Text that is not an address in the expected form.
    #[error("invalid address {input}: {reason}")]
    AddrParse {
        /// The text that was given (its first bytes, if it was long), quoted
        /// when printed.
        input: InputText,
        /// What was wrong with it.
        reason: Reason,
    },
    /// The kernel handed back a value this crate cannot represent (an IP or
    /// Unix address whose length does not fit its struct, an option value of
    /// the wrong size, ...). An address of any family decodes, if need be as
    /// [`SockAddr::Other`](crate::SockAddr::Other).
    #[error("{call}: unexpected value from the kernel: {reason}")]
    Decode {
        /// The call whose answer could not be decoded.
        call: &'static str,
        /// What did not fit.
        reason: Reason,
    },
    /// A call that loops until a whole buffer has moved ([`readn`](crate::readn),
    /// [`writen`](crate::writen)) failed after `done` bytes (at least one) had
    /// already been transferred. The bytes are not lost: `buf[..done]` was read or
    /// written, and the transfer can resume at `buf[done..]` (after `EAGAIN`, once
    /// the descriptor is ready). A failure before any byte moved is [`Error::Os`].
    ///
    /// [`errno`](Error::errno) and [`kind`](Error::kind) are those of the failed
    /// call; [`bytes_done`](Error::bytes_done) gives the count.
    ///
    /// ```
    /// use bsdsock::{readn, socketpair, Domain, Errno, Error, Type};
    /// let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Default::default())?;
    /// b.set_nonblocking(true)?;
    /// a.send(b"only 10 b.", Default::default())?;
    /// let mut buf = [0u8; 100];
    /// let err = readn(&b, &mut buf).unwrap_err(); // the rest has not arrived: EAGAIN
    /// assert!(matches!(err, Error::Partial { done: 10, .. }));
    /// assert_eq!((err.bytes_done(), err.errno()), (Some(10), Some(Errno::EAGAIN)));
    /// assert_eq!(err.to_string(), "read: Resource temporarily unavailable (EAGAIN) after 10 bytes");
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[error("{call}: {errno} ({}) after {done} bytes", .errno.name())]
    Partial {
        /// The C call that failed (`"read"`, `"send"`, `"write"`).
        call: &'static str,
        /// How many bytes had been transferred before it failed (at least 1).
        done: usize,
        /// The `errno` it set.
        errno: Errno,
    },
    /// A host lookup ([`gethostbyname`](crate::netdb::gethostbyname),
    /// [`gethostbyaddr`](crate::netdb::gethostbyaddr), ...) failed with an `h_errno`
    /// code; it prints `hstrerror`'s text:
    /// `gethostbyname: Unknown host (HOST_NOT_FOUND)`.
    #[error("{call}: {code} ({})", .code.name())]
    Host {
        /// The C name of the lookup.
        call: &'static str,
        /// The `h_errno` code.
        code: HErrno,
    },
    /// [`getaddrinfo`](crate::netdb::getaddrinfo) or
    /// [`getnameinfo`](crate::netdb::getnameinfo) failed with an `EAI_*` code; it
    /// prints `gai_strerror`'s text:
    /// `getaddrinfo: Name or service not known (EAI_NONAME)`. For `EAI_SYSTEM`,
    /// `errno` holds the reason and [`Error::errno`] returns it.
    #[error("{call}: {code} ({}){}", .code.name(), gai_errno_suffix(.errno))]
    Gai {
        /// The C name of the call.
        call: &'static str,
        /// The `EAI_*` code.
        code: EaiCode,
        /// The errno behind `EAI_SYSTEM`; `None` for every other code.
        errno: Option<Errno>,
    },
}

/// `": <strerror> (ENAME)"` after an `EAI_SYSTEM` message, nothing otherwise.
fn gai_errno_suffix(errno: &Option<Errno>) -> String {
    errno.map(|e| format!(": {e} ({})", e.name())).unwrap_or_default()
}

impl Error {
    /// The `errno` behind this error, when an OS call failed.
    ///
    /// ```
    /// use bsdsock::{Error, Errno};
    /// let e = Error::os("connect", Errno::ECONNREFUSED);
    /// assert_eq!(e.errno(), Some(Errno::ECONNREFUSED));
    /// ```
    pub fn errno(&self) -> Option<Errno> {
        match self {
            Error::Os { errno, .. }
            | Error::Partial { errno, .. }
            | Error::Attempts { errno, .. } => Some(*errno),
            Error::Gai { errno, .. } => *errno,
            _ => None,
        }
    }

    /// An [`Error::Os`] for `call` failing with `errno`.
    ///
    /// ```
    /// let e = bsdsock::Error::os("listen", bsdsock::Errno::EOPNOTSUPP);
    /// assert!(e.to_string().starts_with("listen: "));
    /// ```
    #[cold]
    #[inline(never)]
    pub fn os(call: &'static str, errno: Errno) -> Error {
        Error::Os { call, errno }
    }

    /// The `std::io::ErrorKind` this error maps to, the same as std's for the same
    /// `errno`, so `err.kind() == ErrorKind::WouldBlock` reads as it does with std:
    /// `EAGAIN` is `WouldBlock`, `ECONNREFUSED` `ConnectionRefused`, `ETIMEDOUT`
    /// `TimedOut`, `EADDRINUSE` `AddrInUse`, `EINTR` `Interrupted`, ... An argument
    /// refused before any call is `InvalidInput`, an answer that cannot be decoded
    /// `InvalidData`, a name not found `NotFound`.
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use bsdsock::{socketpair, Domain, Error, Errno, MsgFlags, SockAddrUn, Type};
    /// let e = Error::os("bind", Errno::EADDRINUSE);
    /// assert_eq!(e.kind(), ErrorKind::AddrInUse);
    /// let (a, _b) = socketpair(Domain::UNIX, Type::STREAM, Default::default())?;
    /// let mut buf = [0u8; 1];
    /// let e = a.recv(&mut buf, MsgFlags::DONTWAIT).unwrap_err(); // EAGAIN
    /// assert_eq!(e.kind(), ErrorKind::WouldBlock);
    /// assert_eq!(std::io::Error::from(e).kind(), ErrorKind::WouldBlock);
    /// assert_eq!(SockAddrUn::new("a\0b").unwrap_err().kind(), ErrorKind::InvalidInput);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn kind(&self) -> std::io::ErrorKind {
        match self {
            Error::Os { errno, .. }
            | Error::Partial { errno, .. }
            | Error::Attempts { errno, .. } => errno.kind(),
            Error::InvalidInput { .. } | Error::AddrParse { .. } => {
                std::io::ErrorKind::InvalidInput
            }
            Error::Decode { .. } => std::io::ErrorKind::InvalidData,
            Error::Host { code, .. } => code.kind(),
            Error::Gai { code, errno, .. } => errno.map_or(code.kind(), Errno::kind),
            Error::NotFound { .. } => std::io::ErrorKind::NotFound,
        }
    }

    /// For an [`Error::Partial`], how many bytes moved before the failure; `None`
    /// for every other error. From [`readn`](crate::readn) and
    /// [`writen`](crate::writen), `e.bytes_done().unwrap_or(0)` is always the
    /// number of bytes transferred.
    ///
    /// ```
    /// use bsdsock::{Errno, Error};
    /// let e = Error::Partial { call: "send", done: 4096, errno: Errno::EPIPE };
    /// assert_eq!(e.bytes_done(), Some(4096));
    /// assert_eq!(Error::os("send", Errno::EPIPE).bytes_done(), None);
    /// ```
    pub fn bytes_done(&self) -> Option<usize> {
        match self {
            Error::Partial { done, .. } => Some(*done),
            _ => None,
        }
    }

    /// An [`Error::InvalidInput`]: `call` refused an argument for `reason`.
    /// Built out of line, like every error, so the success path of a wrapper
    /// carries none of it.
    #[cold]
    #[inline(never)]
    pub(crate) fn invalid(call: &'static str, reason: impl Into<Reason>) -> Error {
        Error::InvalidInput { call, reason: reason.into() }
    }

    /// An [`Error::Decode`]: what the kernel gave `call` does not fit, for `reason`.
    #[cold]
    #[inline(never)]
    pub(crate) fn decode(call: &'static str, reason: impl Into<Reason>) -> Error {
        Error::Decode { call, reason: reason.into() }
    }
}

impl From<Error> for std::io::Error {
    /// OS errors (and `EAI_SYSTEM`, which carries one) keep their `raw_os_error()`
    /// (and so their `kind()`); the others
    /// become an error of the matching kind that displays the same text.
    fn from(e: Error) -> Self {
        match e {
            // A Partial's count does not survive: read bytes_done() before converting.
            Error::Os { errno, .. }
            | Error::Partial { errno, .. }
            | Error::Gai { errno: Some(errno), .. } => {
                std::io::Error::from_raw_os_error(errno.as_raw())
            }
            other => std::io::Error::new(other.kind(), other),
        }
    }
}

/// Names the call on a failure from below: the way every error gets its `call`.
///
/// What fails beneath the public functions knows why but not which public call
/// it serves: `sys` returns an [`Errno`], a check returns a [`Reason`]. The
/// function that knows the call attaches it once, with `ctx`.
pub(crate) trait Context<T> {
    /// The `Error` for this failure of `call`.
    fn ctx(self, call: &'static str) -> Result<T>;
}

impl<T> Context<T> for std::result::Result<T, Errno> {
    /// An [`Error::Os`].
    #[inline]
    fn ctx(self, call: &'static str) -> Result<T> {
        match self {
            Ok(v) => Ok(v),
            Err(errno) => Err(Error::os(call, errno)),
        }
    }
}

impl<T> Context<T> for std::result::Result<T, Reason> {
    /// An [`Error::InvalidInput`]: a `Reason` found before any call is about
    /// the caller's argument.
    #[inline]
    fn ctx(self, call: &'static str) -> Result<T> {
        match self {
            Ok(v) => Ok(v),
            Err(reason) => Err(Error::invalid(call, reason)),
        }
    }
}
