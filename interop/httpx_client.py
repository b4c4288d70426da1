"""A real client from another ecosystem: Python's httpx-sse, for interop tests.

    python3 interop/httpx_client.py URL COUNT

Prints every event as one JSON line {"type","data","lastEventId"} and exits 0 after COUNT
events (1 on a timeout of 20 seconds, or if the stream ends first). httpx-sse reads one
response (it does not reconnect).
"""

import json
import sys

import httpx
from httpx_sse import connect_sse


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    url, count = sys.argv[1], int(sys.argv[2])
    seen = 0
    with httpx.Client(timeout=httpx.Timeout(20.0)) as client:
        with connect_sse(client, "GET", url) as source:
            for event in source.iter_sse():
                # httpx-sse also yields a block that only sets `retry` (no data, so the
                # spec dispatches nothing): it is not an event, skip it.
                if event.retry is not None and event.data == "" and event.id == "" and event.event == "message":
                    continue
                print(json.dumps({"type": event.event, "data": event.data, "lastEventId": event.id}), flush=True)
                seen += 1
                if seen >= count:
                    return
    print(f"the stream ended after {seen} of {count} events", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    main()
