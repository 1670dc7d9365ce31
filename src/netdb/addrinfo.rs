//! `getaddrinfo` and `getnameinfo`: protocol-independent name and service
//! translation, with typed hints and owned results.

use std::ffi::CStr;

use crate::error::Context;
use crate::{Domain, Error, Protocol, Reason, Result, SockAddr, Socket, Type, sys};

use super::{EaiCode, MAX_NAME_LEN, NameBuf, c_name, text};

bitflags::bitflags! {
    /// The `ai_flags` of [`AddrInfoHints`].
    ///
    /// ```
    /// use bsdsock::netdb::{getaddrinfo, AddrInfoHints, AiFlags};
    /// let hints = AddrInfoHints { flags: AiFlags::NUMERICHOST | AiFlags::NUMERICSERV, ..Default::default() };
    /// assert!(!getaddrinfo(Some("10.0.0.1"), Some("80"), &hints)?.is_empty());
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
    #[doc(alias = "ai_flags")]
    pub struct AiFlags: i32 {
        /// `AI_PASSIVE`: with no host, return the wildcard address (for `bind`)
        /// instead of the loopback address (for `connect`).
        const PASSIVE = sys::c::AI_PASSIVE;
        /// `AI_CANONNAME`: put the host's canonical name in the first result's
        /// `canonname`. Needs a host.
        const CANONNAME = sys::c::AI_CANONNAME;
        /// `AI_NUMERICHOST`: the host must be a numeric address; no lookup is made.
        const NUMERICHOST = sys::c::AI_NUMERICHOST;
        /// `AI_NUMERICSERV`: the service must be a port number; no lookup is made.
        const NUMERICSERV = sys::c::AI_NUMERICSERV;
        /// `AI_ADDRCONFIG`: return IPv4 (IPv6) addresses only if this machine has
        /// an IPv4 (IPv6) address configured.
        const ADDRCONFIG = sys::c::AI_ADDRCONFIG;
        /// `AI_V4MAPPED`: with family `INET6` and no IPv6 answer, return IPv4
        /// addresses as v4-mapped IPv6 (`::ffff:a.b.c.d`). Not on NetBSD and
        /// OpenBSD, whose getaddrinfo(3) does not implement it.
        #[cfg(not(any(target_os = "netbsd", target_os = "openbsd")))]
        #[cfg_attr(docsrs, doc(cfg(not(any(target_os = "netbsd", target_os = "openbsd")))))]
        const V4MAPPED = sys::c::AI_V4MAPPED;
        /// `AI_ALL`: with `V4MAPPED`, return IPv6 and v4-mapped IPv4 addresses.
        /// Not on NetBSD and OpenBSD (as `V4MAPPED`).
        #[cfg(not(any(target_os = "netbsd", target_os = "openbsd")))]
        #[cfg_attr(docsrs, doc(cfg(not(any(target_os = "netbsd", target_os = "openbsd")))))]
        const ALL = sys::c::AI_ALL;
    }
}

bitflags::bitflags! {
    /// The `flags` of [`getnameinfo`].
    ///
    /// ```
    /// use bsdsock::netdb::{getnameinfo, NiFlags};
    /// let (host, serv) = getnameinfo(&"127.0.0.1:80".parse()?, NiFlags::NUMERICHOST | NiFlags::NUMERICSERV)?;
    /// assert_eq!((host.as_str(), serv.as_str()), ("127.0.0.1", "80"));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
    pub struct NiFlags: i32 {
        /// `NI_NUMERICHOST`: the host as a numeric address; no lookup is made.
        const NUMERICHOST = sys::c::NI_NUMERICHOST;
        /// `NI_NUMERICSERV`: the service as a port number; no lookup is made.
        const NUMERICSERV = sys::c::NI_NUMERICSERV;
        /// `NI_NOFQDN`: only the host part of a local host's name.
        const NOFQDN = sys::c::NI_NOFQDN;
        /// `NI_NAMEREQD`: fail (`EAI_NONAME`) if the host has no name, instead of
        /// returning the numeric address.
        const NAMEREQD = sys::c::NI_NAMEREQD;
        /// `NI_DGRAM`: look the port up as a UDP service (some ports differ).
        const DGRAM = sys::c::NI_DGRAM;
    }
}

