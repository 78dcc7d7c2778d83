// Numbers that are right, and read right, in the browser (issue "The daily work", items 13–15):
// depth does not move when a contact's stance is changed on the page, and the map's "engaged"
// count is the header's depth with its rule said; a churned account reads "Churned", in a pill
// one can read; no raw enum name reaches the account page; the org chart has a legend for its
// tags, and on a 40-contact account none of its labels overlap (measured on what ECharts drew).
// Debian's chromium driven by playwright-core against the real binary over a seeded book.
//
// Env: ORCHARD_BINARY (the orchard executable), ORCHARD_SOURCE_DIR.
import assert from "node:assert/strict";
import { apiClient, freePort, launchBrowser, orchardServer, password, run, scratch, signInOn, step } from "./harness.mjs";

const { work, db, cleanUp } = scratch("orchard-numbers-");
const admin = "admin@orchard.test";
const server = orchardServer(db);
let browser;
let exitCode = 0;


// Pairs of drawn text labels (visible, non-empty) whose boxes overlap, in the chart `testId`.
async function overlappingLabels(page, testId) {
  return page.getByTestId(testId).evaluate((el) => {
    const boxes = [];
    for (const d of el.chart.getZr().storage.getDisplayList(true)) {
      if ((d.type !== "text" && d.type !== "tspan") || d.ignore || d.invisible || !d.style?.text || d.style.opacity === 0) continue;
      const r = d.getBoundingRect().clone();
      if (d.transform) r.applyTransform(d.transform);
      if (r.width > 0 && r.height > 0) boxes.push({ text: d.style.text, x: r.x, y: r.y, w: r.width, h: r.height });
    }
    const hits = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        if (a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5) hits.push(`${a.text} × ${b.text}`);
      }
    }
    return { labels: boxes.length, hits };
  });
}

