//! Finding line terminators fast, in safe code.
//!
//! CR (0x0D) and LF (0x0A) never occur inside a multi-byte UTF-8 sequence (WHATWG §9.2.5 reads the stream as UTF-8),
//! so lines are split on raw bytes before any decoding. This is the only hot loop of the
//! parser: it looks at each input byte exactly once.

/// Width of the block tested at once: the compiler turns the test of a 32-byte array into
/// vector compares (two 16-byte ones on baseline x86-64) in safe code.
const BLOCK: usize = 32;
/// Width of one SWAR word.
const WORD: usize = 8;
/// Half a block.
const HALF: usize = BLOCK / 2;

/// Returns the index of the first CR or LF in `bytes`, if any.
///
/// Branch-light and free of `forbid(unsafe_code)` escapes:
/// * each 32-byte block is tested as a whole with an OR-reduction the compiler vectorises,
///   so long lines (big JSON `data:`) cost one vector test per 32 bytes;
/// * inside a block known to hold a terminator, its 16-byte halves are tested the same
///   way, then 8-byte words are searched with SWAR arithmetic (a zero-byte test on
///   `word ^ 0x0A0A…` and `word ^ 0x0D0D…`);
/// * a tail shorter than a block, or than a word, is tested as the last whole block or
///   word of the slice, overlapping bytes already known to be clean: the first terminator
///   in it is still the first of the slice, and no byte is searched one at a time unless
///   the whole slice is shorter than a word.
///
/// Measured on 8 MiB of text (one run, one machine): about 2× a byte-by-byte search on
/// 30-byte lines and 15× on 64 KiB lines.
#[inline]
pub(crate) fn find_line_end(bytes: &[u8]) -> Option<usize> {
    find_line_end_inlined(bytes)
}

/// [`find_line_end`], always inlined: for the decoder's two loops that run it once per
/// line (`advance`, and the run of `data` lines), where a call costs more than the
/// search of a short line. Left to the compiler, the search was no longer inlined into
/// `advance` once the run loop called it too: 2–9 % more time on the one-line corpora at
/// 16 KiB (llm-tokens, crlf, heartbeat-mixed), at the same instruction count.
#[inline(always)]
pub(crate) fn find_line_end_inlined(bytes: &[u8]) -> Option<usize> {
    let len = bytes.len();
    if len < BLOCK {
        return find_in_short(bytes);
    }
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut offset = 0usize;
    for block in &mut blocks {
        if let Ok(array) = <&[u8; BLOCK]>::try_from(block) {
            if has_terminator(array) {
                return find_in_block(array).map(|i| offset.wrapping_add(i));
            }
        }
        offset = offset.wrapping_add(BLOCK);
    }
    if blocks.remainder().is_empty() {
        return None;
    }
    // The last 32 bytes, overlapping clean ones: `len >= BLOCK`, so the slice exists.
    let start = len.wrapping_sub(BLOCK);
    let last = <&[u8; BLOCK]>::try_from(bytes.get(start..)?).ok()?;
    if !has_terminator(last) {
        return None;
    }
    find_in_block(last).map(|i| start.wrapping_add(i))
}

/// Whether the bytes hold a CR or LF: `|` over all of them, no early exit, which is what
/// the compiler turns into vector compares on a fixed-size array. LF and CR are gathered
/// in two accumulators: with one, LLVM widens the bytes before comparing (20 instructions
/// per 32 bytes instead of 12 on baseline x86-64).
#[inline]
fn has_terminator(bytes: &[u8]) -> bool {
    let (mut lf, mut cr) = (0u8, 0u8);
    for &b in bytes {
        lf |= u8::from(b == b'\n');
        cr |= u8::from(b == b'\r');
    }
    (lf | cr) != 0
}

/// The first terminator in a 32-byte block: its 16-byte halves are tested as vectors, so
/// the word-by-word search covers 16 bytes, not 32. Always inlined: once per line, a call
/// cost more than the search (hb 16K: 2 % fewer instructions, ~5 % less time).
#[inline(always)]
fn find_in_block(array: &[u8; BLOCK]) -> Option<usize> {
    let (low, high) = array.split_at(BLOCK / 2);
    let low = <&[u8; HALF]>::try_from(low).ok()?;
    let high = <&[u8; HALF]>::try_from(high).ok()?;
    if has_terminator(low) {
        find_in_half(low)
    } else {
        find_in_half(high).map(|i| i.wrapping_add(HALF))
    }
}

/// The first terminator in 16 bytes: two SWAR words.
#[inline]
fn find_in_half(array: &[u8; HALF]) -> Option<usize> {
    let (low, high) = array.split_at(WORD);
    find_in_word(low).or_else(|| find_in_word(high).map(|i| i.wrapping_add(WORD)))
}

