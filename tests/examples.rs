//! The examples, run as programs: every one with `--demo` (its transcript checked
//! line by line), the client/server pairs as separate processes with the
//! arguments of the C programs, and bad arguments (a usage message and exit 1,
//! never a panic).
//!
//! The binaries are those in target/<profile>/examples/, next to this test. The
//! first test to need them runs `cargo build --examples` once (a no-op after
//! `cargo test`, which builds them; needed after `cargo test --test examples`,
//! which would otherwise run stale ones). Every run is bounded: a program still
//! running after `TIMEOUT` is killed and the test fails with its output.

use std::collections::HashSet;
use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc::{self, Receiver};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(30);

/// Every example in examples/, each of which has a demo test below.
const ALL: [&str; 20] = [
    "checkopts",
    "client",
    "daytime_client",
    "daytime_server",
    "echo_poll",
    "echo_select",
    "fork_server",
    "hostent",
    "linger",
    "nonblock_connect",
    "server",
    "thread_server",
    "throughput",
    "time_wait",
    "tour",
    "udp_client",
    "udp_client_timeout",
    "udp_server",
    "unix_client",
    "unix_server",
];

// ---------------------------------------------------------------- harness

/// target/<profile>/examples, with every example freshly built.
fn examples_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let exe = std::env::current_exe().expect("current_exe");
        let profile_dir =
            exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>");
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.args(["build", "--quiet", "--examples"]).current_dir(env!("CARGO_MANIFEST_DIR"));
        match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => {}
            Some("release") => {
                cmd.arg("--release");
            }
            Some(other) => {
                cmd.args(["--profile", other]);
            }
        }
        // Build where this test lives, even if it was built with --target-dir.
        if let Some(root) = profile_dir.parent().filter(|r| r.join("CACHEDIR.TAG").exists()) {
            cmd.arg("--target-dir").arg(root);
        }
        let out = cmd.output().expect("run cargo build --examples");
        assert!(
            out.status.success(),
            "cargo build --examples failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        profile_dir.join("examples")
    })
}

/// What a finished program left.
struct Output {
    name: String,
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}\n--- stdout\n{}--- stderr\n{}---",
            self.name, self.status, self.stdout, self.stderr
        )
    }
}

impl Output {
    fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// The first stdout line containing `needle`, or a failure showing everything.
    fn line(&self, needle: &str) -> &str {
        self.stdout
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?} in\n{self}"))
    }

    fn count(&self, needle: &str) -> usize {
        self.stdout.lines().filter(|l| l.contains(needle)).count()
    }

    /// Asserts that `needles` appear on lines in this order (each one searched
    /// after the line of the previous one).
    fn in_order(&self, needles: &[&str]) {
        let lines = self.lines();
        let mut from = 0;
        for needle in needles {
            match lines[from..].iter().position(|l| l.contains(needle)) {
                Some(i) => from += i + 1,
                None => panic!("expected {needles:?} in this order; {needle:?} is missing\n{self}"),
            }
        }
    }

    fn assert_success(&self) {
        assert!(self.status.success(), "expected exit 0\n{self}");
        self.assert_no_panic();
    }

    fn assert_no_panic(&self) {
        assert!(!self.stderr.contains("panicked"), "the program panicked\n{self}");
    }
}

/// A running example: its stdout arrives line by line on a channel.
struct Running {
    name: String,
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
    stdout: Option<JoinHandle<()>>,
    stderr: Option<JoinHandle<String>>,
}

/// Sends each stdout line, with its line ending, as it arrives.
fn forward_lines(out: ChildStdout, tx: mpsc::Sender<String>) -> JoinHandle<()> {
    thread::spawn(move || {
        let mut out = BufReader::new(out);
        let mut line = Vec::new();
        loop {
            line.clear();
            match out.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if tx.send(String::from_utf8_lossy(&line).into_owned()).is_err() {
                        break;
                    }
                }
            }
        }
    })
}

