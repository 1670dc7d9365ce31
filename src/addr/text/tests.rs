//! The text conversions' unit tests; tests/inet.rs compares them with glibc.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::*;
use crate::{Domain, Errno, Error};

fn v4(s: &str) -> Option<[u8; 4]> {
    match inet_pton(Domain::INET, s) {
        Ok(IpAddr::V4(ip)) => Some(ip.octets()),
        Ok(IpAddr::V6(_)) => panic!("inet_pton(INET) gave an IPv6 address"),
        Err(e) => {
            assert!(matches!(e, Error::AddrParse { .. }), "{e:?}");
            None
        }
    }
}

fn v6(s: &str) -> Option<Ipv6Addr> {
    match inet_pton(Domain::INET6, s) {
        Ok(IpAddr::V6(ip)) => Some(ip),
        Ok(IpAddr::V4(_)) => panic!("inet_pton(INET6) gave an IPv4 address"),
        Err(e) => {
            assert!(matches!(e, Error::AddrParse { .. }), "{e:?}");
            None
        }
    }
}

fn aton(s: &str) -> Option<[u8; 4]> {
    let r = inet_aton(s).map(|ip| ip.octets());
    // inet_addr accepts the same text and gives the same bytes.
    assert_eq!(inet_addr(s).ok().map(u32::to_ne_bytes), r, "inet_addr({s:?})");
    r
}

fn text6(s: &str) -> String {
    inet_ntop(IpAddr::V6(s.parse().unwrap()))
}

#[test]
fn pton4_accepts() {
    assert_eq!(v4("0.0.0.0"), Some([0, 0, 0, 0]));
    assert_eq!(v4("1.2.3.4"), Some([1, 2, 3, 4]));
    assert_eq!(v4("255.255.255.255"), Some([255; 4]));
    assert_eq!(v4("10.0.100.199"), Some([10, 0, 100, 199]));
}

#[test]
fn pton4_rejects() {
    for s in [
        "",
        ".",
        "1",
        "1.2",
        "1.2.3",
        "1.2.3.",
        "1.2.3.4.",
        ".1.2.3.4",
        "1..2.3",
        "1.2.3.4.5",
        "256.0.0.0",
        "1.2.3.256",
        "1000.1.1.1",
        "01.2.3.4",
        "1.2.3.00",
        "1.2.3.04",
        "0x1.2.3.4",
        "1.2.3.4 ",
        " 1.2.3.4",
        "1.2.3.4\0",
        "1.2.3.a",
        "+1.2.3.4",
        "1.2.3.-4",
        "1,2,3,4",
        "١.2.3.4",
        "::1",
    ] {
        assert_eq!(v4(s), None, "{s:?}");
    }
}

/// Puts `text` through `inet_pton(AF_INET)` and checks its answer against
/// std's parser, which has the same strict rules (four decimal octets, no
/// leading zeros, nothing around them); a refusal names the text and a
/// reason. Returns whether the text was accepted.
fn check_v4(text: &str) -> bool {
    match (inet_pton(Domain::INET, text), text.parse::<Ipv4Addr>()) {
        (Ok(IpAddr::V4(ip)), Ok(std)) => {
            assert_eq!(ip, std, "{text:?}");
            true
        }
        (Err(Error::AddrParse { input, reason }), Err(_)) => {
            assert_eq!(input, text, "{text:?}");
            assert!(!reason.to_string().is_empty(), "{text:?}");
            false
        }
        (ours, std) => panic!("{text:?}: inet_pton gave {ours:?}, std {std:?}"),
    }
}

