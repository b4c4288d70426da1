// A real client from another ecosystem: the npm `eventsource` package (Node's
// standard-following EventSource), for interop tests.
//
//   node interop/node_client.mjs URL COUNT [TYPE ...]
//
// Listens for `message` and each named TYPE, prints every event as one JSON line
// {"type","data","lastEventId"}, and exits 0 after COUNT events, or 1 after 20 seconds.
import { EventSource } from "eventsource";

const [url, countArg, ...types] = process.argv.slice(2);
const count = Number(countArg);
if (!url || !Number.isInteger(count) || count < 1) {
  console.error("usage: node node_client.mjs URL COUNT [TYPE ...]");
  process.exit(2);
}
const source = new EventSource(url);
let seen = 0;
const onEvent = (event) => {
  console.log(JSON.stringify({ type: event.type, data: event.data, lastEventId: event.lastEventId }));
  seen += 1;
  if (seen >= count) {
    source.close();
    process.exit(0);
  }
};
for (const type of ["message", ...types]) source.addEventListener(type, onEvent);
source.onerror = (error) => console.error("eventsource error:", error.message ?? error);
setTimeout(() => {
  console.error(`timed out after ${seen} of ${count} events`);
  process.exit(1);
}, 20000).unref?.();
