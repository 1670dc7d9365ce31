//! `getnameinfo` and `getnameinfo_buf`: a Unix address whose path fills all of
//! `sun_path` (no NUL) is translated without reading past it (the
//! `memcheck_finds_no_error` test runs this binary's other tests under valgrind's
//! memcheck), and the buffer variant answers as the owned one, with a too-small
//! buffer an error, never a text cut short.
//!
//! No DNS: every host is numeric (`NI_NUMERICHOST`) or 127.0.0.1, which
//! /etc/hosts names; a Unix address's host is the node name or "localhost".
#![cfg(target_os = "linux")]

use std::process::Command;

use bsdsock::netdb::{EaiCode, NI_MAXHOST, NI_MAXSERV, NiFlags, getnameinfo, getnameinfo_buf};
use bsdsock::{Error, INET6_ADDRSTRLEN, SockAddr};
#[cfg(target_env = "gnu")]
use bsdsock::{SUN_PATH_LEN, SockAddrUn};

const NUMERIC: NiFlags = NiFlags::NUMERICHOST.union(NiFlags::NUMERICSERV);

fn gai_code(r: Result<impl std::fmt::Debug, Error>) -> EaiCode {
    match r {
        Err(Error::Gai { call: "getnameinfo", code, errno: None }) => code,
        other => panic!("expected a getnameinfo EAI_* error, got {other:?}"),
    }
}

/// A path of exactly `SUN_PATH_LEN` bytes: it fills `sun_path`, with no NUL.
#[cfg(target_env = "gnu")]
fn full_path() -> String {
    format!("/{}", "p".repeat(SUN_PATH_LEN - 1))
}

/// glibc translates `AF_UNIX` addresses: the host is the node name ("localhost"
/// with `NI_NUMERICHOST`), the service is the path. Its `strlen` on `sun_path`
/// ignores the address length, so the path must be followed by a NUL inside
/// memory it may read: the answer is exactly the path, nothing after it.
#[cfg(target_env = "gnu")]
#[test]
fn unix_path_filling_sun_path() {
    let path = full_path();
    let a = SockAddr::from(SockAddrUn::new(&path).unwrap());
    assert_eq!(a.as_bytes().len(), 2 + SUN_PATH_LEN, "no NUL counted in the length");
    assert_eq!(getnameinfo(&a, NUMERIC).unwrap(), ("localhost".into(), path.clone()));
    let node = bsdsock::netdb::gethostname().unwrap();
    assert_eq!(getnameinfo(&a, NiFlags::NUMERICSERV).unwrap(), (node, path.clone()));

    // Into caller buffers, whatever they held before: with room for the path
    // and its NUL, the path; one byte less, or NI_MAXSERV, EAI_OVERFLOW.
    let mut host = [0xffu8; NI_MAXHOST];
    let mut serv = [0xffu8; SUN_PATH_LEN + 1];
    assert_eq!(getnameinfo_buf(&a, NUMERIC, &mut host, &mut serv).unwrap(), ("localhost", &*path));
    let e = getnameinfo_buf(&a, NUMERIC, &mut host, &mut serv[..SUN_PATH_LEN]);
    assert_eq!(gai_code(e), EaiCode::EAI_OVERFLOW);
    let e = getnameinfo_buf(&a, NUMERIC, &mut host, &mut [0u8; NI_MAXSERV]).unwrap_err();
    assert_eq!(e.to_string(), "getnameinfo: Argument buffer overflow (EAI_OVERFLOW)");

    // Every other length, and the addresses with no path: an empty service.
    for len in 1..SUN_PATH_LEN {
        let p = format!("/{}", "q".repeat(len - 1));
        let a = SockAddr::from(SockAddrUn::new(&p).unwrap());
        assert_eq!(getnameinfo(&a, NUMERIC).unwrap().1, p);
    }
    let unnamed = SockAddr::from(SockAddrUn::unnamed());
    assert_eq!(getnameinfo(&unnamed, NUMERIC).unwrap(), ("localhost".into(), String::new()));
    let abs = SockAddr::from(SockAddrUn::new_abstract(&[b'a'; SUN_PATH_LEN - 1]).unwrap());
    assert_eq!(getnameinfo(&abs, NUMERIC).unwrap(), ("localhost".into(), String::new()));
}

