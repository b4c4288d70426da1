//! Blocking adapter over `std::io::Read` (`std`): a response body in, items out.

use alloc::collections::VecDeque;
use alloc::vec;
use alloc::vec::Vec;
use std::io::{self, Read};

use crate::decode::Decoder;
use crate::event::{OwnedItem, SharedId};

/// Reads a `text/event-stream` body from any [`io::Read`] (a socket, a file, an HTTP
/// library's body reader) and yields its items as an iterator, ending the stream (P20)
/// at EOF.
///
/// This is the convenient form: items are owned, so each one allocates. For the
/// allocation-free path feed the [`Decoder`] yourself. Reconnection is not this type's
/// business: see [`Client`](crate::Client) and [`Driver`](crate::client::Driver).
///
/// ```
/// use sse_proto::{EventReader, OwnedItem};
///
/// let body: &[u8] = b"retry: 500\n\ndata: a\r\n\r\ndata: cut";
/// let items: Vec<OwnedItem> = EventReader::new(body).collect::<Result<_, _>>()?;
/// assert_eq!(items[0], OwnedItem::Retry(500));
/// assert!(matches!(&items[1], OwnedItem::Event(e) if e.data == "a"));
/// assert_eq!(items[2], OwnedItem::Truncated); // the last block never ended
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct EventReader<R> {
    reader: R,
    decoder: Decoder,
    buf: Vec<u8>,
    /// `buf[decoded..filled]` is read but not given to the decoder yet.
    decoded: usize,
    filled: usize,
    /// The end of the stream's report, made at EOF (the end must be drained at once).
    ready: VecDeque<OwnedItem>,
    /// The events' last event ID, shared while it stays the same.
    shared_id: SharedId,
    done: bool,
}

/// Sizes rather than the read buffer's bytes, as the decoder's own `Debug` shows.
impl<R: core::fmt::Debug> core::fmt::Debug for EventReader<R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EventReader")
            .field("reader", &self.reader)
            .field("decoder", &self.decoder)
            .field("undecoded_bytes", &self.filled.saturating_sub(self.decoded))
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<R: Read> EventReader<R> {
    /// Size of the read buffer: each `read` call asks for at most this many bytes.
    ///
    /// ```
    /// use sse_proto::EventReader;
    ///
    /// assert_eq!(EventReader::<std::io::Empty>::BUFFER_LEN, 16 * 1024);
    /// ```
    pub const BUFFER_LEN: usize = 16 * 1024;

    /// A reader with a default [`Decoder`].
    ///
    /// ```
    /// let mut reader = sse_proto::EventReader::new(&b"data: x\n\n"[..]);
    /// assert!(reader.next().is_some());
    /// ```
    pub fn new(reader: R) -> Self {
        Self::with_decoder(reader, Decoder::new())
    }

    /// A reader using `decoder`: its limits, options and last event ID.
    ///
    /// ```
    /// use sse_proto::{Decoder, DecoderConfig, EventReader, OwnedItem, Dropped};
    ///
    /// let decoder = Decoder::with_config(DecoderConfig::default().max_line_len(8));
    /// let mut reader = EventReader::with_decoder(&b"data: far too long\n\n"[..], decoder);
    /// assert_eq!(reader.next().unwrap()?, OwnedItem::Dropped(Dropped::LineTooLong));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn with_decoder(reader: R, decoder: Decoder) -> Self {
        EventReader {
            reader,
            decoder,
            buf: vec![0; Self::BUFFER_LEN],
            decoded: 0,
            filled: 0,
            ready: VecDeque::new(),
            shared_id: SharedId::default(),
            done: false,
        }
    }

    /// The decoder: its last event ID (for a reconnect) and reconnection time. Items are
    /// decoded one at a time, as they are asked for, so it stands just after the last
    /// item handed out: its last event ID is the one of the events you have.
    ///
    /// ```
    /// let mut reader = sse_proto::EventReader::new(&b"id: 3\ndata: x\n\n"[..]);
    /// reader.by_ref().for_each(drop);
    /// assert_eq!(reader.decoder().last_event_id(), "3");
    /// ```
    pub fn decoder(&self) -> &Decoder {
        &self.decoder
    }

    /// Gives back the reader and the decoder (which keeps its last event ID, D3). Nothing
    /// read is lost: the bytes read but not decoded yet stay in the decoder, whose next
    /// [`feed`](Decoder::feed) yields their items first.
    ///
    /// ```
    /// use sse_proto::{EventReader, OwnedItem};
    ///
    /// let mut reader = EventReader::new(&b"id: 1\ndata: a\n\nid: 2\ndata: b\n\n"[..]);
    /// assert!(matches!(reader.next(), Some(Ok(OwnedItem::Event(e))) if e.data == "a"));
    /// let (_body, mut decoder) = reader.into_parts();
    /// assert_eq!(decoder.last_event_id(), "1"); // the last event handed out
    /// let rest: Vec<OwnedItem> = decoder.feed(b"").owned().collect();
    /// assert!(matches!(&rest[..], [OwnedItem::Event(e)] if e.data == "b"));
    /// ```
    pub fn into_parts(mut self) -> (R, Decoder) {
        if let Some(unread) = self.buf.get(self.decoded..self.filled) {
            // A feed dropped undrained keeps its chunk in the decoder.
            drop(self.decoder.feed(unread));
        }
        (self.reader, self.decoder)
    }
}

