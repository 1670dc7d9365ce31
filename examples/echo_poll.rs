//! The single-process concurrent echo server again, with `poll()` instead of
//! `select()` (Stevens' `tcpservpoll01`): no FD_SETSIZE limit, no set to rebuild,
//! and a peer's FIN or reset reported directly (`RDHUP`, `HUP`, `ERR`).
//!
//! ```text
//! cargo run --example echo_poll -- 9877     # serve 0.0.0.0:9877 until killed
//! cargo run --example echo_poll -- --demo   # loopback server + 100 clients, checks every echo
//! cargo run --release --example echo_poll -- --clients 10000 --bytes 4096   # load
//! ```
//!
//! Entry 0 of the `pollfd` array is the listener, the others are clients. Each
//! `PollFd` borrows its socket, so the array is rebuilt from the client list on
//! each round (cheap next to the system call) instead of C's `client[]` with
//! `fd = -1` holes.
//!
//! `--clients N --bytes B` is a load test: the loopback server as in the demo,
//! and N client connections, all opened before any data flows and held until
//! every one is done, each sending B bytes of a pattern of its own and checking
//! every byte that comes back. The clients run in a second process (this
//! program again, with a hidden `--client-process` flag) driven by one
//! non-blocking poll() loop: each connection costs a descriptor on each side,
//! and two processes give each side the whole RLIMIT_NOFILE (raised to what N
//! needs, up to the hard limit; beyond it the run is refused up front, naming
//! the limit). It ends with a summary line (connections, bytes verified,
//! errors, peak RSS of both processes, elapsed time) and exits 1 on any error.

use std::error::Error as StdError;
use std::os::fd::AsFd;
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use bsdsock::netdb::tcp_listen;
use bsdsock::{
    Domain, Errno, LineReader, MsgFlags, PollFd, PollFlags, Protocol, SOMAXCONN, SockAddr, Socket,
    Type, accept, poll, set_nonblocking, socket, writen,
};

type Res<T> = Result<T, Box<dyn StdError + Send + Sync>>;

const USAGE: &str = "usage: echo_poll PORT | echo_poll --demo | echo_poll --clients N [--bytes B]";

#[derive(Clone, Copy)]
enum Until {
    Forever,
    Served(usize),
}

/// Makes a listener ready for the loop. It must be non-blocking: it is reported
/// readable when a connection is queued, but the client may reset that connection
/// before we call accept, and a blocking accept would then stall every other
/// client; non-blocking, accept says EAGAIN / ECONNABORTED and the loop goes on.
fn ready_listener(l: Socket) -> Res<Socket> {
    set_nonblocking(&l, true)?;
    Ok(l)
}

/// `service` on every local address, Stevens' `tcp_listen` (SO_REUSEADDR on, so
/// a restarted server is not refused with EADDRINUSE because of TIME_WAIT).
fn listen_on_service(service: &str) -> Res<Socket> {
    ready_listener(tcp_listen(None, service, SOMAXCONN)?)
}

/// A loopback listener on a port the kernel picks (the demo).
fn listen_on_loopback() -> Res<Socket> {
    let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    l.bind(&"127.0.0.1:0".parse()?)?;
    l.listen(SOMAXCONN)?;
    ready_listener(l)
}

fn retryable(e: &bsdsock::Error) -> bool {
    matches!(e.errno(), Some(Errno::EAGAIN | Errno::ECONNABORTED | Errno::EPROTO | Errno::EINTR))
}

/// What a server loop that stopped has seen.
#[derive(Debug, Default)]
struct Served {
    /// Connections accepted.
    connections: usize,
    /// The most connections open at once.
    peak: usize,
    /// Connections that ended with an error (a reset, a failed write).
    errors: usize,
}

