// Automation in the browser (issue 19, item 7): Debian's chromium driven by playwright-core
// against the real orchard binary over a freshly seeded book (served with `serve`, so the 12
// shipped rules are drafts). An admin opens Rules and sees them; writes a rule whose condition is
// read as they type (a misspelt field shown with its column, then fixed), whose bad recipient is
// refused by the server naming the field, dry-runs it, backtests it over the last 12 months (the
// headline, the month chart and the sample agree with the API) and saves it active; runs the rules from
// the page and sees the inbox bell's count rise; follows a notification to its account, whose
// Automation section says the rule fired there and what its action did; marks all read; saves a
// new version (its cap lowered: the meter turns red) and reads the diff; meets a stale edit;
// resumes a rule its cap paused; adds a webhook endpoint (its secret shown once), deactivates it
// and replays the delivery that went dead. An AM sees the rules but no control that would change
// them, and no webhooks.
//
// Env: ORCHARD_BINARY (the orchard executable), ORCHARD_SOURCE_DIR, ORCHARD_SCREENSHOTS (dir).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { accessibilityChecker, apiClient, freePort, launchBrowser, orchardServer, password, run, scratch, signInOn, signOutOn, source, step } from "./harness.mjs";

const { check: checkAccessibility, findings: axeFindings } = accessibilityChecker();

const shots = process.env.ORCHARD_SCREENSHOTS ?? join(source, "build/web-screenshots");
mkdirSync(shots, { recursive: true });
const { work, db, cleanUp } = scratch("orchard-rules-");
const admin = "admin@orchard.test";
const am = "am.rules@orchard.test";
// Full passes of the date rules once an hour: in this test the rules act when "Run now" says.
const server = orchardServer(db, ["--rules-every", "3600"]);

