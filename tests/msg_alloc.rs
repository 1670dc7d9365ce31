//! sendmsg and recvmsg allocate nothing on the heap per call when no
//! descriptor arrives, control messages included; nor does a reused
//! RecvBatch. A counting global allocator, counting only on the test's thread.
#![cfg(target_os = "linux")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{IoSlice, IoSliceMut};
use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bsdsock::opt;
use bsdsock::*;

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
}

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        if ON.with(Cell::get) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        if ON.with(Cell::get) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: as above.
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Allocations `f` makes on this thread.
fn count(f: impl FnOnce()) -> usize {
    ALLOCS.store(0, Ordering::Relaxed);
    ON.with(|c| c.set(true));
    f();
    ON.with(|c| c.set(false));
    ALLOCS.load(Ordering::Relaxed)
}

#[test]
fn sendmsg_recvmsg_and_recvmmsg_do_not_allocate() {
    let a = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT).unwrap();
    a.bind(&"127.0.0.1:0".parse().unwrap()).unwrap();
    let b = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT).unwrap();
    b.bind(&"127.0.0.1:0".parse().unwrap()).unwrap();
    b.set(opt::IP_PKTINFO, true).unwrap();
    b.set(opt::IP_RECVTTL, true).unwrap();
    b.set(opt::SO_RCVTIMEO, Some(Duration::from_secs(5))).unwrap();
    let to = b.getsockname().unwrap();
    let mut cb = CmsgBuffer::with_capacity(256);
    let mut buf = [0u8; 64];
    let info = InPktinfo { ifindex: 0, spec_dst: Ipv4Addr::LOCALHOST, addr: Ipv4Addr::UNSPECIFIED };
    let cmsgs = [ControlMessage::IpTtl(7), ControlMessage::IpPktinfo(info)];
    let mut batch = RecvBatch::new(4, 64, 256);
    let n = count(|| {
        for _ in 0..100 {
            sendmsg(&a, &[IoSlice::new(b"data")], &[], MsgFlags::empty(), Some(&to)).unwrap();
            sendmsg(&a, &[IoSlice::new(b"data")], &cmsgs, MsgFlags::empty(), Some(&to)).unwrap();
            for _ in 0..2 {
                let mut m =
                    recvmsg(&b, &mut [IoSliceMut::new(&mut buf)], Some(&mut cb), MsgFlags::empty())
                        .unwrap();
                assert_eq!(m.bytes, 4);
                let mut ttl = 0;
                for c in m.cmsgs() {
                    if let ControlMessageOwned::IpTtl(t) = c {
                        ttl = t;
                    }
                }
                assert!(ttl > 0);
            }
            for _ in 0..3 {
                sendmsg(&a, &[IoSlice::new(b"batch")], &[], MsgFlags::empty(), Some(&to)).unwrap();
            }
            let got =
                recvmmsg(&b, &mut batch, MsgFlags::empty(), Some(Duration::from_secs(5))).unwrap();
            // Loopback UDP is queued by the time sendmsg returns.
            assert_eq!(got, 3);
            for m in batch.iter() {
                assert_eq!(m.data, b"batch");
            }
        }
    });
    assert_eq!(n, 0, "heap allocations in 100 rounds");
}
