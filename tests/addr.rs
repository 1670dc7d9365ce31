//! Addresses: byte and text round trips (with proptest), decoding of arbitrary
//! bytes, the Unix address forms, and conversions.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use bsdsock::*;
use proptest::prelude::*;

fn any_socket_addr() -> impl Strategy<Value = SocketAddr> {
    prop_oneof![
        (any::<[u8; 4]>(), any::<u16>()).prop_map(|(ip, port)| SocketAddrV4::new(
            Ipv4Addr::from(ip),
            port
        )
        .into()),
        (any::<[u8; 16]>(), any::<u16>(), any::<u32>(), any::<u32>()).prop_map(
            |(ip, port, flow, scope)| SocketAddrV6::new(Ipv6Addr::from(ip), port, flow, scope)
                .into()
        ),
    ]
}

/// Strings matching `re`: path lengths follow `SUN_PATH_LEN`, which differs by OS.
fn path_regex(re: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    proptest::string::string_regex(re).unwrap()
}

fn any_unix_addr() -> impl Strategy<Value = SockAddrUn> {
    let forms = prop_oneof![
        Just(SockAddrUn::unnamed()),
        // Text that reads as other forms, or as nothing, when bare.
        path_regex(&format!("[a-zA-Z0-9_./@()\\[\\]:%\\\\-]{{1,{}}}", SUN_PATH_LEN))
            .prop_filter_map("path", |p| SockAddrUn::new(p).ok()),
        path_regex(&format!("/[a-zA-Z0-9_. -]{{0,{}}}", SUN_PATH_LEN - 1))
            .prop_map(|p| SockAddrUn::new(p).unwrap()),
        // Any bytes at all: control characters, invalid UTF-8, up to a full
        // sun_path with no terminator.
        proptest::collection::vec(1..=255u8, 1..=SUN_PATH_LEN).prop_map(|p| {
            SockAddrUn::new(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(&p))
                .unwrap()
        }),
    ];
    // Abstract names are Linux's (unix(7)); one form in four, as the others.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let forms = prop_oneof![
        3 => forms,
        1 => proptest::collection::vec(any::<u8>(), 0..=107)
            .prop_map(|n| SockAddrUn::new_abstract(&n).unwrap()),
    ];
    forms
}

