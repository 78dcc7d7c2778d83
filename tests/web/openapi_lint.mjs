// The OpenAPI document a client generator or a linter reads (issue "The house in order", item 9):
// the document a real server serves at /api/v1/openapi.json passes Redocly CLI's `lint` with its
// recommended rules (npm @redocly/cli, pinned in web/package-lock.json): URL-safe and unique
// operation ids, security declared on every operation, every $ref resolving. Then what no
// linter can know: the bodies routes read are documented (a user's creation takes a password).
//
// Env: ORCHARD_BINARY (the orchard executable), ORCHARD_SOURCE_DIR.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";

const source = process.env.ORCHARD_SOURCE_DIR ?? new URL("../..", import.meta.url).pathname;
const binary = process.env.ORCHARD_BINARY ?? join(source, "build/orchard");
const redocly = join(source, "web/node_modules/.bin/redocly");

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}
if (!existsSync(binary)) fail(`no orchard binary at ${binary}`);
if (!existsSync(redocly)) fail("@redocly/cli is not installed in web/node_modules: run scripts/bootstrap (npm ci in web/)");

const work = mkdtempSync(join(tmpdir(), "orchard-openapi-"));
const server = spawn(binary, ["serve", "--db", `sqlite:${join(work, "book.db")}`, "--listen", "127.0.0.1:0", "--no-access-log"], {
  stdio: ["ignore", "pipe", "pipe"],
});
let log = "";
server.stderr.on("data", (d) => (log += d));
const stop = () => {
  server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
};

try {
  const base = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${log}`)), 60000);
    server.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    server.on("exit", (code) => reject(new Error(`the server exited (${code}): ${log}`)));
  });
  const res = await fetch(`${base}/api/v1/openapi.json`);
  assert.equal(res.status, 200);
  const text = await res.text();
  const doc = JSON.parse(text);
  const file = join(work, "openapi.json");
  writeFileSync(file, JSON.stringify(doc, null, 2));

  // Redocly's recommended rules: any error fails; warnings are printed.
  const lint = spawnSync(redocly, ["lint", file, "--format=json", "--max-problems=10000"], {
    encoding: "utf8",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    maxBuffer: 64 * 1024 * 1024,
  });
  let report;
  try {
    report = JSON.parse(lint.stdout);
  } catch {
    fail(`redocly lint printed no report (exit ${lint.status}): ${lint.stderr}`);
  }
  const errors = report.problems.filter((p) => p.severity === "error");
  const warnings = report.problems.filter((p) => p.severity !== "error");
  for (const p of warnings) console.log(`  warning ${p.ruleId} at ${p.location[0].pointer}: ${p.message}`);
  for (const p of errors) console.error(`  error ${p.ruleId} at ${p.location[0].pointer}: ${p.message}`);
  assert.equal(errors.length, 0, `redocly lint found ${errors.length} error(s)`);
  assert.equal(lint.status, 0, `redocly lint exited ${lint.status}: ${lint.stderr}`);

  // What the linter cannot know: the bodies the routes read.
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
  const schemaOf = (op) => {
    const ref = op.requestBody?.content?.["application/json"]?.schema?.$ref ?? "";
    return doc.components.schemas[ref.replace("#/components/schemas/", "")];
  };
  const newUser = schemaOf(doc.paths["/api/v1/users"].post);
  assert.ok(newUser?.required?.includes("password") && newUser.properties?.password, "creating a user documents the password it takes");
  assert.ok(schemaOf(doc.paths["/api/v1/settings"].patch), "changing settings documents its body");
  // Every write documents its body but these, which read none.
  const bodiless = new Set(["post /api/v1/auth/logout", "post /api/v1/plans/{id}/reviewed", "post /api/v1/reviews/schedule", "post /api/v1/deliveries/{id}/replay", "post /api/v1/rules/run", "post /api/v1/unsubscribe", "post /api/v1/rules/{id}/resume", "post /api/v1/models/{kind}/train"]);
  for (const { path, method, op } of operations) {
    if (!["post", "put", "patch"].includes(method)) continue;
    const name = `${method} ${path}`;
    if (bodiless.has(name)) assert.ok(!op.requestBody, `${name} reads no body and documents none`);
    else assert.ok(op.requestBody, `${name} documents the body it reads`);
  }
  assert.ok(doc.paths["/api/v1/imports"].post.requestBody.content["text/csv"], "an import's file may be the body itself");
  console.log(`ok: ${operations.length} operations, 0 errors, ${warnings.length} warning(s) from redocly lint (recommended rules)`);
} catch (e) {
  console.error(`FAIL: ${e.message}`);
  process.exitCode = 1;
} finally {
  stop();
}
