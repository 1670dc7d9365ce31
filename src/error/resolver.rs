//! The resolver's own error codes: `h_errno` for the hostent calls, `EAI_*` for
//! getaddrinfo/getnameinfo. Both print the C library's text for the code.

use std::fmt;
use std::io::ErrorKind;

use crate::newtype::c_newtype;
use crate::sys;

/// An `h_errno` value: why `gethostbyname`, `gethostbyname2` or `gethostbyaddr`
/// found no host. Carried by [`Error::Host`](crate::Error::Host).
///
/// `Display` is `hstrerror(3)`'s text; [`HErrno::name`] is the C symbol.
///
/// ```
/// use bsdsock::netdb::HErrno;
/// assert_eq!(HErrno::HOST_NOT_FOUND.name(), "HOST_NOT_FOUND");
/// // hstrerror(3)'s text, which is the C library's own wording:
/// let text = HErrno::HOST_NOT_FOUND.to_string();
/// assert!(["Unknown host", "Host not found"].contains(&&*text)); // glibc, musl
/// assert_eq!(HErrno::NO_ADDRESS, HErrno::NO_DATA);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
#[doc(alias = "h_errno")]
#[doc(alias = "hstrerror")]
#[doc(alias = "herror")]
pub struct HErrno(i32);

impl HErrno {
    /// `HOST_NOT_FOUND`: no such host is known.
    pub const HOST_NOT_FOUND: HErrno = HErrno(sys::HOST_NOT_FOUND);
    /// `TRY_AGAIN`: a temporary failure (no answer from the name server); a later
    /// try may succeed.
    pub const TRY_AGAIN: HErrno = HErrno(sys::TRY_AGAIN);
    /// `NO_RECOVERY`: a failure that retrying will not fix (a refused or malformed
    /// query).
    pub const NO_RECOVERY: HErrno = HErrno(sys::NO_RECOVERY);
    /// `NO_DATA`: the name is valid but has no address of the requested family.
    pub const NO_DATA: HErrno = HErrno(sys::NO_DATA);
    /// `NO_ADDRESS`: the historical name of [`HErrno::NO_DATA`].
    pub const NO_ADDRESS: HErrno = HErrno(sys::NO_DATA);

    /// The C symbol (`"HOST_NOT_FOUND"`), or `"h_errno?"` for a value C does not
    /// name.
    ///
    /// ```
    /// assert_eq!(bsdsock::netdb::HErrno::NO_DATA.name(), "NO_DATA");
    /// ```
    pub const fn name(self) -> &'static str {
        match self.c_name() {
            Some(name) => name,
            None => "h_errno?",
        }
    }

    /// The C symbol, if C names this value.
    const fn c_name(self) -> Option<&'static str> {
        Some(match self.0 {
            sys::HOST_NOT_FOUND => "HOST_NOT_FOUND",
            sys::TRY_AGAIN => "TRY_AGAIN",
            sys::NO_RECOVERY => "NO_RECOVERY",
            sys::NO_DATA => "NO_DATA",
            sys::NETDB_INTERNAL => "NETDB_INTERNAL",
            _ => return None,
        })
    }

    /// The `std::io::ErrorKind` this failure maps to: `NotFound` for a host that
    /// does not exist or has no address of the family, `Other` for the rest.
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use bsdsock::netdb::HErrno;
    /// assert_eq!(HErrno::HOST_NOT_FOUND.kind(), ErrorKind::NotFound);
    /// assert_eq!(HErrno::TRY_AGAIN.kind(), ErrorKind::Other);
    /// ```
    pub fn kind(self) -> ErrorKind {
        match self.0 {
            sys::HOST_NOT_FOUND | sys::NO_DATA => ErrorKind::NotFound,
            _ => ErrorKind::Other,
        }
    }
}

impl fmt::Display for HErrno {
    /// `hstrerror(3)`'s text for the code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&sys::hstrerror(self.0))
    }
}

c_newtype! {
    HErrno, name: HErrno::c_name,
    /// Wraps a raw `h_errno` value.
    ///
    /// ```
    /// use bsdsock::netdb::HErrno;
    /// assert_eq!(HErrno::from_raw(2), HErrno::TRY_AGAIN);
    /// ```
    from_raw;
    /// The raw `h_errno` value.
    ///
    /// ```
    /// assert_eq!(bsdsock::netdb::HErrno::NO_RECOVERY.as_raw(), 3);
    /// ```
    as_raw;
}

/// An `EAI_*` code: why `getaddrinfo` or `getnameinfo` failed. Carried by
/// [`Error::Gai`](crate::Error::Gai).
///
/// `Display` is `gai_strerror(3)`'s text; [`EaiCode::name`] is the C symbol.
///
/// ```
/// use bsdsock::netdb::EaiCode;
/// assert_eq!(EaiCode::EAI_NONAME.name(), "EAI_NONAME");
/// // gai_strerror(3)'s text, which is the C library's own wording:
/// let text = EaiCode::EAI_NONAME.to_string();
/// assert!(["Name or service not known", "Name does not resolve"].contains(&&*text)); // glibc, musl
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
#[doc(alias = "gai_strerror")]
pub struct EaiCode(i32);

