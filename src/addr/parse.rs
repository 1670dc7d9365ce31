//! `SockAddr` from text: the inverse of its `Display`.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use super::family::{dec_u32, hex_byte};
use super::{SockAddr, SockAddrUn};
use crate::{Error, InputText, Reason};

/// The prefixes of the forms of the families beyond IP and Unix.
const SCHEMES: [&str; 4] = ["netlink:", "packet:", "vsock:", "other:"];

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

/// Whether `s` is meant as an IP socket address (so a typo in one is reported,
/// not taken for a relative Unix path).
fn looks_like_inet(s: &str) -> bool {
    if s.starts_with('[') || s.parse::<IpAddr>().is_ok() {
        return true;
    }
    match s.rsplit_once(':') {
        Some((_, port)) => {
            !s.contains('/') && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Whether `text`, parsed back, is a Unix path (and not one of the other forms).
pub(super) fn reads_as_path(text: &str) -> bool {
    !(text.is_empty()
        || text.starts_with('@')
        || text == "(unnamed)"
        || text == "(unspec)"
        || SCHEMES.iter().any(|s| text.starts_with(s))
        || looks_like_inet(text))
}

/// Undoes the `\xNN` / `\\` escaping that Display uses for abstract names.
#[cfg(linux_like)]
fn unescape(s: &str) -> Result<Vec<u8>, &'static str> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b'\\') => out.push(b'\\'),
            Some(b'x') => {
                let hi = bytes.next().and_then(|c| (c as char).to_digit(16));
                let lo = bytes.next().and_then(|c| (c as char).to_digit(16));
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push((hi * 16 + lo) as u8),
                    _ => return Err("bad \\x escape in abstract name"),
                }
            }
            _ => return Err("bad escape in abstract name (use \\\\ or \\xNN)"),
        }
    }
    Ok(out)
}

fn inet_error(s: &str) -> &'static str {
    if s.parse::<IpAddr>().is_ok() {
        return "missing port";
    }
    if let Some((host, port)) = s.rsplit_once(':') {
        if port.parse::<u32>().is_ok_and(|p| p > u32::from(u16::MAX)) {
            return "port out of range (0 to 65535)";
        }
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if !s.starts_with('[') && host.parse::<IpAddr>().is_err() {
            return "not a numeric address (resolve names with netdb::getaddrinfo)";
        }
    }
    "malformed IP socket address"
}

/// The forms of the families beyond IP and Unix, by their prefix.
fn scheme(s: &str) -> Option<Result<SockAddr, Reason>> {
    if let Some(rest) = s.strip_prefix("netlink:") {
        cfg_if::cfg_if! {
            if #[cfg(linux_like)] {
                return Some(super::SockAddrNl::parse(rest).map(SockAddr::Netlink));
            } else {
                let _ = rest;
                return Some(Err(Reason::Rule("netlink addresses exist only on Linux")));
            }
        }
    }
    if let Some(rest) = s.strip_prefix("packet:") {
        cfg_if::cfg_if! {
            if #[cfg(linux_like)] {
                return Some(super::SockAddrLl::parse(rest).map(SockAddr::Packet));
            } else {
                let _ = rest;
                return Some(Err(Reason::Rule("packet addresses exist only on Linux")));
            }
        }
    }
    if let Some(rest) = s.strip_prefix("vsock:") {
        cfg_if::cfg_if! {
            if #[cfg(any(linux_like, apple))] {
                return Some(super::SockAddrVm::parse(rest).map(SockAddr::Vsock));
            } else {
                let _ = rest;
                return Some(Err(Reason::Rule("vsock addresses exist only on Linux and Apple systems")));
            }
        }
    }
    s.strip_prefix("other:").map(other)
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
    let len = super::family::FAMILY_END + hex.len() / 2;
    super::family::put_family(&mut raw, i32::from(family), len);
    for pair in hex.as_bytes().chunks(2) {
        raw.push(hex_byte(pair).ok_or(FORM)?);
    }
    SockAddr::from_bytes(&raw).map_err(reason_of)
}

impl FromStr for SockAddr {
    type Err = Error;

    /// Parses any form that Display produces.
    ///
    /// ```
    /// use bsdsock::SockAddr;
    /// assert!(matches!("127.0.0.1:80".parse()?, SockAddr::Inet(_)));
    /// let err = "127.0.0.1:99999".parse::<SockAddr>().unwrap_err();
    /// assert_eq!(err.to_string(), r#"invalid address "127.0.0.1:99999": port out of range (0 to 65535)"#);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<SockAddr, Error> {
        let fail = |reason: Reason| Error::AddrParse { input: InputText::new(s), reason };
        // SockAddrUn's own refusal, with the text it was given.
        let refused = |e: Error| match e {
            Error::InvalidInput { reason, .. } => fail(reason),
            other => other,
        };
        if let Some(parsed) = scheme(s) {
            return parsed.map_err(fail);
        }
        match s {
            "" => Err(fail(Reason::Rule("empty"))),
            "(unspec)" => Ok(SockAddr::Unspec),
            "(unnamed)" => Ok(SockAddr::Unix(SockAddrUn::unnamed())),
            _ if s.starts_with('@') => {
                cfg_if::cfg_if! {
                    if #[cfg(linux_like)] {
                        let name = unescape(&s[1..]).map_err(|r| fail(Reason::Rule(r)))?;
                        SockAddrUn::new_abstract(&name).map(SockAddr::Unix).map_err(refused)
                    } else {
                        Err(fail(Reason::Rule("abstract Unix addresses exist only on Linux")))
                    }
                }
            }
            _ if looks_like_inet(s) => match s.parse::<SocketAddr>() {
                Ok(a) => Ok(a.into()),
                Err(_) => Err(fail(Reason::Rule(inet_error(s)))),
            },
            _ => SockAddrUn::new(s).map(SockAddr::Unix).map_err(refused),
        }
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
