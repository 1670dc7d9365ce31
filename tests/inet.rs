//! The `<arpa/inet.h>` text functions, checked against the C library's own.
//!
//! The differential tests run glibc's `inet_aton`, `inet_addr`, `inet_pton` and
//! `inet_ntop` (declared below: the `libc` crate does not bind them) on the same
//! input as bsdsock's and require the same accept/reject decision and the same
//! bytes or text. They are meaningful on glibc targets only.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use bsdsock::{
    Domain, Errno, Error, INET_ADDRSTRLEN, INET6_ADDRSTRLEN, InputText, inet_addr, inet_aton,
    inet_ntoa, inet_ntop, inet_ntop_buf, inet_pton,
};
use proptest::prelude::*;
use proptest::sample::select;

/// Thin safe wrappers around the C library's functions.
mod c {
    use std::ffi::{CStr, CString, c_char, c_int, c_void};

    unsafe extern "C" {
        fn inet_aton(cp: *const c_char, inp: *mut libc::in_addr) -> c_int;
        fn inet_addr(cp: *const c_char) -> libc::in_addr_t;
        fn inet_pton(af: c_int, src: *const c_char, dst: *mut c_void) -> c_int;
        fn inet_ntop(
            af: c_int,
            src: *const c_void,
            dst: *mut c_char,
            size: libc::socklen_t,
        ) -> *const c_char;
    }

    /// `s` as a C string; `None` if it has a NUL byte (C could not see past it).
    fn cstr(s: &str) -> Option<CString> {
        CString::new(s).ok()
    }

    pub fn aton(s: &str) -> Option<[u8; 4]> {
        let s = cstr(s)?;
        let mut addr = libc::in_addr { s_addr: 0 };
        // SAFETY: `s` is a NUL-terminated string and `addr` a valid, writable in_addr;
        // both outlive the call.
        let ok = unsafe { inet_aton(s.as_ptr(), &mut addr) };
        (ok != 0).then_some(addr.s_addr.to_ne_bytes())
    }

    pub fn addr(s: &str) -> u32 {
        let s = cstr(s).expect("no NUL");
        // SAFETY: `s` is a NUL-terminated string that outlives the call.
        unsafe { inet_addr(s.as_ptr()) }
    }

    /// `Ok(Some(bytes))` on 1, `Ok(None)` on 0, `Err(errno)` on -1.
    pub fn pton(af: c_int, s: &str) -> Result<Option<Vec<u8>>, i32> {
        let s = cstr(s).expect("no NUL");
        let mut dst = [0u8; 16];
        // SAFETY: `s` is NUL-terminated and `dst` has room for an in6_addr (16 bytes),
        // the most any family writes; both outlive the call.
        let r = unsafe { inet_pton(af, s.as_ptr(), dst.as_mut_ptr().cast()) };
        match r {
            1 => Ok(Some(dst[..if af == libc::AF_INET { 4 } else { 16 }].to_vec())),
            0 => Ok(None),
            _ => Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(0)),
        }
    }

    pub fn ntop(ip: std::net::IpAddr) -> String {
        let (af, bytes) = match ip {
            std::net::IpAddr::V4(ip) => (libc::AF_INET, ip.octets().to_vec()),
            std::net::IpAddr::V6(ip) => (libc::AF_INET6, ip.octets().to_vec()),
        };
        let mut buf = [0 as c_char; 64];
        // SAFETY: `bytes` holds an in_addr or in6_addr as `af` says, `buf` is writable
        // for the length passed; both outlive the call.
        let p = unsafe { inet_ntop(af, bytes.as_ptr().cast(), buf.as_mut_ptr(), 64) };
        assert!(!p.is_null(), "glibc inet_ntop failed");
        // SAFETY: on success inet_ntop wrote a NUL-terminated string into `buf`.
        let text = unsafe { CStr::from_ptr(buf.as_ptr()) };
        text.to_str().expect("ASCII").to_owned()
    }
}