/// An address of any family, as the kernel could report it; IPv6 without
/// flowinfo, which has no text form.
fn any_sockaddr() -> impl Strategy<Value = SockAddr> {
    let ip = any_socket_addr().prop_map(|a| match a {
        SocketAddr::V6(v6) => {
            SockAddr::from(SocketAddrV6::new(*v6.ip(), v6.port(), 0, v6.scope_id()))
        }
        v4 => SockAddr::from(v4),
    });
    let forms = prop_oneof![ip, any_unix_addr().prop_map(SockAddr::Unix), Just(SockAddr::Unspec)];
    // Families the crate has no type for, below AF_MAX, with any bytes; in
    // Linux's layout (a 16-bit family first), as is the rest below.
    #[cfg(target_os = "linux")]
    let forms = prop_oneof![
        3 => forms,
        1 => (
            prop_oneof![Just(libc::AF_CAN), Just(libc::AF_BLUETOOTH), Just(libc::AF_ALG), Just(45)],
            proptest::collection::vec(any::<u8>(), 0..=126),
        )
            .prop_map(|(family, data)| {
                let mut raw = (family as u16).to_ne_bytes().to_vec();
                raw.extend(data);
                SockAddr::from_bytes(&raw).unwrap()
            }),
    ];
    #[cfg(target_os = "linux")]
    let forms = prop_oneof![
        forms,
        (any::<u32>(), any::<u32>()).prop_map(|(p, g)| SockAddr::Netlink(SockAddrNl::new(p, g))),
        (any::<u16>(), any::<u32>()).prop_map(|(p, i)| SockAddr::Packet(SockAddrLl::new(p, i))),
        (
            any::<u16>(),
            any::<u32>(),
            any::<u16>(),
            any::<u8>(),
            proptest::collection::vec(any::<u8>(), 0..=32)
        )
            .prop_map(|(proto, ifindex, hatype, pkttype, hw)| {
                // sockaddr_ll as recvfrom fills it (packet(7)).
                let mut raw = vec![0u8; 12];
                raw[..2].copy_from_slice(&(libc::AF_PACKET as u16).to_ne_bytes());
                raw[2..4].copy_from_slice(&proto.to_be_bytes());
                raw[4..8].copy_from_slice(&ifindex.to_ne_bytes());
                raw[8..10].copy_from_slice(&hatype.to_ne_bytes());
                raw[10] = pkttype;
                raw[11] = hw.len() as u8;
                raw.extend(&hw);
                raw.resize(raw.len().max(20), 0);
                SockAddr::from_bytes(&raw).unwrap()
            }),
        (any::<u32>(), any::<u32>(), prop_oneof![Just(0u8), any::<u8>()]).prop_map(
            |(cid, port, flags)| {
                let mut raw = SockAddr::Vsock(SockAddrVm::new(cid, port)).as_bytes().to_vec();
                raw[12] = flags; // svm_flags (vsock(7))
                SockAddr::from_bytes(&raw).unwrap()
            }
        ),
    ];
    forms
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn std_to_sockaddr_to_bytes_and_back(std_addr in any_socket_addr()) {
        let a = SockAddr::from(std_addr);
        let raw = a.as_bytes().to_vec();
        let back = SockAddr::from_bytes(&raw).unwrap();
        prop_assert_eq!(&back, &a);
        prop_assert_eq!(SocketAddr::try_from(back).unwrap(), std_addr);
        // The bytes are the C struct: family, then port in network order.
        prop_assert_eq!(u16::from_be_bytes([raw[2], raw[3]]), std_addr.port());
    }

    #[test]
    fn display_and_from_str_are_inverses_for_ip(std_addr in any_socket_addr()) {
        let a = SockAddr::from(std_addr);
        let text = a.to_string();
        prop_assert_eq!(&text, &std_addr.to_string());
        let parsed: SockAddr = text.parse().unwrap();
        prop_assert_eq!(parsed.to_string(), text);
        prop_assert_eq!(parsed.ip(), Some(std_addr.ip()));
        prop_assert_eq!(parsed.port(), Some(std_addr.port()));
    }

    #[test]
    fn display_and_from_str_are_inverses_for_unix(un in any_unix_addr()) {
        let a = SockAddr::from(un);
        let text = a.to_string();
        let parsed: SockAddr = text.parse().unwrap();
        prop_assert_eq!(&parsed, &a, "{}", text);
        prop_assert_eq!(parsed.as_bytes(), a.as_bytes());
        prop_assert_eq!(&parsed.to_string(), &text);
        prop_assert_eq!(SockAddr::from_bytes(a.as_bytes()).unwrap(), a);
    }

    #[test]
    fn display_and_from_str_are_inverses_for_every_family(a in any_sockaddr()) {
        let text = a.to_string();
        let parsed: SockAddr = text.parse().unwrap();
        prop_assert_eq!(&parsed, &a, "{}", text);
        prop_assert_eq!(&parsed.to_string(), &text);
        prop_assert_eq!(SockAddr::from_bytes(a.as_bytes()).unwrap(), a);
    }

    #[test]
    fn from_bytes_never_panics_and_round_trips_what_it_accepts(
        raw in proptest::collection::vec(any::<u8>(), 0..200),
        family in prop_oneof![Just(libc::AF_INET), Just(libc::AF_INET6), Just(libc::AF_UNIX),
                              Just(libc::AF_UNSPEC), any::<u16>().prop_map(i32::from)],
        keep_family in any::<bool>(),
    ) {
        let mut raw = raw;
        if keep_family && raw.len() >= 2 {
            raw[..2].copy_from_slice(&(family as u16).to_ne_bytes());
        }
        if let Ok(a) = SockAddr::from_bytes(&raw) {
            let again = SockAddr::from_bytes(a.as_bytes()).unwrap();
            prop_assert_eq!(&again, &a);
            let _ = a.to_string();
            let _ = format!("{a:?}");
        }
    }
}

