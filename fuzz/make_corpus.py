#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets from spec-vectors/ (not committed).

Parser targets take `limits byte, chunk seed byte, stream`; each parser vector's input is
written twice: with default limits and with small ones. The structured targets get the
texts of the writer vectors and the bodies of the client vectors.
Usage: python3 fuzz/make_corpus.py   (from the repository root or fuzz/)
"""
import base64
import json
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
vectors = root / "spec-vectors"
corpus = root / "fuzz" / "corpus"


def parser_inputs():
    for path in sorted((vectors / "parser").glob("*.json")):
        for v in json.loads(path.read_text(encoding="utf-8"))["vectors"]:
            if "input" in v:
                yield v["name"], v["input"].encode("utf-8")
            elif "input_hex" in v:
                yield v["name"], bytes.fromhex("".join(v["input_hex"].split()))
            elif "input_base64" in v:
                yield v["name"], base64.b64decode(v["input_base64"])


def write(target, name, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


count = 0
for name, stream in parser_inputs():
    for target in ("decode", "tokenize"):
        write(target, name + "-default", bytes([0, 7]) + stream)
        write(target, name + "-small", bytes([0x41, 3]) + stream)
    count += 1

# Structured targets: `arbitrary` reads raw bytes, so the texts of writer vectors and the
# bodies of client vectors are written as is; they steer the fuzzer toward what matters.
def blocks(value):
    return value if isinstance(value, list) else [value]


for path in sorted((vectors / "writer").glob("*.json")):
    for v in json.loads(path.read_text(encoding="utf-8"))["vectors"]:
        parts = []
        for block in blocks(v.get("input", {})):
            if isinstance(block, dict):
                parts += [str(block.get(k, "")) for k in ("type", "data", "id", "text", "ms")]
        for target in ("roundtrip", "encode_stream"):
            write(target, v["name"], "\0".join(parts).encode("utf-8"))

for path in sorted((vectors / "client").glob("*.json")):
    for v in json.loads(path.read_text(encoding="utf-8"))["vectors"]:
        bodies = [
            step["input"].get("data", "")
            for step in v.get("script", [])
            if isinstance(step.get("input"), dict) and step["input"].get("kind") == "body"
        ]
        write("client", v["name"], "\0".join(bodies).encode("utf-8"))

print(f"seeded fuzz/corpus from {count} parser vectors")
