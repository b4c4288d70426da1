//! The decoder's byte buffers (the event's data buffer, P13, and the partial line), kept
//! initialised up to their size so that the short pieces a chunk boundary leaves are
//! written by fixed-size copies.
//!
//! A `Vec<u8>` can only grow its length through calls that take the length as it comes
//! (`extend_from_slice`: a `memcpy` call that branches on the length), or by fixed-size
//! appends followed by a `truncate` (two updates of the length per piece). Here the
//! storage is written to its whole size once, when it grows (zeros), and the length of the
//! bytes is kept apart: a piece is copied into storage that already exists, as one or two
//! fixed-size copies, and the length moves once. Measured on the 64-byte cells of the
//! peer comparison (`benches/peers/TRIED.md`), where nearly every line crosses a chunk
//! boundary.

use alloc::string::String;
use alloc::vec::Vec;

use super::text::push_lossy;

/// The size of the fixed-size copies of [`ByteBuffer::extend_from_window`].
const PIECE: usize = 64;

/// `from_utf8` checks two words at a time, then the bytes after the last whole pair one by
/// one, in a loop whose length varies from event to event (a mispredicted branch each):
/// the data is padded with NUL bytes (ASCII, so valid) to a multiple of this before it is
/// checked, so that no byte is left for that loop.
const VALIDATION_BLOCK: usize = 16;

/// A byte buffer: `len` bytes at the start of `storage`, whose other bytes are stale or
/// zeros and are never handed out.
#[derive(Debug, Clone, Default)]
pub(super) struct ByteBuffer {
    /// Initialised storage; its length is the buffer's size.
    storage: Vec<u8>,
    /// Bytes held: at most `storage.len()`.
    len: usize,
}

impl ByteBuffer {
    /// Bytes held.
    #[inline]
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The bytes held.
    #[inline]
    pub(super) fn as_bytes(&self) -> &[u8] {
        self.storage.get(..self.len).unwrap_or_default()
    }

    /// Nothing held.
    #[inline]
    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Heap bytes held.
    pub(super) fn capacity(&self) -> usize {
        self.storage.capacity()
    }

    /// Empties the buffer, keeping its storage.
    #[inline]
    pub(super) fn clear(&mut self) {
        self.len = 0;
    }

    /// The storage after the bytes held, `n` bytes of it.
    #[inline]
    fn spare(&mut self, n: usize) -> Option<&mut [u8]> {
        self.storage.get_mut(self.len..self.len.wrapping_add(n))
    }

    /// Makes room for `extra` more bytes, growing by doubling but never past `limit` unless
    /// the bytes themselves need more, so the storage stays within the configured limit
    /// whenever the bytes held do. New storage is zeroed once, here.
    #[inline]
    fn reserve(&mut self, extra: usize, limit: usize) {
        let needed = self.len.saturating_add(extra);
        if needed > self.storage.len() {
            self.grow(needed, limit);
        }
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, needed: usize, limit: usize) {
        let size = self.storage.len();
        let target = needed.max(size.saturating_mul(2)).min(limit).max(needed);
        self.storage.reserve_exact(target.saturating_sub(size));
        // All of the allocation is storage (it may be a little more than asked).
        let capacity = self.storage.capacity();
        self.storage.resize(capacity, 0);
    }

    /// Appends one byte.
    #[inline]
    pub(super) fn push(&mut self, byte: u8, limit: usize) {
        self.reserve(1, limit);
        if let Some([slot]) = self.spare(1) {
            *slot = byte;
            self.len = self.len.wrapping_add(1);
        }
    }

    /// Removes the last byte.
    #[inline]
    pub(super) fn pop(&mut self) -> Option<u8> {
        let last = self.len.checked_sub(1)?;
        let byte = self.storage.get(last).copied();
        self.len = last;
        byte
    }

    /// Appends `bytes`.
    #[inline]
    pub(super) fn extend(&mut self, bytes: &[u8], limit: usize) {
        self.reserve(bytes.len(), limit);
        if let Some(spare) = self.spare(bytes.len()) {
            spare.copy_from_slice(bytes);
            self.len = self.len.wrapping_add(bytes.len());
        }
    }

