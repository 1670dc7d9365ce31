//! The standalone control-message parser (`ControlMessages`, for io_uring
//! users) over arbitrary bytes: never panics, never reads outside the slice
//! (it is safe code over `&[u8]`; a slice index out of range would panic), and
//! never builds a typed value from a payload shorter than its C type.
#![cfg(target_os = "linux")]

use bsdsock::{CMSG_LEN, CMSG_SPACE, ControlMessageOwned, ControlMessages};
use proptest::prelude::*;

// The fuzz properties; only their table of typed messages is used here.
#[allow(dead_code)]
#[path = "../fuzz/props.rs"]
mod props;

const HDR: usize = CMSG_LEN(0);

/// One message as the kernel lays it out: header, payload, padding.
fn cmsg(level: i32, ty: i32, payload: &[u8], claimed: usize) -> Vec<u8> {
    let mut v = vec![0u8; CMSG_SPACE(payload.len())];
    let len_size = std::mem::size_of::<usize>(); // cmsg_len is a size_t on Linux
    v[..len_size].copy_from_slice(&claimed.to_ne_bytes());
    v[len_size..len_size + 4].copy_from_slice(&level.to_ne_bytes());
    v[len_size + 4..len_size + 8].copy_from_slice(&ty.to_ne_bytes());
    v[HDR..HDR + payload.len()].copy_from_slice(payload);
    v
}

/// (level, type, payload bytes the C type needs) of every typed message: the
/// table the fuzz target's property uses.
const KNOWN: &[(i32, i32, usize)] = props::KNOWN_CMSGS;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let n = ControlMessages::new(&bytes).count();
        // Each message takes at least a header.
        prop_assert!(n <= bytes.len() / HDR);
    }

    #[test]
    fn well_formed_headers_with_arbitrary_payloads_never_panic(
        msgs in proptest::collection::vec(
            (0..KNOWN.len(), proptest::collection::vec(any::<u8>(), 0..64)), 0..6),
    ) {
        let mut buf = Vec::new();
        for (k, payload) in &msgs {
            let (level, ty, _) = KNOWN[*k];
            buf.extend(cmsg(level, ty, payload, CMSG_LEN(payload.len())));
        }
        prop_assert_eq!(ControlMessages::new(&buf).count(), msgs.len());
    }

    #[test]
    fn a_short_payload_is_never_a_typed_value(k in 0..KNOWN.len(), seed in any::<u8>()) {
        let (level, ty, need) = KNOWN[k];
        for len in 0..need {
            let payload = vec![seed; len];
            let buf = cmsg(level, ty, &payload, CMSG_LEN(len));
            let got: Vec<_> = ControlMessages::new(&buf).collect();
            prop_assert_eq!(got.len(), 1);
            prop_assert!(
                matches!(got[0], ControlMessageOwned::Truncated { level: l, ty: t } if l == level && t == ty),
                "{:?} from {} of {} bytes", got[0], len, need
            );
        }
    }

    #[test]
    fn a_cut_message_is_truncated(k in 0..KNOWN.len(), extra in 1usize..1000) {
        // cmsg_len claims more than the buffer holds (MSG_CTRUNC).
        let (level, ty, need) = KNOWN[k];
        let payload = vec![0u8; need];
        let buf = cmsg(level, ty, &payload, CMSG_LEN(need) + extra);
        let got: Vec<_> = ControlMessages::new(&buf[..CMSG_LEN(need)]).collect();
        prop_assert_eq!(got.len(), 1);
        let is_truncated = matches!(got[0], ControlMessageOwned::Truncated { .. });
        prop_assert!(is_truncated, "{:?}", got[0]);
    }

    #[test]
    fn unknown_messages_keep_their_bytes(payload in proptest::collection::vec(any::<u8>(), 0..64)) {
        let buf = cmsg(0x7fff, 0x1234, &payload, CMSG_LEN(payload.len()));
        let got: Vec<_> = ControlMessages::new(&buf).collect();
        let ok = matches!(&got[..], [ControlMessageOwned::Unknown { level: 0x7fff, ty: 0x1234, data }] if *data == payload);
        prop_assert!(ok, "{:?}", got);
    }
}

#[test]
fn rights_from_the_standalone_parser_are_numbers() {
    let fds: Vec<u8> = [3i32, 4, 5].iter().flat_map(|f| f.to_ne_bytes()).collect();
    let buf = cmsg(libc::SOL_SOCKET, libc::SCM_RIGHTS, &fds, CMSG_LEN(12));
    let got: Vec<_> = ControlMessages::new(&buf).collect();
    assert!(
        matches!(&got[..], [ControlMessageOwned::ScmRightsRaw(v)] if *v == [3, 4, 5]),
        "{got:?}"
    );
}

#[test]
fn a_header_shorter_than_a_header_ends_the_walk() {
    let buf = cmsg(libc::IPPROTO_IP, libc::IP_TTL, &[1, 0, 0, 0], 3);
    assert_eq!(ControlMessages::new(&buf).count(), 0);
}
