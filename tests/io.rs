//! readn / writen and the line reader on real descriptors: short reads, large
//! transfers, slow peers, the byte count carried by errors, non-socket
//! descriptors, and line framing with a bound. (Signals: tests/io_signals.rs.)

mod common;

use std::io::{BufRead, Read};
use std::net::Shutdown;
use std::thread;
use std::time::Duration;

use bsdsock::*;
use common::{TempDir, pattern, tcp_pair, unix_pair};
use proptest::prelude::*;

/// Bytes queued for reading right now, without consuming them.
fn queued(s: &Socket) -> usize {
    let mut probe = vec![0u8; 1 << 20];
    match recv(s, &mut probe, MsgFlags::PEEK | MsgFlags::DONTWAIT) {
        Ok(n) => n,
        Err(e) if e.errno() == Some(Errno::EAGAIN) => 0,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn readn_loops_over_short_reads() {
    for (a, b) in [unix_pair(), tcp_pair()] {
        let data = pattern(500, 1);
        writen(&a, &data[..1]).unwrap();
        // Only one byte is there when readn starts, so its first read(2) is short.
        assert_eq!(queued(&b), 1);
        let rest = data[1..].to_vec();
        let writer = thread::spawn(move || {
            thread::sleep(Duration::from_millis(20));
            for chunk in rest.chunks(1) {
                assert_eq!(writen(&a, chunk).unwrap(), 1);
            }
            a
        });
        let mut buf = vec![0u8; data.len()];
        assert_eq!(readn(&b, &mut buf).unwrap(), data.len());
        assert_eq!(buf, data);
        let a = writer.join().unwrap();
        drop(a);
        assert_eq!(readn(&b, &mut buf).unwrap(), 0, "EOF");
    }
}

#[test]
fn readn_over_one_byte_writes_with_pauses() {
    let (a, b) = tcp_pair();
    let data = pattern(2000, 2);
    let sent = data.clone();
    let writer = thread::spawn(move || {
        for (i, byte) in sent.iter().enumerate() {
            a.send(&[*byte], MsgFlags::empty()).unwrap();
            if i % 100 == 0 {
                thread::sleep(Duration::from_millis(1));
            }
        }
        a.shutdown(Shutdown::Write).unwrap();
    });
    let mut buf = vec![0u8; 4096];
    // Less than asked only at EOF: all 2000 bytes, then the EOF.
    assert_eq!(readn(&b, &mut buf).unwrap(), 2000);
    assert_eq!(&buf[..2000], &data[..]);
    writer.join().unwrap();
}

#[test]
fn readn_and_writen_move_4mb_over_tcp() {
    let (a, b) = tcp_pair();
    let len = 4 * 1024 * 1024 + 12_345;
    let data = pattern(len, 3);
    let sent = data.clone();
    let writer = thread::spawn(move || {
        assert_eq!(writen(&a, &sent).unwrap(), sent.len());
        a.shutdown(Shutdown::Write).unwrap();
    });
    let mut buf = vec![0u8; len];
    assert_eq!(readn(&b, &mut buf).unwrap(), len);
    assert!(buf == data, "4 MB arrived intact");
    assert_eq!(readn(&b, &mut buf[..10]).unwrap(), 0);
    writer.join().unwrap();
}

#[test]
fn writen_to_a_slow_reader() {
    let (a, b) = unix_pair();
    let len = 3 * 1024 * 1024 + 1;
    let data = pattern(len, 4);
    let reader = thread::spawn(move || {
        let mut got = Vec::with_capacity(len);
        let mut chunk = [0u8; 16 * 1024];
        for i in 0.. {
            let n = b.recv(&mut chunk, MsgFlags::empty()).unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&chunk[..n]);
            if i % 16 == 0 {
                thread::sleep(Duration::from_millis(1));
            }
        }
        got
    });
    assert_eq!(writen(&a, &data).unwrap(), len);
    drop(a);
    let got = reader.join().unwrap();
    assert_eq!(got.len(), len);
    assert!(got == data);
}

#[test]
fn empty_buffers_make_no_call() {
    let (a, b) = unix_pair();
    b.set_nonblocking(true).unwrap();
    // Nothing queued on a non-blocking socket: a read would be EAGAIN.
    assert_eq!(readn(&b, &mut []).unwrap(), 0);
    drop(b);
    // Peer gone: a send would be EPIPE.
    assert_eq!(writen(&a, &[]).unwrap(), 0);
}

#[test]
fn readn_error_carries_the_count() {
    let (a, b) = unix_pair();
    b.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 100];
    // Nothing moved: the plain OS error.
    let e = readn(&b, &mut buf).unwrap_err();
    assert!(matches!(e, Error::Os { call: "read", errno: Errno::EAGAIN }), "{e:?}");
    assert_eq!(e.bytes_done(), None);

    writen(&a, b"0123456789").unwrap();
    let e = readn(&b, &mut buf).unwrap_err();
    assert!(matches!(e, Error::Partial { call: "read", done: 10, errno: Errno::EAGAIN }), "{e:?}");
    assert_eq!(e.bytes_done(), Some(10));
    assert_eq!(e.errno(), Some(Errno::EAGAIN));
    assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock);
    assert_eq!(&buf[..10], b"0123456789");
    assert_eq!(
        e.to_string(),
        format!("read: {} (EAGAIN) after 10 bytes", crate::common::strerror(libc::EAGAIN))
    );
    let io: std::io::Error = e.into();
    assert_eq!(io.raw_os_error(), Some(libc::EAGAIN));

    // Resuming where it stopped completes the buffer.
    writen(&a, &[b'x'; 90]).unwrap();
    assert_eq!(readn(&b, &mut buf[10..]).unwrap(), 90);
    assert!(buf[10..].iter().all(|&c| c == b'x'));
}