    /// Appends an LF if `lf`, then `bytes`, when the storage already has room for both
    /// (else appends nothing and returns `false`). A piece of at most 64 bytes is written
    /// as two fixed-size copies that overlap in the middle (its first and last 32, 16, 8,
    /// 4, 2 or 1 bytes), as `memcpy` does inside, but without the call; the LF is written
    /// in any case, and overwritten by `bytes` when not wanted.
    #[inline]
    pub(super) fn extend_short(&mut self, lf: bool, bytes: &[u8]) -> bool {
        let n = bytes.len();
        let Some(spare) = self.spare(n.wrapping_add(1)) else {
            return false;
        };
        let separator = usize::from(lf);
        if let Some(first) = spare.first_mut() {
            *first = b'\n';
        }
        let Some(dst) = spare.get_mut(separator..separator.wrapping_add(n)) else {
            return false;
        };
        match n {
            32..=64 => copy_pair::<32>(dst, bytes),
            16..=31 => copy_pair::<16>(dst, bytes),
            8..=15 => copy_pair::<8>(dst, bytes),
            4..=7 => copy_pair::<4>(dst, bytes),
            2..=3 => copy_pair::<2>(dst, bytes),
            1 => copy_pair::<1>(dst, bytes),
            0 => {}
            _ => dst.copy_from_slice(bytes),
        }
        self.len = self.len.wrapping_add(separator).wrapping_add(n);
        true
    }

    /// Appends the first `len` bytes of `window`, as [`extend`](Self::extend) does; but
    /// when `len` is at most [`PIECE`] bytes and `window` and the storage have room for a
    /// whole piece, a whole piece is copied (the bytes past `len` land in storage after
    /// the bytes held, which are not held): a fixed-size copy is a few vector moves.
    #[inline]
    pub(super) fn extend_from_window(&mut self, window: &[u8], len: usize, limit: usize) {
        if len <= PIECE {
            if let (Some(piece), Some(spare)) = (window.first_chunk::<PIECE>(), self.spare(PIECE)) {
                spare.copy_from_slice(piece);
                self.len = self.len.wrapping_add(len);
                return;
            }
        }
        self.extend(window.get(..len).unwrap_or_default(), limit);
    }

    /// The bytes as text (the data buffer's, at dispatch): checked as UTF-8 where they
    /// lie (no copy, no move), or their repair into `repaired` if invalid (P1).
    #[inline]
    pub(super) fn text<'b>(&'b mut self, repaired: &'b mut String) -> &'b str {
        let len = self.len;
        // NUL padding up to a whole validation block, when the storage has room for a
        // block (one fixed-size store); it lies after the bytes and is never handed out.
        let checked = match self
            .storage
            .get_mut(len..)
            .and_then(<[u8]>::first_chunk_mut::<VALIDATION_BLOCK>)
        {
            Some(pad) => {
                *pad = [0; VALIDATION_BLOCK];
                // A multiple of the block, within the padding: no overflow (the storage
                // has room for it).
                len.wrapping_add(VALIDATION_BLOCK - 1) & !(VALIDATION_BLOCK - 1)
            }
            None => len,
        };
        let storage: &'b [u8] = &self.storage;
        match core::str::from_utf8(storage.get(..checked).unwrap_or_default()) {
            // The padding is NUL bytes after `len`, so `len` is a char boundary.
            Ok(text) => text.get(..len).unwrap_or(text),
            Err(_) => {
                repaired.clear();
                push_lossy(repaired, storage.get(..len).unwrap_or_default());
                repaired
            }
        }
    }
}

