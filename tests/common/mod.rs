//! Helpers shared by the integration tests: temp dirs for Unix sockets, connected
//! socket pairs and loopback listeners, descriptor counting, raw reference
//! reads, and test data. Each test binary compiles this module on its own
//! (`mod common;`) and uses only part of it.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use bsdsock::{Domain, Errno, Protocol, SockAddr, Socket, Type, connect, socket, socketpair};

/// A non-blocking socket of the default protocol: `ty | SOCK_NONBLOCK` where
/// `Type::nonblocking` exists; on Apple, whose socket(2) takes no such flag,
/// `O_NONBLOCK` set by fcntl right after.
pub fn nonblocking_socket(domain: Domain, ty: Type) -> Socket {
    #[cfg(not(target_vendor = "apple"))]
    let s = socket(domain, ty.nonblocking(), Protocol::DEFAULT).unwrap();
    #[cfg(target_vendor = "apple")]
    let s = {
        let s = socket(domain, ty, Protocol::DEFAULT).unwrap();
        bsdsock::set_nonblocking(&s, true).unwrap();
        s
    };
    s
}

/// `cargo build` set up to build what this test binary was built with: the same
/// cargo, target directory, profile and target triple (`--target` when the test
/// was cross-built, e.g. by `cargo test --target i686-unknown-linux-gnu` or a
/// sanitizer run), plus the profile directory where the build's examples land.
///
/// The test runs from `<target-dir>/<profile>/deps/`, or from
/// `<target-dir>/<triple>/<profile>/deps/` when cargo was given `--target`.
/// Flags such as `-Zbuild-std` reach the nested cargo through the environment it
/// inherits (`CARGO_UNSTABLE_BUILD_STD`, `RUSTFLAGS`, ...).
pub fn cargo_build() -> (Command, PathBuf) {
    let exe = std::env::current_exe().expect("current_exe");
    let profile_dir = exe.parent().and_then(Path::parent).expect("<profile>/deps/<test>");
    let above = profile_dir.parent().expect("the directory above <profile>");
    let target = env!("BSDSOCK_TARGET");
    let cross = above.file_name().is_some_and(|n| n == target);
    let target_dir = if cross { above.parent().expect("<target-dir>/<triple>") } else { above };
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev",
        Some("release") => "release",
        Some(other) => other,
    };
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args(["build", "--quiet", "--profile", profile])
        .arg("--target-dir")
        .arg(target_dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    if cross {
        cmd.args(["--target", target]);
    }
    (cmd, profile_dir.to_path_buf())
}

/// `strerror(3)` of the C library the tests run on, read at run time: tests
/// compare an error's text with this rather than with one C library's wording
/// (glibc says "Address already in use" where musl says "Address in use").
pub fn strerror(code: i32) -> String {
    // SAFETY: strerror returns a NUL-terminated string that stays valid until the
    // next strerror call on this thread; it is copied at once.
    unsafe { std::ffi::CStr::from_ptr(libc::strerror(code)) }.to_string_lossy().into_owned()
}

/// `gai_strerror(3)` of the C library the tests run on (see [`strerror`]).
pub fn gai_strerror(code: i32) -> String {
    // SAFETY: gai_strerror returns a constant NUL-terminated string; copied at once.
    unsafe { std::ffi::CStr::from_ptr(libc::gai_strerror(code)) }.to_string_lossy().into_owned()
}

