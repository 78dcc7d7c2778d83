// An account manager's day in the browser (issue 18): Debian's chromium driven by playwright-core
// against the real orchard binary over a freshly seeded book. An AM signs in; on another AM's
// account they find no edit controls; on their own they log a meaningful meeting with contacts
// not engaged in 90 days and see the multithreading depth, the last meaningful contact and health
// move; create a cross-sell and move its stage, the table changing in place; edit every part of
// the plan (a priority's source, owners from the account team, a contact's role, influence and
// departure), mark the plan reviewed, open its print-ready export and reach an overdue QBR. When
// the account is handed to someone else while the page is open, a refused write says whose book
// it is now.
//
// Env: ORCHARD_BINARY (the orchard executable), ORCHARD_SOURCE_DIR, ORCHARD_SCREENSHOTS (dir).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { apiClient, freePort, launchBrowser, orchardServer, password, run, scratch, signInOn, source, step } from "./harness.mjs";

const shots = process.env.ORCHARD_SCREENSHOTS ?? join(source, "build/web-screenshots");
mkdirSync(shots, { recursive: true });
const { work, db, cleanUp } = scratch("orchard-am-day-");
const admin = "admin@orchard.test";
const server = orchardServer(db);


// Polls `f` until it answers true (30 s at most, as the page's waits: the machine may be shared
// with other builds): what the server stored after the page's write.
async function eventually(f, what) {
  for (let i = 0; i < 300; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`never: ${what}`);
}

const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n) => new Date(Date.now() - n * 864e5).toISOString().slice(0, 10);

