//! Typed socket options against raw libc, and the effects chapter 7 of Stevens'
//! UNIX Network Programming describes.
//!
//! Every option this machine supports without privileges is a row: set through
//! bsdsock and read back with libc's `getsockopt` at the level and name of the C
//! headers, and the reverse, so an option declared at the wrong level or name
//! (as two peer crates shipped) fails here. Options that need privileges are the
//! cases of `tests/opt_common/privileged.rs`, run by `tests/opt_priv.rs`.
//! [`every_option_has_a_row`] fails when an option of the crate's tables has no
//! row at all.

// The rows are Linux's options and the values Linux reports (its man pages ip(7),
// ipv6(7), socket(7), tcp(7)); on other systems most of these options are absent.
#![cfg(target_os = "linux")]

#[path = "../common/mod.rs"]
mod common;
#[path = "../opt_common/mod.rs"]
mod opt_common;

mod codecs;
mod effects;
mod ip;
mod ipv6;
mod socket;
mod tcp;

use std::collections::BTreeMap;

use opt_common::privileged;
use opt_common::rows::{Named, Row};

/// Every row of every level.
fn all_rows() -> Vec<Row> {
    [socket::rows(), ip::rows(), ipv6::rows(), tcp::rows()].into_iter().flatten().collect()
}

#[test]
fn every_option_has_a_row() {
    let mut covered: BTreeMap<&str, Named> = BTreeMap::new();
    let privileged = privileged::cases().into_iter().map(|c| c.option);
    for o in all_rows().into_iter().flat_map(|r| r.options).chain(privileged) {
        let prev = covered.insert(o.name, o);
        assert!(prev.is_none_or(|p| p == o), "{} is named two ways: {prev:?}, {o:?}", o.name);
    }
    let mut missing = Vec::new();
    for d in bsdsock::opt::TABLES.iter().flat_map(|t| t.iter()) {
        match covered.remove(d.name) {
            Some(o) => assert_eq!(
                (o.level, o.optname),
                (d.level, d.optname),
                "{}: the row's option is not the table's",
                d.name
            ),
            None => missing.push(d.name),
        }
    }
    assert!(missing.is_empty(), "options of the tables without a test row: {missing:?}");
    assert!(covered.is_empty(), "rows for options the tables do not have: {covered:?}");
}
