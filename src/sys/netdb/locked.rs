//! `getprotobyname` and `getprotobynumber` on musl, which has no `_r` forms of
//! them (see its `<netdb.h>`): the plain calls, one at a time under a lock, with
//! the answer copied out before the lock is released.
//!
//! musl answers both from a table compiled into the library (its
//! `src/network/proto.c`), not from `/etc/protocols`. The strings of an entry are
//! constants, but the `protoent` it returns and the cursor it walks the table with
//! are static and shared by every caller, so two concurrent calls could clobber
//! each other's answer. The lock gives every call made through this crate its own
//! answer; C code elsewhere in the process that calls `getprotoent` and friends
//! itself, at the same moment, is not covered (as with any non-reentrant libc
//! function).

use std::ffi::{CStr, c_int};
use std::sync::{Mutex, PoisonError};

use super::copy::{LookupError, RawProto, copy_protoent};

/// Held across each call and the copy of its answer.
static PROTO_LOCK: Mutex<()> = Mutex::new(());

/// Runs `call` under the lock and copies the entry it returns; null is "no such
/// protocol".
fn locked(call: impl FnOnce() -> *mut libc::protoent) -> Result<Option<RawProto>, LookupError> {
    // A panic while held cannot leave the static entry half-written from Rust's
    // side (only C writes it), so a poisoned lock is still good to use.
    let _guard = PROTO_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
    let p = call();
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: a non-null p points to musl's static protoent, whose strings are
    // constants of its table; no call through this crate can change it while the
    // lock is held, and it is copied before the lock is released.
    unsafe { copy_protoent(&*p) }.map(Some)
}

/// `getprotobyname(3)` under the lock; `None` when there is no such protocol.
pub(crate) fn getprotobyname_r(name: &CStr) -> Result<Option<RawProto>, LookupError> {
    // SAFETY: name is NUL-terminated and outlives the call.
    locked(|| unsafe { libc::getprotobyname(name.as_ptr()) })
}

/// `getprotobynumber(3)` under the lock; `None` when there is no such protocol.
pub(crate) fn getprotobynumber_r(proto: c_int) -> Result<Option<RawProto>, LookupError> {
    // SAFETY: getprotobynumber takes any int.
    locked(|| unsafe { libc::getprotobynumber(proto) })
}
