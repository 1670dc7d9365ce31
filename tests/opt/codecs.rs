//! Values that do not fit are errors, never garbage; the raw escape hatch.

use std::time::Duration;

use bsdsock::opt::{self, Opt, ReadOnly, getsockopt, getsockopt_raw, setsockopt, setsockopt_raw};
use bsdsock::{Domain, Error, Protocol, Type, socket};
use libc::{IPPROTO_TCP, SOL_SOCKET};

use crate::opt_common::*;

#[test]
fn values_c_cannot_hold_never_reach_the_kernel() {
    // A value C's int cannot hold never reaches the kernel (TCP_MAXSEG is a u32).
    let t = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    assert!(matches!(setsockopt(&t, opt::TCP_MAXSEG, u32::MAX), Err(Error::InvalidInput { .. })));
}

#[test]
fn kernel_answers_that_do_not_fit_are_decode_errors() {
    let s = tcp4();
    // A 64-bit codec given SO_TYPE's 4 bytes: a short length.
    const TYPE_AS_U64: Opt<u64, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_TYPE, "SO_TYPE");
    let err = getsockopt(&s, TYPE_AS_U64).unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "getsockopt: unexpected value from the kernel: 4 bytes where 8 were expected"
    );
    // SO_RCVBUF's value is no socket type: an unknown SO_TYPE is an error.
    const RCVBUF_AS_TYPE: Opt<Type, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_RCVBUF, "SO_RCVBUF");
    assert!(matches!(getsockopt(&s, RCVBUF_AS_TYPE), Err(Error::Decode { .. })));
    // A struct codec given an int: short.
    const TYPE_AS_INFO: Opt<opt::TcpInfo, ReadOnly> =
        Opt::new(SOL_SOCKET, libc::SO_TYPE, "SO_TYPE");
    assert!(matches!(getsockopt(&s, TYPE_AS_INFO), Err(Error::Decode { .. })));
    const TYPE_AS_TIMEVAL: Opt<Option<Duration>, ReadOnly, opt::Timeval> =
        Opt::new(SOL_SOCKET, libc::SO_TYPE, "SO_TYPE");
    assert!(matches!(getsockopt(&s, TYPE_AS_TIMEVAL), Err(Error::Decode { .. })));
    // TCP_NOTSENT_LOWAT's "no limit" is UINT_MAX: as a plain size it does not fit.
    const LOWAT_AS_USIZE: Opt<usize, ReadOnly> =
        Opt::new(IPPROTO_TCP, libc::TCP_NOTSENT_LOWAT, "x");
    raw_set_int(&s, IPPROTO_TCP, libc::TCP_NOTSENT_LOWAT, -1);
    assert!(matches!(getsockopt(&s, LOWAT_AS_USIZE), Err(Error::Decode { .. })));
    assert_eq!(getsockopt(&s, opt::TCP_NOTSENT_LOWAT).unwrap(), None);
}