#[test]
fn writen_error_carries_the_count_and_resumes() {
    let (a, b) = unix_pair();
    a.set_nonblocking(true).unwrap();
    let data = pattern(8 * 1024 * 1024, 5);
    let e = writen(&a, &data).unwrap_err();
    assert_eq!(e.errno(), Some(Errno::EAGAIN));
    let done = e.bytes_done().expect("some bytes fit in the socket buffer");
    assert!(done > 0 && done < data.len(), "{done}");
    assert!(
        e.to_string().starts_with(&format!(
            "send: {} (EAGAIN) after ",
            crate::common::strerror(libc::EAGAIN)
        ))
    );

    // Exactly `done` bytes are queued, and they are the first ones of `data`.
    let reader = thread::spawn(move || {
        let mut got = vec![0u8; 8 * 1024 * 1024];
        let n = readn(&b, &mut got).unwrap();
        got.truncate(n);
        got
    });
    // Resume from the count, blocking this time.
    a.set_nonblocking(false).unwrap();
    assert_eq!(writen(&a, &data[done..]).unwrap(), data.len() - done);
    drop(a);
    let got = reader.join().unwrap();
    assert_eq!(got.len(), data.len());
    assert!(got == data, "resuming at the count loses and repeats nothing");
}

#[test]
fn writen_to_a_vanished_reader_is_epipe_with_count() {
    let (a, b) = unix_pair();
    let reader = thread::spawn(move || {
        let mut first = vec![0u8; 100_000];
        assert_eq!(readn(&b, &mut first).unwrap(), first.len());
        // ...and hang up with more on the way.
    });
    let data = pattern(16 * 1024 * 1024, 6);
    let e = writen(&a, &data).unwrap_err();
    reader.join().unwrap();
    assert!(matches!(e.errno(), Some(Errno::EPIPE | Errno::ECONNRESET)), "{e}");
    let done = e.bytes_done().expect("the reader took 100000 bytes first");
    assert!((100_000..data.len()).contains(&done), "{done}");
}

#[test]
fn readn_writen_on_files_and_non_sockets() {
    // readn of a regular file: read(2), whole file, then less at EOF.
    let want = std::fs::read("/etc/services").unwrap();
    let f = std::fs::File::open("/etc/services").unwrap();
    let mut buf = vec![0u8; want.len() + 100];
    assert_eq!(readn(&f, &mut buf).unwrap(), want.len());
    assert_eq!(&buf[..want.len()], &want[..]);

    // writen to a file: send(2) says ENOTSOCK once, the rest goes through write(2).
    let dir = TempDir::new("writen");
    let path = dir.join("data");
    let data = pattern(1_000_003, 7);
    {
        let f = std::fs::File::create(&path).unwrap();
        assert_eq!(writen(&f, &data).unwrap(), data.len());
    }
    assert!(std::fs::read(&path).unwrap() == data);
    std::fs::remove_file(&path).unwrap();

    // Errors on a non-socket name write(2) / read(2).
    let ro = std::fs::File::open("/etc/services").unwrap();
    let e = writen(&ro, b"x").unwrap_err();
    assert_eq!((e.errno(), e.to_string().starts_with("write: ")), (Some(Errno::EBADF), true));
    let wo = std::fs::OpenOptions::new().write(true).open("/dev/null").unwrap();
    let e = readn(&wo, &mut buf).unwrap_err();
    assert_eq!(e.errno(), Some(Errno::EBADF));
}