fn serve(listener: Socket, until: Until, verbose: bool) -> Res<Served> {
    let mut clients: Vec<Socket> = Vec::new();
    let mut stats = Served::default();
    let mut buf = [0u8; 4096];
    loop {
        if let Until::Served(n) = until {
            if stats.connections >= n && clients.is_empty() {
                return Ok(stats);
            }
        }
        let mut fds = Vec::with_capacity(clients.len() + 1);
        fds.push(PollFd::new(listener.as_fd(), PollFlags::IN));
        fds.extend(clients.iter().map(|c| PollFd::new(c.as_fd(), PollFlags::IN)));
        match poll(&mut fds, None) {
            Ok(_) => {}
            Err(e) if e.errno() == Some(Errno::EINTR) => continue, // a signal: retry
            Err(e) => return Err(e.into()),
        }
        let ready: Vec<PollFlags> = fds.iter().map(PollFd::revents).collect();
        drop(fds); // end the borrows of `clients` before changing it

        // Clients first (their indices are still valid), from the back so that
        // swap_remove does not move a client not yet looked at.
        for i in (0..clients.len()).rev() {
            let rev = ready[i + 1];
            if rev.is_empty() {
                continue;
            }
            // IN covers data and EOF; ERR/HUP (a reset) end up in recv's error.
            let failed = |e: bsdsock::Error, stats: &mut Served| {
                eprintln!("{e}");
                stats.errors += 1;
                true
            };
            let done = match clients[i].recv(&mut buf, MsgFlags::empty()) {
                Ok(0) => true,
                Ok(n) => {
                    writen(&clients[i], &buf[..n]).map_or_else(|e| failed(e, &mut stats), |_| false)
                }
                Err(e) => failed(e, &mut stats),
            };
            if done {
                let c = clients.swap_remove(i);
                if verbose {
                    println!(
                        "{} closed",
                        c.getpeername().map_or("client".into(), |a| a.to_string())
                    );
                }
            }
        }

        if ready[0].contains(PollFlags::IN) {
            loop {
                match accept(&listener) {
                    Ok((conn, peer)) => {
                        if verbose {
                            println!("connection from {peer}");
                        }
                        clients.push(conn);
                        stats.connections += 1;
                        stats.peak = stats.peak.max(clients.len());
                    }
                    Err(e) if retryable(&e) => break,
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
}

fn clients(addr: SockAddr, n: usize, threads: usize) -> Res<usize> {
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let addr = addr.clone();
            thread::spawn(move || -> Res<usize> {
                let ids: Vec<usize> = (t..n).step_by(threads).collect();
                let mut conns = Vec::new();
                for _ in &ids {
                    let s = socket(addr.family(), Type::STREAM, Protocol::DEFAULT)?;
                    s.connect_timeout(&addr, Duration::from_secs(5))?;
                    conns.push(LineReader::new(s));
                }
                let mut checked = 0;
                for round in 0..3 {
                    for (c, id) in conns.iter().zip(&ids) {
                        writen(c.get_ref(), format!("client {id} says {round}\n").as_bytes())?;
                    }
                    for (c, id) in conns.iter_mut().zip(&ids) {
                        let want = format!("client {id} says {round}\n");
                        let got = c.readline()?.ok_or("server closed early")?;
                        if got != want.as_bytes() {
                            return Err(format!(
                                "client {id}: sent {want:?}, got {:?}",
                                String::from_utf8_lossy(got)
                            )
                            .into());
                        }
                        checked += 1;
                    }
                }
                Ok(checked)
            })
        })
        .collect();
    let mut total = 0;
    for h in handles {
        total += h.join().map_err(|_| "client thread panicked")??;
    }
    Ok(total)
}

fn demo() -> Res<()> {
    const CLIENTS: usize = 100;
    let listener = listen_on_loopback()?;
    let addr = listener.getsockname()?;
    println!("echo_poll: serving {addr} with one poll() loop");
    let t0 = Instant::now();
    let server = thread::spawn(move || serve(listener, Until::Served(CLIENTS), false));
    let checked = clients(addr, CLIENTS, 4)?;
    let served = server.join().map_err(|_| "server panicked")??.connections;
    println!(
        "{served} clients served concurrently, {checked} echoed lines checked, in {:.0?}",
        t0.elapsed()
    );
    if served != CLIENTS || checked != CLIENTS * 3 {
        return Err("not every client was served".into());
    }
    Ok(())
}

// --- load: --clients N --bytes B ---------------------------------------------

/// Descriptors a process needs besides its connections: stdio, the listener,
/// the pipe from the client process, and a margin for the runtime.
const SPARE_FDS: u64 = 16;
/// Most clients and bytes per client accepted (a bound, not a promise).
const MAX_CLIENTS: usize = 1_000_000;
const MAX_BYTES: usize = 1 << 30;
/// Bytes per connection when --bytes is not given.
const DEFAULT_BYTES: usize = 4096;
/// Bounds on the client process: opening every connection, then the echoes.
const CONNECT_PHASE: Duration = Duration::from_secs(60);
const DATA_PHASE: Duration = Duration::from_secs(120);
/// At most this many failures are described on stderr; all are counted.
const REPORTED: usize = 5;

/// The byte pattern: a pseudo-random table of a prime length, so that a byte
/// sent to the wrong connection or at the wrong offset is caught. Connection
/// `c` sends the table from offset `c * 7919`, wrapping; the table is stored
/// twice so that any chunk up to its length is one slice.
const PERIOD: usize = 65521;
const CHUNK: usize = 16 * 1024;

fn pattern_table() -> Vec<u8> {
    let mut x: u32 = 0x9e37_79b9;
    let one: Vec<u8> = (0..PERIOD)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x.to_le_bytes()[0]
        })
        .collect();
    [one.as_slice(), one.as_slice()].concat()
}

