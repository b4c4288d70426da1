//! Time as the caller gives it: milliseconds since an epoch the caller picks.
//!
//! The client never reads a clock (sans-IO): every input carries `now` as an [`Instant`],
//! and every deadline it hands back is an `Instant` on the same scale. Spans of time are
//! [`core::time::Duration`]s, counted in whole milliseconds (anything finer is dropped).
//! All arithmetic saturates, so no value of `now` can make the crate overflow or panic.

use core::fmt;
use core::ops::{Add, AddAssign, Sub, SubAssign};
use core::time::Duration;

/// A point in time: a count of milliseconds since an epoch chosen by the caller (process
/// start, the Unix epoch, a virtual clock's zero — anything, as long as every input to one
/// client uses the same one). The smoltcp / str0m "now is an argument" time type.
///
/// With `std`, [`Instant::from_std`] and [`Instant::to_std`] convert from and to
/// [`std::time::Instant`] given that epoch explicitly.
///
/// ```
/// use core::time::Duration;
/// use sse_proto::client::Instant;
///
/// let t = Instant::from_millis(1_000);
/// let later = t + Duration::from_millis(2_500);
/// assert_eq!(later.as_millis(), 3_500);
/// assert_eq!(later - t, Duration::from_millis(2_500));
/// assert_eq!(t - later, Duration::ZERO); // saturates, never panics
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant {
    millis: u64,
}

impl Instant {
    /// The epoch itself: zero milliseconds.
    ///
    /// ```
    /// assert_eq!(sse_proto::client::Instant::EPOCH.as_millis(), 0);
    /// ```
    pub const EPOCH: Instant = Instant { millis: 0 };

    /// The latest representable instant.
    ///
    /// ```
    /// assert_eq!(sse_proto::client::Instant::MAX.as_millis(), u64::MAX);
    /// ```
    pub const MAX: Instant = Instant { millis: u64::MAX };

    /// The instant `millis` milliseconds after the epoch.
    ///
    /// ```
    /// assert_eq!(sse_proto::client::Instant::from_millis(42).as_millis(), 42);
    /// ```
    #[must_use]
    pub const fn from_millis(millis: u64) -> Self {
        Instant { millis }
    }

    /// Milliseconds since the epoch.
    ///
    /// ```
    /// assert_eq!(sse_proto::client::Instant::from_millis(7).as_millis(), 7);
    /// ```
    #[must_use]
    pub const fn as_millis(self) -> u64 {
        self.millis
    }

    /// `self + duration`, or `None` past [`Instant::MAX`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::client::Instant;
    ///
    /// assert_eq!(Instant::from_millis(1).checked_add(Duration::from_millis(1)), Some(Instant::from_millis(2)));
    /// assert_eq!(Instant::MAX.checked_add(Duration::from_millis(1)), None);
    /// ```
    #[must_use]
    pub fn checked_add(self, duration: Duration) -> Option<Instant> {
        self.millis
            .checked_add(millis_of(duration))
            .map(Instant::from_millis)
    }

    /// `self + duration`, stopping at [`Instant::MAX`].
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::client::Instant;
    ///
    /// assert_eq!(Instant::MAX.saturating_add(Duration::from_secs(1)), Instant::MAX);
    /// ```
    #[must_use]
    pub fn saturating_add(self, duration: Duration) -> Instant {
        Instant::from_millis(self.millis.saturating_add(millis_of(duration)))
    }

    /// The time from `earlier` to `self`, or zero if `earlier` is later.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::client::Instant;
    ///
    /// let (a, b) = (Instant::from_millis(10), Instant::from_millis(25));
    /// assert_eq!(b.saturating_duration_since(a), Duration::from_millis(15));
    /// assert_eq!(a.saturating_duration_since(b), Duration::ZERO);
    /// ```
    #[must_use]
    pub const fn saturating_duration_since(self, earlier: Instant) -> Duration {
        Duration::from_millis(self.millis.saturating_sub(earlier.millis))
    }

