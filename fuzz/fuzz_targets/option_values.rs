//! Option values decoded from raw bytes (`Opt::decode`): see `bsdsock_fuzz::option_values`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bsdsock_fuzz::option_values(data);
});
