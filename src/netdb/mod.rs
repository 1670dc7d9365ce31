//! `<netdb.h>`: host names, services and protocols — the C calls, thread-safe.
//!
//! C's [`gethostbyname(3)`] returns a pointer to static storage that the next
//! lookup, on any thread, overwrites. The functions here have the same names and answer
//! the same questions, but every one is safe to call from any thread: they use the
//! reentrant `_r` variants (with a buffer owned by the call, grown on `ERANGE`) or
//! `getaddrinfo`/`getnameinfo`, and return owned values ([`HostEnt`],
//! [`ServEnt`], [`ProtoEnt`], [`AddrInfo`]) copied out of the C buffers.
//!
//! ```
//! use bsdsock::netdb::{gethostbyname, getservbyname};
//! let host = gethostbyname("localhost")?;          // from /etc/hosts
//! let http = getservbyname("http", Some("tcp"))?;  // from /etc/services
//! assert_eq!(host.addr(), Some("127.0.0.1".parse().unwrap()));
//! assert_eq!(http.port, 80);
//! # Ok::<(), bsdsock::Error>(())
//! ```
//!
//! Failures are typed: a host lookup fails with [`Error::Host`] carrying the
//! `h_errno` code ([`HErrno`]), `getaddrinfo`/`getnameinfo` with [`Error::Gai`]
//! carrying the `EAI_*` code ([`EaiCode`]), each printing the C library's text; a
//! service or protocol that is not in the database is [`Error::NotFound`]. A name
//! with an interior NUL or longer than [`MAX_NAME_LEN`] bytes is refused before
//! any lookup.
//!
//! The helpers of W. Richard Stevens' *UNIX Network Programming*, Vol. 1 (3rd
//! ed., §11.12–11.16) — [`tcp_connect`], [`tcp_listen`], [`udp_client`],
//! [`udp_connect`] and [`udp_server`] — resolve and then try each address in
//! turn, closing every socket that did not work out.
//!
//! The hostent, servent and protoent calls need the C library's `_r` functions and
//! are built on Linux with glibc or musl (musl has no `getprotoby*_r`: there the
//! plain calls run one at a time under a lock of this crate); `getaddrinfo`,
//! `getnameinfo`, `gethostname` and the helpers are built everywhere (untested
//! off Linux).
//!
//! [`gethostbyname(3)`]: https://man7.org/linux/man-pages/man3/gethostbyname.3.html

mod addrinfo;
mod happy;
mod helpers;
mod host;
#[cfg(netdb_r)]
mod proto;
#[cfg(netdb_r)]
mod serv;

use std::ffi::CStr;

pub use crate::error::{EaiCode, HErrno};
pub use addrinfo::{
    AddrInfo, AddrInfoHints, AiFlags, NI_MAXHOST, NI_MAXSERV, NiFlags, getaddrinfo, getnameinfo,
    getnameinfo_buf,
};
pub use happy::{CONNECTION_ATTEMPT_DELAY, happy_eyeballs, tcp_connect_timeout};
pub use helpers::{connect_first, tcp_connect, tcp_listen, udp_client, udp_connect, udp_server};
pub use host::gethostname;
#[cfg(netdb_r)]
#[cfg_attr(
    docsrs,
    doc(cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))
)]
pub use host::{HostEnt, gethostbyaddr, gethostbyname, gethostbyname2};
#[cfg(netdb_r)]
#[cfg_attr(
    docsrs,
    doc(cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))
)]
pub use proto::{ProtoEnt, getprotobyname, getprotobynumber};
#[cfg(netdb_r)]
#[cfg_attr(
    docsrs,
    doc(cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))
)]
pub use serv::{ServEnt, getservbyname, getservbyport};

use crate::{Error, Reason, Result};

/// The longest name handed to the resolver, in bytes: 253 is the longest DNS
/// name (without a trailing dot). Longer names are refused before any lookup,
/// as are names containing a NUL byte.
pub const MAX_NAME_LEN: usize = 253;

/// A stack buffer that holds any acceptable name plus its NUL.
type NameBuf = [u8; MAX_NAME_LEN + 1];

/// `name` as a C string built in `buf`, or the error that `call` reports for a
/// name no lookup should ever see. `what` says which argument it was.
fn c_name<'b>(
    call: &'static str,
    what: &'static str,
    name: &str,
    buf: &'b mut NameBuf,
) -> Result<&'b CStr> {
    let bytes = name.as_bytes();
    if bytes.len() > MAX_NAME_LEN {
        return Err(Error::invalid(
            call,
            Reason::TooLong { what, len: bytes.len(), max: MAX_NAME_LEN },
        ));
    }
    buf[..bytes.len()].copy_from_slice(bytes);
    buf[bytes.len()] = 0;
    CStr::from_bytes_with_nul(&buf[..=bytes.len()])
        .map_err(|_| Error::invalid(call, Reason::Nul { what }))
}

/// Bytes from the C library as a `String`; names that are not UTF-8 are reported,
/// never altered.
fn text(call: &'static str, what: &'static str, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|_| Error::decode(call, Reason::NotUtf8 { what }))
}

/// A failed hostent/servent/protoent lookup, as the error `call` reports.
#[cfg(netdb_r)]
impl<T> crate::error::Context<T> for std::result::Result<T, crate::sys::LookupError> {
    #[inline]
    fn ctx(self, call: &'static str) -> Result<T> {
        use crate::sys::LookupError;
        self.map_err(|e| match e {
            LookupError::Herrno(code) => Error::Host { call, code: HErrno::from_raw(code) },
            LookupError::Os(errno) => Error::os(call, errno),
            LookupError::NotUtf8(what) => Error::decode(call, Reason::NotUtf8 { what }),
            LookupError::Decode(rule) => Error::decode(call, Reason::Rule(rule)),
        })
    }
}

#[cfg(test)]
mod tests;