macro_rules! eai_codes {
    ($($(#[$m:meta])* $name:ident = $value:expr, $doc:literal;)*) => {
        impl EaiCode {
            $(
                #[doc = concat!("`", stringify!($name), "`: ", $doc)]
                $(#[$m])*
                pub const $name: EaiCode = EaiCode($value);
            )*

            /// The C symbol of this code (`"EAI_NONAME"`), or `"EAI_?"` for a value
            /// the table does not know.
            ///
            /// ```
            /// assert_eq!(bsdsock::netdb::EaiCode::EAI_SERVICE.name(), "EAI_SERVICE");
            /// assert_eq!(bsdsock::netdb::EaiCode::from_raw(12345).name(), "EAI_?");
            /// ```
            pub fn name(self) -> &'static str {
                self.c_name().unwrap_or("EAI_?")
            }

            /// The C symbol, if the table knows this value.
            fn c_name(self) -> Option<&'static str> {
                $(
                    $(#[$m])*
                    if self.0 == $value {
                        return Some(stringify!($name));
                    }
                )*
                None
            }
        }
    };
}

eai_codes! {
    EAI_AGAIN = libc::EAI_AGAIN, "a temporary failure; try again later.";
    EAI_BADFLAGS = libc::EAI_BADFLAGS, "invalid flags (e.g. `CANONNAME` without a host).";
    EAI_FAIL = libc::EAI_FAIL, "a failure that retrying will not fix.";
    EAI_FAMILY = libc::EAI_FAMILY, "the address family is not supported.";
    EAI_MEMORY = libc::EAI_MEMORY, "out of memory.";
    EAI_NONAME = libc::EAI_NONAME, "the name or service is not known (or neither was given).";
    EAI_SERVICE = libc::EAI_SERVICE, "the service is not available for the socket type.";
    EAI_SOCKTYPE = libc::EAI_SOCKTYPE, "the socket type is not supported.";
    EAI_SYSTEM = libc::EAI_SYSTEM, "a system error: see [`Error::errno`](crate::Error::errno).";
    EAI_OVERFLOW = libc::EAI_OVERFLOW, "an answer did not fit the buffer.";
    #[cfg(linux_like)]
    EAI_NODATA = libc::EAI_NODATA, "the host exists but has no address (glibc).";
    #[cfg(target_os = "linux")]
    EAI_ADDRFAMILY = sys::EAI_ADDRFAMILY, "the host has no address of the requested family (glibc, musl).";
}

impl EaiCode {
    /// The `std::io::ErrorKind` this failure maps to: `NotFound` for an unknown
    /// name or service, `InvalidInput` for rejected hints, `Unsupported` for a
    /// family or socket type, `OutOfMemory` for `EAI_MEMORY`, `Other` otherwise.
    /// ([`Error::kind`](crate::Error::kind) uses the errno's kind for
    /// `EAI_SYSTEM`.)
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use bsdsock::netdb::EaiCode;
    /// assert_eq!(EaiCode::EAI_NONAME.kind(), ErrorKind::NotFound);
    /// assert_eq!(EaiCode::EAI_BADFLAGS.kind(), ErrorKind::InvalidInput);
    /// ```
    pub fn kind(self) -> ErrorKind {
        match self {
            EaiCode::EAI_NONAME | EaiCode::EAI_SERVICE => ErrorKind::NotFound,
            #[cfg(linux_like)]
            EaiCode::EAI_NODATA => ErrorKind::NotFound,
            #[cfg(target_os = "linux")]
            EaiCode::EAI_ADDRFAMILY => ErrorKind::NotFound,
            EaiCode::EAI_BADFLAGS => ErrorKind::InvalidInput,
            EaiCode::EAI_FAMILY | EaiCode::EAI_SOCKTYPE => ErrorKind::Unsupported,
            EaiCode::EAI_MEMORY => ErrorKind::OutOfMemory,
            _ => ErrorKind::Other,
        }
    }
}

impl fmt::Display for EaiCode {
    /// `gai_strerror(3)`'s text for the code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&sys::gai_strerror(self.0))
    }
}

c_newtype! {
    EaiCode, name: EaiCode::c_name,
    /// Wraps a raw `EAI_*` value.
    ///
    /// ```
    /// use bsdsock::netdb::EaiCode;
    /// assert_eq!(EaiCode::from_raw(libc::EAI_AGAIN), EaiCode::EAI_AGAIN);
    /// ```
    from_raw;
    /// The raw `EAI_*` value.
    ///
    /// ```
    /// assert_eq!(bsdsock::netdb::EaiCode::EAI_FAMILY.as_raw(), libc::EAI_FAMILY);
    /// ```
    as_raw;
}
