// Markup in people's input never becomes markup in the page (issue "Trust", item 7): names of an
// account, its divisions, the products, a competitor, contacts and an AM are set to HTML that
// would run script if a chart's HTML tooltip took it as HTML; the test then hovers over every
// chart that shows them (the whitespace heat map, the relationship map, the dashboards' charts)
// and checks that no such element ever appears in the page, that the script never ran, and that
// the tooltips showed the names as text.
//
// Env: ORCHARD_BINARY (the orchard executable), ORCHARD_SOURCE_DIR.
import assert from "node:assert/strict";
import { apiClient, freePort, launchBrowser, orchardServer, password, run, scratch, signInOn } from "./harness.mjs";

const { work, db, cleanUp } = scratch("orchard-markup-");
const admin = "admin@orchard.test";
// What a hostile name looks like: an element whose error handler runs script.
const evil = (tag) => `<img src=x onerror="window.__pwned='${tag}'">${tag}`;

const server = orchardServer(db);

// The admin's API client, where every call must succeed.
async function mustClient(base, email) {
  const { call } = await apiClient(base, email);
  const must = async (method, path, body) => {
    const r = await call(method, path, body);
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  return { get: (p) => must("GET", p), patch: (p, b) => must("PATCH", p, b) };
}

let browser;
let exitCode = 0;
try {
  run(["seed", "--db", db, "--accounts", "60"]);
  run(["user", "add", "--db", db, "--email", admin, "--role", "admin", "--name", "Ada Admin"], `${password}\n`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await server.start(port);
  const api = await mustClient(base, admin);

  // The account: planned, with contacts and whitespace cells; everything it shows gets a name
  // made of markup.
  let target = null;
  for (const p of (await api.get("/api/v1/plans?limit=60")).items) {
    const ws = await api.get(`/api/v1/plans/${p.id}/whitespace`);
    const map = await api.get(`/api/v1/accounts/${p.account_id}/relationship-map`);
    const account = await api.get(`/api/v1/accounts/${p.account_id}`);
    if (ws.cells.length >= 2 && map.nodes.length >= 2 && account.owner_id && account.arr_cents > 0) {
      target = { plan: p, ws, map, account };
      break;
    }
  }
  assert.ok(target, "the seeded book has a planned account with contacts and whitespace");
  const { account, ws, map } = target;
  await api.patch(`/api/v1/accounts/${account.id}`, { version: account.version, name: evil("account") });
  for (const d of ws.divisions) await api.patch(`/api/v1/divisions/${d.id}`, { name: evil(`division ${d.id}`) });
  for (const p of ws.products) await api.patch(`/api/v1/products/${p.id}`, { name: evil(`product ${p.id}`) });
  const cell = ws.cells.find((c) => c.status !== "owned") ?? ws.cells[0];
  await api.patch(`/api/v1/plan-whitespace-cells/${cell.id}`, { status: "competitor", competitor: evil("competitor") });
  for (const n of map.nodes) {
    const c = await api.get(`/api/v1/contacts/${n.id}`);
    await api.patch(`/api/v1/contacts/${n.id}`, { version: c.version, first_name: evil(`contact ${n.id}`) });
  }
  await api.patch(`/api/v1/users/${account.owner_id}`, { name: evil("owner") });

  browser = await launchBrowser(work);
  // Every element added to the page is checked as it arrives, so one that a tooltip shows and
  // removes again is caught too.
  await browser.addInitScript(() => {
    window.__markup = [];
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          if (n.nodeType !== 1) continue;
          for (const el of [n, ...n.querySelectorAll("*")]) {
            if (el.matches('img[src="x"], [onerror]')) window.__markup.push(el.outerHTML.slice(0, 120));
          }
        }
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15000);
  const check = async (where) => {
    const found = await page.evaluate(() => ({ markup: window.__markup, pwned: window.__pwned ?? null, now: document.querySelectorAll('img[src="x"], [onerror]').length }));
    assert.deepEqual(found.markup, [], `${where}: markup from a name became elements`);
    assert.equal(found.now, 0, `${where}: the page holds a name's img or an onerror handler`);
    assert.equal(found.pwned, null, `${where}: a name's script ran`);
  };
  // Moves the mouse over the whole chart, row by row, and gathers every tooltip text shown.
  const hover = async (testId, columns = 24, rows = 12) => {
    const chart = page.getByTestId(testId);
    await chart.scrollIntoViewIfNeeded();
    const box = await chart.boundingBox();
    assert.ok(box, `${testId} is on the page`);
    const seen = new Set();
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < columns; x++) {
        await page.mouse.move(box.x + ((x + 0.5) * box.width) / columns, box.y + ((y + 0.5) * box.height) / rows);
        await page.waitForTimeout(15);
        const texts = await chart.evaluate((el) => [...el.querySelectorAll("div")].filter((d) => getComputedStyle(d).zIndex === "9999999" && d.style.display !== "none").map((d) => d.textContent));
        for (const t of texts) if (t) seen.add(t);
      }
    }
    await check(testId);
    return [...seen].join("\n");
  };

  await signInOn(page, base, admin);

  await page.goto(`${base}/accounts/${account.id}`);
  await page.getByTestId("whitespace-chart").waitFor();
  await page.getByTestId("relationship-chart").waitFor();
  await page.waitForLoadState("networkidle");
  await check("the account page");
  const wsText = await hover("whitespace-chart");
  assert.ok(wsText.includes('<img src=x onerror="window.__pwned=\'division'), `the heat map's tooltips show the names as text:\n${wsText}`);
  assert.ok(wsText.includes("competitor"), `a competitor cell's tooltip names it as text:\n${wsText}`);
  const mapText = await hover("relationship-chart", 32, 10);
  assert.ok(mapText.includes("<img src=x"), `the relationship map's tooltips show the names as text:\n${mapText}`);
  console.log("ok   the account page's charts show markup names as text");

  await page.goto(`${base}/dashboards`);
  for (const id of ["leaderboard-chart", "portfolio-chart", "pipeline-chart", "trend-chart"]) {
    await page.getByTestId(id).waitFor();
  }
  await page.waitForLoadState("networkidle");
  await check("the dashboards");
  const board = await hover("leaderboard-chart", 6, 24);
  assert.ok(board.includes("<img src=x"), `the leaderboard's tooltip shows the AM's name as text:\n${board}`);
  for (const id of ["portfolio-chart", "pipeline-chart", "trend-chart"]) await hover(id, 24, 10);
  console.log("ok   the dashboards' charts show markup names as text");
  await page.goto(`${base}/accounts`);
  await page.getByRole("grid", { name: /Accounts/ }).waitFor();
  await page.waitForLoadState("networkidle");
  await check("the accounts list");
  console.log("ok   no name became markup anywhere");
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  if (browser) await browser.close().catch(() => {});
  await server.stop();
  cleanUp();
}
process.exit(exitCode);
