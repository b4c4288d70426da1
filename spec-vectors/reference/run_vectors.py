#!/usr/bin/env python3
"""Validates and runs every `spec-vectors/parser/*.json` against the reference parser.

    python3 spec-vectors/reference/run_vectors.py [-v] [--format]

Checks, per file and vector:
  * the schema of README.md (required members, one input form, known config members,
    known item kinds with exactly their members, `truncated` at most once and last),
  * names unique across files and kebab-case, rule ids known (P1-P24, C1-C31, D1-D12, S1-S4),
  * the canonical layout written by `--format` (2-space JSON, one item per line),
  * the result of the reference parser with the input fed whole, one byte at a time and
    split in two at every position 0..len,
  * that every required rule is cited by at least one vector.
Exits 1 on any problem; the last line is the summary `parser vectors: N passed, M failed`.
`--format` rewrites the files in the canonical layout first (content unchanged).
"""

import base64
import binascii
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep the tree clean
sys.path.insert(0, HERE)
from sse_reference import Parser  # noqa: E402

PARSER_DIR = os.path.join(os.path.dirname(HERE), "parser")

RULE_IDS = (
    ["P%d" % i for i in range(1, 25)] + ["C%d" % i for i in range(1, 32)]
    + ["D%d" % i for i in range(1, 13)] + ["S%d" % i for i in range(1, 5)]
)
RULE_ORDER = {r: i for i, r in enumerate(RULE_IDS)}
# Rules the parser suite must cite (D7, D10, D11 are client decisions, P22-P24 writer/advice).
REQUIRED = (["P%d" % i for i in range(1, 22)]
            + ["D1", "D2", "D3", "D4", "D5", "D6", "D8", "D9"]
            + ["S1", "S2", "S3", "S4"])

VECTOR_KEYS = ["name", "rules", "description", "input", "input_hex", "input_base64",
               "config", "expected", "final"]
INPUT_KEYS = ["input", "input_hex", "input_base64"]
CONFIG_TYPES = {"initial_last_event_id": str, "max_line_len": int, "max_event_len": int,
                "max_id_len": int,
                "unknown_fields": bool}
ITEM_MEMBERS = {
    "event": {"type": str, "data": str, "id": str},
    "retry": {"ms": int},
    "comment": {"text": str},
    "last_event_id": {"id": str},
    "unknown_field": {"name": str, "value": str},
    "dropped": {"reason": str},
    "truncated": {},
}
ITEM_KEY_ORDER = ["kind", "type", "data", "id", "ms", "text", "name", "value", "reason"]
DROP_REASONS = ("line_too_long", "event_too_large", "id_too_long")
NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


# ----- canonical layout ------------------------------------------------------------------

def _j(value):
    return json.dumps(value, ensure_ascii=True)


def _obj_line(obj, order):
    keys = sorted(obj, key=lambda k: order.index(k) if k in order else len(order))
    return "{" + ", ".join("%s: %s" % (_j(k), _j(obj[k])) for k in keys) + "}"


def canonical(doc):
    out = ['{', '  "vectors": [']
    vectors = doc["vectors"]
    for n, v in enumerate(vectors):
        lines = []
        for key in sorted(v, key=lambda k: VECTOR_KEYS.index(k) if k in VECTOR_KEYS else 99):
            value = v[key]
            if key == "rules":
                rules = sorted(value, key=lambda r: RULE_ORDER.get(r, 999))
                lines.append('      "rules": [%s]' % ", ".join(_j(r) for r in rules))
            elif key == "config":
                lines.append('      "config": %s' % _obj_line(
                    value, ["initial_last_event_id", "max_line_len", "max_event_len",
                            "max_id_len", "unknown_fields"]))
            elif key == "final":
                lines.append('      "final": %s' % _obj_line(value, ["last_event_id", "retry"]))
            elif key == "expected":
                if not value:
                    lines.append('      "expected": []')
                else:
                    items = ",\n".join("        " + _obj_line(i, ITEM_KEY_ORDER) for i in value)
                    lines.append('      "expected": [\n%s\n      ]' % items)
            else:
                lines.append('      %s: %s' % (_j(key), _j(value)))
        out.append("    {\n" + ",\n".join(lines) + "\n    }" + ("," if n + 1 < len(vectors) else ""))
    out.append("  ]")
    out.append("}")
    return "\n".join(out) + "\n"


