//! `examples/checkopts.rs` against a C reference (`tests/c/checkopts.c`) built
//! with the system's C compiler: on the same machine their output must be
//! byte-identical, stdout and stderr.

// The example's table and the C reference are compared as Linux prints them.
#![cfg(target_os = "linux")]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::TempDir;

/// Builds the example with the cargo that runs this test, into this test's own
/// target directory, profile and target (a no-op when `cargo test` has built it
/// already), and returns its path.
fn example_binary() -> PathBuf {
    let (mut cmd, profile_dir) = common::cargo_build();
    let status =
        cmd.args(["--example", "checkopts"]).status().expect("run cargo build --example checkopts");
    assert!(status.success(), "cargo build --example checkopts failed");
    let bin = profile_dir.join("examples").join("checkopts");
    assert!(bin.exists(), "{} not built", bin.display());
    bin
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("run {cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out
}

#[test]
fn checkopts_matches_the_c_program_byte_for_byte() {
    let tmp = TempDir::new("checkopts");
    let c_bin = tmp.0.join("checkopts-c");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c/checkopts.c");
    run(Command::new("cc").arg("-o").arg(&c_bin).arg(&src));

    let c = run(&mut Command::new(&c_bin));
    let rust_bin = example_binary();
    let rust = run(&mut Command::new(&rust_bin));
    let demo = run(Command::new(&rust_bin).arg("--demo"));

    let c_out = String::from_utf8(c.stdout).expect("C output is text");
    let rust_out = String::from_utf8(rust.stdout).expect("Rust output is text");
    assert_eq!(rust_out, c_out, "stdout differs from the C program");
    assert_eq!(rust.stderr, c.stderr, "stderr differs from the C program");
    assert_eq!(String::from_utf8(demo.stdout).unwrap(), c_out, "--demo changes the output");

    // And the output is the checkopts table, not two identical empty strings.
    let names: Vec<&str> = c_out.lines().filter_map(|l| l.split(": ").next()).collect();
    assert_eq!(
        names,
        [
            "SO_BROADCAST",
            "SO_DEBUG",
            "SO_DONTROUTE",
            "SO_ERROR",
            "SO_KEEPALIVE",
            "SO_LINGER",
            "SO_OOBINLINE",
            "SO_RCVBUF",
            "SO_SNDBUF",
            "SO_RCVLOWAT",
            "SO_SNDLOWAT",
            "SO_RCVTIMEO",
            "SO_SNDTIMEO",
            "SO_REUSEADDR",
            "SO_REUSEPORT",
            "SO_TYPE",
            "IP_TOS",
            "IP_TTL",
            "IPV6_DONTFRAG",
            "IPV6_UNICAST_HOPS",
            "IPV6_V6ONLY",
            "TCP_MAXSEG",
            "TCP_NODELAY",
            "SCTP_AUTOCLOSE",
            "SCTP_MAXBURST",
            "SCTP_MAXSEG",
            "SCTP_NODELAY",
        ]
    );
    assert!(c_out.contains("SO_LINGER: default = l_onoff = 0, l_linger = 0\n"));
    assert!(c_out.contains("SO_RCVTIMEO: default = 0 sec, 0 usec\n"));
    assert!(c_out.contains(&format!("SO_TYPE: default = {}\n", libc::SOCK_STREAM)));
    assert!(c_out.contains("TCP_NODELAY: default = off\n"));
}

#[test]
fn checkopts_rejects_unknown_arguments() {
    let out = Command::new(example_binary()).arg("--bogus").output().expect("run checkopts");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: checkopts"));
}
