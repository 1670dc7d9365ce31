//! Errors: which call failed and why.
//!
//! Every fallible function returns [`Result`]. An OS failure is [`Error::Os`], which
//! names the C call and carries its [`Errno`], so it prints the way `perror(3)` would
//! (`bind: Address already in use (EADDRINUSE)`) and still converts to an
//! [`std::io::Error`] with the same `raw_os_error()` and `kind()`.

mod errno;

use std::borrow::Cow;

pub use errno::Errno;

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
/// assert_eq!(err.to_string(), "bind: Address already in use (EADDRINUSE)");
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
    #[error("invalid address {input:?}: {reason}")]
    AddrParse {
        /// The text that was given.
        input: String,
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
            Error::Os { errno, .. } => Some(*errno),
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
            Error::Os { errno, .. } => errno.kind(),
            Error::InvalidInput { .. } | Error::AddrParse { .. } => {
                std::io::ErrorKind::InvalidInput
            }
            Error::Decode { .. } => std::io::ErrorKind::InvalidData,
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
    /// OS errors keep their `raw_os_error()` (and so their `kind()`); the others
    /// become an error of the matching kind that displays the same text.
    fn from(e: Error) -> Self {
        match e {
            Error::Os { errno, .. } => std::io::Error::from_raw_os_error(errno.raw()),
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