/// Whether an error's `input` names `s`: all of it, or for text longer than
/// [`InputText::CAPACITY`] its longest prefix that fits (cut at a character
/// boundary), marked as cut.
fn names(input: &InputText, s: &str) -> bool {
    if s.len() <= InputText::CAPACITY {
        input == s && !input.is_cut()
    } else {
        let kept = input.as_str();
        input.is_cut() && s.starts_with(kept) && InputText::CAPACITY - kept.len() < 4
    }
}

/// Asserts that bsdsock's four parsers agree with glibc's on `s`.
fn check_parsers(s: &str) {
    // inet_aton
    let ours = inet_aton(s).map(|ip| ip.octets());
    assert_eq!(ours, c::aton(s), "inet_aton({s:?})");

    // inet_addr: glibc's INADDR_NONE is both an error and 255.255.255.255.
    match inet_addr(s) {
        Ok(v) => {
            assert_eq!(Some(v.to_ne_bytes()), ours, "inet_addr({s:?}) vs inet_aton");
            assert_eq!(v, c::addr(s), "inet_addr({s:?})");
        }
        Err(e) => {
            assert!(matches!(e, Error::AddrParse { ref input, .. } if names(input, s)), "{e:?}");
            assert_eq!(ours, None, "inet_addr({s:?}) failed but inet_aton did not");
            assert_eq!(c::addr(s), libc::INADDR_NONE, "inet_addr({s:?})");
        }
    }

    // inet_pton, both families
    for (domain, af) in [(Domain::INET, libc::AF_INET), (Domain::INET6, libc::AF_INET6)] {
        let ours = match inet_pton(domain, s) {
            Ok(IpAddr::V4(ip)) => {
                assert_eq!(af, libc::AF_INET);
                Some(ip.octets().to_vec())
            }
            Ok(IpAddr::V6(ip)) => {
                assert_eq!(af, libc::AF_INET6);
                Some(ip.octets().to_vec())
            }
            Err(e) => {
                assert!(
                    matches!(e, Error::AddrParse { ref input, .. } if names(input, s)),
                    "{e:?}"
                );
                None
            }
        };
        assert_eq!(Ok(ours), c::pton(af, s), "inet_pton(af {af}, {s:?})");
    }
}

/// Asserts that bsdsock prints `ip` as glibc does, the same with and without a
/// buffer, and that the text parses back to `ip`.
fn check_printer(ip: IpAddr) {
    let text = inet_ntop(ip);
    assert_eq!(text, c::ntop(ip), "inet_ntop({ip:?})");
    let mut buf = [0xa5; INET6_ADDRSTRLEN];
    assert_eq!(inet_ntop_buf(ip, &mut buf), text);
    let (domain, max) = match ip {
        IpAddr::V4(v4) => {
            assert_eq!(inet_ntoa(v4), text);
            (Domain::INET, INET_ADDRSTRLEN)
        }
        IpAddr::V6(_) => (Domain::INET6, INET6_ADDRSTRLEN),
    };
    assert!(text.len() < max);
    assert_eq!(inet_pton(domain, &text).unwrap(), ip, "round trip of {text:?}");
}

// ---------------------------------------------------------------------------
// Fixed cases
// ---------------------------------------------------------------------------

