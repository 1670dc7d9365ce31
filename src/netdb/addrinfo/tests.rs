//! Unit tests of getaddrinfo's error mapping and service-string check.

use super::*;
use crate::Errno;

#[test]
fn eai_system_carries_errno() {
    let failed = sys::GaiError { code: libc::EAI_SYSTEM, errno: Some(Errno::EMFILE) };
    let e = Err::<(), _>(failed).ctx("getaddrinfo").unwrap_err();
    assert_eq!(e.errno(), Some(Errno::EMFILE));
    assert_eq!(e.kind(), Errno::EMFILE.kind());
    assert_eq!(
        e.to_string(),
        format!(
            "getaddrinfo: {} (EAI_SYSTEM): {} (EMFILE)",
            sys::gai_strerror(libc::EAI_SYSTEM),
            Errno::EMFILE
        )
    );
    let failed = sys::GaiError { code: libc::EAI_AGAIN, errno: None };
    let e = Err::<(), _>(failed).ctx("getnameinfo").unwrap_err();
    assert_eq!(e.errno(), None);
    // gai_strerror's text, read at run time: glibc's "Temporary failure in name
    // resolution" is musl's "Try again".
    assert_eq!(
        e.to_string(),
        format!("getnameinfo: {} (EAI_AGAIN)", sys::gai_strerror(libc::EAI_AGAIN))
    );
}

#[test]
fn numeric_services_that_c_would_wrap_are_refused() {
    for ok in ["0", "80", "65535", "00080", "http", "x-1", " http"] {
        assert!(check_service("t", ok).is_ok(), "{ok:?}");
    }
    for bad in
        ["", "65536", "99999", "-1", "+80", " 80", "\t80", "4294967376", "123456789012345678901"]
    {
        let e = check_service("t", bad).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{bad:?}");
    }
}

#[test]
fn getnameinfo_reads_only_the_nul_padded_copy() {
    let storage = std::mem::size_of::<libc::sockaddr_storage>();
    let (mut host, mut serv) = ([0xffu8; NI_MAXHOST], [0xffu8; 256]);
    // Longer than any sockaddr: refused before the call.
    let long = vec![0u8; storage + 1];
    let e = sys::getnameinfo(&long, 0, &mut host, &mut serv).unwrap_err();
    assert_eq!(e.code, libc::EAI_FAMILY);
    // A whole sockaddr_storage of AF_UNIX with no NUL anywhere: glibc's strlen of
    // sun_path stops at the zero byte after the copy, so the service is the
    // rest of the storage, nothing more.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let mut raw = vec![b'p'; storage];
        raw[..2].copy_from_slice(&(libc::AF_UNIX as libc::sa_family_t).to_ne_bytes());
        let flags = NiFlags::NUMERICHOST.bits();
        let path = "p".repeat(storage - 2);
        let answer = sys::getnameinfo(&raw, flags, &mut host, &mut serv);
        assert_eq!(answer, Ok((Some("localhost"), Some(path.as_str()))));
    }
}
