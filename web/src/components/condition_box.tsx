// A rule's condition as one types it: each pause in typing (300 ms) asks the server to read it
// (POST /api/v1/rules/check, the parser the rule will run with), and a mistake is shown under
// the box in the server's words with its place marked — the line as written and a caret under
// the column. A condition that reads is shown back in its normal form. The fields the condition
// may name (GET /api/v1/rules/vocabulary) are listed as help.
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../lib/api";
import type { ConditionCheck, Vocabulary } from "../lib/rules";

export function ConditionBox({
  value,
  onChange,
  vocabulary,
  readOnly = false,
}: {
  value: string;
  onChange: (text: string) => void;
  vocabulary: Vocabulary | null;
  readOnly?: boolean;
}) {
  // The server's reading and the text it read: a reading of an earlier text is not shown under
  // this one (its caret would point into the wrong line) while the new one is asked for.
  const [checked, setChecked] = useState<{ text: string; check: ConditionCheck } | null>(null);
  const [checkFailed, setCheckFailed] = useState<string | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    if (value.trim() === "") {
      setChecked(null);
      setCheckFailed(null);
      return;
    }
    const timer = setTimeout(() => {
      api.post<ConditionCheck>("/api/v1/rules/check", { condition: value }).then(
        (c) => {
          if (mine !== seq.current) return;
          setChecked({ text: value, check: c });
          setCheckFailed(null);
        },
        (e: Error) => mine === seq.current && setCheckFailed(e.message),
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [value]);

  const check = checked && checked.text === value ? checked.check : null;
  const error = check && !check.ok ? check.error : null;
  return (
    <div class="condition-box">
      <label class="block">
        Condition (blank: always)
        <textarea
          rows={3}
          spellcheck={false}
          value={value}
          readOnly={readOnly}
          aria-invalid={error ? true : undefined}
          aria-describedby="condition-feedback"
          placeholder={'tier in (1, 2) and health < 50 and not (colour = "green")'}
          onInput={(e) => onChange((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <div id="condition-feedback" aria-live="polite">
        {error ? (
          <div class="condition-error" data-testid="condition-error" role="alert">
            <pre class="caret" aria-hidden="true">
              {caretLines(value, error.line, error.column)}
            </pre>
            <p>{error.message}</p>
          </div>
        ) : check && check.ok ? (
          <p class="muted small" data-testid="condition-ok">
            Reads as: <code>{check.canonical}</code>
          </p>
        ) : value.trim() === "" ? (
          <p class="muted small">A blank condition holds for every account the trigger names.</p>
        ) : checkFailed ? (
          <p class="muted small">Could not check the condition now: {checkFailed}</p>
        ) : null}
      </div>
      {vocabulary && (
        <details class="vocabulary">
          <summary>Fields a condition can use</summary>
          <table class="plain small">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Kind</th>
                <th scope="col">What it is</th>
              </tr>
            </thead>
            <tbody>
              {vocabulary.fields.map((f) => (
                <tr key={f.name}>
                  <td>
                    <code>{f.name}</code>
                  </td>
                  <td>{f.type === "bool" ? "true/false" : f.type}</td>
                  <td>
                    {f.description}
                    {f.choices.length > 0 && <span class="muted"> — one of {f.choices.join(", ")}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted small">
            Compare with <code>= != &lt; &lt;= &gt; &gt;=</code>, <code>in (…)</code>, <code>not in (…)</code>; join with <code>and</code>, <code>or</code>,{" "}
            <code>not</code> and parentheses. Texts go in quotes: <code>colour = "red"</code>. Numbers may say <code>250k</code> or <code>1.5m</code>.
          </p>
        </details>
      )}
    </div>
  );
}

// The line the error is on, and under it a caret at its column (columns count characters).
function caretLines(text: string, line: number, column: number): string {
  const lines = text.split("\n");
  const at = lines[Math.max(0, line - 1)] ?? "";
  const col = Math.max(1, column);
  return `${at}\n${" ".repeat(col - 1)}^ column ${col}`;
}
