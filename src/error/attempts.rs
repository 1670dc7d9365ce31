//! [`Attempt`] and [`AttemptList`]: how each address failed, in a connect that
//! tried several ([`Error::Attempts`](crate::Error::Attempts)).

use std::fmt;
use std::fmt::Write as _;
use std::net::SocketAddr;

use super::Errno;

/// One address's last failure in a connect by name that tried several
/// ([`netdb::tcp_connect_timeout`](crate::netdb::tcp_connect_timeout)); it
/// prints as `[::1]:80 connect ECONNREFUSED`.
///
/// ```
/// use bsdsock::{Attempt, Errno};
/// let a = Attempt { addr: "[::1]:80".parse().unwrap(), call: "connect", errno: Errno::ECONNREFUSED };
/// assert_eq!(a.to_string(), "[::1]:80 connect ECONNREFUSED");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Attempt {
    /// The address.
    pub addr: SocketAddr,
    /// The call that failed for it: `"socket"`, `"fcntl(F_GETFL)"`,
    /// `"fcntl(F_SETFL)"`, `"connect"` or `"getsockopt(SO_ERROR)"`.
    pub call: &'static str,
    /// Its `errno`: `ETIMEDOUT` when the deadline passed first, also for an
    /// address whose turn had not yet come.
    pub errno: Errno,
}

impl fmt::Display for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.addr, self.call, self.errno.name())
    }
}

/// The calls an [`Attempt`] can name; any other is kept as `"connect"`.
const CALLS: [&str; 5] =
    ["connect", "socket", "fcntl(F_GETFL)", "fcntl(F_SETFL)", "getsockopt(SO_ERROR)"];

/// The attempts of an [`Error::Attempts`](crate::Error::Attempts), in the order
/// they were made: [`iter`](AttemptList::iter) gives each as an [`Attempt`];
/// `Display` prints them comma-separated.
///
/// Kept as one compact `String` (`"[::1]:80 0 111;"` per attempt) rather than
/// a `Vec<Attempt>`: an [`Error`](crate::Error) that owns a `String`, as
/// `NotFound` does, costs the calls that return one nothing more, where a second
/// kind of owned buffer made `inet_pton` measurably slower (the
/// `benches/callgrind.guard` rows).
///
/// ```
/// use bsdsock::{Attempt, AttemptList, Errno};
/// let refused = |addr: &str| Attempt { addr: addr.parse().unwrap(), call: "connect", errno: Errno::ECONNREFUSED };
/// let list: AttemptList = [refused("[::1]:80"), refused("127.0.0.1:80")].into_iter().collect();
/// assert_eq!(list.len(), 2);
/// assert_eq!(list.iter().next(), Some(refused("[::1]:80")));
/// assert_eq!(list.to_string(), "[::1]:80 connect ECONNREFUSED, 127.0.0.1:80 connect ECONNREFUSED");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct AttemptList(String);

impl AttemptList {
    /// Each attempt, in the order made.
    ///
    /// ```
    /// use bsdsock::{Attempt, AttemptList, Errno};
    /// let a = Attempt { addr: "127.0.0.1:9".parse().unwrap(), call: "socket", errno: Errno::EMFILE };
    /// let list: AttemptList = std::iter::once(a).collect();
    /// assert_eq!(list.iter().collect::<Vec<_>>(), vec![a]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = Attempt> + '_ {
        self.0.split_terminator(';').filter_map(decode)
    }

    /// How many attempts there are.
    ///
    /// ```
    /// assert_eq!(bsdsock::AttemptList::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether there are none.
    ///
    /// ```
    /// assert!(bsdsock::AttemptList::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends one attempt.
    fn push(&mut self, a: Attempt) {
        let ix = CALLS.iter().position(|c| *c == a.call).unwrap_or(0);
        // Writing to a String cannot fail.
        let _ = write!(self.0, "{} {ix} {};", a.addr, a.errno.as_raw());
    }
}

/// One `"ADDR IX ERRNO"` entry, as `push` wrote it.
fn decode(entry: &str) -> Option<Attempt> {
    let mut parts = entry.rsplitn(3, ' ');
    let errno = Errno::from_raw(parts.next()?.parse().ok()?);
    let call = CALLS.get(parts.next()?.parse::<usize>().ok()?)?;
    let addr = parts.next()?.parse().ok()?;
    Some(Attempt { addr, call, errno })
}

impl FromIterator<Attempt> for AttemptList {
    fn from_iter<I: IntoIterator<Item = Attempt>>(iter: I) -> AttemptList {
        let mut list = AttemptList::default();
        for a in iter {
            list.push(a);
        }
        list
    }
}

impl fmt::Display for AttemptList {
    /// `[::1]:80 connect ECONNREFUSED, 127.0.0.1:80 connect ECONNREFUSED`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            fmt::Display::fmt(&a, f)?;
        }
        Ok(())
    }
}

impl fmt::Debug for AttemptList {
    /// The attempts as a list of their texts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter().map(|a| format!("{a}"))).finish()
    }
}
