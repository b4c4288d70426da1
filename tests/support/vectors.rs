//! Loading `spec-vectors/parser/*.json` (format: spec-vectors/README.md).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use crate::json::{self, Json};

/// One parser vector.
pub struct ParserVector {
    pub file: String,
    pub name: String,
    pub rules: Vec<String>,
    pub input: Vec<u8>,
    pub initial_last_event_id: Option<String>,
    pub max_line_len: Option<usize>,
    pub max_event_len: Option<usize>,
    pub max_id_len: Option<usize>,
    pub unknown_fields: bool,
    /// Expected items in the canonical one-line JSON form of `examples/support/items.rs`.
    pub expected: Vec<String>,
    pub final_last_event_id: String,
    pub final_retry: Option<u64>,
}

impl ParserVector {
    pub fn has_limits(&self) -> bool {
        self.max_line_len.is_some() || self.max_event_len.is_some() || self.max_id_len.is_some()
    }
}

pub fn vectors_dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("spec-vectors")
        .join(kind)
}

/// Every `*.json` file in a vector folder, sorted, as (file name, parsed document).
pub fn load_files(kind: &str) -> Vec<(String, Json)> {
    let dir = vectors_dir(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let doc = Json::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                doc,
            )
        })
        .collect()
}

fn str_member(v: &Json, key: &str, ctx: &str) -> String {
    v.get(key)
        .and_then(Json::as_str)
        .unwrap_or_else(|| panic!("{ctx}: `{key}` must be a string"))
        .to_string()
}

/// The canonical one-line form of an expected item (same member order as `items.rs`).
pub fn canonical_item(item: &Json, ctx: &str) -> String {
    let kind = str_member(item, "kind", ctx);
    let s = |key: &str| json::string(&str_member(item, key, ctx));
    match kind.as_str() {
        "event" => format!(
            r#"{{"kind":"event","type":{},"data":{},"id":{}}}"#,
            s("type"),
            s("data"),
            s("id")
        ),
        "retry" => {
            let ms = item
                .get("ms")
                .and_then(Json::as_u64)
                .unwrap_or_else(|| panic!("{ctx}: retry.ms"));
            format!(r#"{{"kind":"retry","ms":{ms}}}"#)
        }
        "comment" => format!(r#"{{"kind":"comment","text":{}}}"#, s("text")),
        "last_event_id" => format!(r#"{{"kind":"last_event_id","id":{}}}"#, s("id")),
        "unknown_field" => format!(
            r#"{{"kind":"unknown_field","name":{},"value":{}}}"#,
            s("name"),
            s("value")
        ),
        "dropped" => format!(r#"{{"kind":"dropped","reason":{}}}"#, s("reason")),
        "truncated" => r#"{"kind":"truncated"}"#.to_string(),
        other => panic!("{ctx}: unknown item kind {other:?}"),
    }
}

pub fn load_parser_vectors() -> Vec<ParserVector> {
    let mut out = Vec::new();
    for (file, doc) in load_files("parser") {
        let list = doc
            .get("vectors")
            .and_then(Json::as_array)
            .unwrap_or_else(|| panic!("{file}: no `vectors` array"));
        for v in list {
            let name = str_member(v, "name", &file);
            let ctx = format!("{file}: {name}");
            let input = if let Some(text) = v.get("input").and_then(Json::as_str) {
                text.as_bytes().to_vec()
            } else if let Some(hex) = v.get("input_hex").and_then(Json::as_str) {
                json::hex(hex).unwrap_or_else(|e| panic!("{ctx}: input_hex: {e}"))
            } else if let Some(b64) = v.get("input_base64").and_then(Json::as_str) {
                json::base64(b64).unwrap_or_else(|e| panic!("{ctx}: input_base64: {e}"))
            } else {
                panic!("{ctx}: no input, input_hex or input_base64")
            };
            let rules = v
                .get("rules")
                .and_then(Json::as_array)
                .unwrap_or_else(|| panic!("{ctx}: rules"))
                .iter()
                .map(|r| {
                    r.as_str()
                        .unwrap_or_else(|| panic!("{ctx}: rule ids are strings"))
                        .to_string()
                })
                .collect::<Vec<_>>();
            assert!(!rules.is_empty(), "{ctx}: cites no rule");
            let config = v.get("config");
            let cfg_usize = |key: &str| {
                config
                    .and_then(|c| c.get(key))
                    .map(|n| n.as_u64().unwrap_or_else(|| panic!("{ctx}: config.{key}")) as usize)
            };
            let expected = v
                .get("expected")
                .and_then(Json::as_array)
                .unwrap_or_else(|| panic!("{ctx}: expected"))
                .iter()
                .map(|item| canonical_item(item, &ctx))
                .collect();
            let fin = v.get("final").unwrap_or_else(|| panic!("{ctx}: final"));
            out.push(ParserVector {
                file: file.clone(),
                rules,
                input,
                initial_last_event_id: config.and_then(|c| c.get("initial_last_event_id")).map(
                    |s| {
                        s.as_str()
                            .unwrap_or_else(|| panic!("{ctx}: initial_last_event_id"))
                            .to_string()
                    },
                ),
                max_line_len: cfg_usize("max_line_len"),
                max_event_len: cfg_usize("max_event_len"),
                max_id_len: cfg_usize("max_id_len"),
                unknown_fields: config
                    .and_then(|c| c.get("unknown_fields"))
                    .and_then(Json::as_bool)
                    .unwrap_or(false),
                expected,
                final_last_event_id: str_member(fin, "last_event_id", &ctx),
                final_retry: match fin.get("retry") {
                    Some(Json::Null) | None => None,
                    Some(n) => Some(n.as_u64().unwrap_or_else(|| panic!("{ctx}: final.retry"))),
                },
                name,
            });
        }
    }
    out
}
