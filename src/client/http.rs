//! The few HTTP header values the client interprets: `Content-Type` (C10, D7 in
//! `spec-vectors/RULES.md`),
//! `Retry-After` and the HTTP-date format it may use (RFC 9110 §10.2.3, §5.6.7).
//!
//! Plain functions on `&str`, no allocation, usable without the client.
//!
//! ```
//! use core::time::Duration;
//! use sse_proto::client::http::{is_event_stream, RetryAfter};
//!
//! assert!(is_event_stream(Some("text/event-stream; charset=utf-8")));
//! assert!(!is_event_stream(Some("application/json")));
//! let retry_after = RetryAfter::parse("120").unwrap();
//! assert_eq!(retry_after.delay(None), Some(Duration::from_secs(120)));
//! ```

use core::time::Duration;

/// Whether a `Content-Type` value names `text/event-stream` (C10, D7).
///
/// The MIME type's *essence* (type/subtype) is compared ASCII case-insensitively;
/// parameters (`;charset=…`, even a lone `;`) and surrounding HTTP whitespace are ignored,
/// as Fetch's "extract a MIME type" does. A missing header is a failure too: pass `None`.
///
/// ```
/// use sse_proto::client::http::is_event_stream;
///
/// assert!(is_event_stream(Some("text/event-stream")));
/// assert!(is_event_stream(Some("Text/Event-Stream; charset=windows-1252")));
/// assert!(is_event_stream(Some(" text/event-stream ;")));
/// assert!(!is_event_stream(Some("text/html")));
/// assert!(!is_event_stream(Some("text/event-streams")));
/// assert!(!is_event_stream(Some("x bogus")));
/// assert!(!is_event_stream(None));
/// ```
#[must_use]
pub fn is_event_stream(content_type: Option<&str>) -> bool {
    let Some(value) = content_type else {
        return false; // D7: a missing header fails
    };
    let essence = value.split(';').next().unwrap_or_default();
    trim_http_whitespace(essence).eq_ignore_ascii_case("text/event-stream")
}

/// HTTP whitespace (Fetch): SP, HTAB, CR, LF.
fn trim_http_whitespace(s: &str) -> &str {
    s.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
}

/// A parsed `Retry-After` value (RFC 9110 §10.2.3): a number of seconds, or an HTTP-date.
///
/// ```
/// use core::time::Duration;
/// use sse_proto::client::http::RetryAfter;
///
/// assert_eq!(RetryAfter::parse("120"), Some(RetryAfter::Seconds(120)));
/// let date = RetryAfter::parse("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
/// assert_eq!(date, RetryAfter::Date(784_111_777));
/// // A date is turned into a delay against a reference time (the response's `Date`).
/// assert_eq!(date.delay(Some(784_111_700)), Some(Duration::from_secs(77)));
/// assert_eq!(RetryAfter::parse("soon"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryAfter {
    /// `delay-seconds`: wait this many seconds (values past `u64` saturate).
    Seconds(u64),
    /// An HTTP-date, in seconds since the Unix epoch: wait until then.
    Date(u64),
}

