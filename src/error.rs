//! Errors shared by the layers.

use core::fmt;

/// A last event ID that no `id` field could carry (C18, P22): it holds U+0000 NULL, CR or
/// LF. Writing it would inject a line into the stream or a header into a request.
///
/// ```
/// use sse_proto::encode::IdError;
///
/// assert_eq!(IdError::check("42"), Ok(()));
/// assert_eq!(IdError::check("4\n2"), Err(IdError::LineBreak));
/// assert_eq!(IdError::check("4\02"), Err(IdError::Nul));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdError {
    /// The value contains CR or LF.
    LineBreak,
    /// The value contains U+0000 NULL (a parser ignores such an `id` field, P14).
    Nul,
}

impl IdError {
    /// Checks that `id` is a valid last event ID: no NUL, CR or LF (C18).
    ///
    /// # Errors
    ///
    /// The first offending byte's: [`IdError::LineBreak`] for a CR or LF, [`IdError::Nul`]
    /// for a NUL.
    ///
    /// ```
    /// use sse_proto::encode::IdError;
    ///
    /// assert_eq!(IdError::check("evt-41"), Ok(()));
    /// assert_eq!(IdError::check(""), Ok(())); // empty is valid: it resets the last event ID
    /// assert_eq!(IdError::check("41\r"), Err(IdError::LineBreak));
    /// ```
    pub fn check(id: &str) -> Result<(), IdError> {
        if !crate::forbidden::has_line_break_or_nul(id.as_bytes()) {
            return Ok(()); // the common case, in one branch-light pass
        }
        // Which error: the first offending byte's.
        for b in id.bytes() {
            match b {
                b'\r' | b'\n' => return Err(IdError::LineBreak),
                0 => return Err(IdError::Nul),
                _ => {}
            }
        }
        Ok(())
    }
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdError::LineBreak => "event id contains a line break (CR or LF)",
            IdError::Nul => "event id contains U+0000 NULL",
        })
    }
}

impl core::error::Error for IdError {}

/// Why an event, comment or other block could not be encoded.
///
/// Validation errors ([`EventType`](Self::EventType), [`Id`](Self::Id)) are found before
/// anything is written: an invalid value never reaches the output (P22).
///
/// ```
/// use sse_proto::{encode::IdError, Encode, EncodeError, Message};
///
/// let mut buf = [0u8; 8];
/// assert_eq!(
///     Message::new("hello").encode_to_slice(&mut buf),
///     Err(EncodeError::BufferTooSmall { required: 13 })
/// );
/// assert_eq!(
///     Message::new("x").id("1\n2").encoded_len(),
///     Err(EncodeError::Id(IdError::LineBreak))
/// );
/// assert_eq!(
///     Message::new("x").event_type("a\rb").encoded_len(),
///     Err(EncodeError::EventType)
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EncodeError {
    /// The event type contains CR or LF: written as is it would end the `event` line early
    /// and inject the rest as another line (P22). (The type is checked before the id.)
    EventType,
    /// The id contains CR, LF or U+0000 NULL (P22, C18): no `id` field can carry it.
    Id(IdError),
    /// The caller's buffer is too small; `required` is the whole encoded length. Nothing
    /// was written.
    BufferTooSmall {
        /// The number of bytes the encoding needs.
        required: usize,
    },
    /// Data given as bytes (through `std::io::Write`) was not valid UTF-8, or ended inside
    /// a UTF-8 sequence. A stream is always UTF-8 (P1, P22), so it is refused rather than
    /// repaired.
    InvalidUtf8,
    /// The `core::fmt::Write` sink returned an error.
    Write,
}

impl From<IdError> for EncodeError {
    fn from(e: IdError) -> Self {
        EncodeError::Id(e)
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::EventType => f.write_str("event type contains a line break (CR or LF)"),
            // Transparent: the id error says what is wrong and is not also a `source`.
            EncodeError::Id(e) => fmt::Display::fmt(e, f),
            EncodeError::BufferTooSmall { required } => {
                write!(f, "buffer too small: {required} bytes required")
            }
            EncodeError::InvalidUtf8 => f.write_str("data is not valid UTF-8"),
            EncodeError::Write => f.write_str("the output sink returned an error"),
        }
    }
}

impl core::error::Error for EncodeError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            // An error writes its cause into its message or returns it here, never both
            // (a report walking the chain would print it twice): `Id` is transparent.
            EncodeError::Id(e) => core::error::Error::source(e),
            _ => None,
        }
    }
}
