//! `SockAddr` from text: the inverse of its `Display`, and strict.
//!
//! The forms, tried in this order: `(unspec)`, `(unnamed)`; `unix:PATH` (any
//! path, `\xNN` and `\\` escapes); `@NAME` (Linux abstract, same escapes);
//! `netlink:`, `packet:`, `vsock:`, `other:` and what follows them; `[IPv6]:PORT`;
//! text that starts like an IPv4 address (digits then a dot) as `IPv4:PORT`;
//! then bare text with a `/` in it, taken as a Unix path byte for byte. Anything
//! else is an error that says what is wrong: a typo in an IP address never
//! becomes the name of a socket file in the current directory.

use std::ffi::OsStr;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};
use std::os::unix::ffi::OsStrExt;
use std::str::FromStr;

use super::family::{dec_u32, hex_byte};
use super::{SockAddr, SockAddrUn};
use crate::{Domain, Error, InputText, Reason, inet_pton};

/// The prefixes of the forms that are not IP addresses or bare paths; each
/// one's text after it, parsed by the form's own type.
const SCHEMES: [&str; 5] = ["unix:", "netlink:", "packet:", "vsock:", "other:"];

/// Whether `text` starts like an IPv4 address: digits, then a dot.
fn starts_like_ipv4(text: &str) -> bool {
    let run = text.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.');
    text.starts_with(|c: char| c.is_ascii_digit()) && run.into_iter().any(|b| b == b'.')
}

/// Whether `text` reads back as a bare Unix path of exactly its bytes: it
/// contains a '/' and none of the other forms claims it.
pub(super) fn reads_as_bare_path(text: &str) -> bool {
    text.contains('/')
        && !(text == "(unspec)"
            || text == "(unnamed)"
            || text.starts_with(['@', '['])
            || SCHEMES.iter().any(|s| text.starts_with(s))
            || starts_like_ipv4(text))
}

/// Writes `bytes` with `\` as `\\` and every byte outside printable ASCII as
/// `\xNN`: the escaping of `@name` and `unix:PATH`, which [`unescape`] undoes.
pub(super) fn write_escaped(f: &mut std::fmt::Formatter<'_>, bytes: &[u8]) -> std::fmt::Result {
    for &b in bytes {
        match b {
            b'\\' => f.write_str("\\\\")?,
            0x20..=0x7e => std::fmt::Write::write_char(f, b as char)?,
            _ => write!(f, "\\x{b:02x}")?,
        }
    }
    Ok(())
}

/// Undoes [`write_escaped`]: `\\` and `\xNN`; any other byte stands for itself.
fn unescape(s: &str) -> Result<Vec<u8>, Reason> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.as_bytes().iter();
    while let Some(&b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b'\\') => out.push(b'\\'),
            Some(b'x') => {
                let pair = [*bytes.next().unwrap_or(&0), *bytes.next().unwrap_or(&0)];
                out.push(hex_byte(&pair).ok_or(Reason::Rule("bad \\x escape (two hex digits)"))?);
            }
            _ => return Err(Reason::Rule("bad escape (use \\\\ or \\xNN)")),
        }
    }
    Ok(out)
}

/// `text` kept for an error. The one place the address parsers call
/// `InputText::new`: that function is inlined into `inet_pton`'s refusals only
/// while it has few callers, and the inet_pton_v6_bad row of
/// benches/callgrind.guard measured 212.6 instructions per call instead of
/// 207.4 with each parser here calling it.
#[inline(never)]
pub(super) fn quoted(text: &str) -> InputText {
    InputText::new(text)
}

/// `s` refused for `reason`.
#[cold]
pub(super) fn refused(s: &str, reason: Reason) -> Error {
    Error::AddrParse { input: quoted(s), reason }
}

/// The reason inside an `InvalidInput` or `AddrParse` error of this crate.
fn reason_of(e: Error) -> Reason {
    match e {
        Error::InvalidInput { reason, .. } | Error::AddrParse { reason, .. } => reason,
        _ => Reason::Rule("not an address"),
    }
}

