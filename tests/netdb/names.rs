//! Names no lookup should ever see (over 253 bytes, or with a NUL), refused by
//! every resolver call before the C library is asked.

use bsdsock::Domain;
use bsdsock::netdb::{
    AiFlags, EaiCode, HErrno, MAX_NAME_LEN, getaddrinfo, gethostbyname, gethostbyname2,
    getprotobyname, getservbyname, getservbyport, tcp_connect, tcp_listen, udp_client, udp_connect,
    udp_server,
};

use crate::support::{assert_invalid, assert_is_host_error, gai_code, numeric, shared};

/// Names at and over the limit, built from digits and dots only: should the
/// length check ever regress, glibc would still answer locally (HOST_NOT_FOUND),
/// so no test input here can reach DNS.
fn digit_name(len: usize) -> String {
    let mut s = String::from("1");
    while s.len() < len {
        s.push_str(if s.len() + 2 <= len { ".1" } else { "1" });
    }
    assert_eq!(s.len(), len);
    s
}

#[test]
fn names_over_253_bytes_or_with_nul_are_refused_before_any_lookup() {
    let _g = shared();
    assert_eq!(MAX_NAME_LEN, 253);
    let ok = digit_name(253);
    let long = digit_name(254);
    let nul = "localhost\0.invalid";

    // 253 bytes reaches the resolver (which rejects it locally) ...
    assert_is_host_error(gethostbyname(&ok), "gethostbyname", HErrno::HOST_NOT_FOUND);
    assert_eq!(
        gai_code(getaddrinfo(Some(&ok), None, &numeric(AiFlags::empty()))),
        EaiCode::EAI_NONAME
    );
    // ... 254 does not.
    assert_invalid(gethostbyname(&long), "gethostbyname", "254 bytes");
    assert_invalid(gethostbyname2(&long, Domain::INET6), "gethostbyname2", "254 bytes");
    assert_invalid(
        getaddrinfo(Some(&long), None, &numeric(AiFlags::empty())),
        "getaddrinfo",
        "254 bytes",
    );
    assert_invalid(getservbyname(&long, None), "getservbyname", "254 bytes");
    assert_invalid(getservbyname("http", Some(&long)), "getservbyname", "254 bytes");
    assert_invalid(getservbyport(80, Some(&long)), "getservbyport", "254 bytes");
    assert_invalid(getprotobyname(&long), "getprotobyname", "254 bytes");
    assert_invalid(tcp_connect(&long, "80"), "getaddrinfo", "254 bytes");
    assert_invalid(udp_client(&long, "80"), "getaddrinfo", "254 bytes");
    assert_invalid(tcp_listen(Some(&long), "0", 1), "getaddrinfo", "254 bytes");
    assert_invalid(udp_server(Some(&long), "0"), "getaddrinfo", "254 bytes");

    assert_invalid(gethostbyname(nul), "gethostbyname", "NUL");
    assert_invalid(gethostbyname2(nul, Domain::INET), "gethostbyname2", "NUL");
    assert_invalid(getaddrinfo(Some(nul), None, &numeric(AiFlags::empty())), "getaddrinfo", "NUL");
    assert_invalid(
        getaddrinfo(Some("127.0.0.1"), Some("ht\0tp"), &numeric(AiFlags::empty())),
        "getaddrinfo",
        "NUL",
    );
    assert_invalid(getservbyname("ht\0tp", Some("tcp")), "getservbyname", "NUL");
    assert_invalid(getservbyname("http", Some("tc\0p")), "getservbyname", "NUL");
    assert_invalid(getservbyport(80, Some("tc\0p")), "getservbyport", "NUL");
    assert_invalid(getprotobyname("tc\0p"), "getprotobyname", "NUL");
    assert_invalid(tcp_connect(nul, "80"), "getaddrinfo", "NUL");
    assert_invalid(udp_connect(nul, "80"), "getaddrinfo", "NUL");
}
