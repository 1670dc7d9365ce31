//! Stevens' `checkopts` (UNIX Network Programming, section 7.3), with bsdsock's
//! typed options: for each option, open a fresh socket of the kind that carries
//! it, read the default and print it the way the C program does.
//!
//! ```text
//! $ cargo run --example checkopts
//! SO_BROADCAST: default = off
//! SO_DEBUG: default = off
//! ...
//! SO_LINGER: default = l_onoff = 0, l_linger = 0
//! ...
//! SO_RCVTIMEO: default = 0 sec, 0 usec
//! ...
//! SCTP_NODELAY: (undefined)
//! ```
//!
//! The output is byte-for-byte that of the C program on the same machine
//! (`tests/c/checkopts.c`, compared by `tests/checkopts.rs`). As in C:
//! `SO_USELOOPBACK` has no line on Linux, and a failing `getsockopt` prints
//! `getsockopt error: <strerror>` on stderr. The SCTP rows print values only where
//! an SCTP socket can be opened (untested: this needs the `sctp` module), else
//! `(undefined)`; they use Linux's option numbers and are left out elsewhere.
//!
//! `--demo` gives the same output (every example accepts it).

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::Duration;

use bsdsock::opt;
#[cfg(target_os = "linux")]
use bsdsock::opt::getsockopt_raw;
use bsdsock::{Domain, Protocol, Socket, Type, socket};

/// How C's `checkopts` prints a value (`sock_str_flag`, `sock_str_int`, ...).
type Show = fn(&Socket) -> bsdsock::Result<String>;

/// One line of the table: the option's C name, the family of the TCP socket it is
/// read on, and how to read and print it.
struct Row {
    name: &'static str,
    domain: Domain,
    show: Show,
}

fn flag(on: bool) -> String {
    (if on { "on" } else { "off" }).to_string()
}

fn linger(v: Option<Duration>) -> String {
    match v {
        None => "l_onoff = 0, l_linger = 0".to_string(),
        Some(d) => format!("l_onoff = 1, l_linger = {}", d.as_secs()),
    }
}

fn timeval(v: Option<Duration>) -> String {
    let d = v.unwrap_or_default();
    format!("{} sec, {} usec", d.as_secs(), d.subsec_micros())
}

macro_rules! row {
    ($domain:ident, $opt:ident, $fmt:expr) => {
        Row {
            name: stringify!($opt),
            domain: Domain::$domain,
            show: |s: &Socket| s.get(opt::$opt).map($fmt),
        }
    };
}

/// The table, in C's order. As C's `#ifdef`s do, an option this system lacks
/// has no line: `SO_REUSEPORT` on illumos, `IPV6_DONTFRAG` (as bsdsock declares
/// it) off Linux.
fn rows() -> Vec<Row> {
    let mut rows = vec![
        row!(INET, SO_BROADCAST, flag),
        row!(INET, SO_DEBUG, flag),
        row!(INET, SO_DONTROUTE, flag),
        row!(INET, SO_ERROR, |e| e.map_or(0, |e| e.as_raw()).to_string()),
        row!(INET, SO_KEEPALIVE, flag),
        row!(INET, SO_LINGER, linger),
        row!(INET, SO_OOBINLINE, flag),
        row!(INET, SO_RCVBUF, |n| n.to_string()),
        row!(INET, SO_SNDBUF, |n| n.to_string()),
        row!(INET, SO_RCVLOWAT, |n| n.to_string()),
        row!(INET, SO_SNDLOWAT, |n| n.to_string()),
        row!(INET, SO_RCVTIMEO, timeval),
        row!(INET, SO_SNDTIMEO, timeval),
        row!(INET, SO_REUSEADDR, flag),
    ];
    #[cfg(not(any(target_os = "illumos", target_os = "solaris")))]
    rows.push(row!(INET, SO_REUSEPORT, flag));
    rows.extend([
        row!(INET, SO_TYPE, |t| t.as_raw().to_string()),
        // SO_USELOOPBACK: not defined on Linux, so, as in C, no line at all.
        row!(INET, IP_TOS, |n| n.to_string()),
        row!(INET, IP_TTL, |n| n.to_string()),
    ]);
    #[cfg(target_os = "linux")]
    rows.push(row!(INET6, IPV6_DONTFRAG, flag));
    rows.extend([
        row!(INET6, IPV6_UNICAST_HOPS, |n| n.to_string()),
        row!(INET6, IPV6_V6ONLY, flag),
        row!(INET, TCP_MAXSEG, |n| n.to_string()),
        row!(INET, TCP_NODELAY, flag),
    ]);
    rows
}

