//! Options that need privileges (CAP_NET_ADMIN, CAP_NET_RAW): one case per
//! operation, run by `tests/opt_priv.rs` and counted as rows by `tests/opt/`.

use bsdsock::opt::{self, Encode, Opt, Set, getsockopt, setsockopt};
use bsdsock::{Domain, Errno, Protocol, Type, socket};

use super::rows::{Named, both_ways, named};
use super::*;

use libc::{IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, SOL_SOCKET};

/// One privileged operation.
pub struct Case {
    /// What is attempted (the option, and how when that matters).
    pub name: &'static str,
    /// The option it needs the privilege for.
    pub option: Named,
    /// The errno without the privilege.
    pub denied: Errno,
    /// Tries the operation on a fresh socket: `None` if it worked. Allocation
    /// free, so that it is safe in a child forked from this threaded process.
    pub attempt: fn() -> Option<Errno>,
    /// As root: the option, set typed and read through libc, and the reverse.
    pub round_trip: fn(),
}

/// `setsockopt` on a fresh socket; the errno of whichever call failed.
fn try_set<V, A: Set, C: Encode<T>, T>(
    d: Domain,
    t: Type,
    p: Protocol,
    opt: Opt<V, A, C>,
    value: T,
) -> Option<Errno> {
    let s = match socket(d, t, p) {
        Ok(s) => s,
        Err(e) => return e.errno(),
    };
    setsockopt(&s, opt, value).err().and_then(|e| e.errno())
}

fn rmem_max() -> i32 {
    std::fs::read_to_string("/proc/sys/net/core/rmem_max").unwrap().trim().parse().unwrap()
}

fn wmem_max() -> i32 {
    std::fs::read_to_string("/proc/sys/net/core/wmem_max").unwrap().trim().parse().unwrap()
}

const INET: Domain = Domain::INET;
const INET6: Domain = Domain::INET6;
const STREAM: Type = Type::STREAM;
const DGRAM: Type = Type::DGRAM;
const RAW: Type = Type::RAW;
const ANY: Protocol = Protocol::DEFAULT;