/// The raw bytes are written in Linux's layout (a 16-bit family first, a
/// 108-byte `sun_path`).
#[cfg(target_os = "linux")]
#[test]
fn from_bytes_checks_family_and_length() {
    let v4 = SockAddr::from("1.2.3.4:5".parse::<SocketAddr>().unwrap());
    let v6 = SockAddr::from("[::1]:5".parse::<SocketAddr>().unwrap());
    let b4 = v4.as_bytes();
    let b6 = v6.as_bytes();
    assert_eq!(b4.len(), 16);
    assert_eq!(b6.len(), 28);
    for bad in [&b4[..15], &b4[..1], &b6[..27], &b6[..24]] {
        let err = SockAddr::from_bytes(bad).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
    }
    let mut long = b4.to_vec();
    long.push(0);
    assert!(SockAddr::from_bytes(&long).unwrap_err().to_string().contains("AF_INET"));
    // A Unix address longer than sockaddr_un: Linux reports a full 108-byte path
    // with length 111 (a NUL just past the struct); anything else past it is refused.
    let mut un = vec![b'a'; 111];
    un[..2].copy_from_slice(&(libc::AF_UNIX as u16).to_ne_bytes());
    un[110] = b'x';
    assert!(SockAddr::from_bytes(&un).is_err());
    un[110] = 0;
    let full = SockAddr::from_bytes(&un).unwrap();
    assert_eq!(full.as_unix().unwrap().path().unwrap().as_os_str().len(), 108);
    assert_eq!(full.as_bytes(), &un[..110]);
    assert!(SockAddr::from_bytes(&un[..110]).is_ok());
    un.push(0);
    un.push(1);
    assert!(SockAddr::from_bytes(&un).is_err());
    // Unknown family.
    let mut odd = b4.to_vec();
    odd[..2].copy_from_slice(&9999u16.to_ne_bytes());
    assert!(SockAddr::from_bytes(&odd).unwrap_err().to_string().contains("family"));
    assert_eq!(SockAddr::from_bytes(&[]).unwrap(), SockAddr::Unspec);
    assert_eq!(SockAddr::from_bytes(&[0, 0]).unwrap(), SockAddr::Unspec);
}

/// The lengths are Linux's (a 108-byte `sun_path`, unix(7)), and so are abstract
/// names.
#[cfg(target_os = "linux")]
#[test]
fn unix_address_forms() {
    let p = SockAddrUn::new("/run/x.sock").unwrap();
    assert_eq!(p.path().unwrap().to_str(), Some("/run/x.sock"));
    assert_eq!(SockAddr::from(p).as_bytes().len(), 2 + 11 + 1);
    assert!(SockAddrUn::new("").is_err());
    assert!(SockAddrUn::new("a\0b").unwrap_err().to_string().contains("NUL"));
    assert!(SockAddrUn::new("/".repeat(109)).is_err());
    let full = SockAddrUn::new("/".repeat(108)).unwrap();
    assert_eq!(SockAddr::from(full).as_bytes().len(), 110);
    assert_eq!(full.path().unwrap().as_os_str().len(), 108);

    let a = SockAddrUn::new_abstract(b"with\0nul\\and\xff").unwrap();
    assert_eq!(a.to_string(), "@with\\x00nul\\\\and\\xff");
    assert_eq!(a.to_string().parse::<SockAddr>().unwrap(), SockAddr::Unix(a));
    assert!(SockAddrUn::new_abstract(&[b'x'; 108]).is_err());
    assert!(SockAddrUn::new_abstract(&[b'x'; 107]).is_ok());
    let empty = SockAddrUn::new_abstract(b"").unwrap();
    assert_eq!(empty.to_string(), "@");
    assert!(!empty.is_unnamed());
    assert_ne!(SockAddr::Unix(empty), SockAddr::Unix(SockAddrUn::unnamed()));
}

