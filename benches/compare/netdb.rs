//! The resolver: bsdsock's thread-safe calls against glibc's reentrant functions
//! called directly. bsdsock's versions make the same C call and copy the answer
//! into owned Rust values (getnameinfo_buf: into the caller's buffers, as raw
//! libc does in its row); the target is an overhead within 5%.
//!
//! Everything resolved is in /etc/hosts or /etc/services: no DNS traffic.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
use std::ffi::c_int;
use std::ffi::{CStr, c_char};
use std::hint::black_box;
use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

use bsdsock::netdb::{self, AddrInfoHints, NI_MAXHOST, NI_MAXSERV, NiFlags};
use bsdsock::{SockAddr, Type};

use crate::harness::{Case, CaseDef, Impl, Peer, Target, Unit, keep, looped};

// glibc's prototypes; bsdsock's gethostbyname/getservbyname rows exist where it
// wraps them (Linux with glibc).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
unsafe extern "C" {
    fn gethostbyname_r(
        name: *const c_char,
        ret: *mut libc::hostent,
        buf: *mut c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::hostent,
        h_errnop: *mut c_int,
    ) -> c_int;
    fn getservbyname_r(
        name: *const c_char,
        proto: *const c_char,
        ret: *mut libc::servent,
        buf: *mut c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::servent,
    ) -> c_int;
}

const LOCALHOST: &CStr = c"localhost";
const HTTP: &CStr = c"http";
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TCP: &CStr = c"tcp";

/// "Within 5% of calling glibc's reentrant functions directly".
const WITHIN: Target = Target::WithinRaw(1.05);

