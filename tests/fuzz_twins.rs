//! The property-test twins of the fuzz targets in `fuzz/`: the same property
//! functions (`fuzz/props.rs`, included below), fed by proptest with a bounded
//! number of cases so that stable CI checks on every run what the fuzz targets
//! check for as long as they are given. fuzz/README.md maps each target to its
//! twin.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

#[path = "../fuzz/props.rs"]
mod props;

mod common;

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV6};

use bsdsock::SockAddr;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};

/// Cases per twin: the whole file stays within a few seconds in a debug build.
const CASES: u32 = 1000;

/// A `sockaddr` of arbitrary bytes, with a real family in most cases so that
/// the typed decoders are reached.
fn raw_sockaddr() -> impl Strategy<Value = Vec<u8>> {
    let family = prop_oneof![
        Just(libc::AF_INET),
        Just(libc::AF_INET6),
        Just(libc::AF_UNIX),
        Just(libc::AF_UNSPEC),
        Just(libc::AF_NETLINK),
        Just(libc::AF_PACKET),
        Just(libc::AF_VSOCK),
        any::<u16>().prop_map(i32::from),
    ];
    let len = prop_oneof![Just(16usize), Just(28), Just(12), Just(20), Just(16), 0..140usize];
    (family, len.prop_flat_map(|n| vec(any::<u8>(), n))).prop_map(|(family, mut raw)| {
        if raw.len() >= 2 {
            raw[..2].copy_from_slice(&(family as u16).to_ne_bytes());
        }
        raw
    })
}

/// `base` as is, or with one byte inserted, removed or replaced by one of the
/// characters addresses are made of (or a NUL).
fn mutated(base: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    let ch = select(b"0123456789afxX.:%[]/@()- \0".to_vec());
    (base, 0u8..5, any::<Index>(), ch).prop_map(|(s, op, at, ch)| {
        let mut b = s.into_bytes();
        let i = at.index(b.len() + 1);
        match op {
            0 | 1 => {}
            2 => b.insert(i, ch),
            3 if i < b.len() => drop(b.remove(i)),
            _ if i < b.len() => b[i] = ch,
            _ => {}
        }
        String::from_utf8_lossy(&b).into_owned()
    })
}

/// Address text of every form `SockAddr` prints, and near misses.
fn address_text() -> impl Strategy<Value = String> {
    mutated(prop_oneof![
        raw_sockaddr()
            .prop_map(|raw| SockAddr::from_bytes(&raw).map(|a| a.to_string()).unwrap_or_default()),
        (any::<[u8; 4]>(), any::<u16>()).prop_map(|(ip, p)| format!("{}:{p}", Ipv4Addr::from(ip))),
        (ipv6(), any::<u16>(), prop_oneof![Just(0), any::<u32>()])
            .prop_map(|(ip, p, scope)| SocketAddrV6::new(ip, p, 0, scope).to_string()),
        "[0-9a-fA-FxX.:%\\[\\]/@()a-z]{0,48}",
        "(unix|netlink|packet|vsock|other):[0-9a-fx:]{0,24}",
        any::<String>(),
    ])
}

/// An IPv6 address with runs of zero groups, so that `::` forms come up.
fn ipv6() -> impl Strategy<Value = Ipv6Addr> {
    vec(prop_oneof![2 => Just(0u16), 1 => any::<u16>(), 1 => 0..16u16], 8)
        .prop_map(|g| Ipv6Addr::new(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]))
}

/// A number as C writes it: decimal, octal or hex.
const C_NUMBER: &str = "(0|[1-9][0-9]{0,10}|0[0-7]{1,12}|0[xX][0-9a-fA-F]{1,9})";