# ----- schema ----------------------------------------------------------------------------

def input_bytes(v):
    if "input" in v:
        return v["input"].encode("utf-8")  # raises on lone surrogates
    if "input_hex" in v:
        return binascii.unhexlify(re.sub(r"\s+", "", v["input_hex"]))
    return base64.b64decode(v["input_base64"], validate=True)


def check_item(item, where, errors):
    if not isinstance(item, dict) or item.get("kind") not in ITEM_MEMBERS:
        errors.append("%s: unknown item %r" % (where, item))
        return
    members = ITEM_MEMBERS[item["kind"]]
    extra = set(item) - set(members) - {"kind"}
    missing = set(members) - set(item)
    if extra or missing:
        errors.append("%s: %s item has extra %s / missing %s"
                      % (where, item["kind"], sorted(extra), sorted(missing)))
        return
    for key, typ in members.items():
        if not isinstance(item[key], typ) or isinstance(item[key], bool):
            errors.append("%s: %s.%s must be %s" % (where, item["kind"], key, typ.__name__))
    if item["kind"] == "retry" and not (0 <= item["ms"] < 2 ** 64):
        errors.append("%s: retry.ms out of u64 range" % where)
    if item["kind"] == "dropped" and item["reason"] not in DROP_REASONS:
        errors.append("%s: unknown dropped reason %r" % (where, item["reason"]))


def check_vector(v, where, errors):
    if not isinstance(v, dict):
        errors.append("%s: vector is not an object" % where)
        return False
    ok_before = len(errors)
    for key in set(v) - set(VECTOR_KEYS):
        errors.append("%s: unknown member %r" % (where, key))
    for key in ("name", "rules", "description", "expected", "final"):
        if key not in v:
            errors.append("%s: missing %r" % (where, key))
    if len(errors) > ok_before:
        return False
    if not isinstance(v["name"], str) or not NAME_RE.match(v["name"]):
        errors.append("%s: name is not kebab-case" % where)
    if not isinstance(v["description"], str) or not v["description"].strip():
        errors.append("%s: empty description" % where)
    rules = v["rules"]
    if not isinstance(rules, list) or not rules:
        errors.append("%s: rules must be a non-empty list" % where)
    else:
        for r in rules:
            if r not in RULE_ORDER:
                errors.append("%s: unknown rule id %r" % (where, r))
        if len(set(rules)) != len(rules):
            errors.append("%s: duplicate rule ids" % where)
    inputs = [k for k in INPUT_KEYS if k in v]
    if len(inputs) != 1:
        errors.append("%s: exactly one of %s required" % (where, INPUT_KEYS))
    else:
        try:
            input_bytes(v)
        except (ValueError, binascii.Error, UnicodeEncodeError) as e:
            errors.append("%s: bad %s: %s" % (where, inputs[0], e))
    config = v.get("config", {})
    if not isinstance(config, dict):
        errors.append("%s: config must be an object" % where)
    else:
        for key, value in config.items():
            typ = CONFIG_TYPES.get(key)
            if typ is None:
                errors.append("%s: unknown config member %r" % (where, key))
            elif not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
                errors.append("%s: config.%s must be %s" % (where, key, typ.__name__))
            elif typ is int and value < 0:
                errors.append("%s: config.%s must be >= 0" % (where, key))
    expected = v["expected"]
    if not isinstance(expected, list):
        errors.append("%s: expected must be a list" % where)
    else:
        for i, item in enumerate(expected):
            check_item(item, "%s expected[%d]" % (where, i), errors)
        kinds = [i.get("kind") for i in expected if isinstance(i, dict)]
        if kinds.count("truncated") > 1 or ("truncated" in kinds and kinds[-1] != "truncated"):
            errors.append("%s: truncated must be at most once and last" % where)
    final = v["final"]
    if not isinstance(final, dict) or set(final) != {"last_event_id", "retry"}:
        errors.append("%s: final must have exactly last_event_id and retry" % where)
    else:
        if not isinstance(final["last_event_id"], str):
            errors.append("%s: final.last_event_id must be a string" % where)
        r = final["retry"]
        if r is not None and (not isinstance(r, int) or isinstance(r, bool) or not 0 <= r < 2 ** 64):
            errors.append("%s: final.retry must be null or a u64" % where)
    return len(errors) == ok_before


