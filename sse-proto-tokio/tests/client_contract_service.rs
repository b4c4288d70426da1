//! The `contract-service` example, run as a program on 127.0.0.1 and driven the way
//! LaunchDarkly's `sse-contract-tests` harness drives it: capabilities, create a stream,
//! callbacks in order (event, comment, error), restart, unknown command and stream,
//! delete, and exit. Real time, every wait bounded.
#![cfg(feature = "reqwest")]

mod script_server;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use script_server::{closed_port, Reply, Seen, Server};
use serde_json::{json, Value};

/// `target/<profile>/examples/contract-service`, built by `cargo test` with this test.
/// Run alone (`cargo test --test client_contract_service`), cargo does not rebuild the
/// example: build it first (`cargo build -p sse-proto-tokio --all-features --example
/// contract-service`), or this tests the last one built.
fn service_exe() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target dir");
    dir.join("examples").join("contract-service")
}

/// Kills the service if the test fails before it exits by itself.
struct Service(Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits (bounded) until the callback server has seen `n` callbacks.
async fn callbacks(server: &Server, n: usize) -> Vec<Seen> {
    for _ in 0..200 {
        let seen = server.seen();
        if seen.len() >= n {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("expected {n} callbacks, got {:?}", server.seen());
}

fn json_of(seen: &Seen) -> Value {
    serde_json::from_slice(&seen.body).expect("a JSON callback")
}

#[tokio::test]
async fn the_harness_protocol() {
    let port = closed_port().await;
    let mut service = Service(
        Command::new(service_exe())
            .args(["--port", &port.to_string()])
            .stderr(Stdio::null())
            .spawn()
            .expect("the example was built by cargo test"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();

    // GET /: the capabilities (the service may take a moment to listen).
    let mut status = None;
    for _ in 0..200 {
        if let Ok(response) = http.get(&base).send().await {
            status = Some(response.text().await.unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let status: Value = serde_json::from_str(&status.expect("the service answers")).unwrap();
    let capabilities = status["capabilities"].as_array().unwrap();
    for capability in [
        "comments",
        "headers",
        "last-event-id",
        "post",
        "report",
        "read-timeout",
        "restart",
        "bom",
        "server-directed-shutdown-request",
    ] {
        assert!(
            capabilities.contains(&json!(capability)),
            "{capability} missing"
        );
    }

    // POST /: a stream (REPORT with a body and a header), reporting to the callback server.
    // The second connection ends cleanly and is reconnected: the service keeps
    // LaunchDarkly's clients' policy (reconnect after every end), not this crate's default
    // for a request with a body (reconnect only after a failure).
    let stream = Server::sequence(vec![
        Reply::sse("id: 1\ndata: hello\n\n: note\n\n").hang(),
        Reply::sse("data: again\n\n"),
        Reply::status(404).send("gone"),
    ])
    .await;
    let callback = Server::always(Reply::status(202)).await;
    let created = http
        .post(&base)
        .body(
            json!({
                "streamUrl": stream.url("/stream"),
                "callbackUrl": callback.url("/cb"),
                "tag": "protocol test",
                "initialDelayMs": 0,
                "headers": {"x-test": "yes", "content-type": "application/json"},
                "method": "REPORT",
                "body": "{\"q\":1}",
            })
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_string();

    let seen = callbacks(&callback, 2).await;
    assert_eq!(seen[0].path, "/cb/1");
    assert_eq!(
        json_of(&seen[0]),
        json!({"kind": "event", "event": {"type": "message", "data": "hello", "id": "1"}})
    );
    assert_eq!(seen[1].path, "/cb/2");
    assert_eq!(
        json_of(&seen[1]),
        json!({"kind": "comment", "comment": "note"})
    );
    let request = &stream.seen()[0];
    assert_eq!(
        (request.method.as_str(), &request.body[..]),
        ("REPORT", &b"{\"q\":1}"[..])
    );
    assert_eq!(request.header("x-test"), Some("yes"));

    // restart: reconnects now, with Last-Event-ID (no error: the caller asked). That
    // stream ends (an error callback, then a reconnect) and the next answers 404 (an error
    // callback naming it, and the end).
    let command = |body: &str, path: &str| {
        http.post(format!("{base}{path}"))
            .body(body.to_string())
            .send()
    };
    let restarted = command(r#"{"command":"restart"}"#, &location)
        .await
        .unwrap();
    assert!(restarted.status().is_success());
    let seen = callbacks(&callback, 5).await;
    assert_eq!(json_of(&seen[2])["event"]["data"], "again");
    assert_eq!(stream.seen()[1].header("last-event-id"), Some("1"));
    for (n, seen) in seen.iter().enumerate().skip(3) {
        let message = json_of(seen);
        assert_eq!(seen.path, format!("/cb/{}", n + 1));
        assert_eq!(message["kind"], "error");
        assert_eq!(message["error"], message["comment"]);
    }
    assert!(json_of(&seen[4])["error"].as_str().unwrap().contains("404"));
    assert_eq!(seen.len(), 5);

    assert_eq!(
        command(r#"{"command":"dance"}"#, &location)
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        command(r#"{"command":"restart"}"#, "/streams/999")
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        http.post(&base)
            .body("{\"nope\":1}")
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
    let delete = |path: String| http.delete(format!("{base}{path}")).send();
    assert_eq!(delete("/streams/999".into()).await.unwrap().status(), 404);
    assert!(delete(location.clone())
        .await
        .unwrap()
        .status()
        .is_success());
    assert_eq!(delete(location).await.unwrap().status(), 404);

    // DELETE /: the service exits by itself.
    assert!(delete(String::new()).await.unwrap().status().is_success());
    for _ in 0..200 {
        if let Some(exit) = service.0.try_wait().unwrap() {
            assert!(exit.success(), "{exit:?}");
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the service did not exit");
}