const FIXED: &[&str] = &[
    "",
    " ",
    ".",
    ":",
    "::",
    ":::",
    "0",
    "00",
    "08",
    "0x",
    "0X",
    "0x0",
    "0xg",
    "x",
    "-1",
    "+1",
    "127.1",
    "0x7f.1",
    "0X7F.0X1",
    "017.0.0.1",
    "018.0.0.1",
    "1.2.3.4",
    "1.2.3.4 junk",
    "1.2.3.4\tjunk",
    "1.2.3.4\njunk",
    "1.2.3.4\x0bj",
    "1.2.3.4\x0cj",
    "1.2.3.4\rj",
    "1.2.3.4x",
    "1.2.3.4 ",
    " 1.2.3.4",
    "1.2.3.4.",
    "1.2.3.4.5",
    "1.2.3",
    "1.2",
    "1",
    "1.",
    ".1",
    "1..2",
    "4294967295",
    "4294967296",
    "0xffffffff",
    "0x100000000",
    "037777777777",
    "040000000000",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999",
    "1.16777215",
    "1.16777216",
    "1.0xffffff",
    "1.0x1000000",
    "1.2.65535",
    "1.2.65536",
    "1.2.3.255",
    "1.2.3.256",
    "255.1",
    "256.1",
    "0377.1",
    "0400.1",
    "0xff.1",
    "0x100.1",
    "00000000000000000000000000000001",
    "0x00000000000000000000000000001",
    "255.255.255.255",
    "0.0.0.0",
    "01.2.3.4",
    "1.02.3.4",
    "1.2.3.00",
    "1.2.3.0",
    "1.2.3.04",
    "1.2.3.4\u{a0}",
    "١.٢.٣.٤",
    "1 .2.3.4",
    "1. 2.3.4",
    "1.2.3.4 5",
    "1.2.3.0x",
    "::1",
    "1::",
    "1::2",
    "::ffff:1.2.3.4",
    "::1.2.3.4",
    "::0.0.0.0",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7::",
    "::2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8::",
    "::1:2:3:4:5:6:7:8",
    "1:2:3:4::5:6:7:8",
    ":1",
    "1:",
    "1:::2",
    "1::2::3",
    "::1::",
    ":1::",
    "12345::",
    "01234::",
    "0000::",
    "00000::",
    "fFfF::AbCd",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "1:2:3:4:5::1.2.3.4",
    "1:2:3:4:5:6::1.2.3.4",
    "::1.2.3",
    "::1.2.3.4.5",
    "::01.2.3.4",
    "::256.1.1.1",
    "::1.2.3.4:5",
    "::a.2.3.4",
    "::.1.2.3",
    "::1.2.3.4 ",
    " ::1",
    "::1%eth0",
    "[::1]",
    "::g",
    "::ffff:1.2.3.4junk",
    "1.2.3.4::",
    "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255",
    "::ffff:255.255.255.255",
    "::ffff:0x1.2.3.4",
];

#[test]
fn fixed_cases_agree_with_glibc() {
    for s in FIXED {
        check_parsers(s);
    }
}

#[test]
fn classic_forms() {
    let v4 = |s| inet_aton(s).map(|ip| ip.octets());
    assert_eq!(v4("127.1"), Some([127, 0, 0, 1]));
    assert_eq!(v4("0x7f.1"), Some([127, 0, 0, 1]));
    assert_eq!(v4("017.0.0.1"), Some([15, 0, 0, 1]));
    assert_eq!(v4("1.2.3.4 junk"), Some([1, 2, 3, 4]));
    assert_eq!(v4("4294967295"), Some([255; 4]));
    assert_eq!(v4("1.16777215"), Some([1, 255, 255, 255]));
    assert_eq!(inet_addr("255.255.255.255").unwrap(), libc::INADDR_NONE);
    assert!(inet_addr("255.255.255.256").is_err());
    assert_eq!(
        inet_pton(Domain::INET6, "::ffff:1.2.3.4").unwrap(),
        "::ffff:1.2.3.4".parse::<IpAddr>().unwrap()
    );
}

/// A C string stops at its first NUL; a `&str` does not, and a NUL is an invalid
/// character wherever it is examined (documented behaviour).
#[test]
fn interior_nul_is_invalid() {
    for s in ["1.2.3.4\0", "1.2.3.4\0junk", "\x001.2.3.4", "::1\0", "1\0.2.3.4"] {
        assert_eq!(inet_aton(s), None, "{s:?}");
        assert!(inet_addr(s).is_err(), "{s:?}");
        assert!(inet_pton(Domain::INET, s).is_err(), "{s:?}");
        assert!(inet_pton(Domain::INET6, s).is_err(), "{s:?}");
    }
    // After trailing whitespace inet_aton ignores everything, a NUL included.
    assert_eq!(inet_aton("1.2.3.4 \0"), Some(Ipv4Addr::new(1, 2, 3, 4)));
}

#[test]
fn other_families_are_eafnosupport() {
    let e = inet_pton(Domain::UNIX, "1.2.3.4").unwrap_err();
    assert!(matches!(e, Error::Os { call: "inet_pton", .. }), "{e:?}");
    assert_eq!(e.errno(), Some(Errno::EAFNOSUPPORT));
    assert_eq!(c::pton(Domain::UNIX.as_raw(), "1.2.3.4"), Err(libc::EAFNOSUPPORT));
}

