// Sentiment beside each conversation (issue 20, items 1 and 5), in the browser: Debian's chromium
// driven by playwright-core against the real orchard binary over a freshly seeded book. An AM
// logs an angry e-mail on their own account and sees, in the timeline, a "Negative" badge beside
// it and the phrase that drove the score highlighted in its text — also past a multi-byte
// character, since the server's offsets are UTF-8 bytes and the page's strings UTF-16.
//
// Env: ORCHARD_BINARY (the orchard executable), ORCHARD_SOURCE_DIR, ORCHARD_SCREENSHOTS (dir).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { apiClient, freePort, launchBrowser, orchardServer, password, run, scratch, signInOn, source, step } from "./harness.mjs";

const shots = process.env.ORCHARD_SCREENSHOTS ?? join(source, "build/web-screenshots");
mkdirSync(shots, { recursive: true });
const { work, db, cleanUp } = scratch("orchard-sentiment-");
const admin = "admin@orchard.test";
const server = orchardServer(db);

let browser;
let exitCode = 0;
try {
  run(["seed", "--db", db, "--accounts", "30"]);
  run(["user", "add", "--db", db, "--email", admin, "--role", "admin", "--name", "Ada Admin"], `${password}\n`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await server.start(port);
  const adminApi = await apiClient(base, admin);

  // An AM and an account they own.
  const users = (await adminApi.get("/api/v1/users?limit=500")).items;
  const accounts = (await adminApi.get("/api/v1/accounts?limit=100")).items;
  let am = null;
  let account = null;
  for (const a of accounts) {
    am = users.find((u) => u.id === a.owner_id && u.role === "am");
    if (am) {
      account = a;
      break;
    }
  }
  assert.ok(account, "the seeded book has an account owned by an AM");
  assert.equal((await adminApi.call("POST", `/api/v1/users/${am.id}/password`, { password })).status, 204);

  browser = await launchBrowser(work);
  const page = browser.pages()[0] ?? (await browser.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.setDefaultTimeout(30000);
  await signInOn(page, base, am.email);

  await step("an AM logs an angry e-mail and sees a negative badge beside it with the phrase that drove it highlighted", async () => {
    await page.goto(`${base}/accounts/${account.id}`);
    const form = page.getByRole("form", { name: "Log an activity" });
    await form.waitFor();
    await form.getByLabel("Kind").selectOption({ label: "E-mail" });
    const subject = `Café rollout — export (browser test ${Date.now()})`;
    await form.getByLabel("What happened").fill(subject);
    await form.getByLabel("Notes").fill("This is unacceptable. The export has been broken for a week and we are very disappointed.");
    await form.getByRole("button", { name: "Log activity" }).click();

    const item = page.getByTestId("timeline").locator("li", { hasText: subject });
    await item.waitFor();
    const badge = item.getByTestId("sentiment");
    await badge.waitFor();
    assert.match(await badge.textContent(), /^Negative −(0\.\d\d|1\.00)$/);
    assert.match(await badge.getAttribute("class"), /negative/);
    const marks = item.locator("mark.phrase.negative");
    assert.ok((await marks.count()) > 0, "a negative phrase is highlighted");

    // The highlighted text is exactly the phrase the server names (offsets read as UTF-8 bytes).
    const scored = (await adminApi.get(`/api/v1/accounts/${account.id}/sentiments?limit=5`)).items.find((s) => s.excerpt.startsWith(subject));
    assert.ok(scored, "the API lists the e-mail's sentiment");
    const shown = await marks.allTextContents();
    for (const p of scored.phrases.filter((p) => p.weight < 0)) assert.ok(shown.includes(p.text), `"${p.text}" is highlighted (shown: ${JSON.stringify(shown)})`);
    assert.ok(shown.some((t) => /unacceptable|disappointed|broken/i.test(t)), `an angry phrase is highlighted: ${JSON.stringify(shown)}`);
    await item.screenshot({ path: join(shots, "sentiment-timeline.png") });
  });

  assert.deepEqual(errors, [], "no script errors");
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  if (browser) await browser.close().catch(() => {});
  await server.stop();
  cleanUp();
}
process.exit(exitCode);
