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
    pub fn new(text: &str) -> InputText {
        let mut len = text.len().min(InputText::CAPACITY);
        while !text.is_char_boundary(len) {
            len -= 1;
        }
        let mut bytes = [0u8; InputText::CAPACITY];
        bytes[..len].copy_from_slice(&text.as_bytes()[..len]);
        InputText { bytes, len: len as u8, cut: len < text.len() }
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
mod tests {
    use super::InputText;

    #[test]
    fn keeps_short_text_whole() {
        for text in ["", "::1", "a\"b\\c\0", &"9".repeat(InputText::CAPACITY)] {
            let t = InputText::new(text);
            assert_eq!((t.as_str(), t.is_cut()), (text, false));
            assert_eq!(t, text);
            assert_eq!(t.to_string(), format!("{text:?}"));
            assert_eq!(format!("{t:?}"), format!("{text:?}"));
        }
    }

    #[test]
    fn cuts_long_text_at_a_char_boundary() {
        // 44 ASCII bytes, then a 3-byte character that would end at byte 47.
        let text = format!("{}€tail", "x".repeat(44));
        let t = InputText::new(&text);
        assert_eq!(t.as_str(), "x".repeat(44));
        assert!(t.is_cut());
        assert_ne!(t, text.as_str());
        assert_ne!(t, InputText::new(&"x".repeat(44)));
        assert_eq!(t.to_string(), format!("{:?}…", "x".repeat(44)));
        let one_over = "y".repeat(InputText::CAPACITY + 1);
        let t = InputText::new(&one_over);
        assert_eq!((t.as_str().len(), t.is_cut()), (InputText::CAPACITY, true));
    }
}
