//! Which options may be read and which written: the access markers in an
//! [`Opt`](super::Opt)'s type, checked at compile time.

mod private {
    /// Keeps the access markers closed.
    pub trait Sealed {}
}
use private::Sealed;

/// Access marker: the option can only be read ([`getsockopt`](super::getsockopt)).
#[derive(Debug)]
pub enum ReadOnly {}
/// Access marker: the option can only be written ([`setsockopt`](super::setsockopt)).
#[derive(Debug)]
pub enum WriteOnly {}
/// Access marker: the option can be read and written.
#[derive(Debug)]
pub enum ReadWrite {}

impl Sealed for ReadOnly {}
impl Sealed for WriteOnly {}
impl Sealed for ReadWrite {}

/// Access that allows [`getsockopt`](super::getsockopt): [`ReadOnly`] and [`ReadWrite`].
#[diagnostic::on_unimplemented(
    message = "this socket option is write-only: it cannot be passed to getsockopt",
    label = "write-only option"
)]
pub trait Get: Sealed {}
impl Get for ReadOnly {}
impl Get for ReadWrite {}

/// Access that allows [`setsockopt`](super::setsockopt): [`WriteOnly`] and [`ReadWrite`].
#[diagnostic::on_unimplemented(
    message = "this socket option is read-only: it cannot be passed to setsockopt",
    label = "read-only option"
)]
pub trait Set: Sealed {}
impl Set for WriteOnly {}
impl Set for ReadWrite {}
