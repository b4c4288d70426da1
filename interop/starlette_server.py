"""A real SSE server from another ecosystem: sse-starlette on uvicorn, for interop tests.

Serves GET /events. The stream is six events in three connections:

1. no Last-Event-ID: `retry: 300`, a comment, events 1-3, then the server closes;
2. Last-Event-ID 3: events 4-6 (after a comment), then the server closes;
3. Last-Event-ID 6: 204 No Content, which tells an EventSource client to stop.

Any other Last-Event-ID resumes after it. GET /log returns the Last-Event-ID header of
every /events request so far (null when absent), as JSON. Binds 127.0.0.1 only and exits
by itself after --for seconds.

    python3 interop/starlette_server.py --port 8765 --for 30
"""

import argparse
import asyncio
import os
import signal
import threading

import uvicorn
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

# (id, event type or None, data): multi-line, Unicode and empty data, a custom type.
EVENTS = [
    ("1", None, "first"),
    ("2", "update", "line one\nline two\nline three"),
    ("3", None, "h\u00e9llo \u2713 \u65e5\u672c \U0001F600"),
    ("4", "update", ""),
    ("5", None, "  leading spaces kept"),
    ("6", "final", "{\"done\": true}"),
]
BREAK_AFTER = "3"  # the first connection ends after this id

received_last_event_ids = []


async def events(request: Request):
    last = request.headers.get("last-event-id")
    received_last_event_ids.append(last)
    ids = [event_id for event_id, _, _ in EVENTS]
    if last == ids[-1]:
        return Response(status_code=204)
    start = ids.index(last) + 1 if last in ids else 0
    stop = ids.index(BREAK_AFTER) + 1 if start == 0 else len(EVENTS)

    async def stream():
        if start == 0:
            yield ServerSentEvent(retry=300)
            yield ServerSentEvent(comment="hello from sse-starlette")
        else:
            yield ServerSentEvent(comment="resuming after " + last)
        for event_id, event_type, data in EVENTS[start:stop]:
            yield ServerSentEvent(data=data, event=event_type, id=event_id)
        # Returning ends the response: the server closes the stream.

    return EventSourceResponse(stream(), ping=None)


async def log(_request: Request):
    return JSONResponse(received_last_event_ids)


app = Starlette(routes=[Route("/events", events), Route("/log", log)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--for", dest="seconds", type=float, default=30.0)
    args = parser.parse_args()
    # Exit by itself, whatever happens to the test that started it.
    threading.Timer(args.seconds, lambda: os.kill(os.getpid(), signal.SIGTERM)).start()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
