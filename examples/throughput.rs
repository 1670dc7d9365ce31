//! The CIS 4307 measurements (shared/seeds/003, "Measurements"): TCP throughput
//! between two programs on the same computer for application buffer sizes from 1K
//! to 512K, printed as the notes' table (Buffer Size | Average | Standard
//! Deviation, in Mbps); then the same for a pipe and for memcpy.
//!
//! ```text
//! cargo run --release --example throughput            # 256 MiB per run, 5 runs per size
//! cargo run --release --example throughput -- 64 3    # MiB per run, runs per size
//! cargo run --example throughput -- --demo            # 32 MiB per run, 3 runs: a few seconds
//! ```
//!
//! Each run is a fresh loopback connection: a receiver thread accepts and reads
//! with `readn` into a buffer of the size under test until end-of-file; the sender
//! writes the volume with `writen` in pieces of that size, then shuts down its
//! side. The clock runs from the first write until the receiver has every byte.
//! The pipe is timed the same way. A demo build is unoptimised and short, so its
//! numbers are only indicative; use `--release` and the full volume to measure.

use std::error::Error;
use std::fs::File;
use std::hint::black_box;
use std::io::Write;
use std::net::Shutdown;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use bsdsock::opt::{SO_RCVBUF, SO_SNDBUF};
use bsdsock::{Domain, Protocol, Type, accept, bind, connect, listen, readn, socket, writen};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const USAGE: &str = "usage: throughput [MIB_PER_RUN [RUNS]] | throughput --demo";
const KIB: usize = 1024;
const MIB: usize = 1024 * 1024;
/// 1K, 2K, 4K, ... 512K: the notes' buffer sizes.
const SIZES: [usize; 10] =
    [KIB, 2 * KIB, 4 * KIB, 8 * KIB, 16 * KIB, 32 * KIB, 64 * KIB, 128 * KIB, 256 * KIB, 512 * KIB];

struct Plan {
    volume: usize,
    runs: usize,
}

fn mbps(bytes: usize, took: Duration) -> f64 {
    bytes as f64 * 8.0 / took.as_secs_f64().max(1e-9) / 1e6
}

/// Mean and sample standard deviation.
fn stats(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = if xs.len() > 1 {
        xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var.sqrt())
}

/// The table, one row per size; `run(size)` measures once and returns Mbps.
fn table(title: &str, head: &str, plan: &Plan, mut run: impl FnMut(usize) -> Res<f64>) -> Res<()> {
    println!("\n{title}\n");
    println!("    {head:>13} |   Average   | Standard Deviation");
    println!("    {:>13} |   (Mbps)    |      (Mbps)", "(bytes)");
    for size in SIZES {
        let samples = (0..plan.runs).map(|_| run(size)).collect::<Res<Vec<f64>>>()?;
        let (mean, sd) = stats(&samples);
        println!("    {size:>13} | {mean:>11.3} | {sd:>11.3}");
    }
    Ok(())
}

/// One TCP run over 127.0.0.1 with `size`-byte writes and reads.
fn tcp_run(size: usize, volume: usize) -> Res<f64> {
    let listenfd = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    bind(&listenfd, &"127.0.0.1:0".parse()?)?;
    listen(&listenfd, 1)?;
    let addr = listenfd.getsockname()?;
    let receiver = thread::spawn(move || -> Res<usize> {
        let (conn, _) = accept(&listenfd)?;
        let mut buf = vec![0u8; size];
        let mut total = 0;
        loop {
            match readn(&conn, &mut buf)? {
                0 => return Ok(total),
                n => total += n,
            }
        }
    });
    let sender = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    connect(&sender, &addr)?;
    let buf = vec![0x5au8; size];
    let start = Instant::now();
    let mut sent = 0;
    while sent < volume {
        sent += writen(&sender, &buf[..size.min(volume - sent)])?;
    }
    sender.shutdown(Shutdown::Write)?;
    let got = receiver.join().map_err(|_| "receiver panicked")??;
    let took = start.elapsed();
    if got != volume {
        return Err(format!("sent {volume} bytes, received {got}").into());
    }
    Ok(mbps(volume, took))
}

