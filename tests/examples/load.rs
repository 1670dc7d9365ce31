//! echo_poll's load mode: thousands of loopback connections held at once, every
//! echoed byte checked, and the descriptor limit named when N cannot fit.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::thread;

use crate::harness::*;

/// The number after `key` in echo_poll's summary line.
fn field(line: &str, key: &str) -> u64 {
    let (_, rest) = line.split_once(key).unwrap_or_else(|| panic!("no {key:?} in {line:?}"));
    let digits: String = rest.trim_start().chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or_else(|_| panic!("no number after {key:?} in {line:?}"))
}

#[test]
fn echo_poll_holds_2000_connections_and_verifies_every_byte() {
    const CLIENTS: u64 = 2000;
    const BYTES: u64 = 4096;
    let out = run("echo_poll", &["--clients", "2000", "--bytes", "4096"], None);
    out.assert_success();
    let summary = out.line("summary: ");
    assert_eq!(field(summary, "connections "), CLIENTS, "{out}");
    // The server had every connection open at the same time.
    assert_eq!(field(summary, "concurrent "), CLIENTS, "{out}");
    assert_eq!(field(summary, "bytes verified "), CLIENTS * BYTES, "{out}");
    assert_eq!(field(summary, " of "), CLIENTS * BYTES, "{out}");
    assert_eq!(field(summary, "errors "), 0, "{out}");
    assert!(field(summary, "peak RSS ") > 0, "{out}");
    assert!(field(summary, "+ ") > 0, "the client process's peak RSS\n{out}");
}

/// echo_poll with RLIMIT_NOFILE set to `soft`/`hard` before it starts.
fn with_nofile(soft: u64, hard: u64, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(examples_dir().join("echo_poll"));
    cmd.args(args).stdin(Stdio::null());
    // SAFETY: the closure runs in the child between fork and exec, and calls
    // only setrlimit (a system call) on a local struct.
    unsafe {
        cmd.pre_exec(move || {
            let rl =
                libc::rlimit { rlim_cur: soft as libc::rlim_t, rlim_max: hard as libc::rlim_t };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &rl) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        })
    };
    cmd.output().expect("run echo_poll")
}

#[test]
fn echo_poll_raises_the_soft_descriptor_limit() {
    // 300 connections do not fit under a soft limit of 64, but do under the hard one.
    let out = with_nofile(64, 1024, &["--clients", "300", "--bytes", "100"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}\n{stdout}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("bytes verified 30000 of 30000, errors 0"), "{stdout}");
}

#[test]
fn echo_poll_names_rlimit_nofile_when_n_cannot_fit() {
    let out = with_nofile(64, 200, &["--clients", "300"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("RLIMIT_NOFILE's hard limit is 200"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn echo_poll_clients_catch_a_corrupted_echo() {
    // A server that echoes every byte but one: the client process, as the load
    // test starts it, must count each connection as an error.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let addr = listener.local_addr().expect("local_addr").to_string();
    let server = thread::spawn(move || {
        for _ in 0..3 {
            let (mut conn, _) = listener.accept().expect("accept");
            thread::spawn(move || {
                let mut buf = [0u8; 1000];
                conn.read_exact(&mut buf).expect("read 1000 bytes");
                buf[500] ^= 1;
                conn.write_all(&buf).expect("echo");
            });
        }
    });
    let out = run("echo_poll", &["--client-process", &addr, "3", "1000"], None);
    server.join().expect("server");
    // connections, bytes verified, errors, peak RSS, ms connecting.
    let report: Vec<u64> = out
        .line("client-process: ")
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().expect("a number"))
        .collect();
    assert_eq!(report[..3], [3, 3 * 500, 3], "{out}");
    assert_eq!(out.stderr.matches("wrong byte echoed at offset 500").count(), 3, "{out}");
}
