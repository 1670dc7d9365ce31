//! Host entries: `gethostbyname`, `gethostbyname2`, `gethostbyaddr`, and
//! `gethostname`.

#[cfg(netdb_r)]
use std::net::IpAddr;

use crate::error::Context;
#[cfg(netdb_r)]
use crate::{Domain, Errno, Error, sys::RawHost};
use crate::{Result, sys};

#[cfg(netdb_r)]
use super::{MAX_NAME_LEN, NameBuf, c_name};

/// A host as `struct hostent` describes it, owned.
///
/// `addrtype` is the family of every address in `addr_list`
/// ([`Domain::INET`] or [`Domain::INET6`]); [`HostEnt::addr`] is C's `h_addr`,
/// the first address.
///
/// ```
/// use bsdsock::netdb::gethostbyname;
/// use bsdsock::Domain;
/// let h = gethostbyname("localhost")?;
/// println!("official hostname: {}", h.name);
/// for alias in &h.aliases {
///     println!("\talias: {alias}");
/// }
/// assert_eq!(h.addrtype, Domain::INET);
/// assert!(h.addr_list.contains(&"127.0.0.1".parse().unwrap()));
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[cfg(netdb_r)]
#[cfg_attr(
    docsrs,
    doc(cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))
)]
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[doc(alias = "hostent")]
pub struct HostEnt {
    /// `h_name`: the official name of the host.
    pub name: String,
    /// `h_aliases`: other names for it.
    pub aliases: Vec<String>,
    /// `h_addrtype`: the family of the addresses.
    pub addrtype: Domain,
    /// `h_addr_list`: its addresses, in the order the resolver gave them.
    pub addr_list: Vec<IpAddr>,
}

#[cfg(netdb_r)]
impl HostEnt {
    /// `h_addr`: the first address, if there is one.
    ///
    /// ```
    /// let h = bsdsock::netdb::gethostbyname("127.0.0.1")?;
    /// assert_eq!(h.addr(), Some("127.0.0.1".parse().unwrap()));
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[doc(alias = "h_addr")]
    pub fn addr(&self) -> Option<IpAddr> {
        self.addr_list.first().copied()
    }

    /// `h_length`: the length in bytes of each address (4 for IPv4, 16 for IPv6).
    ///
    /// ```
    /// let h = bsdsock::netdb::gethostbyname2("::1", bsdsock::Domain::INET6)?;
    /// assert_eq!(h.length(), 16);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[doc(alias = "h_length")]
    pub fn length(&self) -> usize {
        if self.addrtype == Domain::INET6 { 16 } else { 4 }
    }

    fn from_raw(raw: RawHost) -> HostEnt {
        HostEnt {
            name: raw.name,
            aliases: raw.aliases,
            addrtype: Domain::from_raw(raw.addrtype),
            addr_list: raw.addrs,
        }
    }
}

/// [`gethostbyname(3)`], thread-safe: the IPv4 addresses of a host name, or the
/// address itself for dotted-quad input (no lookup is made for that).
///
/// Uses `gethostbyname_r` with a buffer owned by the call, so concurrent calls
/// never see each other's answers. A name that is not found fails with
/// [`Error::Host`] (`HOST_NOT_FOUND`, `NO_DATA`, `TRY_AGAIN` or `NO_RECOVERY`). A
/// name with a NUL byte or longer than [`MAX_NAME_LEN`] is refused with
/// [`Error::InvalidInput`] before any lookup.
///
/// ```
/// use bsdsock::netdb::{gethostbyname, HErrno};
/// use bsdsock::Error;
/// let h = gethostbyname("127.0.0.1")?; // dotted quad: answered without a lookup
/// assert_eq!((h.name.as_str(), h.addr()), ("127.0.0.1", Some("127.0.0.1".parse().unwrap())));
/// // All digits and dots but not an address: HOST_NOT_FOUND, also without a lookup.
/// match gethostbyname("256.1.1.1") {
///     Err(Error::Host { code, .. }) => assert_eq!(code, HErrno::HOST_NOT_FOUND),
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`gethostbyname(3)`]: https://man7.org/linux/man-pages/man3/gethostbyname.3.html
#[cfg(netdb_r)]
#[cfg_attr(
    docsrs,
    doc(cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))
)]
#[doc(alias = "gethostbyname_r")]
pub fn gethostbyname(name: &str) -> Result<HostEnt> {
    const CALL: &str = "gethostbyname";
    let mut buf: NameBuf = [0; MAX_NAME_LEN + 1];
    let cname = c_name(CALL, "host name", name, &mut buf)?;
    let raw = sys::gethostbyname_r(cname).ctx(CALL)?;
    Ok(HostEnt::from_raw(raw))
}

