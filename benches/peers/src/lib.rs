//! Empty: the comparison lives in `benches/peers.rs`.