/// Every string of up to five characters over a small alphabet that exercises
/// all four parsers' separators, digit kinds and trailing-space rule.
#[test]
fn short_strings_exhaustive() {
    let alphabet: Vec<char> = "0:1.f9x ".chars().collect();
    let mut s = String::new();
    for len in 0..=5u32 {
        for mut k in 0..alphabet.len().pow(len) {
            s.clear();
            for _ in 0..len {
                s.push(alphabet[k % alphabet.len()]);
                k /= alphabet.len();
            }
            check_parsers(&s);
        }
    }
}

/// Every IPv6 address whose groups are 0, 1 or 0xffff: all zero-run layouts and
/// both dotted-quad forms.
#[test]
fn ntop6_small_groups_exhaustive() {
    let mut words = [0u16; 8];
    for n in 0..3u32.pow(8) {
        let mut k = n;
        for w in &mut words {
            *w = [0, 1, 0xffff][(k % 3) as usize];
            k /= 3;
        }
        check_printer(IpAddr::V6(Ipv6Addr::from(words)));
    }
}

#[test]
fn ntop4_every_octet() {
    for b in 0..=255u8 {
        check_printer(IpAddr::V4(Ipv4Addr::new(b, 255 - b, b / 2, b.wrapping_mul(7))));
    }
}

// ---------------------------------------------------------------------------
// Generated cases
// ---------------------------------------------------------------------------

/// Numbers near the limits the parsers check.
const EDGES: &[u64] = &[
    0,
    1,
    7,
    8,
    9,
    10,
    15,
    16,
    99,
    100,
    127,
    128,
    199,
    200,
    249,
    250,
    254,
    255,
    256,
    257,
    260,
    300,
    999,
    1000,
    0xfff,
    0x1000,
    0xffff,
    0x1_0000,
    0xff_ffff,
    0x100_0000,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_fffe,
    0xffff_ffff,
    0x1_0000_0000,
    0x1_0000_0001,
    0xf_ffff_ffff,
    0xffff_ffff_ffff_ffff,
];

fn number() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => select(EDGES),
        2 => 0u64..=300,
        1 => any::<u32>().prop_map(u64::from),
        1 => any::<u64>(),
    ]
}

/// A number as C source might write it: decimal, 0x/0X hex, leading-0 octal,
/// sometimes with extra leading zeros (which turn decimal into "octal").
fn c_number_from(n: impl Strategy<Value = u64>) -> impl Strategy<Value = String> {
    (n, 0..5u8, prop_oneof![3 => Just(0usize), 1 => 1..4usize]).prop_map(|(n, style, z)| {
        let zeros = "0".repeat(z);
        match style {
            0 | 1 => format!("{zeros}{n}"),
            2 => format!("0x{zeros}{n:x}"),
            3 => format!("0X{zeros}{n:X}"),
            _ => format!("0{zeros}{n:o}"),
        }
    })
}

fn c_number() -> impl Strategy<Value = String> {
    c_number_from(number())
}

/// One to four parts, each near the limit for its place: every part but the last
/// around 0..=255, the last around what its bytes can hold.
fn shaped_classic_parts() -> impl Strategy<Value = String> {
    (1..=4usize)
        .prop_flat_map(|n| {
            let max = [0xffff_ffff_u64, 0xff_ffff, 0xffff, 0xff][n - 1];
            (
                prop::collection::vec(
                    c_number_from(prop_oneof![8 => 0u64..=255, 1 => Just(256u64)]),
                    n - 1,
                ),
                c_number_from(prop_oneof![
                    Just(0),
                    Just(max - 1),
                    Just(max),
                    Just(max + 1),
                    0..=max,
                ]),
            )
        })
        .prop_map(|(mut parts, last)| {
            parts.push(last);
            parts.join(".")
        })
}

