//! SIMD fast path for `inet_pton(AF_INET)` (x86_64 with SSSE3 and SSE4.1).
//!
//! The kernel answers only for text it has proved to be a valid dotted quad,
//! with the bytes the scalar parser (`addr::text`) gives for it; every other
//! text goes back to the scalar parser, which stays the reference for every
//! result and every error message. So the kernel may pass on anything, but
//! must never accept what the scalar parser refuses.
//!
//! x86_64 guarantees SSE2 only: SSSE3 (`pshufb`, `pmaddubsw`) and SSE4.1 are
//! detected at run time, once, and AVX too, for the same kernel in the VEX
//! encoding (three-operand forms, no register copies). Other architectures
//! and older CPUs always take the scalar parser.

use std::marker::PhantomData;
use std::{ptr, slice, str};

/// What the dotted-quad fast path made of a text: either the address bytes of
/// a valid dotted quad, or the text back, undecided.
///
/// Two machine words (returned in two registers): the text's address, null for
/// a valid quad, and its length or the address bytes.
pub(crate) struct Quad<'a> {
    text: *const u8,
    word: usize,
    life: PhantomData<&'a str>,
}

impl<'a> Quad<'a> {
    #[inline(always)]
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    fn valid(octets: [u8; 4]) -> Self {
        Quad { text: ptr::null(), word: u32::from_ne_bytes(octets) as usize, life: PhantomData }
    }

    #[inline(always)]
    fn unknown(text: &'a str) -> Self {
        Quad { text: text.as_ptr(), word: text.len(), life: PhantomData }
    }

    /// `Ok(address bytes)` for a valid dotted quad; `Err(text)` when the scalar
    /// parser must decide (the text is handed back so that the caller need not
    /// keep it across the call).
    #[inline(always)]
    pub(crate) fn get(self) -> std::result::Result<[u8; 4], &'a str> {
        if self.text.is_null() {
            Ok((self.word as u32).to_ne_bytes())
        } else {
            // SAFETY: a non-null `text` comes from `unknown`, with the address and
            // length of a `&'a str`.
            Err(unsafe { str::from_utf8_unchecked(slice::from_raw_parts(self.text, self.word)) })
        }
    }
}

