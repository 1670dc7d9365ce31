//! Bad arguments and missing input: a usage message and exit 1, never a panic.

use std::net::{Ipv4Addr, TcpListener};
use std::thread;

use crate::harness::*;

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
        ("fd_pass", &["x"], "usage: fd_pass [--demo]"),
        ("fd_pass", &["--demo", "--child"], "usage: fd_pass [--demo]"),
        ("udp_pktinfo", &["x"], "usage: udp_pktinfo [--demo]"),
        ("gso", &["--demo", "x"], "usage: gso [--demo]"),
        ("echo_poll", &["--demo", "x"], "usage: echo_poll PORT"),
        ("echo_poll", &["--clients"], "--clients needs a number"),
        ("echo_poll", &["--clients", "0"], "--clients must be between 1 and 1000000"),
        ("echo_poll", &["--clients", "5", "--bytes", "x"], "--bytes must be between 1 and"),
        ("echo_poll", &["--bytes", "5"], "--bytes needs --clients"),
        ("echo_poll", &["--clients", "5", "--clients", "6"], "unexpected argument \"--clients\""),
        ("dead_peer", &[], "usage: dead_peer --demo | dead_peer HOST PORT"),
        ("dead_peer", &["--demo", "x"], "usage: dead_peer --demo"),
        ("dead_peer", &["127.0.0.1", "x"], "EAI_SERVICE"),
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