/// `hstrerror(3)` of the C library the tests run on (see [`strerror`]).
pub fn hstrerror(code: i32) -> String {
    // SAFETY: hstrerror returns a constant NUL-terminated string; copied at once.
    unsafe { std::ffi::CStr::from_ptr(libc::hstrerror(code)) }.to_string_lossy().into_owned()
}

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// Creates `bsdsock-<tag>-<pid>-<n>`, emptied first should a crashed run have
    /// left one behind.
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!("bsdsock-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    /// A path inside the directory.
    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A TCP listener on 127.0.0.1 with a port the kernel picked, and its address.
pub fn tcp_listener(backlog: i32) -> (Socket, SockAddr) {
    let l = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    l.bind(&"127.0.0.1:0".parse().unwrap()).unwrap();
    l.listen(backlog).unwrap();
    let a = l.getsockname().unwrap();
    (l, a)
}

/// A connected TCP pair over loopback (127.0.0.1, port 0): the client, then the
/// server side accepted from a listener that is closed again before returning.
pub fn tcp_pair() -> (Socket, Socket) {
    let (l, addr) = tcp_listener(1);
    let c = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    c.connect(&addr).unwrap();
    let (s, _) = l.accept().unwrap();
    (c, s)
}

/// A connected pair of blocking Unix stream sockets (`socketpair(AF_UNIX,
/// SOCK_STREAM)`).
pub fn unix_pair() -> (Socket, Socket) {
    socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap()
}

/// An address that refuses connections: a loopback TCP socket bound (so nobody
/// else can take the port while it lives) but not listening.
pub fn refusing() -> (Socket, SockAddr) {
    let s = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap();
    s.bind(&"127.0.0.1:0".parse().unwrap()).unwrap();
    let a = s.getsockname().unwrap();
    (s, a)
}

/// A loopback listener whose accept queue is full, so that the SYN of any further
/// connect is dropped and the connect stays pending: listen(0) and a few
/// connections that are never accepted. Returns the listener, its address and the
/// connections filling the queue (keep them alive as long as the queue must stay
/// full).
pub fn full_listener() -> (Socket, SockAddr, Vec<Socket>) {
    let (l, addr) = tcp_listener(0);
    let mut fillers = Vec::new();
    for _ in 0..4 {
        let c = nonblocking_socket(Domain::INET, Type::STREAM);
        match connect(&c, &addr) {
            Ok(()) => {}
            Err(e) => assert_eq!(e.errno(), Some(Errno::EINPROGRESS)),
        }
        fillers.push(c);
        // Let each handshake (or SYN drop) happen before the next.
        thread::sleep(Duration::from_millis(20));
    }
    (l, addr, fillers)
}

/// For a test that counts the whole process's descriptors, which the binary's
/// other tests open and close in parallel: in the test's own run, runs it again
/// alone in a child process of this test binary, asserts that the child passed
/// and returns false; in that child returns true (count there).
pub fn alone(test: &str) -> bool {
    const CHILD: &str = "BSDSOCK_TEST_ALONE";
    if std::env::var_os(CHILD).is_some_and(|v| v == test) {
        return true;
    }
    let out = Command::new(std::env::current_exe().expect("current_exe"))
        .args(["--exact", test, "--test-threads=1", "--nocapture"])
        .env(CHILD, test)
        .output()
        .expect("run the test binary");
    let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && text.contains("1 passed"), "{test} run alone:\n{text}");
    false
}

/// The descriptor numbers open in this process right now (the directory handle
/// that reads them included, the same way every time).
pub fn open_fds() -> BTreeSet<String> {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect()
}

/// Fails with the descriptors that appeared or vanished since `before`, if any did.
pub fn assert_same_fds(before: &BTreeSet<String>, what: &str) {
    let after = open_fds();
    let opened: Vec<_> = after.difference(before).collect();
    let closed: Vec<_> = before.difference(&after).collect();
    assert!(opened.is_empty() && closed.is_empty(), "{what}: opened {opened:?}, closed {closed:?}");
}

/// Raw `getsockopt` of an int option, as a reference independent of bsdsock.
pub fn raw_sockopt_int(fd: &impl AsRawFd, level: i32, name: i32) -> i32 {
    let mut v: libc::c_int = -1;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: v and len are valid for writes and len holds v's size.
    let rc = unsafe {
        libc::getsockopt(fd.as_raw_fd(), level, name, (&mut v as *mut i32).cast(), &mut len)
    };
    assert_eq!(rc, 0, "getsockopt({level}, {name})");
    v
}

/// A reproducible byte pattern that is not periodic at any small stride, so a
/// lost, duplicated or reordered chunk shows up as a mismatch.
pub fn pattern(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}
