//! `SockAddr` from text: the inverse of its `Display`.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use super::{SockAddr, SockAddrUn};
use crate::{Error, InputText, Reason};

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