/// [`gethostbyname2(3)`], thread-safe: the addresses of `name` in family `af`
/// ([`Domain::INET`] or [`Domain::INET6`]); numeric input of that family is
/// answered without a lookup.
///
/// Any other family is `Err` with `EAFNOSUPPORT` before any lookup. Errors are
/// otherwise those of [`gethostbyname`].
///
/// ```
/// use bsdsock::netdb::gethostbyname2;
/// use bsdsock::{Domain, Errno};
/// let h = gethostbyname2("::1", Domain::INET6)?;
/// assert_eq!((h.addrtype, h.addr()), (Domain::INET6, Some("::1".parse().unwrap())));
/// let err = gethostbyname2("localhost", Domain::UNIX).unwrap_err();
/// assert_eq!(err.errno(), Some(Errno::EAFNOSUPPORT));
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`gethostbyname2(3)`]: https://man7.org/linux/man-pages/man3/gethostbyname2.3.html
#[cfg(netdb_r)]
#[cfg_attr(
    docsrs,
    doc(cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))
)]
#[doc(alias = "gethostbyname2_r")]
pub fn gethostbyname2(name: &str, af: Domain) -> Result<HostEnt> {
    const CALL: &str = "gethostbyname2";
    if af != Domain::INET && af != Domain::INET6 {
        return Err(Error::os(CALL, Errno::EAFNOSUPPORT));
    }
    let mut buf: NameBuf = [0; MAX_NAME_LEN + 1];
    let cname = c_name(CALL, "host name", name, &mut buf)?;
    let raw = sys::gethostbyname2_r(cname, af.as_raw()).ctx(CALL)?;
    Ok(HostEnt::from_raw(raw))
}

/// [`gethostbyaddr(3)`], thread-safe: the host entry of an IPv4 or IPv6 address
/// (a reverse lookup). The family and length arguments of C are implied by the
/// address.
///
/// An address that is not in `/etc/hosts` is asked of DNS (as the system's
/// `nsswitch.conf` says); an unknown one fails with [`Error::Host`].
///
/// ```
/// use bsdsock::netdb::gethostbyaddr;
/// let h = gethostbyaddr("127.0.0.1".parse().unwrap())?; // /etc/hosts
/// assert!(h.addr_list.contains(&"127.0.0.1".parse().unwrap()));
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`gethostbyaddr(3)`]: https://man7.org/linux/man-pages/man3/gethostbyaddr.3.html
#[cfg(netdb_r)]
#[cfg_attr(
    docsrs,
    doc(cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))
)]
#[doc(alias = "gethostbyaddr_r")]
pub fn gethostbyaddr(addr: IpAddr) -> Result<HostEnt> {
    const CALL: &str = "gethostbyaddr";
    let raw = sys::gethostbyaddr_r(addr).ctx(CALL)?;
    Ok(HostEnt::from_raw(raw))
}

/// [`gethostname(2)`]: this machine's host name (the kernel's `nodename`).
///
/// ```
/// let name = bsdsock::netdb::gethostname()?;
/// assert!(!name.is_empty());
/// # Ok::<(), bsdsock::Error>(())
/// ```
///
/// [`gethostname(2)`]: https://man7.org/linux/man-pages/man2/gethostname.2.html
pub fn gethostname() -> Result<String> {
    let bytes = sys::gethostname().ctx("gethostname")?;
    super::text("gethostname", "host name", bytes)
}