impl Running {
    fn start(name: &str, args: &[&str], stdin: Option<&str>) -> Running {
        let path = examples_dir().join(name);
        let mut child = Command::new(&path)
            .args(args)
            .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", path.display()));
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            pipe.write_all(text.as_bytes()).expect("write the example's stdin");
        } // the pipe is closed here: the program sees end of input after `text`
        let (tx, lines) = mpsc::channel();
        let stdout = forward_lines(child.stdout.take().expect("stdout"), tx);
        let mut err = child.stderr.take().expect("stderr");
        let stderr = thread::spawn(move || {
            let mut s = Vec::new();
            let _ = err.read_to_end(&mut s);
            String::from_utf8_lossy(&s).into_owned()
        });
        Running {
            name: name.to_string(),
            child,
            lines,
            seen: Vec::new(),
            stdout: Some(stdout),
            stderr: Some(stderr),
        }
    }

    /// Waits for a stdout line containing `needle`; fails (killing the program)
    /// if none comes within TIMEOUT.
    fn wait_line(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line.trim_end().to_string();
                    }
                }
                Err(_) => {
                    let out = self.kill();
                    panic!("no line with {needle:?} (program ended or timed out)\n{out}");
                }
            }
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the program to exit (killing it after TIMEOUT) and collects its output.
    fn finish(mut self) -> Output {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if self.child.try_wait().expect("try_wait").is_some() {
                return self.collect();
            }
            if Instant::now() >= deadline {
                let out = self.kill();
                panic!("did not finish within {TIMEOUT:?}\n{out}");
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Ends a server that would run forever.
    fn kill(&mut self) -> Output {
        let _ = self.child.kill();
        self.collect()
    }

    fn collect(&mut self) -> Output {
        let status = self.child.wait().expect("wait");
        if let Some(h) = self.stdout.take() {
            let _ = h.join();
        }
        self.seen.extend(self.lines.try_iter());
        let stdout = self.seen.concat();
        let stderr = self.stderr.take().and_then(|h| h.join().ok()).unwrap_or_default();
        Output { name: self.name.clone(), status, stdout, stderr }
    }
}

/// A test that fails half-way must not leave a server running.
impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs an example to completion.
fn run(name: &str, args: &[&str], stdin: Option<&str>) -> Output {
    Running::start(name, args, stdin).finish()
}

/// Runs `name --demo` and checks that it exits 0 without a panic.
fn demo(name: &str) -> Output {
    let out = run(name, &["--demo"], None);
    out.assert_success();
    out
}

/// Bad arguments: exit status 1, `message` on stderr, no panic.
fn refuses(name: &str, args: &[&str], message: &str) {
    let out = run(name, args, None);
    assert_eq!(out.status.code(), Some(1), "{name} {args:?} should exit 1\n{out}");
    assert!(out.stderr.contains(message), "{name} {args:?}: expected {message:?} on stderr\n{out}");
    out.assert_no_panic();
}

/// The number ending a line like "server: listening on port 40123" or
/// "... 0.0.0.0:40123".
fn last_number<T: std::str::FromStr>(line: &str) -> T {
    let tail = line.rsplit([' ', ':']).next().unwrap_or("");
    tail.parse().unwrap_or_else(|_| panic!("no number at the end of {line:?}"))
}

fn port_of(line: &str) -> u16 {
    last_number(line)
}

/// `ctime`'s format without the newline: "Sat Nov 21 09:30:00 2026".
fn is_ctime(s: &str) -> bool {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    s.len() == 24
        && DAYS.contains(&&s[0..3])
        && MONTHS.contains(&&s[4..7])
        && b[3] == b' '
        && b[7] == b' '
        && (b[8] == b' ' || b[8].is_ascii_digit())
        && b[9].is_ascii_digit()
        && b[10] == b' '
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && b[19] == b' '
        && digits(20..24)
}

/// Children of `pid` and how many are zombies, from /proc.
fn children_of(pid: u32) -> (usize, usize) {
    let ppid = pid.to_string();
    let (mut all, mut zombies) = (0, 0);
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        let Some((_, rest)) = stat.rsplit_once(')') else { continue };
        let mut f = rest.split_whitespace();
        let (state, parent) = (f.next(), f.next());
        if parent == Some(ppid.as_str()) {
            all += 1;
            zombies += usize::from(state == Some("Z"));
        }
    }
    (all, zombies)
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("bsdsock-ex-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn wait_for_file(path: &Path) {
    let deadline = Instant::now() + TIMEOUT;
    while !path.exists() {
        assert!(Instant::now() < deadline, "{} never appeared", path.display());
        thread::sleep(Duration::from_millis(5));
    }
}

// ---------------------------------------------------------------- inventory

#[test]
fn every_example_is_tested_and_names_its_seed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .expect("examples/")
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".rs").map(str::to_string))
        .collect();
    found.sort();
    assert_eq!(found, ALL, "examples/ and this test's list differ: add a demo test");

    // The programs of the notes say which seed they follow and what they show.
    let ported = ALL.iter().filter(|n| {
        !["checkopts", "echo_poll", "echo_select", "hostent", "nonblock_connect", "tour"]
            .contains(n)
    });
    for name in ported {
        let text = std::fs::read_to_string(dir.join(format!("{name}.rs"))).expect("read example");
        let header: String =
            text.lines().take_while(|l| l.starts_with("//!")).collect::<Vec<_>>().join("\n");
        assert!(header.contains("shared/seeds/00"), "{name}.rs: the header names no seed file");
        assert!(header.contains("--demo"), "{name}.rs: the header does not show --demo");
    }
}

