//! The reentrant `gethostby*_r`, `getservby*_r` and `getprotoby*_r` calls: glibc
//! and musl (their prototypes differ, or they are missing, elsewhere; musl lacks
//! the `getprotoby*_r` pair, see `locked`). Each runs with a buffer it owns and
//! copies the answer out before the buffer goes away.

use std::ffi::{CStr, c_int};
use std::mem::MaybeUninit;
use std::net::IpAddr;
use std::ptr;

use super::copy::{LookupError, RawHost, RawServ, copy_hostent, copy_servent};
#[cfg(target_env = "gnu")]
use super::copy::{RawProto, copy_protoent};
use super::{Errno, NETDB_INTERNAL, NO_RECOVERY, ffi, socklen};

/// The first buffer every lookup tries, on the stack. 1 KiB is what glibc's own
/// non-reentrant wrappers start with; an `/etc/hosts` line with dozens of aliases
/// needs more and takes the heap path.
const STACK_BUF: usize = 1024;
/// Past this the answer is refused with `ERANGE` rather than grown further: no sane
/// host, service or protocol entry comes near it.
const MAX_BUF: usize = 16 << 20;

/// One try of an `_r` call: its answer, or "give me a bigger buffer".
enum Attempt<T, E> {
    Done(Result<T, E>),
    TooSmall,
}

/// Runs `call` with a stack buffer, then with heap buffers of doubling size while
/// it reports `TooSmall`. The buffer is uninitialized memory for C to write into;
/// it is never read from Rust except through pointers C wrote.
fn with_buffer<T, E>(
    too_big: E,
    mut call: impl FnMut(&mut [MaybeUninit<u8>]) -> Attempt<T, E>,
) -> Result<T, E> {
    let mut stack = [MaybeUninit::<u8>::uninit(); STACK_BUF];
    if let Attempt::Done(r) = call(&mut stack) {
        return r;
    }
    let mut len = STACK_BUF * 4;
    while len <= MAX_BUF {
        let mut heap: Vec<u8> = Vec::with_capacity(len);
        if let Attempt::Done(r) = call(heap.spare_capacity_mut()) {
            return r;
        }
        len *= 2;
    }
    Err(too_big)
}

/// Turns the outcome of one `gethostby*_r` call into an [`Attempt`].
///
/// # Safety
/// `result` is what the call stored in its `result` argument: null, or a pointer
/// to a `hostent` whose data lives in a buffer that is still alive.
unsafe fn host_attempt(
    rc: c_int,
    result: *const libc::hostent,
    herr: c_int,
) -> Attempt<RawHost, LookupError> {
    if !result.is_null() {
        // SAFETY: non-null result means success; it points to the hostent we
        // passed, filled from the live buffer (caller's contract).
        return Attempt::Done(unsafe { copy_hostent(&*result) });
    }
    if rc == libc::ERANGE {
        // glibc reports ERANGE only for a buffer that is too small.
        return Attempt::TooSmall;
    }
    Attempt::Done(Err(match herr {
        NETDB_INTERNAL | 0 if rc != 0 => LookupError::Os(Errno(rc)),
        NETDB_INTERNAL | 0 => LookupError::Herrno(NO_RECOVERY),
        code => LookupError::Herrno(code),
    }))
}

/// `gethostbyname_r(3)`: IPv4 addresses of `name`.
pub(crate) fn gethostbyname_r(name: &CStr) -> Result<RawHost, LookupError> {
    with_buffer(LookupError::Os(Errno(libc::ERANGE)), |buf| {
        let mut ent = MaybeUninit::<libc::hostent>::uninit();
        let mut result: *mut libc::hostent = ptr::null_mut();
        let mut herr: c_int = 0;
        // SAFETY: name is NUL-terminated; ent, result and herr are valid for
        // writes; buf is valid for writes of buf.len() bytes and outlives the call.
        let rc = unsafe {
            ffi::gethostbyname_r(
                name.as_ptr(),
                ent.as_mut_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
                &mut herr,
            )
        };
        // SAFETY: result is null or points to ent, whose data lives in buf, which
        // is still borrowed here.
        unsafe { host_attempt(rc, result, herr) }
    })
}

/// `gethostbyname2_r(3)`: addresses of `name` in family `af` (AF_INET or AF_INET6).
pub(crate) fn gethostbyname2_r(name: &CStr, af: c_int) -> Result<RawHost, LookupError> {
    with_buffer(LookupError::Os(Errno(libc::ERANGE)), |buf| {
        let mut ent = MaybeUninit::<libc::hostent>::uninit();
        let mut result: *mut libc::hostent = ptr::null_mut();
        let mut herr: c_int = 0;
        // SAFETY: name is NUL-terminated; ent, result and herr are valid for
        // writes; buf is valid for writes of buf.len() bytes and outlives the call.
        let rc = unsafe {
            ffi::gethostbyname2_r(
                name.as_ptr(),
                af,
                ent.as_mut_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
                &mut herr,
            )
        };
        // SAFETY: result is null or points to ent, whose data lives in buf, which
        // is still borrowed here.
        unsafe { host_attempt(rc, result, herr) }
    })
}