#[test]
fn int_codecs_check_the_length_and_the_range_together() {
    // The int codecs read the value and the reported length as one word and
    // check both with one compare; each way of failing must still be told apart.
    let s = tcp4();
    raw_set_int(&s, SOL_SOCKET, libc::SO_RCVBUF, 65536); // reads back doubled
    let rcvbuf = raw_get_int(&s, SOL_SOCKET, libc::SO_RCVBUF);
    assert!(rcvbuf > 65535, "{rcvbuf}");
    const RCVBUF_AS_U8: Opt<u8, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_RCVBUF, "SO_RCVBUF");
    assert_eq!(
        getsockopt(&s, RCVBUF_AS_U8).unwrap_err().to_string(),
        format!(
            "getsockopt: unexpected value from the kernel: {rcvbuf} is not a valid 8-bit value"
        )
    );
    const RCVBUF_AS_U16: Opt<u16, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_RCVBUF, "SO_RCVBUF");
    assert!(matches!(getsockopt(&s, RCVBUF_AS_U16), Err(Error::Decode { .. })));
    // The same value as wide types is fine.
    const RCVBUF_AS_U32: Opt<u32, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_RCVBUF, "SO_RCVBUF");
    assert_eq!(getsockopt(&s, RCVBUF_AS_U32).unwrap(), rcvbuf as u32);
    assert_eq!(getsockopt(&s, opt::SO_RCVBUF).unwrap(), rcvbuf as usize);
    // A negative int: fine as i32, an error as every unsigned type.
    raw_set_int(&s, IPPROTO_TCP, libc::TCP_NOTSENT_LOWAT, -1);
    const LOWAT_AS_I32: Opt<i32, ReadOnly> = Opt::new(IPPROTO_TCP, libc::TCP_NOTSENT_LOWAT, "x");
    const LOWAT_AS_U32: Opt<u32, ReadOnly> = Opt::new(IPPROTO_TCP, libc::TCP_NOTSENT_LOWAT, "x");
    const LOWAT_AS_U8: Opt<u8, ReadOnly> = Opt::new(IPPROTO_TCP, libc::TCP_NOTSENT_LOWAT, "x");
    assert_eq!(getsockopt(&s, LOWAT_AS_I32).unwrap(), -1);
    assert_eq!(
        getsockopt(&s, LOWAT_AS_U32).unwrap_err().to_string(),
        "getsockopt: unexpected value from the kernel: -1 is not a valid unsigned value"
    );
    assert!(matches!(getsockopt(&s, LOWAT_AS_U8), Err(Error::Decode { .. })));
    // SO_BINDTODEVICE of an unbound socket answers with 0 bytes: a short length
    // for every int codec, whatever the 4 bytes left in the buffer would say.
    let mut buf = [0xffu8; 16];
    assert_eq!(getsockopt_raw(&s, SOL_SOCKET, libc::SO_BINDTODEVICE, &mut buf).unwrap(), 0);
    let short = "getsockopt: unexpected value from the kernel: 0 bytes where 4 were expected";
    const DEV_AS_U8: Opt<u8, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_BINDTODEVICE, "x");
    const DEV_AS_U16: Opt<u16, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_BINDTODEVICE, "x");
    const DEV_AS_U32: Opt<u32, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_BINDTODEVICE, "x");
    const DEV_AS_USIZE: Opt<usize, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_BINDTODEVICE, "x");
    const DEV_AS_I32: Opt<i32, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_BINDTODEVICE, "x");
    const DEV_AS_BOOL: Opt<bool, ReadOnly> = Opt::new(SOL_SOCKET, libc::SO_BINDTODEVICE, "x");
    assert_eq!(getsockopt(&s, DEV_AS_U8).unwrap_err().to_string(), short);
    assert_eq!(getsockopt(&s, DEV_AS_U16).unwrap_err().to_string(), short);
    assert_eq!(getsockopt(&s, DEV_AS_U32).unwrap_err().to_string(), short);
    assert_eq!(getsockopt(&s, DEV_AS_USIZE).unwrap_err().to_string(), short);
    assert_eq!(getsockopt(&s, DEV_AS_I32).unwrap_err().to_string(), short);
    assert_eq!(getsockopt(&s, DEV_AS_BOOL).unwrap_err().to_string(), short);
}

#[test]
fn raw_escape_hatch() {
    let s = udp4();
    setsockopt_raw(&s, SOL_SOCKET, libc::SO_BROADCAST, &1i32.to_ne_bytes()).unwrap();
    assert!(getsockopt(&s, opt::SO_BROADCAST).unwrap());
    let mut buf = [0u8; 8];
    assert_eq!(getsockopt_raw(&s, SOL_SOCKET, libc::SO_BROADCAST, &mut buf).unwrap(), 4);
    assert_eq!(i32::from_ne_bytes(buf[..4].try_into().unwrap()), 1);
    let err = setsockopt_raw(&s, SOL_SOCKET, 9999, &[0; 4]).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("setsockopt: {} (ENOPROTOOPT)", crate::common::strerror(libc::ENOPROTOOPT))
    );
    // Socket::get / Socket::set are the same calls.
    s.set(opt::IP_TTL, 9).unwrap();
    assert_eq!(s.get(opt::IP_TTL).unwrap(), 9);
    assert_eq!(
        format!("{:?}", opt::SO_RCVBUF),
        format!("SO_RCVBUF (level {SOL_SOCKET}, optname {})", libc::SO_RCVBUF)
    );
}
