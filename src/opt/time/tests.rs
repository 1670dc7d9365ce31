use super::*;

#[test]
fn durations_round_up() {
    assert_eq!(ceil_units(Duration::from_nanos(1), 1), 1);
    assert_eq!(ceil_units(Duration::from_millis(1000), 1), 1);
    assert_eq!(ceil_units(Duration::from_millis(1001), 1), 2);
    assert_eq!(ceil_units(Duration::from_nanos(1_000_001), 1_000), 2);
    assert_eq!(ceil_units(Duration::from_nanos(999), 1_000_000), 1);
    assert_eq!(ceil_units(Duration::ZERO, 1_000), 0);
    assert!(duration_to_int(Duration::from_secs(1 << 31), 1).is_err());
    assert_eq!(duration_to_int(Duration::from_secs((1 << 31) - 1), 1).unwrap(), i32::MAX);
    assert!(duration_to_int(Duration::MAX, 1_000).is_err());
}

#[test]
fn timeval_encoding() {
    let tv = timeval_to_c(Some(Duration::from_nanos(1))).unwrap();
    assert_eq!((tv.tv_sec, tv.tv_usec), (0, 1));
    let tv = timeval_to_c(Some(Duration::new(1, 999_999_001))).unwrap();
    assert_eq!((tv.tv_sec, tv.tv_usec), (2, 0));
    let tv = timeval_to_c(None).unwrap();
    assert_eq!((tv.tv_sec, tv.tv_usec), (0, 0));
    let e = timeval_to_c(Some(Duration::ZERO)).unwrap_err().into_error("setsockopt(SO_RCVTIMEO)");
    assert!(matches!(e, crate::Error::InvalidInput { call: "setsockopt(SO_RCVTIMEO)", .. }));
    assert!(timeval_to_c(Some(Duration::MAX)).is_err());
}

#[test]
fn timeval_decoding_checks_ranges() {
    let tv = |s, u| libc::timeval { tv_sec: s, tv_usec: u };
    assert_eq!(timeval_from_c(tv(0, 0)).unwrap(), None);
    assert_eq!(timeval_from_c(tv(3, 4000)).unwrap(), Some(Duration::new(3, 4_000_000)));
    for bad in [tv(-1, 0), tv(0, -1), tv(0, 1_000_000)] {
        assert!(matches!(
            timeval_from_c(bad).unwrap_err().into_error("g"),
            crate::Error::Decode { call: "g", .. }
        ));
    }
}

#[test]
fn linger_encoding() {
    let l = linger_to_c(Some(Duration::from_millis(1))).unwrap();
    assert_eq!((l.l_onoff, l.l_linger), (1, 1)); // never an accidental RST
    let l = linger_to_c(Some(Duration::ZERO)).unwrap();
    assert_eq!((l.l_onoff, l.l_linger), (1, 0));
    let l = linger_to_c(None).unwrap();
    assert_eq!(l.l_onoff, 0);
    let on = |s| libc::linger { l_onoff: 1, l_linger: s };
    assert_eq!(linger_from_c(on(7)).unwrap(), Some(Duration::from_secs(7)));
    assert_eq!(linger_from_c(libc::linger { l_onoff: 0, l_linger: 9 }).unwrap(), None);
    assert!(matches!(linger_from_c(on(-2)), Err(Refusal::Value { .. })));
}

#[test]
fn timeval_refuses_what_the_kernel_would_read_back_as_none() {
    let tv = timeval_to_c(Some(Timeval::MAX)).unwrap();
    assert_eq!((tv.tv_sec as u64, tv.tv_usec), (Timeval::MAX.as_secs(), 0));
    for too_long in [Timeval::MAX + Duration::from_nanos(1), Duration::from_secs(i64::MAX as u64)] {
        let e = timeval_to_c(Some(too_long)).unwrap_err().into_error("s");
        assert!(matches!(e, crate::Error::InvalidInput { call: "s", .. }), "{e:?}");
    }
}

#[cfg(linux_like)]
#[test]
fn linger_stays_within_the_kernels_clock_ticks() {
    let max = i32::try_from(JIFFY_SECS).unwrap_or(i32::MAX);
    assert_eq!(linger_secs(Duration::from_secs(max as u64)).unwrap(), max);
    if JIFFY_SECS < i32::MAX as u64 {
        assert!(linger_secs(Duration::from_secs(JIFFY_SECS + 1)).is_err());
    }
}
