//! `InputText`: what it keeps of texts of every length.

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

#[test]
fn every_length_and_boundary() {
    // Each length up to past the capacity, with a two-byte and a
    // three-byte character at each place: every path of the chunked copy.
    for n in 0..=InputText::CAPACITY + 4 {
        let ascii: String = (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        for wide in ["", "é", "€"] {
            for at in 0..=n {
                let text = format!("{}{wide}{}", &ascii[..at], &ascii[at..]);
                let mut keep = text.len().min(InputText::CAPACITY);
                while !text.is_char_boundary(keep) {
                    keep -= 1;
                }
                let t = InputText::new(&text);
                assert_eq!(t.as_str(), &text[..keep], "{text:?}");
                assert_eq!(t.is_cut(), keep < text.len(), "{text:?}");
                if text.len() <= 16 {
                    let mut head = [0u8; 16];
                    head[..text.len()].copy_from_slice(text.as_bytes());
                    assert_eq!(
                        InputText::from_head(u128::from_le_bytes(head), text.len()),
                        t,
                        "{text:?}"
                    );
                }
            }
        }
    }
}
