// Issue 21's import options on the web import page, in a real browser (Debian's chromium through
// playwright-core) against the built binary over a small seeded book. An admin imports a CSV of
// opportunities keyed by another system's ids (external_id and the system's name), whose owners
// are people Orchard lacks and one of whose deals has no account: first without the system's name
// (the page shows the API's error naming it), then with it, "Create missing owners as inactive
// users" ticked and a holding account named. The summary lists the users added and the holding
// account with its row count; the deal is on the holding account's page and the users are
// inactive. An AM, who may not add users, is not offered the control.
//
// Env: ORCHARD_BINARY (the orchard executable), ORCHARD_SOURCE_DIR, ORCHARD_SCREENSHOTS (dir).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { accessibilityChecker, apiClient, freePort, launchBrowser, orchardServer, password, run, scratch, signInOn, source, step } from "./harness.mjs";

const { check: checkAccessibility, findings: axeFindings } = accessibilityChecker();

const shots = process.env.ORCHARD_SCREENSHOTS ?? join(source, "build/web-screenshots");
mkdirSync(shots, { recursive: true });
const { work, db, cleanUp } = scratch("orchard-import-options-");
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

  const users = (await adminApi.get("/api/v1/users?limit=500")).items;
  const am = users.find((u) => u.role === "am" && u.active);
  assert.ok(am, "the seeded book has an active AM");
  assert.equal((await adminApi.call("POST", `/api/v1/users/${am.id}/password`, { password })).status, 204);
  const account = (await adminApi.get("/api/v1/accounts?limit=1")).items[0];
  // Two sales agents Orchard has never heard of, and a deal of the second without a company.
  const agents = ["Quinta Marlowe-Browsertest", "Ignatius Fernsby-Browsertest"];
  for (const a of agents) assert.ok(!users.some((u) => u.name === a), `${a} is not in the book yet`);
  const holding = "Unassigned deals (browser test)";
  const orphan = "Browsertest deal without a company";
  const csv = [
    "Deal Id,Deal,Stage,Amount,Close Date,Sales Agent,Company",
    `PD-1,Browsertest deal with a company,closed_won,12000,2026-03-31,${agents[0]},"${account.name}"`,
    `PD-2,${orphan},closed_lost,3000,2026-04-30,${agents[1]},`,
    "",
  ].join("\n");

  browser = await launchBrowser(work);
  const page = browser.pages()[0] ?? (await browser.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.setDefaultTimeout(30000);
  await signInOn(page, base, admin);

  const form = page.getByRole("form", { name: "Bring in a file" });
  await step("an admin maps external_id without naming its system: the API's error, naming it, is on the page", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Import" }).click();
    await page.getByRole("heading", { level: 1, name: "Import" }).waitFor();
    await page.locator("input[name=import-file]").setInputFiles({ name: "pipeline.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.locator("select[name=import-source]").selectOption("csv");
    await page.locator("select[name=import-object]").selectOption("opportunities");
    const mapping = page.getByTestId("import-mapping");
    await mapping.waitFor();
    assert.equal(await page.getByLabel("System the external_id keys come from").count(), 0, "no system asked for before external_id is mapped");
    for (const [column, field] of [
      ["Deal Id", "external_id"],
      ["Deal", "name"],
      ["Stage", "stage"],
      ["Amount", "amount"],
      ["Close Date", "close_date"],
      ["Sales Agent", "owner"],
      ["Company", "account.name"],
    ]) {
      await mapping.getByLabel(`Field for column ${column}`, { exact: true }).selectOption(field);
    }
    await mapping.getByLabel("System the external_id keys come from").waitFor();
    await form.getByRole("checkbox", { name: "Create missing owners as inactive users" }).check();
    await mapping.getByLabel("Keep rows without an account under …").fill(holding);
    await page.getByRole("button", { name: "Import", exact: true }).click();
    const error = page.getByTestId("import-error");
    await error.waitFor();
    const text = await error.textContent();
    assert.match(text, /external_id keys need the name of the system they come from/, text);
    assert.match(text, /source/, `the error names the field: ${text}`);
    assert.equal(await page.getByTestId("import-job").count(), 0, "no import was started");
    const found = await adminApi.get(`/api/v1/accounts?q=${encodeURIComponent(holding)}`);
    assert.equal(found.items.length, 0, "nothing was written");
  });

  await step("with the system named, owners added and a holding account: the summary lists both", async () => {
    await page.getByLabel("System the external_id keys come from").fill("pipedrive");
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByTestId("import-status").filter({ hasText: /^Done/ }).waitFor();
    assert.equal(await page.getByTestId("import-error").count(), 0, "the error is gone");
    const cells = await page.getByTestId("import-summary").locator("tbody tr").first().locator("td").allTextContents();
    assert.deepEqual(cells.slice(2), ["2", "2", "0", "0", "0", "0"], `rows, inserted, updated, unchanged, rejected, skipped: ${cells}`);
    const created = await page.getByTestId("import-created-users").locator("li").allTextContents();
    assert.equal(created.length, 2, `two users added: ${created}`);
    for (const a of agents) assert.ok(created.some((c) => c.startsWith(`${a} <`)), `${a} is listed: ${created}`);
    await page.getByRole("heading", { name: "Owners added as inactive users (2)" }).waitFor();
    const held = await page.getByTestId("import-unassigned").textContent();
    assert.equal(held.replace(/\s+/g, " ").trim(), `1 row without an account went under ${holding}.`);
    const warnings = await page.getByTestId("import-warnings").locator("li").allTextContents();
    assert.ok(warnings.some((w) => w.includes(`no account: kept under "${holding}"`) && w.endsWith("(1 row)")), `the warning with its row count: ${warnings}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, "import-options.png"), fullPage: true });
    await checkAccessibility(page, "import options", ["main"]);
  });

  await step("the deal without a company is on the holding account's page; the owners are inactive users", async () => {
    const found = (await adminApi.get(`/api/v1/accounts?q=${encodeURIComponent(holding)}`)).items;
    assert.equal(found.length, 1, "the holding account exists");
    await page.goto(`${base}/accounts/${found[0].id}`);
    await page.getByTestId("opportunities").getByText(orphan).waitFor();
    const opps = (await adminApi.get(`/api/v1/accounts/${found[0].id}/opportunities`)).items;
    assert.deepEqual(
      opps.map((o) => o.name),
      [orphan],
    );
    const now = (await adminApi.get("/api/v1/users?limit=500")).items;
    for (const a of agents) {
      const u = now.find((x) => x.name === a);
      assert.ok(u, `${a} is a user now`);
      assert.equal(u.active, false, `${a} cannot sign in`);
    }
    const owner = now.find((x) => x.name === agents[1]);
    assert.equal(opps[0].owner_id, owner.id, "the deal's owner is the user added");
  });

  await step("an AM, who may not add users, is not offered the control", async () => {
    await browser.clearCookies();
    await signInOn(page, base, am.email);
    assert.equal(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Import" }).count(), 0, "no Import in an AM's nav");
    await page.goto(`${base}/import`);
    await page.getByTestId("import-admin-only").waitFor();
    assert.equal(await page.getByRole("checkbox", { name: "Create missing owners as inactive users" }).count(), 0);
    assert.equal(await page.locator("input[name=import-create-users]").count(), 0);
  });

  assert.deepEqual(errors, [], "no script errors");
  assert.deepEqual(axeFindings, [], "no serious or critical accessibility findings");
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  if (browser) await browser.close().catch(() => {});
  await server.stop();
  cleanUp();
}
process.exit(exitCode);