/// The first terminator in one 8-byte word, by SWAR arithmetic.
#[inline]
fn find_in_word(word: &[u8]) -> Option<usize> {
    let array = <[u8; WORD]>::try_from(word).ok()?;
    let hits = terminator_bytes(u64::from_le_bytes(array));
    // The lowest marked byte is the first terminator (little-endian order);
    // `trailing_zeros / 8` is below 8, so the cast cannot truncate.
    (hits != 0).then(|| (hits.trailing_zeros() / 8) as usize)
}

/// A slice shorter than a block: its first and last 16 bytes, or 8, tested whole
/// (overlapping in the middle); byte by byte only below 8 bytes.
#[inline]
fn find_in_short(bytes: &[u8]) -> Option<usize> {
    let len = bytes.len();
    if len >= HALF {
        let first = <&[u8; HALF]>::try_from(bytes.get(..HALF)?).ok()?;
        if has_terminator(first) {
            return find_in_half(first);
        }
        let start = len.wrapping_sub(HALF);
        let last = <&[u8; HALF]>::try_from(bytes.get(start..)?).ok()?;
        if !has_terminator(last) {
            return None;
        }
        return find_in_half(last).map(|i| start.wrapping_add(i));
    }
    if len >= WORD {
        if let Some(i) = find_in_word(bytes.get(..WORD)?) {
            return Some(i);
        }
        let start = len.wrapping_sub(WORD);
        return find_in_word(bytes.get(start..)?).map(|i| start.wrapping_add(i));
    }
    bytes.iter().position(|&b| is_terminator(b))
}

/// A one in every byte of a word: `ONES * b` repeats byte `b` across it.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Marks (with its high bit) every zero byte of `word`: the classic
/// `(x - 0x01…) & !x & 0x80…` test. Exact for the lowest marked byte, and as a yes/no
/// answer; it can mis-mark a byte only *above* a true zero byte.
#[inline]
pub(crate) const fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGH
}

/// Marks (with its high bit) every byte of `word` that is LF or CR, exact for the lowest
/// marked byte, which is all `find_in_word` uses (see [`zero_bytes`]).
#[inline]
pub(crate) const fn terminator_bytes(word: u64) -> u64 {
    const LF: u64 = ONES.wrapping_mul(b'\n' as u64);
    const CR: u64 = ONES.wrapping_mul(b'\r' as u64);
    zero_bytes(word ^ LF) | zero_bytes(word ^ CR)
}

#[inline]
pub(crate) const fn is_terminator(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(bytes: &[u8]) -> Option<usize> {
        bytes.iter().position(|&b| b == b'\n' || b == b'\r')
    }

    #[test]
    fn agrees_with_naive_at_every_position_and_alignment() {
        // Every terminator position, in buffers shifted across alignments (memchr's trick).
        for len in 0..100usize {
            for pos in 0..=len {
                for term in [b'\n', b'\r'] {
                    let mut v = [b'a'; 140];
                    for shift in 0..8usize {
                        let slice = &mut v[shift..shift + len];
                        slice.fill(b'a');
                        if pos < len {
                            slice[pos] = term;
                        }
                        assert_eq!(find_line_end(slice), naive(slice), "len {len} pos {pos}");
                    }
                }
            }
        }
    }

    #[test]
    fn finds_the_first_of_several() {
        assert_eq!(find_line_end(b"ab\rc\nd"), Some(2));
        assert_eq!(find_line_end(b"\n"), Some(0));
        assert_eq!(find_line_end(b""), None);
        let mut long = [b'x'; 200];
        long[150] = b'\n';
        long[190] = b'\r';
        assert_eq!(find_line_end(&long), Some(150));
    }

    #[test]
    fn agrees_with_naive_on_adversarial_bytes() {
        // Bytes that differ from CR/LF in one bit, and the SWAR edge cases (0x00, 0x80,
        // 0xFF), in 20,000 pseudo-random buffers (xorshift: deterministic, no dependency).
        const ALPHABET: [u8; 11] = [
            b'a', b'\n', b'\r', 0x8A, 0x8D, 0x0B, 0x0C, 0x09, 0x00, 0xFF, 0x80,
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut buf = [0u8; 200];
        for _ in 0..20_000 {
            let len = (next() % 200) as usize;
            for byte in &mut buf[..len] {
                *byte = ALPHABET[(next() % ALPHABET.len() as u64) as usize];
            }
            let start = ((next() % 8) as usize).min(len);
            let slice = &buf[start..len];
            assert_eq!(find_line_end(slice), naive(slice), "{slice:?}");
        }
    }
}
