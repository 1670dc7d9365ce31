//! `SockAddr::from_bytes` over any bytes: see `bsdsock_fuzz::sockaddr_from_bytes`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bsdsock_fuzz::sockaddr_from_bytes(data);
});