/// `gethostbyaddr_r(3)`: the host entry for an address (reverse lookup).
pub(crate) fn gethostbyaddr_r(addr: IpAddr) -> Result<RawHost, LookupError> {
    let (v4, v6);
    let (bytes, af): (&[u8], c_int) = match addr {
        IpAddr::V4(a) => {
            v4 = a.octets();
            (&v4, libc::AF_INET)
        }
        IpAddr::V6(a) => {
            v6 = a.octets();
            (&v6, libc::AF_INET6)
        }
    };
    with_buffer(LookupError::Os(Errno(libc::ERANGE)), |buf| {
        let mut ent = MaybeUninit::<libc::hostent>::uninit();
        let mut result: *mut libc::hostent = ptr::null_mut();
        let mut herr: c_int = 0;
        // SAFETY: bytes is an in_addr/in6_addr in network order of the length
        // passed; ent, result and herr are valid for writes; buf is valid for
        // writes of buf.len() bytes and outlives the call.
        let rc = unsafe {
            ffi::gethostbyaddr_r(
                bytes.as_ptr().cast(),
                socklen(bytes.len()),
                af,
                ent.as_mut_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
                &mut herr,
            )
        };
        // SAFETY: result is null or points to ent, whose data lives in buf, which
        // is still borrowed here.
        unsafe { host_attempt(rc, result, herr) }
    })
}

/// The outcome of one `getserv*_r` / `getproto*_r` call: these return 0 (glibc)
/// or ENOENT (musl) with a null result for "no such entry", ERANGE for a small
/// buffer, another errno on failure.
fn entry_attempt<T>(
    rc: c_int,
    found: Option<Result<T, LookupError>>,
) -> Attempt<Option<T>, LookupError> {
    match (rc, found) {
        (_, Some(v)) => Attempt::Done(v.map(Some)),
        (0 | libc::ENOENT, None) => Attempt::Done(Ok(None)),
        (libc::ERANGE, None) => Attempt::TooSmall,
        (rc, None) => Attempt::Done(Err(LookupError::Os(Errno(rc)))),
    }
}

/// `getservbyname_r(3)`; `None` when there is no such service.
pub(crate) fn getservbyname_r(
    name: &CStr,
    proto: Option<&CStr>,
) -> Result<Option<RawServ>, LookupError> {
    let proto = proto.map_or(ptr::null(), CStr::as_ptr);
    with_buffer(LookupError::Os(Errno(libc::ERANGE)), |buf| {
        let mut ent = MaybeUninit::<libc::servent>::uninit();
        let mut result: *mut libc::servent = ptr::null_mut();
        // SAFETY: name and proto (or null) are NUL-terminated; ent and result are
        // valid for writes; buf is valid for writes of buf.len() bytes.
        let rc = unsafe {
            ffi::getservbyname_r(
                name.as_ptr(),
                proto,
                ent.as_mut_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            )
        };
        // SAFETY: a non-null result points to ent, filled from buf, still alive.
        let found = (!result.is_null()).then(|| unsafe { copy_servent(&*result) });
        entry_attempt(rc, found)
    })
}

/// `getservbyport_r(3)`; `port` in host byte order; `None` when there is none.
pub(crate) fn getservbyport_r(
    port: u16,
    proto: Option<&CStr>,
) -> Result<Option<RawServ>, LookupError> {
    let proto = proto.map_or(ptr::null(), CStr::as_ptr);
    // The C call wants the port in network byte order, widened to int.
    let port = c_int::from(port.to_be());
    with_buffer(LookupError::Os(Errno(libc::ERANGE)), |buf| {
        let mut ent = MaybeUninit::<libc::servent>::uninit();
        let mut result: *mut libc::servent = ptr::null_mut();
        // SAFETY: proto is null or NUL-terminated; ent and result are valid for
        // writes; buf is valid for writes of buf.len() bytes.
        let rc = unsafe {
            ffi::getservbyport_r(
                port,
                proto,
                ent.as_mut_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            )
        };
        // SAFETY: a non-null result points to ent, filled from buf, still alive.
        let found = (!result.is_null()).then(|| unsafe { copy_servent(&*result) });
        entry_attempt(rc, found)
    })
}

/// `getprotobyname_r(3)`; `None` when there is no such protocol.
#[cfg(target_env = "gnu")]
pub(crate) fn getprotobyname_r(name: &CStr) -> Result<Option<RawProto>, LookupError> {
    with_buffer(LookupError::Os(Errno(libc::ERANGE)), |buf| {
        let mut ent = MaybeUninit::<libc::protoent>::uninit();
        let mut result: *mut libc::protoent = ptr::null_mut();
        // SAFETY: name is NUL-terminated; ent and result are valid for writes;
        // buf is valid for writes of buf.len() bytes.
        let rc = unsafe {
            ffi::getprotobyname_r(
                name.as_ptr(),
                ent.as_mut_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            )
        };
        // SAFETY: a non-null result points to ent, filled from buf, still alive.
        let found = (!result.is_null()).then(|| unsafe { copy_protoent(&*result) });
        entry_attempt(rc, found)
    })
}

/// `getprotobynumber_r(3)`; `None` when there is no such protocol.
#[cfg(target_env = "gnu")]
pub(crate) fn getprotobynumber_r(proto: c_int) -> Result<Option<RawProto>, LookupError> {
    with_buffer(LookupError::Os(Errno(libc::ERANGE)), |buf| {
        let mut ent = MaybeUninit::<libc::protoent>::uninit();
        let mut result: *mut libc::protoent = ptr::null_mut();
        // SAFETY: ent and result are valid for writes; buf is valid for writes of
        // buf.len() bytes.
        let rc = unsafe {
            ffi::getprotobynumber_r(
                proto,
                ent.as_mut_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            )
        };
        // SAFETY: a non-null result points to ent, filled from buf, still alive.
        let found = (!result.is_null()).then(|| unsafe { copy_protoent(&*result) });
        entry_attempt(rc, found)
    })
}
