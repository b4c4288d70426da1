//! Every encoder, on the path a server uses for a broadcast frame: each event encoded once
//! into an owned buffer (`Vec<u8>` or `Bytes`) that could be handed to every subscriber.

use std::convert::Infallible;
use std::fmt::Write as _;

use futures::executor::block_on;
use futures::stream::{self, StreamExt};

use crate::corpus::{big_json_line, token_json, Rng};

/// One event to encode.
pub struct Event {
    pub event_type: String,
    pub id: String,
    pub data: String,
}

/// A named list of events.
pub struct Workload {
    pub name: &'static str,
    pub events: &'static [Event],
    /// Field bytes (type + id + data) of all events: the throughput basis.
    pub field_bytes: usize,
}

fn workload(name: &'static str, events: Vec<Event>) -> Workload {
    let field_bytes = events
        .iter()
        .map(|e| e.event_type.len() + e.id.len() + e.data.len())
        .sum();
    Workload {
        name,
        events: Box::leak(events.into_boxed_slice()),
        field_bytes,
    }
}

/// Token events with a type and an id; 20-line data; 64 KiB single-line data. About `size`
/// field bytes each.
pub fn workloads(size: usize) -> Vec<Workload> {
    let mut rng = Rng::new(10);
    let tokens = (0..)
        .map(|i| Event {
            event_type: "token".into(),
            id: i.to_string(),
            data: token_json(&mut rng, i),
        })
        .take(size / 120)
        .collect();
    let lines = (0..size / 1700)
        .map(|i| Event {
            event_type: "log".into(),
            id: i.to_string(),
            data: (0..20)
                .map(|j| format!("{i:06}.{j:02} {}", "x".repeat(70)))
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect();
    let big = (0..(size >> 16).max(1))
        .map(|i| Event {
            event_type: "snapshot".into(),
            id: i.to_string(),
            data: big_json_line(&mut rng, 64 * 1024),
        })
        .collect();
    vec![
        workload("token events", tokens),
        workload("20-line data", lines),
        workload("64 KiB data", big),
    ]
}

/// An encoder under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoder {
    SseProto,
    Axum,
    SseStream,
    SseCodec,
    NaiveFormat,
    MemcpyCeiling,
    SafeFloor,
}

pub const ALL: [Encoder; 7] = [
    Encoder::SseProto,
    Encoder::Axum,
    Encoder::SseStream,
    Encoder::SseCodec,
    Encoder::NaiveFormat,
    Encoder::MemcpyCeiling,
    Encoder::SafeFloor,
];

impl Encoder {
    pub fn name(self) -> &'static str {
        match self {
            Encoder::SseProto => "sse-proto",
            Encoder::Axum => "axum (Sse body)",
            Encoder::SseStream => "sse-stream",
            Encoder::SseCodec => "sse-codec",
            Encoder::NaiveFormat => "naive format! (floor)",
            Encoder::MemcpyCeiling => "memcpy of the fields (ceiling)",
            Encoder::SafeFloor => "safe search + memcpy of the fields (ceiling)",
        }
    }

    /// A reference point, not a competitor: left out of the ratio.
    pub fn is_reference(self) -> bool {
        matches!(
            self,
            Encoder::NaiveFormat | Encoder::MemcpyCeiling | Encoder::SafeFloor
        )
    }

    /// A ceiling row: its buffers hold the event's bytes, not a frame that decodes to it.
    pub fn is_ceiling(self) -> bool {
        matches!(self, Encoder::MemcpyCeiling | Encoder::SafeFloor)
    }

    /// Encodes each event into an owned buffer and shows it to `out`.
    pub fn run(self, events: &'static [Event], out: &mut impl FnMut(&[u8])) {
        match self {
            Encoder::SseProto => {
                for e in events {
                    let frame = crate::sse_proto_api::encode(e);
                    out(&frame);
                }
            }
            Encoder::Axum => block_on(async {
                use axum::response::sse::{Event as AxumEvent, Sse};
                use axum::response::IntoResponse;
                let events = stream::iter(events.iter().map(|e| {
                    Ok::<_, Infallible>(
                        AxumEvent::default()
                            .event(&e.event_type)
                            .id(&e.id)
                            .data(&e.data),
                    )
                }));
                let mut body = Sse::new(events)
                    .into_response()
                    .into_body()
                    .into_data_stream();
                while let Some(Ok(frame)) = body.next().await {
                    out(&frame);
                }
            }),
            Encoder::SseStream => {
                for e in events {
                    let frame = sse_stream::Sse::default()
                        .event(e.event_type.as_str())
                        .id(e.id.as_str())
                        .data(e.data.as_str())
                        .encode()
                        .expect("valid event");
                    out(&frame);
                }
            }
            Encoder::SseCodec => {
                use futures_codec::Encoder as _;
                let mut codec = sse_codec::SSECodec::default();
                for e in events {
                    let event = sse_codec::Event::message(&e.event_type, &e.data, e.id.as_str());
                    let mut frame = bytes::BytesMut::new();
                    codec.encode(event, &mut frame).expect("valid event");
                    out(&frame.freeze());
                }
            }
            Encoder::NaiveFormat => {
                for e in events {
                    let mut frame = format!("event: {}\nid: {}\n", e.event_type, e.id);
                    for line in e.data.split('\n') {
                        let _ = writeln!(frame, "data: {line}");
                    }
                    frame.push('\n');
                    out(frame.as_bytes());
                }
            }
            Encoder::MemcpyCeiling => {
                for e in events {
                    out(&copy_fields(e));
                }
            }
            Encoder::SafeFloor => {
                // Every line end of the data found with sse-proto's own safe search (an
                // encoder must find them to start each line with `data: `), then the same
                // copy as the row above: two passes over the same bytes, no formatting.
                for e in events {
                    let mut rest = e.data.as_bytes();
                    let mut lines = 1usize;
                    while let Some(at) = crate::scan::find_line_end(rest) {
                        lines += 1;
                        rest = rest.get(at + 1..).unwrap_or_default();
                    }
                    out(&copy_fields(e));
                    std::hint::black_box(lines);
                }
            }
        }
    }
}

/// The least any encoder into an owned buffer does: allocate a buffer the size of the
/// frame and copy the event's type, id and data into it, with the fixed bytes of a one-line
/// frame around them. No search, no `data: ` per line, no checks: the data is copied from
/// the same place, to the same offset in its buffer, as an encoder's copy of it.
fn copy_fields(e: &Event) -> Vec<u8> {
    let len = e.event_type.len() + e.id.len() + e.data.len();
    let mut frame = Vec::with_capacity(len + len / 8 + 32);
    frame.extend_from_slice(b"event: ");
    frame.extend_from_slice(e.event_type.as_bytes());
    frame.extend_from_slice(b"\nid: ");
    frame.extend_from_slice(e.id.as_bytes());
    frame.extend_from_slice(b"\ndata: ");
    frame.extend_from_slice(e.data.as_bytes());
    frame.extend_from_slice(b"\n\n");
    frame
}
