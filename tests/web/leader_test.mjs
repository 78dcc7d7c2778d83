// Issue 18 in a real browser: a leader's weekly review, and an AM's, CSM's and manager's own book.
// Over a seeded book with two accounts made for it — a big green account renewing in 45 days and
// a tier-1 red account renewing in 6 days — it checks what each user sees:
//   9. Home's at-risk and renewals panels put the red 6-day renewal first, say the rule, and
//      rank by ARR on request;
//   7. the accounts list counts its matches and sorts by ARR, health, renewal, last contact, plan
//      completeness and depth, with filters on, in the address;
//   8. every dashboard panel pages to its end ("See all (N)"), filters by team, AM, tier and
//      window, drills into accounts; the leaderboard shows every AM; the inspection queue marks
//      the random sample;
//  10. coverage measures the pooled tier-3 team against its pooled capacity (a setting);
//   5. an AM, a CSM and a manager open on their own book, one choice from the whole, kept in the
//      address.
//
// Env: ORCHARD_BINARY, ORCHARD_SOURCE_DIR, ORCHARD_SCREENSHOTS (dir).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { apiClient, freePort, launchBrowser, orchardServer, password, run, scratch, signInOn, source } from "./harness.mjs";

const shots = process.env.ORCHARD_SCREENSHOTS ?? join(source, "build/web-screenshots");
mkdirSync(shots, { recursive: true });
const { work, db, cleanUp } = scratch("orchard-leader-");
const server = orchardServer(db);
const users = { admin: "lead@orchard.test", am: "amy@orchard.test", csm: "cal@orchard.test", manager: "meg@orchard.test" };

