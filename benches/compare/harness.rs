//! The timing loop, CPU pinning, run configuration and the table.
//!
//! A case is one operation (one row of the table) done by each peer (one column).
//! Each peer's code is a closure that performs the operation `n` times in a loop
//! of its own, so the measured loop has no dynamic dispatch inside it: the same
//! closures are timed by the wall-clock run and counted by callgrind
//! (`--count`, see `benches/callgrind.sh`).

use std::cell::Cell;
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Who performs the operation: one column of the table.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Peer {
    /// The C call made directly through the `libc` crate, as C code would.
    Raw,
    Bsdsock,
    Std,
    Socket2,
    Nix,
    /// Not a library: raw libc doing the same work with the per-call technique
    /// (recvfrom ×64 beside recvmmsg(64)), the baseline of a `Speedup` target,
    /// timed in the same rounds as the row's other peers.
    PerCall,
}

impl Peer {
    pub const ALL: [Peer; 6] =
        [Peer::Raw, Peer::Bsdsock, Peer::Std, Peer::Socket2, Peer::Nix, Peer::PerCall];

    pub fn name(self) -> &'static str {
        match self {
            Peer::Raw => "raw libc",
            Peer::Bsdsock => "bsdsock",
            Peer::Std => "std",
            Peer::Socket2 => "socket2",
            Peer::Nix => "nix",
            Peer::PerCall => "raw libc per call",
        }
    }

    /// The one-word name used on the command line (`--count getsockname raw 1000`).
    pub fn id(self) -> &'static str {
        match self {
            Peer::Raw => "raw",
            Peer::PerCall => "percall",
            other => other.name(),
        }
    }

    pub fn from_id(id: &str) -> Option<Peer> {
        Peer::ALL.into_iter().find(|p| p.id() == id)
    }
}

/// What the row reports.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Nanoseconds per call.
    Ns,
    /// Operations per second (round trips, connection cycles).
    PerSec,
    /// Megabytes (10^6 bytes) per second; the operation moves this many bytes.
    MBps(u64),
    /// Datagrams per second; the operation moves this many datagrams.
    // The rows that use it (msg.rs) are Linux's.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    Dgrams(u64),
}

/// One peer's way of doing the operation `n` times.
pub struct Impl {
    pub peer: Peer,
    pub run: Box<dyn FnMut(u64)>,
}

/// `op` repeated `n` times; the loop is compiled together with `op`, so the only
/// indirect call is the one that starts the loop.
pub fn looped(peer: Peer, mut op: impl FnMut() + 'static) -> Impl {
    Impl {
        peer,
        run: Box::new(move |n| {
            for _ in 0..n {
                op();
            }
        }),
    }
}

/// Checks that a call succeeded and keeps its answer alive where the library put
/// it, without moving it out: what every per-call loop does with every peer's
/// answer, and what the raw loops do with theirs (assert the return code,
/// `black_box` the value). A call that answers only success or failure (`T` is
/// `()`) is just checked, as the raw loops check `r == 0`: black-boxing an
/// `Ok(())` would count stores of an enum tag that no caller makes. The result
/// is then forgotten rather than dropped: the values measured here own nothing.
#[inline(always)]
pub fn keep<T, E>(r: Result<T, E>) {
    assert!(r.is_ok());
    if std::mem::size_of::<T>() != 0 {
        black_box(&r);
    }
    std::mem::forget(r);
}

/// A whole row: what each peer does, and how to time it.
pub struct Case {
    pub title: String,
    pub unit: Unit,
    /// How long one timed sample should take, in full mode.
    pub sample: Duration,
    /// How many interleaved rounds (samples per peer), in full mode.
    pub rounds: usize,
    /// What bsdsock's figure must be to meet its target.
    pub target: Target,
    pub impls: Vec<Impl>,
}

/// bsdsock's target for a row.
#[derive(Clone, Copy)]
pub enum Target {
    /// At most this time ratio to raw libc (1.03 = within 3%).
    WithinRaw(f64),
    /// At most this time ratio to raw libc, and faster than std.
    RatioAndStd(f64),
    /// At most `within` time ratio to raw libc, and at least `min` times the
    /// rate of the row's [`Peer::PerCall`] (raw libc doing the same work one call
    /// per datagram, named `over`): the median over rounds of the per-call
    /// loop's time divided by bsdsock's, both timed in the same round.
    // The rows that use it (msg.rs) are Linux's.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    Speedup { over: &'static str, min: f64, within: f64 },
}

/// A case as listed: built only when it is selected (building opens sockets,
/// binds ports and starts nothing else).
pub struct CaseDef {
    /// What the filter and `--count` match: `getsockname`, `tcp_bulk_64k`, ...
    pub id: String,
    pub build: Box<dyn Fn() -> Case>,
}

