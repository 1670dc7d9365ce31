//! Services (`/etc/services`): `getservbyname`, `getservbyport`.

use crate::error::Context;
use crate::{Error, Result, sys};

use super::{MAX_NAME_LEN, NameBuf, c_name};

/// A service as `struct servent` describes it, owned. `port` is in host byte
/// order (C's `s_port` is in network order; no `ntohs` needed here).
///
/// ```
/// let s = bsdsock::netdb::getservbyname("http", Some("tcp"))?;
/// assert_eq!((s.name.as_str(), s.port, s.proto.as_str()), ("http", 80, "tcp"));
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[doc(alias = "servent")]
pub struct ServEnt {
    /// `s_name`: the official name of the service (musl gives the name that was
    /// looked up, which may be an alias).
    pub name: String,
    /// `s_aliases`: other names for it (musl lists only `name`).
    pub aliases: Vec<String>,
    /// `s_port`: the port, in host byte order.
    pub port: u16,
    /// `s_proto`: the protocol to use with it (`"tcp"`, `"udp"`, ...).
    pub proto: String,
}

impl ServEnt {
    fn from_raw(raw: sys::RawServ) -> ServEnt {
        ServEnt { name: raw.name, aliases: raw.aliases, port: raw.port, proto: raw.proto }
    }
}

/// `"/tcp"` or nothing: how a not-found error names the protocol asked for.
fn proto_suffix(proto: Option<&str>) -> String {
    proto.map(|p| format!("/{p}")).unwrap_or_default()
}

/// [`getservbyname(3)`], thread-safe: the service called `name` (official name or
/// alias), for protocol `proto` (`"tcp"`, `"udp"`, ...) or for any protocol when
/// `None` (the first entry wins).
///
/// An unknown service is [`Error::NotFound`]; a name or protocol with a NUL byte or
/// longer than [`MAX_NAME_LEN`] is [`Error::InvalidInput`].
///
/// ```
/// use bsdsock::netdb::getservbyname;
/// assert_eq!(getservbyname("domain", Some("udp"))?.port, 53);
/// assert_eq!(getservbyname("www", None)?.port, 80); // by alias: http
/// let err = getservbyname("no-such-service", Some("tcp")).unwrap_err();
/// assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`getservbyname(3)`]: https://man7.org/linux/man-pages/man3/getservbyname.3.html
#[doc(alias = "getservbyname_r")]
pub fn getservbyname(name: &str, proto: Option<&str>) -> Result<ServEnt> {
    const CALL: &str = "getservbyname";
    let mut nbuf: NameBuf = [0; MAX_NAME_LEN + 1];
    let mut pbuf: NameBuf = [0; MAX_NAME_LEN + 1];
    let cname = c_name(CALL, "service name", name, &mut nbuf)?;
    let cproto = proto.map(|p| c_name(CALL, "protocol name", p, &mut pbuf)).transpose()?;
    match sys::getservbyname_r(cname, cproto).ctx(CALL)? {
        Some(raw) => Ok(ServEnt::from_raw(raw)),
        None => Err(Error::NotFound {
            call: CALL,
            what: format!("service {name:?}{}", proto_suffix(proto)),
        }),
    }
}

/// [`getservbyport(3)`], thread-safe: the service on `port` (host byte order — do
/// not `htons` it), for protocol `proto` or any protocol when `None`.
///
/// A port with no service is [`Error::NotFound`].
///
/// ```
/// use bsdsock::netdb::getservbyport;
/// let s = getservbyport(22, Some("tcp"))?;
/// assert_eq!((s.name.as_str(), s.proto.as_str()), ("ssh", "tcp"));
/// assert_eq!(getservbyport(53, None)?.name, "domain");
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`getservbyport(3)`]: https://man7.org/linux/man-pages/man3/getservbyport.3.html
#[doc(alias = "getservbyport_r")]
pub fn getservbyport(port: u16, proto: Option<&str>) -> Result<ServEnt> {
    const CALL: &str = "getservbyport";
    let mut pbuf: NameBuf = [0; MAX_NAME_LEN + 1];
    let cproto = proto.map(|p| c_name(CALL, "protocol name", p, &mut pbuf)).transpose()?;
    match sys::getservbyport_r(port, cproto).ctx(CALL)? {
        Some(raw) => Ok(ServEnt::from_raw(raw)),
        None => {
            Err(Error::NotFound { call: CALL, what: format!("port {port}{}", proto_suffix(proto)) })
        }
    }
}