/// A small deterministic generator (xorshift), for inputs that are the same
/// on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn pton4_field_combinations() {
    // Every combination of four fields from these, with dots: all the
    // shapes, octet boundaries, leading zeros, overlong and empty fields.
    const FIELDS: [&str; 24] = [
        "", "0", "1", "9", "00", "01", "10", "99", "000", "001", "010", "099", "100", "199", "200",
        "249", "250", "255", "256", "299", "300", "999", "0000", "1a",
    ];
    let mut accepted = 0;
    let mut total = 0;
    for a in FIELDS {
        for b in FIELDS {
            for c in FIELDS {
                for d in FIELDS {
                    let text = format!("{a}.{b}.{c}.{d}");
                    accepted += check_v4(&text) as usize;
                    total += 1;
                }
            }
        }
    }
    assert_eq!(total, 24usize.pow(4));
    // Exactly the texts made of the fields that are octets written without a
    // leading zero were accepted.
    let octets =
        FIELDS.iter().filter(|f| f.parse::<u8>().is_ok_and(|v| v.to_string() == **f)).count();
    assert_eq!(octets, 11);
    assert_eq!(accepted, octets.pow(4));
}

#[test]
fn pton4_random_text() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // Mostly digits and dots, with the odd other byte: ':', ',', a space, a
    // letter, NUL, a sign, a two-byte character.
    const OTHERS: [&str; 8] = [":", ",", " ", "a", "\0", "+", "-", "é"];
    let mut accepted = 0;
    for _ in 0..300_000 {
        let len = rng.below(17);
        let mut text = String::new();
        for _ in 0..len {
            match rng.below(40) {
                0 => text.push_str(OTHERS[rng.below(OTHERS.len())]),
                1..=11 => text.push('.'),
                _ => text.push((b'0' + rng.below(10) as u8) as char),
            }
        }
        accepted += check_v4(&text) as usize;
    }
    assert!(accepted > 500, "only {accepted} random texts were valid");
}

#[test]
fn pton4_near_valid_text() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..20_000 {
        let ip = Ipv4Addr::from(rng.next() as u32 >> (rng.below(4) * 8));
        let text = ip.to_string();
        // The address itself is accepted...
        assert!(check_v4(&text), "{text:?}");
        // ...and every one-byte change, deletion and insertion is judged as
        // std judges it.
        let bytes = text.as_bytes();
        let i = rng.below(bytes.len());
        for b in [b'0', b'1', b'5', b'9', b'.', b'/', b':', b'a', 0, b' ', 0x7f, 0xff] {
            let mut changed = bytes.to_vec();
            changed[i] = b;
            if let Ok(changed) = String::from_utf8(changed) {
                check_v4(&changed);
            }
            let mut inserted = bytes.to_vec();
            inserted.insert(i, b);
            if let Ok(inserted) = String::from_utf8(inserted) {
                check_v4(&inserted);
            }
        }
        let mut deleted = bytes.to_vec();
        deleted.remove(i);
        check_v4(std::str::from_utf8(&deleted).unwrap());
    }
}

#[test]
fn pton_bad_family() {
    let e = inet_pton(Domain::UNIX, "1.2.3.4").unwrap_err();
    assert_eq!(e.errno(), Some(Errno::EAFNOSUPPORT));
    assert!(matches!(e, Error::Os { call: "inet_pton", .. }));
}