/// The tests above and below under valgrind's memcheck: no read of
/// uninitialised or unaddressable memory (leaks are not this test's subject:
/// the test harness's threads keep theirs). Skipped with a reason where
/// valgrind is not installed, except in CI (.ci/run installs it).
#[test]
fn memcheck_finds_no_error() {
    if std::env::var_os("BSDSOCK_UNDER_VALGRIND").is_some() {
        return; // the run inside valgrind
    }
    let Ok(v) = Command::new("valgrind").arg("--version").output() else {
        assert!(std::env::var_os("CI").is_none(), "CI installs valgrind (.ci/run)");
        eprintln!("skipped: valgrind is not installed");
        return;
    };
    assert!(v.status.success());
    let out = Command::new("valgrind")
        .args(["--tool=memcheck", "--error-exitcode=1", "--leak-check=no", "-q"])
        .arg(std::env::current_exe().unwrap())
        .args(["--test-threads=1", "--skip", "memcheck_finds_no_error"])
        .env("BSDSOCK_UNDER_VALGRIND", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "valgrind: {}\n{stdout}\n{stderr}", out.status);
    assert!(stdout.contains("test result: ok."), "{stdout}");
    assert!(!stderr.contains("=="), "valgrind reported:\n{stderr}");
}

/// The buffer variant answers exactly what the owned one does, with the
/// smallest buffers that fit a numeric answer.
#[test]
fn buffer_variant_answers_as_getnameinfo() {
    let mut host = [0u8; NI_MAXHOST];
    let mut serv = [0u8; NI_MAXSERV];
    for (text, want_host, want_serv) in [
        ("127.0.0.1:80", "127.0.0.1", "80"),
        ("0.0.0.0:0", "0.0.0.0", "0"),
        ("255.255.255.255:65535", "255.255.255.255", "65535"),
        ("[::1]:8080", "::1", "8080"),
        ("[2001:db8::1]:443", "2001:db8::1", "443"),
        ("[::ffff:192.0.2.1]:1", "::ffff:192.0.2.1", "1"),
        (
            "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:9",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "9",
        ),
    ] {
        let a: SockAddr = text.parse().unwrap();
        assert_eq!(
            getnameinfo_buf(&a, NUMERIC, &mut host, &mut serv).unwrap(),
            (want_host, want_serv)
        );
        assert_eq!(getnameinfo(&a, NUMERIC).unwrap(), (want_host.into(), want_serv.into()));
        let (mut h, mut s) = ([0u8; INET6_ADDRSTRLEN], [0u8; 6]);
        assert_eq!(getnameinfo_buf(&a, NUMERIC, &mut h, &mut s).unwrap(), (want_host, want_serv));
    }
    // By name: 127.0.0.1 from /etc/hosts, port 80 from /etc/services.
    let lo: SockAddr = "127.0.0.1:80".parse().unwrap();
    for flags in [NiFlags::empty(), NiFlags::NUMERICSERV, NiFlags::NUMERICHOST, NiFlags::NAMEREQD] {
        let owned = getnameinfo(&lo, flags).unwrap();
        let got = getnameinfo_buf(&lo, flags, &mut host, &mut serv).unwrap();
        assert_eq!((got.0, got.1), (owned.0.as_str(), owned.1.as_str()), "{flags:?}");
    }
}

/// A buffer one byte too small for the answer and its NUL, or anything
/// shorter, is `EAI_OVERFLOW`; the exact size fits; an empty buffer asks for no
/// answer of that kind.
#[test]
fn too_small_is_an_error_never_a_cut_text() {
    let a: SockAddr = "[2001:db8::1]:8080".parse().unwrap();
    let (h, s) = ("2001:db8::1", "8080");
    let mut host = [0u8; NI_MAXHOST];
    let mut serv = [0u8; NI_MAXSERV];
    for len in 1..=h.len() {
        let r = getnameinfo_buf(&a, NUMERIC, &mut host[..len], &mut serv);
        assert_eq!(gai_code(r), EaiCode::EAI_OVERFLOW, "host buffer of {len}");
    }
    for len in 1..=s.len() {
        let r = getnameinfo_buf(&a, NUMERIC, &mut host, &mut serv[..len]);
        assert_eq!(gai_code(r), EaiCode::EAI_OVERFLOW, "service buffer of {len}");
    }
    let (exact_h, exact_s) = (&mut host[..=h.len()], &mut serv[..=s.len()]);
    assert_eq!(getnameinfo_buf(&a, NUMERIC, exact_h, exact_s).unwrap(), (h, s));
    assert_eq!(getnameinfo_buf(&a, NUMERIC, &mut [], &mut serv).unwrap(), ("", s));
    assert_eq!(getnameinfo_buf(&a, NUMERIC, &mut host, &mut []).unwrap(), (h, ""));
    // Not a family getnameinfo translates.
    let r = getnameinfo_buf(&SockAddr::Unspec, NUMERIC, &mut host, &mut serv);
    assert_eq!(gai_code(r), EaiCode::EAI_FAMILY);
}
