//! [`Reason`]: why an argument, a text or a kernel answer was refused.

use std::fmt;

use super::InputText;

/// Why bsdsock refused an argument ([`Error::InvalidInput`](crate::Error::InvalidInput)),
/// a text ([`Error::AddrParse`](crate::Error::AddrParse)) or a value the kernel
/// handed back ([`Error::Decode`](crate::Error::Decode)).
///
/// The rules that recur across the API are variants with their data, so a caller
/// can match on them instead of on the message; `Display` is the message.
///
/// ```
/// use bsdsock::{Error, Reason, SockAddrUn};
/// let err = SockAddrUn::new("/tmp/a\0b").unwrap_err();
/// assert!(matches!(err, Error::InvalidInput { reason: Reason::Nul { what: "path" }, .. }));
/// assert_eq!(err.to_string(), "SockAddrUn::new: path contains a NUL byte");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// A text holds a NUL byte, where C would stop reading:
    /// `path contains a NUL byte`.
    Nul {
        /// What held it (`"path"`, `"host name"`).
        what: &'static str,
    },
    /// A text or list longer than its C field holds:
    /// `path is 109 bytes long; at most 108 fit`.
    TooLong {
        /// What was too long.
        what: &'static str,
        /// Its length.
        len: usize,
        /// The most the C field holds.
        max: usize,
    },
    /// A descriptor that `select`'s `fd_set` cannot hold:
    /// `descriptor 1024 is not below FD_SETSIZE (1024); select cannot watch it, use poll`.
    FdSetSize {
        /// The descriptor.
        fd: i32,
    },
    /// A line longer than the reader's buffer:
    /// `no newline within 8 bytes (the line limit)`.
    LineTooLong {
        /// The line limit, in bytes.
        max: usize,
    },
    /// A buffer the allocator could not give: `cannot allocate a 4096-byte buffer`.
    Alloc {
        /// Its size in bytes.
        bytes: usize,
    },
    /// The kernel reported a length its C type does not have:
    /// `2 bytes where 4 were expected`.
    Length {
        /// The length reported.
        got: usize,
        /// The length of the C type.
        want: usize,
    },
    /// The kernel handed back a number the Rust type has no value for:
    /// `77 is not a valid socket type`.
    Value {
        /// The number.
        value: i64,
        /// What it should have been.
        what: &'static str,
    },
    /// Bytes that are not UTF-8 where a `String` was due: `h_name is not UTF-8`.
    NotUtf8 {
        /// The field.
        what: &'static str,
    },
    /// A port that is not a decimal number in `0..=65535`:
    /// `port "8o80" is not a number in 0..=65535`.
    Port {
        /// The text given as the port (its first bytes, if long).
        text: InputText,
    },
    /// Any other rule, as one sentence (`the timeout must not be zero`).
    Rule(&'static str),
    /// An IPv4 octet above 255: `octet 999 is over 255`.
    Octet {
        /// The octet's digits as given (their first bytes, if long).
        text: InputText,
    },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Nul { what } => write!(f, "{what} contains a NUL byte"),
            Reason::TooLong { what, len, max } => {
                write!(f, "{what} is {len} bytes long; at most {max} fit")
            }
            Reason::FdSetSize { fd } => write!(
                f,
                "descriptor {fd} is not below FD_SETSIZE ({}); select cannot watch it, use poll",
                libc::FD_SETSIZE
            ),
            Reason::LineTooLong { max } => {
                write!(f, "no newline within {max} bytes (the line limit)")
            }
            Reason::Alloc { bytes } => write!(f, "cannot allocate a {bytes}-byte buffer"),
            Reason::Length { got, want } => write!(f, "{got} bytes where {want} were expected"),
            Reason::Value { value, what } => write!(f, "{value} is not a valid {what}"),
            Reason::NotUtf8 { what } => write!(f, "{what} is not UTF-8"),
            Reason::Port { text } => write!(f, "port {text} is not a number in 0..=65535"),
            Reason::Octet { text } => {
                let cut = if text.is_cut() { "…" } else { "" };
                write!(f, "octet {}{cut} is over 255", text.as_str())
            }
            Reason::Rule(rule) => f.write_str(rule),
        }
    }
}

impl From<&'static str> for Reason {
    /// A fixed sentence: [`Reason::Rule`].
    fn from(rule: &'static str) -> Reason {
        Reason::Rule(rule)
    }
}
