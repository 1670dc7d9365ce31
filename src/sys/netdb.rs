//! The resolver calls of `<netdb.h>`, reentrant forms only.
//!
//! C's `gethostbyname` family returns pointers into static storage that the next
//! call on any thread overwrites. Here every lookup uses the `_r` variant with a
//! buffer owned by the call (on the stack first, doubled on the heap while the
//! library answers `ERANGE`), or `getaddrinfo`/`getnameinfo`, and everything is
//! copied into owned values before the buffer goes away. The only C memory that
//! leaves this module is the `getaddrinfo` list, inside [`AddrInfoList`], which
//! owns it, lends out entries tied to its lifetime, and frees it when dropped.
//!
//! glibc's `_r` prototypes are not in the `libc` crate, so they are declared
//! below; they exist only on Linux with glibc, and the functions that need them are
//! compiled only there.

use std::ffi::{CStr, c_char, c_int};
use std::mem::MaybeUninit;
use std::ptr;

use super::Errno;
use super::socklen;

// h_errno values (<netdb.h>); the same numbers on every system that has them.
/// `NETDB_INTERNAL`: see errno.
pub(crate) const NETDB_INTERNAL: c_int = -1;
/// `HOST_NOT_FOUND`.
pub(crate) const HOST_NOT_FOUND: c_int = 1;
/// `TRY_AGAIN`.
pub(crate) const TRY_AGAIN: c_int = 2;
/// `NO_RECOVERY`.
pub(crate) const NO_RECOVERY: c_int = 3;
/// `NO_DATA` (also `NO_ADDRESS`).
pub(crate) const NO_DATA: c_int = 4;

/// `EAI_ADDRFAMILY`: glibc's code for "the host has no address of the requested
/// family" (a GNU extension the `libc` crate does not export).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(crate) const EAI_ADDRFAMILY: c_int = -9;

/// `NI_MAXSERV`: the longest service name `getnameinfo` writes, NUL included.
const NI_MAXSERV: usize = 32;
/// `NI_MAXHOST`: the longest host name `getnameinfo` writes, NUL included.
const NI_MAXHOST: usize = 1025;

/// Copies a C string; a null pointer reads as empty.
///
/// # Safety
/// `s` is null or points to a NUL-terminated string that stays valid for the call.
unsafe fn c_bytes(s: *const c_char) -> Vec<u8> {
    if s.is_null() {
        return Vec::new();
    }
    // SAFETY: the caller guarantees s is a valid NUL-terminated string.
    unsafe { CStr::from_ptr(s) }.to_bytes().to_vec()
}

/// `gethostname(2)`: the bytes of this machine's host name.
pub(crate) fn gethostname() -> Result<Vec<u8>, Errno> {
    // HOST_NAME_MAX is 64 on Linux and 255 at most anywhere (POSIX allows that
    // much); one more byte for the NUL.
    let mut buf = [0u8; 256];
    // SAFETY: buf is valid for writes of buf.len() bytes.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc == -1 {
        return Err(super::last_errno());
    }
    // POSIX leaves a truncated name unterminated: refuse it rather than guess.
    match CStr::from_bytes_until_nul(&buf) {
        Ok(s) => Ok(s.to_bytes().to_vec()),
        Err(_) => Err(Errno(libc::ENAMETOOLONG)),
    }
}

