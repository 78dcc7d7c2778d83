// The account page's Automation section: each rule's verdict for this account (GET
// /api/v1/accounts/{id}/automation), live rules first. A rule opens to why: whether its trigger
// holds and on what, each clause of its condition with the account's value (held or not), its
// cooldown and cap, and its firings here with each action's status, result or error.
import { api } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { actionName, type Trace } from "../lib/rules";
import { label } from "../lib/format";
import { Empty, Show } from "./states";

export function AutomationSection({ accountId }: { accountId: number }) {
  const [traces, reload] = useLoad(() => api.get<{ items: Trace[] }>(`/api/v1/accounts/${accountId}/automation`), [accountId]);
  return (
    <section class="card" aria-labelledby="automation-title" data-testid="automation">
      <h2 id="automation-title">Automation</h2>
      <Show loaded={traces} what="the rules' verdicts" retry={reload}>
        {({ items }) => {
          if (items.length === 0) return <Empty>No rules yet.</Empty>;
          const ordered = [...items].sort((a, b) => Number(b.live) - Number(a.live) || Number(b.firings.length > 0) - Number(a.firings.length > 0));
          const idle = ordered.filter((t) => !t.live && t.firings.length === 0);
          const shown = ordered.filter((t) => t.live || t.firings.length > 0);
          return (
            <>
              {shown.length === 0 && <p class="muted">No live rule acts on accounts yet.</p>}
              <ul class="traces">
                {shown.map((t) => (
                  <TraceItem key={t.rule_id} trace={t} />
                ))}
              </ul>
              {idle.length > 0 && (
                <details>
                  <summary>
                    {idle.length} {idle.length === 1 ? "rule" : "rules"} not acting (drafts, archived or switched off)
                  </summary>
                  <ul class="traces">
                    {idle.map((t) => (
                      <TraceItem key={t.rule_id} trace={t} />
                    ))}
                  </ul>
                </details>
              )}
            </>
          );
        }}
      </Show>
    </section>
  );
}

function Held({ held }: { held: boolean }) {
  return <span class={held ? "held" : "not-held"}>{held ? "✓ held" : "✗ did not hold"}</span>;
}

function TraceItem({ trace: t }: { trace: Trace }) {
  return (
    <li data-testid="trace" data-rule={t.rule_id}>
      <details>
        <summary>
          <strong>{t.rule_name}</strong>: <span data-testid="verdict">{t.verdict}</span>
        </summary>
        <dl class="trace">
          <div>
            <dt>Rule</dt>
            <dd>
              <a href={`/rules/${t.rule_id}`}>{t.rule_name}</a> ({label(t.state)})
            </dd>
          </div>
          <div>
            <dt>Trigger</dt>
            <dd>
              <Held held={t.trigger_holds} />: {t.trigger}
            </dd>
          </div>
          <div>
            <dt>Condition</dt>
            <dd>
              {t.clauses.length === 0 ? (
                <span>always</span>
              ) : (
                <table class="plain small">
                  <thead>
                    <tr>
                      <th scope="col">Clause</th>
                      <th scope="col">This account</th>
                      <th scope="col">Held</th>
                    </tr>
                  </thead>
                  <tbody>
                    {t.clauses.map((c, i) => (
                      <tr key={i}>
                        <td>
                          <code>{c.text}</code>
                        </td>
                        <td>
                          {c.field} = {c.value}
                        </td>
                        <td>
                          <Held held={c.held} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </dd>
          </div>
          {t.cooldown && (
            <div>
              <dt>Cooldown</dt>
              <dd>{t.cooldown}</dd>
            </div>
          )}
          {t.cap && (
            <div>
              <dt>Cap</dt>
              <dd>{t.cap}</dd>
            </div>
          )}
          <div>
            <dt>Firings here</dt>
            <dd>
              {t.firings.length === 0 ? (
                "none"
              ) : (
                <ul class="firings">
                  {t.firings.map((f) => (
                    <li key={f.id} data-testid="firing">
                      {f.fired_at.replace("T", " ").slice(0, 16)} on <code>{f.anchor}</code> (version {f.rule_version}): {label(f.status)}
                      <ul>
                        {f.actions.map((a) => (
                          <li key={a.idx}>
                            {actionName(a.kind)}: <span class={`action-status ${a.status}`}>{label(a.status)}</span>
                            {a.result && ` — ${a.result}`}
                            {a.error && <span class="error-text"> — {a.error}</span>}
                            {a.attempts > 1 && <span class="muted"> ({a.attempts} attempts)</span>}
                            {a.next_attempt_at && <span class="muted"> · next try {a.next_attempt_at.replace("T", " ").slice(0, 16)}</span>}
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        </dl>
      </details>
    </li>
  );
}
