// What happened with the account: the form that logs a call, meeting, e-mail, QBR or note — with
// the contacts who took part and whether it was a meaningful conversation — and the account's
// timeline (activities, tickets, NPS, call transcripts), newest first. Logging writes the activity, then who took
// part (PUT /api/v1/activities/{id}/contacts); the page then re-reads what they move: the last
// meaningful contact, the multithreading depth and health. Each text carries its sentiment
// (GET /api/v1/accounts/{id}/sentiments): a badge, and the phrases that drove it highlighted.
import { useState } from "preact/hooks";
import { all, api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import type { Activity, Contact } from "../lib/types";
import { activityKind, activityKinds, day, label } from "../lib/format";
import { Empty, Show } from "./states";
import { WriteError } from "./refusal";
import { Highlighted, SentimentBadge } from "./sentiment";
import { scoredText, type ScoredText } from "../lib/sentiment";

interface TimelineItem {
  at: string;
  kind: string;
  text: string; // the text as scored (the phrases' offsets point into it)
  after?: string; // what follows the text (a ticket's status)
  key: string;
  long?: boolean; // a call transcript: shown in a scrolling box
  sentiment?: ScoredText;
}

export function ActivitySection({ accountId, editable, onLogged }: { accountId: number; editable: boolean; onLogged: () => void }) {
  const [items, reload] = useLoad(async (): Promise<TimelineItem[]> => {
    const [acts, tickets, nps, transcripts, scored] = await Promise.all([
      api.get<{ items: Activity[] }>(`/api/v1/accounts/${accountId}/activities?sort=-occurred_at&limit=30`),
      api.get<{ items: { id: number; severity: string; status: string; opened_at: string; subject: string; body: string; escalated: boolean }[] }>(
        `/api/v1/accounts/${accountId}/tickets?sort=-opened_at&limit=15`,
      ),
      api.get<{ items: { id: number; score: number; comment: string; responded_on: string }[] }>(
        `/api/v1/accounts/${accountId}/nps-responses?sort=-responded_on&limit=10`,
      ),
      api.get<{ items: { id: number; activity_id: number | null; text: string; created_at: string }[] }>(
        `/api/v1/accounts/${accountId}/transcripts?sort=-created_at&limit=10`,
      ),
      api.get<{ items: ScoredText[] }>(`/api/v1/accounts/${accountId}/sentiments?limit=200`),
    ]);
    const of = new Map(scored.items.map((s) => [`${s.source}:${s.source_id}`, s]));
    const out: TimelineItem[] = [
      ...acts.items.map((a) => ({ at: a.occurred_at, kind: `${activityKind(a.kind)}${a.meaningful ? " ★" : ""}`, text: scoredText(a.subject, a.body), key: `a${a.id}`, sentiment: of.get(`activity:${a.id}`) })),
      ...tickets.items.map((t) => ({ at: t.opened_at, kind: `Ticket · ${label(t.severity)}`, text: scoredText(t.subject, t.body), after: ` (${label(t.status).toLowerCase()}${t.escalated ? ", escalated" : ""})`, key: `t${t.id}`, sentiment: of.get(`ticket:${t.id}`) })),
      ...nps.items.map((n) => ({ at: n.responded_on, kind: `NPS ${n.score}`, text: n.comment || "—", key: `n${n.id}`, sentiment: of.get(`nps_response:${n.id}`) })),
      ...transcripts.items.map((t) => ({ at: t.created_at, kind: "Call transcript", text: t.text || "—", key: `c${t.id}`, long: true, sentiment: of.get(`transcript:${t.id}`) })),
    ];
    return out.sort((x, y) => (x.at < y.at ? 1 : -1)).slice(0, 40);
  }, [accountId]);
  return (
    <section class="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      {editable && (
        <LogActivity
          accountId={accountId}
          onLogged={() => {
            reload();
            onLogged();
          }}
        />
      )}
      <Show loaded={items} what="the timeline" retry={reload}>
        {(list) =>
          list.length === 0 ? (
            <Empty>No activities, tickets, NPS responses or call transcripts yet.</Empty>
          ) : (
            <ol class="timeline" data-testid="timeline" tabIndex={0} aria-label="Activities, tickets, NPS and call transcripts, newest first (★ meaningful)">
              {list.map((i) => (
                <li key={i.key} data-testid={i.key}>
                  <time dateTime={i.at}>{day(i.at)}</time> <span class="kind">{i.kind}</span> {i.sentiment && <SentimentBadge s={i.sentiment} />}
                  {i.long ? (
                    <div class="transcript">
                      <Highlighted text={i.text} s={i.sentiment} />
                    </div>
                  ) : (
                    <Highlighted text={i.text} s={i.sentiment} />
                  )}
                  {i.after}
                </li>
              ))}
            </ol>
          )
        }
      </Show>
    </section>
  );
}