/// `pipe2(O_CLOEXEC)` as two owned descriptors: read end, write end.
#[cfg(not(target_vendor = "apple"))]
fn pipe() -> Res<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(format!("pipe2: {}", std::io::Error::last_os_error()).into());
    }
    // SAFETY: pipe2 succeeded, so both are open descriptors that nothing else owns.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// `pipe(2)`, then `FD_CLOEXEC` on both ends: Apple has no pipe2.
#[cfg(target_vendor = "apple")]
fn pipe() -> Res<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors pipe writes.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } < 0 {
        return Err(format!("pipe: {}", std::io::Error::last_os_error()).into());
    }
    // SAFETY: pipe succeeded, so both are open descriptors that nothing else owns.
    let ends = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    bsdsock::set_cloexec(&ends.0, true)?;
    bsdsock::set_cloexec(&ends.1, true)?;
    Ok(ends)
}

/// One pipe run, timed like the TCP one. The writer uses `write_all` on a File:
/// `writen` would first try send(2), fail with ENOTSOCK, then write — one wasted
/// system call per buffer, which would show in the small sizes.
fn pipe_run(size: usize, volume: usize) -> Res<f64> {
    let (rd, wr) = pipe()?;
    let receiver = thread::spawn(move || -> Res<usize> {
        let mut buf = vec![0u8; size];
        let mut total = 0;
        loop {
            match readn(&rd, &mut buf)? {
                0 => return Ok(total),
                n => total += n,
            }
        }
    });
    let mut writer = File::from(wr);
    let buf = vec![0x5au8; size];
    let start = Instant::now();
    let mut sent = 0;
    while sent < volume {
        let n = size.min(volume - sent);
        writer.write_all(&buf[..n])?;
        sent += n;
    }
    drop(writer); // end-of-file for the reader
    let got = receiver.join().map_err(|_| "receiver panicked")??;
    let took = start.elapsed();
    if got != volume {
        return Err(format!("wrote {volume} bytes, read {got}").into());
    }
    Ok(mbps(volume, took))
}

/// Copies `volume` bytes in `size`-byte memcpys.
fn memcpy_run(size: usize, volume: usize) -> Res<f64> {
    let src = vec![0x5au8; size];
    let mut dst = vec![0u8; size];
    let start = Instant::now();
    for _ in 0..volume / size {
        dst.copy_from_slice(black_box(&src)); // black_box: the copy must happen
        black_box(&mut dst);
    }
    Ok(mbps(volume / size * size, start.elapsed()))
}

fn measure(plan: &Plan) -> Res<()> {
    let probe = socket(Domain::INET, Type::STREAM, Protocol::DEFAULT)?;
    println!(
        "throughput: {} MiB per run, {} runs per size (socket defaults: SO_SNDBUF {}, SO_RCVBUF {})",
        plan.volume / MIB,
        plan.runs,
        probe.get(SO_SNDBUF)?,
        probe.get(SO_RCVBUF)?
    );
    let v = plan.volume;
    table("TCP BETWEEN PROGRAMS ON SAME COMPUTER (127.0.0.1)", "Buffer Size", plan, |s| {
        tcp_run(s, v)
    })?;
    table("PIPE BETWEEN TWO THREADS", "Buffer Size", plan, |s| pipe_run(s, v))?;
    table("MEMORY COPY (memcpy)", "Transfer Size", plan, |s| memcpy_run(s, v))
}

fn parse(arg: Option<&String>, default: usize, what: &str, max: usize) -> Res<usize> {
    let n = match arg {
        Some(a) => a.parse().map_err(|e| format!("invalid {what} {a:?}: {e}"))?,
        None => default,
    };
    if n == 0 || n > max {
        return Err(format!("{what} must be between 1 and {max}").into());
    }
    Ok(n)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let plan = match args.as_slice() {
        [flag] if flag == "--demo" => Ok(Plan { volume: 32 * MIB, runs: 3 }),
        rest if rest.len() <= 2 && !rest.iter().any(|a| a.starts_with('-')) => {
            parse(rest.first(), 256, "MiB per run", 64 * KIB).and_then(|mib| {
                Ok(Plan { volume: mib * MIB, runs: parse(rest.get(1), 5, "number of runs", 1000)? })
            })
        }
        _ => Err(USAGE.into()),
    };
    match plan.and_then(|p| measure(&p)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("throughput: {e}");
            ExitCode::FAILURE
        }
    }
}