/// What connection `id` sends from byte `at`, `len` (<= CHUNK) bytes long.
fn expected(table: &[u8], id: usize, at: usize, len: usize) -> &[u8] {
    let from = (id % PERIOD * 7919 + at) % PERIOD;
    &table[from..from + len]
}

/// An `rlim_t` (u64 on Linux and macOS, i64 on FreeBSD) as a u64, without a
/// cast; a negative one (none is) would read as unlimited.
fn rlim_u64(v: impl TryInto<u64>) -> u64 {
    v.try_into().unwrap_or(u64::MAX)
}

/// Makes RLIMIT_NOFILE's soft limit large enough for `conns` connections in
/// this process (raising it up to the hard limit, which only root can lift);
/// the client process inherits it. Refuses, naming the limit, when it cannot.
fn raise_nofile(conns: usize) -> Res<()> {
    let need = conns as u64 + SPARE_FDS;
    let mut rl = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes one `struct rlimit` into `rl`, which is valid.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl) } != 0 {
        return Err(format!("getrlimit(RLIMIT_NOFILE): {}", std::io::Error::last_os_error()).into());
    }
    let (soft, hard) = (rlim_u64(rl.rlim_cur), rlim_u64(rl.rlim_max));
    if need <= soft {
        return Ok(());
    }
    if need > hard {
        return Err(format!(
            "{conns} connections need {need} descriptors in each process, but \
             RLIMIT_NOFILE's hard limit is {hard} (soft {soft}): use fewer clients, or \
             raise the hard limit as root (ulimit -Hn, prlimit --nofile)"
        )
        .into());
    }
    // Only as far as needed: Linux refuses more than fs.nr_open, macOS more than
    // kern.maxfilesperproc, even when the hard limit is RLIM_INFINITY.
    rl.rlim_cur = need as libc::rlim_t;
    // SAFETY: `rl` is an initialised `struct rlimit` read by setrlimit.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &rl) } != 0 {
        return Err(format!(
            "setrlimit(RLIMIT_NOFILE) to {need} for {conns} connections: {}",
            std::io::Error::last_os_error()
        )
        .into());
    }
    Ok(())
}

/// This process's peak resident set size in KiB: VmHWM from /proc/self/status
/// where there is one (Linux), else getrusage's ru_maxrss (KiB, bytes on Apple).
fn peak_rss_kib() -> u64 {
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        let hwm = status.lines().find_map(|l| l.strip_prefix("VmHWM:"));
        if let Some(kib) = hwm.and_then(|v| v.trim().strip_suffix("kB")?.trim().parse().ok()) {
            return kib;
        }
    }
    // SAFETY: `struct rusage` is plain data; all-zero is a valid value.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes one `struct rusage` into `ru`, which is valid.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } != 0 {
        return 0;
    }
    let maxrss = u64::try_from(ru.ru_maxrss).unwrap_or(0);
    if cfg!(target_vendor = "apple") { maxrss / 1024 } else { maxrss }
}

/// One client connection of the load test.
struct Client {
    sock: Socket,
    id: usize,
    sent: usize,
    verified: usize,
}

/// What the client process found, printed as one line for the parent.
#[derive(Debug, Default)]
struct ClientReport {
    connected: usize,
    verified: u64,
    errors: usize,
    rss_kib: u64,
    /// How long opening every connection took.
    connect_ms: u128,
}

const REPORT_TAG: &str = "client-process:";

impl ClientReport {
    fn line(&self) -> String {
        let ClientReport { connected, verified, errors, rss_kib, connect_ms } = self;
        format!("{REPORT_TAG} {connected} {verified} {errors} {rss_kib} {connect_ms}")
    }

    fn parse(text: &str) -> Option<ClientReport> {
        let line = text.lines().find_map(|l| l.strip_prefix(REPORT_TAG))?;
        let mut f = line.split_whitespace();
        Some(ClientReport {
            connected: f.next()?.parse().ok()?,
            verified: f.next()?.parse().ok()?,
            errors: f.next()?.parse().ok()?,
            rss_kib: f.next()?.parse().ok()?,
            connect_ms: f.next()?.parse().ok()?,
        })
    }
}