/// What may follow an address.
const SUFFIXES: &[&str] = &[
    "",
    "",
    "",
    "",
    " ",
    " junk",
    "\t1.2.3.4",
    "\n",
    "\x0b.",
    "\x0cx",
    "\r\n",
    "x",
    ".",
    "..",
    " .",
    ":",
    "/24",
    "\u{a0}",
    "0",
    "a",
    "%eth0",
];

/// Dotted text of one to five C numbers, plus a suffix.
fn classic_text() -> impl Strategy<Value = String> {
    let parts = prop_oneof![
        prop::collection::vec(c_number(), 1..=5).prop_map(|parts| parts.join(".")),
        shaped_classic_parts(),
    ];
    (parts, select(SUFFIXES)).prop_map(|(parts, suffix)| parts + suffix)
}

/// Characters that matter to one parser or another.
const ALPHABET: &[u8] = b"0123456789abcdefABCDEFxX.: \t:.0";

/// Deletes, inserts, replaces or duplicates one character of a string.
fn mutate(base: String, op: u8, at: usize, ch: u8) -> String {
    let mut b: Vec<char> = base.chars().collect();
    let ch = char::from(ALPHABET[ch as usize % ALPHABET.len()]);
    match op {
        0 if !b.is_empty() => {
            b.remove(at % b.len());
        }
        1 => b.insert(at % (b.len() + 1), ch),
        2 if !b.is_empty() => {
            let i = at % b.len();
            b[i] = ch;
        }
        3 if !b.is_empty() => {
            let i = at % b.len();
            b.insert(i, b[i]);
        }
        _ => {}
    }
    b.into_iter().collect()
}

fn mutated(base: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (base, 0..6u8, any::<usize>(), any::<u8>()).prop_map(|(s, op, at, ch)| mutate(s, op, at, ch))
}

/// An octet as decimal text, sometimes with a leading zero or out of range.
fn octet_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => any::<u8>().prop_map(|o| o.to_string()),
        3 => select(&[0u64, 1, 9, 10, 99, 100, 199, 200, 249, 250, 255][..]).prop_map(|o| o.to_string()),
        1 => select(&[256u64, 260, 300, 999, 1000, 2550][..]).prop_map(|o| o.to_string()),
        1 => (0u8..100).prop_map(|o| format!("0{o}")),
        1 => Just(String::new()),
    ]
}

/// Dotted decimal with three to five octets (mostly four).
fn quad_text() -> impl Strategy<Value = String> {
    prop_oneof![6 => Just(4usize), 1 => 3..=5usize]
        .prop_flat_map(|n| prop::collection::vec(octet_text(), n))
        .prop_map(|o| o.join("."))
}

/// A 16-bit group value, mostly zero or at the edges.
fn group() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => Just(0u16),
        1 => Just(0xffff),
        1 => Just(1),
        1 => 0u16..0x20,
        2 => any::<u16>(),
    ]
}

/// An IPv6 address biased toward runs of zeros and the dotted-quad forms.
fn ipv6() -> impl Strategy<Value = Ipv6Addr> {
    prop_oneof![
        4 => prop::array::uniform8(group()).prop_map(Ipv6Addr::from),
        1 => any::<u32>().prop_map(|v| Ipv4Addr::from(v).to_ipv6_mapped()),
        1 => any::<u32>().prop_map(|v| Ipv4Addr::from(v).to_ipv6_compatible()),
        1 => (group(), any::<u32>()).prop_map(|(w5, v)| {
            let [a, b, c, d] = v.to_be_bytes();
            Ipv6Addr::new(0, 0, 0, 0, 0, w5, u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d]))
        }),
        1 => any::<u128>().prop_map(Ipv6Addr::from),
    ]
}

