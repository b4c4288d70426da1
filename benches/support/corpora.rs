//! The inputs the benches share (also `benches/peers`), so every comparison runs on the
//! same bytes. Included with `#[path]`.
#![allow(dead_code)]

/// About 1 MiB of LLM-style token events (the common case: many small single-line events).
pub fn llm_tokens() -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0u32;
    while out.len() < 1 << 20 {
        out.extend_from_slice(
            format!(
                "data: {{\"id\":\"chatcmpl-{i}\",\"object\":\"chat.completion.chunk\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"tok{i}\"}}}}]}}\n\n"
            )
            .as_bytes(),
        );
        i += 1;
    }
    out
}

/// 16 events of one 64 KiB JSON line each.
pub fn big_json() -> Vec<u8> {
    let payload: String = (0..10_000)
        .map(|i| format!("{{\"k\":{i}}},"))
        .collect::<String>();
    let line = format!("event: snapshot\ndata: [{}]\n\n", &payload[..64 * 1024]);
    line.repeat(16).into_bytes()
}

/// Multi-line events with CRLF endings, ids and types.
pub fn multiline_crlf() -> Vec<u8> {
    let block = "event: log\r\nid: 12345\r\ndata: first line of the entry\r\ndata: second line, a bit longer than the first\r\ndata: third\r\n\r\n";
    block.repeat((1 << 20) / block.len()).into_bytes()
}

/// Keep-alive comments and retry-only blocks between a few events.
pub fn heartbeats() -> Vec<u8> {
    let block = ": keep-alive\n\n: keep-alive\n\nretry: 3000\n\ndata: tick\n\n";
    block.repeat((1 << 20) / block.len()).into_bytes()
}

/// Decodes `input` in `chunk`-byte pieces and returns the total data bytes of its events,
/// so every bench does the same observable work with the events.
pub fn decode_data_bytes(input: &[u8], chunk: usize) -> usize {
    let mut decoder = sse_proto::Decoder::new();
    let mut n = 0;
    for piece in input.chunks(chunk) {
        let mut feed = decoder.feed(piece);
        while let Some(item) = feed.next() {
            if let sse_proto::Item::Event(e) = item {
                n += e.data().len();
            }
        }
    }
    decoder.finish().for_each(|_| {});
    n
}
