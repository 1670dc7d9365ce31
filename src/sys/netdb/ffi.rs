//! glibc's reentrant lookups, with the exact prototypes of its `<netdb.h>`: the
//! `libc` crate does not declare them.

use libc::{c_char, c_int, c_void, hostent, protoent, servent, size_t, socklen_t};

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
    pub(crate) fn getprotobyname_r(
        name: *const c_char,
        result_buf: *mut protoent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut protoent,
    ) -> c_int;
    pub(crate) fn getprotobynumber_r(
        proto: c_int,
        result_buf: *mut protoent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut protoent,
    ) -> c_int;
}
