//! The fields of an event that come before its data (`event`, `id`, `retry`), validated
//! once and reduced to plain values, so that every encoding path writes them from one place.
//!
//! The hot functions are `#[inline(always)]`: inlined into each encoder, the field names
//! are constants there (a few stores, not a call to `memcpy`) and the checks of a short
//! type and id are a few predictable loops, with no call.

use core::fmt;

use super::decimal::Decimal;
use crate::error::{EncodeError, IdError};
use crate::forbidden::{has_line_break, has_line_break_or_nul};

/// The checked fields of an event: holding one means the type and id can be written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields<'m> {
    /// The `event` line's value; `None` for the default type, `""` or `message` (P19).
    event_type: Option<&'m str>,
    id: Option<&'m str>,
    retry: Option<u64>,
}

impl<'m> Fields<'m> {
    /// Checks the type (no CR or LF), then the id (no CR, LF or NUL), as P22 and C18 ask.
    #[inline(always)]
    pub(crate) fn new(
        event_type: &'m str,
        id: Option<&'m str>,
        retry: Option<u64>,
    ) -> Result<Self, EncodeError> {
        // Both values tested, then one branch: the common case (both valid) takes one.
        let bad_type = has_line_break(event_type.as_bytes());
        let bad_id = id.is_some_and(|id| has_line_break_or_nul(id.as_bytes()));
        if bad_type | bad_id {
            if bad_type {
                return Err(EncodeError::EventType); // the type is checked first
            }
            IdError::check(id.unwrap_or_default())?; // which byte of the id: CR, LF or NUL
        }
        let is_default = event_type.is_empty() || event_type == "message";
        Ok(Fields {
            event_type: (!is_default).then_some(event_type),
            id,
            retry,
        })
    }

    /// The fewest bytes [`write`](Self::write) writes: `event: TYPE` and LF, `id:` and LF
    /// (more for a non-empty id), `retry: N` and LF.
    #[cfg(feature = "alloc")] // sizes a `Vec`
    #[inline(always)]
    pub(crate) fn min_len(&self) -> usize {
        let event_type = self.event_type.map_or(0, |t| t.len().saturating_add(8));
        let id = self.id.map_or(0, |id| id.len().saturating_add(4));
        let retry = if self.retry.is_some() { 9 } else { 0 };
        event_type.saturating_add(id).saturating_add(retry)
    }

    /// Writes the fields: `event: TYPE`, `id: ID` (or `id:`), `retry: MS`, each ending
    /// with LF and each only if set.
    #[inline(always)]
    pub(crate) fn write<W: fmt::Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        if let Some(event_type) = self.event_type {
            field(out, "event: ", "event:\n", event_type)?; // P12
        }
        if let Some(id) = self.id {
            field(out, "id: ", "id:\n", id)?; // P14
        }
        if let Some(ms) = self.retry {
            retry_line(out, ms)?;
        }
        Ok(())
    }
}

/// Writes a `retry` line, `retry: MS` and LF (P15: ASCII digits).
#[inline(always)]
pub(crate) fn retry_line<W: fmt::Write + ?Sized>(out: &mut W, ms: u64) -> fmt::Result {
    out.write_str("retry: ")?;
    out.write_str(Decimal::new(ms).as_str())?;
    out.write_str("\n")
}

/// Writes one single-line field: `name: value`, or `name:` for an empty value (P10, P22).
/// `open` is the name with `: `, `empty` the name with `:` and LF; the value has been
/// checked to hold no CR or LF.
#[inline(always)]
pub(crate) fn field<W: fmt::Write + ?Sized>(
    out: &mut W,
    open: &str,
    empty: &str,
    value: &str,
) -> fmt::Result {
    if value.is_empty() {
        out.write_str(empty)
    } else {
        out.write_str(open)?; // the space: a value starting with a space keeps it (P10)
        out.write_str(value)?;
        out.write_str("\n")
    }
}
