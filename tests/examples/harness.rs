//! The harness: each example built once, run as a child process with bounded
//! waits, and its output collected for the assertions of the other modules.

use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc::{self, Receiver};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long any one program may run, or any one expected line take to appear.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// `<target-dir>/[<triple>/]<profile>/examples`, beside this test, with every
/// example freshly built for the same target and profile.
pub fn examples_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let (mut cmd, profile_dir) = crate::common::cargo_build();
        let out = cmd.arg("--examples").output().expect("run cargo build --examples");
        assert!(
            out.status.success(),
            "cargo build --examples failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        profile_dir.join("examples")
    })
}

/// What a finished program left.
pub struct Output {
    pub name: String,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
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
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// The first stdout line containing `needle`, or a failure showing everything.
    pub fn line(&self, needle: &str) -> &str {
        self.stdout
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?} in\n{self}"))
    }

    pub fn count(&self, needle: &str) -> usize {
        self.stdout.lines().filter(|l| l.contains(needle)).count()
    }

    /// Asserts that `needles` appear on lines in this order (each one searched
    /// after the line of the previous one).
    pub fn in_order(&self, needles: &[&str]) {
        let lines = self.lines();
        let mut from = 0;
        for needle in needles {
            match lines[from..].iter().position(|l| l.contains(needle)) {
                Some(i) => from += i + 1,
                None => panic!("expected {needles:?} in this order; {needle:?} is missing\n{self}"),
            }
        }
    }

    pub fn assert_success(&self) {
        assert!(self.status.success(), "expected exit 0\n{self}");
        self.assert_no_panic();
    }

    pub fn assert_no_panic(&self) {
        assert!(!self.stderr.contains("panicked"), "the program panicked\n{self}");
    }
}

/// A running example: its stdout arrives line by line on a channel.
pub struct Running {
    name: String,
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
    stdout: Option<JoinHandle<()>>,
    stderr: Option<JoinHandle<String>>,
}

/// Sends each stdout line, with its line ending, as it arrives.
pub fn forward_lines(out: ChildStdout, tx: mpsc::Sender<String>) -> JoinHandle<()> {
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
    pub fn start(name: &str, args: &[&str], stdin: Option<&str>) -> Running {
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
    pub fn wait_line(&mut self, needle: &str) -> String {
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

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the program to exit (killing it after TIMEOUT) and collects its output.
    pub fn finish(self) -> Output {
        self.finish_within(TIMEOUT)
    }

    /// Waits for the program to exit, killing it and failing after `limit`.
    pub fn finish_within(mut self, limit: Duration) -> Output {
        let deadline = Instant::now() + limit;
        loop {
            if self.child.try_wait().expect("try_wait").is_some() {
                return self.collect();
            }
            if Instant::now() >= deadline {
                let out = self.kill();
                panic!("did not finish within {limit:?}\n{out}");
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Ends a server that would run forever.
    pub fn kill(&mut self) -> Output {
        let _ = self.child.kill();
        self.collect()
    }

    pub fn collect(&mut self) -> Output {
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
pub fn run(name: &str, args: &[&str], stdin: Option<&str>) -> Output {
    Running::start(name, args, stdin).finish()
}

/// Runs `name --demo` and checks that it exits 0 without a panic.
pub fn demo(name: &str) -> Output {
    let out = run(name, &["--demo"], None);
    out.assert_success();
    out
}

/// Bad arguments: exit status 1, `message` on stderr, no panic.
pub fn refuses(name: &str, args: &[&str], message: &str) {
    let out = run(name, args, None);
    assert_eq!(out.status.code(), Some(1), "{name} {args:?} should exit 1\n{out}");
    assert!(out.stderr.contains(message), "{name} {args:?}: expected {message:?} on stderr\n{out}");
    out.assert_no_panic();
}

/// The number ending a line like "server: listening on port 40123" or
/// "... 0.0.0.0:40123".
pub fn last_number<T: std::str::FromStr>(line: &str) -> T {
    let tail = line.rsplit([' ', ':']).next().unwrap_or("");
    tail.parse().unwrap_or_else(|_| panic!("no number at the end of {line:?}"))
}

pub fn port_of(line: &str) -> u16 {
    last_number(line)
}

/// `ctime`'s format without the newline: "Sat Nov 21 09:30:00 2026".
pub fn is_ctime(s: &str) -> bool {
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
pub fn children_of(pid: u32) -> (usize, usize) {
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

pub fn wait_for_file(path: &Path) {
    let deadline = Instant::now() + TIMEOUT;
    while !path.exists() {
        assert!(Instant::now() < deadline, "{} never appeared", path.display());
        thread::sleep(Duration::from_millis(5));
    }
}
