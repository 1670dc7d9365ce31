//! Messages: [`sendmsg`] / [`recvmsg`] with typed control messages
//! ([`ControlMessage`], [`ControlMessageOwned`]) in an aligned [`CmsgBuffer`], the
//! standalone parser [`ControlMessages`], and the batches [`sendmmsg`] /
//! [`recvmmsg`] (Linux).

mod buffer;
mod call;
#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
))]
mod mmsg;
mod parse;
mod send;
#[cfg(target_os = "linux")]
mod types;

pub use crate::sys::CmsgBuffer;
pub use buffer::{CMSG_LEN, CMSG_SPACE};
pub use call::{RecvMsg, recvmsg, sendmsg};
#[cfg(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd"
))]
pub use mmsg::{BatchMsg, MsgOut, RecvBatch, recvmmsg, sendmmsg};
pub use parse::{ControlMessageOwned, ControlMessages};
pub use send::ControlMessage;
#[cfg(target_os = "linux")]
pub use types::{In6Pktinfo, InPktinfo, SockExtendedErr, Timestamping};
