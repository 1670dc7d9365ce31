//! Traffic over loopback: UDP ping-pong, TCP bulk transfer with writen/readn, and
//! connect/accept/close cycles. Every peer uses the same sockets (or the same
//! listener), each through its own API, so only the user-space code differs.

use std::hint::black_box;
use std::io::{Read, Write};
use std::mem::{MaybeUninit, size_of};
#[cfg(not(target_vendor = "apple"))]
use std::net::SocketAddr;
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::os::fd::{AsRawFd, RawFd};
use std::rc::Rc;
use std::time::Duration;

use crate::harness::{Case, CaseDef, Impl, Peer, Target, Unit, looped};

/// "Within 3% of raw libc".
const WITHIN: Target = Target::WithinRaw(1.03);

// ---------------------------------------------------------------------------
// UDP ping-pong

/// Payload of each datagram.
const PING: usize = 64;

/// One thread plays both ends: the client sends on its connected socket, the
/// server takes the datagram with `recvfrom` and answers to the address it came
/// from with `sendto`, the client receives the answer. Loopback delivers during
/// the send, so nothing waits on the scheduler: this is the cost of the four
/// calls and of decoding and re-encoding the peer's address.
fn udp_pingpong() -> Case {
    let server = Rc::new(UdpSocket::bind("127.0.0.1:0").unwrap());
    let client = Rc::new(UdpSocket::bind("127.0.0.1:0").unwrap());
    client.connect(server.local_addr().unwrap()).unwrap();
    let (sfd, cfd) = (server.as_raw_fd(), client.as_raw_fd());
    let impls = vec![
        looped(Peer::Raw, move || {
            let mut buf = [0u8; PING];
            // SAFETY: for all four calls, buf is valid for reads and writes of its
            // length; ss and len are valid for writes and len is ss's size.
            unsafe {
                let n = libc::send(cfd, buf.as_ptr().cast(), PING, 0);
                assert!(n == PING as isize);
                let mut ss = MaybeUninit::<libc::sockaddr_storage>::uninit();
                let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
                let n = libc::recvfrom(
                    sfd,
                    buf.as_mut_ptr().cast(),
                    PING,
                    0,
                    ss.as_mut_ptr().cast(),
                    &mut len,
                );
                assert!(n >= 0);
                let n =
                    libc::sendto(sfd, buf.as_ptr().cast(), n as usize, 0, ss.as_ptr().cast(), len);
                assert!(n >= 0);
                let n = libc::recv(cfd, buf.as_mut_ptr().cast(), PING, 0);
                assert!(n == PING as isize);
            }
            black_box(&buf);
        }),
        looped(Peer::Bsdsock, {
            let (server, client) = (server.clone(), client.clone());
            move || {
                use bsdsock::{MsgFlags, recv, recvfrom, send, sendto};
                let mut buf = [0u8; PING];
                assert_eq!(send(&*client, &buf, MsgFlags::empty()).unwrap(), PING);
                let (n, from) = recvfrom(&*server, &mut buf, MsgFlags::empty()).unwrap();
                sendto(&*server, &buf[..n], MsgFlags::empty(), &from).unwrap();
                assert_eq!(recv(&*client, &mut buf, MsgFlags::empty()).unwrap(), PING);
                black_box(&buf);
            }
        }),
        looped(Peer::Std, {
            let (server, client) = (server.clone(), client.clone());
            move || {
                let mut buf = [0u8; PING];
                assert_eq!(client.send(&buf).unwrap(), PING);
                let (n, from) = server.recv_from(&mut buf).unwrap();
                server.send_to(&buf[..n], from).unwrap();
                assert_eq!(client.recv(&mut buf).unwrap(), PING);
                black_box(&buf);
            }
        }),
        looped(Peer::Socket2, {
            let (server, client) = (server.clone(), client.clone());
            move || {
                let (s, c) = (socket2::SockRef::from(&*server), socket2::SockRef::from(&*client));
                let mut buf = [MaybeUninit::<u8>::uninit(); PING];
                assert_eq!(c.send(&[0u8; PING]).unwrap(), PING);
                let (n, from) = s.recv_from(&mut buf).unwrap();
                // SAFETY: recv_from initialized the first n bytes.
                let got = unsafe { std::slice::from_raw_parts(buf.as_ptr().cast::<u8>(), n) };
                s.send_to(got, &from).unwrap();
                assert_eq!(c.recv(&mut buf).unwrap(), PING);
                black_box(&buf);
            }
        }),
        looped(Peer::Nix, move || {
            use nix::sys::socket::{MsgFlags, SockaddrIn, recv, recvfrom, send, sendto};
            let mut buf = [0u8; PING];
            assert_eq!(send(cfd, &buf, MsgFlags::empty()).unwrap(), PING);
            let (n, from) = recvfrom::<SockaddrIn>(sfd, &mut buf).unwrap();
            sendto(sfd, &buf[..n], &from.unwrap(), MsgFlags::empty()).unwrap();
            assert_eq!(recv(cfd, &mut buf, MsgFlags::empty()).unwrap(), PING);
            black_box(&buf);
        }),
    ];
    // The sockets live in the closures; `server`/`client` here are dropped.
    Case {
        title: "UDP ping-pong (64 B)".into(),
        unit: Unit::PerSec,
        sample: Duration::from_millis(4),
        rounds: 101,
        target: WITHIN,
        impls,
    }
}

