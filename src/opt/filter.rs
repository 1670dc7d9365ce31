//! Classic BPF socket filters (Linux): [`SockFilter`] programs, attached as
//! `struct sock_fprog` by the [`SockFprog`] codec.

use super::codec::{Encode, Refusal, Sealed};
use super::shape::Fprog;
pub use crate::sys::SockFilter;

/// Marker codec: a classic BPF program as `struct sock_fprog` (`SO_ATTACH_FILTER`,
/// `SO_ATTACH_REUSEPORT_CBPF`). Takes a `&[SockFilter]` or a `&[SockFilter; N]`;
/// a program longer than 65535 instructions (C's `unsigned short len`) is refused
/// before the call, and the kernel refuses more than 4096 (`BPF_MAXINSNS`).
#[derive(Debug)]
#[doc(alias = "sock_fprog")]
pub enum SockFprog {}

impl Sealed for SockFprog {}
impl<'a> Encode<&'a [SockFilter]> for SockFprog {
    type C = Fprog<'a>;
    fn encode(v: &'a [SockFilter]) -> Result<Fprog<'a>, Refusal> {
        let len = u16::try_from(v.len())
            .map_err(|_| Refusal::Invalid("BPF program longer than 65535 instructions"))?;
        Ok(Fprog { prog: v, len })
    }
}
impl<'a, const N: usize> Encode<&'a [SockFilter; N]> for SockFprog {
    type C = Fprog<'a>;
    fn encode(v: &'a [SockFilter; N]) -> Result<Fprog<'a>, Refusal> {
        <SockFprog as Encode<&[SockFilter]>>::encode(v)
    }
}
