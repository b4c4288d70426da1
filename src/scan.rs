//! Finding line terminators fast, in safe code.
//!
//! CR (0x0D) and LF (0x0A) never occur inside a multi-byte UTF-8 sequence (SPEC.md §1.1),
//! so lines are split on raw bytes before any decoding. This is the only hot loop of the
//! parser: it looks at each input byte exactly once.

/// Width of the block tested at once. 32 bytes lets the compiler use two 16-byte (or one
/// 32-byte) vector compares per block on x86-64 and AArch64 in safe code (`forbid(unsafe_code)`).
const BLOCK: usize = 32;

/// Returns the index of the first CR or LF in `bytes`, if any.
///
/// Each 32-byte block is first tested with a branch-free fold (which the compiler turns
/// into vector compares); only a block known to hold a terminator is searched byte by
/// byte. Long `data:` lines, the common case, cost one vector test per 32 bytes.
#[inline]
pub(crate) fn find_line_end(bytes: &[u8]) -> Option<usize> {
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut offset = 0usize;
    for block in &mut blocks {
        // `|` rather than `||`: no early exit, so the fold vectorises.
        let hit = block
            .iter()
            .fold(false, |acc, &b| acc | (b == b'\n') | (b == b'\r'));
        if hit {
            return block
                .iter()
                .position(|&b| is_terminator(b))
                .map(|i| offset.wrapping_add(i));
        }
        offset = offset.wrapping_add(BLOCK);
    }
    blocks
        .remainder()
        .iter()
        .position(|&b| is_terminator(b))
        .map(|i| offset.wrapping_add(i))
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
}