let browser;
let exitCode = 0;
try {
  run(["seed", "--db", db, "--accounts", "200"]);
  run(["user", "add", "--db", db, "--email", admin, "--role", "admin", "--name", "Ada Admin"], `${password}\n`);
  run(["user", "add", "--db", db, "--email", am, "--role", "am", "--name", "Ari Manager"], `${password}\n`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await server.start(port);
  const adminApi = await apiClient(base, admin);
  const hook = await adminApi.post("/api/v1/webhooks", { name: "CRM bridge", url: "https://hooks.example.test/orchard", events: ["*"] });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));

  browser = await launchBrowser(work);
  const page = browser.pages()[0] ?? (await browser.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.setDefaultTimeout(30000);
  await signInOn(page, base, admin);
  const bell = page.getByTestId("inbox-bell");

  await step("Rules is in the navigation; it lists the 12 shipped rules as drafts, none acting, each with its cap meter", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rules" }).click();
    await page.waitForURL(`${base}/rules`);
    const rows = page.getByTestId("rules").locator("tbody tr");
    await rows.first().waitFor();
    assert.equal(await rows.count(), 12);
    for (const text of await rows.allTextContents()) {
      assert.match(text, /Draft/);
      assert.match(text, /Not acting \(draft\)/);
      assert.match(text, /0 \/ 500 today/);
    }
    assert.match(await rows.first().textContent(), /Renewal in 90 days \(tier 1: 120\)/, "the trigger in words, with its tier's own mark");
    assert.equal(await bell.getAttribute("aria-label"), "Notifications: 0 unread");
    assert.equal(await page.getByTestId("inbox-count").count(), 0, "no count on the bell while nothing is unread");
    await checkAccessibility(page, "rules");
  });

  const ruleName = `Renewals near: tier 1 and 2 (browser test ${Date.now()})`;
  const definition = { trigger: { kind: "renewal_in", days: 90, catch_up_days: 30 }, condition: "tier in (1, 2)", actions: [{ kind: "notify", title: "Renewal near {{account.name}}", body: "Renews on {{renewal_date}}.", to: [`user:${admin}`] }], cooldown_days: 0, cap_per_day: 500 };
  const expected = (await adminApi.post("/api/v1/rules/dry-run", { definition, limit: 1 })).body.total;
  assert.ok(expected > 0, "the seeded book has tier 1–2 accounts renewing within 90 days");

  await step("a new rule: the condition's mistake is shown with its column as it is typed, then reads once fixed", async () => {
    await page.getByRole("link", { name: "New rule" }).click();
    await page.waitForURL(`${base}/rules/new`);
    const form = page.getByRole("form", { name: "New rule" });
    await form.getByLabel(/^Name/).fill(ruleName);
    assert.equal(await form.getByLabel("Trigger").inputValue(), "renewal_in");
    assert.equal(await form.getByLabel("Days before the renewal").inputValue(), "90");
    // Each trigger has its own parameters: a colour change names its colours.
    await form.getByLabel("Trigger").selectOption({ label: "Health colour changed" });
    assert.ok(await form.getByRole("group", { name: "Turns" }).getByLabel("Red").isChecked());
    assert.equal(await form.getByLabel("Days before the renewal").count(), 0);
    await form.getByLabel("Trigger").selectOption({ label: "Renewal in N days" });
    assert.equal(await form.getByLabel("Days before the renewal").inputValue(), "90");
    const condition = form.getByLabel(/^Condition/);
    const error = page.getByTestId("condition-error");
    // A reading of an earlier text is not left under a longer one while the new one is read
    // (here, never answered): its caret would point into the wrong text.
    await condition.fill("tier");
    await error.getByText("expected a comparison after 'tier'").waitFor();
    const held = () => {};
    await page.route("**/api/v1/rules/check", held);
    await condition.pressSequentially(" = 1", { delay: 20 });
    await error.waitFor({ state: "detached" });
    await page.unroute("**/api/v1/rules/check", held);
    await condition.fill("");
    await condition.pressSequentially("tier = 1 and helth < 5", { delay: 20 });
    await error.waitFor();
    const text = await error.textContent();
    assert.match(text, /line 1, column 14: expected a field name/);
    assert.match(text, /did you mean 'health'\?/);
    const caret = await error.locator("pre.caret").textContent();
    assert.equal(caret, `tier = 1 and helth < 5\n${" ".repeat(13)}^ column 14`, "the caret sits under 'helth'");
    assert.equal(await condition.getAttribute("aria-invalid"), "true");
    // The field list is there to help.
    await form.getByText("Fields a condition can use").click();
    await form.locator(".vocabulary").getByText("the health score, 0–100").waitFor();

    await condition.fill("tier in (1,2)");
    await page.getByTestId("condition-ok").waitFor();
    assert.equal(await page.getByTestId("condition-ok").textContent(), "Reads as: tier in (1, 2)");
    assert.equal(await page.getByTestId("condition-error").count(), 0);
  });

  await step("a notify action to the admin; the server's refusal of a bad recipient names the field; a dry run lists the accounts", async () => {
    const form = page.getByRole("form", { name: "New rule" });
    // Actions are a list: one added, then removed again.
    await form.getByRole("button", { name: "Add action" }).click();
    assert.equal(await form.getByTestId("rule-action").count(), 2);
    assert.match(await form.getByTestId("rule-action").nth(1).locator("legend").textContent(), /^Action 2: Notification$/);
    // A webhook action names its endpoint from the admin's list.
    await form.getByTestId("rule-action").nth(1).getByLabel(/^Kind/).selectOption({ label: "Webhook" });
    const endpoint = form.getByTestId("rule-action").nth(1).getByLabel(/^Endpoint/);
    await endpoint.locator("option", { hasText: "CRM bridge — https://hooks.example.test/orchard" }).waitFor({ state: "attached" });
    assert.equal(await endpoint.inputValue(), "", "every subscribed endpoint unless one is chosen");
    await form.getByRole("button", { name: "Remove action 2" }).click();
    assert.equal(await form.getByTestId("rule-action").count(), 1);
    const action = form.getByTestId("rule-action").first();
    await action.getByLabel(/^Kind/).selectOption({ label: "Notification" });
    await action.getByLabel(/^To \(/).fill("user:");
    await action.getByLabel("Notification title").fill(definition.actions[0].title);
    await action.getByLabel("Notification body").fill(definition.actions[0].body);
    await form.getByRole("button", { name: "Save rule" }).click();
    const refusal = form.getByTestId("write-error");
    await refusal.waitFor();
    assert.match(await refusal.textContent(), /actions\[0\]\.to\[0\]: 'user:' takes an e-mail address/);
    assert.equal(page.url(), `${base}/rules/new`, "nothing saved");

    await action.getByLabel(/^To \(/).fill(`user:${admin}`);
    await form.getByRole("button", { name: "Dry run" }).click();
    const dry = page.getByTestId("dry-run");
    await dry.waitFor();
    assert.equal(await dry.getByRole("heading").textContent(), `Dry run: it would act on ${expected} accounts now`);
    const links = dry.locator("tbody a");
    assert.equal(await links.count(), Math.min(expected, 20));
    assert.match(await links.first().getAttribute("href"), /^\/accounts\/\d+$/);
    assert.match(await dry.locator("tbody tr").first().textContent(), /the rule acts at 90 days or less/);
    await checkAccessibility(page, "rule editor");
    await page.screenshot({ path: join(shots, "rules-editor.png"), fullPage: true });
  });

  await step("Backtest (12 months): a refusal names the field beside the button; then the headline's firings are the API's for the same draft, the month chart draws its by_month and the sample links to accounts", async () => {
    const form = page.getByRole("form", { name: "New rule" });
    const action = form.getByTestId("rule-action").first();
    const button = form.getByRole("button", { name: "Backtest (12 months)" });
    await action.getByLabel(/^To \(/).fill("user:");
    await button.click();
    const refusal = form.getByTestId("backtest-error");
    await refusal.waitFor();
    assert.match(await refusal.textContent(), /actions\[0\]\.to\[0\]: 'user:' takes an e-mail address/);
    await action.getByLabel(/^To \(/).fill(`user:${admin}`);

    // The same draft through the page's own session (its fetch and CSRF token).
    const draft = { ...definition, condition: "tier in (1,2)" };
    const api = await page.evaluate(async (def) => {
      const session = await (await fetch("/api/v1/auth/session", { credentials: "same-origin" })).json();
      const r = await fetch("/api/v1/rules/backtest", {
        method: "POST",
        credentials: "same-origin",
        headers: { accept: "application/json", "content-type": "application/json", "x-csrf-token": session.csrf_token },
        body: JSON.stringify({ definition: def }),
      });
      return { status: r.status, body: await r.json() };
    }, draft);
    assert.equal(api.status, 200, JSON.stringify(api.body));
    assert.ok(api.body.firings > 0, "a renewal rule fires over a year of the seeded book");
    // A year of weekly steps, from–to, touches 12 or 13 calendar months, the first and last only
    // in part (by the day of the month the test runs on); by_month lists those with a firing,
    // in order, and adds up to the firings. The seeded book fires in every whole month.
    const months = api.body.by_month.map((m) => m.month);
    const [first, last] = [api.body.from.slice(0, 7), api.body.to.slice(0, 7)];
    assert.deepEqual(months, [...new Set(months)].sort(), "months once each, in order");
    assert.ok(months.every((m) => m >= first && m <= last), `${months} within ${first}–${last}`);
    assert.equal(api.body.by_month.reduce((n, m) => n + m.firings, 0), api.body.firings);
    for (let d = new Date(`${first}-01T00:00:00Z`); ; ) {
      d.setUTCMonth(d.getUTCMonth() + 1);
      const month = d.toISOString().slice(0, 7);
      if (month >= last) break;
      assert.ok(months.includes(month), `the whole month ${month} has firings: ${months}`);
    }

    await button.click();
    await refusal.waitFor({ state: "detached" }); // the refusal goes once the draft reads
    const result = page.getByTestId("backtest");
    const headline = result.getByTestId("backtest-headline");
    await headline.waitFor();
    const text = await headline.textContent();
    assert.match(text, new RegExp(`^Would have fired ${api.body.firings} times on ${api.body.accounts} accounts?\\.`), text);
    assert.match(text, /ARR fell within 90 days for \d+\.\d % of them \(\d+ of \d+\) against \d+\.\d % of the accounts it did not fire on \(\d+ of \d+\)\./, text);
    assert.match(text, api.body.fired.share > api.body.not_fired.share ? /It predicts risk: / : /It does not predict anything here\./, text);

    // The month chart: ECharts holds the API's by_month as bars, and drew them.
    const chart = result.getByTestId("backtest-months");
    await page.waitForFunction(() => document.querySelector("[data-testid=backtest-months]")?.chart?.getOption()?.series?.[0]?.data?.length > 0);
    const drawn = await chart.evaluate((el) => {
      const c = el.chart;
      const o = c.getOption();
      const data = c.getModel().getSeriesByIndex(0).getData();
      const heights = [];
      for (let i = 0; i < data.count(); i++) heights.push(Math.abs(data.getItemLayout(i)?.height ?? 0));
      return { type: o.series[0].type, months: o.xAxis[0].data, firings: o.series[0].data, heights };
    });
    assert.equal(drawn.type, "bar");
    assert.deepEqual(drawn.months, api.body.by_month.map((m) => m.month));
    assert.deepEqual(drawn.firings, api.body.by_month.map((m) => m.firings));
    drawn.firings.forEach((n, i) => assert.equal(drawn.heights[i] > 0, n > 0, `the bar of ${drawn.months[i]} (${n} firings) is drawn`));
    const buckets = result.getByTestId("backtest-renewal").locator("tbody tr");
    assert.equal(await buckets.count(), api.body.by_days_to_renewal.length);

    const links = result.getByTestId("backtest-sample").locator("tbody a");
    assert.equal(await links.count(), Math.min(10, api.body.sample.length));
    assert.equal(await links.first().getAttribute("href"), `/accounts/${api.body.sample[0].account_id}`);
    assert.equal(await links.first().textContent(), api.body.sample[0].name);
    await checkAccessibility(page, "rule editor backtest", [["[data-testid=backtest]"]]);
    await result.screenshot({ path: join(shots, "rules-backtest.png") });
  });

  let ruleId;
  await step("saved active, the rule opens on its own page and is live in the list", async () => {
    const form = page.getByRole("form", { name: "New rule" });
    await form.getByLabel(/^Status/).selectOption("active");
    await form.getByRole("button", { name: "Save rule" }).click();
    await page.waitForURL(/\/rules\/\d+$/);
    ruleId = Number(page.url().split("/").pop());
    await page.getByRole("heading", { level: 1, name: ruleName }).waitFor();
    const stored = await adminApi.get(`/api/v1/rules/${ruleId}`);
    assert.equal(stored.status, "active");
    assert.deepEqual(stored.definition, { ...definition, condition: "tier in (1,2)" }, "stored as typed");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rules" }).click();
    const row = page.locator(`[data-testid=rules] tr[data-rule="${ruleId}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /Active/);
    assert.match(await row.textContent(), /Live/);
    assert.match(await row.textContent(), /Notification/);
  });

  let fired;
  await step("Run now: the page says what fired, the cap meter counts it and the bell's unread count rises", async () => {
    await page.getByRole("button", { name: "Run now" }).click();
    const report = page.getByTestId("run-report");
    await report.waitFor();
    fired = Number(/(\d+) fired/.exec(await report.textContent())[1]);
    assert.equal(fired, expected, await report.textContent());
    await page.waitForFunction((n) => document.querySelector("[data-testid=inbox-count]")?.textContent === String(n), fired);
    assert.equal(await bell.getAttribute("aria-label"), `Notifications: ${fired} unread`);
    const meter = page.locator(`[data-testid=rules] tr[data-rule="${ruleId}"] [data-testid=cap-meter]`);
    await meter.getByText(`${fired} / 500 today`).waitFor();
    assert.equal(await meter.getAttribute("data-level"), "ok");
  });

  let account;
  await step("the bell lists the notifications; clicking one marks it read and opens its account", async () => {
    await bell.click();
    const panel = page.getByTestId("inbox-panel");
    const items = panel.getByTestId("notification");
    await items.first().waitFor();
    assert.equal(await items.count(), Math.min(fired, 20));
    const first = items.first();
    const title = await first.getByRole("link").textContent();
    assert.match(title, /^Renewal near .+ \(unread\)$/);
    assert.match(await first.textContent(), /Renews on \d{4}-\d{2}-\d{2}\./);
    await checkAccessibility(page, "inbox");
    const href = await first.getByRole("link").getAttribute("href");
    account = Number(href.split("/").pop());
    await first.getByRole("link").click();
    await page.waitForURL(`${base}${href}`);
    await page.waitForFunction((n) => document.querySelector("[data-testid=inbox-count]")?.textContent === String(n), fired - 1);
    assert.equal(await panel.count(), 0, "the panel closes");
  });

  await step("the account's Automation section: the rule fired here already, with its notification done", async () => {
    const section = page.getByTestId("automation");
    const trace = section.locator(`[data-testid=trace][data-rule="${ruleId}"]`);
    await trace.waitFor();
    const verdict = await trace.getByTestId("verdict").textContent();
    assert.match(verdict, /It fired on renewal:\d{4}-\d{2}-\d{2} already/);
    await trace.locator("summary").click();
    assert.match(await trace.locator("dl.trace").textContent(), /✓ held: the renewal on \d{4}-\d{2}-\d{2} is \d+ days away; the rule acts at 90 days or less/);
    const clause = trace.locator("dl.trace tbody tr").first();
    assert.match(await clause.textContent(), /tier in \(1, 2\)tier = [12]✓ held/);
    const firing = trace.getByTestId("firing");
    assert.equal(await firing.count(), 1);
    assert.match(await firing.textContent(), /Notification: Done — notified 1 user/);
    // The shipped drafts are there too, folded away, saying why they do not act.
    assert.match(await section.locator("details > summary", { hasText: "not acting" }).textContent(), /^12 rules not acting/);
    // The top bar and this section: the account page as a whole is web_ui's to check.
    await checkAccessibility(page, "account automation", [["header.top"], ["[data-testid=automation]"]]);
    await section.screenshot({ path: join(shots, "rules-account-trace.png") });
  });

  await step("Mark all read: the bell's count goes to 0", async () => {
    await bell.click();
    await page.getByTestId("inbox-panel").getByTestId("notification").first().waitFor();
    await page.getByRole("button", { name: "Mark all read" }).click();
    await page.waitForFunction(() => document.querySelector("[data-testid=inbox-bell]")?.getAttribute("aria-label") === "Notifications: 0 unread");
    assert.equal(await page.getByTestId("inbox-count").count(), 0);
    assert.equal((await adminApi.get("/api/v1/inbox?unread=true")).unread, 0);
    await page.keyboard.press("Escape");
  });

  await step("a new version: the cap lowered to today's firings, the versions list it and the diff says what changed; the meter is red", async () => {
    await page.goto(`${base}/rules/${ruleId}`);
    const form = page.getByRole("form", { name: `Edit rule ${ruleName}` });
    await form.getByLabel("Cap (firings a day)").fill(String(fired));
    await form.getByRole("button", { name: "Save new version" }).click();
    await page.getByTestId("rule-saved").getByText("Saved as version 2.").waitFor();
    const versions = page.getByTestId("versions");
    await versions.getByText("2 (current)").waitFor();
    assert.equal(await versions.locator("tbody tr").count(), 2);
    assert.equal(await versions.getByLabel("Compare the current version with").inputValue(), "1");
    await page.getByTestId("diff").getByText(`cap_per_day: 500 → ${fired}`).waitFor();
    const meter = page.locator("h1 + p [data-testid=cap-meter]");
    await meter.getByText("at its cap").waitFor();
    assert.equal(await meter.getAttribute("data-level"), "full");
    await checkAccessibility(page, "rule page");
    await page.screenshot({ path: join(shots, "rules-rule.png"), fullPage: true });
  });

  await step("someone else saves the rule meanwhile: the page says so and keeps the edit", async () => {
    const form = page.getByRole("form", { name: `Edit rule ${ruleName}` });
    const other = await adminApi.patch(`/api/v1/rules/${ruleId}`, { version: 2, description: "Changed by someone else" });
    assert.equal(other.status, 200, JSON.stringify(other.body));
    await form.getByLabel("Description").fill("My description");
    await form.getByRole("button", { name: "Save new version" }).click();
    const conflict = page.getByTestId("conflict");
    await conflict.waitFor();
    assert.match(await conflict.textContent(), /Someone else changed this rule while you were editing \(it is now version 3\)/);
    assert.equal(await form.getByLabel("Description").inputValue(), "My description", "the edit stays on screen");
    await conflict.getByRole("button", { name: "Save mine over theirs" }).click();
    await page.getByTestId("rule-saved").getByText("Saved as version 4.").waitFor();
    assert.equal((await adminApi.get(`/api/v1/rules/${ruleId}`)).description, "My description");
  });

  await step("a rule its cap paused shows why, with Resume; resumed, it is live again", async () => {
    const capped = await adminApi.post("/api/v1/rules", {
      name: "Stale plans, two a day (browser test)",
      status: "active",
      definition: { trigger: { kind: "plan_stale" }, condition: "", actions: [{ kind: "task", title: "Refresh the plan of {{account.name}}", owner: "am", due_in_days: 7 }], cap_per_day: 2 },
    });
    assert.equal(capped.status, 201, JSON.stringify(capped.body));
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rules" }).click();
    await page.getByRole("button", { name: "Run now" }).click();
    await page.getByTestId("run-report").getByText(/Paused: /).waitFor();
    const row = page.locator(`[data-testid=rules] tr[data-rule="${capped.body.id}"]`);
    await row.getByTestId("paused").waitFor();
    assert.match(await row.getByTestId("paused").textContent(), /^Paused since \d{4}-\d{2}-\d{2}: .+/);
    const meter = row.getByTestId("cap-meter");
    assert.equal(await meter.getAttribute("data-level"), "full");
    assert.match(await meter.textContent(), /2 \/ 2 today · at its cap/);
    await page.screenshot({ path: join(shots, "rules-list.png"), fullPage: true });
    await row.getByRole("button", { name: /^Resume/ }).click();
    await row.getByText("Live", { exact: true }).waitFor();
    assert.equal(await row.getByTestId("paused").count(), 0);
    assert.equal((await adminApi.get(`/api/v1/rules/${capped.body.id}`)).paused_reason, null);
  });

  await step("webhooks: an endpoint added shows its secret once, is deactivated, and its dead letter is replayed", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rules" }).click();
    await page.getByRole("link", { name: "Webhooks and dead letters" }).click();
    await page.waitForURL(`${base}/webhooks`);
    const endpoints = page.getByTestId("endpoints");
    await endpoints.locator("tr", { hasText: "CRM bridge" }).waitFor();
    assert.match(await endpoints.locator("tr", { hasText: "CRM bridge" }).textContent(), /https:\/\/hooks\.example\.test\/orchard.*Every event.*…[0-9a-f]{4}Active/);

    const form = page.getByRole("form", { name: "Add a webhook endpoint" });
    await form.getByLabel("Endpoint name").fill("Old receiver");
    await form.getByLabel(/^URL/).fill("http://127.0.0.1:9/hook");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const notice = page.getByTestId("webhook-secret");
    await notice.waitFor();
    const secret = /whsec_[0-9a-f]{64}/.exec(await notice.textContent())?.[0];
    assert.ok(secret, await notice.textContent());
    const row = endpoints.locator("tr", { hasText: "Old receiver" });
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(`…${secret.slice(-4)}Active`), "later only its last four characters");
    assert.ok(!(await endpoints.textContent()).includes(secret), "the table never shows the secret");
    const id = Number(await row.getAttribute("data-endpoint"));
    await row.getByRole("button", { name: "Deactivate Old receiver" }).click();
    await row.getByText("Deactivated").waitFor();

    // A rule posts to it anyway: the delivery goes dead at once.
    const hooked = await adminApi.post("/api/v1/rules", {
      name: "Stale plans to the old receiver (browser test)",
      status: "active",
      definition: { trigger: { kind: "plan_stale" }, condition: "", actions: [{ kind: "webhook", endpoint_id: id }], cap_per_day: 1 },
    });
    assert.equal(hooked.status, 201, JSON.stringify(hooked.body));
    assert.equal((await adminApi.post("/api/v1/rules/run")).status, 200);
    let dead = [];
    for (let i = 0; i < 300 && dead.length === 0; i++) {
      dead = (await adminApi.get("/api/v1/deliveries?status=dead")).items.filter((d) => d.endpoint_id === id);
      if (dead.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(dead.length, 1, "the delivery to a deactivated endpoint is dead");
    await page.reload();
    const letter = page.locator(`[data-testid=dead-letters] tr[data-delivery="${dead[0].id}"]`);
    await letter.waitFor();
    assert.match(await letter.textContent(), /Webhook · Plan stale · account/);
    assert.match(await letter.textContent(), /Old receiver/);
    assert.match(await letter.textContent(), /the webhook endpoint was deactivated or removed/);
    await checkAccessibility(page, "webhooks");
    await page.screenshot({ path: join(shots, "rules-webhooks.png"), fullPage: true });
    await letter.getByRole("button", { name: /^Replay/ }).click();
    await page.getByTestId("webhooks-note").getByText(`Delivery ${dead[0].delivery_id} is queued again, with its original id.`).waitFor();
  });

  await step("the rules, a rule, the editor and webhooks fit 1280 px and an 820-px tablet", async () => {
    for (const width of [1280, 820]) {
      await page.setViewportSize({ width, height: 1000 });
      for (const path of ["/rules", `/rules/${ruleId}`, "/rules/new", "/webhooks"]) {
        await page.goto(`${base}${path}`);
        await page.locator("main h1").waitFor();
        await page.waitForLoadState("networkidle");
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(wide <= 0, `${path} fits ${width} px (${wide} px too wide)`);
      }
    }
    await page.screenshot({ path: join(shots, "rules-editor-tablet.png") });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await step("an AM sees the rules, but no control that would change them", async () => {
    await signOutOn(page);
    await signInOn(page, base, am);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rules" }).click();
    await page.locator(`[data-testid=rules] tr[data-rule="${ruleId}"]`).waitFor();
    for (const name of ["Run now", "Resume"]) assert.equal(await page.getByRole("button", { name }).count(), 0, `no "${name}" for an AM`);
    assert.equal(await page.getByRole("link", { name: "New rule" }).count(), 0, "no New rule for an AM");
    await page.getByRole("link", { name: ruleName }).click();
    await page.getByTestId("rule-summary").waitFor();
    assert.match(await page.getByTestId("rule-summary").textContent(), /WhenRenewal in 90 daysIftier in \(1,2\)ThenNotification: Renewal near/);
    assert.equal(await page.getByRole("form").count(), 0, "no editor");
    assert.equal(await page.getByRole("button", { name: /^Save/ }).count(), 0);
    assert.equal(await page.locator("main").locator("input, textarea").count(), 0, "nothing to type in");
    await page.getByTestId("versions").waitFor();
    // Reading what a rule would do is open to everyone.
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.getByTestId("dry-run").getByRole("heading", { name: /^Dry run: it would act on \d+ accounts? now$/ }).waitFor();
    await page.goto(`${base}/rules/new`);
    await page.getByText("Only admins and leaders write rules.").waitFor();
    await page.goto(`${base}/rules`);
    await page.getByTestId("rules").waitFor();
    assert.equal(await page.getByRole("link", { name: "Webhooks and dead letters" }).count(), 0);
    await page.goto(`${base}/webhooks`);
    await page.getByText("Only admins manage webhook endpoints and deliveries.").waitFor();
    assert.equal(await page.getByRole("form").count(), 0);
  });

  await step("no serious or critical accessibility problems (axe-core) on the automation views", async () => {
    assert.deepEqual(axeFindings, []);
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