impl CaseDef {
    pub fn new(id: impl Into<String>, build: impl Fn() -> Case + 'static) -> CaseDef {
        CaseDef { id: id.into(), build: Box::new(build) }
    }
}

/// How this run was asked for.
pub struct Config {
    /// Substrings of case ids; a case runs if it matches any (all if empty).
    pub filters: Vec<String>,
    /// Fewer rounds and shorter samples: a smoke run.
    pub quick: bool,
    /// `--count CASE PEER N`: run one peer's loop N times and exit (for callgrind).
    pub count: Option<(String, Peer, u64)>,
    /// `--list`: print the case ids and exit.
    pub list: bool,
    /// `--markdown`: print the table as Markdown (for BENCHMARKS.md).
    pub markdown: bool,
    /// Scale the number of rounds (BENCH_ROUNDS=2 doubles them).
    pub rounds_scale: f64,
    /// The CPU to pin to; None = pick one.
    pub cpu: Option<usize>,
}

impl Config {
    /// Reads the arguments cargo passes (`cargo bench` adds `--bench`; `cargo test
    /// --benches` does not, and then a quick smoke run is made) and the BENCH_*
    /// environment variables.
    pub fn from_env() -> Config {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut cfg = Config {
            filters: Vec::new(),
            quick: !args.iter().any(|a| a == "--bench")
                || env("BENCH_QUICK").is_some_and(|v| v != "0"),
            count: None,
            list: false,
            markdown: env("BENCH_MARKDOWN").is_some_and(|v| v != "0"),
            rounds_scale: env("BENCH_ROUNDS").and_then(|v| v.parse().ok()).unwrap_or(1.0),
            cpu: env("BENCH_CPU").and_then(|v| v.parse().ok()),
        };
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--count" => {
                    let case = it.next().expect("--count CASE PEER N");
                    let peer = it.next().expect("--count CASE PEER N");
                    let peer = Peer::from_id(&peer).unwrap_or_else(|| {
                        panic!("unknown peer {peer:?} (raw, bsdsock, std, socket2, nix)")
                    });
                    let n = it.next().and_then(|n| n.parse().ok()).expect("--count CASE PEER N");
                    cfg.count = Some((case, peer, n));
                }
                "--list" => cfg.list = true,
                "--markdown" => cfg.markdown = true,
                "--quick" => cfg.quick = true,
                // Flags cargo or the libtest convention pass along.
                s if s.starts_with("--") => {}
                s => cfg.filters.push(s.to_owned()),
            }
        }
        cfg
    }

    pub fn selects(&self, id: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| id.contains(f.as_str()))
    }
}

