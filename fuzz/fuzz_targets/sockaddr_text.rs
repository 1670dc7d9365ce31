//! `SockAddr`'s FromStr / Display over any text: see `bsdsock_fuzz::sockaddr_text`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bsdsock_fuzz::sockaddr_text(&String::from_utf8_lossy(data));
});