impl RetryAfter {
    /// Parses a `Retry-After` value; surrounding whitespace is allowed. `None` if it is
    /// neither `1*DIGIT` nor an HTTP-date (see [`parse_http_date`]).
    ///
    /// ```
    /// use sse_proto::client::http::RetryAfter;
    ///
    /// assert_eq!(RetryAfter::parse(" 5 "), Some(RetryAfter::Seconds(5)));
    /// assert_eq!(RetryAfter::parse("-5"), None);
    /// assert_eq!(RetryAfter::parse("1.5"), None);
    /// ```
    #[must_use]
    pub fn parse(value: &str) -> Option<RetryAfter> {
        let value = trim_http_whitespace(value);
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            let seconds = value.bytes().fold(0u64, |acc, b| {
                acc.saturating_mul(10)
                    .saturating_add(u64::from(b.saturating_sub(b'0')))
            });
            return Some(RetryAfter::Seconds(seconds));
        }
        parse_http_date(value).map(RetryAfter::Date)
    }

    /// How long to wait. For a date this needs the current time in seconds since the Unix
    /// epoch (`reference`, best taken from the response's own `Date` header so that clock
    /// skew between client and server cancels out); without one a date gives `None`. A
    /// date in the past gives zero.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::client::http::RetryAfter;
    ///
    /// assert_eq!(RetryAfter::Seconds(3).delay(None), Some(Duration::from_secs(3)));
    /// assert_eq!(RetryAfter::Date(100).delay(None), None);
    /// assert_eq!(RetryAfter::Date(100).delay(Some(200)), Some(Duration::ZERO));
    /// ```
    #[must_use]
    pub fn delay(self, reference: Option<u64>) -> Option<Duration> {
        match self {
            RetryAfter::Seconds(s) => Some(Duration::from_secs(s)),
            RetryAfter::Date(at) => {
                reference.map(|now| Duration::from_secs(at.saturating_sub(now)))
            }
        }
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Parses an HTTP-date (RFC 9110 §5.6.7) into seconds since the Unix epoch.
///
/// All three formats a recipient must accept are understood:
/// IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, the obsolete RFC 850 form
/// `Sunday, 06-Nov-94 08:49:37 GMT` (a two-digit year below 70 is 20xx, otherwise 19xx)
/// and asctime `Sun Nov  6 08:49:37 1994`. Names are case-sensitive as the grammar says;
/// the weekday is checked for form, not against the date. A leap second (`:60`) counts as
/// `:59`. Dates before 1970 and anything malformed give `None`.
///
/// ```
/// use sse_proto::client::http::parse_http_date;
///
/// assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
/// assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777));
/// assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(784_111_777));
/// assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
/// assert_eq!(parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT"), None);
/// assert_eq!(parse_http_date("yesterday"), None);
/// ```
#[must_use]
pub fn parse_http_date(value: &str) -> Option<u64> {
    let b = value.as_bytes();
    if let Some(rest) = strip_day_name(value, &DAYS).and_then(|r| r.strip_prefix(", ")) {
        if rest.len() == 24 {
            return imf_fixdate(rest);
        }
    }
    if let Some(rest) = strip_day_name(value, &LONG_DAYS).and_then(|r| r.strip_prefix(", ")) {
        return rfc850(rest);
    }
    if b.get(3) == Some(&b' ') {
        if let Some(rest) = strip_day_name(value, &DAYS).and_then(|r| r.strip_prefix(' ')) {
            return asctime(rest);
        }
    }
    None
}

fn strip_day_name<'a>(value: &'a str, names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|name| value.strip_prefix(name))
}

/// `06 Nov 1994 08:49:37 GMT`
fn imf_fixdate(s: &str) -> Option<u64> {
    let day = digits(s.get(0..2)?)?;
    let month = month(s.get(2..7)?.strip_prefix(' ')?.strip_suffix(' ')?)?;
    let year = digits(s.get(7..11)?)?;
    let time = s.get(11..20)?.strip_prefix(' ')?;
    if s.get(20..)? != " GMT" {
        return None;
    }
    to_unix(year, month, day, time)
}

/// `06-Nov-94 08:49:37 GMT`
fn rfc850(s: &str) -> Option<u64> {
    if s.len() != 22 || s.get(2..3)? != "-" || s.get(6..7)? != "-" || s.get(9..10)? != " " {
        return None;
    }
    let day = digits(s.get(0..2)?)?;
    let month = month(s.get(3..6)?)?;
    let yy = digits(s.get(7..9)?)?;
    let year = if yy < 70 {
        yy.saturating_add(2000)
    } else {
        yy.saturating_add(1900)
    };
    if s.get(18..)? != " GMT" {
        return None;
    }
    to_unix(year, month, day, s.get(10..18)?)
}

/// `Nov  6 08:49:37 1994`
fn asctime(s: &str) -> Option<u64> {
    if s.len() != 20 || s.get(3..4)? != " " || s.get(15..16)? != " " {
        return None;
    }
    let month = month(s.get(0..3)?)?;
    let day_text = s.get(4..6)?;
    let day = match day_text.strip_prefix(' ') {
        Some(one) => digits(one)?,
        None => digits(day_text)?,
    };
    if s.get(6..7)? != " " {
        return None;
    }
    let year = digits(s.get(16..20)?)?;
    to_unix(year, month, day, s.get(7..15)?)
}

