//! Turns the target triple into a few cfg aliases so that `src/sys` can say
//! `#[cfg(linux_like)]` instead of repeating long `target_os` lists.

use std::env;

/// (alias, target_os values it covers)
const ALIASES: &[(&str, &[&str])] = &[
    ("linux_like", &["linux", "android"]),
    ("apple", &["macos", "ios", "tvos", "watchos", "visionos"]),
    ("bsd", &["freebsd", "openbsd", "netbsd", "dragonfly"]),
    ("solarish", &["solaris", "illumos"]),
];

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    // The triple being built for: the tests that run `cargo build --examples`
    // build them for the same target (tests/common's `cargo_build`).
    println!("cargo::rustc-env=BSDSOCK_TARGET={}", env::var("TARGET").unwrap_or_default());
    // `netdb_r`: the C library has the reentrant `gethostbyname_r` family with
    // glibc's prototypes (glibc, and musl, which lacks only the `getprotoby*_r`
    // pair; see src/sys/netdb).
    println!("cargo::rustc-check-cfg=cfg(netdb_r)");
    if os == "linux" && matches!(target_env.as_str(), "gnu" | "musl") {
        println!("cargo::rustc-cfg=netdb_r");
    }
    for (alias, oses) in ALIASES {
        println!("cargo::rustc-check-cfg=cfg({alias})");
        if oses.contains(&os.as_str()) {
            println!("cargo::rustc-cfg={alias}");
        }
    }
}
