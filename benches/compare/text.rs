//! inet_pton / inet_ntop, IPv4 and IPv6: bsdsock against glibc's functions and
//! std's `FromStr` / `Display`. Each call takes the next of eight typical
//! addresses, so no branch predictor learns a single input. The `_bad` rows
//! parse eight typical mistakes instead: a refusal is worth measuring too,
//! since it is where an error value gets built.

use std::ffi::CString;
use std::fmt::{self, Write as _};
use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use crate::harness::{Case, CaseDef, Peer, Target, Unit, keep, looped};

// glibc's, declared here because the libc crate does not bind them.
unsafe extern "C" {
    fn inet_pton(af: libc::c_int, src: *const libc::c_char, dst: *mut libc::c_void) -> libc::c_int;
    fn inet_ntop(
        af: libc::c_int,
        src: *const libc::c_void,
        dst: *mut libc::c_char,
        size: libc::socklen_t,
    ) -> *const libc::c_char;
}

/// C's INET6_ADDRSTRLEN.
const C_INET6_ADDRSTRLEN: usize = 46;

const V4: [&str; 8] = [
    "192.168.1.1",
    "10.0.0.254",
    "127.0.0.1",
    "255.255.255.255",
    "8.8.4.4",
    "172.16.254.3",
    "0.0.0.0",
    "203.0.113.77",
];

const V6: [&str; 8] = [
    "2001:db8::1",
    "fe80::1ff:fe23:4567:890a",
    "::1",
    "2001:db8:85a3::8a2e:370:7334",
    "::ffff:192.0.2.128",
    "ff02::1:ff00:1",
    "2a00:1450:4007:80e::200e",
    "2001:db8:0:0:1:0:0:1",
];

/// Text that neither family accepts, each wrong in its own way.
const BAD_V4: [&str; 8] = [
    "256.1.1.1",
    "1.2.3",
    "01.2.3.4",
    "1.2.3.4.5",
    "example.com",
    "10.0.0.1 ",
    "::1",
    "192.168.1.1/24",
];

const BAD_V6: [&str; 8] = [
    "1:::2",
    "1:2:3:4:5:6:7:8:9",
    "::g",
    "[::1]",
    "fe80::1%eth0",
    "192.0.2.1",
    "12345::",
    "2001:db8::1::2",
];

/// "At least twice as fast as glibc's and faster than std's" (the printers).
const TWICE: Target = Target::RatioAndStd(0.5);

/// A valid dotted quad: at most 0.8 of glibc's time, and faster than std.
const PTON_V4: Target = Target::RatioAndStd(0.8);

/// Valid IPv6 text: at most 0.6 of glibc's time, and faster than std.
const PTON_V6: Target = Target::RatioAndStd(0.6);

/// A refusal costs no more than glibc's.
const NO_SLOWER: Target = Target::WithinRaw(1.0);

/// A fixed buffer that `write!` can fill without allocating (for std's Display).
struct Fixed {
    buf: [u8; 64],
    len: usize,
}