fn case(title: &str, impls: Vec<Impl>) -> Case {
    Case {
        title: title.into(),
        unit: Unit::Ns,
        sample: Duration::from_millis(3),
        rounds: 51,
        target: WITHIN,
        impls,
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn raw_gethostbyname() {
    // SAFETY: an all-zero hostent is valid (null pointers and zeros).
    let mut ent: libc::hostent = unsafe { std::mem::zeroed() };
    let mut buf = [0 as c_char; 1024];
    let mut result = std::ptr::null_mut();
    let mut herr = 0;
    // SAFETY: the name is NUL-terminated; ent, buf, result and herr are valid for
    // writes and outlive the call.
    let rc = unsafe {
        gethostbyname_r(
            LOCALHOST.as_ptr(),
            &mut ent,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
            &mut herr,
        )
    };
    assert!(rc == 0 && !result.is_null());
    black_box(&ent);
}

fn raw_getaddrinfo() {
    // SAFETY: an all-zero addrinfo is valid hints (zeros and null pointers).
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_socktype = libc::SOCK_STREAM;
    let mut res = std::ptr::null_mut();
    // SAFETY: host and service are NUL-terminated, hints is valid, res is valid
    // for writes.
    let rc = unsafe { libc::getaddrinfo(LOCALHOST.as_ptr(), HTTP.as_ptr(), &hints, &mut res) };
    assert_eq!(rc, 0);
    black_box(res);
    // SAFETY: res came from the successful getaddrinfo above and is freed once.
    unsafe { libc::freeaddrinfo(res) };
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn raw_getservbyname() {
    // SAFETY: an all-zero servent is valid (null pointers and zeros).
    let mut ent: libc::servent = unsafe { std::mem::zeroed() };
    let mut buf = [0 as c_char; 1024];
    let mut result = std::ptr::null_mut();
    // SAFETY: name and proto are NUL-terminated; ent, buf and result are valid
    // for writes and outlive the call.
    let rc = unsafe {
        getservbyname_r(
            HTTP.as_ptr(),
            TCP.as_ptr(),
            &mut ent,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        )
    };
    assert!(rc == 0 && !result.is_null());
    black_box(&ent);
}

fn raw_getnameinfo(sa: &SockAddr) {
    let bytes = sa.as_bytes();
    let mut host = [0 as c_char; 1025];
    let mut serv = [0 as c_char; 32];
    // SAFETY: bytes is a valid sockaddr of the length passed; host and serv are
    // valid for writes of their lengths.
    let rc = unsafe {
        libc::getnameinfo(
            bytes.as_ptr().cast(),
            bytes.len() as libc::socklen_t,
            host.as_mut_ptr(),
            // socklen_t here, size_t in FreeBSD's and OpenBSD's prototypes.
            host.len() as _,
            serv.as_mut_ptr(),
            serv.len() as _,
            // c_uint in libc for illumos: the same bits as C's int.
            (libc::NI_NUMERICHOST | libc::NI_NUMERICSERV) as _,
        )
    };
    assert_eq!(rc, 0);
    black_box((&host, &serv));
}

/// getnameinfo into buffers the caller keeps across calls, as C code that
/// declares `char host[NI_MAXHOST], serv[NI_MAXSERV]` once and reuses them.
fn raw_getnameinfo_into(
    sa: &SockAddr,
    host: &mut [c_char; NI_MAXHOST],
    serv: &mut [c_char; NI_MAXSERV],
) {
    let bytes = sa.as_bytes();
    // SAFETY: bytes is a valid sockaddr of the length passed; host and serv are
    // valid for writes of their lengths.
    let rc = unsafe {
        libc::getnameinfo(
            bytes.as_ptr().cast(),
            bytes.len() as libc::socklen_t,
            host.as_mut_ptr(),
            // socklen_t here, size_t in FreeBSD's and OpenBSD's prototypes.
            host.len() as _,
            serv.as_mut_ptr(),
            serv.len() as _,
            // c_uint in libc for illumos: the same bits as C's int.
            (libc::NI_NUMERICHOST | libc::NI_NUMERICSERV) as _,
        )
    };
    assert_eq!(rc, 0);
    black_box((host, serv));
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn gethostbyname() -> Case {
    case(
        "gethostbyname(\"localhost\")",
        vec![
            looped(Peer::Raw, raw_gethostbyname),
            looped(Peer::Bsdsock, || {
                black_box(netdb::gethostbyname(black_box("localhost")).unwrap());
            }),
        ],
    )
}

/// std has no service names: it resolves ("localhost", 80), which is the same
/// getaddrinfo call with a NULL service and the port filled in afterwards.
fn getaddrinfo() -> Case {
    let hints = AddrInfoHints { socktype: Type::STREAM, ..Default::default() };
    case(
        "getaddrinfo(\"localhost\", \"http\")",
        vec![
            looped(Peer::Raw, raw_getaddrinfo),
            looped(Peer::Bsdsock, move || {
                black_box(
                    netdb::getaddrinfo(Some(black_box("localhost")), Some("http"), &hints).unwrap(),
                );
            }),
            looped(Peer::Std, || {
                let v: Vec<SocketAddr> =
                    (black_box("localhost"), 80).to_socket_addrs().unwrap().collect();
                black_box(v);
            }),
        ],
    )
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn getservbyname() -> Case {
    case(
        "getservbyname(\"http\", \"tcp\")",
        vec![
            looped(Peer::Raw, raw_getservbyname),
            looped(Peer::Bsdsock, || {
                black_box(netdb::getservbyname(black_box("http"), Some("tcp")).unwrap());
            }),
        ],
    )
}

fn getnameinfo() -> Case {
    let sa: SockAddr = "[2001:db8::1]:8080".parse().unwrap();
    let sb = sa.clone();
    let mut c = case(
        "getnameinfo(numeric, v6)",
        vec![
            looped(Peer::Raw, move || raw_getnameinfo(&sa)),
            looped(Peer::Bsdsock, move || {
                black_box(
                    netdb::getnameinfo(&sb, NiFlags::NUMERICHOST | NiFlags::NUMERICSERV).unwrap(),
                );
            }),
        ],
    );
    c.sample = Duration::from_millis(1);
    c.rounds = 101;
    c
}

/// The no-allocation variant: both sides write into buffers kept across calls;
/// bsdsock also finds the two texts' lengths and checks they are UTF-8 (the
/// `&str`s it returns), and copies the address next to a NUL (see
/// `src/sys/netdb/addrinfo.rs`).
fn getnameinfo_buf() -> Case {
    let sa: SockAddr = "[2001:db8::1]:8080".parse().unwrap();
    let sb = sa.clone();
    let (mut raw_host, mut raw_serv) = ([0 as c_char; NI_MAXHOST], [0 as c_char; NI_MAXSERV]);
    let (mut host, mut serv) = ([0u8; NI_MAXHOST], [0u8; NI_MAXSERV]);
    let numeric = NiFlags::NUMERICHOST | NiFlags::NUMERICSERV;
    let mut c = case(
        "getnameinfo_buf(numeric, v6)",
        vec![
            looped(Peer::Raw, move || raw_getnameinfo_into(&sa, &mut raw_host, &mut raw_serv)),
            looped(Peer::Bsdsock, move || {
                keep(netdb::getnameinfo_buf(&sb, numeric, &mut host, &mut serv));
            }),
        ],
    );
    c.sample = Duration::from_millis(1);
    c.rounds = 101;
    c
}

pub fn cases() -> Vec<CaseDef> {
    vec![
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        CaseDef::new("gethostbyname", gethostbyname),
        CaseDef::new("getaddrinfo", getaddrinfo),
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        CaseDef::new("getservbyname", getservbyname),
        CaseDef::new("getnameinfo", getnameinfo),
        CaseDef::new("getnameinfo_buf", getnameinfo_buf),
    ]
}
