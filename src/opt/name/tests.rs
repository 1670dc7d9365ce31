use super::*;

#[test]
fn names_are_checked() {
    assert_eq!(Name::new("lo").unwrap(), "lo");
    assert_eq!(Name::new("fifteen-bytes-x").unwrap().as_str().len(), 15);
    assert!(Name::new("sixteen-bytes-xx").is_err());
    assert!(Name::new("a\0b").is_err());
    assert!(Name::new("").is_err());
    let e =
        Name::checked("sixteen-bytes-xx").unwrap_err().into_error("setsockopt(SO_BINDTODEVICE)");
    assert!(e.to_string().starts_with("setsockopt(SO_BINDTODEVICE): "));
}

#[test]
fn names_from_kernel() {
    let name = |raw| Name::from_kernel(raw).map_err(|r| r.into_error("getsockopt(TCP_CONGESTION)"));
    assert_eq!(name(b"cubic\0\0\0\0\0\0\0\0\0\0\0").unwrap().unwrap(), "cubic");
    assert_eq!(name(b"lo\0").unwrap().unwrap(), "lo");
    assert_eq!(name(b"eth0").unwrap().unwrap(), "eth0");
    assert_eq!(name(b"").unwrap(), None);
    assert_eq!(name(b"\0\0").unwrap(), None);
    assert!(matches!(name(b"0123456789abcdef"), Err(Error::Decode { .. })));
    assert!(matches!(name(b"\xff\xfe\0"), Err(Error::Decode { .. })));
}
