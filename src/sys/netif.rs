//! `<net/if.h>`: network interface names and indexes.

use std::ffi::CStr;

use super::{Errno, last_errno};

/// `IF_NAMESIZE`: the size of an interface name buffer, its NUL included.
pub(crate) const IF_NAMESIZE: usize = libc::IF_NAMESIZE;

/// The errno of a call that reported failure, or `fallback` if it set none
/// (POSIX does not require these calls to set errno).
#[cold]
fn failure(fallback: Errno) -> Errno {
    match last_errno() {
        Errno(0) => fallback,
        e => e,
    }
}

/// `if_nametoindex(3)`: the index of the interface `name`.
pub(crate) fn if_nametoindex(name: &CStr) -> Result<u32, Errno> {
    // SAFETY: name is a valid NUL-terminated string that outlives the call.
    let index = unsafe { libc::if_nametoindex(name.as_ptr()) };
    if index == 0 { Err(failure(Errno(libc::ENODEV))) } else { Ok(index) }
}

/// `if_indextoname(3)`: the name of the interface `index`, written into `buf`;
/// returns its bytes without the NUL.
pub(crate) fn if_indextoname(index: u32, buf: &mut [u8; IF_NAMESIZE]) -> Result<&[u8], Errno> {
    buf[0] = 0;
    // SAFETY: buf is valid for writes of IF_NAMESIZE bytes, the size the call
    // requires; it writes a NUL-terminated name of at most that size.
    let p = unsafe { libc::if_indextoname(index, buf.as_mut_ptr().cast()) };
    if p.is_null() {
        return Err(failure(Errno(libc::ENXIO)));
    }
    // A name that somehow filled the buffer without a NUL is cut at its end.
    let len = buf.iter().position(|&b| b == 0).unwrap_or(IF_NAMESIZE);
    Ok(&buf[..len])
}

/// `if_nameindex(3)`: every interface as (index, name bytes), copied out of the
/// C array, which is freed with `if_freenameindex` before returning.
pub(crate) fn if_nameindex() -> Result<Vec<(u32, Vec<u8>)>, Errno> {
    // SAFETY: if_nameindex takes no arguments; it returns a heap array that we
    // free below, or NULL with errno set.
    let list = unsafe { libc::if_nameindex() };
    if list.is_null() {
        return Err(failure(Errno(libc::ENOBUFS)));
    }
    let mut out = Vec::new();
    let mut p = list;
    loop {
        // SAFETY: p points into the array if_nameindex returned, which ends with
        // an entry of index 0 and name NULL; we stop there and never step past it.
        let entry = unsafe { &*p };
        if entry.if_index == 0 || entry.if_name.is_null() {
            break;
        }
        // SAFETY: a non-NULL if_name is a NUL-terminated string owned by the
        // array, alive until if_freenameindex below; its bytes are copied.
        let name = unsafe { CStr::from_ptr(entry.if_name) };
        out.push((entry.if_index, name.to_bytes().to_vec()));
        // SAFETY: this entry was not the terminator, so the next one exists.
        p = unsafe { p.add(1) };
    }
    // SAFETY: list came from if_nameindex and is freed once; no reference into it
    // outlives this line (the names were copied).
    unsafe { libc::if_freenameindex(list) };
    Ok(out)
}
