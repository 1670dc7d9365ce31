//! What the area modules share: the lock that serialises descriptor checks, the
//! shapes of resolver errors, and a loopback echo.

use std::io::{Read, Write};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use bsdsock::netdb::{AddrInfoHints, AiFlags, EaiCode, HErrno};
use bsdsock::{Error, Socket};

use crate::common::refusing;

// Serialising descriptor checks: every test takes the shared side, the leak test
// the exclusive side, so no other test opens or closes descriptors (or
// allocates resolver memory) while it counts.

static FDS: RwLock<()> = RwLock::new(());

/// Held by every test but the leak test, for its whole run.
pub fn shared() -> RwLockReadGuard<'static, ()> {
    FDS.read().unwrap_or_else(|e| e.into_inner())
}

/// Held by the leak test: no other test runs while it counts.
pub fn exclusive() -> RwLockWriteGuard<'static, ()> {
    FDS.write().unwrap_or_else(|e| e.into_inner())
}

pub fn assert_is_host_error<T: std::fmt::Debug>(r: bsdsock::Result<T>, call: &str, want: HErrno) {
    match r {
        Err(Error::Host { call: c, code }) => {
            assert_eq!((c, code), (call, want));
        }
        other => panic!("{call}: expected {want:?}, got {other:?}"),
    }
}

pub fn gai_code_of(e: &Error) -> EaiCode {
    match e {
        Error::Gai { code, errno, .. } => {
            assert_eq!(*errno, None, "only EAI_SYSTEM carries an errno");
            *code
        }
        other => panic!("expected a getaddrinfo error, got {other:?}"),
    }
}

pub fn gai_code<T: std::fmt::Debug>(r: bsdsock::Result<T>) -> EaiCode {
    gai_code_of(&r.unwrap_err())
}

pub fn assert_invalid<T: std::fmt::Debug>(r: bsdsock::Result<T>, call: &str, reason_part: &str) {
    match r {
        Err(e @ Error::InvalidInput { .. }) => {
            let text = e.to_string();
            assert!(text.starts_with(&format!("{call}: ")), "{text}");
            assert!(text.contains(reason_part), "{text}");
        }
        other => panic!("{call}: expected InvalidInput ({reason_part}), got {other:?}"),
    }
}

pub fn numeric(flags: AiFlags) -> AddrInfoHints {
    AddrInfoHints { flags: flags | AiFlags::NUMERICHOST, ..Default::default() }
}

/// Accepts `client`'s connection on `listener` and checks a few bytes cross it.
pub fn accept_and_echo(listener: &Socket, client: &Socket) {
    let (conn, peer) = listener.accept().unwrap();
    assert_eq!(peer, client.getsockname().unwrap());
    (&*client).write_all(b"ping").unwrap();
    let mut buf = [0u8; 4];
    (&conn).read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"ping");
}

/// A loopback port with nothing listening (bound, not listening: refused), and
/// the socket holding it.
pub fn closed_port() -> (Socket, u16) {
    let (s, addr) = refusing();
    (s, addr.port().unwrap())
}
