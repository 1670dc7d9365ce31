//! The properties that the fuzz targets (`fuzz/fuzz_targets/`) and their
//! property-test twins (`tests/fuzz_twins.rs`) check: one function per parser of
//! outside input, taking the raw input and panicking when a property fails. Both
//! sides include this file, so a twin checks exactly what its target checks;
//! only the generator of inputs differs (libFuzzer's coverage-guided bytes,
//! proptest's bounded random cases).
//!
//! Linux with glibc only: the text parsers are compared with glibc's own, and the
//! byte layouts (`sockaddr`, `cmsghdr`) are Linux's.

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::fmt::Debug;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use bsdsock::opt::{self, Decode, Get, Opt, ReadOnly};
use bsdsock::{
    CMSG_LEN, ControlMessageOwned as M, ControlMessages, Domain, Errno, Error, INET_ADDRSTRLEN,
    INET6_ADDRSTRLEN, Protocol, SockAddr, SockAddrIn6, Type, inet_addr, inet_aton, inet_ntoa,
    inet_ntop, inet_ntop_buf, inet_pton,
};

/// `sizeof(struct sockaddr_storage)`: no address is longer.
const STORAGE: usize = 128;

/// `SockAddr::from_bytes` over any bytes: never panics; an `Err` is
/// `InvalidInput`; what it accepts fits the documented lengths of its family,
/// re-encodes to bytes that decode to the same value, and prints as text that
/// parses back to it (Display and FromStr are inverses).
pub fn sockaddr_from_bytes(raw: &[u8]) {
    let a = match SockAddr::from_bytes(raw) {
        Ok(a) => a,
        Err(e) => {
            assert!(matches!(e, Error::InvalidInput { .. }), "{raw:?}: {e:?}");
            assert!(!raw.is_empty(), "the empty address is Unspec");
            let _ = e.to_string();
            return;
        }
    };
    assert!(raw.len() <= STORAGE, "accepted {} bytes", raw.len());
    if raw.is_empty() {
        assert_eq!(a, SockAddr::Unspec);
    }
    let len_ok = match &a {
        SockAddr::Inet(_) => raw.len() == 16,
        SockAddr::Inet6(_) => raw.len() == 28,
        // Linux counts the NUL after a full 108-byte path: trailing NULs past
        // the struct are accepted and dropped.
        SockAddr::Unix(_) => {
            (2..=110).contains(&raw.len()) || raw.len() > 110 && raw[110..].iter().all(|&b| b == 0)
        }
        _ => true,
    };
    assert!(len_ok, "{a:?} from {} bytes", raw.len());
    if !raw.is_empty() && !matches!(a, SockAddr::Unspec) {
        let family = i32::from(u16::from_ne_bytes([raw[0], raw[1]]));
        assert_eq!(a.family(), Domain::from_raw(family), "{a:?}");
    }
    let bytes = a.as_bytes();
    assert!(bytes.len() <= STORAGE);
    let again = SockAddr::from_bytes(bytes).unwrap_or_else(|e| panic!("{a:?} re-decodes: {e}"));
    assert_eq!(again, a, "re-encoded {bytes:?}");
    assert_eq!(again.as_bytes(), bytes);
    let _ = format!("{a:?}");
    text_round_trip(&a);
}

/// `SockAddr`'s FromStr over any text: never panics; what parses prints as text
/// that parses back to the same value and prints the same, and its bytes decode
/// to it.
pub fn sockaddr_text(s: &str) {
    let a = match s.parse::<SockAddr>() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    text_round_trip(&a);
    let from_bytes = SockAddr::from_bytes(a.as_bytes());
    assert_eq!(from_bytes.as_ref().ok(), Some(&a), "bytes of {s:?}: {from_bytes:?}");
}

/// Display then FromStr gives `a` back, but for the IPv6 flow label, which has
/// no text form (documented on `SockAddr`): it reads back as 0.
fn text_round_trip(a: &SockAddr) {
    let text = a.to_string();
    let back: SockAddr = text.parse().unwrap_or_else(|e| panic!("{a:?} printed {text:?}: {e}"));
    let want = match a {
        SockAddr::Inet6(a) => SockAddr::Inet6(SockAddrIn6::new(a.ip(), a.port(), 0, a.scope_id())),
        a => a.clone(),
    };
    assert_eq!(back, want, "via {text:?}");
    assert_eq!(back.to_string(), text);
}

