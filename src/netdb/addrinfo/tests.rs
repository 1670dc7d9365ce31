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
