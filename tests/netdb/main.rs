//! Name resolution (`bsdsock::netdb`) against this machine's own databases.
//!
//! No test here causes DNS traffic. Every name looked up is read from
//! `/etc/hosts` first (names only for the families they have there), every
//! reverse lookup is of an address listed there, and anything else is numeric:
//! `AI_NUMERICHOST`, `NI_NUMERICHOST`, dotted quads and IPv6 literals (which glibc
//! answers without a lookup), or all-digit names glibc rejects locally. Expected
//! answers come from parsing `/etc/hosts`, `/etc/services` and `/etc/protocols`
//! here, not from the code under test.
//!
//! The one test that needs IPv6 names and oversized entries (which this machine's
//! files lack) runs in a child process with a private mount namespace where its
//! own `/etc/hosts`, `/etc/services` and `/etc/protocols` are bind-mounted, and a
//! `/etc/resolv.conf` pointing at 127.0.0.1 so that even a mistake stays on
//! loopback.
//!
//! One test crate, one module per area; `support` holds the lock that keeps the
//! descriptor and heap counts of `leaks` exact while the other modules run.
#![cfg(netdb_r)]

#[path = "../common/mod.rs"]
mod common;

mod addrinfo;
mod etc;
mod happy;
mod helpers;
mod hosts;
mod leaks;
mod names;
mod private_etc;
mod services;
mod support;
mod threads;
