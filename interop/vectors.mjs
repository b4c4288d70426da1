// The conformance vectors read by three SSE implementations that are not ours: Debian's
// Chromium (headless, driven by playwright-core) and the npm `eventsource` package, both
// EventSources, and Python's `httpx-sse`. Checks that the events each gives (type, data,
// lastEventId) are the vectors' expected events, in order: for a parser vector
// (spec-vectors/parser/*.json) those of its input; for a writer vector
// (spec-vectors/writer/*.json) those its written bytes decode to, so a browser reads back
// what sse-proto writes. After most parser vectors the EventSources reconnect, and the
// `Last-Event-ID` they send must be the vector's final last event ID.
//
//   node interop/vectors.mjs [--streams FILE] [chromium|node|httpx-sse ...]
//
// A server on 127.0.0.1 answers `/v/N` with vector N's input as `text/event-stream`, then
// closes; each EventSource client opens one EventSource per vector, records what it
// dispatches until the connection ends (the first error that is not a server-sent `error`
// event), and closes it (reconnection is not part of this check). `httpx-sse` reads each
// input as a response body in memory (`httpx_sse_events.py`). The vectors that set a
// decoder limit or a starting last event ID are left out: an EventSource has neither.
// Prints one JSON line per implementation and vector that disagrees (with the reason, for
// a departure known below), then a summary line per implementation; exits 0 when every
// disagreement is a known one, 1 otherwise, and stops itself after 120 seconds. With
// `--streams FILE` it runs the streams of FILE instead (below).
import { readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:http";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// `eventsource` arms its reconnection timer with the vectors' huge `retry` values before
// the source is closed, and Node warns that they do not fit a timer: expected, not news.
process.removeAllListeners("warning");
process.on("warning", (warning) => {
  if (warning.name !== "TimeoutOverflowWarning") console.error(String(warning));
});
// `--streams FILE`: instead of the vectors, the streams of FILE ({"types": [...],
// "streams": [base64, ...], "reconnect": [bool, ...]}), listening for those event types;
// prints what each implementation gives for each stream, one JSON line per implementation
// ({implementation, version, results, reconnect_checked, last_event_ids}: whether the
// reconnection after each stream was checked — asked for by `reconnect` and possible, see
// `headerAfter` — and the Last-Event-ID it carried, "" for none, null if it did not come
// back or was not checked), and compares nothing (the caller does).
let args = process.argv.slice(2);
let streamsFile;
if (args[0] === "--streams") {
  streamsFile = args[1];
  args = args.slice(2);
}
const wanted = args.length ? args : ["chromium", "node", "httpx-sse"];
setTimeout(() => {
  console.error("vectors.mjs: gave up after 120 s");
  process.exit(1);
}, 120000).unref();

// ---------------------------------------------------------------------------------------
// Where each implementation is known to depart from the vectors (and from WHATWG HTML
// §9.2): a listed vector that disagrees is reported but does not fail the run; one that
// now agrees is reported too (the list wants updating). Any other disagreement fails.

const CR_AT_END =
  "a CR ending the stream ends no line: eventsource-parser holds a final CR to see " +
  "whether an LF follows and drops it at the end, so a block whose blank line (or last " +
  "line) ends with it is never dispatched (WHATWG: CR is a line end, and nothing follows " +
  "the end of the stream)";
const BLOCK_ID_ONLY =
  "an event's lastEventId is the id field of its own block, \"\" when the block has " +
  "none, not the last event ID (eventsource 4.1.1 dist/index.js: `lastEventId: event.id " +
  "|| \"\"`; WHATWG §9.2.6 sets it from the last event ID string, as its reconnect header " +
  "does)";
const PHANTOM =
  "a block without data still yields an event, with data \"\": any block that sets an " +
  "event type, an id or a retry time, or that the stream's end cuts (WHATWG §9.2.6: with " +
  "an empty data buffer, nothing is dispatched; httpx-sse 0.4.3 _decoders.py dispatches " +
  "unless type, data, id and retry are all unset)";
const BOM_KEPT =
  "a leading BOM is not stripped (the body is decoded as `utf-8`, not `utf-8-sig`), so " +
  "the first field name starts with U+FEFF and is unknown (WHATWG §9.2.5: one leading BOM " +
  "is dropped)";
const ID_ONLY_BLOCK =
  "a block with an id but no data does not set the last event ID, so a reconnection " +
  "sends an older one (eventsource-parser reports ids only with events; WHATWG §9.2.6 " +
  "sets the last event ID at every blank line, before the data check)";
const NON_LATIN1_ID =
  "a last event ID with a character beyond U+00FF is never sent: the reconnection's " +
  "fetch rejects it as a header value, and the EventSource does not come back (a " +
  "browser sends it as UTF-8)";
const byName = (names, reason) => Object.fromEntries(names.map((name) => [name, reason]));
const KNOWN = {
  "httpx-sse": {
    ...byName([
      "no-data-no-dispatch", "event-type-reset-by-block-without-data",
      "retry-only-block-no-event", "metadata-only-blocks-no-events",
      "comment-and-id-block-no-phantom-event", "id-nul-only-does-not-reset",
      "id-only-block-commits", "id-only-block-then-event", "id-valid-then-nul-in-same-block",
      "id-with-event-type-no-data", "id-only-blocks-reset-sequence",
      "id-same-value-surfaced-again", "id-with-data-no-last-event-id-item",
      "trap-nul-id-ignored", "trap-retry-plus-sign", "trap-retry-trailing-space",
      "trap-retry-empty", "trap-retry-leading-zeros", "trap-retry-underscore",
      "trap-retry-only-block-surfaced", "trap-empty-data-no-dispatch",
      "trap-phantom-event-comment-and-id", "trap-event-only-block-no-dispatch",
      "trap-incomplete-block-id-not-committed", "trap-id-only-block-updates-last-id",
      "trap-retry-digits-non-ascii", "retry-valid", "retry-no-space",
      "retry-two-spaces-ignored", "retry-trailing-space-ignored", "retry-plus-sign-ignored",
      "retry-minus-sign-ignored", "retry-underscore-ignored", "retry-tab-ignored",
      "retry-non-ascii-digits-ignored", "retry-empty-ignored", "retry-overflow-ignored",
      "retry-huge-overflow-ignored", "retry-u64-max-accepted", "retry-leading-zeros-decimal",
      "retry-many-leading-zeros-no-overflow", "retry-zero", "retry-only-block-then-event",
      "retry-each-valid-value-reported", "retry-invalid-keeps-previous", "writer:retry",
      "writer:retry-zero", "writer:last-event-id", "writer:last-event-id-then-event",
      "writer:stream-of-blocks", "writer:peer-async-sse-retry-milliseconds",
    ], PHANTOM),
    ...byName([
      "bom-stripped-at-start", "bom-then-crlf-stream", "bom-then-field-without-colon",
      "bom-then-multibyte-data", "trap-leading-bom-no-panic",
      "trap-bom-stripped-once-not-on-later-lines", "trap-bom-split-empty-first-chunk",
    ], BOM_KEPT),
  },
  chromium: {
    "bom-then-empty-line":
      "after the stripped BOM, the LF right after it does not end a line, so `data: a` " +
      "joins an unknown field and nothing is dispatched (WHATWG: the BOM is stripped, then " +
      "the LF ends an empty first line)",
  },
  node: {
    "cr-cr-at-end-dispatches": CR_AT_END,
    "cr-line-endings": CR_AT_END,
    "repeated-cr-blank-lines-no-phantom-events": CR_AT_END,
    "cr-blank-line-at-end-of-stream": CR_AT_END,
    "cr-terminated-line-then-lf-chunk": CR_AT_END,
    "trap-cr-blank-line-not-held": CR_AT_END,
    "trap-lf-cr-boundary": CR_AT_END,
    "invalid-truncated-before-cr": CR_AT_END,
    "id-sticky-across-events": BLOCK_ID_ONLY,
    "id-with-nul-ignored": BLOCK_ID_ONLY,
    "id-only-block-then-event": BLOCK_ID_ONLY,
    "trap-nul-id-ignored": BLOCK_ID_ONLY,
    "trap-last-event-id-persists": BLOCK_ID_ONLY,
    "trap-phantom-event-comment-and-id": BLOCK_ID_ONLY,
    "writer:last-event-id-then-event": BLOCK_ID_ONLY,
    "writer:event-id-is-sticky": BLOCK_ID_ONLY,
    ...byName([
      "comment-and-id-block-no-phantom-event", "id-nul-only-does-not-reset",
      "id-only-block-commits", "id-valid-then-nul-in-same-block",
      "id-with-event-type-no-data", "id-same-value-surfaced-again",
      "id-with-data-no-last-event-id-item", "trap-incomplete-block-id-not-committed",
      "trap-id-only-block-updates-last-id",
    ], ID_ONLY_BLOCK),
    ...byName([
      "id-non-ascii", "utf8-emoji-split-anywhere", "invalid-utf8-in-id",
      "trap-invalid-utf8-replaced-not-error",
    ], NON_LATIN1_ID),
  },
};

// ---------------------------------------------------------------------------------------
// The vectors an EventSource can run, with their input bytes and expected events.

// Bytes given as hex pairs, spaces allowed (`input_hex`, `expected_hex`).
const fromHex = (hex) => Buffer.from(hex.replace(/\s+/g, ""), "hex");

function inputBytes(vector) {
  if (vector.input !== undefined) return Buffer.from(vector.input, "utf8");
  if (vector.input_hex !== undefined) return fromHex(vector.input_hex);
  return Buffer.from(vector.input_base64, "base64");
}

const LIMITS = ["max_line_len", "max_event_len", "max_id_len", "initial_last_event_id"];
const vectors = [];
let skipped = 0;
function add(name, file, bytes, items, header) {
  const expected = items
    .filter((item) => item.kind === "event")
    .map((e) => ({ type: e.type, data: e.data, lastEventId: e.id }));
  // An EventSource hands an event only to listeners of its type: listen for every type
  // the vector expects (a type nobody expected then shows as a missing event).
  const types = [...new Set(["message", ...expected.map((e) => e.type)])];
  vectors.push({ name, file, bytes, expected, types, header });
}
// The `Last-Event-ID` a reconnection after a parser vector's stream must send (its
// `final.last_event_id`; "" is no header, WHATWG §9.2.4), when it is checked: not after a
// vector that sets a reconnection time (the wait), nor one that starts with a BOM or
// part of one (the `retry: 0` block put first, below, would move it off byte 0), nor one
// with a `retry` field whose value is empty: Chromium takes that as its default time
// (3 s) where the vectors ignore it (decision D1 of RULES.md: an empty value gives no
// integer; `retry-empty-ignored`), and would come back too late.
const hasEmptyRetry = (bytes) =>
  bytes.toString("latin1").split(/\r\n|\r|\n/).some((line) => /^retry(: ?)?$/.test(line));
const reconnectable = (bytes) => bytes[0] !== 0xef && !hasEmptyRetry(bytes);
function headerAfter(vector, bytes) {
  if (vector.final.retry !== null || !reconnectable(bytes)) return undefined;
  // HTTP drops a field value's leading and trailing spaces and tabs (RFC 9110 §5.5), so
  // no client can send those of an id, and no server would see them.
  return vector.final.last_event_id.replace(/^[ \t]+|[ \t]+$/g, "");
}
const jsonFiles = (suite) =>
  readdirSync(join(root, "spec-vectors", suite))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => [`${suite}/${f}`, JSON.parse(readFileSync(join(root, "spec-vectors", suite, f), "utf8"))]);