/// The `hints` argument of [`getaddrinfo`]: which answers the caller wants.
///
/// The default is C's zeroed hints: any family (`AF_UNSPEC`), any socket type,
/// any protocol, no flags.
///
/// ```
/// use bsdsock::netdb::{AddrInfoHints, AiFlags};
/// use bsdsock::{Domain, Type};
/// let hints = AddrInfoHints { flags: AiFlags::PASSIVE, socktype: Type::STREAM, ..Default::default() };
/// assert_eq!(hints.family, Domain::UNSPEC);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[doc(alias = "hints")]
pub struct AddrInfoHints {
    /// `ai_flags`.
    pub flags: AiFlags,
    /// `ai_family`: `UNSPEC` for any, or `INET` / `INET6`.
    pub family: Domain,
    /// `ai_socktype`: `Type::from_raw(0)` for any, or `STREAM`, `DGRAM`, ...
    pub socktype: Type,
    /// `ai_protocol`: `Protocol::DEFAULT` for any.
    pub protocol: Protocol,
}

impl Default for AddrInfoHints {
    fn default() -> AddrInfoHints {
        AddrInfoHints {
            flags: AiFlags::empty(),
            family: Domain::UNSPEC,
            socktype: Type::from_raw(0),
            protocol: Protocol::DEFAULT,
        }
    }
}

/// One answer of [`getaddrinfo`], owned: everything needed to call
/// `socket(family, socktype, protocol)` and then `connect` or `bind` to `addr`.
///
/// ```
/// use bsdsock::netdb::{getaddrinfo, AddrInfoHints, AiFlags};
/// use bsdsock::{Domain, Type};
/// let hints = AddrInfoHints { flags: AiFlags::NUMERICHOST, socktype: Type::DGRAM, ..Default::default() };
/// let ai = &getaddrinfo(Some("::1"), Some("53"), &hints)?[0];
/// assert_eq!((ai.family, ai.socktype), (Domain::INET6, Type::DGRAM));
/// assert_eq!(ai.addr.to_string(), "[::1]:53");
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[doc(alias = "addrinfo")]
pub struct AddrInfo {
    /// `ai_family`.
    pub family: Domain,
    /// `ai_socktype`.
    pub socktype: Type,
    /// `ai_protocol`.
    pub protocol: Protocol,
    /// `ai_addr` (and `ai_addrlen`).
    pub addr: SockAddr,
    /// `ai_canonname`: set on the first answer when `AiFlags::CANONNAME` was asked.
    pub canonname: Option<String>,
}

impl AddrInfo {
    /// `socket(family, socktype, protocol)` for this answer.
    ///
    /// ```
    /// use bsdsock::netdb::{getaddrinfo, AddrInfoHints, AiFlags};
    /// let hints = AddrInfoHints { flags: AiFlags::PASSIVE | AiFlags::NUMERICHOST, socktype: bsdsock::Type::DGRAM, ..Default::default() };
    /// let ai = &getaddrinfo(Some("127.0.0.1"), Some("0"), &hints)?[0];
    /// let s = ai.socket()?;
    /// s.bind(&ai.addr)?;
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn socket(&self) -> Result<Socket> {
        crate::socket(self.family, self.socktype, self.protocol)
    }
}

/// A failed getaddrinfo/getnameinfo, as the error `call` reports.
impl<T> Context<T> for std::result::Result<T, sys::GaiError> {
    #[inline]
    fn ctx(self, call: &'static str) -> Result<T> {
        self.map_err(|e| Error::Gai { call, code: EaiCode::from_raw(e.code), errno: e.errno })
    }
}

/// Whether `c` is one of the characters C's `isspace` accepts in the "C" locale.
fn c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// Refuses a service that C's `getaddrinfo` would read as a number and silently
/// wrap or truncate: it parses numeric services with `strtoul`, so "99999" would
/// become port 34463, "-1" port 65535, and "" port 0.
fn check_service(call: &'static str, service: &str) -> Result<()> {
    if service.is_empty() {
        return Err(Error::invalid(call, "empty service; pass None for no service"));
    }
    let digits = service.trim_start_matches(c_space);
    let digits = digits.strip_prefix(['+', '-']).unwrap_or(digits);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(()); // a service name, looked up in /etc/services
    }
    if digits.len() != service.len() {
        return Err(Error::invalid(call, Reason::Port { text: service.into() }));
    }
    match service.parse::<u32>() {
        Ok(p) if p <= u32::from(u16::MAX) => Ok(()),
        _ => Err(Error::invalid(call, Reason::Port { text: service.into() })),
    }
}