fn unix_path(path: &[u8]) -> Result<SockAddr, Reason> {
    SockAddrUn::new(OsStr::from_bytes(path)).map(SockAddr::Unix).map_err(reason_of)
}

/// A port: decimal digits only (no sign, no spaces), at most 65535.
fn port(text: &str) -> Result<u16, Reason> {
    if text.is_empty() {
        return Err(Reason::Rule("missing port after ':'"));
    }
    dec_u32(text).and_then(|p| u16::try_from(p).ok()).ok_or(Reason::Port { text: quoted(text) })
}

/// `IPv4:PORT`.
fn inet4(s: &str) -> Result<SockAddr, Reason> {
    let (host, port_text) = match s.split_once(':') {
        Some(parts) => parts,
        None => (s, ""),
    };
    // An octet over 255 is named; every other fault is inet_pton's to describe.
    if let Some(big) = host.split('.').find(|o| {
        !o.is_empty() && o.bytes().all(|b| b.is_ascii_digit()) && dec_u32(o).is_none_or(|v| v > 255)
    }) {
        return Err(Reason::Octet { text: quoted(big) });
    }
    let ip = match inet_pton(Domain::INET, host).map_err(reason_of)? {
        IpAddr::V4(ip) => ip,
        IpAddr::V6(_) => unreachable!("inet_pton(AF_INET) gives an IPv4 address"),
    };
    if !s.contains(':') {
        return Err(Reason::Rule("missing port (1.2.3.4:PORT)"));
    }
    Ok(SocketAddrV4::new(ip, port(port_text)?).into())
}

/// `[IPv6]:PORT` or `[IPv6%SCOPE]:PORT`.
fn inet6(s: &str) -> Result<SockAddr, Reason> {
    let (inside, after) =
        s[1..].split_once(']').ok_or(Reason::Rule("missing ']' after the IPv6 address"))?;
    let (ip_text, scope) = match inside.split_once('%') {
        Some((ip, scope)) => {
            let scope = dec_u32(scope).ok_or(Reason::Rule(
                "the scope after '%' is an interface index (a number; see if_nametoindex)",
            ))?;
            (ip, scope)
        }
        None => (inside, 0),
    };
    let ip = match inet_pton(Domain::INET6, ip_text).map_err(reason_of)? {
        IpAddr::V6(ip) => ip,
        IpAddr::V4(_) => unreachable!("inet_pton(AF_INET6) gives an IPv6 address"),
    };
    let port_text = match after.strip_prefix(':') {
        Some(p) => p,
        None if after.is_empty() => return Err(Reason::Rule("missing port ([::1]:PORT)")),
        None => return Err(Reason::Rule("expected ':' and a port after ']'")),
    };
    Ok(SocketAddrV6::new(ip, port(port_text)?, 0, scope).into())
}

/// Why text that is none of the forms is not an address.
fn not_an_address(s: &str) -> Reason {
    if s.parse::<Ipv6Addr>().is_ok() || s.parse::<Ipv4Addr>().is_ok() {
        return Reason::Rule("missing port (1.2.3.4:PORT or [::1]:PORT)");
    }
    if s.contains(':') {
        return Reason::Rule("not a numeric address (resolve names with netdb::getaddrinfo)");
    }
    Reason::Rule("not an address (a Unix path needs a '/', as in ./x.sock, or the unix: prefix)")
}

