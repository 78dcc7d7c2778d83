// Sizes a reader can hold in their head (issue "The house in order", item 7): no source file over
// 800 lines and no function over 120 lines outside tests and generated code, unless a comment
// says why — a line `// Long: <why>` within the three lines above the function (or, for a file,
// in its first 20 lines).
//
// A function is found the way clang-format (Google style) lays it out: a line that ends a
// signature with `{` (`) {`, `) const {`, `) override {`, `) -> T {`…) at some indentation, up to
// the `}` alone at the same indentation. Lambdas and local blocks count toward the function that
// holds them. This is a line count, not a parser: it errs towards finding long bodies, never
// towards missing them, on code that passed clang-format (scripts/test checks that first).
//
// Env: ORCHARD_SOURCE_DIR (the repository).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const source = process.env.ORCHARD_SOURCE_DIR ?? new URL("../..", import.meta.url).pathname;
const kFileLines = 800;
const kFunctionLines = Number(process.env.ORCHARD_MAX_FUNCTION ?? 120);

const files = execFileSync("git", ["ls-files", "src/**.cc", "src/**.h", "bench/**.cc", "bench/**.h"], { cwd: source, encoding: "utf8" })
  .split("\n")
  .filter(Boolean);
if (files.length < 50) {
  console.error(`FAIL: only ${files.length} source files found under ${source}: is it the repository?`);
  process.exit(1);
}

const excused = (lines, at) => lines.slice(Math.max(0, at - 3), at).some((l) => /\/\/\s*Long:/.test(l));
const problems = [];
let functions = 0;
for (const file of files) {
  const lines = readFileSync(join(source, file), "utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length > kFileLines && !lines.slice(0, 20).some((l) => /\/\/\s*Long:/.test(l))) {
    problems.push(`${file}: ${lines.length} lines (at most ${kFileLines})`);
  }
  for (let i = 0; i < lines.length; ++i) {
    const line = lines[i];
    // A signature's last line: a closing parenthesis (then qualifiers or a trailing return type)
    // and the opening brace; not a control statement, not a lambda, not an initializer.
    if (!/\)[\w\s:<>,&*\->]*\{$/.test(line)) continue;
    if (/^\s*(if|for|while|switch|catch|else|do)\b|\b(if|for|while|switch|catch)\s*\(/.test(line)) continue;
    if (/\]\s*\(|\[[^\]]*\]\s*\{|=\s*\[|return\s|^\s*[}\]),]/.test(line)) continue;
    if (/^\s*[\w:]+\s*\(.*\)\s*\{$/.test(line) && /^\s*(namespace|struct|class|enum)\b/.test(line)) continue;
    // The signature may start lines above (wrapped parameters); its first line gives the
    // indentation, and the body ends at `}` alone at that indentation.
    let start = i;
    while (start > 0) {
      const before = lines[start - 1].trim();
      if (before === "" || /[;{}:]$/.test(before) || before.startsWith("//") || before.startsWith("#")) break;
      --start;
    }
    const indent = lines[start].match(/^\s*/)[0];
    let end = i + 1;
    while (end < lines.length && lines[end] !== `${indent}}` && lines[end] !== `${indent}};`) {
      if (lines[end].length > 0 && lines[end].length - lines[end].trimStart().length < indent.length) break;
      ++end;
    }
    if (end >= lines.length || (lines[end] !== `${indent}}` && lines[end] !== `${indent}};`)) continue;
    ++functions;
    const body = end - i - 1;
    if (body > kFunctionLines && !excused(lines, start)) {
      problems.push(`${file}:${start + 1}: a function of ${body} lines (at most ${kFunctionLines}): ${lines[start].trim().slice(0, 100)}`);
    }
    i = end;
  }
}

if (functions < 500) {
  console.error(`FAIL: only ${functions} functions recognised in ${files.length} files: the check itself is broken`);
  process.exit(1);
}
for (const p of problems) console.error(`  ${p}`);
if (problems.length > 0) {
  console.error(`FAIL: ${problems.length} file(s) or function(s) over the limits; split them, or say why in a "// Long: …" comment`);
  process.exit(1);
}
console.log(`ok: ${files.length} files and ${functions} functions within ${kFileLines} and ${kFunctionLines} lines`);
