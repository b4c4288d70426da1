//! Every parser, run the way its documentation shows: sans-IO parsers fed chunk by chunk,
//! stream adapters polled with `futures::executor::block_on` over an in-memory stream of
//! the same pre-split chunks (`AsyncBufRead` peers read that stream through
//! `into_async_read`). Each hands every dispatched event to a [`Sink`].

use std::convert::Infallible;
use std::io;

use bytes::Bytes;
use futures::executor::block_on;
use futures::stream::{self, StreamExt, TryStreamExt};

use crate::check::Sink;

/// A parser under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parser {
    SseProto,
    SseProtoStream,
    SseCore,
    SseStream,
    Sseer,
    SseParseStream,
    SseParseSansIo,
    AsyncSse,
    SseCodec,
    EventsourceStream,
}

pub const ALL: [Parser; 10] = [
    Parser::SseProto,
    Parser::SseProtoStream,
    Parser::SseCore,
    Parser::SseStream,
    Parser::Sseer,
    Parser::SseParseStream,
    Parser::SseParseSansIo,
    Parser::AsyncSse,
    Parser::SseCodec,
    Parser::EventsourceStream,
];

fn str_bytes(s: &Option<String>) -> &[u8] {
    s.as_deref().unwrap_or("").as_bytes()
}

impl Parser {
    pub fn name(self) -> &'static str {
        match self {
            Parser::SseProto => "sse-proto",
            Parser::SseProtoStream => "sse-proto-tokio (Stream)",
            Parser::SseCore => "sse-core",
            Parser::SseStream => "sse-stream",
            Parser::Sseer => "sseer",
            Parser::SseParseStream => "sse-parse (Stream)",
            Parser::SseParseSansIo => "sse-parse (sans-IO)",
            Parser::AsyncSse => "async-sse",
            Parser::SseCodec => "sse-codec",
            Parser::EventsourceStream => "eventsource-stream",
        }
    }

    /// Decodes `chunks` in order, then ends the stream, handing each event to `sink`.
    pub fn run<S: Sink>(self, chunks: &[&'static [u8]], sink: &mut S) {
        let chunk_stream = || stream::iter(chunks.iter().copied().map(Ok::<_, Infallible>));
        // `Bytes` chunks, as reqwest and hyper bodies give, for the peers that take them.
        let bytes_stream = || {
            stream::iter(
                chunks
                    .iter()
                    .map(|c| Ok::<_, Infallible>(Bytes::from_static(c))),
            )
        };
        match self {
            Parser::SseProto => crate::sse_proto_api::decode(chunks, sink),
            Parser::SseProtoStream => block_on(async {
                use sse_proto_tokio::SseStreamExt;
                let mut events = bytes_stream().sse();
                while let Some(item) = events.next().await {
                    if let Ok(e) = item {
                        sink.event(
                            e.event_type.as_bytes(),
                            e.data.as_bytes(),
                            e.last_event_id.as_bytes(),
                        );
                    }
                }
            }),
            Parser::SseCore => {
                let mut decoder = sse_core::SseDecoder::new();
                for chunk in chunks {
                    let mut buf: &[u8] = chunk;
                    while let Some(item) = decoder.next(&mut buf) {
                        if let Ok(sse_core::SseEvent::Message(m)) = item {
                            let id = m.last_event_id.as_deref().unwrap_or("");
                            sink.event(m.event.as_bytes(), m.data.as_bytes(), id.as_bytes());
                        }
                    }
                }
            }
            Parser::SseStream => block_on(async {
                let mut events = sse_stream::SseByteStream::new(chunk_stream());
                while let Some(item) = events.next().await {
                    // Metadata-only blocks come out too; only blocks with data are events.
                    if let Ok(sse @ sse_stream::Sse { data: Some(_), .. }) = item {
                        sink.event(
                            str_bytes(&sse.event),
                            str_bytes(&sse.data),
                            str_bytes(&sse.id),
                        );
                    }
                }
            }),
            Parser::Sseer => block_on(async {
                let mut events = sseer::EventStream::new(bytes_stream());
                while let Some(item) = events.next().await {
                    if let Ok(e) = item {
                        sink.event(e.event.as_bytes(), e.data.as_bytes(), e.id.as_bytes());
                    }
                }
            }),
            #[allow(irrefutable_let_patterns)] // its error type is uninhabited with this stream
            Parser::SseParseStream => block_on(async {
                let mut events = sse_parse::EventStream::new(chunk_stream());
                while let Some(item) = events.next().await {
                    if let Ok(e) = item {
                        sink.event(e.event.as_bytes(), e.data.as_bytes(), e.id.as_bytes());
                    }
                }
            }),
            Parser::SseParseSansIo => {
                let mut parser = sse_parse::SseParser::new();
                let mut emit = |parser: &mut sse_parse::SseParser| {
                    while let Some(e) = parser.next_event() {
                        sink.event(e.event.as_bytes(), e.data.as_bytes(), e.id.as_bytes());
                    }
                };
                for chunk in chunks {
                    parser.feed(chunk);
                    emit(&mut parser);
                }
                parser.finish();
                emit(&mut parser);
            }
            Parser::AsyncSse => block_on(async {
                let reader =
                    stream::iter(chunks.iter().copied().map(Ok::<_, io::Error>)).into_async_read();
                let mut events = async_sse::decode(reader);
                while let Some(item) = events.next().await {
                    if let Ok(async_sse::Event::Message(m)) = item {
                        let id = m.id().as_deref().unwrap_or("");
                        sink.event(m.name().as_bytes(), m.data(), id.as_bytes());
                    }
                }
            }),
            Parser::SseCodec => block_on(async {
                let reader =
                    stream::iter(chunks.iter().copied().map(Ok::<_, io::Error>)).into_async_read();
                let mut events = sse_codec::decode_stream(reader);
                while let Some(item) = events.next().await {
                    if let Ok(sse_codec::Event::Message { id, event, data }) = item {
                        sink.event(event.as_bytes(), data.as_bytes(), str_bytes(&id));
                    }
                }
            }),
            Parser::EventsourceStream => block_on(async {
                use eventsource_stream::Eventsource;
                let mut events = chunk_stream().eventsource();
                while let Some(item) = events.next().await {
                    if let Ok(e) = item {
                        sink.event(e.event.as_bytes(), e.data.as_bytes(), e.id.as_bytes());
                    }
                }
            }),
        }
    }
}