/// The C library's `<arpa/inet.h>` (the `libc` crate does not bind these).
mod c {
    use super::*;

    unsafe extern "C" {
        fn inet_aton(cp: *const c_char, inp: *mut libc::in_addr) -> c_int;
        fn inet_addr(cp: *const c_char) -> libc::in_addr_t;
        fn inet_pton(af: c_int, src: *const c_char, dst: *mut c_void) -> c_int;
        fn inet_ntop(
            af: c_int,
            src: *const c_void,
            dst: *mut c_char,
            size: libc::socklen_t,
        ) -> *const c_char;
    }

    pub fn aton(s: &CStr) -> Option<[u8; 4]> {
        let mut addr = libc::in_addr { s_addr: 0 };
        // SAFETY: `s` is NUL-terminated and `addr` a writable in_addr; both
        // outlive the call.
        let ok = unsafe { inet_aton(s.as_ptr(), &mut addr) };
        (ok != 0).then_some(addr.s_addr.to_ne_bytes())
    }

    pub fn addr(s: &CStr) -> u32 {
        // SAFETY: `s` is NUL-terminated and outlives the call.
        unsafe { inet_addr(s.as_ptr()) }
    }

    /// The address on 1, `None` on 0; -1 (a bad family) cannot happen here.
    pub fn pton(af: c_int, s: &CStr) -> Option<IpAddr> {
        let mut dst = [0u8; 16];
        // SAFETY: `s` is NUL-terminated and `dst` has room for an in6_addr, the
        // most either family writes; both outlive the call.
        let r = unsafe { inet_pton(af, s.as_ptr(), dst.as_mut_ptr().cast()) };
        assert!(r == 0 || r == 1, "glibc inet_pton returned {r}");
        (r == 1).then(|| match af {
            libc::AF_INET => IpAddr::from([dst[0], dst[1], dst[2], dst[3]]),
            _ => IpAddr::from(dst),
        })
    }

    pub fn ntop(ip: IpAddr) -> String {
        let (af, bytes) = match ip {
            IpAddr::V4(ip) => (libc::AF_INET, ip.octets().to_vec()),
            IpAddr::V6(ip) => (libc::AF_INET6, ip.octets().to_vec()),
        };
        let mut buf = [0 as c_char; 64];
        // SAFETY: `bytes` holds an in_addr or in6_addr as `af` says and `buf` is
        // writable for the length passed; both outlive the call.
        let p = unsafe { inet_ntop(af, bytes.as_ptr().cast(), buf.as_mut_ptr(), 64) };
        assert!(!p.is_null(), "glibc inet_ntop failed");
        // SAFETY: on success inet_ntop wrote a NUL-terminated string into `buf`.
        let text = unsafe { CStr::from_ptr(buf.as_ptr()) };
        text.to_str().expect("ASCII").to_owned()
    }
}

/// `inet_aton`, `inet_addr` and `inet_pton` (both families) over any text agree
/// with glibc's: the same accept/reject decision and the same address. C stops
/// at a NUL byte, Rust does not: bsdsock documents a NUL as an ordinary
/// character that is part of no address, so glibc is given the text with each
/// NUL replaced by another such character (`\x01`). Either refuses it, except
/// where glibc stops reading before it (`inet_aton` ignores whatever follows
/// whitespace: `"1 \0"` is 0.0.0.1 for both).
pub fn inet_parsers(s: &str) {
    let ours = (
        inet_aton(s),
        inet_addr(s).ok(),
        inet_pton(Domain::INET, s).ok(),
        inet_pton(Domain::INET6, s).ok(),
    );
    let cs = CString::new(s.replace('\0', "\x01")).expect("no NUL left");
    let aton = c::aton(&cs).map(Ipv4Addr::from);
    assert_eq!(ours.0, aton, "inet_aton({s:?})");
    // glibc's inet_addr answers INADDR_NONE both for errors and for
    // 255.255.255.255; bsdsock's fails exactly when inet_aton does.
    match ours.1 {
        Some(v) => assert_eq!(v, c::addr(&cs), "inet_addr({s:?})"),
        None => assert_eq!(c::addr(&cs), libc::INADDR_NONE, "inet_addr({s:?})"),
    }
    assert_eq!(ours.1.map(|v| Ipv4Addr::from(v.to_ne_bytes())), aton, "inet_addr vs aton");
    assert_eq!(ours.2, c::pton(libc::AF_INET, &cs), "inet_pton(AF_INET, {s:?})");
    assert_eq!(ours.3, c::pton(libc::AF_INET6, &cs), "inet_pton(AF_INET6, {s:?})");
}