#[test]
fn text_forms_and_their_errors() {
    for ok in [
        "127.0.0.1:80",
        "[::1]:80",
        "[fe80::1%2]:80",
        "/run/x.sock",
        "@name",
        "(unnamed)",
        "(unspec)",
        "relative/path.sock",
        "./@odd",
        "./x.sock",
        "unix:x.sock",
        "unix:@odd",
        "unix:/tmp/a\\x0ab",
    ] {
        let a: SockAddr = ok.parse().unwrap();
        assert_eq!(a.to_string(), ok);
    }
    // A path whose bare text would read as something else, or as nothing, is
    // shown in the unix: form, with its exact bytes.
    for (path, shown) in [
        ("@odd", "unix:@odd"),
        ("1.2.3.4:5", "unix:1.2.3.4:5"),
        ("a:1", "unix:a:1"),
        ("x.sock", "unix:x.sock"),
        ("(unnamed)", "unix:(unnamed)"),
        ("10.0.0.1/x", "unix:10.0.0.1/x"),
        ("netlink:1:2/x", "unix:netlink:1:2/x"),
        ("/tmp/back\\slash", "/tmp/back\\slash"),
        ("/tmp/new\nline", "unix:/tmp/new\\x0aline"),
        ("/tmp/caf\u{e9}", "/tmp/caf\u{e9}"),
    ] {
        let a = SockAddr::unix(path).unwrap();
        assert_eq!(a.to_string(), shown);
        assert_eq!(shown.parse::<SockAddr>().unwrap(), a, "{shown}");
    }
    // A relative path of 107 and 108 bytes: no room for a "./" in sun_path.
    for n in [107, 108] {
        let a = SockAddr::unix("p".repeat(n)).unwrap();
        assert_eq!(a.to_string(), format!("unix:{}", "p".repeat(n)));
        assert_eq!(a.to_string().parse::<SockAddr>().unwrap(), a);
    }
    let not_utf8 = SockAddr::unix(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(
        b"/tmp/\xff\xfe",
    ))
    .unwrap();
    assert_eq!(not_utf8.to_string(), "unix:/tmp/\\xff\\xfe");
    assert_eq!(not_utf8.to_string().parse::<SockAddr>().unwrap(), not_utf8);

    let cases = [
        ("", "empty"),
        ("127.0.0.1", "missing port"),
        ("::1", "missing port"),
        ("[::1]", "missing port"),
        ("127.0.0.1:65536", r#"port "65536" is not a number in 0..=65535"#),
        ("127.0.0.1:-1", r#"port "-1" is not a number in 0..=65535"#),
        ("127.0.0.1:", "missing port after ':'"),
        ("127.0.0.1:http", r#"port "http" is not a number in 0..=65535"#),
        ("1.2.3.4: 80", r#"port " 80" is not a number in 0..=65535"#),
        ("10.0.0.1:8o80", r#"port "8o80" is not a number in 0..=65535"#),
        ("127.0.0.1:8080\n", r#"port "8080\n" is not a number in 0..=65535"#),
        ("1.2.3.4:x", r#"port "x" is not a number in 0..=65535"#),
        ("1.2.3.4:+80", r#"port "+80" is not a number in 0..=65535"#),
        ("[::1]:80x", r#"port "80x" is not a number in 0..=65535"#),
        ("1.2.3.4:80x", r#"port "80x" is not a number in 0..=65535"#),
        ("localhost:80", "not a numeric address"),
        ("[::1:80", "missing ']'"),
        ("[::1]80", "expected ':' and a port after ']'"),
        ("[fe80::1%eth0]:80", "interface index"),
        ("1.2.3.256:1", "octet 256 is over 255"),
        ("999.1.1.1:1", "octet 999 is over 255"),
        ("1.2.3:80", "fewer than four octets"),
        ("01.2.3.4:80", "leading zero"),
        ("1.2.3.4/24", "unexpected character"),
        ("x.sock", "a Unix path needs a '/'"),
        ("@\\q", "bad escape"),
        ("unix:", "empty path"),
        ("unix:a\\x00b", "NUL"),
        ("netlink:1", "netlink:PID:GROUPS"),
        ("vsock:1:x", "vsock:CID:PORT"),
        ("packet:1:0x10000", "packet:IFINDEX:PROTO"),
        ("other:2:0000", "AF_INET"),
        ("other:200:00", "AF_MAX"),
    ];
    for (text, why) in cases {
        let err = text.parse::<SockAddr>().unwrap_err();
        assert!(matches!(err, Error::AddrParse { .. }), "{text}: {err}");
        assert!(err.to_string().contains(why), "{text}: {err}");
    }
    let long = format!("/{}", "a".repeat(200));
    assert!(long.parse::<SockAddr>().unwrap_err().to_string().contains("sun_path"));
    // The error quotes at most a short prefix of what it was given.
    let junk = format!("1.2.3.4:{}", "9".repeat(1000));
    let Error::AddrParse { input, reason } = junk.parse::<SockAddr>().unwrap_err() else {
        panic!()
    };
    assert!(input.is_cut() && input.as_str().len() <= InputText::CAPACITY);
    let Reason::Port { text } = reason else { panic!("{reason:?}") };
    assert!(text.is_cut());
}

#[test]
fn conversions_between_std_and_bsdsock() {
    let v4: SocketAddrV4 = "10.0.0.1:53".parse().unwrap();
    let a = SockAddrIn::from(v4);
    assert_eq!(SocketAddrV4::from(a), v4);
    let v6 = SocketAddrV6::new("fe80::1".parse().unwrap(), 9, 0x12345, 7);
    let b = SockAddrIn6::from(v6);
    assert_eq!((b.flowinfo(), b.scope_id()), (0x12345, 7));
    assert_eq!(SocketAddrV6::from(b), v6);
    assert_eq!(SockAddr::from(v6).family(), Domain::INET6);
    let un = SockAddr::unix("/x").unwrap();
    assert!(SocketAddr::try_from(un).unwrap_err().to_string().contains("not an IP"));
    assert_eq!(format!("{:?}", SockAddr::from(v4)), "Inet(10.0.0.1:53)");
}

#[test]
fn byte_order_and_constants() {
    assert_eq!(htons(0x0102).to_ne_bytes(), [1, 2]);
    assert_eq!(ntohs(htons(8080)), 8080);
    assert_eq!(htonl(0x7f000001).to_ne_bytes(), [127, 0, 0, 1]);
    assert_eq!(ntohl(htonl(0xdeadbeef)), 0xdeadbeef);
    const PORT: u16 = htons(80); // usable in const context
    assert_eq!(PORT, 80u16.to_be());
    assert_eq!(INADDR_ANY, Ipv4Addr::new(0, 0, 0, 0));
    assert_eq!(INADDR_LOOPBACK, Ipv4Addr::new(127, 0, 0, 1));
    assert_eq!(INADDR_BROADCAST, Ipv4Addr::new(255, 255, 255, 255));
    assert_eq!(IN6ADDR_LOOPBACK, "::1".parse::<Ipv6Addr>().unwrap());
    assert_eq!(IN6ADDR_ANY, Ipv6Addr::UNSPECIFIED);
}

#[test]
fn sockaddr_stays_small() {
    // Addresses travel by value without the heap; keep them near the size of
    // sockaddr_storage (128), which SockAddr::Other holds, plus the tag: 136 on
    // Linux x86_64 (120 before Other, with sockaddr_un the largest payload; the
    // getsockname rows of benches/callgrind.guard measured the same for both).
    let storage = std::mem::size_of::<libc::sockaddr_storage>();
    assert!(std::mem::size_of::<SockAddr>() <= storage + 8, "{}", std::mem::size_of::<SockAddr>());
    assert!(std::mem::size_of::<Error>() <= 96, "{}", std::mem::size_of::<Error>());
    assert_eq!(std::mem::size_of::<SockAddrIn>(), 16);
    assert_eq!(std::mem::size_of::<SockAddrIn6>(), 28);
    // A successful getsockname/accept/recvfrom stores one tag, SockAddr's own:
    // the Result's Err hides in SockAddr's spare tag values (see the repr on
    // SockAddr), so the Result is no larger than the address.
    assert_eq!(std::mem::size_of::<Result<SockAddr>>(), std::mem::size_of::<SockAddr>());
}
