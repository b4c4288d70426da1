//! The owned path over a [`Feed`]: a plain [`Iterator`] of [`OwnedItem`]s, for `for` loops,
//! `collect()` and iterator adapters, at the cost of copying each item out of the decoder.

use crate::decode::Feed;
use crate::event::{OwnedItem, SharedId};

/// An [`Iterator`] over the items of one chunk as [`OwnedItem`]s: returned by
/// [`Feed::owned`].
///
/// Each item is copied out of the decoder, so it can be kept, collected or sent elsewhere;
/// the lending [`Feed`] itself (`while let Some(item) = feed.next()`) copies nothing and
/// is the faster path. Dropping an `OwnedFeed` early loses nothing, as for a `Feed`: the
/// rest of the chunk is decoded by the next call to the decoder.
///
/// ```
/// use sse_proto::{Decoder, OwnedItem};
///
/// let mut decoder = Decoder::new();
/// let mut items = Vec::new();
/// for item in decoder.feed(b"data: a\n\nretry: 10\n").owned() {
///     items.push(item);
/// }
/// assert!(matches!(&items[0], OwnedItem::Event(e) if e.data == "a"));
/// assert_eq!(items[1], OwnedItem::Retry(10));
/// ```
#[derive(Debug)]
#[must_use = "an OwnedFeed decodes nothing until iterated"]
pub struct OwnedFeed<'d, 'c> {
    feed: Feed<'d, 'c>,
    /// The events' id, shared while it stays the same.
    id: SharedId,
}

impl<'d, 'c> Feed<'d, 'c> {
    /// This chunk's items as an owned [`Iterator`] ([`OwnedFeed`]): for a `for` loop or
    /// `collect()`. Each item is copied; `while let Some(item) = feed.next()` is the
    /// zero-copy alternative.
    ///
    /// ```
    /// use sse_proto::{Decoder, OwnedItem};
    ///
    /// let mut decoder = Decoder::new();
    /// let items: Vec<OwnedItem> = decoder.feed(b": hi\ndata: x\n\n").owned().collect();
    /// assert_eq!(items.len(), 2);
    /// ```
    pub fn owned(self) -> OwnedFeed<'d, 'c> {
        OwnedFeed {
            feed: self,
            id: SharedId::default(),
        }
    }
}

impl Iterator for OwnedFeed<'_, '_> {
    type Item = OwnedItem;

    fn next(&mut self) -> Option<OwnedItem> {
        let id = &mut self.id;
        self.feed.next().map(|item| id.own(&item))
    }
}

impl core::iter::FusedIterator for OwnedFeed<'_, '_> {}
