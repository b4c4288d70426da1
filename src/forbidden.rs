//! Whether a field value holds a byte its field cannot carry: CR or LF in an event type,
//! CR, LF or NUL in an id (P22, C18).
//!
//! Every event an encoder writes checks its type and id. Most are short (`token`, `42`)
//! and are checked byte by byte, inlined into the encoder; a long one (a UUID id) is
//! checked 8 bytes at a time with SWAR arithmetic, out of line.

use crate::scan::{is_terminator, terminator_bytes, zero_bytes};

/// Nonzero if any byte of `word` is CR, LF or NUL.
#[inline]
const fn line_break_or_nul(word: u64) -> u64 {
    terminator_bytes(word) | zero_bytes(word)
}

/// Whether `bytes` holds a CR or LF (an event type that no `event` line can carry).
#[inline]
pub(crate) fn has_line_break(bytes: &[u8]) -> bool {
    any_forbidden(bytes, terminator_bytes, is_terminator)
}

/// Whether `bytes` holds a CR, LF or NUL (an id that no `id` line can carry).
#[inline]
pub(crate) fn has_line_break_or_nul(bytes: &[u8]) -> bool {
    any_forbidden(bytes, line_break_or_nul, |b| is_terminator(b) || b == 0)
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
