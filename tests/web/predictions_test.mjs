// The models in the browser (issue 20, item 5): Debian's chromium driven by playwright-core
// against the real orchard binary over a seeded book with years of history. A leader trains both
// models from the Models page and sees each one's AUC and its reliability chart; opens the
// growth dashboard, pages it to its end (largest expected expansion first) and opens the top
// account, whose Predictions panel shows the churn and upsell probability with drivers in words;
// a call transcript posted for that account appears on its timeline with its sentiment; an AM
// reads the Models page with no Train button and no Models link in the navigation.
//
// Env: ORCHARD_BINARY (the orchard executable), ORCHARD_SOURCE_DIR, ORCHARD_SCREENSHOTS (dir).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { accessibilityChecker, apiClient, freePort, launchBrowser, orchardServer, password, run, scratch, signInOn, source, step } from "./harness.mjs";

const { check: checkAccessibility, findings: axeFindings } = accessibilityChecker();

const shots = process.env.ORCHARD_SCREENSHOTS ?? join(source, "build/web-screenshots");
mkdirSync(shots, { recursive: true });
const { work, db, cleanUp } = scratch("orchard-predictions-");
const admin = "admin@orchard.test";
const leader = "leader@orchard.test";
const server = orchardServer(db);

let browser;
let exitCode = 0;
try {
  run(["seed", "--db", db, "--accounts", "250", "--seed", "7"]);
  run(["user", "add", "--db", db, "--email", admin, "--role", "admin", "--name", "Ada Admin"], `${password}\n`);
  run(["user", "add", "--db", db, "--email", leader, "--role", "leader", "--name", "Lee Leader"], `${password}\n`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await server.start(port);
  const adminApi = await apiClient(base, admin);

  browser = await launchBrowser(work);
  const page = browser.pages()[0] ?? (await browser.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.setDefaultTimeout(30000);
  await signInOn(page, base, leader);

  await step("a leader trains both models from the Models page and sees their AUC and reliability charts", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models" }).click();
    await page.getByRole("heading", { name: "Models", level: 1 }).waitFor();
    for (const kind of ["churn", "upsell"]) {
      const card = page.getByTestId(`model-${kind}`);
      await card.getByTestId(`train-${kind}`).click();
      await card.getByTestId(`reliability-${kind}`).waitFor({ timeout: 300000 });
      assert.match(await card.getByTestId(`model-${kind}-auc`).textContent(), /^[01]\.\d{3}$/);
      assert.ok((await card.getByTestId("reliability-point").count()) > 0, `${kind}: the reliability curve has points`);
      assert.equal(await card.locator("line.diagonal").count(), 1, `${kind}: the diagonal is drawn`);
    }
    await page.screenshot({ path: join(shots, "models.png"), fullPage: true });
    await checkAccessibility(page, "models", ["main"]);
  });

  let top = null;
  await step("the growth dashboard ranks by expected expansion and pages to its end", async () => {
    await page.goto(`${base}/dashboards?book=all`);
    const card = page.getByTestId("dash-growth");
    await card.locator("table").waitFor();
    const growth = (await adminApi.get("/api/v1/dashboards/growth?limit=10000"));
    assert.ok(growth.total > 0, "some accounts have an expected expansion");
    top = growth.items[0];
    assert.equal(await card.locator("tbody tr").first().locator("a").textContent(), top.account_name);
    await card.screenshot({ path: join(shots, "growth.png") });
    await checkAccessibility(page, "growth", ["[data-testid=dash-growth]"]);
    // The churn column of at-risk, filled now the churn model scores.
    const risk = page.getByTestId("dash-at-risk");
    await risk.locator("th", { hasText: "Churn" }).waitFor();
    assert.match(await risk.locator("tbody tr").first().locator("td").nth(5).textContent(), /^(<1|\d{1,3})%$/);
    if (growth.total > 10) {
      await card.getByTestId("dash-growth-all").click();
      const rows = card.getByTestId("dash-growth-rows");
      await rows.waitFor();
      const next = card.getByRole("button", { name: "Next" });
      while (await next.isEnabled()) {
        const before = await rows.textContent();
        await next.click();
        await page.waitForFunction((b) => document.querySelector('[data-testid="dash-growth-rows"]')?.textContent !== b, before);
      }
      assert.match(await rows.textContent(), new RegExp(`–${growth.total} of ${growth.total}$`));
      const last = growth.items[growth.items.length - 1];
      assert.equal(await card.locator("tbody tr").last().locator("a").textContent(), last.account_name);
    }
  });

  await step("the top account's page shows its predictions with drivers in words, and its call transcript on the timeline", async () => {
    const said = `Honestly the rollout has been a disaster and we feel ignored (browser test ${Date.now()}).`;
    assert.equal((await adminApi.post(`/api/v1/accounts/${top.account_id}/transcripts`, { text: said })).status, 201);
    await page.goto(`${base}/accounts/${top.account_id}`);
    const panel = page.getByTestId("predictions");
    await panel.getByTestId("prediction-churn-probability").waitFor();
    assert.match(await panel.getByTestId("prediction-churn-probability").textContent(), /^(<1|\d{1,3})%$/);
    assert.match(await panel.getByTestId("prediction-upsell-probability").textContent(), /^(<1|\d{1,3})%$/);
    const drivers = panel.getByTestId("drivers-churn").getByTestId("driver");
    assert.ok((await drivers.count()) > 0, "the churn probability comes with its drivers");
    assert.ok((await drivers.first().textContent()).trim().length > 3, "a driver is in words");
    assert.doesNotMatch(await panel.getByTestId("expected-expansion").textContent(), /—/);
    await panel.screenshot({ path: join(shots, "predictions.png") });
    await checkAccessibility(page, "predictions", ["[data-testid=predictions]"]);

    const item = page.getByTestId("timeline").locator("li", { hasText: "Call transcript" }).filter({ hasText: said.slice(0, 40) });
    await item.waitFor();
    assert.match(await item.getByTestId("sentiment").textContent(), /^Negative/);
  });

  await step("an AM reads the Models page with no Train button and no Models link", async () => {
    const users = (await adminApi.get("/api/v1/users?limit=500")).items;
    const am = users.find((u) => u.role === "am");
    assert.ok(am, "the seeded book has an AM");
    assert.equal((await adminApi.call("POST", `/api/v1/users/${am.id}/password`, { password })).status, 204);
    await page.context().clearCookies();
    await signInOn(page, base, am.email);
    assert.equal(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models" }).count(), 0);
    await page.goto(`${base}/models`);
    await page.getByTestId("reliability-churn").waitFor();
    assert.equal(await page.getByRole("button", { name: /Train/ }).count(), 0, "no Train button for an AM");
  });

  assert.deepEqual(axeFindings, [], "no serious or critical accessibility findings");
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