/// Parses `src` as a strict dotted quad (the `inet_pton(AF_INET)` rules) with
/// SIMD where the CPU allows. Address bytes are final; an undecided text may be
/// invalid, not 7 to 15 bytes long, or the CPU lacks the instructions: the
/// scalar parser then gives the answer.
///
/// Out of line on x86_64: the call costs less than what the caller would have
/// to keep around the kernel, which cannot be inlined into code compiled
/// without SSE4.1.
#[cfg_attr(target_arch = "x86_64", inline(never))]
#[cfg_attr(not(target_arch = "x86_64"), inline(always))]
pub(crate) fn parse_ipv4(src: &str) -> Quad<'_> {
    cfg_if::cfg_if! {
        if #[cfg(target_arch = "x86_64")] {
            // The common case first, in two instructions; the rest out of line.
            if x86::cached_level() == x86::AVX {
                // SAFETY: the CPU has AVX, SSSE3 and SSE4.1 (that is what the
                // level says).
                return unsafe { x86::parse_ipv4_avx(src) };
            }
            x86::parse_ipv4_other(src)
        } else {
            Quad::unknown(src)
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;
    use std::mem::{offset_of, size_of};
    use std::sync::atomic::{AtomicU8, Ordering};

    use super::Quad;

    /// What the CPU allows, found on the first call ([`UNKNOWN`] until then)
    /// and kept here: one byte to test instead of std's cache word and bits.
    static LEVEL: AtomicU8 = AtomicU8::new(UNKNOWN);
    const UNKNOWN: u8 = 0;
    /// The scalar parser only.
    pub(super) const SCALAR: u8 = 1;
    /// SSSE3 and SSE4.1: the kernel may run.
    pub(super) const SSE41: u8 = 2;
    /// AVX as well: the kernel may run in the VEX encoding.
    pub(super) const AVX: u8 = 3;

    /// What the CPU allows: [`SCALAR`], [`SSE41`] or [`AVX`].
    #[inline(always)]
    pub(super) fn level() -> u8 {
        match cached_level() {
            UNKNOWN => detect(),
            level => level,
        }
    }

    /// What the CPU allows, or [`UNKNOWN`] before the first call.
    #[inline(always)]
    pub(super) fn cached_level() -> u8 {
        LEVEL.load(Ordering::Relaxed)
    }

    /// [`super::parse_ipv4`] on a CPU without AVX, or on the first call.
    #[inline(never)]
    pub(super) fn parse_ipv4_other(src: &str) -> Quad<'_> {
        match level() {
            // SAFETY: the CPU has AVX, SSSE3 and SSE4.1 (the level says so).
            AVX => unsafe { parse_ipv4_avx(src) },
            // SAFETY: the CPU has SSSE3 and SSE4.1 (the level says so).
            SSE41 => unsafe { parse_ipv4_sse41(src) },
            _ => Quad::unknown(src),
        }
    }

    #[cold]
    #[inline(never)]
    fn detect() -> u8 {
        use std::arch::is_x86_feature_detected as has;
        let level = if !(has!("ssse3") && has!("sse4.1")) {
            SCALAR
        } else if has!("avx") {
            AVX
        } else {
            SSE41
        };
        // Relaxed: every thread that races here stores the same value.
        LEVEL.store(level, Ordering::Relaxed);
        level
    }

    // A text of 8 to 15 bytes is read with two 8-byte loads, at 0 and at
    // len - 8, into one 16-byte register: the "raw" layout (a text of 7 bytes
    // with two 4-byte loads, at 0 and 3, twice over). The loads overlap but
    // together cover every byte of the text and nothing past its end. The bit
    // mask of the dots in the raw layout tells the 81 valid shapes (four fields
    // of one to three digits, each shape with its own length) apart, so a
    // perfect hash of it finds the only shape the text can have. The shape's
    // entry holds its dot mask and length (to confirm the match), the `pshufb`
    // pattern that moves each field's digits into a fixed slot, and the
    // smallest value each field may have without a leading zero. Once dots and
    // length match, every raw byte that is not a dot belongs to a field, so
    // checking the gathered digits checks the whole text.

    /// Where the raw layout's byte `r` comes from in a text of `len` bytes.
    const fn raw_source(r: usize, len: usize) -> usize {
        if len >= 8 {
            if r < 8 { r } else { r + len - 16 }
        } else if r % 8 < 4 {
            r % 8
        } else {
            r % 8 - 1
        }
    }

    /// One dotted-quad shape: four fields of one to three digits.
    #[derive(Clone, Copy)]
    #[repr(C, align(32))]
    struct Shape4 {
        /// `pshufb` pattern from the raw layout to four 4-byte slots, one per
        /// octet, holding `[hundreds, tens, ones, 0]` (0x80 where a digit is
        /// missing, which `pshufb` turns into a zero).
        gather: [u8; 16],
        /// The smallest value of each field: 100 for three digits, 10 for two,
        /// 0 for one (anything smaller has a leading zero).
        min: [i16; 4],
        /// The dots in the raw layout, one bit per byte.
        dots: u16,
        /// The length of the text.
        len: u16,
    }

    /// The shapes and their perfect hash, in one block so that one base
    /// address reaches both.
    #[repr(C)]
    struct Table4 {
        /// Hash slot → byte offset of the shape in this struct. Slots no shape
        /// has point at `shapes[0]`, which no text matches.
        slot: [u16; 256],
        /// `shapes[0]` has length 0; then the 81 shapes.
        shapes: [Shape4; 82],
    }

    /// The multiplier of the perfect hash from a shape's dot mask to its slot,
    /// found by search; the table's builder checks, at compile time, that the
    /// hash is still perfect.
    const HASH4_MUL: u32 = 2_101_930_609;

    #[inline(always)]
    const fn hash4(dots: u32) -> usize {
        (dots.wrapping_mul(HASH4_MUL) >> 24) as usize
    }

    static TABLE4: Table4 = {
        let empty = Shape4 { gather: [0x80; 16], min: [0; 4], dots: 0xffff, len: 0 };
        let mut t = Table4 { slot: [0; 256], shapes: [empty; 82] };
        let first = offset_of!(Table4, shapes);
        let mut i = 0;
        while i < 256 {
            t.slot[i] = first as u16;
            i += 1;
        }
        let mut idx = 0;
        while idx < 81 {
            let lens = [idx / 27 % 3 + 1, idx / 9 % 3 + 1, idx / 3 % 3 + 1, idx % 3 + 1];
            let len = lens[0] + lens[1] + lens[2] + lens[3] + 3;
            let e = idx + 1;
            let mut is_dot = [false; 16];
            let mut start = 0;
            let mut f = 0;
            while f < 4 {
                let n = lens[f];
                let mut j = 0;
                while j < n {
                    // The first raw byte that holds text byte `start + j`.
                    let mut r = 0;
                    while raw_source(r, len) != start + j {
                        r += 1;
                    }
                    t.shapes[e].gather[4 * f + 3 - n + j] = r as u8;
                    j += 1;
                }
                t.shapes[e].min[f] = [0, 10, 100][n - 1];
                if f < 3 {
                    is_dot[start + n] = true;
                }
                start += n + 1;
                f += 1;
            }
            let mut dots = 0u16;
            let mut r = 0;
            while r < 16 {
                if is_dot[raw_source(r, len)] {
                    dots |= 1 << r;
                }
                r += 1;
            }
            t.shapes[e].dots = dots;
            t.shapes[e].len = len as u16;
            let slot = hash4(dots as u32);
            assert!(t.slot[slot] as usize == first, "HASH4_MUL is not a perfect hash");
            t.slot[slot] = (first + e * size_of::<Shape4>()) as u16;
            idx += 1;
        }
        t
    };

    /// [`super::parse_ipv4`] on a CPU with SSSE3 and SSE4.1.
    ///
    /// # Safety
    /// The CPU has SSSE3 and SSE4.1.
    #[target_feature(enable = "ssse3,sse4.1")]
    pub(super) unsafe fn parse_ipv4_sse41(src: &str) -> Quad<'_> {
        // SAFETY: SSSE3 and SSE4.1, as our caller guarantees.
        match unsafe { quad_sse41(src.as_bytes()) } {
            Some(octets) => Quad::valid(octets),
            None => Quad::unknown(src),
        }
    }

    /// [`parse_ipv4_sse41`] on a CPU that also has AVX: the same code, which
    /// the compiler then encodes with VEX.
    ///
    /// # Safety
    /// The CPU has AVX, SSSE3 and SSE4.1.
    #[target_feature(enable = "avx,ssse3,sse4.1")]
    pub(super) unsafe fn parse_ipv4_avx(src: &str) -> Quad<'_> {
        // SAFETY: AVX, SSSE3 and SSE4.1, as our caller guarantees.
        match unsafe { quad_sse41(src.as_bytes()) } {
            Some(octets) => Quad::valid(octets),
            None => Quad::unknown(src),
        }
    }

    /// The address bytes of `b` if it is a valid dotted quad; `None` if not, or
    /// if it is not 7 to 15 bytes long.
    ///
    /// # Safety
    /// The CPU has SSSE3 and SSE4.1.
    #[target_feature(enable = "ssse3,sse4.1")]
    #[inline]
    unsafe fn quad_sse41(b: &[u8]) -> Option<[u8; 4]> {
        let len = b.len();
        let raw = if len.wrapping_sub(8) < 8 {
            // SAFETY: 8 <= len, so both 8-byte reads are inside the text; SSE2.
            unsafe {
                let head = _mm_loadl_epi64(b.as_ptr().cast());
                let tail = _mm_loadl_epi64(b.as_ptr().add(len - 8).cast());
                _mm_unpacklo_epi64(head, tail)
            }
        } else if len == 7 {
            // SAFETY: 0 + 4 <= 7 and 3 + 4 <= 7: both 4-byte reads are inside
            // the text; SSE2.
            unsafe {
                let head = _mm_cvtsi32_si128(b.as_ptr().cast::<i32>().read_unaligned());
                let tail = _mm_cvtsi32_si128(b.as_ptr().add(3).cast::<i32>().read_unaligned());
                let both = _mm_unpacklo_epi32(head, tail);
                _mm_unpacklo_epi64(both, both)
            }
        } else {
            return None;
        };
        // SAFETY: SSSE3 and SSE4.1, as our caller guarantees.
        unsafe { ipv4_sse41(raw, len) }
    }

    /// The dotted-quad kernel: the address bytes (in memory order), or `None`
    /// if `raw`, the raw layout of a text of `len` bytes, is not a valid dotted
    /// quad.
    ///
    /// # Safety
    /// The CPU has SSSE3 and SSE4.1.
    #[target_feature(enable = "ssse3,sse4.1")]
    #[inline]
    unsafe fn ipv4_sse41(raw: __m128i, len: usize) -> Option<[u8; 4]> {
        let t = &TABLE4;
        // `slot` holds only offsets of `Shape4`s in `TABLE4` (see its builder),
        // so `shape` is one; its `gather` is 16 bytes at the start of a
        // 32-aligned struct, as `_mm_load_si128` needs, and its `min` the 8
        // bytes `_mm_loadl_epi64` reads.
        // SAFETY: SSSE3 and SSE4.1 are guaranteed by the caller; the pointers
        // are those above.
        unsafe {
            let dots = _mm_movemask_epi8(_mm_cmpeq_epi8(raw, _mm_set1_epi8(b'.' as i8))) as u32;
            let offset = t.slot[hash4(dots)] as usize;
            let shape = &*(t as *const Table4).cast::<u8>().add(offset).cast::<Shape4>();
            // (`len` is 7 to 15: the cast keeps it whole.)
            if (shape.dots as u32 != dots) | (shape.len != len as u16) {
                return None;
            }
            // [hundreds, tens, ones, 0] per octet → 100h + 10t, ones → the octet.
            let slots = _mm_shuffle_epi8(
                _mm_sub_epi8(raw, _mm_set1_epi8(b'0' as i8)),
                _mm_load_si128(shape.gather.as_ptr().cast()),
            );
            let pairs = _mm_maddubs_epi16(slots, _mm_set1_epi32(0x0001_0a64));
            let octets32 = _mm_madd_epi16(pairs, _mm_set1_epi16(1));
            let octets16 = _mm_packs_epi32(octets32, octets32);
            let min = _mm_loadl_epi64(shape.min.as_ptr().cast());
            // Top bit set where a gathered byte is no digit (0..=9 saturate to
            // 0x76..=0x7f, the rest to 0x80 or more), where an octet is above
            // 255 or has a leading zero.
            let flaws = _mm_or_si128(
                _mm_adds_epu8(slots, _mm_set1_epi8(0x76)),
                _mm_or_si128(
                    _mm_cmpgt_epi16(octets16, _mm_set1_epi16(255)),
                    _mm_cmpgt_epi16(min, octets16),
                ),
            );
            if _mm_movemask_epi8(flaws) != 0 {
                return None;
            }
            let octets = _mm_cvtsi128_si32(_mm_packus_epi16(octets16, octets16));
            Some(octets.to_le_bytes())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quad_carries_bytes_or_text() {
        assert_eq!(Quad::valid([1, 2, 254, 255]).get(), Ok([1, 2, 254, 255]));
        assert_eq!(Quad::valid([0; 4]).get(), Ok([0; 4]));
        let text = String::from("1.2.3.x");
        let back = Quad::unknown(&text).get().unwrap_err();
        assert_eq!((back, back.as_ptr()), (text.as_str(), text.as_ptr()));
        assert_eq!(Quad::unknown("").get(), Err(""));
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn detection_matches_std() {
        use std::arch::is_x86_feature_detected as has;
        let expected = if !(has!("ssse3") && has!("sse4.1")) {
            x86::SCALAR
        } else if has!("avx") {
            x86::AVX
        } else {
            x86::SSE41
        };
        assert_eq!(x86::level(), expected);
        // Asked twice: the second answer comes from the cache.
        assert_eq!(x86::level(), expected);
    }

    /// Both encodings of the kernel, where the CPU has them, on valid texts and
    /// on texts they must pass on.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn both_encodings_agree() {
        let texts = ["1.2.3.4", "255.255.255.255", "10.0.100.199", "0.0.0.0", "01.2.3.4", "1.2.3"];
        for text in texts {
            let expected = match text {
                "01.2.3.4" | "1.2.3" => Err(text),
                _ => Ok(text.parse::<std::net::Ipv4Addr>().unwrap().octets()),
            };
            if x86::level() >= x86::SSE41 {
                // SAFETY: the CPU has SSSE3 and SSE4.1 (checked just above).
                assert_eq!(unsafe { x86::parse_ipv4_sse41(text) }.get(), expected);
            }
            if x86::level() == x86::AVX {
                // SAFETY: the CPU has AVX, SSSE3 and SSE4.1 (checked just above).
                assert_eq!(unsafe { x86::parse_ipv4_avx(text) }.get(), expected);
            }
        }
    }

    /// Every one of the 81 shapes, with the smallest and largest values of each
    /// field length, and the refusals that only the value checks catch: leading
    /// zeros and octets above 255.
    #[test]
    fn kernel_reads_every_shape() {
        let low = ["0", "10", "100"];
        let high = ["9", "99", "255"];
        let over = [None, None, Some("256")];
        let zero = [None, Some("01"), Some("099")];
        let mut answered = 0;
        for shape in 0..81 {
            let lens = [shape / 27 % 3, shape / 9 % 3, shape / 3 % 3, shape % 3];
            for values in [low, high] {
                let fields = lens.map(|n| values[n]);
                let text = fields.join(".");
                let octets = fields.map(|f| f.parse::<u8>().unwrap());
                match parse_ipv4(&text).get() {
                    Ok(got) => {
                        assert_eq!(got, octets, "{text:?}");
                        answered += 1;
                    }
                    Err(back) => assert_eq!(back, text),
                }
            }
            for (i, &n) in lens.iter().enumerate() {
                for bad in [over[n], zero[n]].into_iter().flatten() {
                    let mut fields = lens.map(|n| high[n]);
                    fields[i] = bad;
                    let text = fields.join(".");
                    assert_eq!(parse_ipv4(&text).get(), Err(text.as_str()));
                }
            }
        }
        #[cfg(target_arch = "x86_64")]
        if x86::level() >= x86::SSE41 {
            assert_eq!(answered, 162);
        }
        #[cfg(not(target_arch = "x86_64"))]
        assert_eq!(answered, 0);
    }
}
