//! Protocols (`/etc/protocols`): `getprotobyname`, `getprotobynumber`.

use crate::error::Context;
use crate::{Error, Protocol, Result, sys};

use super::{MAX_NAME_LEN, NameBuf, c_name};

/// A protocol as `struct protoent` describes it, owned.
///
/// glibc reads `/etc/protocols`; musl answers from a table built into it, which
/// has no aliases.
///
/// ```
/// let p = bsdsock::netdb::getprotobyname("tcp")?;
/// assert_eq!((p.name.as_str(), p.proto), ("tcp", 6));
/// assert_eq!(p.protocol(), bsdsock::Protocol::TCP);
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[doc(alias = "protoent")]
pub struct ProtoEnt {
    /// `p_name`: the official name of the protocol.
    pub name: String,
    /// `p_aliases`: other names for it.
    pub aliases: Vec<String>,
    /// `p_proto`: its number (the `protocol` argument of `socket(2)`).
    pub proto: i32,
}

impl ProtoEnt {
    /// The protocol number as a [`Protocol`], ready for [`socket`](crate::socket).
    ///
    /// ```
    /// let udp = bsdsock::netdb::getprotobyname("udp")?.protocol();
    /// let s = bsdsock::socket(bsdsock::Domain::INET, bsdsock::Type::DGRAM, udp)?;
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub fn protocol(&self) -> Protocol {
        Protocol::from_raw(self.proto)
    }

    fn from_raw(raw: sys::RawProto) -> ProtoEnt {
        ProtoEnt { name: raw.name, aliases: raw.aliases, proto: raw.proto }
    }
}

/// [`getprotobyname(3)`], thread-safe: the protocol called `name` (official name or
/// alias). An unknown protocol is [`Error::NotFound`].
///
/// ```
/// use bsdsock::netdb::getprotobyname;
/// assert_eq!(getprotobyname("icmp")?.proto, 1);
/// assert_eq!(getprotobyname("udp")?.proto, 17);
/// assert!(getprotobyname("no-such-protocol").is_err());
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`getprotobyname(3)`]: https://man7.org/linux/man-pages/man3/getprotobyname.3.html
#[doc(alias = "getprotobyname_r")]
pub fn getprotobyname(name: &str) -> Result<ProtoEnt> {
    const CALL: &str = "getprotobyname";
    let mut nbuf: NameBuf = [0; MAX_NAME_LEN + 1];
    let cname = c_name(CALL, "protocol name", name, &mut nbuf)?;
    match sys::getprotobyname_r(cname).ctx(CALL)? {
        Some(raw) => Ok(ProtoEnt::from_raw(raw)),
        None => Err(Error::NotFound { call: CALL, what: format!("protocol {name:?}") }),
    }
}

/// [`getprotobynumber(3)`], thread-safe: the protocol with number `proto`. A number
/// with no entry is [`Error::NotFound`].
///
/// ```
/// use bsdsock::netdb::getprotobynumber;
/// assert_eq!(getprotobynumber(17)?.name, "udp");
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`getprotobynumber(3)`]: https://man7.org/linux/man-pages/man3/getprotobynumber.3.html
#[doc(alias = "getprotobynumber_r")]
pub fn getprotobynumber(proto: i32) -> Result<ProtoEnt> {
    const CALL: &str = "getprotobynumber";
    match sys::getprotobynumber_r(proto).ctx(CALL)? {
        Some(raw) => Ok(ProtoEnt::from_raw(raw)),
        None => Err(Error::NotFound { call: CALL, what: format!("protocol {proto}") }),
    }
}
