//! An LLM-style completion stream: a POST answered with events of JSON, ending with
//! `data: [DONE]` and a clean close. `Reconnect::OnError` never replays a request the
//! server has answered; a refused connection, a 5xx or a 429 is retried (at most 3
//! attempts), honouring `Retry-After`.
//!
//! ```text
//! API_KEY=... cargo run -p sse-proto-tokio --features reqwest --example llm-stream -- http://127.0.0.1:8000/v1/chat/completions
//! ```
use serde::Deserialize;
use sse_proto_tokio::{Event, EventSource, Reconnect};

#[derive(Deserialize)]
struct Chunk {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    delta: Delta,
}

#[derive(Deserialize)]
struct Delta {
    content: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or("http://127.0.0.1:8000/v1/chat/completions".into());
    let key = std::env::var("API_KEY").unwrap_or_default();
    let mut events = EventSource::builder(url)
        .method(http::Method::POST)
        .header("authorization", format!("Bearer {key}"))
        .header("content-type", "application/json")
        .body(r#"{"model":"any","stream":true,"messages":[{"role":"user","content":"Hello"}]}"#)
        .reconnect(Reconnect::OnError)
        .max_attempts(3)
        .connect(reqwest::Client::new())?;
    while let Some(event) = events.next().await {
        let Event::Message(message) = event? else {
            continue;
        };
        if message.data == "[DONE]" {
            break;
        }
        let chunk: Chunk = serde_json::from_str(&message.data)?;
        for choice in chunk.choices {
            print!("{}", choice.delta.content.unwrap_or_default());
        }
    }
    println!();
    Ok(())
}
