//! `inet_ntop` / `inet_ntop_buf` / `inet_ntoa` against glibc's `inet_ntop`: see
//! `bsdsock_fuzz::inet_printer`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bsdsock_fuzz::inet_printer(data);
});
