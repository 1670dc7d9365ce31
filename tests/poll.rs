//! poll and select on real sockets: readable, writable, hang-up, out-of-band,
//! timeouts; FdSet's operations and its refusal of descriptors >= FD_SETSIZE;
//! and the single-process concurrent server of Stevens' *UNIX Network
//! Programming* (§6.8 with select, §6.11 with poll), serving hundreds of
//! loopback clients.

mod common;

use std::collections::HashMap;
#[cfg(target_os = "linux")]
use std::net::Shutdown;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::thread;
use std::time::{Duration, Instant};

use bsdsock::*;
use common::{tcp_listener, tcp_pair, unix_pair};

/// Fills `s`'s send path until a non-blocking send says EAGAIN.
fn fill_send_buffer(s: &Socket) {
    s.set_nonblocking(true).unwrap();
    let chunk = [0u8; 64 * 1024];
    for _ in 0..10_000 {
        match s.send(&chunk, MsgFlags::empty()) {
            Ok(_) => {}
            Err(e) if e.errno() == Some(Errno::EAGAIN) => {
                s.set_nonblocking(false).unwrap();
                return;
            }
            Err(e) => panic!("{e}"),
        }
    }
    panic!("send buffer never filled");
}

fn poll1(fd: &impl AsFd, events: PollFlags, timeout: Option<Duration>) -> (usize, PollFlags) {
    let mut fds = [PollFd::new(fd.as_fd(), events)];
    let n = poll(&mut fds, timeout).unwrap();
    (n, fds[0].revents())
}

const NOW: Option<Duration> = Some(Duration::ZERO);

#[test]
fn poll_readable() {
    for (a, b) in [unix_pair(), tcp_pair()] {
        assert_eq!(poll1(&b, PollFlags::IN, NOW), (0, PollFlags::empty()));
        a.send(b"x", MsgFlags::empty()).unwrap();
        let (n, rev) = poll1(&b, PollFlags::IN, Some(Duration::from_secs(5)));
        assert_eq!((n, rev), (1, PollFlags::IN));
        let mut buf = [0u8; 1];
        b.recv(&mut buf, MsgFlags::empty()).unwrap();
        assert_eq!(poll1(&b, PollFlags::IN, NOW).0, 0, "drained: not readable");
    }
}

#[test]
fn poll_listener_readable_when_a_connection_is_queued() {
    let (l, addr) = tcp_listener(4);
    assert_eq!(poll1(&l, PollFlags::IN, NOW).0, 0);
    let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    c.connect(&addr).unwrap();
    assert_eq!(poll1(&l, PollFlags::IN, Some(Duration::from_secs(5))), (1, PollFlags::IN));
}

#[test]
fn poll_writable_until_the_buffer_fills() {
    for (a, _b) in [unix_pair(), tcp_pair()] {
        assert_eq!(poll1(&a, PollFlags::OUT, NOW), (1, PollFlags::OUT));
        fill_send_buffer(&a);
        let t0 = Instant::now();
        assert_eq!(poll1(&a, PollFlags::OUT, Some(Duration::from_millis(30))).0, 0);
        assert!(t0.elapsed() >= Duration::from_millis(30));
    }
}

/// `POLLRDHUP` and when `POLLHUP` is reported are Linux's (poll(2)).
#[cfg(target_os = "linux")]
#[test]
fn poll_hangup() {
    // Unix stream: the peer closing is IN (EOF) + HUP (+ RDHUP on Linux).
    let (a, b) = unix_pair();
    drop(a);
    let (n, rev) = poll1(&b, PollFlags::IN | PollFlags::RDHUP, NOW);
    assert_eq!(n, 1);
    assert!(rev.contains(PollFlags::IN | PollFlags::HUP | PollFlags::RDHUP), "{rev:?}");
    let mut buf = [0u8; 4];
    assert_eq!(b.recv(&mut buf, MsgFlags::empty()).unwrap(), 0);

    // TCP: a FIN from the peer is IN + RDHUP, not yet HUP...
    let (c, s) = tcp_pair();
    c.shutdown(Shutdown::Write).unwrap();
    let (n, rev) = poll1(&s, PollFlags::IN | PollFlags::RDHUP, Some(Duration::from_secs(5)));
    assert_eq!(n, 1);
    assert!(rev.contains(PollFlags::IN | PollFlags::RDHUP), "{rev:?}");
    assert!(!rev.contains(PollFlags::HUP), "{rev:?}");
    // ...and HUP once both directions are shut.
    s.shutdown(Shutdown::Write).unwrap();
    let (_, rev) = poll1(&s, PollFlags::IN, NOW);
    assert!(rev.contains(PollFlags::HUP), "{rev:?}");
    // HUP and ERR are reported even when not asked for.
    let (_, rev) = poll1(&s, PollFlags::empty(), NOW);
    assert!(rev.contains(PollFlags::HUP), "{rev:?}");
}