if (streamsFile !== undefined) {
  const { types, streams, reconnect = [] } = JSON.parse(readFileSync(streamsFile, "utf8"));
  streams.forEach((stream, i) => {
    const bytes = Buffer.from(stream, "base64");
    vectors.push({
      name: `stream-${i}`, file: "streams", bytes,
      expected: null, types: [...new Set(["message", ...types])],
      // `null`: reconnect after this stream and report the Last-Event-ID sent; asked for,
      // and possible here (see `headerAfter`).
      header: reconnect[i] && reconnectable(bytes) ? null : undefined,
    });
  });
}
// Parser vectors: the input, and the events expected from it.
for (const [file, { vectors: list }] of streamsFile === undefined ? jsonFiles("parser") : []) {
  for (const vector of list) {
    if (LIMITS.some((key) => vector.config?.[key] !== undefined)) skipped += 1;
    else {
      const bytes = inputBytes(vector);
      add(vector.name, file, bytes, vector.expected, headerAfter(vector, bytes));
    }
  }
}
// Writer vectors: the bytes written, and the events a parser gets back from them (the
// writer's output read by a browser). Those that must be refused write nothing.
for (const [file, { vectors: list }] of streamsFile === undefined ? jsonFiles("writer") : []) {
  for (const vector of list) {
    if (vector.expected === undefined) continue;
    const bytes = vector.expected_hex !== undefined
      ? fromHex(vector.expected_hex)
      : Buffer.from(vector.expected, "utf8");
    add(`writer:${vector.name}`, file, bytes, vector.decoded);
  }
}

