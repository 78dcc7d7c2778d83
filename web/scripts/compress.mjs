// After `vite build`: writes a gzip twin (name.gz) of every text file in dist/, which the server
// sends to browsers that accept gzip, and checks the JavaScript budget (< 400 KB gzipped).
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dist = new URL("../dist/", import.meta.url).pathname;
const budget = 400 * 1024;
let jsRaw = 0;
let jsGzip = 0;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(js|css|html|svg|json|txt)$/.test(name)) {
      const raw = readFileSync(path);
      const gz = gzipSync(raw, { level: 9 });
      writeFileSync(`${path}.gz`, gz);
      if (name.endsWith(".js")) {
        jsRaw += raw.length;
        jsGzip += gz.length;
      }
    }
  }
}
walk(dist);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`JavaScript: ${kb(jsRaw)}, ${kb(jsGzip)} gzipped (budget ${kb(budget)} gzipped)`);
if (jsGzip > budget) {
  console.error("The JavaScript bundle is over its budget of 400 KB gzipped.");
  process.exit(1);
}
