//! The reentrant lookups of glibc and musl, with the exact prototypes of their
//! `<netdb.h>`: the `libc` crate does not declare them.
//!
//! glibc has all seven. musl (`<netdb.h>`, 1.2) has the five host and service
//! ones with the same prototypes, but no `getprotobyname_r` or
//! `getprotobynumber_r`: see `locked` for those.

#[cfg(target_env = "gnu")]
use libc::protoent;
use libc::{c_char, c_int, c_void, hostent, servent, size_t, socklen_t};

unsafe extern "C" {
    pub(crate) fn gethostbyname_r(
        name: *const c_char,
        result_buf: *mut hostent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut hostent,
        h_errnop: *mut c_int,
    ) -> c_int;
    pub(crate) fn gethostbyname2_r(
        name: *const c_char,
        af: c_int,
        result_buf: *mut hostent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut hostent,
        h_errnop: *mut c_int,
    ) -> c_int;
    pub(crate) fn gethostbyaddr_r(
        addr: *const c_void,
        len: socklen_t,
        type_: c_int,
        result_buf: *mut hostent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut hostent,
        h_errnop: *mut c_int,
    ) -> c_int;
    pub(crate) fn getservbyname_r(
        name: *const c_char,
        proto: *const c_char,
        result_buf: *mut servent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut servent,
    ) -> c_int;
    pub(crate) fn getservbyport_r(
        port: c_int,
        proto: *const c_char,
        result_buf: *mut servent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut servent,
    ) -> c_int;
    #[cfg(target_env = "gnu")]
    pub(crate) fn getprotobyname_r(
        name: *const c_char,
        result_buf: *mut protoent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut protoent,
    ) -> c_int;
    #[cfg(target_env = "gnu")]
    pub(crate) fn getprotobynumber_r(
        proto: c_int,
        result_buf: *mut protoent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut protoent,
    ) -> c_int;
}