// ---------------------------------------------------------------- demos: the notes' programs

#[test]
fn server_demo() {
    let out = demo("server");
    out.in_order(&[
        "(client) Please enter the message: hey buddy, socket connection is made",
        "Here is the message: hey buddy, socket connection is made",
        "(client) I got your message",
    ]);
    assert_eq!(
        out.line("Here is the message"),
        "Here is the message: hey buddy, socket connection is made"
    );
}

#[test]
fn client_demo() {
    let out = demo("client");
    out.in_order(&[
        "Please enter the message: hey buddy, socket connection is made",
        "(server) Here is the message: hey buddy, socket connection is made",
        "I got your message",
    ]);
    assert!(out.lines().contains(&"I got your message"), "{out}");
    assert!(out.line("$ client localhost ").starts_with("$ client localhost "), "{out}");
}

#[test]
fn fork_server_demo() {
    let out = demo("fork_server");
    // The problem, then the cure.
    out.line("without a handler: child");
    out.line("zombies: 1 (state Z in /proc)");
    let server_pid: u32 =
        last_number(out.line("server: pid ").split(" listening").next().unwrap_or(""));
    // One process per connection: five different pids, none of them the server's.
    let pids: HashSet<&str> = out
        .lines()
        .into_iter()
        .filter(|l| l.contains("] Here is the message: hello from client "))
        .filter_map(|l| l.strip_prefix("[pid ")?.split(']').next())
        .collect();
    assert_eq!(pids.len(), 5, "expected 5 handler processes\n{out}");
    assert!(!pids.contains(server_pid.to_string().as_str()), "{out}");
    for i in 0..5 {
        out.line(&format!("(client {i}) I got your message"));
    }
    // Served last-first: an iterative server could not have done it.
    out.in_order(&["(client 4) I got your message", "(client 0) I got your message"]);
    out.line("SIGCHLD handler reaped 6 children");
    out.line("children left: 0, zombies: 0");
    out.line("waitpid(-1, WNOHANG) -> -1 ECHILD (No child processes)");
}

