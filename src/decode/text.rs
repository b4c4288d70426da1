//! UTF-8 repair (P1) and buffer growth that stays within a configured limit.

use alloc::string::String;
use alloc::vec::Vec;

/// Makes room for `extra` more bytes, growing by doubling as `Vec` does but never past
/// `limit` unless the bytes themselves need more, so the capacity held stays within the
/// configured limit whenever the content does.
#[inline]
pub(super) fn reserve_within(buf: &mut Vec<u8>, extra: usize, limit: usize) {
    let needed = buf.len().saturating_add(extra);
    if needed > buf.capacity() {
        let target = needed
            .max(buf.capacity().saturating_mul(2))
            .min(limit)
            .max(needed);
        buf.reserve_exact(target.saturating_sub(buf.len()));
    }
}

/// UTF-8 decode with U+FFFD for each maximal invalid subpart (P1), as the Encoding
/// standard does. Decoding line by line, or a block of LF-joined lines at once, gives the
/// same text: CR, LF and `:` are ASCII and so end any invalid sequence.
pub(super) fn push_lossy(dst: &mut String, bytes: &[u8]) {
    // Valid input (the usual case) takes `from_utf8`, which checks ASCII a word at a time;
    // `utf8_chunks` walks byte by byte.
    if let Ok(text) = core::str::from_utf8(bytes) {
        dst.push_str(text);
        return;
    }
    for chunk in bytes.utf8_chunks() {
        dst.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            dst.push(char::REPLACEMENT_CHARACTER);
        }
    }
}
