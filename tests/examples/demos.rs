//! Every example with `--demo`, its transcript checked line by line.

use std::collections::HashSet;

use crate::harness::*;

// ---------------------------------------------------------------- the ported C programs

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
    out.line(&format!(
        "waitpid(-1, WNOHANG) -> -1 ECHILD ({})",
        crate::common::strerror(libc::ECHILD)
    ));
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
        &format!(
            "try 1/3: no ack within 300ms: recvfrom: {} (EAGAIN)",
            crate::common::strerror(libc::EAGAIN)
        ),
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
            "restart without SO_REUSEADDR: bind(127.0.0.1:{port}) -> bind: {} (EADDRINUSE)",
            crate::common::strerror(libc::EADDRINUSE)
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
        &format!(
            "client: recv -> recv: {} (ECONNRESET)",
            crate::common::strerror(libc::ECONNRESET)
        ),
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

// ---------------------------------------------------------------- the other examples

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
    out.line(&format!(
        "closed port    : connect: {} (ECONNREFUSED)",
        crate::common::strerror(libc::ECONNREFUSED)
    ));
    out.line(&format!(
        "full listener  : connect: {} (ETIMEDOUT)",
        crate::common::strerror(libc::ETIMEDOUT)
    ));
    assert_eq!(out.count("-> -1 EINPROGRESS"), 3, "{out}");
    out.line("getsockopt(SO_ERROR)            -> 0 (connected)");
    out.line("getsockopt(SO_ERROR)            -> ECONNREFUSED");
    out.line("(nothing within the timeout: connect_timeout reports ETIMEDOUT)");
}

// ---------------------------------------------------------------- control messages (issue 13)

#[test]
fn fd_pass_demo() {
    let out = demo("fd_pass");
    out.in_order(&[
        "parent: opened ",
        "parent: listening on 127.0.0.1:",
        "parent: pid ",
        "parent: sendmsg: 1 byte + SCM_RIGHTS [file, listener]",
        "parent: closed its file and listener",
        "parent: read 7800 bytes from 127.0.0.1:",
        "parent: the bytes match the file",
    ]);
    // The child is another process, and got both descriptors close-on-exec.
    let started = out.line(" started child pid ");
    let child: u32 = last_number(started);
    let parent: u32 = last_number(started.split(" started").next().unwrap_or(""));
    out.in_order(&[
        &format!("[child {child}] recvmsg: 1 byte + 2 descriptors (close-on-exec: true)"),
        &format!("[child {child}] accepted 127.0.0.1:"),
        &format!("[child {child}] served 7800 bytes from the file it was given"),
    ]);
    assert_ne!(child, parent, "{out}");
}

#[test]
fn udp_pktinfo_demo() {
    let out = demo("udp_pktinfo");
    if cfg!(not(target_os = "linux")) {
        out.line("need Linux");
        return;
    }
    out.line("server: bound to 0.0.0.0:");
    // The server sees where each datagram went, its TTL and TOS.
    out.in_order(&[
        "server: \"hello 127.0.0.1\" from 127.0.0.1:",
        "server: \"hello 127.0.0.2\" from 127.0.0.1:",
        "server: \"plain\" from 127.0.0.1:",
    ]);
    assert!(
        out.line("\"hello 127.0.0.1\" from")
            .ends_with("to 127.0.0.1 (interface 1) TTL 64 TOS 0x10")
    );
    assert!(
        out.line("\"hello 127.0.0.2\" from")
            .ends_with("to 127.0.0.2 (interface 1) TTL 17 TOS 0x08")
    );
    assert!(out.line("server: \"plain\"").ends_with("to 127.0.0.2 (interface 1) TTL 33 TOS 0x00"));
    // Answered from the address each client sent to; without IP_PKTINFO, not.
    let port: u16 =
        last_number(out.line("server: bound to 0.0.0.0:").split(' ').nth(3).unwrap_or(""));
    out.line(&format!(
        "client: sent \"hello 127.0.0.1\" to 127.0.0.1:{port}, answer \"re: hello 127.0.0.1\" \
         from 127.0.0.1:{port}: the address it sent to"
    ));
    out.line(&format!(
        "client: sent \"hello 127.0.0.2\" to 127.0.0.2:{port}, answer \"re: hello 127.0.0.2\" \
         from 127.0.0.2:{port}: the address it sent to"
    ));
    out.line(&format!(
        "client: sent \"plain\" to 127.0.0.2:{port}, answer \"re: plain\" from 127.0.0.1:{port}: \
         another address"
    ));
    out.line("every IP_PKTINFO answer came from the address its client sent to");
}

#[test]
fn gso_demo() {
    let out = demo("gso");
    if cfg!(not(target_os = "linux")) {
        out.line("need Linux");
        return;
    }
    assert_eq!(
        out.count("sender: one sendmsg of 64768 bytes with UDP_SEGMENT 1472 to 127.0.0.1:"),
        2
    );
    out.in_order(&[
        "plain receiver: 44 recvfrom calls, 44 datagrams of 1472 bytes, 64768 bytes in all",
        "plain receiver: the bytes match",
        "GRO receiver: one recvmsg, 64768 bytes, UDP_GRO segment size 1472",
        "GRO receiver: the bytes match (44 segments of 1472)",
    ]);
}

// ---------------------------------------------------------------- a virtual network

/// Needs root and `ip` to build its namespaces; without them it exits 77 and
/// says why, which skips this test (never under CI).
#[test]
fn dead_peer_demo() {
    let out = run("dead_peer", &["--demo"], None);
    if out.status.code() == Some(77) {
        out.assert_no_panic();
        assert!(out.stderr.contains("--demo cannot build its network"), "{out}");
        assert!(std::env::var("CI").as_deref() != Ok("true"), "cannot skip under CI\n{out}");
        eprintln!("skipped: {}", out.stderr.trim());
        return;
    }
    out.assert_success();
    out.in_order(&[
        "server: listening on 192.0.2.2:",
        "client: connection 1 with SO_KEEPALIVE, TCP_KEEPIDLE 1s, TCP_KEEPINTVL 1s, TCP_KEEPCNT 3",
        "client: connection 2 without SO_KEEPALIVE",
        "the server's cable is pulled",
        "client: keep-alive probe 1 unanswered",
        "client: keep-alive probe 2 unanswered",
        "client: keep-alive probe 3 unanswered",
        &format!(
            "client: connection 1: recv -> recv: {} (ETIMEDOUT) after ",
            crate::common::strerror(libc::ETIMEDOUT)
        ),
        "client: connection 1: TCP_INFO state TCP_CLOSE",
        &format!(
            "client: connection 1: send -> send: {} (EPIPE) (and no SIGPIPE)",
            crate::common::strerror(libc::EPIPE)
        ),
        "client: connection 2: TCP_INFO state TCP_ESTABLISHED: it has no idea",
        "server: its connections are TCP_ESTABLISHED and TCP_ESTABLISHED",
        "the server reboots",
        &format!(
            "client: connection 2: recv -> recv: {} (ECONNRESET) after ",
            crate::common::strerror(libc::ECONNRESET)
        ),
    ]);
    assert_eq!(out.count("keep-alive probe"), 3, "{out}");
    // Found after 1 s idle + 3 probes 1 s apart: about 4 s.
    let line = out.line("client: connection 1: recv -> ");
    let secs: f64 = line
        .split(" after ")
        .nth(1)
        .and_then(|t| t.strip_suffix(" s idle")?.parse().ok())
        .unwrap_or_else(|| panic!("no time in {line:?}\n{out}"));
    assert!((3.0..=8.0).contains(&secs), "found after {secs} s, expected about 4\n{out}");
}
