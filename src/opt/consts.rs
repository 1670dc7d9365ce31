//! The kernel's named `int` values that options carry, as newtypes over `i32`:
//! [`PmtuDisc`], [`TcpRepair`], and [`TcpState`] (a field of `TCP_INFO`).
//!
//! All have one shape, the crate's for C constants: named constants,
//! `from_raw` / `as_raw`, `name()` for the C name, and a `Debug` that prints
//! that name (`IP_PMTUDISC_DO`), or `TypeName(raw)` for a value without one.

use super::codec::{Decode, Encode, Refusal, Sealed};
use super::shape::Int;

/// Declares a newtype over a C `int` constant: its named values (the C name is
/// `prefix` + the constant's name), `from_raw`, `as_raw`, `name` and `Debug`.
/// With `codec "what"` it is also an int codec that refuses an unnamed value
/// from the kernel as "not a valid what".
macro_rules! c_consts {
    (
        $(#[$meta:meta])*
        pub struct $T:ident, prefix $prefix:literal $(, codec $what:literal)? {
            $( $(#[$cmeta:meta])* $name:ident = $value:expr; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(transparent)]
        pub struct $T(i32);

        impl $T {
            $(
                #[doc = concat!("`", $prefix, stringify!($name), "`.")]
                $(#[$cmeta])*
                pub const $name: $T = $T($value);
            )*

            /// The C name of the value, if it has one here.
            pub const fn name(self) -> Option<&'static str> {
                $( if self.0 == $value { return Some(concat!($prefix, stringify!($name))); } )*
                None
            }
        }

        $crate::newtype::c_newtype! {
            $T, name: $T::name,
            /// Wraps a raw C value, named here or not.
            from_raw;
            /// The raw C value.
            as_raw;
        }

        $(
            impl Sealed for $T {}
            impl Decode<$T> for $T {
                type C = Int;
                #[inline]
                fn decode(a: Int) -> Result<$T, Refusal> {
                    match $T(a.whole()?) {
                        v if v.name().is_some() => Ok(v),
                        v => Err(Refusal::Value { value: v.0.into(), what: $what }),
                    }
                }
            }
            impl Encode<$T> for $T {
                type C = libc::c_int;
                #[inline]
                fn encode(v: $T) -> Result<libc::c_int, Refusal> {
                    Ok(v.0)
                }
            }
        )?
    };
}

#[cfg(target_os = "linux")]
c_consts! {
    /// Path-MTU discovery mode: the value of `IP_MTU_DISCOVER` and
    /// `IPV6_MTU_DISCOVER` (`IP_PMTUDISC_*`, `IPV6_PMTUDISC_*`, which share their
    /// values). A mode the kernel reports that is not named here is a decode
    /// error.
    ///
    /// ```
    /// use bsdsock::opt::{getsockopt, setsockopt, PmtuDisc, IP_MTU_DISCOVER};
    /// use bsdsock::{socket, Domain, Protocol, Type};
    /// let s = socket(Domain::INET, Type::DGRAM, Protocol::DEFAULT)?;
    /// setsockopt(&s, IP_MTU_DISCOVER, PmtuDisc::DO)?; // set DF, never fragment locally
    /// assert_eq!(getsockopt(&s, IP_MTU_DISCOVER)?, PmtuDisc::DO);
    /// assert_eq!(PmtuDisc::PROBE.as_raw(), libc::IP_PMTUDISC_PROBE);
    /// assert_eq!(format!("{:?}", PmtuDisc::DO), "IP_PMTUDISC_DO");
    /// assert_eq!(format!("{:?}", PmtuDisc::from_raw(9)), "PmtuDisc(9)");
    /// # Ok::<(), bsdsock::Error>(())
    /// ```
    #[doc(alias = "IP_PMTUDISC_DO")]
    pub struct PmtuDisc, prefix "IP_PMTUDISC_", codec "path-MTU discovery mode" {
        /// Never set DF; fragment as needed.
        DONT = libc::IP_PMTUDISC_DONT;
        /// Discover per route (the default for TCP and UDP).
        WANT = libc::IP_PMTUDISC_WANT;
        /// Always set DF; a datagram above the path MTU fails with `EMSGSIZE`.
        DO = libc::IP_PMTUDISC_DO;
        /// Set DF but ignore the path MTU (for probing tools).
        PROBE = libc::IP_PMTUDISC_PROBE;
        /// Use the interface MTU, ignore ICMP "too big".
        INTERFACE = libc::IP_PMTUDISC_INTERFACE;
        /// Like `INTERFACE`, but fragment larger packets and do not set DF on
        /// them.
        OMIT = libc::IP_PMTUDISC_OMIT;
    }
}

#[cfg(target_os = "linux")]
c_consts! {
    /// The value of `TCP_REPAIR` (Linux, needs `CAP_NET_ADMIN`): put a socket in
    /// repair mode to checkpoint or restore a connection (CRIU). The values are
    /// `<linux/tcp.h>`'s, which `libc` does not spell.
    ///
    /// ```
    /// use bsdsock::opt::TcpRepair;
    /// assert_eq!(TcpRepair::ON.as_raw(), 1);
    /// assert_eq!(TcpRepair::from_raw(-1), TcpRepair::OFF_NO_WP);
    /// assert_eq!(TcpRepair::OFF_NO_WP.name(), Some("TCP_REPAIR_OFF_NO_WP"));
    /// ```
    pub struct TcpRepair, prefix "TCP_REPAIR_", codec "TCP repair mode" {
        /// Normal operation.
        OFF = 0;
        /// Repair mode.
        ON = 1;
        /// Leave repair mode without sending a window probe.
        OFF_NO_WP = -1;
    }
}

#[cfg(target_os = "linux")]
c_consts! {
    /// A TCP connection state (`TCP_ESTABLISHED`, `TCP_LISTEN`, ...), as
    /// `TCP_INFO` reports it; the values are `<netinet/tcp.h>`'s, which `libc`
    /// does not spell. Open-ended: a state a newer kernel adds is kept, and its
    /// `Debug` shows the number.
    ///
    /// ```
    /// use bsdsock::opt::TcpState;
    /// assert_eq!(format!("{:?}", TcpState::ESTABLISHED), "TCP_ESTABLISHED");
    /// assert_eq!(format!("{:?}", TcpState::from_raw(99)), "TcpState(99)");
    /// assert_eq!(TcpState::LISTEN.as_raw(), 10);
    /// assert_eq!(TcpState::TIME_WAIT.name(), Some("TCP_TIME_WAIT"));
    /// ```
    pub struct TcpState, prefix "TCP_" {
        ESTABLISHED = 1;
        SYN_SENT = 2;
        SYN_RECV = 3;
        FIN_WAIT1 = 4;
        FIN_WAIT2 = 5;
        TIME_WAIT = 6;
        CLOSE = 7;
        CLOSE_WAIT = 8;
        LAST_ACK = 9;
        LISTEN = 10;
        CLOSING = 11;
        NEW_SYN_RECV = 12;
        /// Linux 6.7.
        BOUND_INACTIVE = 13;
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn pmtu_values() {
        for m in [
            PmtuDisc::DONT,
            PmtuDisc::WANT,
            PmtuDisc::DO,
            PmtuDisc::PROBE,
            PmtuDisc::INTERFACE,
            PmtuDisc::OMIT,
        ] {
            assert_eq!(PmtuDisc::from_raw(m.as_raw()), m);
            assert!(m.name().is_some());
        }
        assert_eq!(PmtuDisc::from_raw(6).name(), None);
        assert_eq!(PmtuDisc::from_raw(-1).name(), None);
    }
}
