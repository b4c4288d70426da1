//! A `retry` value's digits, written without `core::fmt`.
//!
//! `write!(out, "{ms}")` goes through `core::fmt`'s dynamic dispatch and padding logic,
//! which costs more than all the other fields of a small event together.

/// The decimal digits of a `u64` (at most 20), most significant first.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decimal {
    /// The digits, right-aligned: they are `buf[start..]`.
    buf: [u8; 20],
    start: usize,
}

impl Decimal {
    pub(crate) fn new(mut n: u64) -> Self {
        let mut buf = [b'0'; 20];
        let mut start = buf.len();
        // `u64::MAX` has 20 digits, so the loop always ends on `n == 0`, never by running
        // out of slots.
        for slot in buf.iter_mut().rev() {
            // `n % 10` is below 10: the cast cannot truncate.
            *slot = b'0'.wrapping_add((n % 10) as u8);
            n /= 10;
            start = start.saturating_sub(1);
            if n == 0 {
                break;
            }
        }
        Decimal { buf, start }
    }

    /// The digits as text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits were written, so this is always `Ok`.
        core::str::from_utf8(self.buf.get(self.start..).unwrap_or_default()).unwrap_or("0")
    }
}

#[cfg(test)]
mod tests {
    use core::fmt::Write;

    use super::*;
    use crate::encode::SliceWriter;

    /// Against `core::fmt`, around every power of ten.
    #[test]
    fn agrees_with_display() {
        let mut n = 1u64;
        for _ in 0..20 {
            for m in [n - 1, n, n + 1, n.saturating_mul(7), u64::MAX] {
                let mut buf = [0u8; 20];
                let mut expected = SliceWriter::new(&mut buf);
                write!(expected, "{m}").unwrap();
                assert_eq!(Decimal::new(m).as_str().as_bytes(), expected.written());
            }
            n = n.saturating_mul(10);
        }
    }
}
