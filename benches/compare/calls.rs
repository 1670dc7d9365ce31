//! Single system calls: getsockopt / setsockopt of an int option, getsockname,
//! socket + close. Each peer gets a UDP socket bound to 127.0.0.1 (::1 for the
//! AF_INET6 getsockname row), made the same way and held in the peer's own type
//! (a raw fd, `bsdsock::Socket`, `std::net::UdpSocket`, `socket2::Socket`, an
//! `OwnedFd` for nix), so the kernel does the same work for all of them and only
//! the user-space code differs.

use std::hint::black_box;
use std::mem::{MaybeUninit, size_of};
use std::net::UdpSocket;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::rc::Rc;
use std::time::Duration;

use crate::harness::{Case, CaseDef, Peer, Target, Unit, keep, looped};

const SAMPLE: Duration = Duration::from_millis(2);
const ROUNDS: usize = 151;
/// "Within 3% of raw libc".
const WITHIN: Target = Target::WithinRaw(1.03);

/// A UDP socket bound to loopback (127.0.0.1 or ::1), in each peer's type.
struct Sockets {
    raw: RawFd,
    bsdsock: bsdsock::Socket,
    std: UdpSocket,
    socket2: socket2::Socket,
    nix: OwnedFd,
    /// Owns `raw`.
    _raw_owner: OwnedFd,
}

fn bound_udp(at: &str) -> UdpSocket {
    UdpSocket::bind(at).expect("bind a UDP socket on loopback")
}

fn sockets_at(at: &str) -> Rc<Sockets> {
    let owner = OwnedFd::from(bound_udp(at));
    Rc::new(Sockets {
        raw: owner.as_raw_fd(),
        bsdsock: bsdsock::Socket::from(bound_udp(at)),
        std: bound_udp(at),
        socket2: socket2::Socket::from(bound_udp(at)),
        nix: OwnedFd::from(bound_udp(at)),
        _raw_owner: owner,
    })
}

fn sockets() -> Rc<Sockets> {
    sockets_at("127.0.0.1:0")
}

/// `getsockopt(fd, IPPROTO_IP, IP_TTL)`: an int option every peer has.
fn getsockopt() -> Case {
    let s = sockets();
    let fd = s.raw;
    let impls = vec![
        looped(Peer::Raw, move || {
            let mut v: libc::c_int = 0;
            let mut len = size_of::<libc::c_int>() as libc::socklen_t;
            // SAFETY: v and len are valid for writes; len is v's size.
            let r = unsafe {
                libc::getsockopt(
                    fd,
                    libc::IPPROTO_IP,
                    libc::IP_TTL,
                    (&mut v as *mut libc::c_int).cast(),
                    &mut len,
                )
            };
            assert!(r == 0);
            black_box(&v);
        }),
        looped(Peer::Bsdsock, {
            let s = s.clone();
            move || {
                keep(bsdsock::opt::getsockopt(&s.bsdsock, bsdsock::opt::IP_TTL));
            }
        }),
        looped(Peer::Std, {
            let s = s.clone();
            move || {
                keep(s.std.ttl());
            }
        }),
        looped(Peer::Socket2, {
            let s = s.clone();
            move || {
                keep(s.socket2.ttl_v4());
            }
        }),
        // nix names IP_TTL (sockopt::Ipv4Ttl) on Linux, Android and FreeBSD only.
        #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
        looped(Peer::Nix, {
            let s = s.clone();
            move || {
                keep(nix::sys::socket::getsockopt(&s.nix, nix::sys::socket::sockopt::Ipv4Ttl));
            }
        }),
    ];
    Case {
        title: "getsockopt(IP_TTL)".into(),
        unit: Unit::Ns,
        sample: SAMPLE,
        rounds: ROUNDS,
        target: WITHIN,
        impls,
    }
}

