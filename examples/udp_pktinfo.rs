//! A UDP server bound to the wildcard address (0.0.0.0) that answers each client
//! from the address the client reached it at, with IP_PKTINFO (ip(7)): every
//! `recvmsg` brings an `IpPktinfo` control message naming the local address the
//! datagram was sent to (and the interface), and the answer's `sendmsg` carries
//! an `IpPktinfo` whose `spec_dst` is that address. With IP_RECVTTL and
//! IP_RECVTOS the server also reads each datagram's TTL and TOS byte. Not from
//! the notes (no seed program): issue 13's example.
//!
//! ```text
//! cargo run --example udp_pktinfo        # (--demo does the same) all on loopback
//! ```
//!
//! The demo's clients send to 127.0.0.1 and to 127.0.0.2 (all of 127.0.0.0/8 is
//! loopback on Linux) and check that the answer comes from the address they sent
//! to; one answer sent without IP_PKTINFO shows why: the kernel picks the source
//! by route, 127.0.0.1, and a client that sent to 127.0.0.2 would drop it if it
//! were connected. Linux only (IP_PKTINFO, IP_RECVTTL, IP_RECVTOS).

use std::process::ExitCode;

fn main() -> ExitCode {
    if let Some(arg) = std::env::args().skip(1).find(|a| a != "--demo") {
        eprintln!("usage: udp_pktinfo [--demo]   (unexpected argument {arg:?})");
        return ExitCode::FAILURE;
    }
    run()
}

#[cfg(not(target_os = "linux"))]
fn run() -> ExitCode {
    println!("udp_pktinfo: IP_PKTINFO, IP_RECVTTL and IP_RECVTOS as used here need Linux");
    ExitCode::SUCCESS
}

#[cfg(target_os = "linux")]
fn run() -> ExitCode {
    match linux::demo() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("udp_pktinfo: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::error::Error;
    use std::io::{IoSlice, IoSliceMut};
    use std::net::Ipv4Addr;
    use std::thread;
    use std::time::Duration;

    use bsdsock::opt::{IP_PKTINFO, IP_RECVTOS, IP_RECVTTL, IP_TOS, IP_TTL, SO_RCVTIMEO};
    use bsdsock::{
        CMSG_SPACE, CmsgBuffer, ControlMessage, ControlMessageOwned, Domain, InPktinfo, MsgFlags,
        Protocol, SockAddr, SockAddrIn, Socket, Type, bind, getsockname, recvfrom, recvmsg,
        sendmsg, sendto, setsockopt, socket,
    };

    type Res<T = ()> = Result<T, Box<dyn Error + Send + Sync>>;

    /// The demo's requests: (the address sent to, TTL, TOS, text). The last is
    /// answered without IP_PKTINFO.
    const REQUESTS: [(Ipv4Addr, u8, u8, &str); 3] = [
        (Ipv4Addr::new(127, 0, 0, 1), 64, 0x10, "hello 127.0.0.1"),
        (Ipv4Addr::new(127, 0, 0, 2), 17, 0x08, "hello 127.0.0.2"),
        (Ipv4Addr::new(127, 0, 0, 2), 33, 0x00, "plain"),
    ];

    /// The server: answers `count` datagrams, each "re: TEXT" from the address it
    /// was reached at (except "plain", answered without a source address).
    fn serve(s: &Socket, count: usize) -> Res {
        let mut buf = [0u8; 512];
        // Room for IP_PKTINFO (an in_pktinfo, 12 bytes), IP_TTL (an int) and
        // IP_TOS (one byte).
        let mut cbuf = CmsgBuffer::with_capacity(CMSG_SPACE(12) + 2 * CMSG_SPACE(4));
        for _ in 0..count {
            let mut m =
                recvmsg(s, &mut [IoSliceMut::new(&mut buf)], Some(&mut cbuf), MsgFlags::empty())?;
            let (n, from) = (m.bytes, m.addr.clone());
            let (mut info, mut ttl, mut tos) = (None, None, None);
            for c in m.cmsgs() {
                match c {
                    ControlMessageOwned::IpPktinfo(i) => info = Some(i),
                    ControlMessageOwned::IpTtl(t) => ttl = Some(t),
                    ControlMessageOwned::IpTos(t) => tos = Some(t),
                    other => println!("server: other control message {other:?}"),
                }
            }
            let info = info.ok_or("no IP_PKTINFO control message")?;
            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
            println!(
                "server: {text:?} from {from} to {} (interface {}) TTL {} TOS {:#04x}",
                info.addr,
                info.ifindex,
                ttl.map_or("?".into(), |t| t.to_string()),
                tos.unwrap_or(0),
            );
            let answer = format!("re: {text}");
            let iov = [IoSlice::new(answer.as_bytes())];
            if text == "plain" {
                sendmsg(s, &iov, &[], MsgFlags::empty(), Some(&from))?;
            } else {
                // Answer from the address the datagram was sent to: spec_dst.
                let src =
                    InPktinfo { ifindex: 0, spec_dst: info.addr, addr: Ipv4Addr::UNSPECIFIED };
                sendmsg(
                    s,
                    &iov,
                    &[ControlMessage::IpPktinfo(src)],
                    MsgFlags::empty(),
                    Some(&from),
                )?;
            }
        }
        Ok(())
    }

    pub fn demo() -> Res {
        let server = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
        bind(&server, &SockAddrIn::new(Ipv4Addr::UNSPECIFIED, 0).into())?;
        for opt in [IP_PKTINFO, IP_RECVTTL, IP_RECVTOS] {
            setsockopt(&server, opt, true)?;
        }
        let port = getsockname(&server)?.port().ok_or("no port")?;
        println!("server: bound to 0.0.0.0:{port} with IP_PKTINFO, IP_RECVTTL, IP_RECVTOS");
        let handle = thread::spawn(move || serve(&server, REQUESTS.len()));

        let mut bad = 0;
        for (to, ttl, tos, text) in REQUESTS {
            let c = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
            setsockopt(&c, IP_TTL, ttl)?;
            setsockopt(&c, IP_TOS, tos)?;
            setsockopt(&c, SO_RCVTIMEO, Some(Duration::from_secs(5)))?;
            let dest = SockAddr::from(SockAddrIn::new(to, port));
            sendto(&c, text.as_bytes(), MsgFlags::empty(), &dest)?;
            let mut buf = [0u8; 512];
            let (n, from) = recvfrom(&c, &mut buf, MsgFlags::empty())?;
            let same = from == dest;
            println!(
                "client: sent {text:?} to {dest}, answer {:?} from {from}: {}",
                String::from_utf8_lossy(&buf[..n]),
                if same { "the address it sent to" } else { "another address" }
            );
            // Only the answer sent without IP_PKTINFO may come from elsewhere.
            if same == (text == "plain") {
                bad += 1;
            }
        }
        handle.join().map_err(|_| "server thread panicked")??;
        if bad > 0 {
            return Err(format!("{bad} answers came from an unexpected address").into());
        }
        println!("every IP_PKTINFO answer came from the address its client sent to");
        Ok(())
    }
}