// Calls, meetings and QBRs are real conversations by default; e-mails and notes are not.
const meaningfulByDefault = new Set(["call", "meeting", "qbr"]);

function LogActivity({ accountId, onLogged }: { accountId: number; onLogged: () => void }) {
  const [contacts] = useLoad(() => all<Contact>(`/api/v1/accounts/${accountId}/contacts`), [accountId]);
  const today = new Date().toISOString().slice(0, 10);
  const empty = { kind: "meeting", subject: "", body: "", on: today, meaningful: true, people: [] as number[] };
  const [draft, setDraft] = useState(empty);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      // Today's entry is stamped now; an earlier day at noon UTC.
      const at = draft.on === today ? new Date().toISOString().slice(0, 19).replace("T", " ") : `${draft.on} 12:00:00`;
      const a = await api.post<Activity>(`/api/v1/accounts/${accountId}/activities`, {
        kind: draft.kind,
        meaningful: draft.meaningful,
        occurred_at: at,
        subject: draft.subject.trim(),
        body: draft.body.trim(),
      });
      if (draft.people.length > 0) await api.put(`/api/v1/activities/${a.id}/contacts`, { contact_ids: draft.people });
      setDone(`Logged the ${activityKind(draft.kind).toLowerCase()} “${draft.subject.trim()}”${draft.people.length ? ` with ${draft.people.length} contact${draft.people.length === 1 ? "" : "s"}` : ""}.`);
      setDraft(empty);
      onLogged();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const active = contacts.state === "ready" ? contacts.value.filter((c) => c.status === "active") : [];
  return (
    <form class="add log-activity" aria-label="Log an activity" onSubmit={submit}>
      <label class="compact">
        Kind
        <select value={draft.kind} onChange={(e) => {
          const kind = (e.target as HTMLSelectElement).value;
          setDraft({ ...draft, kind, meaningful: meaningfulByDefault.has(kind) });
        }}>
          {activityKinds.map(([k, name]) => (
            <option key={k} value={k}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        What happened
        <input value={draft.subject} onInput={(e) => setDraft({ ...draft, subject: (e.target as HTMLInputElement).value })} placeholder="e.g. Renewal strategy with the CFO" />
      </label>
      <label class="compact">
        On
        <input type="date" value={draft.on} max={today} onInput={(e) => setDraft({ ...draft, on: (e.target as HTMLInputElement).value })} />
      </label>
      <label class="check">
        <input type="checkbox" checked={draft.meaningful} onChange={(e) => setDraft({ ...draft, meaningful: (e.target as HTMLInputElement).checked })} />
        Meaningful (a real two-way conversation)
      </label>
      <fieldset class="participants">
        <legend>Who took part</legend>
        {active.length === 0 ? (
          <span class="muted">No active contacts mapped.</span>
        ) : (
          active.map((c) => (
            <label key={c.id} class="check">
              <input
                type="checkbox"
                checked={draft.people.includes(c.id)}
                onChange={(e) =>
                  setDraft({ ...draft, people: (e.target as HTMLInputElement).checked ? [...draft.people, c.id] : draft.people.filter((p) => p !== c.id) })
                }
              />
              {`${c.first_name} ${c.last_name}`.trim()}
            </label>
          ))
        )}
      </fieldset>
      <label>
        Notes
        <textarea rows={2} value={draft.body} onInput={(e) => setDraft({ ...draft, body: (e.target as HTMLTextAreaElement).value })} />
      </label>
      <button type="submit" disabled={busy || !draft.subject.trim() || !draft.on}>
        Log activity
      </button>
      {done && (
        <p role="status" class="muted small">
          {done}
        </p>
      )}
      {error && <WriteError error={error} />}
    </form>
  );
}
