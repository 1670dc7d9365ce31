//! No descriptor and no addrinfo list is leaked, on any path of any helper.

use bsdsock::Type;
use bsdsock::netdb::{
    AddrInfo, AddrInfoHints, AiFlags, connect_first, getaddrinfo, gethostbyname, getprotobyname,
    getservbyname, tcp_connect, tcp_listen, udp_client, udp_connect, udp_server,
};

use crate::common::{assert_same_fds, open_fds};
use crate::support::{closed_port, exclusive, numeric};

/// Every helper failure path, many times over, under the exclusive lock: the
/// descriptor table is the same afterwards (failed sockets were closed), and
/// resolving thousands of times grows the heap by less than one lookup's worth
/// per hundred calls (the addrinfo lists were freed).
#[test]
fn no_descriptor_or_addrinfo_leaks_on_any_path() {
    let _g = exclusive();
    let (_hold, closed) = closed_port();
    let closed = closed.to_string();
    let taken = tcp_listen(Some("127.0.0.1"), "0", 1).unwrap();
    let taken_port = taken.getsockname().unwrap().port().unwrap().to_string();
    let utaken = udp_server(Some("127.0.0.1"), "0").unwrap();
    let utaken_port = utaken.getsockname().unwrap().port().unwrap().to_string();
    let hints = AddrInfoHints { socktype: Type::STREAM, ..numeric(AiFlags::empty()) };
    let refused = getaddrinfo(Some("127.0.0.1"), Some(&closed), &hints).unwrap();
    let many: Vec<AddrInfo> = vec![refused[0].clone(); 5];
    let failures = || {
        assert!(tcp_connect("localhost", &closed).is_err());
        assert!(tcp_connect("127.0.0.1", "no-such-service").is_err());
        assert!(connect_first(&many).is_err());
        assert!(tcp_listen(Some("127.0.0.1"), &taken_port, 1).is_err());
        assert!(tcp_listen(Some("localhost"), &taken_port, 1).is_err());
        assert!(udp_server(Some("127.0.0.1"), &utaken_port).is_err());
        assert!(udp_client("127.0.0.1", "no-such-service").is_err());
        assert!(udp_connect("localhost", "65536").is_err());
        assert!(gethostbyname("256.0.0.1").is_err());
        assert!(getservbyname("no-such-service", None).is_err());
        assert!(getprotobyname("no-such-protocol").is_err());
        assert!(getaddrinfo(Some("localhost"), None, &numeric(AiFlags::empty())).is_err());
    };
    failures(); // warm up: glibc opens and caches its configuration once
    let before = open_fds();
    for _ in 0..50 {
        failures();
    }
    assert_same_fds(&before, "failed helpers");

    // Successes too: every socket handed out is the caller's, and closes on drop.
    for _ in 0..20 {
        let s = tcp_listen(None, "0", 1).unwrap();
        let c = tcp_connect("localhost", &s.getsockname().unwrap().port().unwrap().to_string())
            .unwrap();
        drop((s.accept().unwrap(), c));
        drop(udp_client("localhost", "9").unwrap());
    }
    assert_same_fds(&before, "helpers that succeeded, once dropped");

    // The C list is freed: 5000 resolutions must not grow the heap by 5000 lists.
    // The heap is measured with glibc's mallinfo2; musl's allocator keeps no
    // statistics to read, so there only the descriptors above are checked.
    #[cfg(target_env = "gnu")]
    {
        let resolve = || {
            let r = getaddrinfo(
                Some("localhost"),
                Some("http"),
                &AddrInfoHints { flags: AiFlags::CANONNAME, ..Default::default() },
            );
            assert!(!r.unwrap().is_empty());
            assert!(getaddrinfo(Some("localhost"), Some("no-such-service"), &hints).is_err());
        };
        resolve();
        let heap = || {
            // SAFETY: mallinfo2 only reads the allocator's statistics.
            unsafe { libc::mallinfo2() }.uordblks
        };
        let start = heap();
        for _ in 0..5000 {
            resolve();
        }
        let grown = heap().saturating_sub(start);
        // One list for localhost is several hundred bytes; 5000 of them would be MBs.
        assert!(grown < 64 * 1024, "heap grew by {grown} bytes over 5000 getaddrinfo calls");
    }
}