/// [`getaddrinfo(3)`]: the socket addresses for a host and/or service, as owned
/// [`AddrInfo`] values in the order the resolver ranks them. The C list is freed
/// before this returns, on every path.
///
/// `host` is a name or a numeric address (`None` for the wildcard with
/// `AiFlags::PASSIVE`, else loopback); `service` is a name from
/// `/etc/services` or a decimal port (`None` for port 0). At least one must be
/// given. A failure is [`Error::Gai`] with the `EAI_*` code and
/// `gai_strerror`'s text (`EAI_SYSTEM` also carries the errno). A name with a NUL
/// byte or longer than [`MAX_NAME_LEN`], or a numeric port C would wrap (over
/// 65535, signed, padded), is refused before any lookup.
///
/// ```
/// use bsdsock::netdb::{getaddrinfo, AddrInfoHints, AiFlags, EaiCode};
/// use bsdsock::{Error, Type};
/// // The wildcard addresses for a server on the "http" port.
/// let hints = AddrInfoHints { flags: AiFlags::PASSIVE, socktype: Type::STREAM, ..Default::default() };
/// let addrs = getaddrinfo(None, Some("http"), &hints)?;
/// assert!(addrs.iter().any(|ai| ai.addr.to_string() == "0.0.0.0:80"));
/// // "localhost" is not a numeric address: EAI_NONAME, without any lookup.
/// let numeric = AddrInfoHints { flags: AiFlags::NUMERICHOST, ..Default::default() };
/// match getaddrinfo(Some("localhost"), None, &numeric) {
///     Err(Error::Gai { code, .. }) => assert_eq!(code, EaiCode::EAI_NONAME),
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`getaddrinfo(3)`]: https://man7.org/linux/man-pages/man3/getaddrinfo.3.html
#[doc(alias = "freeaddrinfo")]
pub fn getaddrinfo(
    host: Option<&str>,
    service: Option<&str>,
    hints: &AddrInfoHints,
) -> Result<Vec<AddrInfo>> {
    const CALL: &str = "getaddrinfo";
    let mut hbuf: NameBuf = [0; MAX_NAME_LEN + 1];
    let mut sbuf: NameBuf = [0; MAX_NAME_LEN + 1];
    let chost = host.map(|h| c_name(CALL, "host name", h, &mut hbuf)).transpose()?;
    if let Some(s) = service {
        check_service(CALL, s)?;
    }
    let cserv = service.map(|s| c_name(CALL, "service", s, &mut sbuf)).transpose()?;
    let list = sys::getaddrinfo(
        chost,
        cserv,
        sys::Hints {
            flags: hints.flags.bits(),
            family: hints.family.as_raw(),
            socktype: hints.socktype.as_raw(),
            protocol: hints.protocol.as_raw(),
        },
    )
    .ctx(CALL)?;
    // `list` frees the C list when it goes out of scope, also on an early `?`.
    list.iter()
        .map(|ai| {
            Ok(AddrInfo {
                family: Domain::from_raw(ai.family),
                socktype: Type::from_raw(ai.socktype),
                protocol: Protocol::from_raw(ai.protocol),
                addr: SockAddr::from_kernel(ai.addr, CALL)?,
                canonname: ai
                    .canonname
                    .map(|c: &CStr| text(CALL, "ai_canonname", c.to_bytes().to_vec()))
                    .transpose()?,
            })
        })
        .collect()
}

/// `NI_MAXHOST` (1025): a host buffer of this many bytes holds any host name
/// [`getnameinfo_buf`] can answer (the longest DNS name, 253 bytes, with room
/// to spare), NUL included.
pub const NI_MAXHOST: usize = 1025;

/// `NI_MAXSERV` (32): a service buffer of this many bytes holds any service
/// name or port number [`getnameinfo_buf`] answers for an IP address, NUL
/// included. (glibc answers a Unix socket's path as its service: that takes up
/// to [`SUN_PATH_LEN`](crate::SUN_PATH_LEN) + 1 bytes.)
pub const NI_MAXSERV: usize = 32;

/// The service buffer of [`getnameinfo`]: [`NI_MAXSERV`], or room for a whole
/// `sun_path` and its NUL where that is longer, so that no answer of glibc's
/// (a Unix socket's path is its service) is refused for lack of room.
const OWNED_SERV_LEN: usize =
    if crate::SUN_PATH_LEN + 1 > NI_MAXSERV { crate::SUN_PATH_LEN + 1 } else { NI_MAXSERV };