/// The reentrant `gethostby*_r`, `getservby*_r` and `getprotoby*_r` calls:
/// glibc only (their prototypes differ, or they are missing, elsewhere).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod reentrant {
    use std::ffi::{CStr, c_char, c_int};
    use std::mem::MaybeUninit;
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    use std::ptr;

    use super::Errno;
    use super::{NETDB_INTERNAL, NO_RECOVERY, socklen};

    mod ffi {
        //! glibc's reentrant lookups, with the exact prototypes of its `<netdb.h>`.
        use libc::{c_char, c_int, c_void, hostent, protoent, servent, size_t, socklen_t};

        unsafe extern "C" {
            pub(super) fn gethostbyname_r(
                name: *const c_char,
                result_buf: *mut hostent,
                buf: *mut c_char,
                buflen: size_t,
                result: *mut *mut hostent,
                h_errnop: *mut c_int,
            ) -> c_int;
            pub(super) fn gethostbyname2_r(
                name: *const c_char,
                af: c_int,
                result_buf: *mut hostent,
                buf: *mut c_char,
                buflen: size_t,
                result: *mut *mut hostent,
                h_errnop: *mut c_int,
            ) -> c_int;
            pub(super) fn gethostbyaddr_r(
                addr: *const c_void,
                len: socklen_t,
                type_: c_int,
                result_buf: *mut hostent,
                buf: *mut c_char,
                buflen: size_t,
                result: *mut *mut hostent,
                h_errnop: *mut c_int,
            ) -> c_int;
            pub(super) fn getservbyname_r(
                name: *const c_char,
                proto: *const c_char,
                result_buf: *mut servent,
                buf: *mut c_char,
                buflen: size_t,
                result: *mut *mut servent,
            ) -> c_int;
            pub(super) fn getservbyport_r(
                port: c_int,
                proto: *const c_char,
                result_buf: *mut servent,
                buf: *mut c_char,
                buflen: size_t,
                result: *mut *mut servent,
            ) -> c_int;
            pub(super) fn getprotobyname_r(
                name: *const c_char,
                result_buf: *mut protoent,
                buf: *mut c_char,
                buflen: size_t,
                result: *mut *mut protoent,
            ) -> c_int;
            pub(super) fn getprotobynumber_r(
                proto: c_int,
                result_buf: *mut protoent,
                buf: *mut c_char,
                buflen: size_t,
                result: *mut *mut protoent,
            ) -> c_int;
        }
    }

    /// Why a hostent, servent or protoent lookup failed.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum LookupError {
        /// `h_errno` (HOST_NOT_FOUND, TRY_AGAIN, NO_RECOVERY, NO_DATA).
        Herrno(c_int),
        /// The call failed with this errno (`NETDB_INTERNAL` for host lookups).
        Os(Errno),
        /// The answer does not fit the owned types (an unknown address length, a
        /// name that is not UTF-8).
        Decode(&'static str),
    }

    /// A `hostent`, copied out of the C buffer.
    #[derive(Debug)]
    pub(crate) struct RawHost {
        pub(crate) name: String,
        pub(crate) aliases: Vec<String>,
        pub(crate) addrtype: c_int,
        pub(crate) addrs: Vec<IpAddr>,
    }

    /// A `servent`, copied out; `port` is in host byte order.
    #[derive(Debug)]
    pub(crate) struct RawServ {
        pub(crate) name: String,
        pub(crate) aliases: Vec<String>,
        pub(crate) port: u16,
        pub(crate) proto: String,
    }

    /// A `protoent`, copied out.
    #[derive(Debug)]
    pub(crate) struct RawProto {
        pub(crate) name: String,
        pub(crate) aliases: Vec<String>,
        pub(crate) proto: c_int,
    }

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

    /// Copies a C string as text; a null pointer reads as empty. Names that are
    /// not UTF-8 are reported (as `what`), never altered.
    ///
    /// # Safety
    /// `s` is null or points to a NUL-terminated string that stays valid for the
    /// call.
    unsafe fn c_text(s: *const c_char, what: &'static str) -> Result<String, LookupError> {
        if s.is_null() {
            return Ok(String::new());
        }
        // SAFETY: the caller guarantees s is a valid NUL-terminated string.
        let bytes = unsafe { CStr::from_ptr(s) }.to_bytes();
        // Host, service and protocol names are ASCII in practice; checking that
        // is a fraction of the cost of full UTF-8 validation on short strings,
        // which matters next to a lookup served from a cached file.
        if bytes.is_ascii() {
            // SAFETY: ASCII bytes are valid UTF-8.
            return Ok(unsafe { std::str::from_utf8_unchecked(bytes) }.to_owned());
        }
        std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| LookupError::Decode(what))
    }

    /// A NULL-terminated array of pointers (`h_aliases`, `h_addr_list`, ...) as a
    /// slice, without its terminator; a null array is empty.
    ///
    /// # Safety
    /// `list` is null or points to an array of pointers ending with a null pointer
    /// that stays valid, and unchanged, for `'a`.
    unsafe fn ptr_list<'a>(list: *const *mut c_char) -> &'a [*mut c_char] {
        if list.is_null() {
            return &[];
        }
        let mut n = 0;
        // SAFETY: the array is NULL-terminated and we stop at the terminator, so
        // index n is always in bounds.
        while !unsafe { *list.add(n) }.is_null() {
            n += 1;
        }
        // SAFETY: the first n entries were just read, so they are in bounds and
        // initialized; the caller guarantees they stay valid for 'a.
        unsafe { std::slice::from_raw_parts(list, n) }
    }

    /// Copies a NULL-terminated array of C strings (`h_aliases`, `s_aliases`, ...).
    ///
    /// # Safety
    /// `list` is null or points to an array of pointers ending with a null pointer,
    /// each one a valid NUL-terminated string; all of it stays valid for the call.
    unsafe fn c_text_list(
        list: *const *mut c_char,
        what: &'static str,
    ) -> Result<Vec<String>, LookupError> {
        // SAFETY: per this function's contract.
        let ptrs = unsafe { ptr_list(list) };
        let mut out = Vec::with_capacity(ptrs.len());
        for &s in ptrs {
            // SAFETY: every entry is a valid NUL-terminated string.
            out.push(unsafe { c_text(s, what) }?);
        }
        Ok(out)
    }

    /// Copies a `hostent` that a successful `_r` call filled in.
    ///
    /// # Safety
    /// `h` and everything it points to (name, aliases, address list) are valid, as a
    /// successful `gethostby*_r` call leaves them, for the duration of the call.
    unsafe fn copy_hostent(h: &libc::hostent) -> Result<RawHost, LookupError> {
        let width = match (h.h_addrtype, h.h_length) {
            (libc::AF_INET, 4) => 4,
            (libc::AF_INET6, 16) => 16,
            _ => {
                return Err(LookupError::Decode(
                    "h_addrtype/h_length is not AF_INET/4 or AF_INET6/16",
                ));
            }
        };
        // SAFETY: h_addr_list is a valid NULL-terminated list, per the contract.
        let ptrs = unsafe { ptr_list(h.h_addr_list) };
        let mut addrs = Vec::with_capacity(ptrs.len());
        for &p in ptrs {
            // SAFETY: each entry points to h_length (= width) bytes of address.
            let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), width) };
            addrs.push(match width {
                4 => IpAddr::V4(Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3])),
                _ => {
                    let mut a = [0u8; 16];
                    a.copy_from_slice(bytes);
                    IpAddr::V6(Ipv6Addr::from(a))
                }
            });
        }
        Ok(RawHost {
            // SAFETY: h_name is null or a valid string, per this function's contract.
            name: unsafe { c_text(h.h_name, "h_name is not UTF-8") }?,
            // SAFETY: h_aliases is a valid NULL-terminated list, per the contract.
            aliases: unsafe { c_text_list(h.h_aliases, "an h_aliases entry is not UTF-8") }?,
            addrtype: h.h_addrtype,
            addrs,
        })
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

    /// Copies a `servent` that a successful `_r` call filled in.
    ///
    /// # Safety
    /// `s` and the strings it points to are valid for the duration of the call.
    unsafe fn copy_servent(s: &libc::servent) -> Result<RawServ, LookupError> {
        Ok(RawServ {
            // SAFETY: s_name is null or a valid string, per this function's contract.
            name: unsafe { c_text(s.s_name, "s_name is not UTF-8") }?,
            // SAFETY: s_aliases is a valid NULL-terminated list, per the contract.
            aliases: unsafe { c_text_list(s.s_aliases, "an s_aliases entry is not UTF-8") }?,
            // s_port holds the port in network byte order in its low 16 bits.
            port: u16::from_be(s.s_port as u16),
            // SAFETY: s_proto is null or a valid string, per the contract.
            proto: unsafe { c_text(s.s_proto, "s_proto is not UTF-8") }?,
        })
    }

    /// Copies a `protoent` that a successful `_r` call filled in.
    ///
    /// # Safety
    /// `p` and the strings it points to are valid for the duration of the call.
    unsafe fn copy_protoent(p: &libc::protoent) -> Result<RawProto, LookupError> {
        Ok(RawProto {
            // SAFETY: p_name is null or a valid string, per this function's contract.
            name: unsafe { c_text(p.p_name, "p_name is not UTF-8") }?,
            // SAFETY: p_aliases is a valid NULL-terminated list, per the contract.
            aliases: unsafe { c_text_list(p.p_aliases, "a p_aliases entry is not UTF-8") }?,
            proto: p.p_proto,
        })
    }

    /// The outcome of one `getserv*_r` / `getproto*_r` call: these return 0 with a
    /// null result for "no such entry", ERANGE for a small buffer, another errno on
    /// failure.
    fn entry_attempt<T>(
        rc: c_int,
        found: Option<Result<T, LookupError>>,
    ) -> Attempt<Option<T>, LookupError> {
        match (rc, found) {
            (_, Some(v)) => Attempt::Done(v.map(Some)),
            (0, None) => Attempt::Done(Ok(None)),
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
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(crate) use reentrant::*;

/// A failed `getaddrinfo` / `getnameinfo`: the `EAI_*` code, and for `EAI_SYSTEM`
/// the errno read right after the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GaiError {
    pub(crate) code: c_int,
    pub(crate) errno: Option<Errno>,
}

impl GaiError {
    /// Captures errno now, before anything else can overwrite it.
    fn from_code(code: c_int) -> GaiError {
        let errno = (code == libc::EAI_SYSTEM).then(super::last_errno);
        GaiError { code, errno }
    }
}

/// The `ai_flags`, `ai_family`, `ai_socktype`, `ai_protocol` of a hints struct.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hints {
    pub(crate) flags: c_int,
    pub(crate) family: c_int,
    pub(crate) socktype: c_int,
    pub(crate) protocol: c_int,
}