# ----- running ---------------------------------------------------------------------------

def run(v, data, splits):
    cfg = v.get("config", {})
    p = Parser(initial_last_event_id=cfg.get("initial_last_event_id", ""),
               max_line_len=cfg.get("max_line_len"), max_event_len=cfg.get("max_event_len"),
               max_id_len=cfg.get("max_id_len"),
               unknown_fields=cfg.get("unknown_fields", False))
    start = 0
    for end in splits:
        p.feed(data[start:end])
        start = end
    p.feed(data[start:])
    p.finish()
    return {"expected": p.items, "final": {"last_event_id": p.last_event_id, "retry": p.retry}}


def check_run(v):
    """Returns None if every chunking matches, else a description of the first mismatch."""
    data = input_bytes(v)
    want = {"expected": v["expected"], "final": v["final"]}
    chunkings = [("whole", [])]
    chunkings.append(("byte-by-byte", list(range(1, len(data)))))
    chunkings += [("split at %d" % i, [i]) for i in range(len(data) + 1)]
    for label, splits in chunkings:
        got = run(v, data, splits)
        if got != want:
            return "%s:\n      want %s\n      got  %s" % (
                label, json.dumps(want, ensure_ascii=True), json.dumps(got, ensure_ascii=True))
    return None


def main(argv):
    verbose = "-v" in argv
    if "--format" in argv:
        for fname in sorted(os.listdir(PARSER_DIR)):
            if fname.endswith(".json"):
                path = os.path.join(PARSER_DIR, fname)
                with open(path, encoding="utf-8") as f:
                    doc = json.load(f)
                with open(path, "w", encoding="utf-8", newline="\n") as f:
                    f.write(canonical(doc))
    errors = []
    names = {}
    cited = set()
    passed = failed = 0
    files = sorted(f for f in os.listdir(PARSER_DIR) if f.endswith(".json"))
    for fname in files:
        path = os.path.join(PARSER_DIR, fname)
        with open(path, "rb") as f:
            raw = f.read()
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            errors.append("%s: not UTF-8 JSON: %s" % (fname, e))
            continue
        if not isinstance(doc, dict) or set(doc) != {"vectors"} or not isinstance(doc["vectors"], list):
            errors.append('%s: must be {"vectors": [...]}' % fname)
            continue
        if raw.decode("utf-8") != canonical(doc):
            errors.append("%s: not in canonical layout (run with --format)" % fname)
        count = 0
        for i, v in enumerate(doc["vectors"]):
            where = "%s[%d] %s" % (fname, i, v.get("name", "?") if isinstance(v, dict) else "?")
            if not check_vector(v, where, errors):
                failed += 1
                continue
            if v["name"] in names:
                errors.append("%s: name also used in %s" % (where, names[v["name"]]))
            names[v["name"]] = fname
            cited.update(v["rules"])
            problem = check_run(v)
            count += 1
            if problem:
                failed += 1
                print("FAIL %s/%s %s" % (fname, v["name"], problem))
            else:
                passed += 1
        if verbose:
            print("%-22s %3d vectors" % (fname, count))
    missing = [r for r in REQUIRED if r not in cited]
    if missing:
        errors.append("rules never cited: %s" % ", ".join(missing))
    for e in errors:
        print("ERROR " + e)
    if verbose:
        print("rules cited: %s" % " ".join(r for r in RULE_IDS if r in cited))
    print("parser vectors: %d passed, %d failed%s"
          % (passed, failed, ", %d schema errors" % len(errors) if errors else ""))
    return 1 if failed or errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
