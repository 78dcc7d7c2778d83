// Building the whitespace matrix in the browser (issue "The daily work", item 3): an AM's admin
// adds a division, puts a cell in an empty slot and sizes it, marks cells competitor and not a
// fit, and sees the plan's total and the portfolio dashboard's agree after each step, with the
// rule of what counts said on the page. In-pipeline cells look different from open ones.
// Debian's chromium driven by playwright-core against the real binary over a seeded book.
//
// Env: ORCHARD_BINARY (the orchard executable), ORCHARD_SOURCE_DIR.
import assert from "node:assert/strict";
import { apiClient, freePort, launchBrowser, orchardServer, password, run, scratch, signInOn, step } from "./harness.mjs";

const { work, db, cleanUp } = scratch("orchard-ws-");
const admin = "admin@orchard.test";
const server = orchardServer(db);
let browser;
let exitCode = 0;


try {
  run(["seed", "--db", db, "--accounts", "60"]);
  run(["user", "add", "--db", db, "--email", admin, "--role", "admin", "--name", "Ada Admin"], `${password}\n`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await server.start(port);
  const api = await apiClient(base, admin);

  // A planned account with an open cell and an in-pipeline one.
  let target = null;
  for (const p of (await api.get("/api/v1/plans?limit=200")).items) {
    const ws = await api.get(`/api/v1/plans/${p.id}/whitespace`);
    if (ws.cells.some((c) => c.status === "open") && ws.cells.some((c) => c.status === "in_pipeline")) {
      target = { plan: p, ws };
      break;
    }
  }
  if (!target) {
    // Make one: convert an open cell of the first plan that has two.
    for (const p of (await api.get("/api/v1/plans?limit=200")).items) {
      const ws = await api.get(`/api/v1/plans/${p.id}/whitespace`);
      const open = ws.cells.filter((c) => c.status === "open");
      if (open.length >= 2) {
        assert.equal((await api.post(`/api/v1/plan-whitespace-cells/${open[0].id}/opportunity`, {})).status, 201);
        target = { plan: p, ws: await api.get(`/api/v1/plans/${p.id}/whitespace`) };
        break;
      }
    }
  }
  assert.ok(target, "the seeded book has a plan with open whitespace");
  const accountId = target.plan.account_id;
  const portfolioWhitespace = async () => {
    const d = await api.get(`/api/v1/dashboards/portfolio?limit=1000`);
    return d.items.find((i) => i.account_id === accountId)?.whitespace_cents;
  };
  const short = (cents) => {
    const d = cents / 100;
    if (Math.abs(d) >= 1e6) return `$${(d / 1e6).toFixed(Math.abs(d) >= 1e7 ? 1 : 2)}M`;
    if (Math.abs(d) >= 1e4) return `$${Math.round(d / 1e3)}k`;
    return `$${Math.round(d).toLocaleString("en-US")}`;
  };

  browser = await launchBrowser(work);
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await signInOn(page, base, admin);
  await page.goto(`${base}/accounts/${accountId}`);
  const ws = page.getByTestId("whitespace");
  await ws.getByTestId("whitespace-total").waitFor();

  // The total on the page, read back from the API in cents (the page rounds to $k).
  const planTotal = async () => (await api.get(`/api/v1/plans/${target.plan.id}/whitespace`)).totals.whitespace_cents;
  const agree = async (why) => {
    const plan = await planTotal();
    assert.equal(await portfolioWhitespace(), plan, `${why}: the portfolio dashboard and the plan show one whitespace total`);
    return plan;
  };

  await step("the page says which cells count; plan and portfolio agree", async () => {
    const rule = await ws.getByTestId("whitespace-rule").textContent();
    assert.match(rule, /open, in-pipeline and competitor cells/);
    assert.match(rule, /owned and not-a-fit cells never count/);
    await agree("as seeded");
  });

  await step("in-pipeline cells look different from open ones", async () => {
    await ws.locator("summary", { hasText: "Edit the matrix" }).click();
    const editor = ws.getByTestId("whitespace-editor");
    const open = editor.locator("td.ws-open").first();
    const pipeline = editor.locator("td.ws-in_pipeline").first();
    await open.waitFor();
    await pipeline.waitFor();
    const look = (l) => l.evaluate((el) => { const s = getComputedStyle(el); return `${s.backgroundColor} ${s.backgroundImage}`; });
    assert.notEqual(await look(open), await look(pipeline));
    assert.match(await pipeline.textContent(), /In pipeline/);
    assert.match(await open.textContent(), /Open/);
  });

  let before = 0;
  await step("add a division and size a new open cell in it", async () => {
    before = await agree("before");
    const editor = ws.getByTestId("whitespace-editor");
    await editor.locator("input[name=division-name]").fill("Rotterdam plant");
    await editor.locator("input[name=division-headcount]").fill("450");
    await editor.getByRole("button", { name: "Add division" }).click();
    const row = editor.locator("tr", { hasText: "Rotterdam plant" });
    await row.waitFor();
    assert.match(await row.textContent(), /450 people/);
    await row.locator("button", { hasText: "+ add" }).first().click();
    const form = ws.getByTestId("cell-form");
    await form.locator("select[name=cell-status]").selectOption("open");
    await form.locator("input[name=cell-potential]").fill("12,345");
    await form.getByRole("button", { name: "Add cell" }).click();
    await row.locator("td.ws-open").waitFor();
    assert.equal(await agree("after adding"), before + 1_234_500);
  });

  await step("mark it competitor (still counts), then not a fit (no longer counts)", async () => {
    const editor = ws.getByTestId("whitespace-editor");
    const row = editor.locator("tr", { hasText: "Rotterdam plant" });
    await row.locator("td.ws-open button").click();
    let form = ws.getByTestId("cell-form");
    await form.locator("select[name=cell-status]").selectOption("competitor");
    await form.locator("input[name=cell-competitor]").fill("Gainsight");
    await form.getByRole("button", { name: "Save cell" }).click();
    await row.locator("td.ws-competitor").waitFor();
    assert.equal(await agree("competitor"), before + 1_234_500);
    await row.locator("td.ws-competitor button").click();
    form = ws.getByTestId("cell-form");
    await form.locator("select[name=cell-status]").selectOption("not_a_fit");
    await form.getByRole("button", { name: "Save cell" }).click();
    await row.locator("td.ws-not_a_fit").waitFor();
    assert.equal(await agree("not a fit"), before);
    // What the page shows is the plan's total, as lib/format.ts money() writes it.
    await page.waitForFunction((t) => document.querySelector("[data-testid=whitespace-total]")?.textContent === t, short(await planTotal()));
  });

  await step("a bad potential is refused on the page, nothing stored", async () => {
    const editor = ws.getByTestId("whitespace-editor");
    const row = editor.locator("tr", { hasText: "Rotterdam plant" });
    const cells = (await api.get(`/api/v1/plans/${target.plan.id}/whitespace`)).cells.length;
    await row.locator("button", { hasText: "+ add" }).first().click();
    const form = ws.getByTestId("cell-form");
    await form.locator("input[name=cell-potential]").fill("lots");
    await form.getByRole("button", { name: "Add cell" }).click();
    await form.getByRole("alert").waitFor();
    assert.match(await form.getByRole("alert").textContent(), /dollar amount/);
    assert.equal((await api.get(`/api/v1/plans/${target.plan.id}/whitespace`)).cells.length, cells);
  });
  assert.deepEqual(errors, [], "no script errors on the page");
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  await browser?.close();
  await server.stop();
  cleanUp();
}
process.exit(exitCode);
