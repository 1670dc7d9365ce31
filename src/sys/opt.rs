//! The socket-option calls that `sys::getsockopt_val` / `sys::setsockopt` cannot
//! express: an option whose value is a new descriptor, and the classic BPF
//! programs whose C struct carries a pointer. [`SockFilter`] is defined here,
//! beside the call that hands it to the kernel, and re-exported by `opt`.

use std::mem::size_of;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use super::Errno;
use super::cvt;

/// One instruction of a classic BPF program (`struct sock_filter`), as `tcpdump
/// -dd` prints them: `{ code, jt, jf, k }`.
///
/// ```
/// use bsdsock::opt::{setsockopt, SockFilter, SO_ATTACH_FILTER, SO_DETACH_FILTER};
/// use bsdsock::{socket, Domain, Protocol, Type};
/// // "ret #0": accept no packet at all.
/// const DROP_ALL: [SockFilter; 1] = [SockFilter::new(0x06, 0, 0, 0)];
/// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
/// setsockopt(&s, SO_ATTACH_FILTER, &DROP_ALL)?;
/// setsockopt(&s, SO_DETACH_FILTER, ())?;
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(C)]
#[doc(alias = "sock_filter")]
pub struct SockFilter {
    /// `code`: the operation.
    pub code: u16,
    /// `jt`: jump offset if true.
    pub jt: u8,
    /// `jf`: jump offset if false.
    pub jf: u8,
    /// `k`: the operand.
    pub k: u32,
}

impl SockFilter {
    /// `BPF_STMT` / `BPF_JUMP` in one: an instruction from its four fields.
    ///
    /// ```
    /// let ret_all = bsdsock::opt::SockFilter::new(0x06, 0, 0, u32::MAX);
    /// assert_eq!(ret_all.k, u32::MAX);
    /// ```
    pub const fn new(code: u16, jt: u8, jf: u8, k: u32) -> SockFilter {
        SockFilter { code, jt, jf, k }
    }
}

// `SockFilter` is handed to the kernel in place of `struct sock_filter`: same
// size, alignment and field offsets.
const _: () = {
    assert!(size_of::<SockFilter>() == size_of::<libc::sock_filter>());
    assert!(std::mem::align_of::<SockFilter>() == std::mem::align_of::<libc::sock_filter>());
    assert!(
        std::mem::offset_of!(SockFilter, code) == std::mem::offset_of!(libc::sock_filter, code)
    );
    assert!(std::mem::offset_of!(SockFilter, jt) == std::mem::offset_of!(libc::sock_filter, jt));
    assert!(std::mem::offset_of!(SockFilter, jf) == std::mem::offset_of!(libc::sock_filter, jf));
    assert!(std::mem::offset_of!(SockFilter, k) == std::mem::offset_of!(libc::sock_filter, k));
};

/// `getsockopt(2)` of an option whose value is a descriptor the kernel has just
/// created for us (`SO_PEERPIDFD`). `Ok(None)` when the kernel reported a length
/// other than `sizeof(int)`: then what it wrote is not a descriptor we can trust,
/// and it is not closed.
pub(crate) fn getsockopt_fd(
    fd: BorrowedFd<'_>,
    level: i32,
    name: i32,
) -> Result<Option<OwnedFd>, Errno> {
    let mut raw: libc::c_int = -1;
    let mut len = size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: raw is a live c_int, valid for writes of len bytes; len is a valid
    // in/out pointer.
    cvt(unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&mut raw as *mut libc::c_int).cast(),
            &mut len,
        )
    })?;
    if len as usize != size_of::<libc::c_int>() || raw < 0 {
        return Ok(None);
    }
    // SAFETY: the call succeeded and wrote a whole int: for the options this is
    // used with, that is a descriptor the kernel installed for this process and
    // that nothing else owns.
    Ok(Some(unsafe { OwnedFd::from_raw_fd(raw) }))
}

/// `struct sock_fprog` with its padding spelled out. C's struct has a hole
/// between `len` and `filter` (6 bytes on 64-bit targets, 2 on 32-bit) that a
/// `libc::sock_fprog` built in Rust leaves uninitialised, and setsockopt(2) copies
/// the whole struct into the kernel: uninitialised stack bytes handed to the
/// kernel, which valgrind's memcheck reports. Here every byte is a field.
#[repr(C)]
struct Fprog {
    len: libc::c_ushort,
    pad: [u8; FPROG_PAD],
    filter: *const SockFilter,
}

const FPROG_PAD: usize =
    std::mem::offset_of!(libc::sock_fprog, filter) - size_of::<libc::c_ushort>();

// `Fprog` is handed to the kernel in place of `struct sock_fprog`: same size,
// alignment and field offsets, and no implicit padding left anywhere (the
// pointer ends the struct, `pad` fills the hole before it).
const _: () = {
    assert!(size_of::<Fprog>() == size_of::<libc::sock_fprog>());
    assert!(std::mem::align_of::<Fprog>() == std::mem::align_of::<libc::sock_fprog>());
    assert!(std::mem::offset_of!(Fprog, len) == std::mem::offset_of!(libc::sock_fprog, len));
    assert!(std::mem::offset_of!(Fprog, pad) == size_of::<libc::c_ushort>());
    assert!(std::mem::offset_of!(Fprog, filter) == std::mem::offset_of!(libc::sock_fprog, filter));
    assert!(
        std::mem::offset_of!(Fprog, filter) + size_of::<*const SockFilter>() == size_of::<Fprog>()
    );
};

/// `setsockopt(2)` of a classic BPF program (`struct sock_fprog`):
/// `SO_ATTACH_FILTER`, `SO_ATTACH_REUSEPORT_CBPF`. The caller checks that the
/// program length fits `unsigned short`.
pub(crate) fn setsockopt_fprog(
    fd: BorrowedFd<'_>,
    level: i32,
    name: i32,
    prog: &[SockFilter],
    len: u16,
) -> Result<(), Errno> {
    debug_assert_eq!(usize::from(len), prog.len());
    // The kernel only reads the program through `filter`.
    let fprog = Fprog { len, pad: [0; FPROG_PAD], filter: prog.as_ptr() };
    // SAFETY: fprog: fully initialised, `struct sock_fprog`'s layout (checked above);
    // `filter` points to `len` SockFilters (`struct sock_filter`'s layout) that
    // outlive the call, and the kernel copies the program before returning.
    cvt(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&fprog as *const Fprog).cast(),
            size_of::<Fprog>() as libc::socklen_t,
        )
    })
    .map(drop)
}
