//! No send raises SIGPIPE. The Rust runtime sets SIGPIPE to "ignore" before main,
//! which would hide a missing MSG_NOSIGNAL in every other test, so this binary puts
//! the default action (terminate) back first. If any bsdsock send lacked
//! MSG_NOSIGNAL, this test process would die instead of failing politely.

mod common;

use std::io::Write;

use bsdsock::*;
use common::{tcp_pair, unix_pair};

fn restore_default_sigpipe() {
    // SAFETY: installing SIG_DFL for SIGPIPE is async-signal-safe and affects only
    // this test process.
    let prev = unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    assert_ne!(prev, libc::SIG_ERR);
}

/// Proves the setup is live: a raw send without MSG_NOSIGNAL in a forked child is
/// killed by SIGPIPE. Without this, the test below could pass for the wrong reason.
fn raw_send_in_child_dies_of_sigpipe() {
    let (a, b) = unix_pair();
    drop(b);
    use std::os::fd::AsRawFd;
    let fd = a.as_raw_fd();
    // SAFETY: the child only calls send and _exit, both async-signal-safe, so
    // forking a multi-threaded test process is sound.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // SAFETY: fd is a valid socket in the child (inherited); the buffer is static.
        unsafe {
            libc::send(fd, b"x".as_ptr().cast(), 1, 0);
            libc::_exit(0);
        }
    }
    let mut status = 0;
    // SAFETY: waiting for the child we just forked, status is a valid out pointer.
    let r = unsafe { libc::waitpid(pid, &mut status, 0) };
    assert_eq!(r, pid);
    assert!(libc::WIFSIGNALED(status), "child exited normally: status {status}");
    assert_eq!(libc::WTERMSIG(status), libc::SIGPIPE);
}

#[test]
fn sends_to_a_closed_peer_return_epipe_instead_of_killing_the_process() {
    restore_default_sigpipe();
    raw_send_in_child_dies_of_sigpipe();

    // send, sendto and io::Write on a stream whose peer is gone.
    let (a, b) = unix_pair();
    drop(b);
    assert_eq!(send(&a, b"x", MsgFlags::empty()).unwrap_err().errno(), Some(Errno::EPIPE));
    assert_eq!(
        sendto(&a, b"x", MsgFlags::empty(), &SockAddr::Unspec).unwrap_err().errno(),
        Some(Errno::EPIPE)
    );
    assert_eq!((&a).write(b"x").unwrap_err().raw_os_error(), Some(libc::EPIPE));

    // TCP over loopback: the peer closed, our first send draws an RST, the next EPIPE.
    let (c, conn) = tcp_pair();
    drop(conn);
    let mut last = None;
    for _ in 0..100 {
        match send(&c, b"x", MsgFlags::empty()) {
            Ok(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
            Err(e) => {
                last = e.errno();
                if last == Some(Errno::EPIPE) {
                    break;
                }
            }
        }
    }
    assert_eq!(last, Some(Errno::EPIPE), "the process is alive and got EPIPE");
}