/// The list `getaddrinfo` returned; `freeaddrinfo` runs when it is dropped, so the
/// list is freed on every path, a panic in a caller's loop included.
pub(crate) struct AddrInfoList {
    head: *mut libc::addrinfo,
}

impl Drop for AddrInfoList {
    fn drop(&mut self) {
        if !self.head.is_null() {
            // SAFETY: head came from a successful getaddrinfo and is freed exactly
            // once, here; no entry borrowed from it outlives self.
            unsafe { libc::freeaddrinfo(self.head) };
        }
    }
}

/// One entry of an [`AddrInfoList`], borrowed from it.
pub(crate) struct AddrInfoEntry<'a> {
    pub(crate) family: c_int,
    pub(crate) socktype: c_int,
    pub(crate) protocol: c_int,
    /// The `ai_addr` bytes, `ai_addrlen` long.
    pub(crate) addr: &'a [u8],
    pub(crate) canonname: Option<&'a CStr>,
}

impl AddrInfoList {
    /// The entries in the order `getaddrinfo` sorted them.
    pub(crate) fn iter(&self) -> impl Iterator<Item = AddrInfoEntry<'_>> + '_ {
        let mut next = self.head;
        std::iter::from_fn(move || {
            if next.is_null() {
                return None;
            }
            // SAFETY: next is a node of the list self owns (the head or an
            // ai_next link), valid until self is dropped, which the returned
            // borrow prevents.
            let ai = unsafe { &*next };
            next = ai.ai_next;
            let addr = if ai.ai_addr.is_null() {
                &[][..]
            } else {
                // SAFETY: ai_addr points to ai_addrlen bytes of sockaddr owned by
                // the list.
                unsafe {
                    std::slice::from_raw_parts(ai.ai_addr.cast::<u8>(), ai.ai_addrlen as usize)
                }
            };
            let canonname = (!ai.ai_canonname.is_null())
                // SAFETY: a non-null ai_canonname is a NUL-terminated string owned
                // by the list.
                .then(|| unsafe { CStr::from_ptr(ai.ai_canonname) });
            Some(AddrInfoEntry {
                family: ai.ai_family,
                socktype: ai.ai_socktype,
                protocol: ai.ai_protocol,
                addr,
                canonname,
            })
        })
    }
}

