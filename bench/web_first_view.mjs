// First view of the web UI on a running server (e.g. `scripts/demo`'s 2,000-account book):
// signs in once, then times a cold page load (fresh browser profile, empty cache) of each main
// view until its data is on screen. Usage:
//   node bench/web_first_view.mjs http://127.0.0.1:8080 EMAIL PASSWORD
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [base, email, password] = process.argv.slice(2);
if (!base || !email || !password) {
  console.error("usage: node bench/web_first_view.mjs BASE_URL EMAIL PASSWORD");
  process.exit(2);
}
const source = new URL("..", import.meta.url).pathname;
const { chromium } = createRequire(join(source, "web/package.json"))("playwright-core");
const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const views = [
  ["home", "/", "[data-testid=kpi-strip] dd"],
  ["accounts", "/accounts", ".vbody [role=row]"],
  ["dashboards", "/dashboards", "[data-testid=dash-at-risk] tbody tr"],
];

const login = await fetch(`${base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
const session = login.headers.get("set-cookie").split(";")[0].split("=");
await login.json(); // the page reads its CSRF token from GET /api/v1/auth/session as it starts

for (const [name, path, ready] of views) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const dir = mkdtempSync(join(tmpdir(), "orchard-bench-"));
    const ctx = await chromium.launchPersistentContext(dir, { executablePath: "/usr/bin/chromium", headless: true, viewport: { width: 1280, height: 900 }, args: flags });
    await ctx.addCookies([{ name: session[0], value: session[1], url: base }]);
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    const t = Date.now();
    await page.goto(`${base}${path}`);
    await page.locator(ready).first().waitFor();
    times.push(Date.now() - t);
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(11)} cold first view: median ${times[2]} ms (min ${times[0]}, max ${times[4]})`);
}
