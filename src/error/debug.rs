//! `Debug` for [`Error`]: the variant and its fields, each code with its text.
//!
//! A `main` that returns `Result<(), bsdsock::Error>` prints the error with
//! `Debug`, so it must read as well as `Display`: a bare `ECONNREFUSED` says less
//! than `perror` would. Each code is shown with the C library's text for it.

use std::fmt;

use super::Error;

/// A code with its message: `ECONNREFUSED (Connection refused)`.
struct Coded<C: fmt::Debug, M: fmt::Display>(C, M);

impl<C: fmt::Debug, M: fmt::Display> fmt::Debug for Coded<C, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ({})", self.0, self.1)
    }
}

/// A value shown by its `Display` (a reason is a sentence).
struct Text<T: fmt::Display>(T);

impl<T: fmt::Display> fmt::Debug for Text<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.0)
    }
}

impl fmt::Debug for Error {
    /// `Os { call: "connect", errno: ECONNREFUSED (Connection refused) }`.
    ///
    /// ```
    /// let e = bsdsock::Error::os("connect", bsdsock::Errno::ECONNREFUSED);
    /// assert_eq!(
    ///     format!("{e:?}"),
    ///     "Os { call: \"connect\", errno: ECONNREFUSED (Connection refused) }"
    /// );
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Os { call, errno } => f
                .debug_struct("Os")
                .field("call", call)
                .field("errno", &Coded(errno, errno))
                .finish(),
            Error::Partial { call, done, errno } => f
                .debug_struct("Partial")
                .field("call", call)
                .field("done", done)
                .field("errno", &Coded(errno, errno))
                .finish(),
            Error::InvalidInput { call, reason } => f
                .debug_struct("InvalidInput")
                .field("call", call)
                .field("reason", &Text(reason))
                .finish(),
            Error::AddrParse { input, reason } => f
                .debug_struct("AddrParse")
                .field("input", input)
                .field("reason", &Text(reason))
                .finish(),
            Error::Decode { call, reason } => {
                f.debug_struct("Decode").field("call", call).field("reason", &Text(reason)).finish()
            }
            Error::Host { call, code } => f
                .debug_struct("Host")
                .field("call", call)
                .field("code", &Coded(code, code))
                .finish(),
            Error::Gai { call, code, errno } => f
                .debug_struct("Gai")
                .field("call", call)
                .field("code", &Coded(code, code))
                .field("errno", &errno.map(|e| Coded(e, e)))
                .finish(),
            Error::NotFound { call, what } => {
                f.debug_struct("NotFound").field("call", call).field("what", what).finish()
            }
            Error::Attempts { call, errno, attempts } => f
                .debug_struct("Attempts")
                .field("call", call)
                .field("errno", &Coded(errno, errno))
                .field("attempts", attempts)
                .finish(),
        }
    }
}
