//! The broadcast-server example over HTTP on 127.0.0.1: `POST /publish` answers 201 with
//! the id or 400 with a JSON error; clients receive what was published; `POST /drop` makes
//! them reconnect with `Last-Event-ID`, which `/stats` reports, and replay what they missed.

mod support;

#[path = "../examples/broadcast-server.rs"]
#[allow(dead_code)] // its `main` and CLI are not used here
mod broadcast_server;

use std::time::Duration;

use hyper::StatusCode;
use serde_json::json;
use support::{event, post_json, request, serve, Reader, Seen};

/// The id in a `/publish` answer, checked to be the hub's `n`th generated id of its topic:
/// `{epoch}-{n}`, the epoch 8 base-36 digits.
fn generated_id(answer: &serde_json::Value, n: u32) -> String {
    let id = answer["id"].as_str().expect("an id").to_owned();
    let (epoch, number) = id.split_once('-').expect("a generated id");
    assert_eq!((epoch.len(), number), (8, n.to_string().as_str()), "{id}");
    id
}

async fn start() -> (std::net::SocketAddr, broadcast_server::App) {
    let app = broadcast_server::App::new(Duration::from_secs(15), Some(Duration::from_millis(100)));
    let (addr, _server) = serve(broadcast_server::router(app.clone()), &app.shutdown).await;
    (addr, app)
}

#[tokio::test]
async fn publish_answers_201_with_the_id_and_subscribers_receive_it() {
    let (addr, app) = start().await;
    let mut reader = Reader::new(request(addr, "GET", "/events?topic=news", &[], "").await);
    assert_eq!(reader.next().await, Seen::Retry(100));
    let body = r#"{"event":"update","data":"line 1\nline 2 ✓","topic":"news"}"#;
    let (status, answer) = post_json(addr, "/publish", body).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = generated_id(&answer, 1);
    assert_eq!(answer, json!({"id": id, "topic": "news"}));
    let (status, answer) = post_json(
        addr,
        "/publish",
        r#"{"event":"x","data":"","id":"custom-7","topic":"news"}"#,
    )
    .await;
    assert_eq!(
        (status, answer["id"].clone()),
        (StatusCode::CREATED, json!("custom-7"))
    );
    assert_eq!(
        reader.next_event().await,
        event("update", "line 1\nline 2 ✓", &id)
    );
    assert_eq!(reader.next_event().await, event("x", "", "custom-7"));
    app.shutdown.trigger();
    assert_eq!(reader.next().await, Seen::Comment("shutdown".into()));
    assert_eq!(reader.next().await, Seen::End);
}

