#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets from spec-vectors/ (not committed).

Parser targets take `limits byte, chunk seed byte, stream`; each parser vector's input is
written twice: with default limits and with small ones.
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

extra = root / "fuzz" / "make_corpus_extra.py"
if extra.exists():
    exec(compile(extra.read_text(), str(extra), "exec"))

print(f"seeded fuzz/corpus from {count} parser vectors")
