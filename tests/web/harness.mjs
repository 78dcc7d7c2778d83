// What the browser tests share: finding the orchard binary, Debian's chromium and playwright-core
// (missing any fails, saying how to get it), a scratch directory with a SQLite book, the orchard
// CLI, the server on a free loopback port, a signed-in API client, the browser with a fresh
// profile, and signing in through the page.
//
// Env: ORCHARD_BINARY (the orchard executable), ORCHARD_SOURCE_DIR, ORCHARD_CHROMIUM.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";

export const source = process.env.ORCHARD_SOURCE_DIR ?? new URL("../..", import.meta.url).pathname;
export const binary = process.env.ORCHARD_BINARY ?? join(source, "build/orchard");
const chromiumPath = process.env.ORCHARD_CHROMIUM ?? "/usr/bin/chromium";
export const password = "correct horse battery";

export function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}
if (!existsSync(binary)) fail(`no orchard binary at ${binary}`);
if (!existsSync(chromiumPath)) fail(`no chromium at ${chromiumPath}: run scripts/bootstrap (it installs Debian's chromium)`);
// Resolves a package installed in web/node_modules (by scripts/bootstrap).
export const webRequire = createRequire(join(source, "web/package.json"));
let chromium;
try {
  chromium = webRequire("playwright-core").chromium;
} catch {
  fail("playwright-core is not installed in web/node_modules: run scripts/bootstrap (npm ci in web/)");
}

// The scratch directory of one run (its book and the browser's profile); `cleanUp` removes it.
export function scratch(prefix) {
  const work = mkdtempSync(join(tmpdir(), prefix));
  return { work, db: `sqlite:${join(work, "book.db")}`, cleanUp: () => rmSync(work, { recursive: true, force: true }) };
}

// Runs the orchard CLI; a failure fails the test.
export function run(args, input) {
  const r = spawnSync(binary, args, { input, encoding: "utf8" });
  if (r.status !== 0) fail(`orchard ${args.join(" ")}: ${r.stderr || r.stdout}`);
}

export async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// `orchard serve` over `db` on 127.0.0.1:port (with any further arguments): started, awaited
// until /healthz answers, and stopped (SIGTERM, awaited) — as often as a test likes.
export function orchardServer(db, extraArgs = []) {
  let server = null;
  return {
    async start(port) {
      server = spawn(binary, ["serve", "--db", db, "--listen", `127.0.0.1:${port}`, ...extraArgs], { stdio: ["ignore", "ignore", "pipe"] });
      let log = "";
      server.stderr.on("data", (d) => (log += d));
      for (let i = 0; i < 100; i++) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/healthz`);
          if (r.ok) return;
        } catch {
          // not up yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      fail(`the server did not start: ${log}`);
    },
    async stop() {
      if (!server) return;
      const done = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      await done;
      server = null;
    },
  };
}

// A signed-in API client, to pick what a test works on and to play "someone else" editing.
// `call` answers { status, body }; get, patch and post answer the same but get only the body.
export async function apiClient(base, email) {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  assert.equal(r.status, 200, "API sign-in");
  const cookie = r.headers.get("set-cookie").split(";")[0];
  const { csrf_token } = await r.json();
  const call = async (method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { cookie, "x-csrf-token": csrf_token, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return { call, get: (p) => call("GET", p).then((x) => x.body), patch: (p, b) => call("PATCH", p, b), post: (p, b) => call("POST", p, b) };
}

// Debian's chromium, headless, with a fresh profile in `work` (playwright passes it as
// --user-data-dir); answers the browser context.
export async function launchBrowser(work) {
  const browser = await chromium.launchPersistentContext(join(work, "profile"), {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return browser;
}

// Signs in through the page's own form, and waits for the signed-in app.
export async function signInOn(page, base, email) {
  await page.goto(`${base}/`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("signed-in-user").waitFor();
}

// Signs out through the page's own button, and waits for the sign-in form: a navigation before
// the logout request is answered would cancel it and leave the session alive.
export async function signOutOn(page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("E-mail").waitFor();
}

// One named step of a browser test: "ok   name (ms)" when it passes, "FAIL name" and the error
// (thrown on) when it does not.
export async function step(name, f) {
  const t = Date.now();
  try {
    await f();
    console.log(`ok   ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    console.log(`FAIL ${name}`);
    throw e;
  }
}

// axe-core in the page: `check(page, view, within)` runs it over the parts `within` names (CSS
// selectors; the whole page when absent) and keeps its serious and critical findings in
// `findings`, which a test asserts empty at its end.
export function accessibilityChecker() {
  let axeSource;
  try {
    axeSource = readFileSync(webRequire.resolve("axe-core/axe.min.js"), "utf8");
  } catch {
    fail("axe-core is not installed in web/node_modules: run scripts/bootstrap (npm ci in web/)");
  }
  const findings = [];
  async function check(page, view, within = null) {
    if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) await page.evaluate(axeSource);
    const found = await page.evaluate(async (include) => {
      const r = await window.axe.run(include ? { include } : document, { resultTypes: ["violations"] });
      return r.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    }, within);
    for (const f of found) findings.push(`${view}: ${f}`);
  }
  return { check, findings };
}
