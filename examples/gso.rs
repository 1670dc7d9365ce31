//! UDP segmentation offload (GSO) and its receive side (GRO), udp(7): one
//! `sendmsg` of 64 KiB with a `UDP_SEGMENT` control message of 1,472 leaves as
//! datagrams of 1,472 bytes, each with its own UDP header, as if sent one by
//! one. A receiver with UDP_GRO on reads the whole batch back in one `recvmsg`
//! and learns the segment size from a `UDP_GRO` control message; a plain
//! receiver sees the 1,472-byte datagrams. Not from the notes (no seed
//! program): issue 13's example.
//!
//! ```text
//! cargo run --example gso                # (--demo does the same) all on 127.0.0.1
//! ```
//!
//! "64 KiB" is as much as one UDP datagram holds in whole segments: its payload
//! is at most 65,507 bytes over IPv4, so 44 × 1,472 = 64,768 bytes. The segment
//! size is a u16 in the control message; the kernel refuses a send of more than
//! 64 segments (EINVAL). Linux only (UDP_SEGMENT since 4.18, UDP_GRO since 5.0).

use std::process::ExitCode;

fn main() -> ExitCode {
    if let Some(arg) = std::env::args().skip(1).find(|a| a != "--demo") {
        eprintln!("usage: gso [--demo]   (unexpected argument {arg:?})");
        return ExitCode::FAILURE;
    }
    run()
}

#[cfg(not(target_os = "linux"))]
fn run() -> ExitCode {
    println!("gso: UDP_SEGMENT and UDP_GRO need Linux");
    ExitCode::SUCCESS
}

#[cfg(target_os = "linux")]
fn run() -> ExitCode {
    match linux::demo() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gso: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::error::Error;
    use std::io::{IoSlice, IoSliceMut};
    use std::time::Duration;

    use bsdsock::opt::{SO_RCVBUF, SO_RCVTIMEO, UDP_GRO};
    use bsdsock::{
        CMSG_SPACE, CmsgBuffer, ControlMessage, ControlMessageOwned, Domain, INADDR_LOOPBACK,
        MsgFlags, Protocol, SockAddr, SockAddrIn, Socket, Type, bind, getsockname, recvfrom,
        recvmsg, sendmsg, setsockopt, socket,
    };

    type Res<T = ()> = Result<T, Box<dyn Error>>;

    const SEG: usize = 1472;
    const SEGS: usize = 44;

    /// A UDP socket on 127.0.0.1 with room for a whole batch in its queue.
    fn receiver(gro: bool) -> Res<(Socket, SockAddr)> {
        let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
        bind(&s, &SockAddrIn::new(INADDR_LOOPBACK, 0).into())?;
        setsockopt(&s, SO_RCVBUF, 1 << 20)?;
        setsockopt(&s, SO_RCVTIMEO, Some(Duration::from_secs(5)))?;
        if gro {
            setsockopt(&s, UDP_GRO, true)?;
        }
        let at = getsockname(&s)?;
        Ok((s, at))
    }

    pub fn demo() -> Res {
        // Every segment distinguishable: byte i is i mod 251.
        let data: Vec<u8> = (0..SEG * SEGS).map(|i| (i % 251) as u8).collect();
        let tx = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
        let gso = [ControlMessage::UdpSegment(SEG as u16)];

        // A plain receiver: the kernel cut the message into datagrams.
        let (plain, at) = receiver(false)?;
        let n = sendmsg(&tx, &[IoSlice::new(&data)], &gso, MsgFlags::empty(), Some(&at))?;
        println!("sender: one sendmsg of {n} bytes with UDP_SEGMENT {SEG} to {at}");
        let mut got = Vec::with_capacity(data.len());
        let mut sizes = Vec::new();
        let mut buf = vec![0u8; 1 << 16];
        while got.len() < data.len() && sizes.len() < SEGS {
            let (n, _) = recvfrom(&plain, &mut buf, MsgFlags::empty())?;
            sizes.push(n);
            got.extend_from_slice(&buf[..n]);
        }
        let all_seg = sizes.iter().all(|&n| n == SEG);
        println!(
            "plain receiver: {} recvfrom calls, {} datagrams of {SEG} bytes, {} bytes in all",
            sizes.len(),
            if all_seg { sizes.len() } else { 0 },
            got.len()
        );
        if got != data || !all_seg {
            return Err("the plain receiver's datagrams differ from what was sent".into());
        }
        println!("plain receiver: the bytes match");

        // A receiver with UDP_GRO: the whole batch in one call.
        let (gro, at) = receiver(true)?;
        let n = sendmsg(&tx, &[IoSlice::new(&data)], &gso, MsgFlags::empty(), Some(&at))?;
        println!("sender: one sendmsg of {n} bytes with UDP_SEGMENT {SEG} to {at}");
        let mut cbuf = CmsgBuffer::with_capacity(CMSG_SPACE(4));
        let mut m =
            recvmsg(&gro, &mut [IoSliceMut::new(&mut buf)], Some(&mut cbuf), MsgFlags::empty())?;
        let bytes = m.bytes;
        let mut seg = None;
        for c in m.cmsgs() {
            if let ControlMessageOwned::UdpGro(size) = c {
                seg = Some(size);
            }
        }
        let seg = seg.ok_or("no UDP_GRO control message")?;
        println!("GRO receiver: one recvmsg, {bytes} bytes, UDP_GRO segment size {seg}");
        if buf[..bytes] != data[..] || usize::from(seg) != SEG {
            return Err("the GRO receiver's bytes differ from what was sent".into());
        }
        println!("GRO receiver: the bytes match ({} segments of {seg})", bytes / usize::from(seg));
        Ok(())
    }
}