#[test]
fn socket_methods_match_the_functions() {
    let (a, b) = tcp_pair();
    assert_eq!(a.writen(b"method").unwrap(), 6);
    let mut buf = [0u8; 6];
    assert_eq!(b.readn(&mut buf).unwrap(), 6);
    assert_eq!(&buf, b"method");
}

// ---- LineReader ----

#[test]
fn readline_keeps_newlines_and_returns_a_last_partial_line() {
    let (a, b) = unix_pair();
    writen(&a, b"one\ntwo\r\n\nlast without newline").unwrap();
    drop(a);
    let mut r = LineReader::new(&b);
    assert_eq!(r.readline().unwrap(), Some(&b"one\n"[..]));
    assert_eq!(r.readline().unwrap(), Some(&b"two\r\n"[..]));
    assert_eq!(r.readline().unwrap(), Some(&b"\n"[..]));
    assert_eq!(r.readline().unwrap(), Some(&b"last without newline"[..]));
    assert_eq!(r.readline().unwrap(), None);
    assert_eq!(r.readline().unwrap(), None, "EOF stays EOF");
}

#[test]
fn readline_assembles_a_line_from_one_byte_writes() {
    let (a, b) = tcp_pair();
    let text = b"a line that arrives one byte at a time\nand a second one\n".to_vec();
    let writer = thread::spawn(move || {
        for (i, byte) in text.iter().enumerate() {
            writen(&a, &[*byte]).unwrap();
            if i % 8 == 0 {
                thread::sleep(Duration::from_millis(1));
            }
        }
    });
    let mut r = LineReader::new(&b);
    assert_eq!(r.readline().unwrap().unwrap(), b"a line that arrives one byte at a time\n");
    assert_eq!(r.readline().unwrap().unwrap(), b"and a second one\n");
    writer.join().unwrap();
    assert_eq!(r.readline().unwrap(), None);
}

#[test]
fn readline_bound_is_exact_and_the_error_loses_nothing() {
    let (a, b) = unix_pair();
    // 8 bytes with the newline: exactly the limit, accepted.
    writen(&a, b"1234567\n123456789\nok\n").unwrap();
    drop(a);
    let mut r = LineReader::with_max_line(&b, 8).unwrap();
    assert_eq!(r.readline().unwrap(), Some(&b"1234567\n"[..]));
    let e = r.readline().unwrap_err();
    assert!(matches!(e, Error::InvalidInput { call: "readline", .. }), "{e:?}");
    assert_eq!(e.to_string(), "readline: no newline within 8 bytes (the line limit)");
    assert_eq!(r.buffer(), b"12345678", "the over-long line is still buffered");
    // The caller decides: here, skip to the next newline and carry on.
    r.consume(8);
    assert_eq!(r.readline().unwrap(), Some(&b"9\n"[..]));
    assert_eq!(r.readline().unwrap(), Some(&b"ok\n"[..]));
    assert_eq!(r.readline().unwrap(), None);

    assert!(matches!(LineReader::with_max_line(&b, 0), Err(Error::InvalidInput { .. })));
    assert!(LineReader::with_max_line(&b, usize::MAX).is_err(), "no abort on a huge size");
}

#[test]
fn readline_slides_partial_lines_to_the_front_of_a_small_buffer() {
    let (a, b) = unix_pair();
    // Lines of 1..=16 bytes through a 16-byte buffer: most lines straddle the end.
    let lines: Vec<Vec<u8>> = (0..200)
        .map(|i| {
            let mut l = vec![b'a' + (i % 26) as u8; i % 16];
            l.push(b'\n');
            l
        })
        .collect();
    let all: Vec<u8> = lines.concat();
    let writer = thread::spawn(move || {
        for chunk in all.chunks(7) {
            writen(&a, chunk).unwrap();
        }
    });
    let mut r = LineReader::with_max_line(&b, 16).unwrap();
    for want in &lines {
        assert_eq!(r.readline().unwrap().unwrap(), &want[..]);
    }
    writer.join().unwrap();
    assert_eq!(r.readline().unwrap(), None);
}

