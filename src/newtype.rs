//! One shape for the newtypes over a C integer constant (`Domain`, `Type`,
//! `Protocol`, `Errno`, `HErrno`, `EaiCode`, ...).
//!
//! Each such type is a `#[repr(transparent)]` tuple struct over `i32` with named
//! constants. [`c_newtype!`] gives all of them the same `from_raw` / `as_raw` pair
//! and the same `Debug`: the C name when the type knows it (`AF_INET`,
//! `ECONNREFUSED`), else `TypeName(raw)` (`Domain(500)`), so a value reads the
//! same in every `{:?}` whatever its type. The struct, its constants and its name
//! table stay written out beside it, where their docs are.

/// Implements `from_raw`, `as_raw` and `Debug` for a tuple struct over `i32`.
///
/// ```text
/// c_newtype! {
///     Domain, name: Domain::name,
///     /// Wraps a raw `AF_*` value. (docs and doc example of from_raw)
///     from_raw;
///     /// The raw `AF_*` value. (docs and doc example of as_raw)
///     as_raw;
/// }
/// ```
///
/// `name` is any `fn(Self) -> Option<&'static str>` giving the C name of a
/// value; `Debug` prints it, or `TypeName(raw)` when it is `None`. A type whose
/// `Debug` must say more (`Type` adds its `SOCK_NONBLOCK` flag) passes
/// `debug: manual` instead of `name: ...` and writes its `Debug` in the same style.
///
/// The struct's field must be visible where the macro is invoked (the definition
/// may live in another module, as `Errno`'s does in `sys`).
macro_rules! c_newtype {
    (
        $T:ident, name: $name:expr,
        $(#[$from_doc:meta])* from_raw;
        $(#[$as_doc:meta])* as_raw;
    ) => {
        $crate::newtype::c_newtype! { $T, debug: manual, $(#[$from_doc])* from_raw; $(#[$as_doc])* as_raw; }

        impl ::std::fmt::Debug for $T {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let name: fn($T) -> Option<&'static str> = $name;
                match name(*self) {
                    Some(n) => f.write_str(n),
                    None => write!(f, concat!(stringify!($T), "({})"), self.0),
                }
            }
        }
    };
    (
        $T:ident, debug: manual,
        $(#[$from_doc:meta])* from_raw;
        $(#[$as_doc:meta])* as_raw;
    ) => {
        impl $T {
            $(#[$from_doc])*
            #[inline]
            pub const fn from_raw(raw: i32) -> $T {
                $T(raw)
            }

            $(#[$as_doc])*
            #[inline]
            pub const fn as_raw(self) -> i32 {
                self.0
            }
        }
    };
}

pub(crate) use c_newtype;
