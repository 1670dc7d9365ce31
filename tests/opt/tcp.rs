//! Levels `IPPROTO_TCP` and `IPPROTO_UDP`.

use std::time::Duration;

use bsdsock::opt::{self, getsockopt, setsockopt};
use bsdsock::{Errno, Error, MsgFlags};
use libc::{IPPROTO_TCP, IPPROTO_UDP};

use crate::opt_common::rows::{Row, assert_declared, both, both_ways, custom, flag, named, run};
use crate::opt_common::*;

pub fn rows() -> Vec<Row> {
    let s = Duration::from_secs;
    vec![
        flag(tcp4, opt::TCP_NODELAY, IPPROTO_TCP, libc::TCP_NODELAY),
        flag(tcp4, opt::TCP_CORK, IPPROTO_TCP, libc::TCP_CORK),
        flag(tcp4, opt::TCP_QUICKACK, IPPROTO_TCP, libc::TCP_QUICKACK),
        flag(tcp4, opt::TCP_THIN_LINEAR_TIMEOUTS, IPPROTO_TCP, libc::TCP_THIN_LINEAR_TIMEOUTS),
        flag(tcp4, opt::TCP_FASTOPEN_CONNECT, IPPROTO_TCP, libc::TCP_FASTOPEN_CONNECT),
        both(tcp4, opt::TCP_MAXSEG, IPPROTO_TCP, libc::TCP_MAXSEG, 1000, 1000, 1200, 1200),
        custom(&[named(opt::TCP_KEEPIDLE)], tcp_keepidle),
        both(tcp4, opt::TCP_KEEPINTVL, IPPROTO_TCP, libc::TCP_KEEPINTVL, s(10), 10, 20, s(20)),
        both(tcp4, opt::TCP_KEEPCNT, IPPROTO_TCP, libc::TCP_KEEPCNT, 4, 4, 6, 6),
        custom(&[named(opt::TCP_USER_TIMEOUT)], tcp_user_timeout),
        both(
            tcp4,
            opt::TCP_NOTSENT_LOWAT,
            IPPROTO_TCP,
            libc::TCP_NOTSENT_LOWAT,
            Some(1000),
            1000,
            -1,
            None,
        ),
        both(tcp4, opt::TCP_FASTOPEN, IPPROTO_TCP, libc::TCP_FASTOPEN, 5, 5, 7, 7),
        both(tcp4, opt::TCP_SYNCNT, IPPROTO_TCP, libc::TCP_SYNCNT, 3, 3, 4, 4),
        both(tcp4, opt::TCP_LINGER2, IPPROTO_TCP, libc::TCP_LINGER2, Some(s(10)), 10, -1, None),
        both(
            tcp4,
            opt::TCP_WINDOW_CLAMP,
            IPPROTO_TCP,
            libc::TCP_WINDOW_CLAMP,
            20_000,
            20_000,
            30_000,
            30_000,
        ),
        custom(&[named(opt::TCP_DEFER_ACCEPT)], tcp_defer_accept),
        custom(&[named(opt::TCP_CONGESTION)], tcp_congestion),
        custom(&[named(opt::TCP_ULP)], tcp_ulp_reaches_the_kernel),
        custom(&[named(opt::TCP_INFO)], tcp_info_of_a_connection),
        both(udp4, opt::UDP_SEGMENT, IPPROTO_UDP, libc::UDP_SEGMENT, 1200u16, 1200, 1400, 1400),
        flag(udp4, opt::UDP_GRO, IPPROTO_UDP, libc::UDP_GRO),
    ]
}

#[test]
fn tcp_and_udp_level_rows() {
    run(rows());
}

