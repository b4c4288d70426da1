//! Whether a field value holds a byte its field cannot carry: CR or LF in an event type,
//! CR, LF or NUL in an id (P22, C18).
//!
//! Every event an encoder writes checks its type and id. Most are short (`token`, `42`)
//! and are checked byte by byte, inlined into the encoder; a long one (a UUID id) is
//! checked 8 bytes at a time with SWAR arithmetic, out of line.

/// One bit (the high one) in every byte of a word.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// A one in every byte of a word: `ONES * b` repeats byte `b` across it.
const ONES: u64 = 0x0101_0101_0101_0101;
const LF: u64 = ONES.wrapping_mul(b'\n' as u64);
const CR: u64 = ONES.wrapping_mul(b'\r' as u64);

/// Nonzero if any byte of `word` is zero: the classic `(x - 0x01…) & !x & 0x80…` test,
/// exact as a yes/no answer (it can mis-mark bytes, but only above a true zero byte).
#[inline]
const fn zero_byte(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGH
}

/// Nonzero if any byte of `word` is CR or LF.
#[inline]
const fn line_break(word: u64) -> u64 {
    zero_byte(word ^ LF) | zero_byte(word ^ CR)
}

/// Nonzero if any byte of `word` is CR, LF or NUL.
#[inline]
const fn line_break_or_nul(word: u64) -> u64 {
    line_break(word) | zero_byte(word)
}

/// Whether `bytes` holds a CR or LF (an event type that no `event` line can carry).
#[inline]
pub(crate) fn has_line_break(bytes: &[u8]) -> bool {
    any_forbidden(bytes, line_break, |b| b == b'\r' || b == b'\n')
}

/// Whether `bytes` holds a CR, LF or NUL (an id that no `id` line can carry).
#[inline]
pub(crate) fn has_line_break_or_nul(bytes: &[u8]) -> bool {
    any_forbidden(bytes, line_break_or_nul, |b| {
        b == b'\r' || b == b'\n' || b == 0
    })
}

/// Whether `is_forbidden` holds for any byte of `bytes`, or, for a value longer than 16
/// bytes, `test` is nonzero for any of its 8-byte words. Up to 16 bytes the byte loop wins:
/// measured on token events (a 5-byte type, ids of 1 to 6 digits), building words from
/// overlapping loads was ~10 % slower per event, as the branch predictor learns these
/// short loops.
#[inline]
fn any_forbidden(
    bytes: &[u8],
    test: impl Fn(u64) -> u64,
    is_forbidden: impl Fn(u8) -> bool,
) -> bool {
    if bytes.len() > 16 {
        return any_forbidden_long(bytes, test);
    }
    bytes.iter().any(|&b| is_forbidden(b))
}

/// [`any_forbidden`] for a value longer than 16 bytes (a UUID id, a long type): its 8-byte words
/// and its last 8 bytes. Kept out of line so that the short case inlines into the encoder.
#[inline(never)]
fn any_forbidden_long(bytes: &[u8], test: impl Fn(u64) -> u64) -> bool {
    let mut words = bytes.chunks_exact(8);
    let mut marks = bytes
        .last_chunk::<8>()
        .map_or(0, |last| test(u64::from_le_bytes(*last)));
    for word in &mut words {
        if let Ok(word) = <[u8; 8]>::try_from(word) {
            marks |= test(u64::from_le_bytes(word));
        }
    }
    marks != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a byte loop: every length up to 40, the bad byte at every position, and
    /// bytes one bit away from the forbidden ones (and the SWAR edge cases 0x01, 0x80,
    /// 0xFF) everywhere else.
    #[test]
    fn agrees_with_a_byte_loop() {
        const FILL: [u8; 9] = [b'a', 0x01, 0x0B, 0x0C, 0x8A, 0x8D, 0x80, 0xFF, 0x09];
        for len in 0..40usize {
            for fill in FILL {
                let mut buf = [fill; 40];
                let clean = &buf[..len];
                assert!(!has_line_break(clean), "{clean:?}");
                assert!(!has_line_break_or_nul(clean), "{clean:?}");
                for pos in 0..len {
                    for bad in [b'\n', b'\r', 0] {
                        buf = [fill; 40];
                        buf[pos] = bad;
                        let value = &buf[..len];
                        assert_eq!(has_line_break(value), bad != 0, "{value:?}");
                        assert!(has_line_break_or_nul(value), "{value:?}");
                    }
                }
            }
        }
    }
}