/// `setsockopt(fd, IPPROTO_IP, IP_TTL, 64)`.
fn setsockopt() -> Case {
    let s = sockets();
    let fd = s.raw;
    let impls = vec![
        looped(Peer::Raw, move || {
            let v: libc::c_int = 64;
            // SAFETY: v is a live int of the size passed.
            let r = unsafe {
                libc::setsockopt(
                    fd,
                    libc::IPPROTO_IP,
                    libc::IP_TTL,
                    (&v as *const libc::c_int).cast(),
                    size_of::<libc::c_int>() as libc::socklen_t,
                )
            };
            assert!(r == 0);
        }),
        looped(Peer::Bsdsock, {
            let s = s.clone();
            move || {
                keep(bsdsock::opt::setsockopt(&s.bsdsock, bsdsock::opt::IP_TTL, 64));
            }
        }),
        looped(Peer::Std, {
            let s = s.clone();
            move || {
                keep(s.std.set_ttl(64));
            }
        }),
        looped(Peer::Socket2, {
            let s = s.clone();
            move || {
                keep(s.socket2.set_ttl_v4(64));
            }
        }),
        // nix names IP_TTL (sockopt::Ipv4Ttl) on Linux, Android and FreeBSD only.
        #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
        looped(Peer::Nix, {
            let s = s.clone();
            move || {
                keep(nix::sys::socket::setsockopt(&s.nix, nix::sys::socket::sockopt::Ipv4Ttl, &64));
            }
        }),
    ];
    Case {
        title: "setsockopt(IP_TTL)".into(),
        unit: Unit::Ns,
        sample: SAMPLE,
        rounds: ROUNDS,
        target: WITHIN,
        impls,
    }
}

/// `getsockname` of an AF_INET or AF_INET6 socket, decoded into each peer's
/// address type.
fn getsockname(v6: bool) -> Case {
    let s = sockets_at(if v6 { "[::1]:0" } else { "127.0.0.1:0" });
    let fd = s.raw;
    let impls = vec![
        looped(Peer::Raw, move || {
            let mut ss = MaybeUninit::<libc::sockaddr_storage>::uninit();
            let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            // SAFETY: ss and len are valid for writes; len is ss's size.
            let r = unsafe { libc::getsockname(fd, ss.as_mut_ptr().cast(), &mut len) };
            assert!(r == 0);
            black_box((&ss, len));
        }),
        looped(Peer::Bsdsock, {
            let s = s.clone();
            move || {
                keep(bsdsock::getsockname(&s.bsdsock));
            }
        }),
        looped(Peer::Std, {
            let s = s.clone();
            move || {
                keep(s.std.local_addr());
            }
        }),
        looped(Peer::Socket2, {
            let s = s.clone();
            move || {
                keep(s.socket2.local_addr());
            }
        }),
        {
            use nix::sys::socket::{SockaddrIn, SockaddrIn6, getsockname};
            // The descriptors stay open while the other closures hold `s`.
            let fd = s.nix.as_raw_fd();
            if v6 {
                looped(Peer::Nix, move || keep(getsockname::<SockaddrIn6>(fd)))
            } else {
                looped(Peer::Nix, move || keep(getsockname::<SockaddrIn>(fd)))
            }
        },
    ];
    Case {
        title: if v6 { "getsockname (AF_INET6)" } else { "getsockname (AF_INET)" }.into(),
        unit: Unit::Ns,
        sample: SAMPLE,
        rounds: ROUNDS,
        target: WITHIN,
        impls,
    }
}

/// `socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC)` and `close`. std has no way to
/// make a socket without binding or connecting it, so it has no column here.
#[cfg(not(target_vendor = "apple"))]
fn socket_close() -> Case {
    let impls = vec![
        looped(Peer::Raw, || {
            // SAFETY: socket takes integers only.
            let fd =
                unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
            assert!(fd >= 0);
            // SAFETY: fd is the descriptor just created, closed once.
            black_box(unsafe { libc::close(black_box(fd)) });
        }),
        looped(Peer::Bsdsock, || {
            use bsdsock::{Domain, Protocol, Type};
            let s = bsdsock::socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT).unwrap();
            drop(black_box(s));
        }),
        looped(Peer::Socket2, || {
            use socket2::{Domain, Socket, Type};
            let s = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
            drop(black_box(s));
        }),
        looped(Peer::Nix, || {
            use nix::sys::socket::{AddressFamily, SockFlag, SockType, socket};
            let s: OwnedFd =
                socket(AddressFamily::Inet, SockType::Datagram, SockFlag::SOCK_CLOEXEC, None)
                    .unwrap();
            drop(black_box(s));
        }),
    ];
    Case {
        title: "socket + close (UDP)".into(),
        unit: Unit::Ns,
        sample: SAMPLE,
        rounds: ROUNDS,
        target: WITHIN,
        impls,
    }
}

pub fn cases() -> Vec<CaseDef> {
    vec![
        CaseDef::new("getsockopt", getsockopt),
        CaseDef::new("setsockopt", setsockopt),
        CaseDef::new("getsockname", || getsockname(false)),
        CaseDef::new("getsockname6", || getsockname(true)),
        // Its raw row is socket(SOCK_CLOEXEC), which Apple lacks.
        #[cfg(not(target_vendor = "apple"))]
        CaseDef::new("socket_close", socket_close),
    ]
}
