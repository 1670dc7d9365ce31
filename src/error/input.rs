//! `InputText`: the text a parser refused, kept inside the error without the heap.

use std::fmt;

/// The text that [`Error::AddrParse`](crate::Error::AddrParse) names: the input
/// as given, or its first bytes when it was longer than [`InputText::CAPACITY`].
///
/// It is a copy held inline, so refusing bad text never allocates (a parser may
/// be fed untrusted text at any rate). Any text that could be an address fits
/// whole; a longer one is cut at a character boundary, and [`InputText::is_cut`]
/// says so.
///
/// `Display` and `Debug` quote the text as `{:?}` does for a `str` and mark a cut
/// with `…` after the closing quote. It compares equal to a `str` only when it
/// holds that whole text.
///
/// ```
/// use bsdsock::{inet_pton, Domain, Error, InputText};
///
/// let Err(Error::AddrParse { input, .. }) = inet_pton(Domain::INET6, "1:::2") else { panic!() };
/// assert_eq!(input, "1:::2");
/// assert_eq!(input.to_string(), r#""1:::2""#);
///
/// let long = "a".repeat(100);
/// let cut = InputText::new(&long);
/// assert!(cut.is_cut() && long.starts_with(cut.as_str()));
/// assert_eq!(cut.as_str().len(), InputText::CAPACITY);
/// assert_ne!(cut, long.as_str());
/// assert!(cut.to_string().ends_with("\"…"));
/// ```
#[derive(Clone, Copy)]
pub struct InputText {
    bytes: [u8; InputText::CAPACITY],
    len: u8,
    cut: bool,
}

impl InputText {
    /// How many bytes of the text are kept: 45, the longest text
    /// [`inet_pton`](crate::inet_pton) can accept
    /// (`"0000:0000:0000:0000:0000:0000:255.255.255.255"`, one less than
    /// [`INET6_ADDRSTRLEN`](crate::INET6_ADDRSTRLEN)). It also keeps an
    /// [`Error`](crate::Error) at 64 bytes.
    pub const CAPACITY: usize = 45;

    /// Keeps `text`, or its longest prefix of at most [`InputText::CAPACITY`]
    /// bytes that ends at a character boundary.
    ///
    /// ```
    /// use bsdsock::InputText;
    /// let t = InputText::new("::1");
    /// assert_eq!((t.as_str(), t.is_cut()), ("::1", false));
    /// ```
    #[inline]
    pub fn new(text: &str) -> InputText {
        if text.len() <= 16 {
            // Most text: one block, and no character boundary to look for.
            return InputText::from_head(zero_padded(text.as_bytes()), text.len());
        }
        let mut len = text.len().min(InputText::CAPACITY);
        while !text.is_char_boundary(len) {
            len -= 1;
        }
        let kept = &text.as_bytes()[..len];
        // Built in registers, 16 bytes at a time, rather than by a memcpy into
        // the array: the error is then stored once, where it is returned. A
        // copy through the stack would reload the bytes with wider loads than
        // memcpy stored them with, a stall that cost more than the whole parse
        // (the `inet_pton_v4_bad` and `inet_pton_v6_bad` rows of `cargo bench`).
        let c0 = zero_padded(&kept[..16]);
        let c1 = zero_padded(&kept[16..len.min(32)]);
        let c2 = if len > 32 { zero_padded(&kept[32..]) } else { 0 };
        let mut bytes = [0u8; InputText::CAPACITY];
        bytes[..16].copy_from_slice(&c0.to_le_bytes());
        bytes[16..32].copy_from_slice(&c1.to_le_bytes());
        bytes[32..].copy_from_slice(&c2.to_le_bytes()[..InputText::CAPACITY - 32]);
        InputText { bytes, len: len as u8, cut: len < text.len() }
    }

    /// `InputText::new` of a text of `len <= 16` bytes whose bytes, zero-padded,
    /// are `head` (little-endian): for a parser that already holds them in
    /// registers.
    #[inline]
    pub(crate) fn from_head(head: u128, len: usize) -> InputText {
        let mut bytes = [0u8; InputText::CAPACITY];
        bytes[..16].copy_from_slice(&head.to_le_bytes());
        InputText { bytes, len: len.min(16) as u8, cut: false }
    }

    /// The text kept: all of it, or its first bytes when [`is_cut`](Self::is_cut).
    ///
    /// ```
    /// let t = bsdsock::InputText::new("1.2.3.999");
    /// assert_eq!(t.as_str(), "1.2.3.999");
    /// ```
    pub fn as_str(&self) -> &str {
        match std::str::from_utf8(&self.bytes[..usize::from(self.len)]) {
            Ok(text) => text,
            // `new` keeps a prefix of a `str` that ends at a character boundary.
            Err(_) => unreachable!("InputText holds a prefix cut inside a character"),
        }
    }

    /// Whether the text was longer than [`InputText::CAPACITY`] and only its
    /// first bytes were kept.
    ///
    /// ```
    /// let t = bsdsock::InputText::new(&"/tmp/".repeat(30));
    /// assert!(t.is_cut());
    /// ```
    pub fn is_cut(&self) -> bool {
        self.cut
    }
}

/// `s` (at most 16 bytes) followed by zeros, as a little-endian number: read
/// with at most three fixed-size loads that may overlap, and no loop, so that
/// it lands in registers. It lives here, in the error module, which imports
/// nothing from the rest of the crate; the dotted-quad parser reads its text
/// the same way, so that a refusal hands these very registers to
/// [`InputText::from_head`].
#[inline(always)]
pub(crate) fn zero_padded(s: &[u8]) -> u128 {
    let n = s.len();
    let (lo, hi) = if n >= 8 {
        let head = u64::from_le_bytes(first::<8>(s));
        // Bytes n-8..n; the ones past the first eight sit at its top.
        let tail = u64::from_le_bytes(first::<8>(&s[n - 8..]));
        (head, tail.checked_shr(8 * (16 - n as u32)).unwrap_or(0))
    } else if n >= 4 {
        let head = u32::from_le_bytes(first::<4>(s));
        let tail = u32::from_le_bytes(first::<4>(&s[n - 4..]));
        (u64::from(head) | u64::from(tail) << (8 * (n - 4)), 0)
    } else if n > 0 {
        // Bytes 0, n/2 and n-1 cover all of one to three.
        let at = |i: usize| u64::from(s[i]) << (8 * i);
        (at(0) | at(n / 2) | at(n - 1), 0)
    } else {
        (0, 0)
    };
    u128::from(lo) | u128::from(hi) << 64
}

/// The first `N` bytes of `s`, which has at least `N`.
#[inline(always)]
fn first<const N: usize>(s: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&s[..N]);
    out
}

impl From<&str> for InputText {
    fn from(text: &str) -> InputText {
        InputText::new(text)
    }
}

impl AsRef<str> for InputText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for InputText {
    fn eq(&self, other: &InputText) -> bool {
        (self.as_str(), self.cut) == (other.as_str(), other.cut)
    }
}

impl Eq for InputText {}

impl std::hash::Hash for InputText {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.as_str(), self.cut).hash(state)
    }
}

/// Equal when this holds the whole of `other`: a cut text equals no `str`.
impl PartialEq<str> for InputText {
    fn eq(&self, other: &str) -> bool {
        !self.cut && self.as_str() == other
    }
}

impl PartialEq<&str> for InputText {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for InputText {
    fn eq(&self, other: &String) -> bool {
        *self == **other
    }
}

impl fmt::Display for InputText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())?;
        if self.cut {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl fmt::Debug for InputText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests;
