// The README and docs/ are read on a fresh clone, often offline: every link and image in them
// points inside the repository, at a file that exists (issue "The daily work", item 16). A bare
// URL in prose counts too, since renderers turn it into a link; URLs in code (`…`, ``` blocks)
// are commands to type, not links. Anchors (#…) after a path are allowed.
//
// Env: ORCHARD_SOURCE_DIR (the repository).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

const source = process.env.ORCHARD_SOURCE_DIR ?? new URL("../..", import.meta.url).pathname;
const docs = ["README.md", ...readdirSync(join(source, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const problems = [];
for (const doc of docs) {
  const text = readFileSync(join(source, doc), "utf8")
    .replace(/```[\s\S]*?```/g, (block) => block.replace(/[^\n]/g, " "))
    .replace(/`[^`\n]*`/g, (code) => " ".repeat(code.length));
  const lineOf = (at) => text.slice(0, at).split("\n").length;
  for (const m of text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)) {
    const target = m[1].split("#")[0];
    if (/^[a-z][a-z0-9+.-]*:/i.test(m[1])) {
      problems.push(`${doc}:${lineOf(m.index)}: links outside the repository: ${m[1]}`);
    } else if (target !== "") {
      const path = normalize(join(dirname(join(source, doc)), target));
      if (!path.startsWith(normalize(source))) problems.push(`${doc}:${lineOf(m.index)}: points above the repository: ${m[1]}`);
      else if (!existsSync(path)) problems.push(`${doc}:${lineOf(m.index)}: no such file: ${m[1]}`);
    }
  }
  const prose = text.replace(/!?\[[^\]]*\]\([^)]*\)/g, (link) => " ".repeat(link.length));
  for (const m of prose.matchAll(/\b(?:https?|ftp):\/\/[^\s)>]+/g)) {
    problems.push(`${doc}:${lineOf(m.index)}: a bare URL becomes a link: ${m[0]} (put it in \`code\` or remove it)`);
  }
}
if (docs.length < 3) problems.push(`only ${docs.length} documents found under ${source}`);
if (problems.length > 0) {
  console.error(`FAIL: ${problems.length} link problem(s):\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`ok: ${docs.length} documents, every link inside the repository`);