/// `inet_ntop`, `inet_ntop_buf` and `inet_ntoa` print any address as glibc's
/// `inet_ntop` does, within `INET(6)_ADDRSTRLEN - 1` bytes, and the text parses
/// back to the address. The first byte picks the family (even: IPv4), the next
/// 4 or 16 bytes are the address (missing bytes are zero).
pub fn inet_printer(raw: &[u8]) {
    let mut b = [0u8; 16];
    let rest = raw.get(1..).unwrap_or_default();
    let n = rest.len().min(16);
    b[..n].copy_from_slice(&rest[..n]);
    let ip = match raw.first() {
        Some(f) if f % 2 == 0 => IpAddr::from([b[0], b[1], b[2], b[3]]),
        _ => IpAddr::V6(Ipv6Addr::from(b)),
    };
    let text = inet_ntop(ip);
    assert_eq!(text, c::ntop(ip), "inet_ntop({ip:?})");
    let mut buf = [0xa5; INET6_ADDRSTRLEN];
    assert_eq!(inet_ntop_buf(ip, &mut buf), text);
    let (domain, max) = match ip {
        IpAddr::V4(v4) => {
            assert_eq!(inet_ntoa(v4), text);
            (Domain::INET, INET_ADDRSTRLEN)
        }
        IpAddr::V6(_) => (Domain::INET6, INET6_ADDRSTRLEN),
    };
    assert!(text.len() < max, "{text:?}");
    assert_eq!(inet_pton(domain, &text).ok(), Some(ip), "round trip of {text:?}");
}

/// A C `long`: the fields of the old-style timeval / timespec.
const LONG: usize = size_of::<libc::c_long>();

/// (level, type, payload bytes its C type needs) of every message the parser
/// types; any other (level, type) comes out as `Unknown` (or, for
/// `SCM_RIGHTS`, `ScmRightsRaw`).
pub const KNOWN_CMSGS: &[(i32, i32, usize)] = &[
    (libc::SOL_SOCKET, libc::SCM_CREDENTIALS, 12),
    (libc::SOL_SOCKET, libc::SO_TIMESTAMP, 2 * LONG),
    (libc::SOL_SOCKET, 63, 16), // SO_TIMESTAMP_NEW
    (libc::SOL_SOCKET, libc::SO_TIMESTAMPNS, 2 * LONG),
    (libc::SOL_SOCKET, 64, 16), // SO_TIMESTAMPNS_NEW
    (libc::SOL_SOCKET, libc::SO_TIMESTAMPING, 6 * LONG),
    (libc::SOL_SOCKET, 65, 48), // SO_TIMESTAMPING_NEW
    (libc::SOL_SOCKET, libc::SO_RXQ_OVFL, 4),
    (libc::SOL_SOCKET, libc::SO_MARK, 4),
    (libc::SOL_SOCKET, libc::SCM_TXTIME, 8),
    (libc::IPPROTO_IP, libc::IP_PKTINFO, 12),
    (libc::IPPROTO_IP, libc::IP_TTL, 4),
    (libc::IPPROTO_IP, libc::IP_TOS, 1),
    (libc::IPPROTO_IP, libc::IP_ORIGDSTADDR, 16),
    (libc::IPPROTO_IP, libc::IP_RECVERR, 16),
    (libc::IPPROTO_IPV6, libc::IPV6_PKTINFO, 20),
    (libc::IPPROTO_IPV6, libc::IPV6_HOPLIMIT, 4),
    (libc::IPPROTO_IPV6, libc::IPV6_TCLASS, 4),
    (libc::IPPROTO_IPV6, libc::IPV6_ORIGDSTADDR, 28),
    (libc::IPPROTO_IPV6, libc::IPV6_RECVERR, 16),
    (libc::SOL_UDP, libc::UDP_GRO, 4),
];

/// One message as cmsg(3) lays it out on Linux, found by [`walk`].
struct Expected<'a> {
    level: i32,
    ty: i32,
    /// `cmsg_len - CMSG_LEN(0)` bytes, cut at the end of the buffer.
    data: &'a [u8],
    /// `cmsg_len` claimed more than the buffer holds (`MSG_CTRUNC`).
    cut: bool,
}

