//! What the kernel knows about the other end of a connection: the peer's
//! credentials (`SO_PEERCRED`), a pidfd for it (`SO_PEERPIDFD`), and where a
//! redirected connection was first headed (`SO_ORIGINAL_DST`).

#[cfg(target_os = "linux")]
use std::os::fd::OwnedFd;

use super::codec::{Decode, Refusal, Sealed};
use super::shape::Bytes;
#[cfg(target_os = "linux")]
use super::shape::{Fixed, NewFd};
use crate::SockAddr;

/// `struct ucred`: the credentials of the process at the other end of a Unix
/// socket (`SO_PEERCRED`), as they were when it called `connect` or
/// `socketpair`. A socket with no peer process (TCP, UDP) reads as `pid` 0 and
/// `uid` = `gid` = `u32::MAX`, not as an error: see [`SO_PEERCRED`](super::SO_PEERCRED).
///
/// ```
/// use bsdsock::opt::{getsockopt, SO_PEERCRED};
/// use bsdsock::{socketpair, Domain, Type};
/// let (a, _b) = socketpair(Domain::UNIX, Type::STREAM, Default::default())?;
/// let cred = getsockopt(&a, SO_PEERCRED)?;
/// assert_eq!(cred.pid, std::process::id() as i32);
/// # Ok::<(), bsdsock::Error>(())
/// ```
#[cfg(target_os = "linux")]
#[cfg_attr(docsrs, doc(cfg(target_os = "linux")))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[doc(alias = "ucred")]
pub struct UCred {
    /// `pid`: the peer's process id.
    pub pid: i32,
    /// `uid`: its effective user id.
    pub uid: u32,
    /// `gid`: its effective group id.
    pub gid: u32,
}

#[cfg(target_os = "linux")]
impl Sealed for UCred {}
#[cfg(target_os = "linux")]
impl Decode<UCred> for UCred {
    type C = Fixed<libc::ucred>;
    #[inline]
    fn decode(c: Fixed<libc::ucred>) -> Result<UCred, Refusal> {
        let c = c.exact()?;
        Ok(UCred { pid: c.pid, uid: c.uid, gid: c.gid })
    }
}

#[cfg(target_os = "linux")]
impl Sealed for OwnedFd {}
/// `SO_PEERPIDFD`: a descriptor the kernel creates for us, owned from then on.
///
/// Only for `SO_PEERPIDFD` itself: an int read from any other option is no
/// descriptor of ours, and owning it would close someone else's. An [`Opt`]
/// declared with [`Opt::new`](super::Opt::new) that pairs this codec with another
/// level or name is refused before the call.
///
/// [`Opt`]: super::Opt
#[cfg(target_os = "linux")]
impl Decode<OwnedFd> for OwnedFd {
    type C = NewFd;
    fn decode(c: NewFd) -> Result<OwnedFd, Refusal> {
        c.0.ok_or(Refusal::Decode("not a whole int descriptor"))
    }
    fn check(level: i32, name: i32) -> Result<(), Refusal> {
        if (level, name) == (libc::SOL_SOCKET, libc::SO_PEERPIDFD) {
            Ok(())
        } else {
            Err(Refusal::Invalid("only SO_PEERPIDFD returns a descriptor"))
        }
    }
}

/// Room for any `sockaddr`: `sizeof(struct sockaddr_storage)`.
const SOCKADDR_MAX: usize = size_of::<libc::sockaddr_storage>();

impl Sealed for SockAddr {}
/// `SO_ORIGINAL_DST`: a `sockaddr` the kernel fills, decoded like the address of
/// `getsockname`.
impl Decode<SockAddr> for SockAddr {
    type C = Bytes<SOCKADDR_MAX>;
    fn decode(c: Bytes<SOCKADDR_MAX>) -> Result<SockAddr, Refusal> {
        SockAddr::decode(c.written()?).map_err(Refusal::Decode)
    }
}
