"""The events Python's `httpx-sse` gives for each of a list of byte streams, for
`interop/vectors.mjs`.

Reads a JSON array of base64 streams on stdin; for each, builds an `httpx.Response`
(`text/event-stream`, the stream as its body: no network) and reads it with
`httpx_sse.EventSource(response).iter_sse()`, the package's public API. Prints a JSON
array with, per stream, the list of events as {type, data, lastEventId}.
"""

import base64
import importlib.metadata
import json
import sys

import httpx
import httpx_sse


def events(body: bytes) -> list:
    response = httpx.Response(
        200, headers={"content-type": "text/event-stream"}, content=body
    )
    return [
        {"type": sse.event, "data": sse.data, "lastEventId": sse.id}
        for sse in httpx_sse.EventSource(response).iter_sse()
    ]


def main() -> None:
    streams = json.load(sys.stdin)
    json.dump(
        {
            "version": f"httpx-sse {importlib.metadata.version('httpx-sse')}",
            "results": [events(base64.b64decode(s)) for s in streams],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
