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
    for (alias, oses) in ALIASES {
        println!("cargo::rustc-check-cfg=cfg({alias})");
        if oses.contains(&os.as_str()) {
            println!("cargo::rustc-cfg={alias}");
        }
    }
}
