//! Opt-in exponential backoff with a cap and jitter (C14 step 3, C30, D11 in
//! `spec-vectors/RULES.md`), and the small generator behind its jitter.
//!
//! The spec waits the reconnection time before every reconnect and only *allows* a user
//! agent to wait longer after failed attempts. [`Backoff`] is that allowance, off unless a
//! [`ClientConfig`](crate::ClientConfig) turns it on, and computed by a pure function so it
//! can be tested (and reproduced by other implementations of `spec-vectors/client/`).
//!
//! ```
//! use core::time::Duration;
//! use sse_proto::client::Backoff;
//!
//! // Doubling from the reconnection time, capped, with up to 50 % jitter.
//! let backoff = Backoff::new().max(Duration::from_secs(10));
//! let r = Duration::from_secs(1);
//! assert_eq!(backoff.delay(r, 1, 0), Duration::from_secs(2));
//! assert_eq!(backoff.delay(r, 2, 0), Duration::from_secs(4));
//! assert_eq!(backoff.delay(r, 9, 0), Duration::from_secs(10));
//! ```

use core::time::Duration;

use super::millis_of;

/// Exponential backoff policy (opt-in, D11). The wait before a reconnect is
///
/// 1. `d` = the reconnection time `R` (from the config or the last `retry` field);
/// 2. `failures` times, while `d < max`: `d = max(d + 1, d × multiplier_percent / 100)`
///    (no growth at all when `multiplier_percent <= 100`);
/// 3. `d = min(d, max)`, then `d = max(d, R)`: **never less than the reconnection time**,
///    even when `R` is above the cap;
/// 4. jitter: when `jitter_percent > 0` (values above 100 count as 100), one draw `r` from
///    the client's [`SplitMix64`] and `d += r mod (d × jitter_percent / 100 + 1)` — jitter
///    only ever adds, so it spreads reconnects out without undercutting `R`.
///
/// `failures` counts the consecutive attempts since the last *healthy* connection: one
/// that stayed open for [`reset_after`](Self::reset_after). A connection that opens and
/// drops at once does not reset the backoff (the reqwest-eventsource bug of a backoff
/// that never grows, and an immediate reset on any 200).
///
/// A small value type: public fields with same-named by-value setters. Defaults of
/// [`Backoff::new`]: `max` 60 s, `multiplier_percent` 200 (doubling), `jitter_percent` 50,
/// `reset_after` 60 s, `seed` 0. Give every client its own seed (from the time, an id, or
/// `std::hash::RandomState`), or clients restarted together will jitter in lockstep.
///
/// ```
/// use core::time::Duration;
/// use sse_proto::client::Backoff;
///
/// let backoff = Backoff::new().max(Duration::from_secs(10)).jitter_percent(0);
/// let r = Duration::from_millis(1000);
/// let waits: Vec<u64> = (0..6).map(|n| backoff.delay(r, n, 0).as_millis() as u64).collect();
/// assert_eq!(waits, [1000, 2000, 4000, 8000, 10_000, 10_000]);
/// // Never below the reconnection time, even above the cap:
/// assert_eq!(backoff.delay(Duration::from_secs(30), 3, 0), Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Backoff {
    /// The cap of the exponential part (before jitter).
    pub max: Duration,
    /// Growth per failure in percent: 200 doubles, 100 or less disables growth.
    pub multiplier_percent: u32,
    /// Jitter in percent of the delay, added on top; 0 is off, above 100 counts as 100.
    pub jitter_percent: u32,
    /// How long a connection must stay open to count as healthy.
    pub reset_after: Duration,
    /// The seed of the jitter generator ([`SplitMix64`]).
    pub seed: u64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new()
    }
}

impl Backoff {
    /// Default [`max`](Self::max): 60 s.
    ///
    /// ```
    /// use sse_proto::client::Backoff;
    ///
    /// assert_eq!(Backoff::new().max, Backoff::DEFAULT_MAX);
    /// ```
    pub const DEFAULT_MAX: Duration = Duration::from_secs(60);
    /// Default [`reset_after`](Self::reset_after): 60 s.
    ///
    /// ```
    /// use sse_proto::client::Backoff;
    ///
    /// assert_eq!(Backoff::new().reset_after, Backoff::DEFAULT_RESET_AFTER);
    /// ```
    pub const DEFAULT_RESET_AFTER: Duration = Duration::from_secs(60);