#[test]
fn thread_server_demo() {
    let out = demo("thread_server");
    assert_eq!(out.count("] Here is the message: hello from client "), 5, "{out}");
    for i in 0..5 {
        out.line(&format!("[thread {i}] Here is the message: hello from client {i}"));
        out.line(&format!("(client {i}) I got your message"));
    }
    out.in_order(&["(client 4) I got your message", "(client 0) I got your message"]);
    out.line("server: 5 connections served by 5 threads, all joined");
}

#[test]
fn udp_server_demo() {
    let out = demo("udp_server");
    assert_eq!(out.count("Received a datagram: "), 3, "{out}");
    assert_eq!(out.count("(client) Got an ack: Got your message"), 3, "{out}");
    out.in_order(&[
        "Received a datagram: first datagram",
        "Received a datagram: second datagram",
        "Received a datagram: third datagram",
    ]);
}

#[test]
fn udp_client_demo() {
    let out = demo("udp_client");
    out.in_order(&[
        "Please enter the message: a datagram for the server",
        "(server) Received a datagram: a datagram for the server",
        "Got an ack: Got your message",
    ]);
}

#[test]
fn udp_client_timeout_demo() {
    let out = demo("udp_client_timeout");
    out.in_order(&[
        "try 1/3: sendto",
        "(server) dropped datagram 1 on purpose: are you there?",
        "try 1/3: no ack within 300ms: recvfrom: Resource temporarily unavailable (EAGAIN)",
        "try 2/3: sendto",
        "(server) Received a datagram: are you there?",
        "Got an ack: Got your message",
    ]);
    assert_eq!(out.count("try 3/3"), 0, "one loss, one retry\n{out}");
}

#[test]
fn unix_server_demo() {
    let out = demo("unix_server");
    out.in_order(&[
        "(client) Please enter your message: hello over a Unix-domain socket",
        "A connection has been established",
        "hello over a Unix-domain socket",
        "(client) The return message was",
        "(client) I got your message",
    ]);
    assert!(out.line("exists while serving").ends_with("exists while serving: true"), "{out}");
    assert!(out.line("server: exited;").ends_with("exists: false"), "{out}");
}

#[test]
fn unix_client_demo() {
    let out = demo("unix_client");
    out.in_order(&[
        "Please enter your message: hello over a Unix-domain socket",
        "(server) A connection has been established",
        "The return message was",
        "I got your message",
    ]);
}

#[test]
fn daytime_server_demo() {
    let out = demo("daytime_server");
    assert_eq!(out.count("connection from 127.0.0.1, port "), 3, "{out}");
    let times: Vec<&str> =
        out.lines().into_iter().filter_map(|l| l.strip_prefix("(client) ")).collect();
    assert_eq!(times.len(), 3, "{out}");
    assert!(times.iter().all(|t| is_ctime(t)), "not ctime's format\n{out}");
}

#[test]
fn daytime_client_demo() {
    let out = demo("daytime_client");
    out.line("(server) connection from 127.0.0.1:");
    let time = out.lines().last().copied().unwrap_or("");
    assert!(is_ctime(time), "last line {time:?} is not ctime's format\n{out}");
}

#[test]
fn time_wait_demo() {
    let out = demo("time_wait");
    let first = out.line("server: bind + listen on 127.0.0.1:");
    let port = port_of(first);
    out.line("TCP_INFO: listener TCP_LISTEN, server conn TCP_ESTABLISHED, client TCP_ESTABLISHED");
    assert_eq!(out.count("TCP_INFO: server conn TCP_FIN_WAIT2, client TCP_CLOSE_WAIT"), 2, "{out}");
    assert_eq!(out.count("netstat: 127.0.0.1:"), 2, "{out}");
    assert_eq!(out.count("TCP_TIME_WAIT"), 2, "{out}");
    out.line(&format!("netstat: 127.0.0.1:{port} <-> 127.0.0.1:"));
    // Round 1: the restart on the same port fails; round 2: it succeeds.
    assert_eq!(
        out.line("restart without SO_REUSEADDR"),
        format!(
            "restart without SO_REUSEADDR: bind(127.0.0.1:{port}) -> \
             bind: Address already in use (EADDRINUSE)"
        )
    );
    let second = port_of(out.line("server: setsockopt(SO_REUSEADDR, 1), bind + listen on"));
    assert_eq!(
        out.line("restart with SO_REUSEADDR:"),
        format!("restart with SO_REUSEADDR: bind(127.0.0.1:{second}) -> ok, listening again")
    );
    out.line("restarted server: accepted a new client");
}

