//! [`Name`]: the short kernel names of `SO_BINDTODEVICE`, `TCP_CONGESTION` and
//! `TCP_ULP`, with their codecs.

use std::fmt;

use super::codec::{Decode, Encode, Refusal, Sealed};
use super::shape::Bytes;
use crate::{Error, Result};

/// Bytes a kernel name holds, without its NUL: `IFNAMSIZ - 1` for interfaces,
/// `TCP_CA_NAME_MAX - 1` / `TCP_ULP_NAME_MAX - 1` for TCP algorithms.
const NAME_MAX: usize = libc::IFNAMSIZ - 1;
/// What the kernel writes back: the name and its NUL padding.
const NAME_BUF: usize = NAME_MAX + 1;

/// A short kernel name: an interface (`SO_BINDTODEVICE`, at most `IFNAMSIZ - 1` =
/// 15 bytes) or a TCP congestion-control / upper-layer protocol (`TCP_CONGESTION`,
/// `TCP_ULP`, also 15). Kept on the stack; never empty, never longer than the
/// kernel would keep (Linux silently cuts longer names: here that is an error),
/// never containing NUL.
///
/// Options that take a `Name` also take a `&str`, checked the same way.
///
/// ```
/// use bsdsock::opt::{getsockopt, setsockopt, Name, TCP_CONGESTION};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// let s = socket(Domain::INET, Type::STREAM, Protocol::TCP)?;
/// setsockopt(&s, TCP_CONGESTION, "reno")?;
/// assert_eq!(getsockopt(&s, TCP_CONGESTION)?, "reno");
/// assert!(Name::new("a-name-that-is-too-long").is_err());
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Name {
    buf: [u8; NAME_MAX],
    len: u8,
}

impl Name {
    /// Checks `name`: 1 to 15 bytes, no NUL.
    ///
    /// ```
    /// let lo = bsdsock::opt::Name::new("lo")?;
    /// assert_eq!(lo.as_str(), "lo");
    /// assert!(bsdsock::opt::Name::new("").is_err());
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn new(name: &str) -> Result<Name> {
        Name::checked(name).map_err(|r| r.into_error("Name::new"))
    }

    fn checked(name: &str) -> Result<Name, Refusal> {
        let bytes = name.as_bytes();
        if bytes.is_empty() {
            return Err(Refusal::Invalid("empty name"));
        }
        if bytes.len() > NAME_MAX {
            return Err(Refusal::Invalid("name longer than the kernel's 15 bytes (IFNAMSIZ - 1)"));
        }
        if bytes.contains(&0) {
            return Err(Refusal::Invalid("name contains a NUL byte"));
        }
        let mut buf = [0u8; NAME_MAX];
        buf[..bytes.len()].copy_from_slice(bytes);
        Ok(Name { buf, len: bytes.len() as u8 })
    }

    /// The name as text.
    ///
    /// ```
    /// assert_eq!(bsdsock::opt::Name::new("cubic")?.as_str(), "cubic");
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn as_str(&self) -> &str {
        // Built only from a &str or from bytes checked with from_utf8.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    fn as_bytes(&self) -> &[u8] {
        &self.buf[..usize::from(self.len)]
    }

    /// Decodes what the kernel wrote: the name, then NULs (or nothing after it).
    /// `Ok(None)` for an empty answer.
    fn from_kernel(raw: &[u8]) -> Result<Option<Name>, Refusal> {
        let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
        if end == 0 {
            return Ok(None);
        }
        if end > NAME_MAX {
            return Err(Refusal::Decode("name without a NUL within 16 bytes"));
        }
        let text =
            std::str::from_utf8(&raw[..end]).map_err(|_| Refusal::Decode("name is not UTF-8"))?;
        Name::checked(text).map(Some)
    }

    /// The bytes `setsockopt` passes: the name alone, since the kernel copies
    /// `optlen` bytes and terminates them itself.
    fn to_c(self) -> Bytes<NAME_MAX> {
        Bytes::new(self.as_bytes()).unwrap_or(Bytes::EMPTY)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::str::FromStr for Name {
    type Err = Error;
    fn from_str(s: &str) -> Result<Name> {
        Name::new(s)
    }
}

impl TryFrom<&str> for Name {
    type Error = Error;
    fn try_from(s: &str) -> Result<Name> {
        Name::new(s)
    }
}

/// Codecs of the two forms: `Name` (always set) and `Option<Name>` (`None` is
/// "not bound": the kernel answers with length 0). Both are set from a `Name` or
/// a `&str`.
macro_rules! name_codec {
    ($($codec:ty: |$n:ident| $from:expr;)*) => {$(
        impl Sealed for $codec {}
        impl Decode<$codec> for $codec {
            type C = Bytes<NAME_BUF>;
            fn decode(c: Bytes<NAME_BUF>) -> Result<$codec, Refusal> {
                let $n = Name::from_kernel(c.written()?)?;
                $from
            }
        }
        impl Encode<Name> for $codec {
            type C = Bytes<NAME_MAX>;
            fn encode(v: Name) -> Result<Bytes<NAME_MAX>, Refusal> {
                Ok(v.to_c())
            }
        }
        impl<'a> Encode<&'a str> for $codec {
            type C = Bytes<NAME_MAX>;
            fn encode(v: &'a str) -> Result<Bytes<NAME_MAX>, Refusal> {
                Name::checked(v).map(Name::to_c)
            }
        }
    )*};
}

name_codec! {
    Name: |n| n.ok_or(Refusal::Decode("empty name"));
    Option<Name>: |n| Ok(n);
}

/// `None` unbinds (an empty value).
impl Encode<Option<Name>> for Option<Name> {
    type C = Bytes<NAME_MAX>;
    fn encode(v: Option<Name>) -> Result<Bytes<NAME_MAX>, Refusal> {
        Ok(v.map_or(Bytes::EMPTY, Name::to_c))
    }
}

#[cfg(test)]
mod tests;