/// [`getnameinfo(3)`]: the host and service names for a socket address — the
/// reverse of [`getaddrinfo`]. Returns `(host, service)`.
///
/// Without `NiFlags::NUMERICHOST` the host is looked up (in `/etc/hosts`, then
/// wherever `nsswitch.conf` says); with no name found it is the numeric address
/// unless `NiFlags::NAMEREQD` asks for an error. An address of a family the C
/// library does not translate is `EAI_FAMILY`; glibc also answers for Unix
/// socket addresses (the host is this machine's node name, or `"localhost"`
/// with `NUMERICHOST`; the service is the path, empty for an unnamed or
/// abstract address).
///
/// This makes the same C call as [`getnameinfo_buf`] into buffers of its own,
/// large enough for every answer, and copies the text into two new `String`s;
/// [`getnameinfo_buf`] writes into the caller's buffers and allocates nothing.
///
/// ```
/// use bsdsock::netdb::{getnameinfo, EaiCode, NiFlags};
/// use bsdsock::{Error, SockAddr};
/// let (_host, serv) = getnameinfo(&"127.0.0.1:22".parse()?, NiFlags::empty())?;
/// assert_eq!(serv, "ssh"); // from /etc/services
/// let (host, serv) = getnameinfo(&"[::1]:8080".parse()?, NiFlags::NUMERICHOST | NiFlags::NUMERICSERV)?;
/// assert_eq!((host.as_str(), serv.as_str()), ("::1", "8080"));
/// match getnameinfo(&SockAddr::Unspec, NiFlags::empty()) {
///     Err(Error::Gai { code, .. }) => assert_eq!(code, EaiCode::EAI_FAMILY),
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`getnameinfo(3)`]: https://man7.org/linux/man-pages/man3/getnameinfo.3.html
pub fn getnameinfo(addr: &SockAddr, flags: NiFlags) -> Result<(String, String)> {
    let mut host = [0u8; NI_MAXHOST];
    let mut serv = [0u8; OWNED_SERV_LEN];
    let (host, serv) = getnameinfo_buf(addr, flags, &mut host, &mut serv)?;
    Ok((host.to_owned(), serv.to_owned()))
}

/// [`getnameinfo(3)`] into the caller's buffers, without allocating: the host
/// and service names for a socket address, as [`getnameinfo`] answers them,
/// written into `host` and `serv`; returns the two texts, which borrow the
/// buffers.
///
/// Buffers of [`NI_MAXHOST`] and [`NI_MAXSERV`] bytes hold every answer for an
/// IP address; for numeric answers (`NiFlags::NUMERICHOST`,
/// `NiFlags::NUMERICSERV`) [`INET6_ADDRSTRLEN`](crate::INET6_ADDRSTRLEN) and 6
/// bytes are enough (C counts the NUL, which is written after the text). An
/// answer that does not fit its buffer is an error (`EAI_OVERFLOW` from glibc and
/// musl), never a text cut short. An empty buffer asks for no answer of that kind
/// (C's `NULL, 0`) and its text is `""`. A name that is not UTF-8 is an error, never altered. Failures are as
/// [`getnameinfo`]'s, reported under that name.
///
/// ```
/// use bsdsock::netdb::{getnameinfo_buf, NiFlags, NI_MAXHOST, NI_MAXSERV};
/// use bsdsock::SockAddr;
/// let numeric = NiFlags::NUMERICHOST | NiFlags::NUMERICSERV;
/// let (mut host, mut serv) = ([0u8; NI_MAXHOST], [0u8; NI_MAXSERV]);
/// let addr: SockAddr = "[2001:db8::1]:8080".parse()?;
/// let (h, s) = getnameinfo_buf(&addr, numeric, &mut host, &mut serv)?;
/// assert_eq!((h, s), ("2001:db8::1", "8080"));
///
/// // The buffers are reused; no call allocates.
/// let (h, s) = getnameinfo_buf(&"127.0.0.1:80".parse()?, NiFlags::NUMERICHOST, &mut host, &mut serv)?;
/// assert_eq!((h, s), ("127.0.0.1", "http")); // from /etc/services
///
/// // Too small for "2001:db8::1" and its NUL: an error, not "2001:db".
/// assert!(getnameinfo_buf(&addr, numeric, &mut [0u8; 8], &mut serv).is_err());
///
/// // The service only.
/// assert_eq!(getnameinfo_buf(&addr, numeric, &mut [], &mut serv)?, ("", "8080"));
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`getnameinfo(3)`]: https://man7.org/linux/man-pages/man3/getnameinfo.3.html
#[doc(alias = "getnameinfo")]
#[inline]
pub fn getnameinfo_buf<'h, 's>(
    addr: &SockAddr,
    flags: NiFlags,
    host: &'h mut [u8],
    serv: &'s mut [u8],
) -> Result<(&'h str, &'s str)> {
    const CALL: &str = "getnameinfo";
    let (host, serv) = sys::getnameinfo(addr.as_bytes(), flags.bits(), host, serv).ctx(CALL)?;
    let not_utf8 = |what| Error::decode(CALL, Reason::NotUtf8 { what });
    Ok((host.ok_or_else(|| not_utf8("host"))?, serv.ok_or_else(|| not_utf8("service"))?))
}

#[cfg(test)]
mod tests;