/// `CMSG_FIRSTHDR` / `CMSG_NXTHDR` written out from cmsg(3), independently of
/// the crate: a `size_t cmsg_len`, two ints, the payload at `CMSG_LEN(0)`, the
/// next header at `CMSG_ALIGN(cmsg_len)`; the walk ends at a header that does
/// not fit or a `cmsg_len` shorter than a header.
fn walk(mut buf: &[u8]) -> Vec<Expected<'_>> {
    let hdr = CMSG_LEN(0);
    let word = size_of::<usize>();
    let mut out = Vec::new();
    while buf.len() >= hdr {
        let len = usize::from_ne_bytes(buf[..word].try_into().unwrap());
        if len < hdr {
            break;
        }
        let int = |at: usize| i32::from_ne_bytes(buf[at..at + 4].try_into().unwrap());
        let cut = len > buf.len();
        let end = len.min(buf.len());
        out.push(Expected { level: int(word), ty: int(word + 4), data: &buf[hdr..end], cut });
        let next = if cut { buf.len() } else { len.next_multiple_of(word).min(buf.len()) };
        buf = &buf[next..];
    }
    out
}

fn ne_u32(d: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes(d[at..at + 4].try_into().unwrap())
}

/// The standalone control-message parser (`ControlMessages`) over any bytes:
/// never panics; yields exactly the messages cmsg(3)'s walk finds, in order;
/// a typed value only from a whole, uncut payload at least as long as its C
/// type and only for its own (level, type), anything short `Truncated`; unknown
/// messages keep their bytes; `SCM_RIGHTS` comes out as numbers
/// (`ScmRightsRaw`, every non-negative int of the payload), never as owned
/// descriptors, so nothing is closed or adopted whatever the bytes say.
pub fn control_messages(buf: &[u8]) {
    let got: Vec<M> = ControlMessages::new(buf).collect();
    let want = walk(buf);
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (m, w) in got.iter().zip(&want) {
        let key = (w.level, w.ty);
        let need = KNOWN_CMSGS.iter().find(|k| (k.0, k.1) == key).map(|k| k.2);
        match m {
            M::ScmRights(_) => panic!("the standalone parser owned descriptors"),
            M::ScmRightsRaw(fds) => {
                assert_eq!(key, (libc::SOL_SOCKET, libc::SCM_RIGHTS));
                let ints =
                    w.data.chunks_exact(4).map(|c| i32::from_ne_bytes(c.try_into().unwrap()));
                assert_eq!(*fds, ints.filter(|&fd| fd >= 0).collect::<Vec<_>>());
            }
            M::Unknown { level, ty, data } => {
                assert_eq!((*level, *ty), key);
                assert_eq!(need, None, "a known message came out as Unknown");
                assert_ne!(key, (libc::SOL_SOCKET, libc::SCM_RIGHTS));
                assert_eq!(data.as_slice(), w.data);
            }
            M::Truncated { level, ty } => {
                assert_eq!((*level, *ty), key);
                assert!(need.is_some(), "Truncated for an unknown message");
            }
            typed => {
                let need = need.unwrap_or_else(|| panic!("{typed:?} from {key:?}"));
                assert!(!w.cut, "{typed:?} from a cut message");
                assert!(w.data.len() >= need, "{typed:?} from {} bytes", w.data.len());
                check_typed(typed, key, w.data);
            }
        }
    }
}