/// Copies `src` (`N` to `2 * N` bytes) into `dst` (as long) as its first and its last `N`
/// bytes: two fixed-size copies that overlap in the middle.
#[inline(always)]
fn copy_pair<const N: usize>(dst: &mut [u8], src: &[u8]) {
    debug_assert!(dst.len() == src.len() && (N..=N.saturating_mul(2)).contains(&src.len()));
    if let (Some(d), Some(s)) = (dst.first_chunk_mut::<N>(), src.first_chunk::<N>()) {
        *d = *s;
    }
    if let (Some(d), Some(s)) = (dst.last_chunk_mut::<N>(), src.last_chunk::<N>()) {
        *d = *s;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::ToOwned;
    use alloc::vec;

    /// Every length from 0 to 150 appended after every length of data up to 70, through
    /// each way in (an LF first or not), into a new buffer and into one whose storage holds
    /// stale bytes: the bytes held are always the bytes appended.
    #[test]
    fn appends_keep_exactly_the_bytes_appended() {
        // ASCII, so that the text is the bytes.
        let source: Vec<u8> = (0..300u32).map(|i| (i % 94) as u8 + 33).collect();
        for stale in [0, 300] {
            for before in 0..70 {
                for n in 0..150 {
                    for way in 0..4 {
                        let mut buffer = ByteBuffer::default();
                        // Stale bytes first, so that a wrong length would show them.
                        buffer.extend(&vec![0xEE; stale], usize::MAX);
                        buffer.clear();
                        let head = &source[..before];
                        buffer.extend(head, usize::MAX);
                        let piece = &source[100..100 + n];
                        let mut want = vec![];
                        want.extend_from_slice(head);
                        match way {
                            0 => buffer.extend(piece, usize::MAX),
                            1 | 2 => {
                                let lf = way == 2;
                                if lf {
                                    want.push(b'\n');
                                }
                                if !buffer.extend_short(lf, piece) {
                                    // No room: nothing was appended.
                                    assert_eq!(buffer.as_bytes(), head);
                                    if lf {
                                        buffer.push(b'\n', usize::MAX);
                                    }
                                    buffer.extend(piece, usize::MAX);
                                }
                            }
                            _ => buffer.extend_from_window(&source[100..], n, usize::MAX),
                        }
                        want.extend_from_slice(piece);
                        let context = (stale, before, n, way);
                        assert_eq!(buffer.as_bytes(), &want[..], "{context:?}");
                        let mut repaired = String::new();
                        let text = buffer.text(&mut repaired).to_owned();
                        assert_eq!(text.as_bytes(), &want[..], "{context:?}");
                    }
                }
            }
        }
    }

    /// Growth stays within the limit unless the data needs more, as `Vec` growth capped
    /// at the limit would.
    #[test]
    fn storage_grows_within_the_limit() {
        let mut buffer = ByteBuffer::default();
        for _ in 0..70 {
            buffer.extend(&[b'a'; 7], 500);
            assert!(buffer.capacity() <= 500, "{}", buffer.capacity());
        }
        buffer.extend(&[b'a'; 600], 500);
        assert_eq!(buffer.len(), 1090);
        assert!(buffer.capacity() < 1100, "{}", buffer.capacity());
        assert_eq!(buffer.pop(), Some(b'a'));
        assert_eq!(buffer.len(), 1089);
        buffer.clear();
        assert_eq!(buffer.pop(), None);
        assert!(buffer.extend_short(false, b"xy"));
        assert!(buffer.extend_short(true, b"z"));
        assert_eq!(buffer.text(&mut String::new()), "xy\nz");
        buffer.clear();
        assert!(buffer.extend_short(false, b"xyz"));
        assert_eq!(buffer.text(&mut String::new()), "xyz");
    }

    /// Invalid data is repaired (P1), and the padding never hides a cut sequence.
    #[test]
    fn text_repairs_invalid_data_and_ignores_padding() {
        let mut buffer = ByteBuffer::default();
        buffer.extend(&[0xFF; 64], usize::MAX);
        buffer.clear();
        buffer.extend(b"ab\xE2\x82", usize::MAX);
        let mut repaired = String::new();
        assert_eq!(buffer.text(&mut repaired), "ab\u{FFFD}");
        buffer.clear();
        buffer.extend("é".as_bytes(), usize::MAX);
        assert_eq!(buffer.text(&mut repaired), "é");
    }
}