/// Counts a failure, describing the first few.
fn fail(report: &mut ClientReport, what: String) {
    if report.errors < REPORTED {
        eprintln!("echo_poll client: {what}");
    } else if report.errors == REPORTED {
        eprintln!("echo_poll client: (further failures counted, not shown)");
    }
    report.errors += 1;
}

/// The client process: open all `n` connections, then run every echo through
/// one poll() loop on non-blocking sockets, and close them only at the end.
fn client_process(addr: &SockAddr, n: usize, bytes: usize) -> Res<ClientReport> {
    raise_nofile(n)?;
    let table = pattern_table();
    let mut report = ClientReport::default();
    let mut clients = Vec::with_capacity(n);
    let started = Instant::now();
    let deadline = started + CONNECT_PHASE;
    for id in 0..n {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            fail(
                &mut report,
                format!("{} connections not opened within {CONNECT_PHASE:?}", n - id),
            );
            report.errors += n - id - 1;
            break;
        }
        let opened = socket(addr.family(), Type::STREAM, Protocol::DEFAULT).and_then(|s| {
            set_nonblocking(&s, true)?;
            s.connect_timeout(addr, left.min(Duration::from_secs(10)))?;
            Ok(s)
        });
        match opened {
            Ok(sock) => clients.push(Client { sock, id, sent: 0, verified: 0 }),
            Err(e) => {
                let hint = match e.errno() {
                    Some(Errno::EADDRNOTAVAIL) => " (out of local ports: ip_local_port_range)",
                    Some(Errno::EMFILE | Errno::ENFILE) => " (RLIMIT_NOFILE / fs.file-max)",
                    _ => "",
                };
                fail(&mut report, format!("connection {id}: {e}{hint}"));
            }
        }
    }
    report.connected = clients.len();
    report.connect_ms = started.elapsed().as_millis();

    // Indices of the connections still echoing; each round polls only those.
    let mut active: Vec<usize> = (0..clients.len()).collect();
    let mut buf = vec![0u8; CHUNK];
    let deadline = Instant::now() + DATA_PHASE;
    while !active.is_empty() {
        let mut fds: Vec<PollFd<'_>> = active
            .iter()
            .map(|&i| {
                let c = &clients[i];
                let out = if c.sent < bytes { PollFlags::OUT } else { PollFlags::empty() };
                PollFd::new(c.sock.as_fd(), PollFlags::IN | out)
            })
            .collect();
        let left = deadline.saturating_duration_since(Instant::now());
        match poll(&mut fds, Some(left)) {
            Ok(0) => {
                fail(
                    &mut report,
                    format!("{} connections still echoing after {DATA_PHASE:?}", active.len()),
                );
                report.errors += active.len() - 1;
                break;
            }
            Ok(_) => {}
            Err(e) if e.errno() == Some(Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        }
        let ready: Vec<PollFlags> = fds.iter().map(PollFd::revents).collect();
        drop(fds);
        let mut still = Vec::with_capacity(active.len());
        for (&i, rev) in active.iter().zip(ready) {
            match step(&mut clients[i], rev, bytes, &table, &mut buf) {
                Ok(false) => still.push(i),
                Ok(true) => report.verified += bytes as u64,
                Err(what) => {
                    report.verified += clients[i].verified as u64;
                    fail(&mut report, format!("connection {}: {what}", clients[i].id));
                }
            }
        }
        active = still;
    }
    drop(clients); // every connection was held until all were done
    report.rss_kib = peak_rss_kib();
    Ok(report)
}