/// IPv6 text written many ways: groups in either case, padded (sometimes too
/// far), an optional dotted-quad tail, and `::` in place of any range of groups
/// (zero or not, empty or not), or not at all.
fn ipv6_text() -> impl Strategy<Value = String> {
    (
        ipv6(),
        prop::array::uniform8(0..8u8),
        any::<bool>(),
        prop_oneof![1 => Just(None), 3 => (0..=8usize, 0..=8usize).prop_map(Some)],
        prop_oneof![8 => Just(8usize), 1 => 0..=9usize],
    )
        .prop_map(|(ip, styles, quad, gap, count)| {
            let w = ip.segments();
            let mut items: Vec<String> = w
                .iter()
                .zip(styles)
                .map(|(&g, style)| match style {
                    0..=2 => format!("{g:x}"),
                    3 => format!("{g:X}"),
                    4 => format!("{g:04x}"),
                    5 => format!("{g:05x}"),
                    6 => format!("{g:02X}"),
                    _ => format!("{g:03x}"),
                })
                .collect();
            if quad {
                let o = ip.octets();
                items.truncate(6);
                items.push(format!("{}.{}.{}.{}", o[12], o[13], o[14], o[15]));
            }
            items.truncate(count);
            match gap {
                None => items.join(":"),
                Some((a, b)) => {
                    let (a, b) = (a.min(b).min(items.len()), a.max(b).min(items.len()));
                    format!("{}::{}", items[..a].join(":"), items[b..].join(":"))
                }
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_alphabet_strings(s in "[0-9a-fA-FxX.: \t]{0,24}") {
        check_parsers(&s);
    }

    #[test]
    fn random_v6_alphabet_strings(s in "[0-9a-fA-F:.]{0,42}") {
        check_parsers(&s);
    }

    #[test]
    fn random_v4_alphabet_strings(s in "[0-9.x]{0,20}") {
        check_parsers(&s);
    }

    #[test]
    fn classic_notation(s in classic_text()) {
        check_parsers(&s);
    }

    #[test]
    fn classic_notation_mutated(s in mutated(classic_text())) {
        check_parsers(&s);
    }

    #[test]
    fn dotted_quads(s in quad_text()) {
        check_parsers(&s);
    }

    #[test]
    fn dotted_quads_mutated(s in mutated(quad_text())) {
        check_parsers(&s);
    }

    #[test]
    fn ipv6_texts(s in ipv6_text()) {
        check_parsers(&s);
    }

    #[test]
    fn ipv6_texts_mutated(s in mutated(ipv6_text())) {
        check_parsers(&s);
    }

    #[test]
    fn ipv6_with_dotted_quad_mutations(s in mutated(mutated(
        (ipv6_text(), quad_text()).prop_map(|(v6, q)| {
            // Put a dotted quad where the last group was.
            match v6.rfind(':') {
                Some(i) => format!("{}{}", &v6[..=i], q),
                None => q,
            }
        })
    ))) {
        check_parsers(&s);
    }

    #[test]
    fn ntop_v4(o in any::<[u8; 4]>()) {
        check_printer(IpAddr::V4(Ipv4Addr::from(o)));
    }

    #[test]
    fn ntop_v6(ip in ipv6()) {
        check_printer(IpAddr::V6(ip));
    }

    #[test]
    fn pton_inverts_ntop_text(ip in ipv6(), v4 in any::<u32>()) {
        let v6 = IpAddr::V6(ip);
        prop_assert_eq!(inet_pton(Domain::INET6, &inet_ntop(v6)).unwrap(), v6);
        let v4 = IpAddr::V4(Ipv4Addr::from(v4));
        prop_assert_eq!(inet_pton(Domain::INET, &inet_ntop(v4)).unwrap(), v4);
        // The classic parser reads the strict form the same way.
        prop_assert_eq!(inet_aton(&inet_ntop(v4)).map(IpAddr::V4), Some(v4));
    }
}

/// A refusal quotes the text (and no heap holds it: a long text is cut).
#[test]
fn refusal_names_the_text() {
    let e = inet_pton(Domain::INET6, "1:::2").unwrap_err();
    assert_eq!(e.to_string(), r#"invalid address "1:::2": more than one '::', or ':::'"#);
    let long = format!("{}::1", "1:".repeat(40));
    let e = inet_pton(Domain::INET6, &long).unwrap_err();
    assert!(
        matches!(e, Error::AddrParse { ref input, .. } if input.is_cut() && names(input, &long)),
        "{e:?}"
    );
    assert!(e.to_string().starts_with(&format!("invalid address {:?}…: ", &long[..45])), "{e}");
}