    /// The instant of a [`std::time::Instant`], counted from `epoch`. Times before the
    /// epoch give [`Instant::EPOCH`]; times too far after it give [`Instant::MAX`].
    ///
    /// ```
    /// use sse_proto::client::Instant;
    ///
    /// let epoch = std::time::Instant::now();
    /// let later = epoch + std::time::Duration::from_millis(1500);
    /// assert_eq!(Instant::from_std(later, epoch), Instant::from_millis(1500));
    /// assert_eq!(Instant::from_std(epoch, later), Instant::EPOCH);
    /// ```
    #[cfg(feature = "std")]
    #[must_use]
    pub fn from_std(instant: std::time::Instant, epoch: std::time::Instant) -> Instant {
        Instant::from_millis(millis_of(instant.saturating_duration_since(epoch)))
    }

    /// The [`std::time::Instant`] this instant stands for, given the same `epoch`; `None`
    /// if the platform cannot represent it.
    ///
    /// ```
    /// use sse_proto::client::Instant;
    ///
    /// let epoch = std::time::Instant::now();
    /// let t = Instant::from_millis(250).to_std(epoch).unwrap();
    /// assert_eq!(t - epoch, std::time::Duration::from_millis(250));
    /// ```
    #[cfg(feature = "std")]
    #[must_use]
    pub fn to_std(self, epoch: std::time::Instant) -> Option<std::time::Instant> {
        epoch.checked_add(Duration::from_millis(self.millis))
    }
}

/// Saturating: `Instant::MAX` at most.
impl Add<Duration> for Instant {
    type Output = Instant;

    fn add(self, rhs: Duration) -> Instant {
        self.saturating_add(rhs)
    }
}

/// Saturating: `Instant::MAX` at most.
impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, rhs: Duration) {
        *self = self.saturating_add(rhs);
    }
}

/// Saturating: [`Instant::EPOCH`] at the earliest, as `std::time::Instant` users expect a
/// `- Duration` to exist (without its panic).
///
/// ```
/// use core::time::Duration;
/// use sse_proto::client::Instant;
///
/// let mut at = Instant::from_millis(1500);
/// assert_eq!(at - Duration::from_secs(1), Instant::from_millis(500));
/// assert_eq!(at - Duration::from_secs(2), Instant::EPOCH);
/// at -= Duration::from_millis(500);
/// at += Duration::from_millis(100);
/// assert_eq!(at, Instant::from_millis(1100));
/// ```
impl Sub<Duration> for Instant {
    type Output = Instant;

    fn sub(self, rhs: Duration) -> Instant {
        Instant::from_millis(self.millis.saturating_sub(millis_of(rhs)))
    }
}

/// Saturating: [`Instant::EPOCH`] at the earliest.
impl SubAssign<Duration> for Instant {
    fn sub_assign(&mut self, rhs: Duration) {
        self.millis = self.millis.saturating_sub(millis_of(rhs));
    }
}

/// Saturating: zero if `rhs` is later.
impl Sub<Instant> for Instant {
    type Output = Duration;

    fn sub(self, rhs: Instant) -> Duration {
        self.saturating_duration_since(rhs)
    }
}

impl fmt::Display for Instant {
    /// ```
    /// assert_eq!(sse_proto::client::Instant::from_millis(1500).to_string(), "1500ms");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.millis)
    }
}

/// Whole milliseconds of a duration, saturating at `u64::MAX`.
pub(crate) fn millis_of(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates() {
        let max = Instant::MAX;
        assert_eq!(max + Duration::MAX, Instant::MAX);
        assert_eq!(Instant::EPOCH - max, Duration::ZERO);
        assert_eq!(millis_of(Duration::MAX), u64::MAX);
        assert_eq!(millis_of(Duration::from_micros(1999)), 1);
    }
}