    /// The policy with its defaults (see the type docs).
    ///
    /// ```
    /// let b = sse_proto::client::Backoff::new();
    /// assert_eq!(b.multiplier_percent, 200);
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Backoff {
            max: Self::DEFAULT_MAX,
            multiplier_percent: 200,
            jitter_percent: 50,
            reset_after: Self::DEFAULT_RESET_AFTER,
            seed: 0,
        }
    }

    /// The cap of the exponential part (before jitter). Default 60 s.
    ///
    /// ```
    /// # use core::time::Duration;
    /// let b = sse_proto::client::Backoff::new().max(Duration::from_secs(5));
    /// assert_eq!(b.max, Duration::from_secs(5));
    /// ```
    #[must_use]
    pub const fn max(mut self, max: Duration) -> Self {
        self.max = max;
        self
    }

    /// Growth per failure in percent: 200 doubles, 150 is ×1.5, 100 or less disables
    /// growth. Default 200.
    ///
    /// ```
    /// let b = sse_proto::client::Backoff::new().multiplier_percent(150);
    /// assert_eq!(b.multiplier_percent, 150);
    /// ```
    #[must_use]
    pub const fn multiplier_percent(mut self, percent: u32) -> Self {
        self.multiplier_percent = percent;
        self
    }

    /// Jitter in percent of the delay, added on top (0 turns jitter off, values above 100
    /// count as 100). Default 50.
    ///
    /// ```
    /// let b = sse_proto::client::Backoff::new().jitter_percent(250);
    /// assert_eq!(b.jitter_percent, 100);
    /// ```
    #[must_use]
    pub const fn jitter_percent(mut self, percent: u32) -> Self {
        self.jitter_percent = if percent > 100 { 100 } else { percent };
        self
    }

    /// How long a connection must stay open to count as healthy, which resets the failure
    /// count (and so the backoff, and
    /// [`max_attempts`](crate::ClientConfig::max_attempts)). Default 60 s.
    ///
    /// ```
    /// # use core::time::Duration;
    /// let b = sse_proto::client::Backoff::new().reset_after(Duration::ZERO);
    /// assert_eq!(b.reset_after, Duration::ZERO);
    /// ```
    #[must_use]
    pub const fn reset_after(mut self, healthy: Duration) -> Self {
        self.reset_after = healthy;
        self
    }

    /// The seed of the jitter generator ([`SplitMix64`]). Default 0.
    ///
    /// ```
    /// let b = sse_proto::client::Backoff::new().seed(7);
    /// assert_eq!(b.seed, 7);
    /// ```
    #[must_use]
    pub const fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The wait before the next reconnect after `failures` consecutive failed attempts,
    /// given the reconnection time and one random number (used only when jitter is on).
    /// A pure function: the steps are in the type docs.
    ///
    /// ```
    /// use core::time::Duration;
    /// use sse_proto::client::Backoff;
    ///
    /// let b = Backoff::new(); // jitter 50 %
    /// let r = Duration::from_millis(1000);
    /// assert_eq!(b.delay(r, 1, 0), Duration::from_millis(2000)); // r mod 1001 = 0
    /// assert_eq!(b.delay(r, 1, 1000), Duration::from_millis(3000)); // the largest jitter
    /// assert_eq!(b.delay(r, 1, 1001), Duration::from_millis(2000));
    /// ```
    #[must_use]
    pub fn delay(&self, reconnection_time: Duration, failures: u32, random: u64) -> Duration {
        let base = millis_of(reconnection_time);
        let cap = millis_of(self.max);
        let jitter_percent = self.jitter_percent.min(100);
        let mut d = base;
        if self.multiplier_percent > 100 {
            let mut n = failures;
            while n > 0 && d < cap {
                let grown = u128::from(d)
                    .saturating_mul(u128::from(self.multiplier_percent))
                    .checked_div(100)
                    .unwrap_or(0);
                let grown = u64::try_from(grown).unwrap_or(u64::MAX);
                d = grown.max(d.saturating_add(1));
                n = n.saturating_sub(1);
            }
        }
        d = d.min(cap).max(base); // capped, but never below the reconnection time
        if jitter_percent > 0 {
            let range = u128::from(d)
                .saturating_mul(u128::from(jitter_percent))
                .checked_div(100)
                .unwrap_or(0);
            let range = u64::try_from(range).unwrap_or(u64::MAX);
            let jitter = match range.checked_add(1) {
                Some(modulus) => random.checked_rem(modulus).unwrap_or(0),
                None => random,
            };
            d = d.saturating_add(jitter);
        }
        Duration::from_millis(d)
    }
}

/// A tiny seeded pseudo-random generator (SplitMix64, Steele, Lea & Flood 2014) for the
/// backoff jitter. Not cryptographic; deterministic for a seed, so tests and vectors can
/// predict every wait.
///
/// ```
/// use sse_proto::client::backoff::SplitMix64;
///
/// let mut rng = SplitMix64::new(0);
/// assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
/// assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator starting from `seed`.
    ///
    /// ```
    /// let mut a = sse_proto::client::backoff::SplitMix64::new(42);
    /// let mut b = sse_proto::client::backoff::SplitMix64::new(42);
    /// assert_eq!(a.next_u64(), b.next_u64());
    /// ```
    #[must_use]
    pub const fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// The next number.
    ///
    /// ```
    /// let mut rng = sse_proto::client::backoff::SplitMix64::new(1);
    /// assert_ne!(rng.next_u64(), rng.next_u64());
    /// ```
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_is_bounded_and_monotone() {
        let mut b = Backoff::new()
            .jitter_percent(0)
            .max(Duration::MAX)
            .multiplier_percent(101);
        let r = Duration::ZERO;
        let mut last = Duration::ZERO;
        for n in [0, 1, 2, 50, 100, 1000, 10_000, u32::MAX] {
            let d = b.delay(r, n, 0);
            assert!(d >= last);
            last = d;
        }
        assert_eq!(b.delay(Duration::ZERO, 1, 0), Duration::from_millis(1));
        b = b.multiplier_percent(u32::MAX).jitter_percent(100);
        assert!(b.delay(Duration::from_millis(u64::MAX), u32::MAX, u64::MAX) > Duration::ZERO);
    }

    #[test]
    fn no_growth_without_multiplier() {
        let b = Backoff::new().multiplier_percent(100).jitter_percent(0);
        assert_eq!(
            b.delay(Duration::from_millis(5), u32::MAX, 0),
            Duration::from_millis(5)
        );
    }
}