#[test]
fn linger_demo() {
    let out = demo("linger");
    out.in_order(&[
        "server: getsockopt(SO_LINGER) -> None",
        "client: recv -> 0: end of file, the server sent FIN",
        "client: TCP_INFO state TCP_CLOSE_WAIT",
        "-> TCP_FIN_WAIT2",
        "client: close(); netstat: server side 127.0.0.1:",
        "server: setsockopt(SO_LINGER, Some(0s)) -> Some(0ns)",
        "client: recv -> recv: Connection reset by peer (ECONNRESET)",
        "client: TCP_INFO state TCP_CLOSE",
        "-> no entry (no TIME_WAIT after an RST)",
        "again without SO_REUSEADDR -> ok",
    ]);
    assert!(out.line("client: close(); netstat").ends_with("TCP_TIME_WAIT"), "{out}");

    // Part 3: a positive linger makes close() wait for the ACK of the queued data.
    let ms = |needle: &str| -> u64 { last_number(out.line(needle).trim_end_matches(" ms")) };
    let queued: usize = out
        .line("server: SO_LINGER off: ")
        .split(": ")
        .nth(2)
        .and_then(|t| t.split(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("no byte count\n{out}"));
    assert!(queued > 0, "{out}");
    let read = format!("client: read {queued} bytes, then end of file");
    assert_eq!(out.count(&read), 2, "the queued data arrives in both cases\n{out}");
    assert!(ms("the client reads after 300 ms") >= 250, "close() did not wait for the ACK\n{out}");
    assert!(ms("the client never reads") >= 900, "close() did not linger 1 s\n{out}");
}

#[test]
fn throughput_demo() {
    let out = demo("throughput");
    out.in_order(&[
        "TCP BETWEEN PROGRAMS ON SAME COMPUTER (127.0.0.1)",
        "PIPE BETWEEN TWO THREADS",
        "MEMORY COPY (memcpy)",
    ]);
    assert_eq!(out.count("  Buffer Size |   Average   | Standard Deviation"), 2, "{out}");
    assert_eq!(out.count("Transfer Size |   Average   | Standard Deviation"), 1, "{out}");
    let rows: Vec<(usize, f64, f64)> = out
        .lines()
        .into_iter()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('|').map(str::trim).collect();
            Some((f.first()?.parse().ok()?, f.get(1)?.parse().ok()?, f.get(2)?.parse().ok()?))
        })
        .collect();
    let sizes: Vec<usize> = (10..20).map(|k| 1usize << k).collect(); // 1K .. 512K
    assert_eq!(rows.len(), 30, "three tables of ten rows\n{out}");
    for (table, chunk) in rows.chunks(10).enumerate() {
        let got: Vec<usize> = chunk.iter().map(|r| r.0).collect();
        assert_eq!(got, sizes, "table {table}\n{out}");
        for &(size, mean, sd) in chunk {
            assert!(mean.is_finite() && mean > 0.0, "size {size}: average {mean}\n{out}");
            assert!(sd.is_finite() && sd >= 0.0, "size {size}: deviation {sd}\n{out}");
        }
    }
}

// ---------------------------------------------------------------- demos: the other issues' examples

#[test]
fn tour_demo() {
    let out = demo("tour");
    out.in_order(&[
        "server: Here is the message: hey buddy, socket connection is made",
        "client: I got your message",
        "client: Got an ack from 127.0.0.1:",
        "server: Here is the message: hello over a Unix socket",
        "tour complete",
    ]);
    assert!(out.line("client: Got an ack from").ends_with(": Got your message"), "{out}");
}