#[test]
fn poll_reports_a_reset_as_err() {
    let (c, s) = tcp_pair();
    // An abortive close (SO_LINGER 0) sends RST.
    let lin = libc::linger { l_onoff: 1, l_linger: 0 };
    // SAFETY: lin is a valid linger for the size passed.
    let rc = unsafe {
        libc::setsockopt(
            c.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&lin as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    assert_eq!(rc, 0);
    drop(c);
    let (n, rev) = poll1(&s, PollFlags::IN, Some(Duration::from_secs(5)));
    assert_eq!(n, 1);
    assert!(rev.contains(PollFlags::ERR | PollFlags::HUP), "{rev:?}");
}

#[test]
fn poll_many_and_timeouts() {
    let pairs: Vec<_> = (0..5).map(|_| unix_pair()).collect();
    pairs[1].0.send(b"1", MsgFlags::empty()).unwrap();
    pairs[3].0.send(b"3", MsgFlags::empty()).unwrap();
    let mut fds: Vec<PollFd<'_>> =
        pairs.iter().map(|(_, b)| PollFd::new(b.as_fd(), PollFlags::IN)).collect();
    assert_eq!(poll(&mut fds, None).unwrap(), 2);
    let ready: Vec<usize> = (0..5).filter(|&i| fds[i].revents().contains(PollFlags::IN)).collect();
    assert_eq!(ready, [1, 3]);
    assert_eq!(fds[2].as_fd().as_raw_fd(), pairs[2].1.as_raw_fd());
    assert_eq!(fds[2].as_raw_fd(), pairs[2].1.as_raw_fd());

    // Timeouts: a sub-millisecond one is not rounded down to "don't wait" busy
    // looping, and a huge one is accepted (no overflow, no EINVAL).
    let (a, b) = unix_pair();
    let t0 = Instant::now();
    assert_eq!(poll1(&b, PollFlags::IN, Some(Duration::from_millis(40))).0, 0);
    assert!(t0.elapsed() >= Duration::from_millis(40));
    assert_eq!(poll1(&b, PollFlags::IN, Some(Duration::from_nanos(1))).0, 0);
    a.send(b"x", MsgFlags::empty()).unwrap();
    assert_eq!(poll1(&b, PollFlags::IN, Some(Duration::MAX)).0, 1);
    assert_eq!(poll1(&b, PollFlags::IN, Some(Duration::from_secs(u64::MAX / 2))).0, 1);

    // No descriptors at all: a sleep.
    let t0 = Instant::now();
    assert_eq!(poll(&mut [], Some(Duration::from_millis(20))).unwrap(), 0);
    assert!(t0.elapsed() >= Duration::from_millis(20));
}

#[test]
fn select_readable_writable_and_hangup() {
    let (a, b) = tcp_pair();
    // Writable at once, not readable.
    let mut r = FdSet::new();
    let mut w = FdSet::new();
    r.insert(&b).unwrap();
    w.insert(&a).unwrap();
    let n = select(Some(&mut r), Some(&mut w), None, Some(Duration::from_secs(5))).unwrap();
    assert_eq!(n, 1);
    assert!(w.contains(&a) && !r.contains(&b), "select rewrote the sets to the ready ones");

    // Readable after a send.
    a.send(b"ping", MsgFlags::empty()).unwrap();
    let mut r = FdSet::new();
    r.insert(&b).unwrap();
    assert_eq!(select(Some(&mut r), None, None, Some(Duration::from_secs(5))).unwrap(), 1);
    assert!(r.contains(&b));
    let mut buf = [0u8; 4];
    assert_eq!(readn(&b, &mut buf).unwrap(), 4);

    // Timeout: nothing ready.
    let mut r = FdSet::new();
    r.insert(&b).unwrap();
    let t0 = Instant::now();
    assert_eq!(select(Some(&mut r), None, None, Some(Duration::from_millis(30))).unwrap(), 0);
    assert!(t0.elapsed() >= Duration::from_millis(30));
    assert!(r.is_empty());

    // Hang-up: the peer's close makes the socket readable, and the read is EOF.
    drop(a);
    let mut r = FdSet::new();
    r.insert(&b).unwrap();
    assert_eq!(select(Some(&mut r), None, None, Some(Duration::from_secs(5))).unwrap(), 1);
    assert!(r.contains(&b));
    assert_eq!(b.recv(&mut buf, MsgFlags::empty()).unwrap(), 0);

    // Not writable once the send buffer is full.
    let (c, _d) = unix_pair();
    fill_send_buffer(&c);
    let mut w = FdSet::new();
    w.insert(&c).unwrap();
    assert_eq!(select(None, Some(&mut w), None, Some(Duration::from_millis(20))).unwrap(), 0);

    // No sets: a sleep with microsecond precision.
    let t0 = Instant::now();
    assert_eq!(select(None, None, None, Some(Duration::from_millis(20))).unwrap(), 0);
    assert!(t0.elapsed() >= Duration::from_millis(20));
    let mut r = FdSet::new();
    r.insert(&b).unwrap();
    assert_eq!(select(Some(&mut r), None, None, Some(Duration::MAX)).unwrap(), 1, "EOF ready");
}

#[test]
fn select_except_set_sees_out_of_band_data() {
    let (a, b) = tcp_pair();
    let mut e = FdSet::new();
    e.insert(&b).unwrap();
    assert_eq!(select(None, None, Some(&mut e), NOW).unwrap(), 0);
    a.send(b"!", MsgFlags::OOB).unwrap();
    let mut e = FdSet::new();
    e.insert(&b).unwrap();
    assert_eq!(select(None, None, Some(&mut e), Some(Duration::from_secs(5))).unwrap(), 1);
    assert!(e.contains(&b));
    // poll calls it PRI.
    let (_, rev) = poll1(&b, PollFlags::PRI, NOW);
    assert!(rev.contains(PollFlags::PRI), "{rev:?}");
}

#[test]
fn fd_set_operations() {
    let socks: Vec<Socket> = (0..4).map(|_| unix_pair().0).collect();
    let mut raw: Vec<RawFd> = socks.iter().map(|s| s.as_raw_fd()).collect();
    raw.sort();
    let mut set = FdSet::new();
    assert!(set.is_empty());
    assert_eq!(format!("{set:?}"), "FdSet {}");
    for s in socks.iter().rev() {
        set.insert(s).unwrap();
    }
    set.insert(&socks[0]).unwrap(); // twice: no change
    assert_eq!(set.iter().collect::<Vec<_>>(), raw, "increasing order, no duplicates");
    assert_eq!((&set).into_iter().count(), 4);
    assert!(socks.iter().all(|s| set.contains(s)));
    assert_eq!(
        format!("{set:?}"),
        format!("FdSet {{{}, {}, {}, {}}}", raw[0], raw[1], raw[2], raw[3])
    );

    // Removing the highest, then the others.
    let highest = socks.iter().find(|s| s.as_raw_fd() == raw[3]).unwrap();
    assert!(set.remove(highest));
    assert!(!set.remove(highest));
    assert!(!set.contains(highest));
    assert_eq!(set.iter().collect::<Vec<_>>(), &raw[..3]);
    let copy = set.clone();
    set.clear();
    assert!(set.is_empty() && set.iter().next().is_none());
    assert_eq!(copy.iter().count(), 3, "clones are independent");
    assert!(FdSet::default().is_empty());

    // A set that is empty after select's rewrite still works for the next round.
    let (a, b) = unix_pair();
    let mut r = FdSet::new();
    r.insert(&b).unwrap();
    assert_eq!(select(Some(&mut r), None, None, NOW).unwrap(), 0);
    r.insert(&b).unwrap();
    a.send(b"x", MsgFlags::empty()).unwrap();
    assert_eq!(select(Some(&mut r), None, None, Some(Duration::from_secs(5))).unwrap(), 1);
}

/// Raises the soft RLIMIT_NOFILE to at least `want` (up to the hard limit).
/// `rlim_t` is `u64` on 64-bit Linux, `u32` on i686 and `i64` on the BSDs: the
/// conversions are identities on some targets, hence the `allow`.
#[allow(clippy::useless_conversion)]
fn raise_nofile(want: u64) -> u64 {
    let want = libc::rlim_t::try_from(want).unwrap_or(libc::rlim_t::MAX);
    let mut rl = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: rl is a valid rlimit to fill.
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl) }, 0);
    if rl.rlim_cur < want && rl.rlim_max > rl.rlim_cur {
        rl.rlim_cur = want.min(rl.rlim_max);
        // SAFETY: rl holds limits within the hard limit.
        assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &rl) }, 0);
    }
    u64::try_from(rl.rlim_cur).unwrap_or(u64::MAX)
}

