//! The standalone control-message parser over any bytes, and over the bytes read as laid-out
//! messages: see `bsdsock_fuzz::control_messages`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    bsdsock_fuzz::control_messages(data);
    bsdsock_fuzz::control_messages(&bsdsock_fuzz::cmsg_layout(data));
});