/// One poll() result for one connection: send what fits, check what came
/// back. Ok(true) when all `bytes` came back intact.
fn step(
    c: &mut Client,
    rev: PollFlags,
    bytes: usize,
    table: &[u8],
    buf: &mut [u8],
) -> Result<bool, String> {
    if rev.contains(PollFlags::OUT) && c.sent < bytes {
        let len = (bytes - c.sent).min(CHUNK);
        match c.sock.send(expected(table, c.id, c.sent, len), MsgFlags::empty()) {
            Ok(k) => c.sent += k,
            Err(e) if matches!(e.errno(), Some(Errno::EAGAIN | Errno::EINTR)) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    // IN covers data and EOF; ERR/HUP (a reset) end up in recv's error.
    if rev.intersects(PollFlags::IN | PollFlags::ERR | PollFlags::HUP) {
        let room = (bytes - c.verified).min(buf.len());
        if room == 0 {
            return Err("the server echoed more than was sent".into());
        }
        match c.sock.recv(&mut buf[..room], MsgFlags::empty()) {
            Ok(0) => return Err(format!("server closed after {} of {bytes} bytes", c.verified)),
            Ok(k) => {
                let want = expected(table, c.id, c.verified, k);
                if let Some(at) = buf[..k].iter().zip(want).position(|(got, want)| got != want) {
                    c.verified += at;
                    return Err(format!("wrong byte echoed at offset {}", c.verified));
                }
                c.verified += k;
            }
            Err(e) if matches!(e.errno(), Some(Errno::EAGAIN | Errno::EINTR)) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(c.verified == bytes)
}

/// The load test: the server here, the clients in a second process.
fn load(n: usize, bytes: usize) -> Res<()> {
    raise_nofile(n)?;
    let listener = listen_on_loopback()?;
    let addr = listener.getsockname()?;
    println!("echo_poll: serving {addr} with one poll() loop; {n} clients x {bytes} bytes");
    let t0 = Instant::now();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || tx.send(serve(listener, Until::Served(n), false)));
    let child = Command::new(std::env::current_exe()?)
        .args(["--client-process", &addr.to_string(), &n.to_string(), &bytes.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the client process: {e}"))?;
    let out = child.wait_with_output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let clients = ClientReport::parse(&stdout)
        .ok_or_else(|| format!("the client process failed ({}) without a report", out.status))?;
    // Its connections are all closed now: the server ends as soon as it has
    // seen every one close, or never if some never came.
    let mut errors = clients.errors;
    let server = match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(Ok(served)) => served,
        Ok(Err(e)) => {
            eprintln!("echo_poll: server: {e}");
            Served { errors: 1, ..Served::default() }
        }
        Err(_) => {
            eprintln!("echo_poll: the server did not see every connection open and close");
            Served { errors: 1, ..Served::default() }
        }
    };
    errors += server.errors;
    let elapsed = t0.elapsed();
    let total = n as u64 * bytes as u64;
    println!(
        "summary: connections {n}, concurrent {}, bytes verified {} of {total}, errors {errors}, \
         peak RSS {} KiB server + {} KiB clients, elapsed {:.3} s (connecting {:.3} s)",
        server.peak,
        clients.verified,
        peak_rss_kib(),
        clients.rss_kib,
        elapsed.as_secs_f64(),
        clients.connect_ms as f64 / 1000.0
    );
    if errors > 0 || clients.verified != total || server.peak != n {
        return Err(format!(
            "{errors} errors, {} of {total} bytes verified, at most {} of {n} connections at once",
            clients.verified, server.peak
        )
        .into());
    }
    Ok(())
}

/// A count from the command line, with a message naming what is wrong.
fn count(what: &str, arg: Option<&String>, max: usize) -> Res<usize> {
    let arg = arg.ok_or_else(|| format!("{what} needs a number\n{USAGE}"))?;
    match arg.parse::<usize>() {
        Ok(v) if (1..=max).contains(&v) => Ok(v),
        _ => Err(format!("{what} must be between 1 and {max}, not {arg:?}").into()),
    }
}

/// `--clients N [--bytes B]`, in either order.
fn load_args(args: &[String]) -> Res<(usize, usize)> {
    let (mut clients, mut bytes) = (None, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--clients" if clients.is_none() => {
                clients = Some(count("--clients", it.next(), MAX_CLIENTS)?)
            }
            "--bytes" if bytes.is_none() => bytes = Some(count("--bytes", it.next(), MAX_BYTES)?),
            _ => return Err(format!("unexpected argument {flag:?}\n{USAGE}").into()),
        }
    }
    let clients = clients.ok_or_else(|| format!("--bytes needs --clients\n{USAGE}"))?;
    Ok((clients, bytes.unwrap_or(DEFAULT_BYTES)))
}

/// Hidden: `--client-process ADDR N B`, how `load` starts its client process.
fn client_args(args: &[String]) -> Res<()> {
    let [addr, n, bytes] = args else { return Err(USAGE.into()) };
    let addr: SockAddr = addr.parse().map_err(|e| format!("{addr:?}: {e}"))?;
    let n = count("N", Some(n), MAX_CLIENTS)?;
    let bytes = count("B", Some(bytes), MAX_BYTES)?;
    let report = client_process(&addr, n, bytes)?;
    println!("{}", report.line());
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("--demo") if args.len() == 1 => demo(),
        Some("--clients" | "--bytes") => load_args(&args).and_then(|(n, b)| load(n, b)),
        Some("--client-process") => client_args(&args[1..]),
        Some(service) if args.len() == 1 && !service.starts_with('-') => listen_on_service(service)
            .and_then(|l| {
                println!("echo_poll: listening on {}", l.getsockname()?);
                serve(l, Until::Forever, true).map(drop)
            }),
        _ => Err(USAGE.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("echo_poll: {e}");
            ExitCode::FAILURE
        }
    }
}
