// Debian's Chromium, headless, driven by playwright-core (no browser download): the one
// way the interop scripts open a browser. It runs as root here, so it needs the flags
// below and a fresh profile directory, removed afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

// Calls `use(page, version)` with a page of a fresh headless Chromium (`$CHROMIUM`, else
// /usr/bin/chromium) and its version, and closes the browser when `use` ends or throws.
export async function withChromium(use) {
  const userDataDir = mkdtempSync(join(tmpdir(), "sse-proto-chromium-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-quic",
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const version = context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent));
    return await use(page, `Chromium ${version}`);
  } finally {
    await context?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
