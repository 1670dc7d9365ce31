//! Unit tests of the resolver's shared pieces: name checks and error mapping.

use super::*;

#[test]
fn c_name_accepts_up_to_the_limit_and_terminates() {
    let mut buf = [0xffu8; MAX_NAME_LEN + 1];
    let name = "a".repeat(MAX_NAME_LEN);
    let c = c_name("t", "host name", &name, &mut buf).unwrap();
    assert_eq!(c.to_bytes(), name.as_bytes());
    let mut buf = [0xffu8; MAX_NAME_LEN + 1];
    assert_eq!(c_name("t", "host name", "", &mut buf).unwrap().to_bytes(), b"");
}

#[test]
fn c_name_refuses_long_and_nul() {
    let mut buf = [0u8; MAX_NAME_LEN + 1];
    let e = c_name("t", "host name", &"a".repeat(MAX_NAME_LEN + 1), &mut buf).unwrap_err();
    assert_eq!(e.to_string(), "t: host name is 254 bytes long; at most 253 fit");
    let e = c_name("t", "service", "ht\0tp", &mut buf).unwrap_err();
    assert_eq!(e.to_string(), "t: service contains a NUL byte");
}

#[cfg(netdb_r)]
#[test]
fn every_h_errno_maps_to_a_typed_error_with_hstrerror_text() {
    use crate::Errno;
    use crate::error::Context;
    use crate::sys::LookupError;
    use std::io::ErrorKind;
    // The text is the C library's hstrerror, read at run time (glibc says
    // "Unknown host" where musl says "Host not found").
    for (raw, code, kind) in [
        (1, HErrno::HOST_NOT_FOUND, ErrorKind::NotFound),
        (2, HErrno::TRY_AGAIN, ErrorKind::Other),
        (3, HErrno::NO_RECOVERY, ErrorKind::Other),
        (4, HErrno::NO_DATA, ErrorKind::NotFound),
    ] {
        let e = Err::<(), _>(LookupError::Herrno(raw)).ctx("gethostbyname").unwrap_err();
        assert!(matches!(e, Error::Host { call: "gethostbyname", code: c } if c == code));
        let text = crate::sys::hstrerror(raw);
        assert!(!text.is_empty() && text != "Unknown error", "{raw}: {text:?}");
        assert_eq!(e.to_string(), format!("gethostbyname: {text} ({})", code.name()));
        assert_eq!(e.kind(), kind);
        assert_eq!(e.errno(), None);
    }
    let e = Err::<(), _>(LookupError::Os(Errno::ERANGE)).ctx("gethostbyaddr").unwrap_err();
    assert_eq!(e.errno(), Some(Errno::ERANGE));
    let e = Err::<(), _>(LookupError::NotUtf8("s_name")).ctx("getservbyname").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidData);
    assert_eq!(
        e.to_string(),
        "getservbyname: unexpected value from the kernel: s_name is not UTF-8"
    );
}