/// Pins the calling thread (and so every thread it starts later) to one CPU:
/// `cpu` if given, else the highest-numbered one it may run on. Returns the CPU.
/// Linux's sched_setaffinity(2); elsewhere the runs are not pinned (`None`).
#[cfg(target_os = "linux")]
pub fn pin(cpu: Option<usize>) -> Option<usize> {
    // SAFETY: an all-zero cpu_set_t is the empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: set is a valid cpu_set_t of the size passed; pid 0 is this thread.
    if unsafe { libc::sched_getaffinity(0, std::mem::size_of_val(&set), &mut set) } != 0 {
        return None;
    }
    let allowed: Vec<usize> =
        // SAFETY: CPU_ISSET reads the set we own; i is below CPU_SETSIZE.
        (0..libc::CPU_SETSIZE as usize).filter(|&i| unsafe { libc::CPU_ISSET(i, &set) }).collect();
    let cpu = cpu.or_else(|| allowed.last().copied())?;
    // SAFETY: an all-zero cpu_set_t is the empty set.
    let mut one: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: CPU_SET writes the set we own; cpu is below CPU_SETSIZE (it came from
    // the list above, or the caller asked for it and the kernel checks it).
    unsafe { libc::CPU_SET(cpu, &mut one) };
    // SAFETY: one is a valid cpu_set_t of the size passed; pid 0 is this thread.
    if unsafe { libc::sched_setaffinity(0, std::mem::size_of_val(&one), &one) } != 0 {
        eprintln!("warning: could not pin to CPU {cpu}: {}", std::io::Error::last_os_error());
        return None;
    }
    Some(cpu)
}

/// Not pinned: sched_setaffinity(2) is Linux's (see the Linux version).
#[cfg(not(target_os = "linux"))]
pub fn pin(_cpu: Option<usize>) -> Option<usize> {
    None
}

/// The measured figures of one row.
pub struct Row {
    pub title: String,
    pub unit: Unit,
    pub target: Target,
    /// Per peer that has the call: median time per operation (ns) and median of
    /// the per-round ratios to raw libc.
    pub cells: Vec<(Peer, f64, f64)>,
    /// The middle half of bsdsock's per-round ratios (25th and 75th percentile):
    /// how far the noise of this run reaches.
    pub spread: Option<(f64, f64)>,
    /// With a [`Peer::PerCall`]: the median over rounds of its time divided by
    /// bsdsock's (how many times bsdsock's rate), and by raw libc's.
    pub speedup: Option<(f64, f64)>,
}

impl Row {
    pub fn cell(&self, peer: Peer) -> Option<(f64, f64)> {
        self.cells.iter().find(|c| c.0 == peer).map(|c| (c.1, c.2))
    }
}

/// The `q`-quantile (0.0 to 1.0) of `v`, nearest rank.
fn quantile(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

thread_local! {
    /// Nanoseconds spent inside [`untimed`] since the current sample started.
    static UNTIMED: Cell<u128> = const { Cell::new(0) };
}

/// Runs `f` outside the measurement: its time is taken off the sample it runs
/// in. For the set-up a loop needs on every iteration but is not the operation
/// measured: filling a receive queue before the receive calls, draining it after
/// the send calls. The two clock reads it costs (about 40 ns) stay in the sample.
// The rows that use it (msg.rs) are Linux's.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub fn untimed<R>(f: impl FnOnce() -> R) -> R {
    let t = Instant::now();
    let r = f();
    let spent = t.elapsed().as_nanos();
    UNTIMED.with(|u| u.set(u.get() + spent));
    r
}

fn time_ns(run: &mut dyn FnMut(u64), n: u64) -> f64 {
    UNTIMED.with(|u| u.set(0));
    let t = Instant::now();
    run(black_box(n));
    let total = t.elapsed().as_nanos();
    total.saturating_sub(UNTIMED.with(|u| u.get())) as f64
}

/// Times every peer of `case` in interleaved rounds: in each round every peer runs
/// one sample of the same number of operations, starting with a different peer
/// each round, so slow drift (another process compiling, frequency changes) hits
/// all of them alike. Each peer's ratio to raw libc is taken within each round and
/// the median over rounds is reported, with the median time per operation.
pub fn measure(mut case: Case, cfg: &Config) -> Row {
    let (sample, rounds) = if cfg.quick {
        (case.sample / 10, 3)
    } else {
        (case.sample, ((case.rounds as f64 * cfg.rounds_scale).round() as usize).max(3))
    };
    // Calibrate on raw libc: how many operations fill a sample.
    let raw = case.impls.iter().position(|i| i.peer == Peer::Raw).expect("every case has raw libc");
    let mut n = 1u64;
    loop {
        let t = time_ns(&mut case.impls[raw].run, n);
        if t >= sample.as_nanos() as f64 / 4.0 || n >= 1 << 30 {
            n = ((n as f64) * sample.as_nanos() as f64 / t.max(1.0)).ceil().max(1.0) as u64;
            break;
        }
        n *= 4;
    }
    // Warm-up: one sample each (caches, socket buffers, TCP windows).
    for imp in &mut case.impls {
        time_ns(&mut imp.run, n);
    }
    let k = case.impls.len();
    let mut times = vec![Vec::with_capacity(rounds); k];
    for round in 0..rounds {
        for j in 0..k {
            let i = (round + j) % k;
            times[i].push(time_ns(&mut case.impls[i].run, n) / n as f64);
        }
    }
    let ratios =
        |i: usize| -> Vec<f64> { times[i].iter().zip(&times[raw]).map(|(t, r)| t / r).collect() };
    let cells = (0..k)
        .map(|i| (case.impls[i].peer, median(&mut times[i].clone()), median(&mut ratios(i))))
        .collect();
    let spread = case.impls.iter().position(|i| i.peer == Peer::Bsdsock).map(|b| {
        let mut r = ratios(b);
        (quantile(&mut r, 0.25), quantile(&mut r, 0.75))
    });
    let per_call = case.impls.iter().position(|i| i.peer == Peer::PerCall);
    let bsdsock = case.impls.iter().position(|i| i.peer == Peer::Bsdsock);
    let speedup = per_call.zip(bsdsock).map(|(pc, b)| {
        let over = |i: usize| -> Vec<f64> {
            times[pc].iter().zip(&times[i]).map(|(p, t)| p / t).collect()
        };
        (median(&mut over(b)), median(&mut over(raw)))
    });
    Row { title: case.title, unit: case.unit, target: case.target, cells, spread, speedup }
}

/// Runs one peer's loop `n` times, nothing else: for `benches/callgrind.sh`.
pub fn count(mut case: Case, peer: Peer, n: u64) {
    let imp = case
        .impls
        .iter_mut()
        .find(|i| i.peer == peer)
        .unwrap_or_else(|| panic!("{} has no {} version", case.title, peer.name()));
    (imp.run)(n);
}

/// The figure in the row's unit, from nanoseconds per operation.
fn figure(unit: Unit, ns: f64) -> String {
    match unit {
        Unit::Ns if ns >= 10_000.0 => format!("{:.2} µs", ns / 1000.0),
        Unit::Ns => format!("{ns:.1} ns"),
        Unit::PerSec => format!("{:.0}/s", 1e9 / ns),
        Unit::MBps(bytes) => format!("{:.0} MB/s", bytes as f64 * 1e3 / ns),
        Unit::Dgrams(k) => format!("{:.3} M dgram/s", k as f64 * 1e3 / ns),
    }
}

/// Whether bsdsock's figure meets the row's target, as "met"/"NOT met".
pub fn verdict(row: &Row) -> Option<bool> {
    let (_, ratio) = row.cell(Peer::Bsdsock)?;
    Some(match row.target {
        Target::Speedup { min, within, .. } => {
            ratio <= within && row.speedup.is_some_and(|(s, _)| s >= min)
        }
        Target::WithinRaw(max) => ratio <= max,
        Target::RatioAndStd(max) => {
            let faster_than_std = match (row.cell(Peer::Std), row.cell(Peer::Bsdsock)) {
                (Some((std_ns, _)), Some((ns, _))) => ns < std_ns,
                _ => true,
            };
            ratio <= max && faster_than_std
        }
    })
}

fn target_text(row: &Row) -> String {
    match row.target {
        Target::WithinRaw(max) => format!("≤ {max:.2}×"),
        Target::RatioAndStd(max) => format!("≤ {max:.2}×, < std"),
        Target::Speedup { over, min, within } => match row.speedup {
            Some((b, r)) => {
                format!("≤ {within:.2}×; ≥ {min:.2}× {over}: bsdsock {b:.2}×, raw libc {r:.2}×")
            }
            None => format!("≤ {within:.2}×; ≥ {min:.2}× {over}: not measured"),
        },
    }
}

/// The table: for each peer the median figure and, in brackets, its time per
/// operation relative to raw libc (1.00× = the same, 2.00× = twice as slow).
pub fn render(rows: &[Row], markdown: bool) -> String {
    let peers: Vec<Peer> =
        Peer::ALL.into_iter().filter(|p| rows.iter().any(|r| r.cell(*p).is_some())).collect();
    let mut out = String::new();
    let cell = |row: &Row, p: Peer| match row.cell(p) {
        Some((ns, _)) if p == Peer::Raw => figure(row.unit, ns),
        Some((ns, ratio)) => format!("{} ({ratio:.2}×)", figure(row.unit, ns)),
        None => "—".to_owned(),
    };
    let check = |row: &Row| match verdict(row) {
        Some(true) => format!("met ({})", target_text(row)),
        Some(false) => format!("NOT met ({})", target_text(row)),
        None => String::new(),
    };
    let spread = |row: &Row| match row.spread {
        Some((lo, hi)) => format!("{lo:.2}–{hi:.2}"),
        None => String::new(),
    };
    if markdown {
        out.push_str("| operation |");
        for p in &peers {
            let _ = write!(out, " {} |", p.name());
        }
        out.push_str(" bsdsock ratio IQR | bsdsock target |\n|---|");
        for _ in &peers {
            out.push_str("--:|");
        }
        out.push_str("--:|---|\n");
        for row in rows {
            let _ = write!(out, "| {} |", row.title);
            for &p in &peers {
                let _ = write!(out, " {} |", cell(row, p));
            }
            let _ = writeln!(out, " {} | {} |", spread(row), check(row));
        }
        return out;
    }
    let title_w = rows.iter().map(|r| r.title.chars().count()).max().unwrap_or(0).max(9);
    let col_w = |p: Peer| {
        rows.iter().map(|r| cell(r, p).chars().count()).max().unwrap_or(0).max(p.name().len())
    };
    let widths: Vec<usize> = peers.iter().map(|&p| col_w(p)).collect();
    let _ = write!(out, "{:<title_w$}", "operation");
    for (p, w) in peers.iter().zip(&widths) {
        let _ = write!(out, "  {:>w$}", p.name());
    }
    out.push_str("  ratio IQR  bsdsock target\n");
    for row in rows {
        let _ = write!(out, "{:<title_w$}", row.title);
        for (&p, w) in peers.iter().zip(&widths) {
            let c = cell(row, p);
            let _ = write!(out, "  {c:>w$}");
        }
        let _ = writeln!(out, "  {:>9}  {}", spread(row), check(row));
    }
    out
}