impl fmt::Write for Fixed {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        self.buf.get_mut(self.len..end).ok_or(fmt::Error)?.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn case(title: &str, target: Target, impls: Vec<crate::harness::Impl>) -> Case {
    Case {
        title: title.into(),
        unit: Unit::Ns,
        sample: Duration::from_millis(1),
        rounds: 101,
        target,
        impls,
    }
}

/// Keeps a parse result that must be an error (and its destructor, which a
/// caller pays too).
fn keep_err<T, E>(r: Result<T, E>) {
    assert!(r.is_err());
    black_box(&r);
}

/// `inet_pton` of the eight `texts`, all valid (`valid`) or all invalid.
fn pton(v6: bool, texts: [&'static str; 8], valid: bool, title: &str, target: Target) -> Case {
    let cstrs: Vec<CString> = texts.iter().map(|s| CString::new(*s).unwrap()).collect();
    let (af, domain) = if v6 {
        (libc::AF_INET6, bsdsock::Domain::INET6)
    } else {
        (libc::AF_INET, bsdsock::Domain::INET)
    };
    let mut i = 0usize;
    let mut j = 0usize;
    let mut k = 0usize;
    let impls = vec![
        looped(Peer::Raw, move || {
            let mut out = [0u8; 16];
            let src = &cstrs[i % 8];
            i += 1;
            // SAFETY: src is NUL-terminated; out has room for an in6_addr (and so
            // for an in_addr).
            let r = unsafe { inet_pton(af, src.as_ptr(), out.as_mut_ptr().cast()) };
            assert!(r == i32::from(valid));
            black_box(&out);
        }),
        looped(Peer::Bsdsock, move || {
            let src = black_box(texts[j % 8]);
            j += 1;
            let r = bsdsock::inet_pton(domain, src);
            if valid { keep(r) } else { keep_err(r) }
        }),
        looped(Peer::Std, move || {
            let src = black_box(texts[k % 8]);
            k += 1;
            match (v6, valid) {
                (true, true) => keep(src.parse::<Ipv6Addr>()),
                (true, false) => keep_err(src.parse::<Ipv6Addr>()),
                (false, true) => keep(src.parse::<Ipv4Addr>()),
                (false, false) => keep_err(src.parse::<Ipv4Addr>()),
            }
        }),
    ];
    case(title, target, impls)
}

fn ntop(v6: bool) -> Case {
    let texts: [&'static str; 8] = if v6 { V6 } else { V4 };
    let ips: Vec<IpAddr> = texts.iter().map(|s| s.parse().unwrap()).collect();
    // The C representation: the address bytes (in_addr / in6_addr).
    let raw: Vec<[u8; 16]> = ips
        .iter()
        .map(|ip| {
            let mut b = [0u8; 16];
            match ip {
                IpAddr::V4(a) => b[..4].copy_from_slice(&a.octets()),
                IpAddr::V6(a) => b.copy_from_slice(&a.octets()),
            }
            b
        })
        .collect();
    let af = if v6 { libc::AF_INET6 } else { libc::AF_INET };
    let (ips_b, ips_s) = (ips.clone(), ips);
    let mut i = 0usize;
    let mut j = 0usize;
    let mut k = 0usize;
    let impls = vec![
        looped(Peer::Raw, move || {
            let mut buf = [0 as libc::c_char; C_INET6_ADDRSTRLEN];
            let src = &raw[i % 8];
            i += 1;
            // SAFETY: src holds an in_addr / in6_addr; buf is valid for writes of
            // the length passed.
            let r = unsafe {
                inet_ntop(af, src.as_ptr().cast(), buf.as_mut_ptr(), buf.len() as libc::socklen_t)
            };
            assert!(!r.is_null());
            black_box(&buf);
        }),
        looped(Peer::Bsdsock, move || {
            let mut buf = [0u8; bsdsock::INET6_ADDRSTRLEN];
            let ip = black_box(ips_b[j % 8]);
            j += 1;
            black_box(bsdsock::inet_ntop_buf(ip, &mut buf));
        }),
        looped(Peer::Std, move || {
            let mut out = Fixed { buf: [0; 64], len: 0 };
            let ip = black_box(ips_s[k % 8]);
            k += 1;
            match ip {
                IpAddr::V4(a) => write!(out, "{a}").unwrap(),
                IpAddr::V6(a) => write!(out, "{a}").unwrap(),
            }
            black_box(&out.buf[..out.len]);
        }),
    ];
    case(if v6 { "inet_ntop v6" } else { "inet_ntop v4" }, TWICE, impls)
}

pub fn cases() -> Vec<CaseDef> {
    vec![
        CaseDef::new("inet_pton_v4", || pton(false, V4, true, "inet_pton v4", PTON_V4)),
        CaseDef::new("inet_pton_v4_bad", || {
            pton(false, BAD_V4, false, "inet_pton v4, invalid", NO_SLOWER)
        }),
        CaseDef::new("inet_ntop_v4", || ntop(false)),
        CaseDef::new("inet_pton_v6", || pton(true, V6, true, "inet_pton v6", PTON_V6)),
        CaseDef::new("inet_pton_v6_bad", || {
            pton(true, BAD_V6, false, "inet_pton v6, invalid", NO_SLOWER)
        }),
        CaseDef::new("inet_ntop_v6", || ntop(true)),
    ]
}