let step = 0;
async function check(name, f) {
  const t = Date.now();
  step++;
  try {
    await f();
    console.log(`ok   ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    console.log(`FAIL ${name}`);
    throw e;
  }
}

const isoIn = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
const count = (text) => Number(text.replace(/,/g, "").match(/^(\d+) accounts?/)?.[1]);

let browser;
let exitCode = 0;
try {
  run(["seed", "--db", db, "--accounts", "150"]);
  run(["user", "add", "--db", db, "--email", users.admin, "--role", "admin", "--name", "Lee Leader"], `${password}\n`);
  run(["user", "add", "--db", db, "--email", users.manager, "--role", "manager", "--name", "Meg Manager"], `${password}\n`);
  run(["user", "add", "--db", db, "--email", users.am, "--role", "am", "--name", "Amy Am"], `${password}\n`);
  run(["user", "add", "--db", db, "--email", users.csm, "--role", "csm", "--name", "Cal Csm"], `${password}\n`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await server.start(port);
  const api = await apiClient(base, users.admin);

  // The people: Amy reports to Meg; Cal is a CSM.
  const everyone = (await api.get("/api/v1/users?limit=500")).items;
  const byEmail = (e) => everyone.find((u) => u.email === e);
  const amy = byEmail(users.am);
  const meg = byEmail(users.manager);
  const cal = byEmail(users.csm);
  assert.equal((await api.patch(`/api/v1/users/${amy.id}`, { version: amy.version, manager_id: meg.id })).status, 200);

  // The two accounts of item 9, both Amy's: a big green one and a tier-1 red one renewing in 6 days.
  const product = (await api.get("/api/v1/products?limit=1")).items[0];
  const make = async (name, dollars, renewsIn, score, extra = {}) => {
    const a = await api.post("/api/v1/accounts", { name, owner_id: amy.id, industry: "Energy", region: "EMEA", ...extra });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    const line = { product_id: product.id, arr_cents: dollars * 100, start_date: isoIn(-300), end_date: isoIn(renewsIn) };
    assert.equal((await api.post(`/api/v1/accounts/${a.body.id}/contract-lines`, line)).status, 201);
    const o = await api.post(`/api/v1/accounts/${a.body.id}/health-overrides`, { score, reason: "Set for the weekly review", expires_on: isoIn(30) });
    assert.equal(o.status, 201, JSON.stringify(o.body));
    return a.body;
  };
  const goliath = await make("Goliath Green Holdings", 1_500_000, 45, 88);
  const redwood = await make("Redwood Urgent Mills", 400_000, 6, 8, { strategic: true, csm_id: cal.id });
  // Three small seeded accounts join Amy's book too.
  const seeded = (await api.get("/api/v1/accounts?limit=3&tier=3")).items;
  for (const a of seeded) assert.equal((await api.patch(`/api/v1/accounts/${a.id}`, { version: a.version, owner_id: amy.id })).status, 200);
  const book = (await api.get("/api/v1/accounts?limit=1")).total;
  assert.equal(book, 152, "the seeded 150 and the two made here");

  browser = await launchBrowser(work);
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const signIn = async (email) => {
    await page.context().clearCookies();
    await signInOn(page, base, email);
  };
  const firstName = (testId) => page.getByTestId(testId).locator("li a").first().textContent();

  await check("9: Home puts the tier-1 red account renewing in 6 days first, says the rule, and ranks by ARR on request", async () => {
    await signIn(users.admin);
    await page.getByTestId("home-at-risk").locator("li").first().waitFor();
    assert.equal(await firstName("home-at-risk"), redwood.name, "at risk: the red 6-day renewal leads");
    assert.equal(await firstName("home-renewals"), redwood.name, "renewals: the red 6-day renewal leads");
    const renewals = await page.getByTestId("home-renewals").locator("li a").allTextContents();
    const api90 = await api.get("/api/v1/dashboards/renewals?limit=200");
    assert.ok(api90.items.some((r) => r.account_id === goliath.id), "the big green account renews in the window too");
    assert.ok(!renewals.slice(0, 1).includes(goliath.name));
    assert.match(await page.getByTestId("home-rank").textContent(), /ARR × \(\(100 − health\) ÷ 100\)² × a time weight/);
    await page.getByTestId("home-rank").getByLabel("Rank by").selectOption("arr");
    const byArr = (await api.get("/api/v1/dashboards/renewals?sort=arr&limit=1")).items[0];
    await page.waitForFunction((n) => document.querySelector("[data-testid=home-renewals] li a")?.textContent === n, byArr.account_name);
    const arrRisk = (await api.get("/api/v1/dashboards/at-risk?sort=arr&limit=1")).items[0];
    assert.equal(await firstName("home-at-risk"), arrRisk.account_name, "by ARR: the largest at-risk account first");
    await page.screenshot({ path: join(shots, "leader-home.png"), fullPage: true });
  });

  await check("7: the accounts list counts what matches and sorts by derived columns with filters on", async () => {
    await page.goto(`${base}/accounts`);
    const countEl = page.getByTestId("accounts-count");
    await page.waitForFunction((n) => document.querySelector("[data-testid=accounts-count]")?.textContent.startsWith(`${n} accounts`), book);
    assert.match(await countEl.textContent(), /· 100 loaded/, "the total, and how many are loaded so far");
    // A header sorts: ARR, largest first.
    await page.locator("[data-sort=arr_cents]").click();
    await page.waitForFunction(() => location.search.includes("sort=-arr_cents"));
    const top = (await api.get("/api/v1/accounts?sort=-arr_cents&limit=1")).items[0];
    await page.waitForFunction((n) => document.querySelector(".vbody [role=row]")?.textContent.includes(n), top.name);
    // With a book filter on: tier 1, by health lowest first.
    await page.locator("select[name=tier]").selectOption("1");
    await page.getByLabel("Order").selectOption("health");
    await page.waitForFunction(() => location.search.includes("tier=1") && location.search.includes("sort=health"));
    const want = await api.get("/api/v1/accounts?tier=1&sort=health&limit=500");
    await page.waitForFunction((n) => document.querySelector("[data-testid=accounts-count]")?.textContent.startsWith(`${n} account`), want.total);
    const shown = await page.locator(".vbody [role=row] a").allTextContents();
    assert.deepEqual(shown, want.items.slice(0, shown.length).map((a) => a.name), "the server's order, tier 1 only");
    const scores = want.items.map((a) => a.health).filter((h) => h !== null);
    assert.deepEqual(scores, [...scores].sort((a, b) => a - b), "lowest health first");
    for (const [sort, field] of [["renewal_date", "renewal_date"], ["-last_meaningful_contact", "last_meaningful_contact"], ["plan_completeness", "plan_completeness"], ["-multithreading_depth", "multithreading_depth"]]) {
      await page.getByLabel("Order").selectOption(sort);
      await page.waitForFunction((s) => new URLSearchParams(location.search).get("sort") === s, sort);
      const rows = (await api.get(`/api/v1/accounts?tier=1&sort=${sort}&limit=500`)).items;
      const vals = rows.map((a) => a[field]).filter((v) => v !== null);
      const ordered = [...vals].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      assert.deepEqual(vals, sort.startsWith("-") ? ordered.reverse() : ordered, `sorted by ${sort}`);
      await page.waitForFunction((n) => document.querySelector(".vbody [role=row]")?.textContent.includes(n), rows[0].name);
    }
    // A reload keeps the filters and the order.
    await page.reload();
    await page.waitForFunction((n) => document.querySelector("[data-testid=accounts-count]")?.textContent.startsWith(`${n} account`), want.total);
    assert.equal(await page.getByLabel("Order").inputValue(), "-multithreading_depth");
    await page.screenshot({ path: join(shots, "leader-accounts.png") });
  });

  await check("8: every panel pages to its end with its count; filters by team, AM, tier and window", async () => {
    await page.goto(`${base}/dashboards`);
    const risk = page.getByTestId("dash-at-risk");
    await risk.locator("tbody tr").first().waitFor();
    const total = (await api.get("/api/v1/dashboards/at-risk?limit=1")).total;
    assert.ok(total > 12, `more accounts at risk than the preview shows (${total})`);
    await page.getByTestId("dash-at-risk-all").getByText(`See all (${total})`).click();
    await page.getByTestId("dash-at-risk-rows").getByText(`Rows 1–${Math.min(25, total)} of ${total}`).waitFor();
    // A page is in when the table holds as many rows as the count line says ("Rows a–b of n"):
    // the line moves at once, the rows when the page has arrived.
    const pageIn = (notFirst) =>
      page.waitForFunction((first) => {
        const line = document.querySelector("[data-testid=dash-at-risk-rows]")?.textContent ?? "";
        const m = /Rows (\d+)–(\d+) of/.exec(line);
        const links = [...document.querySelectorAll("[data-testid=dash-at-risk] tbody tr td:first-child a")];
        return m !== null && links.length === Number(m[2]) - Number(m[1]) + 1 && links[0].getAttribute("href") !== first;
      }, notFirst);
    await pageIn(null);
    const seen = new Set();
    for (let i = 0; i < 20; i++) {
      const hrefs = await risk.locator("tbody tr td:first-child a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      for (const href of hrefs) seen.add(href);
      const next = page.getByTestId("dash-at-risk-pager").getByRole("button", { name: "Next" });
      if (await next.isDisabled()) break;
      await next.click();
      await pageIn(hrefs[0]);
    }
    assert.equal(seen.size, total, "paging reaches every account at risk, each once");
    assert.match(await page.getByTestId("dash-at-risk-rows").textContent(), new RegExp(`–${total} of ${total}$`));
    // The portfolio's chart lists its accounts too, page by page.
    const portfolio = (await api.get("/api/v1/dashboards/portfolio?limit=1")).total;
    await page.getByTestId("dash-portfolio-all").getByText(`See all (${portfolio})`).click();
    await page.getByTestId("dash-portfolio-rows").getByText(`Rows 1–25 of ${portfolio}`).waitFor();
    // The count line shows at once, the rows when the page has arrived.
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=dash-portfolio] tbody tr").length === 25);
    // Every AM on the leaderboard, the pooled team among them.
    const board = await api.get("/api/v1/dashboards/nrr-leaderboard?limit=1000");
    await page.getByTestId("dash-leaderboard").locator("tbody tr").first().waitFor();
    await page
      .waitForFunction((n) => document.querySelectorAll("[data-testid=dash-leaderboard] tbody tr").length === n, board.total, { timeout: 5000 })
      .catch(() => {});
    assert.equal(await page.getByTestId("dash-leaderboard").locator("tbody tr").count(), board.total, "one row per AM");
    assert.ok(board.items.some((r) => r.churn_cents > 0), "the board shows who holds the churn");
    // The inspection queue marks its random sample.
    const queue = await api.get("/api/v1/dashboards/inspection?limit=30");
    const marks = await page.getByTestId("dash-inspection").getByTestId("selected-by").allTextContents();
    assert.deepEqual(marks, queue.items.map((r) => (r.sampled ? "Random sample" : "Rule")));
    assert.ok(marks.includes("Random sample") && marks.includes("Rule"));
    // Filters: Meg's team (Amy's book); the first at-risk row is the red 6-day renewal.
    await page.locator("select[name=book]").selectOption("all");
    await page.locator("form[aria-label='Dashboard filters'] select[name=team]").selectOption(String(meg.id));
    await page.waitForFunction((id) => location.search.includes(`team=${id}`), meg.id);
    await page.waitForFunction((n) => document.querySelector("[data-testid=dash-at-risk] tbody tr a")?.textContent === n, redwood.name);
    const teamRisk = await api.get(`/api/v1/dashboards/at-risk?team=${meg.id}`);
    assert.equal(await risk.locator("tbody tr").count(), teamRisk.items.length, "only the team's accounts");
    await page.locator("form[aria-label='Dashboard filters'] select[name=team]").selectOption("");
    await page.locator("form[aria-label='Dashboard filters'] select[name=am]").selectOption(String(amy.id));
    await page.locator("form[aria-label='Dashboard filters'] select[name=tier]").selectOption("1");
    await page.locator("form[aria-label='Dashboard filters'] select[name=window]").selectOption("30");
    await page.getByTestId("dash-renewals").getByRole("heading", { name: "Upcoming renewals (30 days)" }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=dash-renewals] tbody tr").length === 1);
    assert.equal(await page.getByTestId("dash-renewals").locator("tbody tr a").first().textContent(), redwood.name);
    // The address keeps the filters: a reload shows the same.
    await page.reload();
    await page.getByTestId("dash-renewals").getByRole("heading", { name: "Upcoming renewals (30 days)" }).waitFor();
    assert.equal(await page.locator("form[aria-label='Dashboard filters'] select[name=am]").inputValue(), String(amy.id));
    // A row drills into its account.
    await page.getByTestId("dash-renewals").locator("tbody tr a").first().click();
    await page.waitForFunction((id) => location.pathname === `/accounts/${id}`, redwood.id);
  });

  await check("10: coverage measures the pooled tier-3 team against the pooled capacity, a validated setting", async () => {
    const settings = (await api.get("/api/v1/settings")).settings;
    assert.equal(settings["coverage.pooled_accounts_per_am"], "200");
    const refused = await api.patch("/api/v1/settings", { "coverage.pooled_accounts_per_am": 0 });
    assert.equal(refused.status, 422);
    assert.match(JSON.stringify(refused.body), /coverage\.pooled_accounts_per_am/);
    const coverage = await api.get("/api/v1/dashboards/coverage?limit=100");
    const pooled = coverage.items.filter((r) => r.pooled);
    assert.ok(pooled.length > 0, "the seeded book has a pooled team");
    for (const r of pooled) assert.ok(r.load >= r.tier3_accounts / 200, `pooled load counts tier 3: ${JSON.stringify(r)}`);
    await page.goto(`${base}/dashboards?book=all`);
    await page.getByTestId("dash-coverage").locator("tbody tr").first().waitFor();
    assert.ok((await page.getByTestId("dash-coverage").getByText("(pooled)").count()) >= pooled.length);
    await page.screenshot({ path: join(shots, "leader-dashboards.png"), fullPage: true });
  });

  await check("5: an AM, a CSM and a manager open on their own book; the whole book is one choice away and the address keeps it", async () => {
    await signIn(users.am);
    await page.goto(`${base}/accounts`);
    await page.waitForFunction(() => document.querySelector("[data-testid=accounts-count]")?.textContent.startsWith("5 accounts"));
    assert.ok(page.url().includes("book=mine"));
    await page.locator("select[name=book]").selectOption("all");
    await page.waitForFunction((n) => document.querySelector("[data-testid=accounts-count]")?.textContent.startsWith(`${n} accounts`), book);
    await page.reload();
    await page.waitForFunction((n) => document.querySelector("[data-testid=accounts-count]")?.textContent.startsWith(`${n} accounts`), book);
    assert.ok(page.url().includes("book=all"));
    await page.goto(`${base}/dashboards`);
    await page.waitForFunction((n) => document.querySelector("[data-testid=dash-at-risk] tbody tr a")?.textContent === n, redwood.name);
    const mine = await api.get(`/api/v1/dashboards/at-risk?am=${amy.id}`);
    assert.equal(await page.getByTestId("dash-at-risk").locator("tbody tr").count(), mine.items.length, "Amy's accounts only");
    assert.ok(page.url().includes("book=mine") || !page.url().includes("book="), "mine is Amy's default");

    await signIn(users.csm);
    await page.goto(`${base}/accounts`);
    await page.waitForFunction(() => document.querySelector("[data-testid=accounts-count]")?.textContent.startsWith("1 account"));
    assert.equal(await page.locator(".vbody [role=row] a").first().textContent(), redwood.name, "the account Cal covers as CSM");
    await page.goto(`${base}/`);
    await page.getByTestId("home-at-risk").locator("li").first().waitFor();
    assert.deepEqual(await page.getByTestId("home-at-risk").locator("li a").allTextContents(), [redwood.name], "a CSM's Home: the accounts they cover");

    await signIn(users.manager);
    await page.goto(`${base}/dashboards`);
    await page.waitForFunction((n) => document.querySelector("[data-testid=dash-at-risk] tbody tr a")?.textContent === n, redwood.name);
    assert.equal(await page.locator("select[name=book]").inputValue(), "team");
    await page.goto(`${base}/accounts`);
    await page.waitForFunction(() => document.querySelector("[data-testid=accounts-count]")?.textContent.startsWith("5 accounts"));
    const shared = `${base}/accounts?book=all`;
    await page.goto(shared);
    await page.waitForFunction((n) => document.querySelector("[data-testid=accounts-count]")?.textContent.startsWith(`${n} accounts`), book);
  });

  assert.deepEqual(errors, [], "no page errors");
  console.log(`all ${step} checks passed`);
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  if (browser) await browser.close().catch(() => {});
  await server.stop();
  cleanUp();
}
process.exit(exitCode);