#[test]
fn pton_error_names_input() {
    match inet_pton(Domain::INET6, "1:::2") {
        Err(Error::AddrParse { input, reason }) => {
            assert_eq!(input, "1:::2");
            assert!(!reason.to_string().is_empty());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn pton6_accepts() {
    let cases: &[(&str, [u16; 8])] = &[
        ("::", [0; 8]),
        ("::1", [0, 0, 0, 0, 0, 0, 0, 1]),
        ("1::", [1, 0, 0, 0, 0, 0, 0, 0]),
        ("1::2", [1, 0, 0, 0, 0, 0, 0, 2]),
        ("1:2:3:4:5:6:7:8", [1, 2, 3, 4, 5, 6, 7, 8]),
        ("1:2:3:4:5:6:7::", [1, 2, 3, 4, 5, 6, 7, 0]),
        ("::2:3:4:5:6:7:8", [0, 2, 3, 4, 5, 6, 7, 8]),
        ("1:2:3::5:6:7:8", [1, 2, 3, 0, 5, 6, 7, 8]),
        ("FFFF:abcd:ABCD:0:00:000:0000:fFfF", [0xffff, 0xabcd, 0xabcd, 0, 0, 0, 0, 0xffff]),
        ("::ffff:1.2.3.4", [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]),
        ("::1.2.3.4", [0, 0, 0, 0, 0, 0, 0x0102, 0x0304]),
        ("1:2:3:4:5:6:1.2.3.4", [1, 2, 3, 4, 5, 6, 0x0102, 0x0304]),
        ("1::255.255.255.255", [1, 0, 0, 0, 0, 0, 0xffff, 0xffff]),
        ("1:2:3:4:5::1.2.3.4", [1, 2, 3, 4, 5, 0, 0x0102, 0x0304]),
        ("fe80::1:2", [0xfe80, 0, 0, 0, 0, 0, 1, 2]),
    ];
    for (s, words) in cases {
        assert_eq!(v6(s).map(|ip| ip.segments()), Some(*words), "{s:?}");
    }
}

#[test]
fn pton6_rejects() {
    for s in [
        "",
        ":",
        ":1",
        ":1::",
        "1:",
        "1::2:",
        "1:::2",
        ":::",
        "::1::",
        "1::2::3",
        "12345::",
        "00000::",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8",
        "1:2:3:4::5:6:7:8",
        "1:2:3:4:5:6:7:1.2.3.4",
        "1:2:3:4:5:6::1.2.3.4",
        "::1.2.3",
        "::1.2.3.4.5",
        "::01.2.3.4",
        "::256.1.1.1",
        "::1.2.3.4:5",
        "::1.2.3.4::",
        "::a.2.3.4",
        "1.2.3.4",
        "::ffff:1.2.3.4 ",
        " ::1",
        "::1%eth0",
        "[::1]",
        "::g",
        "::1\0",
        "1:2:3:4:5:6:7:8/64",
        "::.1.2.3",
    ] {
        assert_eq!(v6(s), None, "{s:?}");
    }
}

#[test]
fn aton_forms() {
    assert_eq!(aton("127.1"), Some([127, 0, 0, 1]));
    assert_eq!(aton("0x7f.1"), Some([127, 0, 0, 1]));
    assert_eq!(aton("0X7F.1"), Some([127, 0, 0, 1]));
    assert_eq!(aton("017.0.0.1"), Some([15, 0, 0, 1]));
    assert_eq!(aton("1.2.3.4 junk"), Some([1, 2, 3, 4]));
    assert_eq!(aton("1.2.3.4\tx.y"), Some([1, 2, 3, 4]));
    assert_eq!(aton("1.2.3.4\n"), Some([1, 2, 3, 4]));
    assert_eq!(aton("1.2.3.4 \0"), Some([1, 2, 3, 4]));
    assert_eq!(aton("4294967295"), Some([255; 4]));
    assert_eq!(aton("0xffffffff"), Some([255; 4]));
    assert_eq!(aton("037777777777"), Some([255; 4]));
    assert_eq!(aton("0"), Some([0; 4]));
    assert_eq!(aton("00000000000000000000000001"), Some([0, 0, 0, 1]));
    assert_eq!(aton("0x00000000000000000000000001"), Some([0, 0, 0, 1]));
    assert_eq!(aton("1.16777215"), Some([1, 255, 255, 255]));
    assert_eq!(aton("1.0xffffff"), Some([1, 255, 255, 255]));
    assert_eq!(aton("1.2.65535"), Some([1, 2, 255, 255]));
    assert_eq!(aton("10.1.513"), Some([10, 1, 2, 1]));
    assert_eq!(aton("0377.0xff.255.0"), Some([255, 255, 255, 0]));
    assert_eq!(aton("255.255.255.255"), Some([255; 4]));
    assert_eq!(aton("0.0.0.0"), Some([0; 4]));
}

#[test]
fn aton_rejects() {
    for s in [
        "",
        " ",
        " 1.2.3.4",
        "4294967296",
        "0x100000000",
        "040000000000",
        "99999999999999999999999",
        "1.16777216",
        "1.2.65536",
        "1.2.3.256",
        "256.1",
        "1.256.3",
        "1.2.3.4.5",
        "1.2.3.4.",
        "1.",
        "1..2",
        ".1",
        "08",
        "09.1.2.3",
        "0x",
        "0x.1",
        "0xg",
        "1.2.3.4x",
        "1.2.3.4\0",
        "1.2.3.0x",
        "-1",
        "+1",
        "1.-1",
        "1. 2",
        "1.2.3.4\u{a0}",
        "a.b.c.d",
    ] {
        assert_eq!(aton(s), None, "{s:?}");
    }
}

#[test]
fn inet_addr_network_order() {
    assert_eq!(inet_addr("1.2.3.4").unwrap().to_ne_bytes(), [1, 2, 3, 4]);
    assert_eq!(inet_addr("255.255.255.255").unwrap(), 0xffff_ffff);
    assert!(matches!(
        inet_addr("255.255.255.256"),
        Err(Error::AddrParse { ref input, .. }) if input == "255.255.255.256"
    ));
}

#[test]
fn ntop4() {
    for (o, s) in [
        ([0, 0, 0, 0], "0.0.0.0"),
        ([1, 2, 3, 4], "1.2.3.4"),
        ([9, 10, 99, 100], "9.10.99.100"),
        ([255, 255, 255, 255], "255.255.255.255"),
        ([127, 0, 0, 1], "127.0.0.1"),
    ] {
        assert_eq!(inet_ntop(IpAddr::V4(Ipv4Addr::from(o))), s);
        assert_eq!(inet_ntoa(Ipv4Addr::from(o)), s);
    }
}

#[test]
fn ntop6() {
    for (given, want) in [
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("1:0:0:0:0:0:0:0", "1::"),
        ("0:0:0:0:0:0:0:1", "::1"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("1:0:3:4:5:6:7:8", "1:0:3:4:5:6:7:8"),
        ("1:0:0:4:5:6:7:8", "1::4:5:6:7:8"),
        ("1:0:0:4:0:0:7:8", "1::4:0:0:7:8"),
        ("1:0:0:4:0:0:0:8", "1:0:0:4::8"),
        ("0:0:1:0:0:0:1:0", "0:0:1::1:0"),
        ("abcd:ef01:2345:6789:0:0:0:0", "abcd:ef01:2345:6789::"),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ("10:100:1000:a:b0:c00:d000:f", "10:100:1000:a:b0:c00:d000:f"),
        ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
        ("::ffff:0.0.0.0", "::ffff:0.0.0.0"),
        ("::ffff:0:1", "::ffff:0.0.0.1"),
        ("::1.2.3.4", "::1.2.3.4"),
        ("::0.1.0.0", "::0.1.0.0"),
        ("::0.0.0.2", "::2"),
        ("::1:0:0", "::1:0:0"),
        ("::fffe:1.2.3.4", "::fffe:102:304"),
        ("0:0:0:0:1:ffff:102:304", "::1:ffff:102:304"),
        ("1::ffff:1.2.3.4", "1::ffff:102:304"),
        ("::ffff:0:0:1", "::ffff:0:0:1"),
        ("0:0:0:0:0:ffff:0:0", "::ffff:0.0.0.0"),
    ] {
        assert_eq!(text6(given), want, "{given}");
    }
}

#[test]
fn ntop_buf_matches_and_round_trips() {
    let mut buf = [0xaa; INET6_ADDRSTRLEN];
    for s in ["::", "1.2.3.4", "::ffff:255.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]
    {
        let ip: IpAddr = s.parse().unwrap();
        let text = inet_ntop_buf(ip, &mut buf).to_owned();
        assert_eq!(text, inet_ntop(ip));
        let family = if ip.is_ipv4() { Domain::INET } else { Domain::INET6 };
        assert_eq!(inet_pton(family, &text).unwrap(), ip);
    }
}

#[test]
fn longest_texts_fit() {
    assert!("255.255.255.255".len() < INET_ADDRSTRLEN);
    let ip: IpAddr = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff".parse().unwrap();
    assert_eq!(inet_ntop(ip).len(), 39);
    let ip: IpAddr = "::ffff:255.255.255.255".parse().unwrap();
    assert_eq!(inet_ntop(ip), "::ffff:255.255.255.255");
}