// ---------------------------------------------------------------------------------------
// The server: `/v/N` is vector N, `/page` an empty page for the browser. For a vector
// whose reconnection is checked, the first request gets `retry: 0` and the stream (so the
// client comes back at once), the second is recorded in `lastEventIds` and answered 204,
// which ends the EventSource (WHATWG §9.2.3).

const lastEventIds = new Map();
const served = new Map();
const RETRY_AT_ONCE = Buffer.from("retry: 0\n\n");
const server = createServer((request, response) => {
  const match = /^\/v\/(\d+)$/.exec(request.url ?? "");
  const index = match ? Number(match[1]) : -1;
  const vector = vectors[index];
  if (vector) {
    const times = (served.get(index) ?? 0) + 1;
    served.set(index, times);
    if (times > 1) {
      // Node reads header bytes as Latin-1; a browser sends the id as UTF-8.
      const sent = Buffer.from(request.headers["last-event-id"] ?? "", "latin1");
      lastEventIds.set(index, sent.toString("utf8"));
      response.writeHead(204);
      response.end();
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
    const checked = vector.header !== undefined;
    response.end(checked ? Buffer.concat([RETRY_AT_ONCE, vector.bytes]) : vector.bytes);
  } else if (request.url === "/page") {
    response.writeHead(200, { "content-type": "text/html" });
    response.end("<!doctype html><title>vectors</title>");
  } else {
    response.writeHead(404);
    response.end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

// Runs every vector through `EventSourceClass` at `base`, one at a time; returns the
// events each dispatched. The same function runs in Node and, serialised, in the page.
async function readAll(EventSourceClass, base, plan) {
  const results = [];
  for (const { index, types, reconnect } of plan) {
    results.push(
      await new Promise((resolve) => {
        const got = [];
        const source = new EventSourceClass(`${base}/v/${index}`);
        // Server-sent events are MessageEvents (with `data`); the EventSource's own `open`
        // and `error` events, which share those names, are not.
        const record = (event) => {
          if (typeof event.data === "string") {
            got.push({ type: event.type, data: event.data, lastEventId: event.lastEventId });
          }
        };
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          source.close();
          resolve(got);
        };
        for (const type of types) {
          if (type !== "error") source.addEventListener(type, record);
        }
        // The end of a connection is an `error` event that is not a MessageEvent; where
        // the reconnection is checked, the EventSource ends (CLOSED, 2) at the 204 after it.
        source.addEventListener("error", (event) => {
          if (typeof event.data === "string") {
            if (types.includes("error")) record(event);
          } else if (!reconnect || source.readyState === 2) {
            finish();
          }
        });
        // A bound on each vector: an EventSource that never comes back (eventsource with an id
        // it cannot send) ends here.
        setTimeout(finish, 3000);
      }),
    );
  }
  return results;
}

// httpx-sse does not reconnect: only the two EventSources' reconnections are checked.
const reconnects = (implementation) => implementation !== "httpx-sse";
const planFor = (implementation) =>
  vectors.map((v, index) => ({
    index, types: v.types, reconnect: reconnects(implementation) && v.header !== undefined,
  }));

async function viaNode() {
  const { EventSource } = await import("eventsource");
  const manifest = join(root, "interop/node_modules/eventsource/package.json");
  const version = `eventsource ${JSON.parse(readFileSync(manifest, "utf8")).version}`;
  return { version, results: await readAll(EventSource, origin, planFor("node")) };
}

// Python's `httpx-sse` (not an EventSource: it yields the blocks it parses), run by
// `httpx_sse_events.py` on every stream at once.
async function viaHttpxSse() {
  const { spawnSync } = await import("node:child_process");
  const run = spawnSync("python3", [join(root, "interop/httpx_sse_events.py")], {
    input: JSON.stringify(vectors.map((v) => v.bytes.toString("base64"))),
    encoding: "utf8",
    timeout: 60000,
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0) throw new Error(`httpx_sse_events.py failed: ${run.stderr ?? run.error}`);
  return JSON.parse(run.stdout);
}

async function viaChromium() {
  const { withChromium } = await import("./chromium.mjs");
  return withChromium(async (page, version) => {
    await page.goto(`${origin}/page`);
    const run = new Function("plan", `return (${readAll.toString()})(EventSource, "", plan);`);
    return { version, results: await page.evaluate(run, planFor("chromium")) };
  });
}

// ---------------------------------------------------------------------------------------
// Compare.

let failed = false;
for (const implementation of wanted) {
  const read = { chromium: viaChromium, node: viaNode, "httpx-sse": viaHttpxSse }[implementation];
  if (!read) {
    console.error(`unknown implementation ${implementation} (chromium, node or httpx-sse)`);
    process.exit(2);
  }
  lastEventIds.clear();
  served.clear();
  const { version, results } = await read();
  if (streamsFile !== undefined) {
    const checked = vectors.map((v) => v.header !== undefined);
    const sent = vectors.map((v, i) => (checked[i] ? lastEventIds.get(i) ?? null : null));
    console.log(JSON.stringify({
      implementation, version, results, reconnect_checked: checked, last_event_ids: sent,
    }));
    continue;
  }
  const known = KNOWN[implementation];
  let agree = 0;
  let departs = 0;
  let reconnections = 0;
  vectors.forEach((vector, i) => {
    const checkHeader = reconnects(implementation) && vector.header !== undefined;
    if (checkHeader) reconnections += 1;
    const sameHeader = !checkHeader || lastEventIds.get(i) === vector.header;
    const same = sameHeader && JSON.stringify(results[i]) === JSON.stringify(vector.expected);
    const reason = known[vector.name];
    if (same) agree += 1;
    if (same && reason) {
      console.log(JSON.stringify({ implementation, vector: vector.name, note: "now agrees: take it off the known list" }));
    } else if (!same) {
      if (reason) departs += 1;
      else failed = true;
      console.log(JSON.stringify({
        implementation, vector: vector.name, file: vector.file,
        known: reason ?? "NO: an unexplained disagreement",
        expected: vector.expected, got: results[i],
        ...(sameHeader ? {} : { expected_last_event_id: vector.header, sent: lastEventIds.get(i) ?? null }),
      }));
    }
  });
  if (vectors.length === 0) failed = true;
  console.log(JSON.stringify({
    implementation, version, vectors: vectors.length,
    parser_vectors: vectors.filter((v) => v.file.startsWith("parser/")).length,
    writer_vectors: vectors.filter((v) => v.file.startsWith("writer/")).length,
    reconnections_checked: reconnections, agree, known_departures: departs,
    unexplained: vectors.length - agree - departs, skipped_for_limits: skipped,
  }));
}
server.close();
process.exit(failed ? 1 : 0);
