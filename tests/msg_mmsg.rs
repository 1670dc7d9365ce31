//! sendmmsg / recvmmsg: each message its own address and control data, a
//! RecvBatch reused with its lengths reset, partial counts, the timeout.
#![cfg(target_os = "linux")]

use std::io::IoSlice;
use std::time::{Duration, Instant};

use bsdsock::opt;
use bsdsock::*;

fn udp() -> Socket {
    let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT).unwrap();
    s.bind(&"127.0.0.1:0".parse().unwrap()).unwrap();
    s.set(opt::SO_RCVTIMEO, Some(Duration::from_secs(5))).unwrap();
    s
}

const WAIT: Option<Duration> = Some(Duration::from_secs(5));

#[test]
fn each_message_has_its_own_address_and_control_data() {
    let (s, r1, r2) = (udp(), udp(), udp());
    r1.set(opt::IP_RECVTTL, true).unwrap();
    r2.set(opt::IP_RECVTTL, true).unwrap();
    let (to1, to2) = (r1.getsockname().unwrap(), r2.getsockname().unwrap());
    let (d1, d2, d3) = ([IoSlice::new(b"one")], [IoSlice::new(b"two")], [IoSlice::new(b"three")]);
    let (c1, c2, c3) =
        ([ControlMessage::IpTtl(11)], [ControlMessage::IpTtl(22)], [ControlMessage::IpTtl(33)]);
    let msgs = [
        MsgOut { iov: &d1, addr: Some(&to1), cmsgs: &c1 },
        MsgOut { iov: &d2, addr: Some(&to2), cmsgs: &c2 },
        MsgOut { iov: &d3, addr: Some(&to1), cmsgs: &c3 },
    ];
    assert_eq!(sendmmsg(&s, &msgs, MsgFlags::empty()).unwrap(), 3);

    let mut batch = RecvBatch::new(8, 64, CMSG_SPACE(4) * 2);
    assert_eq!(recvmmsg(&r1, &mut batch, MsgFlags::empty(), WAIT).unwrap(), 2);
    let got: Vec<(Vec<u8>, SockAddr, Vec<u8>)> = batch
        .iter()
        .map(|mut m| {
            let ttls = m
                .msg
                .cmsgs()
                .filter_map(|c| match c {
                    ControlMessageOwned::IpTtl(t) => Some(t),
                    _ => None,
                })
                .collect();
            (m.data.to_vec(), m.msg.addr.clone(), ttls)
        })
        .collect();
    let from = s.getsockname().unwrap();
    assert_eq!(
        got,
        vec![
            (b"one".to_vec(), from.clone(), vec![11]),
            (b"three".to_vec(), from.clone(), vec![33])
        ]
    );
    assert_eq!(recvmmsg(&r2, &mut batch, MsgFlags::empty(), WAIT).unwrap(), 1);
    assert_eq!(batch.data(0), Some(&b"two"[..]));
    assert_eq!(batch.data(1), None, "lengths reset each call");
}

#[test]
fn a_reused_batch_resets_its_lengths_and_flags() {
    let (s, r) = (udp(), udp());
    let to = r.getsockname().unwrap();
    let mut batch = RecvBatch::new(4, 8, 0);
    for i in 0..4u8 {
        s.sendto(&[i; 20], MsgFlags::empty(), &to).unwrap(); // longer than 8: MSG_TRUNC
    }
    assert_eq!(recvmmsg(&r, &mut batch, MsgFlags::empty(), WAIT).unwrap(), 4);
    for (i, m) in batch.iter().enumerate() {
        assert_eq!(m.data, &[i as u8; 8]);
        assert!(m.msg.flags.contains(MsgFlags::TRUNC));
    }
    s.sendto(b"ab", MsgFlags::empty(), &to).unwrap();
    assert_eq!(recvmmsg(&r, &mut batch, MsgFlags::empty(), WAIT).unwrap(), 1);
    assert_eq!(batch.len(), 1);
    let all: Vec<_> = batch.iter().map(|m| (m.data.to_vec(), m.msg.flags)).collect();
    assert_eq!(all, vec![(b"ab".to_vec(), MsgFlags::empty())]);
}

#[test]
fn the_timeout_is_honoured() {
    let r = udp();
    let mut batch = RecvBatch::new(4, 8, 0);
    let t = Instant::now();
    assert_eq!(
        recvmmsg(&r, &mut batch, MsgFlags::empty(), Some(Duration::from_millis(100))).unwrap(),
        0
    );
    let took = t.elapsed();
    assert!(took >= Duration::from_millis(90) && took < Duration::from_secs(3), "{took:?}");
    assert!(batch.is_empty());
    // Something queued: taken at once, without waiting for the batch to fill.
    udp().sendto(b"x", MsgFlags::empty(), &r.getsockname().unwrap()).unwrap();
    let t = Instant::now();
    assert_eq!(
        recvmmsg(&r, &mut batch, MsgFlags::empty(), Some(Duration::from_secs(10))).unwrap(),
        1
    );
    assert!(t.elapsed() < Duration::from_secs(3));
}

#[test]
fn waitforone_returns_after_the_first() {
    let (s, r) = (udp(), udp());
    s.sendto(b"x", MsgFlags::empty(), &r.getsockname().unwrap()).unwrap();
    let mut batch = RecvBatch::new(4, 8, 0);
    assert_eq!(recvmmsg(&r, &mut batch, MsgFlags::WAITFORONE, None).unwrap(), 1);
}

#[test]
fn sendmmsg_reports_a_partial_count_and_refuses_bad_input_up_front() {
    let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    bsdsock::set_nonblocking(&a, true).unwrap();
    // Fill the peer's queue: the batch stops where the queue is full.
    let data = [IoSlice::new(&[0u8; 1024])];
    let msgs: Vec<_> = (0..1000).map(|_| MsgOut { iov: &data, addr: None, cmsgs: &[] }).collect();
    let n = sendmmsg(&a, &msgs, MsgFlags::empty()).unwrap();
    assert!(n > 0 && n < msgs.len(), "{n}: retry from n");
    drop(b);
    let bad = [ControlMessage::IpTtl(0)];
    let msgs = [
        MsgOut { iov: &data, addr: None, cmsgs: &[] },
        MsgOut { iov: &data, addr: None, cmsgs: &bad },
    ];
    let e = sendmmsg(&a, &msgs, MsgFlags::empty()).unwrap_err();
    assert!(e.errno().is_none() && e.to_string().starts_with("sendmmsg: "), "{e}");
}