#[test]
fn checkopts_demo() {
    let out = demo("checkopts");
    for line in [
        "SO_BROADCAST: default = off",
        "SO_LINGER: default = l_onoff = 0, l_linger = 0",
        "SO_RCVTIMEO: default = 0 sec, 0 usec",
        "SO_REUSEADDR: default = off",
        "SO_TYPE: default = 1",
        "IP_TTL: default = 64",
        "TCP_NODELAY: default = off",
    ] {
        assert!(out.lines().contains(&line), "missing {line:?}\n{out}");
    }
    let rcvbuf: usize =
        out.line("SO_RCVBUF: default = ").rsplit(' ').next().unwrap().parse().unwrap();
    assert!(rcvbuf > 0, "{out}");
}

#[test]
fn hostent_demo() {
    let out = demo("hostent");
    assert!(out.lines().contains(&"official hostname: localhost"), "{out}");
    assert!(out.lines().contains(&"address type: AF_INET"), "{out}");
    assert!(out.lines().contains(&"\taddress: 127.0.0.1"), "{out}");
}

#[test]
fn echo_select_demo() {
    let out = demo("echo_select");
    out.line("with one select() loop");
    out.line("100 clients served concurrently, 300 echoed lines checked");
}

#[test]
fn echo_poll_demo() {
    let out = demo("echo_poll");
    out.line("with one poll() loop");
    out.line("100 clients served concurrently, 300 echoed lines checked");
}

#[test]
fn nonblock_connect_demo() {
    let out = demo("nonblock_connect");
    assert!(out.line("listening port :").contains(": connected to 127.0.0.1:"), "{out}");
    out.line("closed port    : connect: Connection refused (ECONNREFUSED)");
    out.line("full listener  : connect: Connection timed out (ETIMEDOUT)");
    assert_eq!(out.count("-> -1 EINPROGRESS"), 3, "{out}");
    out.line("getsockopt(SO_ERROR)            -> 0 (connected)");
    out.line("getsockopt(SO_ERROR)            -> ECONNREFUSED");
    out.line("(nothing within the timeout: connect_timeout reports ETIMEDOUT)");
}

// ---------------------------------------------------------------- the pairs as separate processes

#[test]
fn tcp_server_and_client_processes() {
    let mut server = Running::start("server", &["0"], None);
    let port = port_of(&server.wait_line("server: listening on port"));
    let client = run("client", &["localhost", &port.to_string()], Some("hello from the test\n"));
    client.assert_success();
    assert_eq!(client.stdout, "Please enter the message: I got your message\n", "{client}");
    let server = server.finish(); // serves one client, then exits like server.c
    server.assert_success();
    server.line("Here is the message: hello from the test");
}

#[test]
fn fork_server_process_leaves_no_zombies() {
    let mut server = Running::start("fork_server", &["0"], None);
    let port = port_of(&server.wait_line("listening on 0.0.0.0:")).to_string();
    for i in 0..3 {
        let c = run("client", &["localhost", &port], Some(&format!("message {i}\n")));
        c.assert_success();
        assert!(c.stdout.ends_with("I got your message\n"), "{c}");
        server.wait_line(&format!("] Here is the message: message {i}"));
    }
    // The handlers have exited; the SIGCHLD handler must have reaped them all.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut left = children_of(server.pid());
    while left != (0, 0) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
        left = children_of(server.pid());
    }
    let out = server.kill();
    assert_eq!(left, (0, 0), "children (all, zombies) left under the server\n{out}");
    assert_eq!(out.count("-> child pid"), 3, "{out}");
    out.assert_no_panic();
}