fn month(name: &str) -> Option<u64> {
    let index = MONTHS.iter().position(|m| *m == name)?;
    u64::try_from(index).ok()?.checked_add(1)
}

/// A fixed-width run of ASCII digits.
fn digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.bytes().try_fold(0u64, |acc, b| {
        acc.checked_mul(10)?
            .checked_add(u64::from(b.checked_sub(b'0')?))
    })
}

/// `hh:mm:ss` and a calendar date → seconds since the Unix epoch.
fn to_unix(year: u64, month: u64, day: u64, time: &str) -> Option<u64> {
    if time.len() != 8 || time.get(2..3)? != ":" || time.get(5..6)? != ":" {
        return None;
    }
    let hour = digits(time.get(0..2)?)?;
    let minute = digits(time.get(3..5)?)?;
    let second = digits(time.get(6..8)?)?.min(59); // a leap second counts as :59
    if hour > 23 || minute > 59 || year < 1970 || !(1..=12).contains(&month) {
        return None;
    }
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_since_epoch(year, month, day)?;
    days.checked_mul(86_400)?
        .checked_add(hour.checked_mul(3600)?)?
        .checked_add(minute.checked_mul(60)?)?
        .checked_add(second)
}

fn is_leap(year: u64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date on or after it (proleptic Gregorian calendar).
fn days_since_epoch(year: u64, month: u64, day: u64) -> Option<u64> {
    // Whole years, then whole months, then days: at most 9999 + 12 steps.
    let mut days = 0u64;
    for y in 1970..year {
        days = days.checked_add(if is_leap(y) { 366 } else { 365 })?;
    }
    for m in 1..month {
        days = days.checked_add(days_in_month(year, m))?;
    }
    days.checked_add(day.checked_sub(1)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_http_date("Thu, 29 Feb 2024 23:59:60 GMT"),
            Some(1_709_251_199)
        );
        assert_eq!(
            parse_http_date("Fri, 01 Mar 2024 00:00:00 GMT"),
            Some(1_709_251_200)
        );
        assert_eq!(parse_http_date("Thu, 29 Feb 2023 00:00:00 GMT"), None);
        assert_eq!(parse_http_date("Mon, 01 Jan 1900 00:00:00 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"), None);
        assert_eq!(parse_http_date("sun, 06 Nov 1994 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 nov 1994 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 24:00:00 GMT"), None);
        assert_eq!(
            parse_http_date("Wednesday, 01-Jan-25 00:00:00 GMT"),
            Some(1_735_689_600)
        );
        // RFC 850's two-digit years: 70–99 are 19xx, 00–69 are 20xx.
        assert_eq!(parse_http_date("Thursday, 01-Jan-70 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Wednesday, 31-Dec-69 00:00:00 GMT"),
            Some(3_155_673_600)
        );
        assert_eq!(parse_http_date("Thu Jan  1 00:00:00 1970"), Some(0));
        assert_eq!(parse_http_date("Thu Jan 01 00:00:00 1970"), Some(0));
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT "), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT\u{e9}"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 99999 08:49:37 GMT"), None);
        assert_eq!(parse_http_date(""), None);
        assert_eq!(parse_http_date("Sun"), None);
        assert_eq!(parse_http_date("Sun,"), None);
    }

    #[test]
    fn retry_after_saturates() {
        assert_eq!(
            RetryAfter::parse("99999999999999999999999"),
            Some(RetryAfter::Seconds(u64::MAX))
        );
        assert_eq!(RetryAfter::parse(""), None);
        assert_eq!(RetryAfter::parse("1 2"), None);
    }

    #[test]
    fn content_type_edges() {
        assert!(is_event_stream(Some("TEXT/EVENT-STREAM")));
        assert!(is_event_stream(Some("text/event-stream;")));
        assert!(is_event_stream(Some("\ttext/event-stream\t; x=y")));
        assert!(!is_event_stream(Some("")));
        assert!(!is_event_stream(Some("text/event-stream,text/html")));
        assert!(!is_event_stream(Some("text /event-stream")));
        assert!(!is_event_stream(Some("text/plain; x=text/event-stream")));
    }
}