fn parse(s: &str) -> Result<SockAddr, Reason> {
    match s {
        "" => return Err(Reason::Rule("empty")),
        "(unspec)" => return Ok(SockAddr::Unspec),
        "(unnamed)" => return Ok(SockAddr::Unix(SockAddrUn::unnamed())),
        _ => {}
    }
    if let Some(path) = s.strip_prefix("unix:") {
        return unix_path(&unescape(path)?);
    }
    if let Some(name) = s.strip_prefix('@') {
        cfg_if::cfg_if! {
            if #[cfg(linux_like)] {
                return SockAddrUn::new_abstract(&unescape(name)?)
                    .map(SockAddr::Unix)
                    .map_err(reason_of);
            } else {
                let _ = name;
                return Err(Reason::Rule("abstract Unix addresses exist only on Linux"));
            }
        }
    }
    if let Some(rest) = s.strip_prefix("netlink:") {
        cfg_if::cfg_if! {
            if #[cfg(linux_like)] {
                return super::SockAddrNl::parse(rest).map(SockAddr::Netlink);
            } else {
                let _ = rest;
                return Err(Reason::Rule("netlink addresses exist only on Linux"));
            }
        }
    }
    if let Some(rest) = s.strip_prefix("packet:") {
        cfg_if::cfg_if! {
            if #[cfg(linux_like)] {
                return super::SockAddrLl::parse(rest).map(SockAddr::Packet);
            } else {
                let _ = rest;
                return Err(Reason::Rule("packet addresses exist only on Linux"));
            }
        }
    }
    if let Some(rest) = s.strip_prefix("vsock:") {
        cfg_if::cfg_if! {
            if #[cfg(any(linux_like, apple))] {
                return super::SockAddrVm::parse(rest).map(SockAddr::Vsock);
            } else {
                let _ = rest;
                return Err(Reason::Rule("vsock addresses exist only on Linux and Apple systems"));
            }
        }
    }
    if let Some(rest) = s.strip_prefix("other:") {
        return other(rest);
    }
    if s.starts_with('[') {
        return inet6(s);
    }
    if starts_like_ipv4(s) {
        return inet4(s);
    }
    if s.contains('/') {
        return unix_path(s.as_bytes());
    }
    Err(not_an_address(s))
}

/// `other:FAMILY:HEX`: the raw address, through `SockAddr::from_bytes`.
fn other(rest: &str) -> Result<SockAddr, Reason> {
    const FORM: Reason = Reason::Rule("an address of another family is other:FAMILY:HEX");
    let (family, hex) = rest.split_once(':').ok_or(FORM)?;
    let family = dec_u32(family).and_then(|f| u8::try_from(f).ok()).ok_or(FORM)?;
    if hex.len() % 2 != 0 || hex.len() > 2 * super::storage::CAP {
        return Err(FORM);
    }
    let mut raw = vec![0u8; super::family::FAMILY_END];
    super::family::put_family(
        &mut raw,
        i32::from(family),
        super::family::FAMILY_END + hex.len() / 2,
    );
    for pair in hex.as_bytes().chunks(2) {
        raw.push(hex_byte(pair).ok_or(FORM)?);
    }
    SockAddr::from_bytes(&raw).map_err(reason_of)
}

impl FromStr for SockAddr {
    type Err = Error;

    /// Parses any form that Display produces, and nothing that only looks like
    /// one: a malformed IP address is an error, never a relative Unix path.
    ///
    /// ```
    /// use bsdsock::SockAddr;
    /// assert!(matches!("127.0.0.1:80".parse()?, SockAddr::Inet(_)));
    /// assert!(matches!("./x.sock".parse()?, SockAddr::Unix(_)));
    /// let err = "127.0.0.1:99999".parse::<SockAddr>().unwrap_err();
    /// assert_eq!(err.to_string(), r#"invalid address "127.0.0.1:99999": port "99999" is not a number in 0..=65535"#);
    /// let err = "10.0.0.999:80".parse::<SockAddr>().unwrap_err();
    /// assert_eq!(err.to_string(), r#"invalid address "10.0.0.999:80": octet 999 is over 255"#);
    /// assert!("x.sock".parse::<SockAddr>().is_err()); // no '/': write ./x.sock or unix:x.sock
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<SockAddr, Error> {
        parse(s).map_err(|reason| refused(s, reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_path_error_keeps_a_prefix() {
        let path = format!("/{}", "d".repeat(200));
        let e = path.parse::<SockAddr>().unwrap_err();
        let Error::AddrParse { input, reason } = &e else { panic!("{e:?}") };
        assert!(input.is_cut() && path.starts_with(input.as_str()), "{e:?}");
        assert_eq!(*reason, Reason::TooLong { what: "path for sun_path", len: 201, max: 108 });
        let shown = format!("invalid address {:?}…: {reason}", &path[..InputText::CAPACITY]);
        assert_eq!(e.to_string(), shown);
    }
}
