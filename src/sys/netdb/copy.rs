//! Copying a `hostent`, `servent` or `protoent` out of the buffer a reentrant call
//! filled in, into owned values that outlive it.

use std::ffi::{CStr, c_char, c_int};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::Errno;

/// Why a hostent, servent or protoent lookup failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LookupError {
    /// `h_errno` (HOST_NOT_FOUND, TRY_AGAIN, NO_RECOVERY, NO_DATA).
    Herrno(c_int),
    /// The call failed with this errno (`NETDB_INTERNAL` for host lookups).
    Os(Errno),
    /// The named field of the answer is not UTF-8.
    NotUtf8(&'static str),
    /// The answer does not fit the owned types (an unknown address length).
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
    std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| LookupError::NotUtf8(what))
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
pub(super) unsafe fn copy_hostent(h: &libc::hostent) -> Result<RawHost, LookupError> {
    let width = match (h.h_addrtype, h.h_length) {
        (libc::AF_INET, 4) => 4,
        (libc::AF_INET6, 16) => 16,
        _ => {
            return Err(LookupError::Decode("h_addrtype/h_length is not AF_INET/4 or AF_INET6/16"));
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
        name: unsafe { c_text(h.h_name, "h_name") }?,
        // SAFETY: h_aliases is a valid NULL-terminated list, per the contract.
        aliases: unsafe { c_text_list(h.h_aliases, "an h_aliases entry") }?,
        addrtype: h.h_addrtype,
        addrs,
    })
}

/// Copies a `servent` that a successful `_r` call filled in.
///
/// # Safety
/// `s` and the strings it points to are valid for the duration of the call.
pub(super) unsafe fn copy_servent(s: &libc::servent) -> Result<RawServ, LookupError> {
    Ok(RawServ {
        // SAFETY: s_name is null or a valid string, per this function's contract.
        name: unsafe { c_text(s.s_name, "s_name") }?,
        // SAFETY: s_aliases is a valid NULL-terminated list, per the contract.
        aliases: unsafe { c_text_list(s.s_aliases, "an s_aliases entry") }?,
        // s_port holds the port in network byte order in its low 16 bits.
        port: u16::from_be(s.s_port as u16),
        // SAFETY: s_proto is null or a valid string, per the contract.
        proto: unsafe { c_text(s.s_proto, "s_proto") }?,
    })
}

/// Copies a `protoent` that a successful `_r` call filled in.
///
/// # Safety
/// `p` and the strings it points to are valid for the duration of the call.
pub(super) unsafe fn copy_protoent(p: &libc::protoent) -> Result<RawProto, LookupError> {
    Ok(RawProto {
        // SAFETY: p_name is null or a valid string, per this function's contract.
        name: unsafe { c_text(p.p_name, "p_name") }?,
        // SAFETY: p_aliases is a valid NULL-terminated list, per the contract.
        aliases: unsafe { c_text_list(p.p_aliases, "a p_aliases entry") }?,
        proto: p.p_proto,
    })
}
