use super::*;

#[test]
fn layout_matches_the_kernel_header() {
    assert_eq!(MIN_LEN, 104);
    assert_eq!(offset_of!(Layout, rto), 8);
    assert_eq!(offset_of!(Layout, snd_wnd), 228);
    assert_eq!(BUF_LEN, 248);
}

#[test]
fn short_answers_are_errors_and_late_fields_optional() {
    let short = TcpInfo::from_kernel([0; BUF_LEN], 103).unwrap_err();
    assert!(matches!(short.into_error("getsockopt(TCP_INFO)"), crate::Error::Decode { .. }));
    let mut buf = [0u8; BUF_LEN];
    buf[0] = 1;
    buf[offset_of!(Layout, snd_mss)..][..4].copy_from_slice(&1448u32.to_ne_bytes());
    buf[offset_of!(Layout, pacing_rate)..][..8].copy_from_slice(&7u64.to_ne_bytes());
    let old = TcpInfo::from_kernel(buf, 104).unwrap();
    assert_eq!(old.state(), TcpState::ESTABLISHED);
    assert_eq!(old.snd_mss(), 1448);
    assert_eq!(old.pacing_rate(), None); // not written by this "kernel"
    assert_eq!(old.as_bytes().len(), 104);
    let new = TcpInfo::from_kernel(buf, BUF_LEN).unwrap();
    assert_eq!(new.pacing_rate(), Some(7));
    assert_eq!(new.total_rto_time(), Some(Duration::ZERO));
    // A field cut in half by the reported length is absent, not garbage.
    let cut = TcpInfo::from_kernel(buf, offset_of!(Layout, pacing_rate) + 4).unwrap();
    assert_eq!(cut.pacing_rate(), None);
}

#[test]
fn window_scales() {
    let (snd, rcv) = nibbles(0x7a);
    if cfg!(target_endian = "little") {
        assert_eq!((snd, rcv), (0xa, 0x7));
    }
}
