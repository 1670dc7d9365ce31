//! A peer that vanishes without a word, and TCP keep-alive finding it: the story
//! of the "TCP keepalive" note in shared/seeds/001. A and B are connected; B's
//! cable is unplugged (or its kernel panics), so nothing reaches A: no FIN, no
//! RST. A, waiting to receive, has no idea B has gone, and without keep-alive
//! never will; when B comes back up with no memory of the connection, A's next
//! send gets an RST. With SO_KEEPALIVE, A's kernel probes the idle connection
//! and, when TCP_KEEPCNT probes go unanswered, fails the blocked read with
//! ETIMEDOUT (Stevens, *UNIX Network Programming* Vol. 1, 3rd ed., §7.5;
//! tcp(7) for TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT). Not from the notes
//! (no seed program): the notes tell it in prose, this program runs it.
//!
//! ```text
//! sudo dead_peer --demo       # its own network: namespaces, a switch, a cable to pull
//! dead_peer HOST PORT         # keep-alive on a real connection: unplug the server
//! ```
//!
//! `--demo` builds a client, a switch (a bridge) and a server, each in a network
//! namespace of its own (`bsdsock-<pid>-0-*`, with ip(8); it needs root), using
//! addresses from 192.0.2.0/24, the documentation range (RFC 5737). The client
//! opens two connections, one with keep-alive after 1 s idle, every 1 s, 3
//! probes, one without; then the server's cable is pulled (its veth deleted at
//! the switch). The first connection fails after 1 + 3 x 1 = 4 s; the second
//! stays ESTABLISHED, as the note says. Then the server "reboots" (a fresh
//! namespace with the same address and MAC) and the second connection's next
//! send is answered with an RST. The namespaces are deleted when the program
//! ends, also after an error; if it is killed, `ip netns del` removes them (the
//! tests of tests/netns delete those of processes that are gone). Without root,
//! or without `ip`, `--demo` says so and exits with status 77, the status test
//! harnesses read as "skipped".
//!
//! `HOST PORT` connects to a real server with the same keep-alive settings and
//! waits to receive: unplug the server's cable (or drop its packets) and within
//! about 4 s `recv` fails with ETIMEDOUT (or EHOSTUNREACH, when a router
//! reports the host unreachable: Stevens §7.5 lists both).
//!
//! shared/seeds/003 says keep-alive "raises SIGPIPE" when the peer is dead: it
//! is the pending read that fails, with ETIMEDOUT, as above. SIGPIPE belongs to
//! a later write on the dead connection, and bsdsock's `send` never raises it
//! (MSG_NOSIGNAL): it returns EPIPE.

use std::process::ExitCode;