// ---------------------------------------------------------------------------
// TCP bulk transfer

/// writen as C programs write it: send until all is gone, retrying EINTR. The
/// same call and flags as bsdsock's writen.
fn raw_writen(fd: RawFd, buf: &[u8]) {
    let mut done = 0;
    while done < buf.len() {
        // SAFETY: buf[done..] is valid for reads of its length.
        let n = unsafe {
            libc::send(fd, buf[done..].as_ptr().cast(), buf.len() - done, libc::MSG_NOSIGNAL)
        };
        if n < 0 {
            assert_eq!(std::io::Error::last_os_error().raw_os_error(), Some(libc::EINTR));
            continue;
        }
        done += n as usize;
    }
}

/// readn as C programs write it: read until the buffer is full or EOF.
fn raw_readn(fd: RawFd, buf: &mut [u8]) -> usize {
    let mut done = 0;
    while done < buf.len() {
        // SAFETY: buf[done..] is valid for writes of its length.
        let n = unsafe { libc::read(fd, buf[done..].as_mut_ptr().cast(), buf.len() - done) };
        if n < 0 {
            assert_eq!(std::io::Error::last_os_error().raw_os_error(), Some(libc::EINTR));
            continue;
        }
        if n == 0 {
            break;
        }
        done += n as usize;
    }
    done
}

/// A connected pair over loopback: (writer's end, reader's end). TCP_NODELAY
/// is on: otherwise a small last segment waits for the peer's delayed ACK (40 ms)
/// and the figure measures that timer instead of the calls.
fn tcp_pair() -> (TcpStream, TcpStream) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let tx = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (rx, _) = l.accept().unwrap();
    tx.set_nodelay(true).unwrap();
    rx.set_nodelay(true).unwrap();
    (tx, rx)
}

/// One peer's transfer of `n` buffers: a writer thread (on the same pinned CPU)
/// writes them, this thread reads them.
fn bulk(
    peer: Peer,
    ends: Rc<(TcpStream, TcpStream)>,
    size: usize,
    write: fn(&TcpStream, &[u8]),
    read: fn(&TcpStream, &mut [u8]),
) -> Impl {
    let mut rbuf = vec![0u8; size];
    let wbuf = vec![0x5au8; size];
    Impl {
        peer,
        run: Box::new(move |n| {
            let (tx, rx) = (&ends.0, &ends.1);
            std::thread::scope(|scope| {
                let wbuf = &wbuf;
                scope.spawn(move || {
                    for _ in 0..n {
                        write(tx, wbuf);
                    }
                });
                for _ in 0..n {
                    read(rx, &mut rbuf);
                }
            });
            black_box(&rbuf);
        }),
    }
}

fn tcp_bulk(size: usize) -> Case {
    let ends = Rc::new(tcp_pair());
    let impls = vec![
        bulk(
            Peer::Raw,
            ends.clone(),
            size,
            |s, b| raw_writen(s.as_raw_fd(), b),
            |s, b| assert_eq!(raw_readn(s.as_raw_fd(), b), b.len()),
        ),
        bulk(
            Peer::Bsdsock,
            ends.clone(),
            size,
            |s, b| {
                bsdsock::writen(s, b).unwrap();
            },
            |s, b| assert_eq!(bsdsock::readn(s, b).unwrap(), b.len()),
        ),
        bulk(
            Peer::Std,
            ends.clone(),
            size,
            |mut s, b| s.write_all(b).unwrap(),
            |mut s, b| s.read_exact(b).unwrap(),
        ),
        bulk(
            Peer::Socket2,
            ends,
            size,
            |s, b| (&*socket2::SockRef::from(s)).write_all(b).unwrap(),
            |s, b| (&*socket2::SockRef::from(s)).read_exact(b).unwrap(),
        ),
    ];
    let label = if size >= 1024 { format!("{}K", size / 1024) } else { format!("{size}") };
    Case {
        title: format!("TCP bulk writen/readn {label}"),
        unit: Unit::MBps(size as u64),
        sample: Duration::from_millis(40),
        rounds: 31,
        target: WITHIN,
        impls,
    }
}