fn tcp_keepidle() {
    let t = tcp4();
    let s = Duration::from_secs;
    both_ways(&t, opt::TCP_KEEPIDLE, IPPROTO_TCP, libc::TCP_KEEPIDLE, s(60), 60, 120, s(120));
    // Fractions round up, never down to 0 (which C reads as "invalid" or
    // "default").
    setsockopt(&t, opt::TCP_KEEPIDLE, Duration::from_millis(1200)).unwrap();
    assert_eq!(raw_get_int(&t, IPPROTO_TCP, libc::TCP_KEEPIDLE), 2);
    assert!(matches!(
        setsockopt(&t, opt::TCP_KEEPIDLE, Duration::MAX),
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(raw_get_int(&t, IPPROTO_TCP, libc::TCP_KEEPIDLE), 2);
}

fn tcp_user_timeout() {
    let t = tcp4();
    let ms = Duration::from_millis;
    let n = libc::TCP_USER_TIMEOUT;
    both_ways(&t, opt::TCP_USER_TIMEOUT, IPPROTO_TCP, n, ms(1500), 1500, 2500, ms(2500));
    setsockopt(&t, opt::TCP_USER_TIMEOUT, Duration::from_micros(1)).unwrap();
    assert_eq!(raw_get_int(&t, IPPROTO_TCP, libc::TCP_USER_TIMEOUT), 1);
}

fn tcp_defer_accept() {
    let t = tcp4();
    let s = Duration::from_secs;
    // TCP_DEFER_ACCEPT is kept as SYN-ACK retransmissions: 7 s is on the
    // schedule, 5 s reads back as the next step up; typed and raw always agree.
    both_ways(&t, opt::TCP_DEFER_ACCEPT, IPPROTO_TCP, libc::TCP_DEFER_ACCEPT, s(7), 7, 3, s(3));
    setsockopt(&t, opt::TCP_DEFER_ACCEPT, s(5)).unwrap();
    let back = getsockopt(&t, opt::TCP_DEFER_ACCEPT).unwrap();
    assert!(back >= s(5));
    assert_eq!(back.as_secs() as i32, raw_get_int(&t, IPPROTO_TCP, libc::TCP_DEFER_ACCEPT));
}

fn tcp_congestion() {
    assert_declared(opt::TCP_CONGESTION, IPPROTO_TCP, libc::TCP_CONGESTION);
    let default = sysctl("/proc/sys/net/ipv4/tcp_congestion_control");
    let t = tcp4();
    assert_eq!(getsockopt(&t, opt::TCP_CONGESTION).unwrap(), default.as_str());
    setsockopt(&t, opt::TCP_CONGESTION, "reno").unwrap();
    let mut buf = [0u8; 16];
    let n = raw_get_bytes(&t, IPPROTO_TCP, libc::TCP_CONGESTION, &mut buf).unwrap();
    assert_eq!(&buf[..5], b"reno\0");
    assert!(n >= 5);
    raw_set_bytes(&t, IPPROTO_TCP, libc::TCP_CONGESTION, default.as_bytes()).unwrap();
    assert_eq!(getsockopt(&t, opt::TCP_CONGESTION).unwrap(), default.as_str());
    let err = setsockopt(&t, opt::TCP_CONGESTION, "no-such-cc").unwrap_err();
    assert_eq!(err.errno(), Some(Errno::ENOENT));
}

fn tcp_ulp_reaches_the_kernel() {
    assert_declared(opt::TCP_ULP, IPPROTO_TCP, libc::TCP_ULP);
    let t = tcp4();
    let typed = setsockopt(&t, opt::TCP_ULP, "no-such-ulp").unwrap_err().errno();
    assert_eq!(typed, raw_set_bytes(&t, IPPROTO_TCP, libc::TCP_ULP, b"no-such-ulp").err());
    assert_eq!(typed, Some(Errno::ENOENT));
    let err = setsockopt(&t, opt::TCP_ULP, "name-longer-than-15").unwrap_err();
    assert!(matches!(err, Error::InvalidInput { call: "setsockopt(TCP_ULP)", .. }));
}

fn tcp_info_of_a_connection() {
    use bsdsock::opt::TcpState;
    assert_declared(opt::TCP_INFO, IPPROTO_TCP, libc::TCP_INFO);
    let fresh = tcp4();
    assert_eq!(getsockopt(&fresh, opt::TCP_INFO).unwrap().state(), TcpState::CLOSE);
    let (c, s) = tcp_pair();
    c.send(b"hello", MsgFlags::empty()).unwrap();
    let mut buf = [0u8; 5];
    s.recv(&mut buf, MsgFlags::WAITALL).unwrap();
    let info = getsockopt(&c, opt::TCP_INFO).unwrap();
    assert_eq!(info.state(), TcpState::ESTABLISHED);
    let (raw, len) = raw_get::<libc::tcp_info>(&c, IPPROTO_TCP, libc::TCP_INFO).unwrap();
    assert!(len >= 104);
    assert_eq!(info.state().as_raw(), i32::from(raw.tcpi_state));
    assert_eq!(info.snd_mss(), raw.tcpi_snd_mss);
    assert_eq!(info.rcv_mss(), raw.tcpi_rcv_mss);
    assert_eq!(info.advmss(), raw.tcpi_advmss);
    assert_eq!(info.pmtu(), raw.tcpi_pmtu);
    assert_eq!(info.options(), raw.tcpi_options);
    assert_eq!(info.snd_wscale() | (info.rcv_wscale() << 4), raw.tcpi_snd_rcv_wscale);
    assert_eq!(info.total_retrans(), raw.tcpi_total_retrans);
    // Fields of later kernels are there on this one, and count what we did.
    assert_eq!(info.bytes_acked(), Some(raw.tcpi_bytes_acked));
    assert!(info.bytes_acked().unwrap() >= 5);
    assert!(info.segs_out().unwrap() >= 1);
    assert!(info.rtt() > Duration::ZERO);
    assert!(format!("{info:?}").contains("state: TCP_ESTABLISHED"));
}