let browser;
let exitCode = 0;
try {
  run(["seed", "--db", db, "--accounts", "200"]);
  run(["user", "add", "--db", db, "--email", admin, "--role", "admin", "--name", "Ada Admin"], `${password}\n`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await server.start(port);
  const adminApi = await apiClient(base, admin);

  // Who and what: an AM with a planned account of their own that has contacts nobody met in a
  // meaningful conversation for 90 days, and an account in another AM's book.
  const users = (await adminApi.get("/api/v1/users?limit=500")).items;
  const ams = users.filter((u) => u.role === "am");
  const nameOf = (id) => users.find((u) => u.id === id)?.name;
  const plans = (await adminApi.get("/api/v1/plans?limit=200")).items;
  let mine = null;
  for (const p of plans) {
    const account = await adminApi.get(`/api/v1/accounts/${p.account_id}`);
    const am = ams.find((u) => u.id === account.owner_id);
    if (!am || account.csm_id === am.id || account.sponsor_id === am.id || !account.csm_id) continue;
    const health = await adminApi.get(`/api/v1/accounts/${account.id}/health`);
    const m = health.metrics;
    if (m.last_meaningful_contact === today || m.multithreading_depth + 2 > m.multithreading_target) continue;
    const contacts = (await adminApi.get(`/api/v1/accounts/${account.id}/contacts?limit=500`)).items.filter((c) => c.status === "active");
    // Who took part in a meaningful activity in the last 90 days.
    const recent = (await adminApi.get(`/api/v1/accounts/${account.id}/activities?meaningful=true&occurred_at_from=${daysAgo(89)}&limit=500`)).items;
    const engaged = new Set();
    for (const a of recent) for (const c of (await adminApi.get(`/api/v1/activities/${a.id}/contacts`)).contact_ids) engaged.add(c);
    const quiet = contacts.filter((c) => !engaged.has(c.id));
    if (quiet.length < 3) continue;
    mine = { plan: p, account, am, health, quiet, contacts };
    break;
  }
  assert.ok(mine, "the seeded book has an AM's planned account with contacts not engaged in 90 days");
  let theirs = null;
  for (const p of plans) {
    const a = await adminApi.get(`/api/v1/accounts/${p.account_id}`);
    if (a.owner_id !== mine.am.id && ams.some((u) => u.id === a.owner_id) && a.csm_id !== mine.am.id && a.sponsor_id !== mine.am.id) {
      theirs = a;
      break;
    }
  }
  assert.ok(theirs, "a planned account in another AM's book");
  assert.equal((await adminApi.call("POST", `/api/v1/users/${mine.am.id}/password`, { password })).status, 204);
  // An overdue customer review (the QBR of a tier-1 account) on the AM's account.
  const review = await adminApi.post(`/api/v1/accounts/${mine.account.id}/reviews`, { kind: "customer", status: "scheduled", due_on: daysAgo(12) });
  assert.equal(review.status, 201, JSON.stringify(review.body));

  browser = await launchBrowser(work);
  const page = browser.pages()[0] ?? (await browser.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.setDefaultTimeout(30000);
  await signInOn(page, base, mine.am.email);

  await step("on another AM's account the AM finds no edit controls, and is told whose book it is", async () => {
    await page.goto(`${base}/accounts/${theirs.id}`);
    const note = page.getByTestId("read-only");
    await note.waitFor();
    assert.match(await note.textContent(), new RegExp(`it's in ${nameOf(theirs.owner_id)}'s book`));
    await page.getByTestId("priorities").waitFor();
    await page.getByTestId("contacts").waitFor();
    await page.getByTestId("health-card").locator("p.score").waitFor();
    await page.waitForLoadState("networkidle");
    for (const name of ["Log activity", "Add opportunity", "Add priority", "Add risk", "Add action", "Add contact", "Save summary", "Mark plan reviewed"]) {
      assert.equal(await page.getByRole("button", { name }).count(), 0, `no "${name}" on another AM's account`);
    }
    assert.equal(await page.getByRole("button", { name: /^Edit priority/ }).count(), 0);
    const live = await page.locator("article.account").locator("select:not([disabled]), input:not([disabled]), textarea:not([readonly])").count();
    assert.equal(live, 0, "no control that would change the account");
    assert.ok(await page.getByRole("button", { name: "Export plan (PDF)" }).isVisible(), "reading and exporting the plan is open to everyone");
    await page.screenshot({ path: join(shots, "am-day-theirs.png") });
  });

  await page.goto(`${base}/accounts/${mine.account.id}`);
  const depth = page.getByTestId("header-depth");
  const lastContact = page.getByTestId("header-last-contact");
  const healthPill = page.getByTestId("header-health");

  await step("on their own account the AM logs a meaningful meeting with contacts not engaged in 90 days: depth, last contact and health move", async () => {
    await page.getByRole("form", { name: "Log an activity" }).waitFor();
    assert.equal(await page.getByTestId("read-only").count(), 0);
    const m = mine.health.metrics;
    await page.waitForFunction((t) => document.querySelector("[data-testid=header-depth]")?.textContent === t, `${m.multithreading_depth} of ${m.multithreading_target}`);
    assert.equal(await lastContact.textContent(), m.last_meaningful_contact ? m.last_meaningful_contact.slice(0, 10) : "—");
    assert.match(await healthPill.textContent(), new RegExp(`^${mine.health.score} · `));

    const form = page.getByRole("form", { name: "Log an activity" });
    await form.getByLabel("Kind").selectOption({ label: "Meeting" });
    const subject = `Renewal strategy with finance (browser test ${Date.now()})`;
    await form.getByLabel("What happened").fill(subject);
    assert.ok(await form.getByLabel(/^Meaningful/).isChecked(), "a meeting is meaningful by default");
    const met = mine.quiet.slice(0, 2);
    for (const c of met) await form.getByLabel(`${c.first_name} ${c.last_name}`.trim(), { exact: true }).check();
    await form.getByRole("button", { name: "Log activity" }).click();
    await page.getByTestId("timeline").getByText(subject).waitFor();
    assert.match(await page.getByTestId("timeline").locator("li", { hasText: subject }).textContent(), /Meeting ★/);

    const expected = `${m.multithreading_depth + met.length} of ${m.multithreading_target}`;
    await page
      .waitForFunction((t) => document.querySelector("[data-testid=header-depth]")?.textContent === t, expected)
      .catch(async (e) => {
        const h = await adminApi.get(`/api/v1/accounts/${mine.account.id}/health`);
        throw new Error(`depth shown "${await depth.textContent()}", expected "${expected}"; the server says ${JSON.stringify(h.metrics)}: ${e}`);
      });
    assert.equal(await lastContact.textContent(), today, "the last meaningful contact is today");
    const now = await adminApi.get(`/api/v1/accounts/${mine.account.id}/health`);
    assert.notEqual(now.score, mine.health.score, "health moved");
    await page.waitForFunction((s) => document.querySelector("[data-testid=header-health]")?.textContent?.startsWith(`${s} · `), now.score);
    console.log(`     depth ${m.multithreading_depth} → ${m.multithreading_depth + met.length}, last contact ${m.last_meaningful_contact?.slice(0, 10)} → ${today}, health ${mine.health.score} → ${now.score}`);
  });

  await step("the AM creates a cross-sell from the account page and moves its stage; the table changes in place", async () => {
    await page.evaluate(() => (window.__sameDocument = true));
    const form = page.getByRole("form", { name: "New opportunity" });
    const name = `Analytics for the plants (browser test ${Date.now()})`;
    await form.getByLabel("Opportunity name").fill(name);
    const types = await form.getByLabel("Type").locator("option").allTextContents();
    assert.deepEqual(types, ["New business", "Renewal", "Upsell", "Cross-sell"]);
    await form.getByLabel("Type").selectOption({ label: "Cross-sell" });
    await form.getByLabel("Amount ($)").fill("48000");
    await form.getByRole("button", { name: "Add opportunity" }).click();
    const row = page.getByTestId("opportunities").locator("tr", { hasText: name });
    await row.waitFor();
    assert.match(await row.textContent(), /Cross-sell/);
    assert.match(await row.textContent(), /\$48k/);
    assert.ok(!(await page.getByTestId("opportunities").textContent()).includes("cross_sell"), "no enum names on the page");
    await row.getByLabel(`Stage of ${name}`).selectOption("proposal");
    await page.getByText(`${name}: stage is now Proposal.`).waitFor();
    const stored = (await adminApi.get(`/api/v1/accounts/${mine.account.id}/opportunities?limit=500`)).items.find((o) => o.name === name);
    assert.equal(stored.type, "cross_sell");
    assert.equal(stored.stage, "proposal");
    assert.equal(stored.amount_cents, 4800000);
    assert.ok(await page.evaluate(() => window.__sameDocument === true), "no reload");
  });

  const team = [mine.account.owner_id, mine.account.csm_id].map(nameOf);
  await step("the AM edits every part of the plan: a priority's source, owners from the team, a contact", async () => {
    // A priority's source: who said it, when.
    const pri = page.getByTestId("priorities");
    const speaker = mine.contacts[0];
    await pri.getByRole("button", { name: /^Edit priority/ }).first().click();
    await pri.getByLabel("Who said it").selectOption({ label: `${speaker.first_name} ${speaker.last_name}`.trim() });
    await pri.getByLabel("Said on").fill(daysAgo(3));
    await pri.getByRole("button", { name: "Save" }).click();
    await pri.getByText(`said by ${speaker.first_name} ${speaker.last_name}`.trim() + ` on ${daysAgo(3)}`).waitFor();

    // A risk whose mitigation the CSM owns, chosen by name from the account team.
    const risks = page.getByTestId("risks");
    const owners = await risks.getByLabel("Owner").locator("option").allTextContents();
    for (const n of team) assert.ok(owners.some((o) => o.startsWith(`${n} · `)), `${n} is offered as an owner (${owners.join(", ")})`);
    assert.ok(!owners.some((o) => /^\d+$/.test(o)), "owners are names, not ids");
    const risk = `Budget freeze in Q3 (browser test ${Date.now()})`;
    await risks.getByLabel("New risk").fill(risk);
    await risks.getByLabel("Owner").selectOption({ label: owners.find((o) => o.startsWith(`${team[1]} · `)) });
    await risks.getByRole("button", { name: "Add risk" }).click();
    await risks.locator("li", { hasText: risk }).getByText(`owner ${team[1]}`).waitFor();
    // Its mitigation, written in place.
    await risks.getByRole("button", { name: `Change the plan against “${risk}”` }).click();
    await risks.getByLabel(`The plan against “${risk}”`).fill("Pull the renewal forward to Q2");
    await risks.getByRole("button", { name: "Save", exact: true }).click();
    await risks.locator("li", { hasText: risk }).getByText("mitigation: Pull the renewal forward to Q2").waitFor();
    // Handed back to the owner AM from the row.
    await risks.getByLabel(`Who mitigates “${risk}”`).selectOption({ label: owners.find((o) => o.startsWith(`${team[0]} · `)) });
    await risks.locator("li", { hasText: risk }).getByText(`owner ${team[0]}`).waitFor();

    // An action for the CSM.
    const actions = page.getByTestId("actions");
    const action = `Send the adoption report (browser test ${Date.now()})`;
    await actions.getByLabel("New action").fill(action);
    await actions.getByLabel("Owner", { exact: true }).selectOption({ label: owners.find((o) => o.startsWith(`${team[1]} · `)) });
    await actions.getByRole("button", { name: "Add action" }).click();
    await actions.locator("li", { hasText: action }).locator(".muted", { hasText: `${team[1]} · due` }).waitFor();
    await actions.getByRole("button", { name: `Change the due date of “${action}”` }).click();
    await actions.getByLabel(`The due date of “${action}”`).fill(daysAgo(-7));
    await actions.getByRole("button", { name: "Save", exact: true }).click();
    await actions.locator("li", { hasText: action }).getByText(`${team[1]} · due ${daysAgo(-7)}`).waitFor();

    // A contact's buying role, influence, reports-to and departure.
    const contactWrites = [];
    page.on("response", async (r) => {
      if (r.request().method() === "PATCH" && r.url().includes("/api/v1/contacts/")) contactWrites.push(`${r.request().postData()} → ${r.status()}`);
    });
    const [boss, who] = [mine.contacts[0], mine.contacts[1]];
    const whoName = `${who.first_name} ${who.last_name}`.trim();
    // Two choices in a row, the second made before the first is stored: the row sends them one
    // after the other, the second with the version the first stored (it used to send the old
    // version and meet a conflict with itself).
    // A slow network (each contact write held 400 ms) makes the overlap certain.
    const slow = async (route) => {
      if (route.request().method() === "PATCH") await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    };
    await page.route("**/api/v1/contacts/*", slow);
    await page.getByLabel(`Buying role of ${whoName}`).selectOption("economic_buyer");
    await page.getByLabel(`Influence of ${whoName}`).selectOption("5");
    await page.locator(`[data-testid=map-as-text] li[data-contact="${who.id}"]`, { hasText: "Economic buyer" }).waitFor({ state: "attached" });
    await eventually(async () => (await adminApi.get(`/api/v1/contacts/${who.id}`)).influence === 5, "influence 5 stored");
    await page.unroute("**/api/v1/contacts/*", slow);
    const bossName = `${boss.first_name} ${boss.last_name}`.trim();
    await page.getByLabel(`${whoName} reports to`).selectOption(String(boss.id));
    await page.locator(`[data-testid=map-as-text] li[data-contact="${who.id}"]`, { hasText: `reports to ${bossName}` }).waitFor({ state: "attached" });
    await page.getByLabel(`Status of ${whoName}`).selectOption("departed");
    await eventually(async () => (await adminApi.get(`/api/v1/contacts/${who.id}`)).status === "departed", "departed stored").catch(async (e) => {
      const shown = await page.locator("[data-testid=conflict], [data-testid=write-error]").allTextContents();
      throw new Error(`${e.message}; writes: ${contactWrites.join(" | ")}; the page shows: ${shown.join(" | ")}`);
    });
    assert.equal(await page.getByTestId("conflict").count(), 0, "successive edits of one contact are not a conflict with oneself");
    const stored = await adminApi.get(`/api/v1/contacts/${who.id}`);
    assert.deepEqual([stored.buying_role, stored.influence, stored.reports_to_id, stored.status], ["economic_buyer", 5, boss.id, "departed"]);
    assert.equal(stored.departed_on, today, "the day they left is stamped, for the history to count them until then");
    await page.waitForFunction((label) => document.querySelector(`select[aria-label="${label}"]`)?.value === "departed", `Status of ${whoName}`);
    await page.getByLabel(`Status of ${whoName}`).locator("xpath=ancestor::tr").getByText(`since ${today}`).waitFor();
  });

  await step("the AM marks the plan reviewed; its freshness starts again", async () => {
    await page.getByRole("button", { name: "Mark plan reviewed" }).click();
    await page.getByText(`Marked reviewed on ${today}.`).waitFor();
    await page.waitForFunction(() => document.querySelector("[data-testid=plan-freshness]")?.textContent === "Reviewed or changed 0 days ago");
    assert.equal((await adminApi.get(`/api/v1/plans/${mine.plan.id}`)).last_reviewed_at.slice(0, 10), today);
  });

  await step("Export plan (PDF) opens the plan as a print-ready page", async () => {
    const button = page.getByRole("button", { name: "Export plan (PDF)" });
    assert.ok(await button.isVisible());
    assert.match(await button.getAttribute("title"), /Save as PDF/);
    const [popup] = await Promise.all([page.waitForEvent("popup"), button.click()]);
    await popup.waitForLoadState();
    assert.match(popup.url(), new RegExp(`/api/v1/plans/${mine.plan.id}/export$`));
    assert.equal(await popup.locator("h1").textContent(), mine.account.name);
    const hint = popup.locator(".print-hint");
    assert.ok(await hint.isVisible(), "on screen the page says how to save it as a PDF");
    await popup.emulateMedia({ media: "print" });
    assert.ok(await hint.isHidden(), "the print styles hide the hint");
    assert.ok(await popup.getByText("Risks", { exact: true }).isVisible());
    await popup.close();
  });

  await step("the overdue QBR is on the account page, with the way to record it", async () => {
    const due = page.getByTestId("reviews-due");
    const item = due.locator(`li[data-review="${review.body.id}"]`);
    await item.waitFor();
    assert.match(await item.textContent(), /12 days overdue/);
    assert.match(await item.textContent(), mine.account.tier === 1 ? /QBR/ : /Customer review/);
    await page.screenshot({ path: join(shots, "am-day-mine.png"), fullPage: true });
    await item.getByRole("link").click();
    await page.waitForURL(`${base}/reviews`);
    await page.getByRole("link", { name: mine.account.name }).first().waitFor();
  });

  await step("handed to another AM while the page is open, a write is refused with whose book it is", async () => {
    await page.goto(`${base}/accounts/${mine.account.id}`);
    await page.getByRole("form", { name: "New opportunity" }).waitFor();
    const current = await adminApi.get(`/api/v1/accounts/${mine.account.id}`);
    const next = ams.find((u) => u.id !== mine.am.id && u.id !== current.csm_id);
    const handed = await adminApi.patch(`/api/v1/accounts/${mine.account.id}`, { owner_id: next.id, version: current.version });
    assert.equal(handed.status, 200, JSON.stringify(handed.body));
    const form = page.getByRole("form", { name: "New opportunity" });
    await form.getByLabel("Opportunity name").fill("Not mine any more");
    await form.getByRole("button", { name: "Add opportunity" }).click();
    const refusal = form.getByTestId("write-error");
    await refusal.waitFor();
    const text = await refusal.textContent();
    assert.match(text, new RegExp(`You can't change this account: it's in ${next.name}'s book`));
    assert.ok(!text.includes("Could not load"), text);
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