#[test]
fn thread_server_process() {
    let mut server = Running::start("thread_server", &["0"], None);
    let port = port_of(&server.wait_line("listening on 0.0.0.0:")).to_string();
    for i in 0..2 {
        let c = run("client", &["localhost", &port], Some(&format!("message {i}\n")));
        c.assert_success();
        server.wait_line(&format!("] Here is the message: message {i}"));
    }
    server.kill().assert_no_panic();
}

#[test]
fn udp_processes() {
    let mut server = Running::start("udp_server", &["0"], None);
    let port = port_of(&server.wait_line("server: listening on port")).to_string();

    let c = run("udp_client", &["localhost", &port], Some("datagram from the test\n"));
    c.assert_success();
    assert_eq!(c.stdout, "Please enter the message: Got an ack: Got your message\n", "{c}");
    server.wait_line("Received a datagram: datagram from the test");

    let c = run("udp_client_timeout", &["localhost", &port, "2000", "2"], Some("again\n"));
    c.assert_success();
    assert_eq!(c.count("try 1/2: sendto 127.0.0.1:"), 1, "{c}");
    c.line("Got an ack: Got your message");
    server.wait_line("Received a datagram: again");
    server.kill().assert_no_panic();
}

#[test]
fn udp_client_timeout_gives_up() {
    // A bound socket that never answers: every try times out.
    let silent = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind udp");
    let port = silent.local_addr().expect("local_addr").port().to_string();
    let out = run("udp_client_timeout", &["127.0.0.1", &port, "100", "2"], Some("hello?\n"));
    assert_eq!(out.status.code(), Some(1), "{out}");
    out.line("try 1/2: no ack within 100ms: recvfrom: Resource temporarily unavailable (EAGAIN)");
    out.line("try 2/2: no ack within 100ms");
    assert!(out.stderr.contains(&format!("no ack from 127.0.0.1:{port} after 2 tries")), "{out}");
    let mut buf = [0u8; 64];
    silent.set_read_timeout(Some(Duration::from_secs(1))).expect("timeout");
    for _ in 0..2 {
        let (n, _) = silent.recv_from(&mut buf).expect("both tries arrived");
        assert_eq!(&buf[..n], b"hello?\n");
    }
}

#[test]
fn unix_processes_and_socket_file_removal() {
    let dir = TempDir::new("unix");
    let path = dir.0.join("sock");
    let p = path.to_str().expect("utf-8 temp path");
    let server = Running::start("unix_server", &[p], None);
    wait_for_file(&path);
    let c = run("unix_client", &[p], Some("hi over AF_UNIX\n"));
    c.assert_success();
    assert_eq!(
        c.stdout, "Please enter your message: The return message was\nI got your message\n",
        "{c}"
    );
    let out = server.finish();
    out.assert_success();
    assert_eq!(out.stdout, "A connection has been established\nhi over AF_UNIX\n", "{out}");
    assert!(!path.exists(), "the server left its socket file\n{out}");
}

#[test]
fn unix_server_removes_its_file_on_sigterm() {
    let dir = TempDir::new("unix-term");
    let path = dir.0.join("sock");
    let server = Running::start("unix_server", &[path.to_str().expect("utf-8")], None);
    wait_for_file(&path);
    let pid = libc::pid_t::try_from(server.pid()).expect("pid");
    // SAFETY: kill(2) with a valid signal on our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let out = server.finish();
    assert_eq!(out.status.code(), Some(128 + libc::SIGTERM), "{out}");
    assert!(out.stderr.contains("stopped by signal 15"), "{out}");
    assert!(!path.exists(), "the socket file survived SIGTERM\n{out}");
    out.assert_no_panic();
}

#[test]
fn unix_server_keeps_a_file_it_did_not_create() {
    let dir = TempDir::new("unix-busy");
    let path = dir.0.join("sock");
    std::fs::write(&path, b"someone else's").expect("create file");
    refuses(
        "unix_server",
        &[path.to_str().expect("utf-8")],
        "bind: Address already in use (EADDRINUSE)",
    );
    assert_eq!(std::fs::read(&path).expect("still there"), b"someone else's");
}