#[test]
fn readline_mixed_with_readn_loses_nothing() {
    let (a, b) = tcp_pair();
    let payload = pattern(100_000, 8);
    let mut msg = b"HEADER len=100000\n".to_vec();
    msg.extend_from_slice(&payload);
    msg.extend_from_slice(b"TRAILER\nextra");
    let sent = msg.clone();
    let writer = thread::spawn(move || {
        writen(&a, &sent).unwrap();
    });
    let mut r = LineReader::new(&b);
    assert_eq!(r.readline().unwrap().unwrap(), b"HEADER len=100000\n");
    // The first bytes of the payload may already be in the reader's buffer.
    let mut body = vec![0u8; payload.len()];
    assert_eq!(r.readn(&mut body).unwrap(), payload.len());
    assert!(body == payload);
    assert_eq!(r.readline().unwrap().unwrap(), b"TRAILER\n");
    writer.join().unwrap();
    // Hand the rest back, then read on with readn directly.
    let (sock, mut tail) = r.into_parts();
    let mut more = vec![0u8; 5 - tail.len()];
    assert_eq!(readn(sock, &mut more).unwrap(), more.len());
    tail.extend_from_slice(&more);
    assert_eq!(tail, b"extra");
}

#[test]
fn line_reader_readn_counts_buffered_bytes_in_partial_errors() {
    let (a, b) = unix_pair();
    writen(&a, b"line\n12345").unwrap();
    b.set_nonblocking(true).unwrap();
    let mut r = LineReader::new(&b);
    assert_eq!(r.readline().unwrap().unwrap(), b"line\n");
    assert_eq!(r.buffer(), b"12345");
    let mut buf = [0u8; 8];
    let e = r.readn(&mut buf).unwrap_err();
    assert_eq!((e.bytes_done(), e.errno()), (Some(5), Some(Errno::EAGAIN)));
    writen(&a, b"678").unwrap();
    assert_eq!(r.readn(&mut buf[5..]).unwrap(), 3);
    assert_eq!(&buf, b"12345678");
}

#[test]
fn readline_on_a_non_blocking_socket_resumes_after_eagain() {
    let (a, b) = unix_pair();
    b.set_nonblocking(true).unwrap();
    let mut r = LineReader::new(&b);
    writen(&a, b"half a li").unwrap();
    let e = r.readline().unwrap_err();
    assert_eq!(e.errno(), Some(Errno::EAGAIN));
    assert_eq!(r.buffer(), b"half a li");
    writen(&a, b"ne\n").unwrap();
    assert_eq!(r.readline().unwrap().unwrap(), b"half a line\n");
}

#[test]
fn line_reader_is_a_bufread() {
    let (a, b) = unix_pair();
    writen(&a, b"alpha\nbeta\ngamma").unwrap();
    drop(a);
    let r = LineReader::new(b);
    let lines: Vec<String> = r.lines().map(|l| l.unwrap()).collect();
    assert_eq!(lines, ["alpha", "beta", "gamma"]);

    let (a, b) = unix_pair();
    let data = pattern(50_000, 9);
    writen(&a, b"x\n").unwrap();
    writen(&a, &data).unwrap();
    drop(a);
    let mut r = LineReader::new(&b);
    assert_eq!(r.readline().unwrap().unwrap(), b"x\n");
    let mut rest = Vec::new();
    r.read_to_end(&mut rest).unwrap();
    assert!(rest == data);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any lines, cut into any chunks on the wire, come back exactly.
    #[test]
    fn readline_reassembles_any_chunking(
        lines in prop::collection::vec(prop::collection::vec(any::<u8>().prop_filter("no newline", |b| *b != b'\n'), 0..40), 1..30),
        cuts in prop::collection::vec(1usize..50, 1..20),
        max_extra in 0usize..8,
    ) {
        let mut wire = Vec::new();
        for l in &lines {
            wire.extend_from_slice(l);
            wire.push(b'\n');
        }
        let longest = lines.iter().map(|l| l.len() + 1).max().unwrap();
        let (a, b) = unix_pair();
        let sent = wire.clone();
        let writer = thread::spawn(move || {
            let mut at = 0;
            for &c in cuts.iter().cycle() {
                if at == sent.len() { break; }
                let end = (at + c).min(sent.len());
                writen(&a, &sent[at..end]).unwrap();
                at = end;
            }
        });
        let mut r = LineReader::with_max_line(&b, longest + max_extra).unwrap();
        for l in &lines {
            let got = r.readline().unwrap().unwrap();
            prop_assert_eq!(&got[..got.len() - 1], &l[..]);
            prop_assert_eq!(got[got.len() - 1], b'\n');
        }
        writer.join().unwrap();
        prop_assert_eq!(r.readline().unwrap(), None);
    }
}
