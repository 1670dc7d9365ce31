//! Options that need privileges (CAP_NET_ADMIN, CAP_NET_RAW).
//!
//! Which path runs is printed and both assert something real:
//! - as root: each option round-trips against raw libc, and a child process that
//!   has dropped to uid/gid 65534 (and so lost every capability) gets the typed
//!   `EPERM` (`EACCES` for SO_DEBUG) for each;
//! - unprivileged: the same denials in this process (a root round trip is then
//!   impossible, and said so).

// Linux capabilities (capabilities(7)) and Linux-only options.
#![cfg(target_os = "linux")]

mod common;
mod opt_common;

use bsdsock::Errno;
use opt_common::is_root;
use opt_common::privileged::{Case, cases};

#[test]
fn privileged_options_round_trip_as_root() {
    let cases = cases();
    if is_root() {
        eprintln!("running as root: round-tripping {} privileged options", cases.len());
        for c in &cases {
            eprintln!("  {}", c.name);
            (c.round_trip)();
        }
    } else {
        eprintln!(
            "not root: privileged options cannot round-trip here; checking that each is denied"
        );
        for c in &cases {
            assert_eq!((c.attempt)(), Some(c.denied), "{} without privileges", c.name);
        }
    }
}

#[test]
fn privileged_options_are_denied_without_privileges() {
    let cases = cases();
    let results = if is_root() {
        eprintln!("running as root: checking the denials in a child that drops to uid 65534");
        run_unprivileged(&cases)
    } else {
        eprintln!("not root: checking the denials in this process");
        cases.iter().map(|c| (c.attempt)()).collect()
    };
    assert_eq!(results.len(), cases.len());
    for (c, got) in cases.iter().zip(results) {
        assert_eq!(got, Some(c.denied), "{} without privileges", c.name);
    }
}

/// Runs every attempt in a forked child that has given up root (setgroups,
/// setgid, setuid to 65534: all capabilities go with uid 0), and collects the
/// errnos through a pipe. The child only makes system calls and never allocates,
/// as it must in a fork of a threaded process.
fn run_unprivileged(cases: &[Case]) -> Vec<Option<Errno>> {
    let mut fds = [-1; 2];
    // SAFETY: fds is a valid array of two ints.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    let [rd, wr] = fds;
    // SAFETY: fork has no preconditions; the child below only calls
    // async-signal-safe functions and allocation-free code, then _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // SAFETY: plain system calls on integers and our own pipe; _exit never
        // returns and runs no destructors or atexit handlers.
        unsafe {
            libc::close(rd);
            if libc::setgroups(0, std::ptr::null()) != 0
                || libc::setgid(65534) != 0
                || libc::setuid(65534) != 0
                || libc::geteuid() == 0
            {
                libc::_exit(100);
            }
            for c in cases {
                let code: i32 = (c.attempt)().map_or(0, |e| e.as_raw());
                if libc::write(wr, (&code as *const i32).cast(), 4) != 4 {
                    libc::_exit(101);
                }
            }
            libc::_exit(0);
        }
    }
    // SAFETY: wr is our copy of the pipe's write end, no longer needed.
    unsafe { libc::close(wr) };
    let mut bytes = Vec::new();
    let mut buf = [0u8; 256];
    loop {
        // SAFETY: buf is valid for writes of its length.
        let n = unsafe { libc::read(rd, buf.as_mut_ptr().cast(), buf.len()) };
        assert!(n >= 0, "read from the child failed");
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buf[..n as usize]);
    }
    // SAFETY: rd is ours.
    unsafe { libc::close(rd) };
    let mut status = 0;
    // SAFETY: pid is our child; status is a valid int.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status), "child did not exit normally: {status:#x}");
    assert_eq!(libc::WEXITSTATUS(status), 0, "child could not drop privileges or report");
    bytes
        .chunks_exact(4)
        .map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        .map(|code| (code != 0).then(|| Errno::from_raw(code)))
        .collect()
}
