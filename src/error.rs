//! Errors: which call failed and why.
//!
//! Every fallible function returns [`Result`]. An OS failure is [`Error::Os`], which
//! names the C call and carries its [`Errno`], so it prints the way `perror(3)` would
//! (`bind: Address already in use (EADDRINUSE)`) and still converts to an
//! [`std::io::Error`] with the same `raw_os_error()` and `kind()`.

mod errno;
mod input;

use std::borrow::Cow;

pub use errno::Errno;
pub use input::InputText;
pub(crate) use input::zero_padded;

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
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
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
        reason: Cow<'static, str>,
    },
    /// Text that is not an address in the expected form.
    #[error("invalid address {input}: {reason}")]
    AddrParse {
        /// The text that was given (its first bytes, if it was long), quoted
        /// when printed.
        input: InputText,
        /// What was wrong with it.
        reason: &'static str,
    },
    /// The kernel handed back a value this crate cannot represent (an unknown
    /// address family, a length that does not fit its struct, ...).
    #[error("{call}: unexpected value from the kernel: {reason}")]
    Decode {
        /// The call whose answer could not be decoded.
        call: &'static str,
        /// What did not fit.
        reason: Cow<'static, str>,
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
        code: crate::netdb::HErrno,
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
        code: crate::netdb::EaiCode,
        /// The errno behind `EAI_SYSTEM`; `None` for every other code.
        errno: Option<Errno>,
    },
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
            Error::Os { errno, .. } | Error::Partial { errno, .. } => Some(*errno),
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
    pub fn os(call: &'static str, errno: Errno) -> Error {
        Error::Os { call, errno }
    }

    /// The `std::io::ErrorKind` this error maps to.
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// let e = bsdsock::Error::os("bind", bsdsock::Errno::EADDRINUSE);
    /// assert_eq!(e.kind(), ErrorKind::AddrInUse);
    /// ```
    pub fn kind(&self) -> std::io::ErrorKind {
        match self {
            Error::Os { errno, .. } | Error::Partial { errno, .. } => errno.kind(),
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

    pub(crate) fn invalid(call: &'static str, reason: impl Into<Cow<'static, str>>) -> Error {
        Error::InvalidInput { call, reason: reason.into() }
    }

    pub(crate) fn decode(call: &'static str, reason: impl Into<Cow<'static, str>>) -> Error {
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

/// Turns a raw `-1`-and-errno result from `sys` into an [`Error::Os`] naming `call`.
pub(crate) trait Context<T> {
    fn ctx(self, call: &'static str) -> Result<T>;
}

impl<T> Context<T> for std::result::Result<T, Errno> {
    #[inline]
    fn ctx(self, call: &'static str) -> Result<T> {
        self.map_err(|errno| Error::Os { call, errno })
    }
}