/// Every privileged case; the options they cover count as rows.
pub fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "SO_DEBUG",
            option: named(opt::SO_DEBUG),
            denied: Errno::EACCES,
            attempt: || try_set(INET, STREAM, ANY, opt::SO_DEBUG, true),
            round_trip: || {
                let s = tcp4();
                both_ways(&s, opt::SO_DEBUG, SOL_SOCKET, libc::SO_DEBUG, true, 1, 0, false);
            },
        },
        Case {
            name: "SO_MARK",
            option: named(opt::SO_MARK),
            denied: Errno::EPERM,
            attempt: || try_set(INET, STREAM, ANY, opt::SO_MARK, 42),
            round_trip: || {
                let s = tcp4();
                both_ways(&s, opt::SO_MARK, SOL_SOCKET, libc::SO_MARK, 42, 42, 7, 7);
            },
        },
        Case {
            name: "SO_PRIORITY above 6",
            option: named(opt::SO_PRIORITY),
            denied: Errno::EPERM,
            attempt: || try_set(INET, STREAM, ANY, opt::SO_PRIORITY, 7),
            round_trip: || {
                let s = tcp4();
                both_ways(&s, opt::SO_PRIORITY, SOL_SOCKET, libc::SO_PRIORITY, 7, 7, 9, 9);
            },
        },
        Case {
            name: "SO_RCVBUFFORCE",
            option: named(opt::SO_RCVBUFFORCE),
            denied: Errno::EPERM,
            attempt: || try_set(INET, STREAM, ANY, opt::SO_RCVBUFFORCE, 1 << 20),
            round_trip: || {
                // Beyond rmem_max, where SO_RCVBUF would be capped; doubled as usual.
                let n = rmem_max() + 8192;
                let s = tcp4();
                setsockopt(&s, opt::SO_RCVBUFFORCE, n as usize).unwrap();
                assert_eq!(raw_get_int(&s, SOL_SOCKET, libc::SO_RCVBUF), 2 * n);
                assert_eq!(getsockopt(&s, opt::SO_RCVBUF).unwrap(), 2 * n as usize);
                // libc's SO_RCVBUFFORCE of the same value gives the same result.
                let r = tcp4();
                raw_set_int(&r, SOL_SOCKET, libc::SO_RCVBUFFORCE, n);
                assert_eq!(getsockopt(&r, opt::SO_RCVBUF).unwrap(), 2 * n as usize);
            },
        },
        Case {
            name: "SO_SNDBUFFORCE",
            option: named(opt::SO_SNDBUFFORCE),
            denied: Errno::EPERM,
            attempt: || try_set(INET, STREAM, ANY, opt::SO_SNDBUFFORCE, 1 << 20),
            round_trip: || {
                let n = wmem_max() + 8192;
                let s = tcp4();
                setsockopt(&s, opt::SO_SNDBUFFORCE, n as usize).unwrap();
                assert_eq!(raw_get_int(&s, SOL_SOCKET, libc::SO_SNDBUF), 2 * n);
                let r = tcp4();
                raw_set_int(&r, SOL_SOCKET, libc::SO_SNDBUFFORCE, n);
                assert_eq!(getsockopt(&r, opt::SO_SNDBUF).unwrap(), 2 * n as usize);
            },
        },
        Case {
            name: "SO_TXTIME on CLOCK_TAI",
            option: named(opt::SO_TXTIME),
            denied: Errno::EPERM,
            attempt: || {
                let t =
                    opt::SockTxtime { clockid: libc::CLOCK_TAI, flags: opt::TxtimeFlags::empty() };
                try_set(INET, DGRAM, ANY, opt::SO_TXTIME, t)
            },
            round_trip: || {
                let s = udp4();
                let t = opt::SockTxtime {
                    clockid: libc::CLOCK_TAI,
                    flags: opt::TxtimeFlags::DEADLINE_MODE,
                };
                setsockopt(&s, opt::SO_TXTIME, t).unwrap();
                let raw = raw_get::<libc::sock_txtime>(&s, SOL_SOCKET, libc::SO_TXTIME).unwrap().0;
                assert_eq!(
                    (raw.clockid, raw.flags),
                    (libc::CLOCK_TAI, libc::SOF_TXTIME_DEADLINE_MODE)
                );
                assert_eq!(getsockopt(&s, opt::SO_TXTIME).unwrap(), t);
            },
        },
        Case {
            name: "SO_BINDTODEVICE changed",
            option: named(opt::SO_BINDTODEVICE),
            denied: Errno::EPERM,
            attempt: || {
                let s = match socket(INET, DGRAM, ANY) {
                    Ok(s) => s,
                    Err(e) => return e.errno(),
                };
                // A first binding is allowed to anyone; changing it is not.
                if let Err(e) = setsockopt(&s, opt::SO_BINDTODEVICE, "lo") {
                    return e.errno();
                }
                setsockopt(&s, opt::SO_BINDTODEVICE, None).err().and_then(|e| e.errno())
            },
            round_trip: || {
                let s = udp4();
                setsockopt(&s, opt::SO_BINDTODEVICE, "lo").unwrap();
                setsockopt(&s, opt::SO_BINDTODEVICE, None).unwrap();
                let mut buf = [0u8; 16];
                assert_eq!(raw_get_bytes(&s, SOL_SOCKET, libc::SO_BINDTODEVICE, &mut buf), Ok(0));
                assert_eq!(getsockopt(&s, opt::SO_BINDTODEVICE).unwrap(), None);
                raw_set_bytes(&s, SOL_SOCKET, libc::SO_BINDTODEVICE, b"lo").unwrap();
                assert_eq!(getsockopt(&s, opt::SO_BINDTODEVICE).unwrap().unwrap(), "lo");
            },
        },
        Case {
            name: "IP_TRANSPARENT",
            option: named(opt::IP_TRANSPARENT),
            denied: Errno::EPERM,
            attempt: || try_set(INET, STREAM, ANY, opt::IP_TRANSPARENT, true),
            round_trip: || {
                let s = tcp4();
                both_ways(
                    &s,
                    opt::IP_TRANSPARENT,
                    IPPROTO_IP,
                    libc::IP_TRANSPARENT,
                    true,
                    1,
                    0,
                    false,
                );
            },
        },
        Case {
            name: "IPV6_TRANSPARENT",
            option: named(opt::IPV6_TRANSPARENT),
            denied: Errno::EPERM,
            attempt: || try_set(INET6, STREAM, ANY, opt::IPV6_TRANSPARENT, true),
            round_trip: || {
                let s = tcp6();
                both_ways(
                    &s,
                    opt::IPV6_TRANSPARENT,
                    IPPROTO_IPV6,
                    libc::IPV6_TRANSPARENT,
                    true,
                    1,
                    0,
                    false,
                );
            },
        },
        Case {
            name: "TCP_REPAIR",
            option: named(opt::TCP_REPAIR),
            denied: Errno::EPERM,
            attempt: || try_set(INET, STREAM, ANY, opt::TCP_REPAIR, opt::TcpRepair::ON),
            round_trip: || {
                use bsdsock::opt::TcpRepair;
                let s = tcp4();
                both_ways(
                    &s,
                    opt::TCP_REPAIR,
                    IPPROTO_TCP,
                    libc::TCP_REPAIR,
                    TcpRepair::ON,
                    1,
                    0,
                    TcpRepair::OFF,
                );
            },
        },
        Case {
            name: "IP_HDRINCL (raw socket)",
            option: named(opt::IP_HDRINCL),
            denied: Errno::EPERM,
            attempt: || try_set(INET, RAW, Protocol::UDP, opt::IP_HDRINCL, true),
            round_trip: || {
                let s = socket(INET, RAW, Protocol::UDP).unwrap();
                both_ways(&s, opt::IP_HDRINCL, IPPROTO_IP, libc::IP_HDRINCL, true, 1, 0, false);
            },
        },
        Case {
            name: "IPV6_HDRINCL (raw socket)",
            option: named(opt::IPV6_HDRINCL),
            denied: Errno::EPERM,
            attempt: || try_set(INET6, RAW, Protocol::UDP, opt::IPV6_HDRINCL, true),
            round_trip: || {
                // Its own option at IPPROTO_IPV6, not IP_HDRINCL read at the IPv6
                // level (a bug a peer crate shipped).
                let s = socket(INET6, RAW, Protocol::UDP).unwrap();
                both_ways(
                    &s,
                    opt::IPV6_HDRINCL,
                    IPPROTO_IPV6,
                    libc::IPV6_HDRINCL,
                    true,
                    1,
                    0,
                    false,
                );
                assert_ne!(libc::IPV6_HDRINCL, libc::IP_HDRINCL);
            },
        },
    ]
}
