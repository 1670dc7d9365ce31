//! SCM_RIGHTS: descriptors are owned from the moment recvmsg returns, closed
//! when not taken — after MSG_CTRUNC, with MSG_PEEK, when the RecvMsg drops
//! unread — and the input rules (253 at most, data needed on a stream socket).
//! Counted through /proc/self/fd, so the tests of this file run one at a time.
#![cfg(target_os = "linux")]

mod common;

use std::io::{IoSlice, IoSliceMut, Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::Mutex;

use bsdsock::*;
use common::{assert_same_fds, open_fds};

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn pass(a: &Socket, fds: &[BorrowedFd<'_>]) {
    sendmsg(a, &[IoSlice::new(b"x")], &[ControlMessage::ScmRights(fds)], MsgFlags::empty(), None)
        .unwrap();
}

fn take(m: &mut RecvMsg<'_>) -> Vec<OwnedFd> {
    m.cmsgs()
        .flat_map(|c| match c {
            ControlMessageOwned::ScmRights(v) => v,
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn one_descriptor_arrives_owned_and_close_on_exec() {
    let _g = serial();
    let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    let (r, w) = std::io::pipe().unwrap();
    pass(&a, &[w.as_fd()]);
    drop(w);
    let mut cb = CmsgBuffer::for_fds(1);
    let mut byte = [0u8; 1];
    let mut m =
        recvmsg(&b, &mut [IoSliceMut::new(&mut byte)], Some(&mut cb), MsgFlags::empty()).unwrap();
    assert_eq!((m.bytes, &byte), (1, b"x"));
    let mut got = take(&mut m);
    assert_eq!(got.len(), 1);
    assert!(is_cloexec(&got[0]).unwrap(), "MSG_CMSG_CLOEXEC");
    let mut w = std::fs::File::from(got.pop().unwrap());
    w.write_all(b"through").unwrap();
    drop(w);
    let mut s = String::new();
    let mut r = r;
    r.read_to_string(&mut s).unwrap();
    assert_eq!(s, "through");
}

#[test]
fn many_descriptors_and_the_253_limit() {
    let _g = serial();
    let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let f = std::fs::File::open("/dev/null").unwrap();
    let before = open_fds();
    let fds = vec![f.as_fd(); 253];
    pass(&a, &fds);
    let mut cb = CmsgBuffer::for_fds(253);
    let mut m =
        recvmsg(&b, &mut [IoSliceMut::new(&mut [0u8; 1])], Some(&mut cb), MsgFlags::empty())
            .unwrap();
    assert!(!m.truncated());
    let got = take(&mut m);
    assert_eq!(got.len(), 253);
    drop(got);
    drop(m);
    assert_same_fds(&before, "253 received and dropped");
    // 254: refused before the call, nothing sent.
    let fds = vec![f.as_fd(); 254];
    let e = sendmsg(
        &a,
        &[IoSlice::new(b"x")],
        &[ControlMessage::ScmRights(&fds)],
        MsgFlags::empty(),
        None,
    )
    .unwrap_err();
    assert!(e.errno().is_none() && e.to_string().contains("253"), "{e}");
    assert!(recv(&b, &mut [0u8; 1], MsgFlags::DONTWAIT).is_err());
}

#[test]
fn ctrunc_keeps_what_fit_owned_and_leaks_nothing() {
    let _g = serial();
    let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let f = std::fs::File::open("/dev/null").unwrap();
    let before = open_fds();
    pass(&a, &[f.as_fd(); 10]);
    let mut cb = CmsgBuffer::for_fds(2);
    let mut m =
        recvmsg(&b, &mut [IoSliceMut::new(&mut [0u8; 1])], Some(&mut cb), MsgFlags::empty())
            .unwrap();
    assert!(m.truncated());
    let got = take(&mut m);
    assert!(!got.is_empty() && got.len() <= 2, "{}", got.len());
    drop(got);
    drop(m);
    assert_same_fds(&before, "MSG_CTRUNC");
    // Not even looked at: closed when the RecvMsg drops.
    pass(&a, &[f.as_fd(); 10]);
    let m = recvmsg(&b, &mut [IoSliceMut::new(&mut [0u8; 1])], Some(&mut cb), MsgFlags::empty())
        .unwrap();
    assert!(m.truncated());
    drop(m);
    assert_same_fds(&before, "MSG_CTRUNC, unread");
    // No control buffer at all: the kernel closes them.
    pass(&a, &[f.as_fd(); 3]);
    let m = recvmsg(&b, &mut [IoSliceMut::new(&mut [0u8; 1])], None, MsgFlags::empty()).unwrap();
    assert!(m.truncated());
    drop(m);
    assert_same_fds(&before, "no control buffer");
}

#[test]
fn a_dropped_recvmsg_closes_what_was_not_taken() {
    let _g = serial();
    let (a, b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    let f = std::fs::File::open("/dev/null").unwrap();
    let before = open_fds();
    pass(&a, &[f.as_fd(); 4]);
    let mut cb = CmsgBuffer::for_fds(4);
    let m = recvmsg(&b, &mut [IoSliceMut::new(&mut [0u8; 1])], Some(&mut cb), MsgFlags::empty())
        .unwrap();
    assert_eq!(open_fds().len(), before.len() + 4, "owned at return");
    drop(m);
    assert_same_fds(&before, "unread RecvMsg");
}

#[test]
fn msg_peek_installs_copies_that_are_owned_too() {
    let _g = serial();
    let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let f = std::fs::File::open("/dev/null").unwrap();
    let before = open_fds();
    pass(&a, &[f.as_fd(); 2]);
    let mut cb = CmsgBuffer::for_fds(2);
    let m =
        recvmsg(&b, &mut [IoSliceMut::new(&mut [0u8; 1])], Some(&mut cb), MsgFlags::PEEK).unwrap();
    drop(m);
    assert_same_fds(&before, "MSG_PEEK");
    let mut m =
        recvmsg(&b, &mut [IoSliceMut::new(&mut [0u8; 1])], Some(&mut cb), MsgFlags::empty())
            .unwrap();
    assert_eq!(take(&mut m).len(), 2);
    drop(m);
    assert_same_fds(&before, "after the real read");
}

#[test]
fn descriptors_need_data_on_a_stream_socket_but_not_on_a_datagram_one() {
    let _g = serial();
    let f = std::fs::File::open("/dev/null").unwrap();
    let (a, _b) = socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    let e = sendmsg(&a, &[], &[ControlMessage::ScmRights(&[f.as_fd()])], MsgFlags::empty(), None)
        .unwrap_err();
    assert!(e.errno().is_none() && e.to_string().contains("stream"), "{e}");
    let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    sendmsg(&a, &[], &[ControlMessage::ScmRights(&[f.as_fd()])], MsgFlags::empty(), None).unwrap();
    let mut cb = CmsgBuffer::for_fds(1);
    let mut m = recvmsg(&b, &mut [], Some(&mut cb), MsgFlags::empty()).unwrap();
    assert_eq!((m.bytes, take(&mut m).len()), (0, 1));
}

#[test]
fn two_rights_messages_in_one_send() {
    let _g = serial();
    let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let f = std::fs::File::open("/dev/null").unwrap();
    let before = open_fds();
    let (x, y) = ([f.as_fd()], [f.as_fd(), f.as_fd()]);
    sendmsg(
        &a,
        &[IoSlice::new(b"x")],
        &[ControlMessage::ScmRights(&x), ControlMessage::ScmRights(&y)],
        MsgFlags::empty(),
        None,
    )
    .unwrap();
    let mut cb = CmsgBuffer::with_capacity(256);
    let mut m =
        recvmsg(&b, &mut [IoSliceMut::new(&mut [0u8; 1])], Some(&mut cb), MsgFlags::empty())
            .unwrap();
    let n: usize = take(&mut m).len();
    assert_eq!(n, 3);
    drop(m);
    assert_same_fds(&before, "two SCM_RIGHTS");
}

#[test]
fn descriptors_in_a_batch_are_owned_and_closed_when_not_taken() {
    let _g = serial();
    let (a, b) = socketpair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let f = std::fs::File::open("/dev/null").unwrap();
    let mut batch = RecvBatch::new(2, 8, CMSG_SPACE(8));
    let before = open_fds();
    let fds = [f.as_fd(), f.as_fd()];
    let c = [ControlMessage::ScmRights(&fds)];
    let d = [IoSlice::new(b"x")];
    let msgs =
        [MsgOut { iov: &d, addr: None, cmsgs: &c }, MsgOut { iov: &d, addr: None, cmsgs: &c }];
    assert_eq!(sendmmsg(&a, &msgs, MsgFlags::empty()).unwrap(), 2);
    assert_eq!(
        recvmmsg(&b, &mut batch, MsgFlags::empty(), Some(std::time::Duration::from_secs(5)))
            .unwrap(),
        2
    );
    let mut taken = Vec::new();
    if let Some(mut m) = batch.iter().next() {
        for c in m.msg.cmsgs() {
            if let ControlMessageOwned::ScmRights(v) = c {
                taken.extend(v);
            }
        }
    }
    assert_eq!(taken.len(), 2);
    drop(taken);
    // The second message's were never taken: closed by the next call.
    assert_eq!(
        recvmmsg(&b, &mut batch, MsgFlags::empty(), Some(std::time::Duration::ZERO)).unwrap(),
        0
    );
    assert_same_fds(&before, "batch descriptors");
}