#[tokio::test]
async fn publish_answers_400_with_a_clear_json_error() {
    let (addr, app) = start().await;
    let big = "x".repeat(64 * 1024 + 1);
    let cases = [
        ("{not json", json!({"code": "invalid_json", "field": null})),
        ("[1, 2]", json!({"code": "invalid_json", "field": null})),
        (
            r#"{"data":"x"}"#,
            json!({"code": "missing_field", "field": "event"}),
        ),
        (
            r#"{"event":"t"}"#,
            json!({"code": "missing_field", "field": "data"}),
        ),
        (
            r#"{"event":"t","data":5}"#,
            json!({"code": "invalid_field", "field": "data"}),
        ),
        (
            &format!(r#"{{"event":"t","data":"{big}"}}"#),
            json!({"code": "oversized_field", "field": "data"}),
        ),
        (
            r#"{"event":"a\nb","data":"x"}"#,
            json!({"code": "invalid_field", "field": "event"}),
        ),
        (
            r#"{"event":"t","data":"x","id":"1\r2"}"#,
            json!({"code": "invalid_field", "field": "id"}),
        ),
        (
            r#"{"event":"t","data":"x","id":"a\u0000"}"#,
            json!({"code": "invalid_field", "field": "id"}),
        ),
        (
            r#"{"event":"t","data":"x","id":""}"#,
            json!({"code": "invalid_field", "field": "id"}),
        ),
    ];
    for (body, expected) in cases {
        let (status, answer) = post_json(addr, "/publish", body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body:.40}");
        assert_eq!(answer["code"], expected["code"], "{body:.40}: {answer}");
        assert_eq!(answer["field"], expected["field"], "{body:.40}: {answer}");
        assert!(
            answer["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{answer}"
        );
    }
    let (_, answer) = post_json(addr, "/publish", r#"{"event":"a\nb","data":"x"}"#).await;
    assert_eq!(
        answer["error"],
        "event refused by the writer: event type contains a line break (CR or LF)"
    );
    // Nothing refused was published: the first good event is number 1.
    let (_, answer) = post_json(addr, "/publish", r#"{"event":"t","data":"ok"}"#).await;
    generated_id(&answer, 1);
    app.shutdown.trigger();
}

#[tokio::test]
async fn drop_makes_clients_resume_with_last_event_id_and_replays_what_they_missed() {
    let (addr, app) = start().await;
    let mut first = Reader::new(request(addr, "GET", "/events", &[], "").await);
    let (_, answer) = post_json(addr, "/publish", r#"{"event":"t","data":"one"}"#).await;
    let one = generated_id(&answer, 1);
    assert_eq!(first.next_event().await, event("t", "one", &one));
    let (status, _) = post_json(addr, "/drop", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first.next_event().await, Seen::End);
    // Missed while disconnected:
    let (_, answer) = post_json(addr, "/publish", r#"{"event":"t","data":"two"}"#).await;
    let two = generated_id(&answer, 2);
    let (_, answer) = post_json(addr, "/publish", r#"{"event":"t","data":"three"}"#).await;
    let three = generated_id(&answer, 3);
    // What an EventSource does next: reconnect with the last id it saw.
    let resumed = request(
        addr,
        "GET",
        "/events",
        &[("last-event-id", one.as_str())],
        "",
    )
    .await;
    let mut resumed = Reader::new(resumed);
    assert_eq!(resumed.next_event().await, event("t", "two", &two));
    assert_eq!(resumed.next_event().await, event("t", "three", &three));
    let stats = request(addr, "GET", "/stats", &[], "").await;
    let stats: serde_json::Value = {
        use http_body_util::BodyExt;
        serde_json::from_slice(&stats.into_body().collect().await.unwrap().to_bytes()).unwrap()
    };
    assert_eq!(stats["last_event_ids"], json!([null, one]));
    assert_eq!(stats["connections"], 2);
    assert_eq!(stats["subscribers"], 1);
    app.shutdown.trigger();
}

/// `Last-Event-ID` is UTF-8 (C17): a client resuming from a non-ASCII id is replayed what
/// it missed, not served as a new client.
#[tokio::test]
async fn a_non_ascii_last_event_id_is_replayed_from() {
    let (addr, app) = start().await;
    post_json(
        addr,
        "/publish",
        r#"{"event":"t","data":"one","id":"café-1"}"#,
    )
    .await;
    post_json(
        addr,
        "/publish",
        r#"{"event":"t","data":"two","id":"café-2"}"#,
    )
    .await;
    let resumed = request(addr, "GET", "/events", &[("last-event-id", "café-1")], "").await;
    let mut resumed = Reader::new(resumed);
    assert_eq!(resumed.next_event().await, event("t", "two", "café-2"));
    app.shutdown.trigger();
}

#[tokio::test]
async fn cors_preflight_and_the_page() {
    let (addr, app) = start().await;
    let preflight = request(addr, "OPTIONS", "/publish", &[("origin", "http://x")], "").await;
    assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    let page = request(addr, "GET", "/", &[], "").await;
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = {
        use http_body_util::BodyExt;
        page.into_body().collect().await.unwrap().to_bytes()
    };
    assert!(std::str::from_utf8(&html)
        .unwrap()
        .contains("new EventSource("));
    app.shutdown.trigger();
}

/// The example binary, which `cargo test` builds beside the tests.
fn example_binary() -> Option<std::path::PathBuf> {
    let deps = std::env::current_exe().ok()?.parent()?.to_path_buf();
    let binary = deps.parent()?.join("examples").join("broadcast-server");
    binary.exists().then_some(binary)
}

#[tokio::test]
async fn the_binary_serves_on_127_0_0_1_and_exits_by_itself() {
    let Some(binary) = example_binary() else {
        // Built by `cargo test` (all targets) but not by `cargo test --test serve_publish`.
        assert!(
            std::env::var("CI").is_err(),
            "the broadcast-server example was not built"
        );
        eprintln!("skipped: run `cargo test --features axum` to build the example");
        return;
    };
    let mut child = tokio::process::Command::new(binary)
        .args([
            "--port",
            "0",
            "--for",
            "2",
            "--heartbeat",
            "1",
            "--retry",
            "0",
        ])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stdout));
    let first = tokio::time::timeout(support::PATIENCE, lines.next_line())
        .await
        .expect("it says where it listens")
        .unwrap()
        .unwrap();
    let addr = first.strip_prefix("listening on http://").expect(&first);
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    let addr = addr.parse().unwrap();
    let mut reader = Reader::new(request(addr, "GET", "/events", &[], "").await);
    let (status, answer) = post_json(addr, "/publish", r#"{"event":"t","data":"hi"}"#).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = generated_id(&answer, 1);
    assert_eq!(reader.next_event().await, event("t", "hi", &id));
    // --for 2: the open stream gets the closing comment and ends, then the process exits 0.
    // (Keep-alive comments, one a second, may come first.)
    let mut seen = reader.next().await;
    for _ in 0..10 {
        if seen != Seen::Comment(String::new()) {
            break;
        }
        seen = reader.next().await;
    }
    assert_eq!(seen, Seen::Comment("shutdown".into()));
    assert_eq!(reader.next().await, Seen::End);
    let status = tokio::time::timeout(support::PATIENCE, child.wait())
        .await
        .expect("exits by itself")
        .unwrap();
    assert!(status.success());
    while let Ok(Some(_)) = lines.next_line().await {} // drain what it printed
}
