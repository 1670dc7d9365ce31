//! bsdsock's resolver calls against glibc's reentrant functions called directly.
//!
//! `cargo bench --bench netdb` prints, for each pair, the median time per call of
//! bsdsock and of the raw C call (rounds interleaved so that drift hits both
//! alike) and the overhead. bsdsock's versions do the same C call plus copying the
//! answer into owned Rust values; the goal is an overhead within 5%.
//!
//! Everything resolved is in /etc/hosts or /etc/services (no DNS traffic).

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod bench {
    use std::ffi::{c_char, c_int, CStr};
    use std::hint::black_box;
    use std::time::{Duration, Instant};

    use bsdsock::netdb::{self, AddrInfoHints, NiFlags};
    use bsdsock::{SockAddr, Type};

    extern "C" {
        fn gethostbyname_r(
            name: *const c_char,
            ret: *mut libc::hostent,
            buf: *mut c_char,
            buflen: libc::size_t,
            result: *mut *mut libc::hostent,
            h_errnop: *mut c_int,
        ) -> c_int;
        fn getservbyname_r(
            name: *const c_char,
            proto: *const c_char,
            ret: *mut libc::servent,
            buf: *mut c_char,
            buflen: libc::size_t,
            result: *mut *mut libc::servent,
        ) -> c_int;
    }

    const LOCALHOST: &CStr = c"localhost";
    const HTTP: &CStr = c"http";
    const TCP: &CStr = c"tcp";

    fn raw_gethostbyname() {
        // SAFETY: an all-zero hostent is valid (null pointers and zeros).
        let mut ent: libc::hostent = unsafe { std::mem::zeroed() };
        let mut buf = [0 as c_char; 1024];
        let mut result = std::ptr::null_mut();
        let mut herr = 0;
        // SAFETY: the name is NUL-terminated; ent, buf, result and herr are valid
        // for writes and outlive the call.
        let rc = unsafe {
            gethostbyname_r(
                LOCALHOST.as_ptr(),
                &mut ent,
                buf.as_mut_ptr(),
                buf.len(),
                &mut result,
                &mut herr,
            )
        };
        assert!(rc == 0 && !result.is_null());
        black_box(&ent);
    }

    fn raw_getaddrinfo() {
        // SAFETY: an all-zero addrinfo is valid hints (zeros and null pointers).
        let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
        hints.ai_socktype = libc::SOCK_STREAM;
        let mut res = std::ptr::null_mut();
        // SAFETY: host and service are NUL-terminated, hints is valid, res is
        // valid for writes.
        let rc = unsafe { libc::getaddrinfo(LOCALHOST.as_ptr(), HTTP.as_ptr(), &hints, &mut res) };
        assert_eq!(rc, 0);
        black_box(res);
        // SAFETY: res came from the successful getaddrinfo above and is freed once.
        unsafe { libc::freeaddrinfo(res) };
    }

    fn raw_getservbyname() {
        // SAFETY: an all-zero servent is valid (null pointers and zeros).
        let mut ent: libc::servent = unsafe { std::mem::zeroed() };
        let mut buf = [0 as c_char; 1024];
        let mut result = std::ptr::null_mut();
        // SAFETY: name and proto are NUL-terminated; ent, buf and result are
        // valid for writes and outlive the call.
        let rc = unsafe {
            getservbyname_r(
                HTTP.as_ptr(),
                TCP.as_ptr(),
                &mut ent,
                buf.as_mut_ptr(),
                buf.len(),
                &mut result,
            )
        };
        assert!(rc == 0 && !result.is_null());
        black_box(&ent);
    }

    fn raw_getnameinfo(sa: &SockAddr) {
        let bytes = sa.as_bytes();
        let mut host = [0 as c_char; 1025];
        let mut serv = [0 as c_char; 32];
        // SAFETY: bytes is a valid sockaddr of the length passed; host and serv
        // are valid for writes of their lengths.
        let rc = unsafe {
            libc::getnameinfo(
                bytes.as_ptr().cast(),
                bytes.len() as libc::socklen_t,
                host.as_mut_ptr(),
                host.len() as libc::socklen_t,
                serv.as_mut_ptr(),
                serv.len() as libc::socklen_t,
                libc::NI_NUMERICHOST | libc::NI_NUMERICSERV,
            )
        };
        assert_eq!(rc, 0);
        black_box((&host, &serv));
    }

    /// Times `a` (bsdsock) and `b` (raw glibc) in many short interleaved rounds
    /// and prints the best and the median time per call of each. The best round is
    /// the cost without interference from other processes; the median shows the
    /// typical cost on a busy machine.
    fn compare(name: &str, iters: u32, mut a: impl FnMut(), mut b: impl FnMut()) {
        const ROUNDS: usize = 101;
        for _ in 0..iters {
            a();
            b();
        }
        let time = |f: &mut dyn FnMut()| {
            let t = Instant::now();
            for _ in 0..iters {
                f();
            }
            t.elapsed() / iters
        };
        let (mut ta, mut tb): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            // Alternate which goes first so neither always runs on a warm cache.
            if round % 2 == 0 {
                ta.push(time(&mut a));
                tb.push(time(&mut b));
            } else {
                tb.push(time(&mut b));
                ta.push(time(&mut a));
            }
        }
        ta.sort();
        tb.sort();
        let us = |d: Duration| d.as_nanos() as f64 / 1000.0;
        let pct =
            |x: Duration, y: Duration| (x.as_nanos() as f64 / y.as_nanos() as f64 - 1.0) * 100.0;
        let (ba, bb, ma, mb) = (ta[0], tb[0], ta[ROUNDS / 2], tb[ROUNDS / 2]);
        println!(
            "{name:<34} best: bsdsock {:>7.2} µs, glibc {:>7.2} µs ({:>+6.2}%)   median: {:>7.2} µs, {:>7.2} µs ({:>+6.2}%)",
            us(ba),
            us(bb),
            pct(ba, bb),
            us(ma),
            us(mb),
            pct(ma, mb),
        );
    }

    pub fn run() {
        compare(
            "gethostbyname(\"localhost\")",
            200,
            || {
                black_box(netdb::gethostbyname(black_box("localhost")).unwrap());
            },
            raw_gethostbyname,
        );
        let hints = AddrInfoHints { socktype: Type::STREAM, ..Default::default() };
        compare(
            "getaddrinfo(\"localhost\", \"http\")",
            200,
            || {
                black_box(netdb::getaddrinfo(Some("localhost"), Some("http"), &hints).unwrap());
            },
            raw_getaddrinfo,
        );
        compare(
            "getservbyname(\"http\", \"tcp\")",
            200,
            || {
                black_box(netdb::getservbyname(black_box("http"), Some("tcp")).unwrap());
            },
            raw_getservbyname,
        );
        let sa: SockAddr = "[2001:db8::1]:8080".parse().unwrap();
        compare(
            "getnameinfo(numeric)",
            2000,
            || {
                black_box(
                    netdb::getnameinfo(&sa, NiFlags::NUMERICHOST | NiFlags::NUMERICSERV).unwrap(),
                );
            },
            || raw_getnameinfo(&sa),
        );
    }
}

fn main() {
    // Under a second in all, so `cargo test --all-targets` (which runs it too) stays fast.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    bench::run();
}
