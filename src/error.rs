//! Errors shared by the layers.

use core::fmt;

/// A last event ID that no `id` field could carry (C18, P22): it holds U+0000 NULL, CR or
/// LF. Writing it would inject a line into the stream or a header into a request.
///
/// ```
/// use sse_proto::IdError;
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
    pub fn check(id: &str) -> Result<(), IdError> {
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
