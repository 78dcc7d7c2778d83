// Issue 18 in a real browser (Debian's chromium through playwright-core) against the built
// binary over a seeded 3,000-account book: an admin manages people (adds one — a weak password
// shows the server's rule —, changes a role and a manager, deactivates, resets a password) and
// settings read in dollars, percent and days (a bad value shows the server's error naming the
// setting); a leader reads the settings but cannot change them; an AM, whose overdue QBR sits
// hundreds of rows down the whole book's list, finds it at the top of "My reviews", switches to
// the whole book in one click (the URL keeps it) and pages to the end; "My handoffs" likewise.
//
// Env: ORCHARD_BINARY (the orchard executable), ORCHARD_SOURCE_DIR, ORCHARD_SCREENSHOTS (dir).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { apiClient, freePort, launchBrowser, orchardServer, run, scratch, signInOn, signOutOn, source, step } from "./harness.mjs";

const shots = process.env.ORCHARD_SCREENSHOTS ?? join(source, "build/web-screenshots");
mkdirSync(shots, { recursive: true });
const { work, db, cleanUp } = scratch("orchard-people-");
const admin = "admin@orchard.test";
const leader = "leader@orchard.test";
const password = "correct horse battery";
const server = orchardServer(db);


let browser;
let exitCode = 0;
try {
  // Seed 3: a book in which some AM's first overdue QBR lies past row 200 (asserted below).
  run(["seed", "--db", db, "--accounts", "3000", "--seed", "3"]);
  run(["user", "add", "--db", db, "--email", admin, "--role", "admin", "--name", "Ada Admin"], `${password}\n`);
  run(["user", "add", "--db", db, "--email", leader, "--role", "leader", "--name", "Lee Leader"], `${password}\n`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await server.start(port);
  const adminApi = await apiClient(base, admin);

  // The AM whose first review in the whole book's list (overdue first) is an overdue QBR, as far
  // down that list as any AM's is.
  const users = (await adminApi.get("/api/v1/users?limit=500")).items;
  const ams = new Map(users.filter((u) => u.role === "am").map((u) => [u.id, u]));
  const whole = await adminApi.get("/api/v1/reviews/due?limit=1000");
  while (whole.items.length < whole.total) {
    whole.items.push(...(await adminApi.get(`/api/v1/reviews/due?limit=1000&offset=${whole.items.length}`)).items);
  }
  const firstOf = new Map();
  whole.items.forEach((r, i) => {
    if (ams.has(r.owner_id) && !firstOf.has(r.owner_id)) firstOf.set(r.owner_id, { r, i });
  });
  const [amId, first] = [...firstOf].filter(([, f]) => f.r.kind === "customer" && f.r.overdue).sort((a, b) => b[1].i - a[1].i)[0];
  const am = ams.get(amId);
  console.log(`     ${am.name}'s overdue QBR (${first.r.account_name}) is at position ${first.i + 1} of ${whole.total} in the whole book`);
  assert.ok(first.i >= 200, `the QBR is past the 200 rows the page used to load (at ${first.i + 1})`);

  browser = await launchBrowser(work);
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const nav = page.getByRole("navigation", { name: "Main" });
  const navLinks = async () => (await nav.getByRole("link").allTextContents()).map((t) => t.trim());

  await step("an admin sees People and Settings in the nav", async () => {
    await signInOn(page, base, admin);
    const links = await navLinks();
    for (const l of ["People", "Settings", "Import"]) assert.ok(links.includes(l), `${l} in ${links}`);
  });

  const newEmail = `pat.new.${Date.now() % 100000}@orchard.test`;
  await step("add a person: a weak password shows the server's rule, a good one adds them", async () => {
    await nav.getByRole("link", { name: "People" }).click();
    await page.getByTestId("people").locator("tbody tr").first().waitFor();
    const form = page.getByRole("region", { name: "Add a person" });
    await form.getByLabel("Name", { exact: true }).fill("Pat New");
    await form.getByLabel("E-mail", { exact: true }).fill(newEmail);
    await form.getByLabel(/^Role/).selectOption("am");
    await form.getByLabel("Password", { exact: true }).fill("short");
    await form.getByRole("button", { name: "Add person" }).click();
    const refusal = form.getByTestId("people-error");
    await refusal.waitFor();
    assert.match(await refusal.textContent(), /password/i);
    await form.getByLabel("Password", { exact: true }).fill("a long and unusual pass phrase");
    await form.getByRole("button", { name: "Add person" }).click();
    await page.getByTestId("people-note").filter({ hasText: "Pat New added" }).waitFor();
    await page.getByTestId("people").getByRole("cell", { name: newEmail }).waitFor();
  });

  await step("change their role and manager, then deactivate them", async () => {
    const manager = users.find((u) => u.role === "manager");
    await page.getByLabel("Role of Pat New").selectOption("csm");
    await page.getByTestId("people-note").filter({ hasText: "role is now Customer-success manager" }).waitFor();
    await page.getByLabel("Manager of Pat New").selectOption(String(manager.id));
    await page.getByTestId("people-note").filter({ hasText: `reports to ${manager.name}` }).waitFor();
    await page.getByRole("button", { name: "Deactivate Pat New" }).click();
    await page.getByTestId("people-note").filter({ hasText: "deactivated" }).waitFor();
    await page.getByRole("button", { name: "Reactivate Pat New" }).waitFor();
    const pat = (await adminApi.get("/api/v1/users?limit=500")).items.find((u) => u.email === newEmail);
    assert.deepEqual([pat.role, pat.manager_id, pat.active], ["csm", manager.id, false]);
    const signIn = await fetch(`${base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: newEmail, password: "a long and unusual pass phrase" }) });
    assert.equal(signIn.status, 401, "a deactivated person cannot sign in");
    await page.screenshot({ path: join(shots, "people.png"), fullPage: true });
  });

  await step(`reset ${am.name}'s password: the server's rule first, then a good one`, async () => {
    await page.locator(`tr[data-user="${am.id}"]`).getByRole("button", { name: /^Reset password/ }).click();
    const form = page.getByRole("form", { name: `Reset the password of ${am.name}` });
    await form.getByLabel(`New password for ${am.name}`).fill("orchard");
    await form.getByRole("button", { name: "Set password" }).click();
    await form.getByTestId("people-error").waitFor();
    await form.getByLabel(`New password for ${am.name}`).fill(password);
    await form.getByRole("button", { name: "Set password" }).click();
    await page.getByTestId("people-note").filter({ hasText: "password reset" }).waitFor();
  });

  await step("settings read in dollars, percent and days; a bad value names the setting", async () => {
    await nav.getByRole("link", { name: "Settings" }).click();
    const tier1 = page.getByLabel("Tiers: Tier 1 (Strategic) from ARR (dollars)");
    assert.equal(await tier1.inputValue(), "100000");
    assert.equal(await page.getByLabel("Potential: Medium from whitespace ÷ ARR (percent)").inputValue(), "30");
    assert.equal(await page.getByLabel("Renewals: Upcoming renewals window (days)").inputValue(), "90");
    assert.equal(await page.getByLabel("Health model: Usage weight (percent)").inputValue(), "30");
    assert.equal(await page.locator("input[aria-label*='_cents'], input[aria-label*='_bp']").count(), 0, "no raw keys");
    const sample = page.getByLabel("Inspection queue: Random sample each month");
    await sample.fill("a dozen");
    await page.getByRole("button", { name: /^Save 1 change$/ }).click();
    const alert = page.getByTestId("settings-error");
    await alert.waitFor();
    assert.match(await alert.textContent(), /Random sample each month: must be a number; got "a dozen"/);
    assert.equal(await sample.getAttribute("aria-invalid"), "true");
    await sample.fill("12");
    await tier1.fill("$120,000");
    await page.getByRole("button", { name: /^Save 2 changes$/ }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    const now = (await adminApi.get("/api/v1/settings")).settings;
    assert.equal(now["tiers.tier1_min_arr_cents"], "12000000", "dollars typed, cents stored");
    assert.equal(now["inspection.sample"], "12");
    await page.screenshot({ path: join(shots, "settings-admin.png"), fullPage: true });
  });

  await step("a leader reads the settings, cannot change them, and sees no People", async () => {
    await signOutOn(page);
    await signInOn(page, base, leader);
    const links = await navLinks();
    assert.ok(links.includes("Settings"), `Settings in ${links}`);
    assert.ok(!links.includes("People") && !links.includes("Import"), `no People or Import in ${links}`);
    await nav.getByRole("link", { name: "Settings" }).click();
    await page.getByTestId("settings-read-only").waitFor();
    const values = page.getByTestId("settings-values");
    await values.getByText("$120,000").waitFor();
    await values.locator(".setting", { hasText: "Upcoming renewals window" }).getByText("90 days").waitFor();
    await values.locator(".setting", { hasText: "Medium from whitespace ÷ ARR" }).getByText("30 %").waitFor();
    assert.equal(await page.locator("main input").count(), 0, "nothing to edit");
    const leaderApi = await apiClient(base, leader);
    assert.equal((await leaderApi.patch("/api/v1/settings", { "inspection.sample": 3 })).status, 403);
    await page.screenshot({ path: join(shots, "settings-leader.png"), fullPage: true });
  });

  await step(`${am.name} opens Reviews on their own book: the overdue QBR is at the top`, async () => {
    await signOutOn(page);
    await signInOn(page, base, am.email);
    const links = await navLinks();
    assert.ok(!links.includes("Settings") && !links.includes("People"), `no Settings or People for an AM: ${links}`);
    await nav.getByRole("link", { name: "Reviews" }).click();
    await page.getByRole("heading", { level: 1, name: "My reviews" }).waitFor();
    const top = page.getByTestId("reviews-due").locator("tbody tr[data-review]").first();
    await top.waitFor();
    assert.equal(Number(await top.getAttribute("data-review")), first.r.id);
    assert.match(await top.textContent(), /overdue/);
    assert.match(await top.textContent(), /Customer/);
    const amApi = await apiClient(base, am.email);
    const mine = await amApi.get("/api/v1/reviews/due?book=mine&limit=1");
    assert.match(await page.getByTestId("reviews-total").textContent(), new RegExp(`^${mine.total} reviews?`));
    await page.screenshot({ path: join(shots, "reviews-mine.png"), fullPage: true });
  });

  await step("one click shows the whole book (the URL keeps it), paged to the end", async () => {
    await page.getByTestId("book-switch").getByRole("link", { name: "Whole book" }).click();
    await page.getByRole("heading", { level: 1, name: "Reviews due" }).waitFor();
    assert.match(page.url(), /\/reviews\?book=all$/);
    await page.getByTestId("reviews-total").filter({ hasText: `${whole.total} reviews` }).waitFor();
    await page.getByRole("button", { name: "Last" }).click();
    const lastFrom = Math.floor((whole.total - 1) / 50) * 50 + 1;
    await page.getByTestId("pager-position").filter({ hasText: `${lastFrom}–${whole.total} of ${whole.total}` }).waitFor();
    assert.equal(Number(await page.getByTestId("reviews-due").locator("tbody tr[data-review]").last().getAttribute("data-review")), whole.items[whole.total - 1].id);
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Reviews due" }).waitFor();
    await page.getByTestId("book-switch").getByRole("link", { name: "My reviews" }).click();
    await page.getByRole("heading", { level: 1, name: "My reviews" }).waitFor();
    assert.match(page.url(), /\/reviews\?book=mine$/);
  });

  await step("Handoffs open on the AM's own handoffs too", async () => {
    const amApi = await apiClient(base, am.email);
    const mine = await amApi.get("/api/v1/handoffs/queue?book=mine");
    const all = await amApi.get("/api/v1/handoffs/queue?book=all");
    await nav.getByRole("link", { name: "Handoffs" }).click();
    await page.getByRole("heading", { level: 1, name: "My handoffs" }).waitFor();
    if (mine.total > 0) {
      await page.getByTestId("handoffs-total").filter({ hasText: `${mine.total} handoff` }).waitFor();
    } else {
      await page.getByText("No handoffs in this book").waitFor();
    }
    await page.getByTestId("book-switch").getByRole("link", { name: "Whole book" }).click();
    await page.getByTestId("handoffs-total").filter({ hasText: `${all.total} handoff` }).waitFor();
    assert.ok(all.total > mine.total, `the whole book has more handoffs (${all.total}) than the AM's (${mine.total})`);
  });

  await step("a CSM's own scoreboard: adoption, time to first value, CSAT and onboarding", async () => {
    assert.ok(!(await navLinks()).includes("CSM scoreboard"), "an AM has no CSM scoreboard");
    // The CSM covering the most accounts; an admin gives them a password.
    const csms = users.filter((u) => u.role === "csm");
    let csm = null;
    let board = null;
    for (const c of csms) {
      const b = await adminApi.get(`/api/v1/csm/scoreboard?csm=${c.id}`);
      if (!board || b.accounts > board.accounts) [csm, board] = [c, b];
    }
    assert.ok(board.accounts > 0 && board.adoption_rate !== null && board.csat !== null, "the seeded CSM has figures");
    assert.equal((await adminApi.post(`/api/v1/users/${csm.id}/password`, { password })).status, 204);
    await signOutOn(page);
    await signInOn(page, base, csm.email);
    await nav.getByRole("link", { name: "CSM scoreboard" }).click();
    await page.getByRole("heading", { level: 1, name: "My CSM scoreboard" }).waitFor();
    const pct = (r) => `${(r * 100).toFixed(1)}%`;
    await page.getByTestId("csm-adoption").filter({ hasText: pct(board.adoption_rate) }).waitFor();
    await page.getByTestId("csm-csat").filter({ hasText: pct(board.csat) }).waitFor();
    const ttfv = board.ttfv_median_days === null ? "—" : `${Number.isInteger(board.ttfv_median_days) ? board.ttfv_median_days : board.ttfv_median_days.toFixed(1)} days`;
    await page.getByTestId("csm-ttfv").filter({ hasText: ttfv }).waitFor();
    await page.getByTestId("csm-onboarding").filter({ hasText: `${board.onboarding.on_track} on track` }).waitFor();
    assert.equal(await page.getByTestId("csm-accounts").locator("tbody tr").count(), board.accounts);
    console.log(`     ${csm.name}: ${board.accounts} accounts, adoption ${pct(board.adoption_rate)}, TTFV ${ttfv}, CSAT ${pct(board.csat)} of ${board.csat_ratings}`);
    await page.screenshot({ path: join(shots, "csm-scoreboard.png"), fullPage: true });
  });

  assert.deepEqual(errors, [], "no page errors");
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  if (browser) await browser.close().catch(() => {});
  await server.stop();
  cleanUp();
}
process.exit(exitCode);
