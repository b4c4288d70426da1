//! Runs of `data` lines (multi-line events: logs, tables, diffs), taken in a small loop of
//! their own rather than one trip each through the general line loop.
//!
//! The loop only takes the lines whose outcome it knows to be the general path's: a
//! `data` line that ends with LF inside the input, within `max_line_len`, whose value keeps
//! the block within `max_event_len`. At anything else (a CR, a line the input cuts off, a
//! limit about to be crossed, any other line) it stops, and the general loop takes that
//! line as it would have anyway.

use super::Decoder;
use crate::scan::find_line_end_inlined;

/// The field name of a `data` line, colon included.
const DATA: &[u8] = b"data:";

impl Decoder {
    /// Takes the `data` lines that follow one another in `input` from `at`, right after the
    /// second `data` value of a block, which the general path took, and returns where the
    /// first line it did not take starts.
    ///
    /// Called only there, so what that path checks once per line already holds: no line is
    /// carried, the block is not being dropped, the stream's first line is over (P2), and
    /// no CR of a split CRLF is pending (P5: a CR sets that only as an input's last byte,
    /// and then there is nothing left to take).
    #[inline(never)]
    pub(super) fn data_run(&mut self, input: &[u8], mut at: usize) -> usize {
        debug_assert!(!self.block.skipping && self.block.data_lines > 1);
        debug_assert!(!self.split.at_stream_start());
        debug_assert!(
            !self.split.after_cr() || at == input.len(),
            "a CR ended the input"
        );
        let max_line_len = self.config.max_line_len;
        let max_event_len = self.config.max_event_len;
        let limit = self.data_limit();
        self.block.start_run(limit);
        while let Some(after) = input.get(at..).and_then(|rest| rest.strip_prefix(DATA)) {
            // `data:` holds no terminator, so the search starts after it.
            let Some(end) = find_line_end_inlined(after) else {
                break; // the input ends inside the line
            };
            // The rest of the line with its terminator, which must be an LF (P4, P5: a
            // CR is left to the general loop).
            let Some(rest_lf @ [.., b'\n']) = after.get(..=end) else {
                break;
            };
            // Lengths of bytes that lie in `input`: no overflow below.
            let line_len = DATA.len().wrapping_add(end);
            if line_len > max_line_len {
                break; // the general path drops the block
            }
            let value_lf = rest_lf.strip_prefix(b" ").unwrap_or(rest_lf); // P13
            let value_len = value_lf.len().wrapping_sub(1);
            let total = self.block.data_len.saturating_add(value_len);
            if total >= max_event_len {
                break; // the general path counts it and may drop the block
            }
            self.block.data_len = total.wrapping_add(1); // value + LF, within the limit
            self.block.push_run_value(value_lf, limit);
            at = at.wrapping_add(line_len).wrapping_add(1);
        }
        self.block.end_run();
        at
    }
}

#[cfg(test)]
mod tests {
    use crate::{Decoder, DecoderConfig, OwnedItem};
    use alloc::string::String;
    use alloc::vec::Vec;

    /// The items of `chunks` fed in turn, then of `finish`, and the committed id.
    fn decode(config: DecoderConfig, chunks: &[&[u8]]) -> (Vec<OwnedItem>, String) {
        let mut decoder = Decoder::with_config(config);
        let mut items = Vec::new();
        for chunk in chunks {
            items.extend(decoder.feed(chunk).owned());
        }
        items.extend(decoder.finish().owned());
        (items, decoder.last_event_id().into())
    }

    /// Decoded whole and cut in two at every point, `stream` must give what it gives
    /// byte by byte: there no line lies whole in an input, so no run is ever taken.
    fn same_as_byte_by_byte(config: DecoderConfig, stream: &[u8]) -> Vec<OwnedItem> {
        let bytes: Vec<&[u8]> = stream.chunks(1).collect();
        let want = decode(config, &bytes);
        assert_eq!(decode(config, &[stream]), want, "whole: {stream:?}");
        for cut in 1..stream.len() {
            let (a, b) = stream.split_at(cut);
            assert_eq!(decode(config, &[a, b]), want, "cut at {cut}: {stream:?}");
        }
        want.0
    }

    fn data_of(items: &[OwnedItem]) -> Vec<&str> {
        items
            .iter()
            .filter_map(|item| match item {
                OwnedItem::Event(e) => Some(e.data.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_run_stops_at_a_cr_and_the_general_loop_takes_over() {
        // P4, P5: CR and CRLF end lines inside a run; a lone CR last in a chunk too.
        let stream =
            b"event: log\ndata: a\ndata:bb\ndata:  c\rdata: dd\r\ndata: e\ndata\ndata: f\n\n\
                       data: 1\ndata: 2\ndata: 3\r";
        let items = same_as_byte_by_byte(DecoderConfig::default(), stream);
        assert_eq!(data_of(&items), ["a\nbb\n c\ndd\ne\n\nf"]);
        assert_eq!(items.last(), Some(&OwnedItem::Truncated), "{items:?}");
    }

    #[test]
    fn a_run_is_cut_by_a_blank_line_other_fields_and_a_bom_inside_it() {
        let stream =
            b"\xEF\xBB\xBFdata: a\ndata: b\ndata: c\nid: 7\ndata: d\n\xEF\xBB\xBFdata: e\n\
                       : note\ndata: f\n\ndata: g\ndata: h\n\n";
        let config = DecoderConfig::default().unknown_fields(true);
        let items = same_as_byte_by_byte(config, stream);
        assert_eq!(data_of(&items), ["a\nb\nc\nd\nf", "g\nh"]);
    }

    #[test]
    fn an_event_limit_reached_in_a_run_drops_the_block_as_before() {
        // Values of 9 bytes count 10 each (value + LF): `count` of them fit exactly when
        // `max_event_len` is at least `10 * count`, at every limit around that.
        let line = b"data: 123456789\n";
        for count in 2..=6 {
            let mut stream = Vec::new();
            for _ in 0..count {
                stream.extend_from_slice(line);
            }
            stream.extend_from_slice(b"\ndata: x\ndata: y\ndata: z\n\n");
            for max in 10 * count - 3..=10 * count + 2 {
                let config = DecoderConfig::default().max_event_len(max);
                let items = same_as_byte_by_byte(config, &stream);
                let fits = 10 * count <= max;
                let dropped = OwnedItem::Dropped(crate::Dropped::EventTooLarge);
                assert_eq!(items.first() == Some(&dropped), !fits, "{count} {max}");
                assert_eq!(
                    data_of(&items).len(),
                    1 + usize::from(fits),
                    "{count} {max}"
                );
                assert_eq!(data_of(&items).last(), Some(&"x\ny\nz"), "{count} {max}");
            }
        }
    }

    #[test]
    fn a_line_limit_crossed_in_a_run_drops_the_block_as_before() {
        let stream =
            b"data: aaaa\ndata: bbbbbb\ndata: cccccccccccccccc\ndata: d\n\ndata: e\ndata: f\n\n";
        let mut kept = 0;
        for max in 5..=26 {
            let config = DecoderConfig::default().max_line_len(max);
            let items = same_as_byte_by_byte(config, stream);
            kept +=
                usize::from(data_of(&items).first() == Some(&"aaaa\nbbbbbb\ncccccccccccccccc\nd"));
        }
        assert_eq!(
            kept,
            26 - 22 + 1,
            "the 22-byte line fits from max_line_len 22 on"
        );
    }
}
