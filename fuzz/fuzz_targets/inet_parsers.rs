//! `inet_aton` / `inet_addr` / `inet_pton` against glibc's: see `bsdsock_fuzz::inet_parsers`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bsdsock_fuzz::inet_parsers(&String::from_utf8_lossy(data));
});