/// `getaddrinfo(3)`. On failure nothing was allocated; on success the list is
/// owned by the returned value.
pub(crate) fn getaddrinfo(
    host: Option<&CStr>,
    service: Option<&CStr>,
    hints: Hints,
) -> Result<AddrInfoList, GaiError> {
    // SAFETY: an all-zero addrinfo is valid (integers and null pointers), and it is
    // what POSIX asks the unused fields of hints to be.
    let mut h: libc::addrinfo = unsafe { std::mem::zeroed() };
    h.ai_flags = hints.flags;
    h.ai_family = hints.family;
    h.ai_socktype = hints.socktype;
    h.ai_protocol = hints.protocol;
    let mut head: *mut libc::addrinfo = ptr::null_mut();
    // SAFETY: host and service are null or NUL-terminated; h is a valid hints
    // struct; head is valid for writes.
    let rc = unsafe {
        libc::getaddrinfo(
            host.map_or(ptr::null(), CStr::as_ptr),
            service.map_or(ptr::null(), CStr::as_ptr),
            &h,
            &mut head,
        )
    };
    if rc != 0 {
        return Err(GaiError::from_code(rc));
    }
    Ok(AddrInfoList { head })
}

/// `getnameinfo(3)`: host and service text for the sockaddr bytes `addr`.
pub(crate) fn getnameinfo(addr: &[u8], flags: c_int) -> Result<(Vec<u8>, Vec<u8>), GaiError> {
    // Left uninitialized: getnameinfo writes a NUL-terminated string into each on
    // success, and only that string is read back.
    let mut host = [MaybeUninit::<u8>::uninit(); NI_MAXHOST];
    let mut serv = [MaybeUninit::<u8>::uninit(); NI_MAXSERV];
    // SAFETY: addr is valid for reads of addr.len() bytes (the length passed);
    // host and serv are valid for writes of their lengths.
    let rc = unsafe {
        libc::getnameinfo(
            addr.as_ptr().cast(),
            socklen(addr.len()),
            host.as_mut_ptr().cast(),
            socklen(host.len()),
            serv.as_mut_ptr().cast(),
            socklen(serv.len()),
            flags,
        )
    };
    if rc != 0 {
        return Err(GaiError::from_code(rc));
    }
    // SAFETY: on success getnameinfo stored a NUL-terminated string within each
    // buffer (POSIX; glibc reports EAI_OVERFLOW rather than truncate), so the bytes
    // up to and including the NUL are initialized.
    let host = unsafe { c_bytes(host.as_ptr().cast()) };
    // SAFETY: as for host.
    let serv = unsafe { c_bytes(serv.as_ptr().cast()) };
    Ok((host, serv))
}

/// `gai_strerror(3)`: the text for an `EAI_*` code.
pub(crate) fn gai_strerror(code: c_int) -> String {
    // SAFETY: gai_strerror takes any int and returns a pointer to a constant
    // NUL-terminated message (never freed), or null on some systems for unknown
    // codes, which is checked.
    let p = unsafe { libc::gai_strerror(code) };
    // SAFETY: a non-null p is a valid NUL-terminated string that lives as long as
    // the process; it is copied at once.
    message(unsafe { c_bytes(p) })
}

/// `hstrerror(3)`: the text for an `h_errno` code.
pub(crate) fn hstrerror(code: c_int) -> String {
    // SAFETY: hstrerror takes any int and returns a pointer to a constant
    // NUL-terminated message (never freed), or null on some systems for unknown
    // codes, which is checked.
    let p = unsafe { libc::hstrerror(code) };
    // SAFETY: a non-null p is a valid NUL-terminated string that lives as long as
    // the process; it is copied at once.
    message(unsafe { c_bytes(p) })
}

/// A C message as text; a translated message that is not UTF-8, or none at all,
/// becomes a fixed fallback instead of garbage.
fn message(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) if !s.is_empty() => s,
        _ => String::from("Unknown error"),
    }
}