// ---------------------------------------------------------------------------
// connect / accept / close

/// One cycle: a new TCP socket connects to the listener, the listener accepts
/// (with the peer's address), the accepted end closes, then the client. Closing
/// the server's end first leaves the TIME_WAIT state on the server side, so the
/// client's ephemeral ports are not used up by a long run.
#[cfg(not(target_vendor = "apple"))]
fn connect_cycle() -> Case {
    let listener = Rc::new(TcpListener::bind("127.0.0.1:0").unwrap());
    let addr: SocketAddr = listener.local_addr().unwrap();
    let lfd = listener.as_raw_fd();
    let sin = match addr {
        SocketAddr::V4(a) => libc::sockaddr_in {
            #[cfg(any(apple, bsd))]
            sin_len: std::mem::size_of::<libc::sockaddr_in>() as u8,
            sin_family: libc::AF_INET as libc::sa_family_t,
            sin_port: a.port().to_be(),
            sin_addr: libc::in_addr { s_addr: u32::from_ne_bytes(a.ip().octets()) },
            sin_zero: [0; 8],
        },
        SocketAddr::V6(_) => unreachable!("bound to 127.0.0.1"),
    };
    let impls = vec![
        looped(Peer::Raw, move || {
            // SAFETY: for all these calls, sin is a valid sockaddr_in of the length passed;
            // ss and len are valid for writes and len is ss's size; each
            // descriptor is closed once, by its owner here.
            unsafe {
                let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
                assert!(fd >= 0);
                let r = libc::connect(
                    fd,
                    (&sin as *const libc::sockaddr_in).cast(),
                    size_of::<libc::sockaddr_in>() as libc::socklen_t,
                );
                assert!(r == 0);
                let mut ss = MaybeUninit::<libc::sockaddr_storage>::uninit();
                let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
                let c = libc::accept4(lfd, ss.as_mut_ptr().cast(), &mut len, libc::SOCK_CLOEXEC);
                assert!(c >= 0);
                black_box((&ss, len));
                libc::close(c);
                libc::close(fd);
            }
        }),
        looped(Peer::Bsdsock, {
            let listener = listener.clone();
            let to = bsdsock::SockAddr::from(addr);
            move || {
                use bsdsock::{Domain, Protocol, Type, accept, connect, socket};
                let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
                connect(&s, &to).unwrap();
                let (c, peer) = accept(&*listener).unwrap();
                black_box(&peer);
                drop(c);
                drop(s);
            }
        }),
        looped(Peer::Std, {
            let listener = listener.clone();
            move || {
                let s = TcpStream::connect(addr).unwrap();
                let (c, peer) = listener.accept().unwrap();
                black_box(&peer);
                drop(c);
                drop(s);
            }
        }),
        looped(Peer::Socket2, {
            let listener = listener.clone();
            let to = socket2::SockAddr::from(addr);
            move || {
                use socket2::{Domain, SockRef, Socket, Type};
                let s = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
                s.connect(&to).unwrap();
                let (c, peer) = SockRef::from(&*listener).accept().unwrap();
                black_box(&peer);
                drop(c);
                drop(s);
            }
        }),
    ];
    Case {
        title: "TCP connect/accept/close".into(),
        unit: Unit::PerSec,
        sample: Duration::from_millis(2),
        rounds: 61,
        target: WITHIN,
        impls,
    }
}

pub fn cases() -> Vec<CaseDef> {
    let mut v = vec![CaseDef::new("udp_pingpong", udp_pingpong)];
    for size in [1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 512 << 10] {
        v.push(CaseDef::new(format!("tcp_bulk_{}k", size >> 10), move || tcp_bulk(size)));
    }
    // Its raw row is socket(SOCK_CLOEXEC) and accept4, which Apple lacks.
    #[cfg(not(target_vendor = "apple"))]
    v.push(CaseDef::new("tcp_connect", connect_cycle));
    v
}