/// `fcntl(F_DUPFD_CLOEXEC, min)`: a duplicate numbered `min` or above.
fn dup_at_least(fd: impl AsFd, min: RawFd) -> OwnedFd {
    // SAFETY: F_DUPFD_CLOEXEC takes an int; fd is open.
    let new = unsafe { libc::fcntl(fd.as_fd().as_raw_fd(), libc::F_DUPFD_CLOEXEC, min) };
    assert!(new >= min, "F_DUPFD_CLOEXEC: {}", Errno::last());
    // SAFETY: new is a fresh descriptor that nothing else owns.
    unsafe { OwnedFd::from_raw_fd(new) }
}

#[test]
fn fd_set_refuses_descriptors_at_or_above_fd_setsize() {
    assert_eq!(FD_SETSIZE, libc::FD_SETSIZE);
    let limit = raise_nofile(FD_SETSIZE as u64 + 64);
    assert!(limit > FD_SETSIZE as u64 + 8, "need descriptors above FD_SETSIZE: limit {limit}");
    let (a, b) = unix_pair();

    let high = dup_at_least(&b, FD_SETSIZE as RawFd);
    assert!(high.as_raw_fd() >= FD_SETSIZE as RawFd);
    let mut set = FdSet::new();
    let e = set.insert(&high).unwrap_err();
    assert!(matches!(e, Error::InvalidInput { call: "FD_SET", .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        format!(
            "FD_SET: descriptor {} is not below FD_SETSIZE (1024); select cannot watch it, use poll",
            high.as_raw_fd()
        )
    );
    assert!(set.is_empty(), "nothing written");
    assert!(!set.contains(&high));
    assert!(!set.remove(&high));

    // The largest descriptor a set can hold is fine, and select works with it.
    let top = dup_at_least(&b, FD_SETSIZE as RawFd - 1);
    if top.as_raw_fd() == FD_SETSIZE as RawFd - 1 {
        set.insert(&top).unwrap();
        assert!(set.contains(&top));
        a.send(b"x", MsgFlags::empty()).unwrap();
        assert_eq!(select(Some(&mut set), None, None, Some(Duration::from_secs(5))).unwrap(), 1);
        assert!(set.contains(&top));
    } else {
        // Another test holds 1023; the high one still must be refused.
        assert!(set.insert(&top).is_err());
        a.send(b"x", MsgFlags::empty()).unwrap();
    }

    // poll has no such limit.
    let (n, rev) = poll1(&high, PollFlags::IN, Some(Duration::from_secs(5)));
    assert_eq!((n, rev), (1, PollFlags::IN));
}

// ---- the single-process concurrent server (UNP §6.8, §6.11) ----

/// How many clients the server tests use: 200, fewer if the descriptor limit
/// is low (each client costs two descriptors, and select needs them < 1024).
fn client_count() -> usize {
    let limit = raise_nofile(4096).min(FD_SETSIZE as u64);
    ((limit.saturating_sub(200)) / 2).min(200) as usize
}

/// Clients: `threads` threads, each opening its share of connections at once, then
/// sending two lines on each and checking both echoes. Returns the number checked.
fn run_clients(addr: SockAddr, clients: usize, threads: usize) -> usize {
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let addr = addr.clone();
            thread::spawn(move || {
                let ids: Vec<usize> = (t..clients).step_by(threads).collect();
                let conns: Vec<Socket> = ids
                    .iter()
                    .map(|_| {
                        let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
                        s.connect_timeout(&addr, Duration::from_secs(10)).unwrap();
                        s
                    })
                    .collect();
                let mut checked = 0;
                for round in 0..2 {
                    for (s, id) in conns.iter().zip(&ids) {
                        writen(s, format!("client {id} round {round}\n").as_bytes()).unwrap();
                    }
                    for (s, id) in conns.iter().zip(&ids) {
                        let want = format!("client {id} round {round}\n");
                        let mut got = vec![0u8; want.len()];
                        assert_eq!(readn(s, &mut got).unwrap(), want.len());
                        assert_eq!(String::from_utf8(got).unwrap(), want);
                        checked += 1;
                    }
                }
                checked
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).sum()
}

fn echo_listener() -> (Socket, SockAddr) {
    let (l, a) = tcp_listener(SOMAXCONN);
    l.set_nonblocking(true).unwrap();
    (l, a)
}

fn accept_retryable(e: &Error) -> bool {
    matches!(e.errno(), Some(Errno::EAGAIN | Errno::ECONNABORTED | Errno::EPROTO | Errno::EINTR))
}

/// Stevens' tcpservselect: one select loop over the listener and every client.
/// Returns (connections served, bytes echoed) once `expect` clients have come and
/// gone.
fn select_server(listener: Socket, expect: usize) -> (usize, usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut allset = FdSet::new();
    allset.insert(&listener).unwrap();
    let mut clients: HashMap<RawFd, Socket> = HashMap::new();
    let (mut served, mut echoed) = (0, 0);
    let mut buf = [0u8; 4096];
    while served < expect || !clients.is_empty() {
        assert!(Instant::now() < deadline, "server stalled");
        let mut rset = allset.clone();
        let n = match select(Some(&mut rset), None, None, Some(Duration::from_secs(5))) {
            Ok(n) => n,
            Err(e) if e.errno() == Some(Errno::EINTR) => continue,
            Err(e) => panic!("{e}"),
        };
        if n == 0 {
            continue;
        }
        if rset.contains(&listener) {
            loop {
                match accept(&listener) {
                    Ok((conn, _)) => {
                        allset.insert(&conn).unwrap();
                        clients.insert(conn.as_raw_fd(), conn);
                        served += 1;
                    }
                    Err(e) if accept_retryable(&e) => break,
                    Err(e) => panic!("{e}"),
                }
            }
        }
        let ready: Vec<RawFd> = rset.iter().filter(|fd| *fd != listener.as_raw_fd()).collect();
        for fd in ready {
            let Some(conn) = clients.get(&fd) else { continue };
            let got = conn.recv(&mut buf, MsgFlags::empty()).unwrap();
            if got == 0 {
                allset.remove(conn);
                clients.remove(&fd);
            } else {
                writen(conn, &buf[..got]).unwrap();
                echoed += got;
            }
        }
    }
    (served, echoed)
}

/// The same server with poll: entry 0 is the listener, the rest are clients.
fn poll_server(listener: Socket, expect: usize) -> (usize, usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut clients: Vec<Socket> = Vec::new();
    let (mut served, mut echoed) = (0, 0);
    let mut buf = [0u8; 4096];
    while served < expect || !clients.is_empty() {
        assert!(Instant::now() < deadline, "server stalled");
        let mut fds = Vec::with_capacity(clients.len() + 1);
        fds.push(PollFd::new(listener.as_fd(), PollFlags::IN));
        fds.extend(clients.iter().map(|c| PollFd::new(c.as_fd(), PollFlags::IN)));
        match poll(&mut fds, Some(Duration::from_secs(5))) {
            Ok(_) => {}
            Err(e) if e.errno() == Some(Errno::EINTR) => continue,
            Err(e) => panic!("{e}"),
        }
        let readable: Vec<bool> = fds.iter().map(|p| !p.revents().is_empty()).collect();
        drop(fds);
        let mut closed = Vec::new();
        for (i, c) in clients.iter().enumerate() {
            if !readable[i + 1] {
                continue;
            }
            let got = c.recv(&mut buf, MsgFlags::empty()).unwrap();
            if got == 0 {
                closed.push(i);
            } else {
                writen(c, &buf[..got]).unwrap();
                echoed += got;
            }
        }
        for i in closed.into_iter().rev() {
            clients.swap_remove(i);
        }
        if readable[0] {
            loop {
                match accept(&listener) {
                    Ok((conn, _)) => {
                        clients.push(conn);
                        served += 1;
                    }
                    Err(e) if accept_retryable(&e) => break,
                    Err(e) => panic!("{e}"),
                }
            }
        }
    }
    (served, echoed)
}

/// The two server tests take turns, so that together with the rest of this binary
/// they stay well below the 1024 descriptors select can handle.
static SERVERS: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn expected_bytes(clients: usize) -> usize {
    (0..clients).flat_map(|id| (0..2).map(move |r| format!("client {id} round {r}\n").len())).sum()
}

#[test]
fn select_server_serves_hundreds_of_clients() {
    let _turn = SERVERS.lock().unwrap_or_else(|e| e.into_inner());
    let clients = client_count();
    assert!(clients >= 100, "descriptor limit too low for the test: {clients}");
    let (l, addr) = echo_listener();
    let server = thread::spawn(move || select_server(l, clients));
    let checked = run_clients(addr, clients, 4);
    assert_eq!(checked, 2 * clients, "every reply checked");
    assert_eq!(server.join().unwrap(), (clients, expected_bytes(clients)));
}

#[test]
fn poll_server_serves_hundreds_of_clients() {
    let _turn = SERVERS.lock().unwrap_or_else(|e| e.into_inner());
    let clients = client_count();
    assert!(clients >= 100, "descriptor limit too low for the test: {clients}");
    let (l, addr) = echo_listener();
    let server = thread::spawn(move || poll_server(l, clients));
    let checked = run_clients(addr, clients, 4);
    assert_eq!(checked, 2 * clients, "every reply checked");
    assert_eq!(server.join().unwrap(), (clients, expected_bytes(clients)));
}
