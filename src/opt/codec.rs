//! The two traits every option value goes through, and why a value is refused.
//!
//! A codec is a pure conversion: [`Decode::decode`] turns what the kernel wrote
//! (a [`Fetch`] shape: an `int`, a fixed C struct, a byte buffer) into the Rust
//! value, and [`Encode::encode`] turns the Rust value into what the kernel reads
//! (a [`Store`] shape). Neither makes a system call or names one: the calls are
//! made once, in [`getsockopt`](super::getsockopt) and
//! [`setsockopt`](super::setsockopt), by the shape's `fetch` / `store`, and the
//! call's name is attached there to a [`Refusal`].
//!
//! Decoding checks the length the kernel reported and the range of what it wrote:
//! anything that does not fit the Rust type is [`Error::Decode`], never a
//! truncated or undefined value. Encoding checks the Rust value against the C
//! type before any system call: a value C cannot hold is [`Error::InvalidInput`].

use crate::{Error, Reason};

pub(crate) use private::{Refusal, Sealed};

use super::shape::{Fetch, Store};

pub(crate) mod private {
    use crate::opt::shape::Int;

    /// Keeps [`Decode`](super::Decode) and [`Encode`](super::Encode) closed: every
    /// codec must be checked against the kernel's C types, so only this crate
    /// defines them.
    pub trait Sealed {}

    /// Why a codec refused a value: the call's name is added by the caller
    /// ([`Refusal::into_error`]).
    #[derive(Clone, Copy, Debug)]
    pub enum Refusal {
        /// The kernel reported `got` bytes where the C type has `want`.
        Len {
            /// The length the kernel reported.
            got: usize,
            /// The length of the C type.
            want: usize,
        },
        /// An `int` answer that is not a whole `int` in the Rust type's range:
        /// which of the two is told apart only when the error is built.
        Int {
            /// What the kernel answered.
            answer: Int,
            /// What the value should have been (`"8-bit value"`).
            what: &'static str,
        },
        /// A value from the kernel outside the Rust type's range.
        Value {
            /// The value.
            value: i64,
            /// What it should have been.
            what: &'static str,
        },
        /// Anything else the kernel wrote that does not fit.
        Decode(&'static str),
        /// A Rust value the C type cannot hold, or that C would misread.
        Invalid(&'static str),
    }
}

/// A codec that can read a `V` with `getsockopt(2)`.
///
/// Implemented by the value types that are their own codec and by the marker
/// codecs ([`Secs`](super::Secs), [`Linger`](super::Linger), ...). It is sealed:
/// use [`getsockopt_raw`](super::getsockopt_raw) for a representation this crate
/// does not know.
pub trait Decode<V>: Sealed {
    /// What the kernel writes: the shape that makes the `getsockopt` call.
    #[doc(hidden)]
    type C: Fetch;

    /// The Rust value of what the kernel wrote.
    #[doc(hidden)]
    fn decode(c: Self::C) -> Result<V, Refusal>;

    /// Refuses an option this codec must not be used with, before the call.
    #[doc(hidden)]
    #[inline(always)]
    fn check(_level: i32, _name: i32) -> Result<(), Refusal> {
        Ok(())
    }
}

/// A codec that can write a `T` with `setsockopt(2)`.
///
/// A codec may accept more than one Rust type: the membership options take an
/// [`IpMreq`](super::IpMreq) or an [`IpMreqn`](super::IpMreqn), the name options
/// a [`Name`](super::Name) or a `&str`. Sealed, like [`Decode`].
pub trait Encode<T>: Sealed {
    /// What the kernel reads: the shape that makes the `setsockopt` call.
    #[doc(hidden)]
    type C: Store;

    /// The C value of `v`, or why C cannot hold it.
    #[doc(hidden)]
    fn encode(v: T) -> Result<Self::C, Refusal>;
}

impl Refusal {
    /// The error `call` reports for this refusal. Out of line and cold: the
    /// success path of an int option stays as short as the raw call.
    #[cold]
    #[inline(never)]
    pub(crate) fn into_error(self, call: &'static str) -> Error {
        match self {
            Refusal::Len { got, want } => Error::decode(call, Reason::Length { got, want }),
            Refusal::Int { answer, what } => match answer.whole() {
                Ok(value) => Refusal::Value { value: value.into(), what }.into_error(call),
                Err(len) => len.into_error(call),
            },
            Refusal::Value { value, what } => Error::decode(call, Reason::Value { value, what }),
            Refusal::Decode(reason) => Error::decode(call, reason),
            Refusal::Invalid(reason) => Error::invalid(call, reason),
        }
    }
}

/// The error of a failed system call, built out of line like
/// [`Refusal::into_error`].
#[cold]
#[inline(never)]
pub(crate) fn os_error(call: &'static str, errno: crate::Errno) -> Error {
    Error::os(call, errno)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_call() {
        let e = Refusal::Len { got: 2, want: 4 }.into_error("getsockopt(SO_TYPE)");
        assert_eq!(
            e.to_string(),
            "getsockopt(SO_TYPE): unexpected value from the kernel: 2 bytes where 4 were expected"
        );
        let e = Refusal::Value { value: -1, what: "size" }.into_error("g");
        assert_eq!(e.to_string(), "g: unexpected value from the kernel: -1 is not a valid size");
        let e = Refusal::Invalid("too big").into_error("s");
        assert!(matches!(e, Error::InvalidInput { call: "s", .. }));
    }
}
