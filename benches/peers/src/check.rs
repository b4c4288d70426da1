//! What a parser must produce, and the two sinks its events go to: a hashing one for the
//! check before timing, a counting one (the same cheap work for every parser) while timed.

/// Totals after some events: how many, how many data bytes, and a hash of every event's
/// type, data and last event ID in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Expect {
    pub events: u64,
    pub data_bytes: u64,
    pub hash: u64,
}

/// Where a parser hands each dispatched event. Peers differ in what they call an absent
/// type (`None`, `""`); the sinks normalise that to `message`, as the WHATWG model does.
pub trait Sink {
    fn event(&mut self, event_type: &[u8], data: &[u8], id: &[u8]);
}

/// FNV-1a over every event, order-dependent.
#[derive(Clone, Copy, Debug)]
pub struct EventHash {
    state: Expect,
}

impl Default for EventHash {
    fn default() -> Self {
        Self {
            state: Expect {
                events: 0,
                data_bytes: 0,
                hash: 0xcbf2_9ce4_8422_2325,
            },
        }
    }
}

impl EventHash {
    fn mix(&mut self, bytes: &[u8], end: u8) {
        let mut h = self.state.hash;
        for &b in bytes.iter().chain(std::iter::once(&end)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.state.hash = h;
    }

    pub fn expect(&self) -> Expect {
        self.state
    }
}

impl Sink for EventHash {
    fn event(&mut self, event_type: &[u8], data: &[u8], id: &[u8]) {
        let event_type = if event_type.is_empty() {
            b"message".as_slice()
        } else {
            event_type
        };
        self.mix(event_type, 0xff);
        self.mix(data, 0xfe);
        self.mix(id, 0xfd);
        self.state.events += 1;
        self.state.data_bytes += data.len() as u64;
    }
}

/// The timed sink: counts events and data bytes, so each parser's events are observed
/// (not optimised away) at the same small cost for all.
#[derive(Clone, Copy, Debug, Default)]
pub struct Count {
    pub events: u64,
    pub data_bytes: u64,
}

impl Sink for Count {
    #[inline]
    fn event(&mut self, _event_type: &[u8], data: &[u8], _id: &[u8]) {
        self.events += 1;
        self.data_bytes += data.len() as u64;
    }
}
