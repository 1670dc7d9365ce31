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

#[path = "../common/mod.rs"]
mod common;

mod arguments;
mod demos;
mod harness;
mod load;
mod processes;

use std::path::Path;

/// Every example in examples/, each of which has a demo test in `demos`.
const ALL: [&str; 24] = [
    "checkopts",
    "client",
    "daytime_client",
    "daytime_server",
    "dead_peer",
    "echo_poll",
    "echo_select",
    "fd_pass",
    "fork_server",
    "gso",
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
    "udp_pktinfo",
    "udp_server",
    "unix_client",
    "unix_server",
];

/// Examples that follow no program of the notes (no shared/seeds/ file): they
/// show features the notes do not cover (issue 13's control messages), or run
/// what the notes tell only in prose (dead_peer: keep-alive). Their header says
/// so ("Not from the notes") and shows `--demo`, which is checked.
const NOT_FROM_NOTES: [&str; 4] = ["dead_peer", "fd_pass", "gso", "udp_pktinfo"];

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

    // The ported C programs say which seed they follow and what they show.
    let ported = ALL.iter().filter(|n| {
        !["checkopts", "echo_poll", "echo_select", "hostent", "nonblock_connect", "tour"]
            .contains(n)
            && !NOT_FROM_NOTES.contains(n)
    });
    for name in ported {
        let text = std::fs::read_to_string(dir.join(format!("{name}.rs"))).expect("read example");
        let header: String =
            text.lines().take_while(|l| l.starts_with("//!")).collect::<Vec<_>>().join("\n");
        assert!(header.contains("shared/seeds/00"), "{name}.rs: the header names no seed file");
        assert!(header.contains("--demo"), "{name}.rs: the header does not show --demo");
    }
    for name in NOT_FROM_NOTES {
        assert!(ALL.contains(&name), "{name} is not in ALL");
        let text = std::fs::read_to_string(dir.join(format!("{name}.rs"))).expect("read example");
        // The header's words, its lines joined (a phrase may wrap).
        let header: String = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| l.trim_start_matches("//!").trim())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(header.contains("Not from the notes"), "{name}.rs: the header does not say so");
        assert!(header.contains("--demo"), "{name}.rs: the header does not show --demo");
    }
}