/// A typed message came from its own (level, type) and holds the payload's value.
fn check_typed(m: &M, (level, ty): (i32, i32), d: &[u8]) {
    let int = i32::from_ne_bytes(d[..4.min(d.len())].try_into().unwrap_or([0; 4]));
    let ok = match (m, level) {
        (M::ScmCredentials(c), libc::SOL_SOCKET) => {
            ty == libc::SCM_CREDENTIALS
                && (c.pid, c.uid, c.gid) == (int, ne_u32(d, 4), ne_u32(d, 8))
        }
        (M::ScmTimestamp(_), libc::SOL_SOCKET) => ty == libc::SO_TIMESTAMP || ty == 63,
        (M::ScmTimestampns(_), libc::SOL_SOCKET) => ty == libc::SO_TIMESTAMPNS || ty == 64,
        (M::ScmTimestamping(_), libc::SOL_SOCKET) => ty == libc::SO_TIMESTAMPING || ty == 65,
        (M::SoRxqOvfl(v), libc::SOL_SOCKET) => ty == libc::SO_RXQ_OVFL && *v == ne_u32(d, 0),
        (M::SoMark(v), libc::SOL_SOCKET) => ty == libc::SO_MARK && *v == ne_u32(d, 0),
        (M::ScmTxtime(v), libc::SOL_SOCKET) => {
            ty == libc::SCM_TXTIME && *v == u64::from_ne_bytes(d[..8].try_into().unwrap())
        }
        (M::IpPktinfo(p), libc::IPPROTO_IP) => {
            ty == libc::IP_PKTINFO
                && p.ifindex == ne_u32(d, 0)
                && p.spec_dst.octets() == d[4..8]
                && p.addr.octets() == d[8..12]
        }
        (M::IpTtl(v), libc::IPPROTO_IP) => ty == libc::IP_TTL && i32::from(*v) == int,
        (M::IpTos(v), libc::IPPROTO_IP) => {
            ty == libc::IP_TOS && if d.len() < 4 { *v == d[0] } else { i32::from(*v) == int }
        }
        (M::IpOrigdstaddr(a), libc::IPPROTO_IP) => {
            ty == libc::IP_ORIGDSTADDR && SockAddr::from(*a).as_bytes() == &d[..16]
        }
        (M::IpRecverr(e), libc::IPPROTO_IP) => ty == libc::IP_RECVERR && e.info == ne_u32(d, 8),
        (M::Ipv6Pktinfo(p), libc::IPPROTO_IPV6) => {
            ty == libc::IPV6_PKTINFO && p.addr.octets() == d[..16] && p.ifindex == ne_u32(d, 16)
        }
        (M::Ipv6Hoplimit(v), libc::IPPROTO_IPV6) => {
            ty == libc::IPV6_HOPLIMIT && i32::from(*v) == int
        }
        (M::Ipv6Tclass(v), libc::IPPROTO_IPV6) => ty == libc::IPV6_TCLASS && i32::from(*v) == int,
        (M::Ipv6Origdstaddr(a), libc::IPPROTO_IPV6) => {
            ty == libc::IPV6_ORIGDSTADDR && SockAddr::from(*a).as_bytes() == &d[..28]
        }
        (M::Ipv6Recverr(e), libc::IPPROTO_IPV6) => {
            ty == libc::IPV6_RECVERR && e.info == ne_u32(d, 8)
        }
        (M::UdpGro(v), libc::SOL_UDP) => ty == libc::UDP_GRO && i32::from(*v) == int,
        _ => false,
    };
    assert!(ok, "{m:?} from ({level}, {ty}) {d:?}");
}

/// Builds a control buffer from `raw` read as a list of messages, so that the
/// cmsg target also reaches well-formed layouts: per message a selector byte
/// (an index into [`KNOWN_CMSGS`], `SCM_RIGHTS`, or an arbitrary level and
/// type from the next bytes), a payload length byte, a byte that may make
/// `cmsg_len` lie, and the payload; then a last byte that may cut the buffer.
pub fn cmsg_layout(raw: &[u8]) -> Vec<u8> {
    let mut r = raw.iter().copied();
    let mut next = move || r.next();
    let mut buf = Vec::new();
    while let (Some(sel), Some(len), Some(lie)) = (next(), next(), next()) {
        let (level, ty) = match usize::from(sel) {
            i if i < KNOWN_CMSGS.len() => (KNOWN_CMSGS[i].0, KNOWN_CMSGS[i].1),
            i if i < 128 => (libc::SOL_SOCKET, libc::SCM_RIGHTS),
            _ => {
                let mut int = || i32::from_ne_bytes([0; 4].map(|_| next().unwrap_or(0)));
                (int(), int())
            }
        };
        let payload: Vec<u8> = (0..len % 64).map(|_| next().unwrap_or(0)).collect();
        // Most messages say their own length; a few claim a little more or less.
        let claimed = match lie {
            0..=223 => CMSG_LEN(payload.len()),
            l => CMSG_LEN(payload.len()).wrapping_add(usize::from(l - 224)).wrapping_sub(16),
        };
        let start = buf.len();
        buf.resize(start + bsdsock::CMSG_SPACE(payload.len()), 0);
        buf[start..start + size_of::<usize>()].copy_from_slice(&claimed.to_ne_bytes());
        buf[start + size_of::<usize>()..][..4].copy_from_slice(&level.to_ne_bytes());
        buf[start + size_of::<usize>() + 4..][..4].copy_from_slice(&ty.to_ne_bytes());
        buf[start + CMSG_LEN(0)..][..payload.len()].copy_from_slice(&payload);
    }
    if let Some(&cut) = raw.last() {
        if cut >= 0xf0 && !buf.is_empty() {
            buf.truncate(buf.len() - usize::from(cut - 0xef).min(buf.len()));
        }
    }
    buf
}

