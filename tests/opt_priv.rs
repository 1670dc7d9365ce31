//! Options that need privileges (CAP_NET_ADMIN, CAP_NET_RAW).
//!
//! Which path runs is printed and both assert something real:
//! - as root: each option round-trips against raw libc, and a child process that
//!   has dropped to uid/gid 65534 (and so lost every capability) gets the typed
//!   `EPERM` (`EACCES` for SO_DEBUG) for each;
//! - unprivileged: the same denials in this process (a root round trip is then
//!   impossible, and said so).

mod opt_common;

use bsdsock::opt::{self, Encode, Opt, ReadWrite, Set, getsockopt, setsockopt};
use bsdsock::{Domain, Errno, Protocol, Type, socket};
use opt_common::*;

use libc::{IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, SOL_SOCKET};

/// One privileged operation.
struct Case {
    name: &'static str,
    /// The errno without the privilege.
    denied: Errno,
    /// Tries the operation on a fresh socket: `None` if it worked. Allocation
    /// free, so that it is safe in a child forked from this threaded process.
    attempt: fn() -> Option<Errno>,
    /// As root: the option, set typed and read through libc, and the reverse.
    round_trip: fn(),
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

/// Both ways for an int-carried option (see `tests/opt.rs`).
#[track_caller]
#[allow(clippy::too_many_arguments)]
fn both_ways<V, C>(
    s: &bsdsock::Socket,
    opt: Opt<V, ReadWrite, C>,
    level: i32,
    name: i32,
    a: V,
    ra: i32,
    rb: i32,
    b: V,
) where
    C: Encode<V> + bsdsock::opt::Decode<V>,
    V: PartialEq + std::fmt::Debug + Clone,
{
    assert_eq!((opt.level(), opt.optname()), (level, name), "{}", opt.name());
    setsockopt(s, opt, a.clone()).unwrap_or_else(|e| panic!("typed set {a:?}: {e}"));
    assert_eq!(raw_get_int(s, level, name), ra, "{}: typed set {a:?}, libc read", opt.name());
    raw_set_int(s, level, name, rb);
    assert_eq!(getsockopt(s, opt).unwrap(), b, "{}: libc set {rb}, typed read", opt.name());
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

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "SO_DEBUG",
            denied: Errno::EACCES,
            attempt: || try_set(INET, STREAM, ANY, opt::SO_DEBUG, true),
            round_trip: || {
                let s = tcp4();
                both_ways(&s, opt::SO_DEBUG, SOL_SOCKET, libc::SO_DEBUG, true, 1, 0, false);
            },
        },
        Case {
            name: "SO_MARK",
            denied: Errno::EPERM,
            attempt: || try_set(INET, STREAM, ANY, opt::SO_MARK, 42),
            round_trip: || {
                let s = tcp4();
                both_ways(&s, opt::SO_MARK, SOL_SOCKET, libc::SO_MARK, 42, 42, 7, 7);
            },
        },
        Case {
            name: "SO_PRIORITY above 6",
            denied: Errno::EPERM,
            attempt: || try_set(INET, STREAM, ANY, opt::SO_PRIORITY, 7),
            round_trip: || {
                let s = tcp4();
                both_ways(&s, opt::SO_PRIORITY, SOL_SOCKET, libc::SO_PRIORITY, 7, 7, 9, 9);
            },
        },
        Case {
            name: "SO_RCVBUFFORCE",
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
            denied: Errno::EPERM,
            attempt: || try_set(INET, RAW, Protocol::UDP, opt::IP_HDRINCL, true),
            round_trip: || {
                let s = socket(INET, RAW, Protocol::UDP).unwrap();
                both_ways(&s, opt::IP_HDRINCL, IPPROTO_IP, libc::IP_HDRINCL, true, 1, 0, false);
            },
        },
        Case {
            name: "IPV6_HDRINCL (raw socket)",
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

#[test]
fn privileged_options_round_trip_as_root() {
    let cases = cases();
    if is_root() {
        eprintln!("running as root: round-tripping {} privileged options", cases.len());
        for c in &cases {
            eprintln!("  {}", c.name);
            (c.round_trip)();
        }
    } else {
        eprintln!(
            "not root: privileged options cannot round-trip here; checking that each is denied"
        );
        for c in &cases {
            assert_eq!((c.attempt)(), Some(c.denied), "{} without privileges", c.name);
        }
    }
}

#[test]
fn privileged_options_are_denied_without_privileges() {
    let cases = cases();
    let results = if is_root() {
        eprintln!("running as root: checking the denials in a child that drops to uid 65534");
        run_unprivileged(&cases)
    } else {
        eprintln!("not root: checking the denials in this process");
        cases.iter().map(|c| (c.attempt)()).collect()
    };
    assert_eq!(results.len(), cases.len());
    for (c, got) in cases.iter().zip(results) {
        assert_eq!(got, Some(c.denied), "{} without privileges", c.name);
    }
}

/// Runs every attempt in a forked child that has given up root (setgroups,
/// setgid, setuid to 65534: all capabilities go with uid 0), and collects the
/// errnos through a pipe. The child only makes system calls and never allocates,
/// as it must in a fork of a threaded process.
fn run_unprivileged(cases: &[Case]) -> Vec<Option<Errno>> {
    let mut fds = [-1; 2];
    // SAFETY: fds is a valid array of two ints.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    let [rd, wr] = fds;
    // SAFETY: fork has no preconditions; the child below only calls
    // async-signal-safe functions and allocation-free code, then _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // SAFETY: plain system calls on integers and our own pipe; _exit never
        // returns and runs no destructors or atexit handlers.
        unsafe {
            libc::close(rd);
            if libc::setgroups(0, std::ptr::null()) != 0
                || libc::setgid(65534) != 0
                || libc::setuid(65534) != 0
                || libc::geteuid() == 0
            {
                libc::_exit(100);
            }
            for c in cases {
                let code: i32 = (c.attempt)().map_or(0, |e| e.raw());
                if libc::write(wr, (&code as *const i32).cast(), 4) != 4 {
                    libc::_exit(101);
                }
            }
            libc::_exit(0);
        }
    }
    // SAFETY: wr is our copy of the pipe's write end, no longer needed.
    unsafe { libc::close(wr) };
    let mut bytes = Vec::new();
    let mut buf = [0u8; 256];
    loop {
        // SAFETY: buf is valid for writes of its length.
        let n = unsafe { libc::read(rd, buf.as_mut_ptr().cast(), buf.len()) };
        assert!(n >= 0, "read from the child failed");
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buf[..n as usize]);
    }
    // SAFETY: rd is ours.
    unsafe { libc::close(rd) };
    let mut status = 0;
    // SAFETY: pid is our child; status is a valid int.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status), "child did not exit normally: {status:#x}");
    assert_eq!(libc::WEXITSTATUS(status), 0, "child could not drop privileges or report");
    bytes
        .chunks_exact(4)
        .map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        .map(|code| (code != 0).then(|| Errno::from_raw(code)))
        .collect()
}
