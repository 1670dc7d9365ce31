//! `cargo bench`: bsdsock side by side with raw libc (the C calls made directly
//! through the `libc` crate), std::net, socket2 and nix, in one run, with each
//! figure's time relative to raw libc. See BENCHMARKS.md for how to read it.
//!
//! ```text
//! cargo bench                                  # everything (about 45 s)
//! cargo bench --bench compare -- getsockname   # cases whose id contains a filter
//! cargo bench --bench compare -- --list        # the case ids
//! BENCH_QUICK=1 cargo bench                    # smoke run: few, short rounds
//! BENCH_MARKDOWN=1 cargo bench                 # the table as Markdown
//! BENCH_CPU=0 cargo bench                      # pin to CPU 0 (default: the last one)
//! BENCH_ROUNDS=3 cargo bench                   # three times the rounds
//! ```
//!
//! Run by `cargo test --benches` (no `--bench` argument) it makes a quick smoke
//! run, so the benches stay working. `--count CASE PEER N` runs one peer's loop N
//! times and nothing else: `benches/callgrind.sh` counts instructions with it.

mod calls;
mod harness;
#[cfg(target_os = "linux")]
mod msg;
mod netdb;
mod text;
mod transfer;

use harness::{CaseDef, Config, Row};

fn all_cases() -> Vec<CaseDef> {
    let mut v = calls::cases();
    v.extend(transfer::cases());
    v.extend(text::cases());
    v.extend(netdb::cases());
    #[cfg(target_os = "linux")]
    v.extend(msg::cases());
    v
}

fn first_line(path: &str) -> String {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| s.lines().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "?".into())
}

fn glibc_version() -> String {
    unsafe extern "C" {
        fn gnu_get_libc_version() -> *const libc::c_char;
    }
    // SAFETY: gnu_get_libc_version returns a pointer to a static NUL-terminated
    // string.
    unsafe { std::ffi::CStr::from_ptr(gnu_get_libc_version()) }.to_string_lossy().into_owned()
}

fn main() {
    let cfg = Config::from_env();
    let cases = all_cases();
    if cfg.list {
        for c in &cases {
            println!("{}", c.id);
        }
        return;
    }
    if let Some((id, peer, n)) = &cfg.count {
        let def = cases
            .iter()
            .find(|c| &c.id == id)
            .unwrap_or_else(|| panic!("no case {id:?} (see --list)"));
        harness::count((def.build)(), *peer, *n);
        return;
    }

    let cpu = harness::pin(cfg.cpu);
    let load_before = first_line("/proc/loadavg");
    println!(
        "bsdsock benchmarks: {} mode, pinned to CPU {}, medians of interleaved rounds",
        if cfg.quick { "quick (smoke)" } else { "full" },
        cpu.map_or("(none)".into(), |c| c.to_string()),
    );
    println!(
        "{} | Linux {} | glibc {} | load average before: {}",
        cpu_model(),
        first_line("/proc/sys/kernel/osrelease"),
        glibc_version(),
        load_before,
    );
    let mut rows: Vec<Row> = Vec::new();
    for def in cases.iter().filter(|c| cfg.selects(&c.id)) {
        let row = harness::measure((def.build)(), &cfg);
        if !cfg.markdown {
            eprintln!("  measured {}", def.id);
        }
        rows.push(row);
    }
    println!();
    print!("{}", harness::render(&rows, cfg.markdown));
    println!();
    println!(
        "Figures are each peer's median over rounds. (N×) is its time per operation divided \
         by raw libc's in the same round, median over rounds: below 1 is faster (for MB/s and \
         /s rows, raw's rate divided by the peer's). Ratio IQR: the middle half of bsdsock's \
         per-round ratios."
    );
    let met = rows.iter().filter(|r| harness::verdict(r) == Some(true)).count();
    let judged = rows.iter().filter(|r| harness::verdict(r).is_some()).count();
    println!(
        "bsdsock targets met: {met} of {judged} rows. Load average after: {}",
        first_line("/proc/loadavg")
    );
    if cfg.quick {
        println!("(quick mode: too few rounds for the figures to mean much)");
    }
}