/// Linux's SCTP option numbers (`<linux/sctp.h>`) and how checkopts prints them.
/// Other systems number them differently: there the SCTP rows are left out.
#[cfg(target_os = "linux")]
const SCTP_ROWS: [(&str, i32, bool); 4] = [
    ("SCTP_AUTOCLOSE", 4, false),
    ("SCTP_MAXBURST", 20, false),
    ("SCTP_MAXSEG", 13, false),
    ("SCTP_NODELAY", 3, true),
];

/// What C's `union val` holds: its size is the `optlen` checkopts passes.
#[cfg(target_os = "linux")]
const UNION_VAL_LEN: usize = 16;

/// An SCTP row, read like C does (a 16-byte buffer, whatever length comes back).
#[cfg(target_os = "linux")]
fn sctp_value(s: &Socket, name: i32, is_flag: bool) -> bsdsock::Result<String> {
    let mut buf = [0u8; UNION_VAL_LEN];
    let len = getsockopt_raw(s, libc::IPPROTO_SCTP, name, &mut buf)?;
    if len != 4 {
        return Ok(format!("size ({len}) not sizeof(int)"));
    }
    let v = i32::from_ne_bytes([buf[0], buf[1], buf[2], buf[3]]);
    Ok(if is_flag { flag(v != 0) } else { v.to_string() })
}

/// Prints one line, or C's `err_ret("getsockopt error")` on failure.
fn report(out: &mut impl Write, value: bsdsock::Result<String>) -> io::Result<()> {
    match value {
        Ok(v) => writeln!(out, "default = {v}"),
        Err(e) => {
            out.flush()?;
            match e.errno() {
                Some(errno) => eprintln!("getsockopt error: {errno}"),
                None => eprintln!("getsockopt error: {e}"),
            }
            Ok(())
        }
    }
}

/// Stevens' `Socket()` wrapper: on failure, `socket error: <strerror>` and exit 1.
fn open(domain: Domain, ty: Type, protocol: Protocol) -> Result<Socket, ExitCode> {
    socket(domain, ty, protocol).map_err(|e| {
        match e.errno() {
            Some(errno) => eprintln!("socket error: {errno}"),
            None => eprintln!("socket error: {e}"),
        }
        ExitCode::FAILURE
    })
}

fn run() -> Result<(), ExitCode> {
    let io_err = |e: io::Error| {
        eprintln!("checkopts: {e}");
        ExitCode::FAILURE
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for row in rows() {
        write!(out, "{}: ", row.name).map_err(io_err)?;
        let s = open(row.domain, Type::STREAM, Protocol::DEFAULT)?;
        report(&mut out, (row.show)(&s)).map_err(io_err)?;
    }
    #[cfg(target_os = "linux")]
    for (name, optname, is_flag) in SCTP_ROWS {
        write!(out, "{name}: ").map_err(io_err)?;
        match socket(Domain::INET, Type::SEQPACKET, Protocol::SCTP) {
            Ok(s) => report(&mut out, sctp_value(&s, optname, is_flag)).map_err(io_err)?,
            Err(_) => writeln!(out, "(undefined)").map_err(io_err)?,
        }
    }
    out.flush().map_err(io_err)
}

fn main() -> ExitCode {
    // `--demo` runs the same fixed, local-only program; nothing else is accepted.
    if let Some(arg) = std::env::args().skip(1).find(|a| a != "--demo") {
        eprintln!("usage: checkopts [--demo]   (unexpected argument {arg:?})");
        return ExitCode::from(1);
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}
