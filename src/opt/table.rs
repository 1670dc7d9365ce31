//! How an option is declared: [`Opt`], and the `options!` macro that writes one
//! constant per line of a level's table.

use std::fmt;
use std::marker::PhantomData;

/// A socket option: level, number and C name, with its value type `V`, its
/// access `A` ([`ReadOnly`](super::ReadOnly), [`WriteOnly`](super::WriteOnly),
/// [`ReadWrite`](super::ReadWrite)) and its codec `C` (the
/// C representation; by default `V` itself) in the type.
///
/// The constants of [`bsdsock::opt`](super) are the options C has; [`Opt::new`]
/// declares one they do not list.
pub struct Opt<V, A, C = V> {
    pub(super) level: i32,
    pub(super) optname: i32,
    name: &'static str,
    pub(super) get_call: &'static str,
    pub(super) set_call: &'static str,
    marker: Marker<V, A, C>,
}

/// Carries the type parameters without owning a value: `Opt` is `Copy`, `Send`
/// and `Sync` whatever they are.
type Marker<V, A, C> = PhantomData<fn() -> (V, A, C)>;

impl<V, A, C> Opt<V, A, C> {
    /// Declares an option this crate does not list. Errors name it by the call
    /// alone (`getsockopt: ...`), since the C name cannot be pasted into a static
    /// string at run time.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, setsockopt, Opt, ReadWrite};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// // SO_PREFER_BUSY_POLL (Linux 5.11), an int flag; <asm-generic/socket.h>
    /// // numbers it 69 and libc does not spell it.
    /// const SO_PREFER_BUSY_POLL_NR: i32 = 69;
    /// const SO_PREFER_BUSY_POLL: Opt<bool, ReadWrite> =
    ///     Opt::new(libc::SOL_SOCKET, SO_PREFER_BUSY_POLL_NR, "SO_PREFER_BUSY_POLL");
    /// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    /// setsockopt(&s, SO_PREFER_BUSY_POLL, true)?;
    /// assert!(getsockopt(&s, SO_PREFER_BUSY_POLL)?);
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    pub const fn new(level: i32, optname: i32, name: &'static str) -> Self {
        Opt::named(level, optname, name, "getsockopt", "setsockopt")
    }

    /// An option of the tables, with the call names its errors carry.
    pub(crate) const fn named(
        level: i32,
        optname: i32,
        name: &'static str,
        get_call: &'static str,
        set_call: &'static str,
    ) -> Self {
        Opt { level, optname, name, get_call, set_call, marker: PhantomData }
    }

    /// The `level` argument (`SOL_SOCKET`, `IPPROTO_IP`, ...).
    ///
    /// ```
    /// assert_eq!(bsdsock::opt::IPV6_MULTICAST_HOPS.level(), libc::IPPROTO_IPV6);
    /// ```
    pub const fn level(&self) -> i32 {
        self.level
    }

    /// The `optname` argument (the value of `SO_REUSEADDR`, ...).
    ///
    /// ```
    /// assert_eq!(bsdsock::opt::SO_REUSEADDR.optname(), libc::SO_REUSEADDR);
    /// ```
    pub const fn optname(&self) -> i32 {
        self.optname
    }

    /// The C name (`"SO_REUSEADDR"`).
    ///
    /// ```
    /// assert_eq!(bsdsock::opt::TCP_NODELAY.name(), "TCP_NODELAY");
    /// ```
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<V, A, C> Clone for Opt<V, A, C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<V, A, C> Copy for Opt<V, A, C> {}

impl<V, A, C> fmt::Debug for Opt<V, A, C> {
    /// `SO_RCVBUF (level 1, optname 8)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (level {}, optname {})", self.name, self.level, self.optname)
    }
}

/// One line of an option table, as the tests see it: every option the crate
/// declares, so that a test fails when one of them has no test row.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Declared {
    /// The C name (`"SO_REUSEADDR"`).
    pub name: &'static str,
    /// The `level` argument.
    pub level: i32,
    /// The `optname` argument.
    pub optname: i32,
    /// `"read-only"`, `"write-only"` or `"read-write"`.
    pub access: &'static str,
    /// The value type, as written in the table.
    pub value: &'static str,
}

/// Declares one level's options (`level = SOL_X, man = page;`, the page of
/// section 7 that documents them), one line each:
/// `NAME: access value_type [as codec];` where access is `r`, `w` or `rw`;
/// `NAME = OTHER: ...` for a C name that is another's alias. Names resolve in
/// `sys::c` (libc's, plus the ones libc spells differently on some OS). A line's docs
/// (and `#[doc(alias)]`s) come first, then at most one `#[cfg(...)]`.
///
/// The generated docs start with the level, the C name, the access and the
/// value type; the line's own docs follow, and a line's `cfg` is shown on
/// docs.rs (`doc(cfg)`). Besides the constants, the table
/// emits `TABLE`, its [`Declared`] lines.
macro_rules! options {
    (
        level = $level:ident, man = $man:ident;
        $(
            $(#[doc $($doc:tt)*])*
            $(#[cfg($cfg:meta)])?
            $name:ident $(= $alias_of:ident)? : $access:ident $v:ty $(as $codec:ty)? ;
        )*
    ) => {
        $(
            options!(
                @one $level, $man, $name [$($alias_of)?], $access, [$v], [$($codec)?],
                $(#[cfg($cfg)] #[cfg_attr(docsrs, doc(cfg($cfg)))])? $(#[doc $($doc)*])*
            );
        )*

        /// This table's options, for the tests.
        pub(super) const TABLE: &[$crate::opt::Declared] = &[$(
            $(#[cfg($cfg)])?
            $crate::opt::Declared {
                name: stringify!($name),
                level: $crate::sys::c::$level,
                optname: options!(@optname $name $($alias_of)?),
                access: options!(@access_doc $access),
                value: stringify!($v),
            },
        )*];
    };
    (@one $level:ident, $man:ident, $name:ident [$($alias_of:ident)?], $access:ident, [$v:ty], [$($codec:ty)?], $(#[$attr:meta])*) => {
        #[doc = concat!(
            "`", stringify!($name), "` — level `", stringify!($level), "` ([`",
            stringify!($man), "(7)`](https://man7.org/linux/man-pages/man7/", stringify!($man),
            ".7.html)), ",
            options!(@access_doc $access), ", value `", stringify!($v), "`",
            $(" (codec [`", stringify!($codec), "`])",)?
            "."
        )]
        #[doc = ""]
        $(#[$attr])*
        pub const $name: $crate::opt::Opt<$v, options!(@access $access), options!(@codec [$v] $($codec)?)> =
            $crate::opt::Opt::named(
                $crate::sys::c::$level,
                options!(@optname $name $($alias_of)?),
                stringify!($name),
                concat!("getsockopt(", stringify!($name), ")"),
                concat!("setsockopt(", stringify!($name), ")"),
            );
    };

    (@access r) => { $crate::opt::ReadOnly };
    (@access w) => { $crate::opt::WriteOnly };
    (@access rw) => { $crate::opt::ReadWrite };
    (@access_doc r) => { "read-only" };
    (@access_doc w) => { "write-only" };
    (@access_doc rw) => { "read-write" };
    (@optname $name:ident) => { $crate::sys::c::$name };
    (@optname $name:ident $alias_of:ident) => { $crate::sys::c::$alias_of };
    (@codec [$v:ty]) => { $v };
    (@codec [$v:ty] $codec:ty) => { $codec };
}
pub(super) use options;
