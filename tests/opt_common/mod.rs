//! What the option tests share: raw libc `getsockopt` / `setsockopt`, the
//! independent reference that every typed option is checked against at the level
//! and name the C headers give; the test rows ([`rows`]); the privileged cases
//! ([`privileged`]); and the sockets they run on.
#![allow(dead_code)]

pub mod privileged;
pub mod rows;

use std::mem::{MaybeUninit, size_of};
use std::net::{Ipv4Addr, SocketAddrV4};
use std::os::fd::AsRawFd;

use bsdsock::{Domain, Errno, Protocol, SockAddr, Socket, Type, socket, socketpair};

pub fn tcp4() -> Socket {
    socket(Domain::INET, Type::STREAM, Protocol::DEFAULT).unwrap()
}
pub fn udp4() -> Socket {
    socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT).unwrap()
}
pub fn tcp6() -> Socket {
    socket(Domain::INET6, Type::STREAM, Protocol::DEFAULT).unwrap()
}
pub fn udp6() -> Socket {
    socket(Domain::INET6, Type::DGRAM, Protocol::DEFAULT).unwrap()
}

/// One end of a Unix stream pair (the other end is closed).
pub fn unix_stream() -> Socket {
    socketpair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap().0
}

/// `127.0.0.1:port`.
pub fn loopback(port: u16) -> SockAddr {
    SockAddr::from(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))
}

/// A UDP socket bound to loopback, and its address.
pub fn bound_udp4() -> (Socket, SockAddr) {
    let s = udp4();
    s.bind(&loopback(0)).unwrap();
    let a = s.getsockname().unwrap();
    (s, a)
}

// Not every test crate that includes this module uses it.
#[allow(unused_imports)]
pub use crate::common::tcp_pair;

/// A sysctl or sysfs value, trimmed.
pub fn sysctl(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}")).trim().to_string()
}

/// Plain C values that `raw_get` may fill from zeroed memory.
///
/// # Safety
/// All-zero bytes and any bytes the kernel writes must be a valid `Self`.
pub unsafe trait CValue: Copy {}
// SAFETY: integers and C structs of integers: every bit pattern is valid.
unsafe impl CValue for i32 {}
// SAFETY: as above.
unsafe impl CValue for u64 {}
// SAFETY: as above.
unsafe impl CValue for libc::linger {}
// SAFETY: as above.
unsafe impl CValue for libc::timeval {}
// SAFETY: as above.
unsafe impl CValue for libc::in_addr {}
// SAFETY: as above.
unsafe impl CValue for libc::ucred {}
// SAFETY: as above.
unsafe impl CValue for libc::sock_txtime {}
// SAFETY: as above.
unsafe impl CValue for libc::tcp_info {}
// SAFETY: as above.
unsafe impl CValue for libc::ip_mreq {}
// SAFETY: as above.
unsafe impl CValue for libc::ip_mreqn {}
// SAFETY: as above.
unsafe impl CValue for libc::ip_mreq_source {}
// SAFETY: as above.
unsafe impl CValue for libc::ipv6_mreq {}

/// libc `getsockopt` of a `T`: the value and the length the kernel reported.
pub fn raw_get<T: CValue>(fd: &impl AsRawFd, level: i32, name: i32) -> Result<(T, usize), Errno> {
    // SAFETY: T is a CValue, for which all-zero bytes are valid.
    let mut v: T = unsafe { MaybeUninit::zeroed().assume_init() };
    let mut len = size_of::<T>() as libc::socklen_t;
    // SAFETY: v is a live T, valid for writes of len bytes; len is a valid pointer.
    let r = unsafe {
        libc::getsockopt(fd.as_raw_fd(), level, name, (&mut v as *mut T).cast(), &mut len)
    };
    if r == -1 { Err(Errno::last()) } else { Ok((v, len as usize)) }
}

/// libc `getsockopt` of a C `int`, which must come back whole.
#[track_caller]
pub fn raw_get_int(fd: &impl AsRawFd, level: i32, name: i32) -> i32 {
    let (v, len) = raw_get::<i32>(fd, level, name)
        .unwrap_or_else(|e| panic!("raw getsockopt({level}, {name}): {e:?}"));
    assert_eq!(len, 4, "raw getsockopt({level}, {name}) length");
    v
}

/// libc `getsockopt` into a byte buffer; the length the kernel reported.
pub fn raw_get_bytes(
    fd: &impl AsRawFd,
    level: i32,
    name: i32,
    buf: &mut [u8],
) -> Result<usize, Errno> {
    let mut len = buf.len() as libc::socklen_t;
    // SAFETY: buf is valid for writes of len bytes; len is a valid pointer.
    let r =
        unsafe { libc::getsockopt(fd.as_raw_fd(), level, name, buf.as_mut_ptr().cast(), &mut len) };
    if r == -1 { Err(Errno::last()) } else { Ok(len as usize) }
}

/// libc `setsockopt` of a `T`.
pub fn raw_set<T: Copy>(fd: &impl AsRawFd, level: i32, name: i32, v: &T) -> Result<(), Errno> {
    // SAFETY: v points to a live T of size_of::<T>() bytes, the length passed.
    let r = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (v as *const T).cast(),
            size_of::<T>() as libc::socklen_t,
        )
    };
    if r == -1 { Err(Errno::last()) } else { Ok(()) }
}

/// libc `setsockopt` of raw bytes.
pub fn raw_set_bytes(fd: &impl AsRawFd, level: i32, name: i32, v: &[u8]) -> Result<(), Errno> {
    // SAFETY: v is valid for reads of v.len() bytes, the length passed.
    let r = unsafe {
        libc::setsockopt(fd.as_raw_fd(), level, name, v.as_ptr().cast(), v.len() as libc::socklen_t)
    };
    if r == -1 { Err(Errno::last()) } else { Ok(()) }
}

/// libc `setsockopt` of a C `int`, which must succeed.
#[track_caller]
pub fn raw_set_int(fd: &impl AsRawFd, level: i32, name: i32, v: i32) {
    raw_set(fd, level, name, &v)
        .unwrap_or_else(|e| panic!("raw setsockopt({level}, {name}, {v}): {e:?}"));
}

/// Whether this process has root's privileges (and so CAP_NET_ADMIN, CAP_NET_RAW).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// The index of the loopback interface, read from the kernel.
pub fn lo_index() -> u32 {
    // SAFETY: the argument is a NUL-terminated string literal.
    let i = unsafe { libc::if_nametoindex(c"lo".as_ptr()) };
    assert_ne!(i, 0, "no loopback interface");
    i
}