impl<R: Read> Iterator for EventReader<R> {
    type Item = io::Result<OwnedItem>;

    /// The next item; at EOF, whatever the end of the stream reports, then `None`. A read
    /// error is returned once; calling again retries the read.
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(Ok(item));
            }
            let backlog = self.decoder.has_backlog();
            if backlog || self.decoded < self.filled {
                // One item per feed: the feed is dropped after it, and the decoder keeps
                // the rest of the chunk for the next call. So items are made only as they
                // are asked for, and the decoder stands just after the last one handed out.
                let piece = if backlog {
                    &[][..]
                } else {
                    let read = self.buf.get(self.decoded..self.filled).unwrap_or_default();
                    self.decoded = self.filled;
                    read
                };
                let mut feed = self.decoder.feed(piece);
                if let Some(item) = feed.next() {
                    return Some(Ok(self.shared_id.own(&item)));
                }
                continue;
            }
            if self.done {
                return None;
            }
            let n = match self.reader.read(&mut self.buf) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e)),
            };
            if n == 0 {
                self.done = true;
                let mut feed = self.decoder.finish();
                while let Some(item) = feed.next() {
                    self.ready.push_back(self.shared_id.own(&item));
                }
            } else {
                self.decoded = 0;
                self.filled = n.min(self.buf.len());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `{:?}` of a reader shows sizes, not its read buffer's bytes.
    #[test]
    fn debug_output_stays_short() {
        /// Endless one-byte events, whose own `Debug` is short.
        #[derive(Debug)]
        struct Events;
        impl Read for Events {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                for (byte, event) in buf.iter_mut().zip(b"data:x\n\n".iter().cycle()) {
                    *byte = *event;
                }
                Ok(buf.len())
            }
        }
        let mut reader = EventReader::new(Events);
        assert!(reader.next().is_some());
        let debug = alloc::format!("{reader:?}");
        assert!(debug.len() < 400, "{debug}");
        assert!(debug.contains("undecoded_bytes"), "{debug}");
    }

    /// A reader that returns one byte per call, with an error and interruptions between.
    struct Trickle<'a> {
        data: &'a [u8],
        calls: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.calls += 1;
            match self.calls % 4 {
                0 => Err(io::Error::new(io::ErrorKind::Interrupted, "again")),
                2 if self.calls == 2 => Err(io::Error::other("flaky")),
                _ => {
                    let Some((first, rest)) = self.data.split_first() else {
                        return Ok(0);
                    };
                    if let Some(slot) = buf.first_mut() {
                        *slot = *first;
                    }
                    self.data = rest;
                    Ok(1)
                }
            }
        }
    }

    #[test]
    fn short_reads_interruptions_and_errors_lose_nothing() {
        let body = b"id: 1\r\ndata: a\r\n\r\n: c\n\ndata: b\n";
        let mut reader = EventReader::new(Trickle {
            data: body,
            calls: 0,
        });
        let mut items = Vec::new();
        let mut errors = 0;
        for result in reader.by_ref().take(100) {
            match result {
                Ok(item) => items.push(item),
                Err(_) => errors += 1,
            }
        }
        assert_eq!(errors, 1);
        assert_eq!(items.len(), 3, "{items:?}");
        assert!(
            matches!(&items[0], OwnedItem::Event(e) if e.data == "a" && &*e.last_event_id == "1")
        );
        assert_eq!(items[1], OwnedItem::Comment("c".into()));
        assert_eq!(items[2], OwnedItem::Truncated);
        assert!(reader.next().is_none());
    }

    /// Stopping after any number of items and taking the parts back loses nothing: the
    /// decoder's last event ID is the last handed-out event's, and the items not handed
    /// out come from the decoder next, in order (D3).
    #[test]
    fn into_parts_after_any_item_loses_nothing() {
        use alloc::string::{String, ToString};
        let mut body = Vec::new();
        for n in 1..=1000 {
            body.extend_from_slice(alloc::format!("id: {n}\ndata: {n}\n\n").as_bytes());
        }
        let whole: Vec<OwnedItem> = EventReader::new(&body[..]).map(Result::unwrap).collect();
        assert_eq!(whole.len(), 1000);
        for taken in [0, 1, 2, 337, 999, 1000] {
            let mut reader = EventReader::new(&body[..]);
            let mut items: Vec<OwnedItem> =
                reader.by_ref().take(taken).map(Result::unwrap).collect();
            let (rest, mut decoder) = reader.into_parts();
            let expected_id = if taken == 0 {
                String::new()
            } else {
                taken.to_string()
            };
            assert_eq!(decoder.last_event_id(), expected_id, "after {taken}");
            items.extend(decoder.feed(rest).owned());
            items.extend(decoder.finish().owned());
            assert_eq!(items, whole, "after {taken}");
        }
    }
}