/// The exit status of `--demo` when it cannot build its network (not root, no
/// `ip`): automake's "skipped".
const SKIPPED: u8 = 77;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args[..] {
        ["--demo"] => run_demo(),
        [host, port] if !host.starts_with('-') => run_client(host, port),
        _ => {
            eprintln!("usage: dead_peer --demo | dead_peer HOST PORT");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn run_demo() -> ExitCode {
    eprintln!("dead_peer: --demo builds Linux network namespaces; it runs on Linux only");
    ExitCode::from(SKIPPED)
}

#[cfg(not(target_os = "linux"))]
fn run_client(_host: &str, _port: &str) -> ExitCode {
    eprintln!("dead_peer: TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT as used here need Linux");
    ExitCode::FAILURE
}

#[cfg(target_os = "linux")]
fn run_demo() -> ExitCode {
    if let Some(why) = linux::missing_prerequisite() {
        eprintln!("dead_peer: --demo cannot build its network: {why}");
        return ExitCode::from(SKIPPED);
    }
    match linux::demo() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dead_peer: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(target_os = "linux")]
fn run_client(host: &str, port: &str) -> ExitCode {
    match linux::client(host, port) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dead_peer: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::error::Error;
    use std::fs::File;
    use std::os::fd::AsRawFd;
    use std::process::{Command, Stdio};
    use std::thread;
    use std::time::{Duration, Instant};

    use bsdsock::netdb::tcp_connect;
    use bsdsock::opt::{
        SO_KEEPALIVE, SO_LINGER, SO_RCVTIMEO, TCP_INFO, TCP_KEEPCNT, TCP_KEEPIDLE, TCP_KEEPINTVL,
        TcpState,
    };
    use bsdsock::{
        Domain, Errno, MsgFlags, Protocol, SockAddr, Socket, Type, close, readn, socket, writen,
    };

    type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

    const IDLE: Duration = Duration::from_secs(1);
    const INTERVAL: Duration = Duration::from_secs(1);
    const COUNT: u32 = 3;

    /// Why `--demo` cannot run here, if it cannot.
    pub fn missing_prerequisite() -> Option<String> {
        // SAFETY: geteuid has no preconditions and cannot fail.
        if unsafe { libc::geteuid() } != 0 {
            return Some("it needs root to create network namespaces (ip netns add)".into());
        }
        match Command::new("ip").arg("-V").stdout(Stdio::null()).stderr(Stdio::null()).status() {
            Ok(s) if s.success() => None,
            _ => Some("it needs the ip command (iproute2)".into()),
        }
    }

    /// `ip ARGS`; an error carries its stderr.
    fn ip(args: &[&str]) -> Res<()> {
        let out = Command::new("ip").args(args).stdin(Stdio::null()).output()?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("ip {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim())
                .into())
        }
    }

    /// The network namespaces of the demo, deleted on drop (also when the demo
    /// fails half-way: `?` unwinds through here).
    struct Lab {
        prefix: String,
        made: Vec<String>,
    }

    impl Lab {
        fn new() -> Lab {
            Lab { prefix: format!("bsdsock-{}-0-", std::process::id()), made: Vec::new() }
        }

        /// A new namespace `<prefix><role>` with its loopback up; its name.
        fn add(&mut self, role: &str) -> Res<String> {
            let name = format!("{}{role}", self.prefix);
            ip(&["netns", "add", &name])?;
            self.made.push(name.clone());
            ip(&["-n", &name, "link", "set", "lo", "up"])?;
            Ok(name)
        }

        fn del(&mut self, name: &str) -> Res<()> {
            self.made.retain(|n| n != name);
            ip(&["netns", "del", name])
        }
    }

    impl Drop for Lab {
        fn drop(&mut self) {
            for name in &self.made {
                if let Err(e) = ip(&["netns", "del", name]) {
                    eprintln!("dead_peer: cleanup: {e}");
                }
            }
        }
    }

    /// Runs `f` on a thread inside the namespace `ns` (setns(2) changes only the
    /// calling thread's namespace). Sockets made there stay in that namespace
    /// and can be used from any thread.
    fn inside<R: Send>(ns: &str, f: impl FnOnce() -> Res<R> + Send) -> Res<R> {
        thread::scope(|s| {
            s.spawn(|| {
                let file = File::open(format!("/run/netns/{ns}"))?;
                // SAFETY: `file` is an open namespace descriptor for the whole
                // call; setns affects the calling thread only.
                if unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
                    return Err(format!("setns {ns}: {}", std::io::Error::last_os_error()).into());
                }
                f()
            })
            .join()
            .map_err(|_| "a thread inside a namespace panicked")?
        })
    }

    /// Keep-alive on, after IDLE, every INTERVAL, COUNT probes.
    fn keepalive(s: &Socket) -> Res<()> {
        s.set(SO_KEEPALIVE, true)?;
        s.set(TCP_KEEPIDLE, IDLE)?;
        s.set(TCP_KEEPINTVL, INTERVAL)?;
        s.set(TCP_KEEPCNT, COUNT)?;
        Ok(())
    }

    /// `call` again after EINTR. With SO_RCVTIMEO set, the kernel does not
    /// restart an interrupted `recv` (not even after a stop and continue, which
    /// the program never sees as a signal): it returns EINTR.
    fn retry_eintr<T>(mut call: impl FnMut() -> bsdsock::Result<T>) -> bsdsock::Result<T> {
        loop {
            match call() {
                Err(e) if e.errno() == Some(Errno::EINTR) => {}
                other => return other,
            }
        }
    }

    /// Waits (at most 10 s) until `ifname` in `ns` is operationally UP: the
    /// kernel activates a new link asynchronously, and drops what is sent on
    /// it before then.
    fn wait_running(ns: &str, ifname: &str) -> Res<()> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let out = Command::new("ip").args(["-n", ns, "-o", "link", "show", ifname]).output()?;
            if String::from_utf8_lossy(&out.stdout).contains(" state UP ") {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("{ifname} in {ns} never came up").into());
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    fn state(s: &Socket) -> String {
        match s.get(TCP_INFO) {
            Ok(info) => format!("{:?}", info.state()),
            Err(e) => e.to_string(),
        }
    }

    /// Blocks in `recv` on `conn` (at most `limit`), printing each keep-alive
    /// probe that goes unanswered as TCP_INFO counts it; returns how `recv`
    /// ended and when, counted from `idle_since`.
    fn wait_for_death(conn: &Socket, idle_since: Instant, limit: Duration) -> Res<(String, f64)> {
        conn.set(SO_RCVTIMEO, Some(limit))?;
        thread::scope(|s| {
            let waiter = s.spawn(|| retry_eintr(|| conn.recv(&mut [0u8; 64], MsgFlags::empty())));
            let mut seen = 0;
            while !waiter.is_finished() {
                if let Ok(info) = conn.get(TCP_INFO) {
                    if info.state() == TcpState::ESTABLISHED && info.probes() > seen {
                        seen = info.probes();
                        let t = idle_since.elapsed().as_secs_f64();
                        println!("client: keep-alive probe {seen} unanswered (idle {t:.1} s)");
                    }
                }
                thread::sleep(Duration::from_millis(20));
            }
            let t = idle_since.elapsed().as_secs_f64();
            let how = match waiter.join().map_err(|_| "recv panicked")? {
                Ok(0) => "0: end of file".to_string(),
                Ok(n) => format!("{n} bytes"),
                Err(e) => e.to_string(),
            };
            Ok((how, t))
        })
    }

    /// The demo: build the network, pull the cable, watch.
    pub fn demo() -> Res<()> {
        let mut lab = Lab::new();
        let client = lab.add("client")?;
        let switch = lab.add("switch")?;
        let server = lab.add("server")?;
        println!("network: {client} (192.0.2.1) -- {switch} (a bridge) -- {server} (192.0.2.2)");
        ip(&["-n", &switch, "link", "add", "br0", "type", "bridge"])?;
        ip(&["-n", &switch, "link", "set", "br0", "up"])?;
        // A cable: a veth pair from `host`'s `ifname` to a switch port.
        let plug = |host: &str, ifname: &str, port: &str, mac: Option<&str>| -> Res<()> {
            let mut args = vec!["link", "add", ifname, "netns", host];
            if let Some(mac) = mac {
                args.extend(["address", mac]);
            }
            args.extend(["type", "veth", "peer", "name", port, "netns", &switch]);
            ip(&args)?;
            ip(&["-n", &switch, "link", "set", port, "master", "br0", "up"])?;
            ip(&["-n", host, "link", "set", ifname, "up"])?;
            wait_running(host, ifname)?;
            wait_running(&switch, port)
        };
        plug(&client, "eth0", "p1", None)?;
        ip(&["-n", &client, "addr", "add", "192.0.2.1/24", "dev", "eth0"])?;
        // The server's MAC is fixed, so that the rebooted server has the same.
        let server_mac = "02:00:00:00:00:02";
        plug(&server, "eth0", "p2", Some(server_mac))?;
        ip(&["-n", &server, "addr", "add", "192.0.2.2/24", "dev", "eth0"])?;

        let listener = inside(&server, || {
            let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
            l.bind(&"192.0.2.2:0".parse()?)?;
            l.listen(5)?;
            Ok(l)
        })?;
        let addr = listener.getsockname()?;
        println!("server: listening on {addr}");
        let (with_ka, without_ka) = inside(&client, || {
            let a = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
            keepalive(&a)?;
            a.connect_timeout(&addr, Duration::from_secs(5))?;
            let b = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
            b.connect_timeout(&addr, Duration::from_secs(5))?;
            Ok((a, b))
        })?;
        println!(
            "client: connection 1 with SO_KEEPALIVE, TCP_KEEPIDLE {:?}, TCP_KEEPINTVL {:?}, \
             TCP_KEEPCNT {}",
            with_ka.get(TCP_KEEPIDLE)?,
            with_ka.get(TCP_KEEPINTVL)?,
            with_ka.get(TCP_KEEPCNT)?
        );
        println!("client: connection 2 without SO_KEEPALIVE");
        let mut served = Vec::new();
        for conn in [&with_ka, &without_ka] {
            let (s, _) = listener.accept()?;
            s.set(SO_RCVTIMEO, Some(Duration::from_secs(5)))?;
            conn.set(SO_RCVTIMEO, Some(Duration::from_secs(5)))?;
            writen(conn, b"hello")?;
            let mut buf = [0u8; 5];
            readn(&s, &mut buf)?;
            writen(&s, b"hello")?;
            readn(conn, &mut buf)?;
            served.push(s);
        }
        let idle_since = Instant::now();
        println!("client: both connections said hello and are now idle");

        ip(&["-n", &switch, "link", "del", "p2"])?;
        println!("the server's cable is pulled (its veth deleted): no FIN, no RST, no ICMP");

        let (how, t) = wait_for_death(&with_ka, idle_since, Duration::from_secs(20))?;
        println!("client: connection 1: recv -> {how} after {t:.1} s idle");
        println!("client: connection 1: TCP_INFO state {}", state(&with_ka));
        let how = match with_ka.send(b"anyone?", MsgFlags::empty()) {
            Ok(n) => format!("{n} bytes"),
            Err(e) => e.to_string(),
        };
        println!("client: connection 1: send -> {how} (and no SIGPIPE)");
        println!(
            "client: connection 2: TCP_INFO state {}: it has no idea the server is gone",
            state(&without_ka)
        );
        println!(
            "server: its connections are {} and {}: it heard nothing either",
            state(&served[0]),
            state(&served[1])
        );

        // The server crashes and comes back: its sockets go without a word (an
        // abortive close whose RST has no cable to travel), then a fresh host
        // with the same address and MAC, which knows no connection.
        for s in served {
            s.set(SO_LINGER, Some(Duration::ZERO))?;
            close(s)?;
        }
        drop(listener);
        lab.del(&server)?;
        let server = lab.add("server")?;
        plug(&server, "eth0", "p2", Some(server_mac))?;
        ip(&["-n", &server, "addr", "add", "192.0.2.2/24", "dev", "eth0"])?;
        println!("the server reboots: same address, same MAC, no memory of the connections");

        let n = without_ka.send(b"still there?", MsgFlags::empty())?;
        println!("client: connection 2: send {n} bytes -> ok (queued: TCP does not know yet)");
        let start = Instant::now();
        let how = match retry_eintr(|| without_ka.recv(&mut [0u8; 64], MsgFlags::empty())) {
            Ok(n) => format!("{n} bytes"),
            Err(e) => e.to_string(),
        };
        println!(
            "client: connection 2: recv -> {how} after {:.1} s: the rebooted server answered \
             with an RST",
            start.elapsed().as_secs_f64()
        );
        Ok(())
    }

    /// `dead_peer HOST PORT`: the same keep-alive settings on a real connection.
    pub fn client(host: &str, port: &str) -> Res<()> {
        let conn = tcp_connect(host, port)?;
        keepalive(&conn)?;
        let peer: SockAddr = conn.getpeername()?;
        println!(
            "connected to {peer}; keep-alive after {IDLE:?} idle, every {INTERVAL:?}, {COUNT} \
             probes"
        );
        println!("waiting to receive; pull the server's cable to see keep-alive find it");
        let (how, t) = wait_for_death(&conn, Instant::now(), Duration::from_secs(24 * 3600))?;
        println!("recv -> {how} after {t:.1} s");
        Ok(())
    }
}