#[test]
fn daytime_processes() {
    let mut server = Running::start("daytime_server", &["0"], None);
    let port = port_of(&server.wait_line("server: listening on port")).to_string();
    for _ in 0..2 {
        let c = run("daytime_client", &["localhost", &port], None);
        c.assert_success();
        // "%.24s\r\n", copied as it came.
        let line = c.stdout.strip_suffix("\r\n").unwrap_or_else(|| panic!("no CRLF\n{c}"));
        assert!(is_ctime(line), "{line:?}\n{c}");
        server.wait_line("connection from 127.0.0.1, port ");
    }
    server.kill().assert_no_panic();
}

#[test]
fn server_on_a_busy_port_reports_eaddrinuse() {
    let busy = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let port = busy.local_addr().expect("local_addr").port().to_string();
    refuses("server", &[&port], "server: bind: Address already in use (EADDRINUSE)");
}

// ---------------------------------------------------------------- bad arguments

#[test]
fn bad_arguments_get_usage_and_exit_1() {
    let long_path = format!("/tmp/{}", "x".repeat(200));
    let cases: &[(&str, &[&str], &str)] = &[
        ("server", &[], "ERROR, no port provided"),
        ("server", &["1", "2"], "usage: server PORT"),
        ("server", &["http"], "invalid port \"http\""),
        ("server", &["65536"], "invalid port \"65536\""),
        ("client", &[], "usage: client HOSTNAME PORT"),
        ("client", &["localhost"], "usage: client HOSTNAME PORT"),
        ("client", &["localhost", "-1"], "invalid port \"-1\""),
        ("client", &["256.1.1.1", "2000"], "HOST_NOT_FOUND"),
        ("fork_server", &[], "ERROR, no port provided"),
        ("fork_server", &["x"], "invalid port"),
        ("thread_server", &["1", "2"], "usage: thread_server PORT"),
        ("udp_server", &[], "ERROR, no port provided"),
        ("udp_client", &["localhost"], "usage: udp_client HOSTNAME PORT"),
        ("udp_client", &["localhost", "0"], "invalid port 0"),
        ("udp_client_timeout", &["localhost"], "usage: udp_client_timeout"),
        ("udp_client_timeout", &["localhost", "9", "0"], "must be at least 1"),
        ("udp_client_timeout", &["localhost", "9", "10", "x"], "invalid number of tries"),
        ("unix_server", &[], "usage: unix_server PATH"),
        ("unix_server", &[&long_path], "sun_path"),
        ("unix_client", &[], "usage: unix_client PATH"),
        ("unix_client", &[&long_path], "sun_path"),
        ("daytime_server", &["a", "b"], "usage: daytime_server"),
        ("daytime_server", &["x"], "invalid port"),
        ("daytime_client", &[], "usage: daytime_client HOST"),
        ("time_wait", &["x"], "usage: time_wait [--demo]"),
        ("linger", &["x"], "usage: linger [--demo]"),
        ("tour", &["x"], "usage: tour [--demo]"),
        ("throughput", &["--fast"], "usage: throughput"),
        ("throughput", &["0"], "MiB per run must be between 1 and"),
        ("throughput", &["1", "0"], "number of runs must be between 1 and"),
    ];
    let handles: Vec<_> = cases
        .iter()
        .map(|&(name, args, message)| {
            let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            thread::spawn(move || {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                refuses(name, &args, message);
            })
        })
        .collect();
    for h in handles {
        h.join().expect("a bad-argument case failed (see above)");
    }
}

#[test]
fn clients_without_input_report_it() {
    // No line on stdin: an error instead of sending nothing and waiting forever.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let port = listener.local_addr().expect("local_addr").port().to_string();
    let out = run("client", &["localhost", &port], Some(""));
    assert_eq!(out.status.code(), Some(1), "{out}");
    assert!(out.stderr.contains("end of input"), "{out}");
    out.assert_no_panic();
}
