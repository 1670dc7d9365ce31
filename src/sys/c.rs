//! The C constants the option tables name: libc's, plus the few that libc spells
//! differently on some OS. `opt`'s `options!` macro resolves every level and
//! option name here, so a table line stays the C name users know on every
//! platform. The items defined below shadow libc's glob.

pub(crate) use libc::*;

cfg_if::cfg_if! {
    if #[cfg(not(linux_like))] {
        /// `IPV6_ADD_MEMBERSHIP`, the Linux name of RFC 3493's `IPV6_JOIN_GROUP`.
        /// The BSDs, Apple and illumos define only `IPV6_JOIN_GROUP` in
        /// `<netinet6/in6.h>` / `<netinet/in.h>` (FreeBSD ip6(4), OpenBSD ip6(4),
        /// illumos ip6(4P)); it is the same option, so the Linux name maps to it.
        pub(crate) const IPV6_ADD_MEMBERSHIP: c_int = libc::IPV6_JOIN_GROUP;
        /// `IPV6_DROP_MEMBERSHIP`, the Linux name of RFC 3493's
        /// `IPV6_LEAVE_GROUP`; as [`IPV6_ADD_MEMBERSHIP`].
        pub(crate) const IPV6_DROP_MEMBERSHIP: c_int = libc::IPV6_LEAVE_GROUP;
    }
}

cfg_if::cfg_if! {
    if #[cfg(solarish)] {
        // The getaddrinfo flags of illumos' <netdb.h> (getaddrinfo(3SOCKET)),
        // which the libc crate does not export for solarish targets.
        /// `AI_V4MAPPED`: IPv4-mapped addresses if there is no IPv6 answer.
        pub(crate) const AI_V4MAPPED: c_int = 0x0001;
        /// `AI_ALL`: with `AI_V4MAPPED`, IPv6 and IPv4-mapped answers.
        pub(crate) const AI_ALL: c_int = 0x0002;
        /// `AI_ADDRCONFIG`: only the families this host has an address of.
        pub(crate) const AI_ADDRCONFIG: c_int = 0x0004;
        /// `AI_PASSIVE`: the wildcard address when there is no host.
        pub(crate) const AI_PASSIVE: c_int = 0x0008;
        /// `AI_CANONNAME`: the canonical name in the first answer.
        pub(crate) const AI_CANONNAME: c_int = 0x0010;
        /// `AI_NUMERICHOST`: the host must be numeric.
        pub(crate) const AI_NUMERICHOST: c_int = 0x0020;
        /// `AI_NUMERICSERV`: the service must be numeric.
        pub(crate) const AI_NUMERICSERV: c_int = 0x0040;

        // getnameinfo's flags: `int` in getnameinfo(3SOCKET)'s prototype, but
        // `c_uint` in the libc crate; the same values as `int`.
        /// `NI_NOFQDN`.
        pub(crate) const NI_NOFQDN: c_int = libc::NI_NOFQDN as c_int;
        /// `NI_NUMERICHOST`.
        pub(crate) const NI_NUMERICHOST: c_int = libc::NI_NUMERICHOST as c_int;
        /// `NI_NAMEREQD`.
        pub(crate) const NI_NAMEREQD: c_int = libc::NI_NAMEREQD as c_int;
        /// `NI_NUMERICSERV`.
        pub(crate) const NI_NUMERICSERV: c_int = libc::NI_NUMERICSERV as c_int;
        /// `NI_DGRAM`.
        pub(crate) const NI_DGRAM: c_int = libc::NI_DGRAM as c_int;
    }
}

/// `IPPROTO_SCTP` (132, the IANA protocol number), which illumos' <netinet/in.h>
/// defines (sctp(4P)) and the libc crate does not export for solarish targets.
#[cfg(solarish)]
pub(crate) const IPPROTO_SCTP: c_int = 132;
