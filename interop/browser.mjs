// A real browser: Debian's Chromium, headless, driven by playwright-core (no browser
// download), for interop tests.
//
//   node interop/browser.mjs PAGE_URL COUNT
//
// Opens the page, which records every event its EventSource receives in
// `window.events` as {type, data, lastEventId}; prints each new one as a JSON line as
// it arrives, and exits 0 after COUNT events, or 1 after 30 seconds.
import { withChromium } from "./chromium.mjs";

const [url, countArg] = process.argv.slice(2);
const count = Number(countArg);
if (!url || !Number.isInteger(count) || count < 1) {
  console.error("usage: node browser.mjs PAGE_URL COUNT");
  process.exit(2);
}
const deadline = Date.now() + 30000;
let code = 1;
try {
  await withChromium(async (page) => {
    page.on("console", (message) => console.error("page:", message.text()));
    await page.goto(url);
    let printed = 0;
    while (printed < count && Date.now() < deadline) {
      const events = await page.evaluate(() => window.events ?? []);
      for (; printed < events.length && printed < count; printed += 1) {
        console.log(JSON.stringify(events[printed]));
      }
      await page.waitForTimeout(50);
    }
    code = printed >= count ? 0 : 1;
    if (code !== 0) console.error(`timed out after ${printed} of ${count} events`);
  });
} catch (error) {
  console.error("browser error:", error.message ?? error);
}
process.exit(code);