/// Which lengths a codec's C shape takes, for [`check_opt`].
#[derive(Clone, Copy, Debug)]
enum Shape {
    /// A C `int`.
    Int,
    /// A fixed C struct of this size.
    Fixed(usize),
    /// A variable length within these bounds.
    Bytes(usize, usize),
}

impl Shape {
    fn fits(self, len: usize) -> bool {
        match self {
            Shape::Int => len == size_of::<c_int>(),
            Shape::Fixed(n) => len == n,
            Shape::Bytes(lo, hi) => (lo..=hi).contains(&len),
        }
    }
}

/// `opt.decode(raw)`: never panics; a value only from a length its C shape
/// takes; a refusal is `Error::Decode`, as from getsockopt.
fn check_opt<V: Debug, A: Get, C: Decode<V>>(
    o: Opt<V, A, C>,
    shape: Shape,
    raw: &[u8],
) -> Option<V> {
    match o.decode(raw) {
        Ok(v) => {
            assert!(shape.fits(raw.len()), "{o:?} decoded {v:?} from {} bytes", raw.len());
            Some(v)
        }
        Err(e) => {
            assert!(matches!(e, Error::Decode { .. }), "{o:?}: {e:?}");
            let _ = e.to_string();
            None
        }
    }
}

fn ne_i32(d: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_ne_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

/// Option values decoded from raw bytes (`Opt::decode`, what getsockopt does
/// after its call), one option per codec: never panics, never a value from a
/// length the C type does not have, and the value is the one the bytes hold
/// (an int in the Rust type's range, a struct's fields); a descriptor
/// (`SO_PEERPIDFD`) is never taken from bytes.
pub fn option_values(raw: &[u8]) {
    use Shape::{Bytes, Fixed, Int};
    let int = (raw.len() == 4).then(|| i32::from_ne_bytes(raw.try_into().unwrap()));
    let some = |v: i32| Some(v).filter(|&v| v >= 0);
    let or_none = |i: i32| if i == -1 { Some(None) } else { u32::try_from(i).ok().map(Some) };

    const AS_I32: Opt<i32, ReadOnly> = Opt::new(libc::SOL_SOCKET, libc::SO_RCVBUF, "i32");
    assert_eq!(check_opt(AS_I32, Int, raw), int);
    assert_eq!(check_opt(opt::SO_REUSEADDR, Int, raw), int.map(|i| i != 0));
    assert_eq!(check_opt(opt::SO_RCVBUF, Int, raw), int.and_then(|i| usize::try_from(i).ok()));
    assert_eq!(check_opt(opt::TCP_MAXSEG, Int, raw), int.and_then(|i| u32::try_from(i).ok()));
    assert_eq!(check_opt(opt::IP_TTL, Int, raw), int.and_then(|i| u8::try_from(i).ok()));
    assert_eq!(check_opt(opt::UDP_SEGMENT, Int, raw), int.and_then(|i| u16::try_from(i).ok()));
    assert_eq!(check_opt(opt::SO_PEEK_OFF, Int, raw), int.and_then(or_none));
    assert_eq!(
        check_opt(opt::TCP_NOTSENT_LOWAT, Int, raw),
        int.and_then(or_none).map(|v| v.map(|v| v as usize))
    );
    let errno = |i: i32| match i {
        0 => Some(None),
        i if i > 0 => Some(Some(Errno::from_raw(i))),
        _ => None,
    };
    assert_eq!(check_opt(opt::SO_ERROR, Int, raw), int.and_then(errno));
    let ty = check_opt(opt::SO_TYPE, Int, raw);
    assert!(ty.is_none() || ty == int.map(Type::from_raw), "{ty:?}");
    assert_eq!(check_opt(opt::SO_DOMAIN, Int, raw), int.and_then(some).map(Domain::from_raw));
    assert_eq!(check_opt(opt::SO_PROTOCOL, Int, raw), int.and_then(some).map(Protocol::from_raw));
    // The enumerations take the values C names, nothing else.
    let pmtu = int.filter(|&i| opt::PmtuDisc::from_raw(i).name().is_some());
    assert_eq!(check_opt(opt::IP_MTU_DISCOVER, Int, raw).map(|m| m.as_raw()), pmtu);
    let repair = int.filter(|&i| opt::TcpRepair::from_raw(i).name().is_some());
    assert_eq!(check_opt(opt::TCP_REPAIR, Int, raw).map(|m| m.as_raw()), repair);
    assert_eq!(check_opt(opt::SO_TIMESTAMPING, Int, raw).map(|f| f.bits() as i32), int);
    let secs = int.and_then(|i| u64::try_from(i).ok());
    assert_eq!(check_opt(opt::TCP_KEEPIDLE, Int, raw), secs.map(Duration::from_secs));
    assert_eq!(check_opt(opt::TCP_USER_TIMEOUT, Int, raw), secs.map(Duration::from_millis));
    assert_eq!(check_opt(opt::SO_BUSY_POLL, Int, raw), secs.map(Duration::from_micros));
    assert_eq!(
        check_opt(opt::TCP_LINGER2, Int, raw),
        int.and_then(|i| if i == -1 {
            Some(None)
        } else {
            secs.map(|s| Some(Duration::from_secs(s)))
        })
    );

    let cookie = (raw.len() == 8).then(|| u64::from_ne_bytes(raw.try_into().unwrap()));
    assert_eq!(check_opt(opt::SO_COOKIE, Fixed(8), raw), cookie);
    let linger = match (raw.len(), ne_i32(raw, 0), ne_i32(raw, 4)) {
        (8, Some(0), _) => Some(None),
        (8, Some(_), Some(s)) => some(s).map(|s| Some(Duration::from_secs(s as u64))),
        _ => None,
    };
    assert_eq!(check_opt(opt::SO_LINGER, Fixed(8), raw), linger);
    let tv = check_opt(opt::SO_RCVTIMEO, Fixed(size_of::<libc::timeval>()), raw);
    if let Some(Some(d)) = tv {
        assert!(!d.is_zero());
    }
    let cred = check_opt(opt::SO_PEERCRED, Fixed(12), raw);
    assert_eq!(
        cred.map(|c| (c.pid, c.uid, c.gid)),
        (raw.len() == 12).then(|| (ne_i32(raw, 0).unwrap(), ne_u32(raw, 4), ne_u32(raw, 8)))
    );
    let ifaddr = check_opt(opt::IP_MULTICAST_IF, Fixed(4), raw);
    assert_eq!(ifaddr.map(|a| a.octets().to_vec()), (raw.len() == 4).then(|| raw.to_vec()));
    check_opt(opt::SO_TXTIME, Fixed(8), raw);

    if let Some(info) = check_opt(opt::TCP_INFO, Bytes(104, usize::MAX), raw) {
        // A longer answer (a newer kernel's) keeps the fields the type knows.
        assert!(raw.starts_with(info.as_bytes()) && info.as_bytes().len() >= 104);
        let _ = format!("{info:?}");
    }
    let name_len = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    let dev = check_opt(opt::SO_BINDTODEVICE, Bytes(0, 16), raw);
    if let Some(dev) = dev {
        assert_eq!(dev.as_ref().map_or("", |n| n.as_str()).as_bytes(), &raw[..name_len]);
    }
    if let Some(cc) = check_opt(opt::TCP_CONGESTION, Bytes(1, 16), raw) {
        assert_eq!(cc.as_str().as_bytes(), &raw[..name_len]);
    }
    if let Some(a) = check_opt(opt::SO_ORIGINAL_DST, Bytes(0, STORAGE), raw) {
        assert_eq!(opt::SO_ORIGINAL_DST.decode(a.as_bytes()).ok(), Some(a));
    }
    let pidfd = opt::SO_PEERPIDFD.decode(raw);
    assert!(matches!(pidfd, Err(Error::InvalidInput { .. })), "{pidfd:?}");
}