/// Text in the notations of `inet_aton` and `inet_pton`, and near misses.
fn inet_text() -> impl Strategy<Value = String> {
    mutated(prop_oneof![
        vec(C_NUMBER, 1..=5).prop_map(|parts| parts.join(".")),
        any::<[u8; 4]>().prop_map(|b| Ipv4Addr::from(b).to_string()),
        ipv6().prop_map(|ip| ip.to_string()),
        ipv6().prop_map(|ip| ip.segments().map(|g| format!("{g:x}")).join(":")),
        (ipv6(), any::<[u8; 4]>()).prop_map(|(ip, v4)| {
            let g = ip.segments().map(|g| format!("{g:x}"));
            format!("{}:{}", g[..6].join(":"), Ipv4Addr::from(v4))
        }),
        "[0-9a-fA-FxX.: ]{0,24}",
        any::<String>(),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Twin of fuzz target `sockaddr_from_bytes`.
    #[test]
    fn sockaddr_from_bytes(raw in raw_sockaddr()) {
        props::sockaddr_from_bytes(&raw);
    }

    /// Twin of fuzz target `sockaddr_text`.
    #[test]
    fn sockaddr_text(s in address_text()) {
        props::sockaddr_text(&s);
    }

    /// Twin of fuzz target `inet_parsers`.
    #[test]
    fn inet_parsers(s in inet_text()) {
        props::inet_parsers(&s);
    }

    /// Twin of fuzz target `inet_printer`.
    #[test]
    fn inet_printer(raw in vec(prop_oneof![3 => Just(0u8), 1 => any::<u8>()], 0..18)) {
        props::inet_printer(&raw);
    }

    /// Twin of fuzz target `control_messages`, on arbitrary bytes.
    #[test]
    fn control_messages_bytes(raw in vec(any::<u8>(), 0..256)) {
        props::control_messages(&raw);
    }

    /// Twin of fuzz target `control_messages`, on laid-out messages.
    #[test]
    fn control_messages_layout(raw in vec(any::<u8>(), 0..256)) {
        props::control_messages(&props::cmsg_layout(&raw));
    }

    /// Twin of fuzz target `option_values`.
    #[test]
    fn option_values(raw in prop_oneof![
        vec(any::<u8>(), 0..160),
        prop_oneof![Just(4usize), Just(8), Just(12), Just(16)].prop_flat_map(|n| vec(any::<u8>(), n)),
        any::<i32>().prop_map(|i| i.to_ne_bytes().to_vec()),
        (-2i32..300).prop_map(|i| i.to_ne_bytes().to_vec()),
    ]) {
        props::option_values(&raw);
    }
}

/// The control-message twins parse arbitrary `SCM_RIGHTS` payloads: no
/// descriptor of this process may be closed or opened by that.
#[test]
fn control_messages_touch_no_descriptor() {
    if !common::alone("control_messages_touch_no_descriptor") {
        return;
    }
    let before = common::open_fds();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(200));
    let rights = (0..64u8, vec(-2i32..64, 0..16)).prop_map(|(cut, fds)| {
        let payload: Vec<u8> = fds.iter().flat_map(|f| f.to_ne_bytes()).collect();
        let mut raw = vec![64, payload.len() as u8, 0];
        raw.extend(payload);
        raw.push(cut);
        raw
    });
    runner
        .run(&rights, |raw| {
            props::control_messages(&props::cmsg_layout(&raw));
            Ok(())
        })
        .unwrap();
    common::assert_same_fds(&before, "parsing SCM_RIGHTS payloads");
}

/// `Opt::decode` of the bytes getsockopt_raw reads is what getsockopt reads:
/// the option target checks the decoder the socket calls use.
#[test]
fn option_decode_is_getsockopt() {
    use bsdsock::opt::{self, getsockopt, getsockopt_raw};
    let (a, _b) = common::tcp_pair();
    a.set(opt::SO_LINGER, Some(std::time::Duration::from_secs(7))).unwrap();
    a.set(opt::SO_RCVTIMEO, Some(std::time::Duration::from_millis(1500))).unwrap();
    let mut buf = [0u8; 512];
    macro_rules! same {
        ($($o:expr),*) => {$({
            let n = getsockopt_raw(&a, $o.level(), $o.optname(), &mut buf).unwrap();
            assert_eq!($o.decode(&buf[..n]).unwrap(), getsockopt(&a, $o).unwrap(), "{:?}", $o);
        })*};
    }
    same!(opt::SO_TYPE, opt::SO_DOMAIN, opt::SO_PROTOCOL, opt::SO_REUSEADDR, opt::SO_ERROR);
    same!(opt::SO_LINGER, opt::SO_RCVTIMEO, opt::SO_PEERCRED, opt::SO_COOKIE, opt::IP_TTL);
    same!(opt::TCP_NOTSENT_LOWAT, opt::TCP_CONGESTION, opt::SO_BINDTODEVICE, opt::TCP_KEEPIDLE);
    let n = getsockopt_raw(&a, opt::TCP_INFO.level(), opt::TCP_INFO.optname(), &mut buf).unwrap();
    let info = opt::TCP_INFO.decode(&buf[..n]).unwrap();
    assert_eq!(info.state(), getsockopt(&a, opt::TCP_INFO).unwrap().state());
    // This kernel's tcp_info may be longer than the crate's: the known prefix.
    assert!(buf[..n].starts_with(info.as_bytes()) && info.as_bytes().len() >= 104);
}

/// The inputs on which fuzzing first failed a property, kept as fixed cases
/// (fuzz/README.md, "Findings").
#[test]
fn fuzz_findings() {
    // An IPv6 flow label has no text form: Display leaves it out.
    let mut sin6 = SockAddr::from("[::]:0".parse::<SocketAddrV6>().unwrap()).as_bytes().to_vec();
    sin6[4..8].copy_from_slice(&0x0100_0000u32.to_ne_bytes());
    props::sockaddr_from_bytes(&sin6);
    // AF_UNIX longer than sockaddr_un by trailing NULs: a full abstract name.
    let mut un = vec![0u8; 112];
    un[..2].copy_from_slice(&(libc::AF_UNIX as u16).to_ne_bytes());
    un[3..110].fill(b'a');
    props::sockaddr_from_bytes(&un);
    assert_eq!(SockAddr::from_bytes(&un).unwrap().as_bytes().len(), 110);
    // inet_aton stops at whitespace: a NUL after it is not read.
    props::inet_parsers("01\n\0.-");
    assert_eq!(bsdsock::inet_aton("01\n\0.-"), Some(Ipv4Addr::new(0, 0, 0, 1)));
    // A tcp_info longer than the crate's (a newer kernel's) keeps what it knows.
    props::option_values(&[0; 1000]);
    assert!(bsdsock::opt::TCP_INFO.decode(&[0; 1000]).is_ok());
}