// WCAG contrast of two CSS colours "rgb(r, g, b)".
function contrast(fg, bg) {
  const lum = (c) => {
    const [r, g, b] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

try {
  run(["seed", "--db", db, "--accounts", "80"]);
  run(["user", "add", "--db", db, "--email", admin, "--role", "admin", "--name", "Ada Admin"], `${password}\n`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await server.start(port);
  const api = await apiClient(base, admin);

  // An account with engaged contacts, a churned one, and one grown to 40 contacts.
  let engagedAccount = null;
  let churned = null;
  for (let id = 1; id <= 80 && (!engagedAccount || !churned); id++) {
    const h = await api.get(`/api/v1/accounts/${id}/health`);
    if (!churned && h.churned_after) churned = id;
    if (!engagedAccount && h.metrics.multithreading_depth >= 2) engagedAccount = id;
  }
  assert.ok(engagedAccount, "the seeded book has an account with depth ≥ 2");
  assert.ok(churned, "the seeded book has a churned account");

  browser = await launchBrowser(work);
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await signInOn(page, base, admin);

  const headerDepth = async () => Number((await page.locator(".facts div", { hasText: "Multithreading" }).locator("dd").textContent()).match(/^\d+/)?.[0]);

  await step("the map's engaged count is the header's depth, its rule said; a stance change leaves it", async () => {
    await page.goto(`${base}/accounts/${engagedAccount}`);
    const rule = page.getByTestId("engaged-rule");
    await rule.waitFor();
    assert.match(await rule.textContent(), /meaningful activity .* in the last 90 days/);
    const depth = (await api.get(`/api/v1/accounts/${engagedAccount}/health`)).metrics.multithreading_depth;
    assert.match(await rule.textContent(), new RegExp(`Engaged now: ${depth}\\.`));
    await page.locator(".facts div", { hasText: "Multithreading" }).locator("dd", { hasText: /^\d+/ }).waitFor();
    assert.equal(await headerDepth(), depth);
    assert.equal(await page.locator("[data-testid=contacts] td[data-engaged=yes]").count(), depth, "one mark per engaged contact");
    // Change an engaged contact's stance on the page, twice; depth stays.
    const row = page.locator("[data-testid=contacts] tr", { has: page.locator("td[data-engaged=yes]") }).first();
    const stance = row.locator("select[aria-label^='Stance of']");
    for (const to of ["blocker", "champion"]) {
      const saved = page.waitForResponse((r) => r.url().includes("/api/v1/contacts/") && r.request().method() === "PATCH");
      await stance.selectOption(to);
      assert.equal((await saved).status(), 200);
    }
    await page.reload();
    await page.getByTestId("engaged-rule").waitFor();
    assert.equal((await api.get(`/api/v1/accounts/${engagedAccount}/health`)).metrics.multithreading_depth, depth);
    assert.match(await page.getByTestId("engaged-rule").textContent(), new RegExp(`Engaged now: ${depth}\\.`));
  });

  await step("a churned account reads Churned, in a pill one can read, never 100 · Green", async () => {
    await page.goto(`${base}/accounts/${churned}`);
    const pill = page.getByTestId("header-health").locator(".health-pill");
    await pill.waitFor();
    assert.equal((await pill.textContent()).trim(), "Churned");
    const { color, background } = await pill.evaluate((el) => ({ color: getComputedStyle(el).color, background: getComputedStyle(el).backgroundColor }));
    assert.ok(contrast(color, background) >= 4.5, `contrast ${contrast(color, background).toFixed(2)} of ${color} on ${background}`);
    assert.match(await page.getByTestId("health-card").textContent(), /churned/i);
  });

  await step("no raw enum name reaches the account page; the org chart's tags have a legend", async () => {
    await page.goto(`${base}/accounts/${engagedAccount}`);
    await page.getByTestId("engaged-rule").waitFor();
    await page.locator("[data-testid=contacts]").waitFor();
    const text = await page.locator("main").innerText();
    for (const raw of [/\bcross_sell\b/, /\bnew_business\b/, /\bclosed_(won|lost)\b/, /\beconomic_buyer\b/, /\bQbr\b/, /\bin_pipeline\b/, /\bnot_a_fit\b/]) {
      assert.doesNotMatch(text, raw);
    }
    const legend = await page.getByTestId("role-legend").textContent();
    assert.match(legend, /\[EB\] Economic buyer/);
    assert.match(legend, /\[CH\] Champion/);
  });

  await step("on a 40-contact account no label of the org chart overlaps another", async () => {
    const id = engagedAccount;
    const have = (await api.get(`/api/v1/accounts/${id}/relationship-map`)).nodes.length;
    const ceo = await api.post(`/api/v1/accounts/${id}/contacts`, { first_name: "Chief", last_name: "Executive-Officer", stance: "supporter" });
    assert.equal(ceo.status, 201);
    const vps = [];
    for (let i = 0; i < 6; i++) {
      const vp = await api.post(`/api/v1/accounts/${id}/contacts`, { first_name: `Vice-President`, last_name: `Number-${i + 1}`, buying_role: i === 0 ? "economic_buyer" : null, reports_to_id: ceo.body.id });
      vps.push(vp.body.id);
    }
    for (let i = have + 7; i < 40; i++) {
      assert.equal((await api.post(`/api/v1/accounts/${id}/contacts`, { first_name: "Operations", last_name: `Specialist-${i}`, reports_to_id: vps[i % vps.length] })).status, 201);
    }
    assert.ok((await api.get(`/api/v1/accounts/${id}/relationship-map`)).nodes.length >= 40);
    await page.goto(`${base}/accounts/${id}`);
    await page.getByTestId("relationship-chart").waitFor();
    await page.waitForFunction(() => document.querySelector("[data-testid=relationship-chart]")?.chart?.getZr().storage.getDisplayList(true).some((d) => d.type === "tspan" || d.type === "text"));
    const { labels, hits } = await overlappingLabels(page, "relationship-chart");
    assert.ok(labels >= 20, `only ${labels} labels drawn`);
    assert.deepEqual(hits, [], `overlapping labels: ${hits.slice(0, 5).join("; ")}`);
  });

  await step("no label of the whitespace heat map overlaps another", async () => {
    for (const p of (await api.get("/api/v1/plans?limit=100")).items) {
      const ws = await api.get(`/api/v1/plans/${p.id}/whitespace`);
      if (ws.cells.length < 6) continue;
      await page.goto(`${base}/accounts/${p.account_id}`);
      await page.getByTestId("whitespace-chart").waitFor();
      await page.waitForFunction(() => document.querySelector("[data-testid=whitespace-chart]")?.chart?.getZr().storage.getDisplayList(true).some((d) => d.type === "tspan" || d.type === "text"));
      const { hits } = await overlappingLabels(page, "whitespace-chart");
      assert.deepEqual(hits, [], `overlapping labels: ${hits.slice(0, 5).join("; ")}`);
      return;
    }
    assert.fail("no plan with 6 whitespace cells in the seeded book");
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
