// The account's opportunities: created here (renewal, upsell, cross-sell or new business, named
// as people say them), moved through their stages with the version read (a stale one shows the
// conflict). The table is updated in place from what the server stored — no reload.
import { useState } from "preact/hooks";
import { all, api, ApiError } from "../lib/api";
import { useLoad } from "../lib/hooks";
import { useSession, userName } from "../lib/session";
import type { Opportunity } from "../lib/types";
import { day, label, money, opportunityType, opportunityTypes } from "../lib/format";
import { Empty, Show } from "./states";
import { ConflictNotice } from "./conflict";
import { WriteError } from "./refusal";

const stages = ["prospecting", "qualification", "discovery", "proposal", "negotiation", "closed_won", "closed_lost"];

export function Opportunities({ accountId, editable }: { accountId: number; editable: boolean }) {
  const session = useSession();
  const [opps, reload, set] = useLoad(() => all<Opportunity>(`/api/v1/accounts/${accountId}/opportunities`), [accountId]);
  // A stage chosen but not saved: the conflict (409) or the refusal that stopped it.
  const [pending, setPending] = useState<{ id: number; stage: string; error: ApiError } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const save = async (list: Opportunity[], o: Opportunity, stage: string, version: number) => {
    setSaved(null);
    try {
      // A deal closed without a close date yet (an import may leave one open without it) closes
      // today: the server needs the day a closed deal closed.
      const closing = (stage === "closed_won" || stage === "closed_lost") && !o.close_date;
      const body = closing ? { stage, version, close_date: new Date().toISOString().slice(0, 10) } : { stage, version };
      const updated = await api.patch<Opportunity>(`/api/v1/opportunities/${o.id}`, body);
      setPending(null);
      set(list.map((x) => (x.id === o.id ? updated : x)));
      setSaved(`${o.name}: stage is now ${label(stage)}.`);
    } catch (e) {
      setPending({ id: o.id, stage, error: e as ApiError });
    }
  };

  return (
    <section class="card" aria-labelledby="opps-title">
      <h2 id="opps-title">Opportunities</h2>
      <Show loaded={opps} what="opportunities" retry={reload}>
        {(list) => (
          <>
            {list.length === 0 && <Empty>No opportunities yet.</Empty>}
            {pending?.error.conflict && (
              <ConflictNotice
                what={`the opportunity “${list.find((x) => x.id === pending.id)?.name ?? ""}”`}
                currentVersion={pending.error.currentVersion ?? 0}
                onKeepMine={() => {
                  const o = list.find((x) => x.id === pending.id);
                  if (o) void save(list, o, pending.stage, pending.error.currentVersion ?? o.version);
                }}
                onTakeTheirs={() => {
                  setPending(null);
                  reload();
                }}
              />
            )}
            {pending && !pending.error.conflict && <WriteError error={pending.error} />}
            {saved && (
              <p role="status" class="muted small">
                {saved}
              </p>
            )}
            {list.length > 0 && (
              <table class="plain" data-testid="opportunities">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Type</th>
                    <th scope="col">Stage</th>
                    <th scope="col" class="num">
                      Amount
                    </th>
                    <th scope="col">Close</th>
                    <th scope="col">Owner</th>
                  </tr>
                </thead>
                <tbody>
                  {[...list].reverse().map((o) => (
                    <tr key={o.id} data-opportunity={o.id}>
                      <td>{o.name}</td>
                      <td>{opportunityType(o.type)}</td>
                      <td>
                        {editable ? (
                          <select
                            aria-label={`Stage of ${o.name}`}
                            value={pending?.id === o.id ? pending.stage : o.stage}
                            onChange={(e) => void save(list, o, (e.target as HTMLSelectElement).value, o.version)}
                          >
                            {stages.map((s) => (
                              <option key={s} value={s}>
                                {label(s)}
                              </option>
                            ))}
                          </select>
                        ) : (
                          label(o.stage)
                        )}
                      </td>
                      <td class="num">{money(o.amount_cents)}</td>
                      <td>{day(o.close_date)}</td>
                      <td>{userName(session, o.owner_id)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {editable && (
              <NewOpportunity
                accountId={accountId}
                onCreated={(o) => {
                  set([...list, o]);
                  setSaved(`${o.name} added: ${opportunityType(o.type)}, ${label(o.stage)}.`);
                }}
              />
            )}
          </>
        )}
      </Show>
    </section>
  );
}

function inDays(n: number): string {
  return new Date(Date.now() + n * 864e5).toISOString().slice(0, 10);
}

function NewOpportunity({ accountId, onCreated }: { accountId: number; onCreated: (o: Opportunity) => void }) {
  const session = useSession();
  const empty = { name: "", type: "upsell", stage: "prospecting", amount: "", close_date: inDays(90) };
  const [draft, setDraft] = useState(empty);
  const [error, setError] = useState<ApiError | null>(null);
  const set = (k: keyof typeof empty) => (e: Event) => setDraft({ ...draft, [k]: (e.target as HTMLInputElement).value });
  const amount = Number(draft.amount.replace(/[$,\s]/g, "") || "0");
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const o = await api.post<Opportunity>(`/api/v1/accounts/${accountId}/opportunities`, {
        name: draft.name.trim(),
        type: draft.type,
        stage: draft.stage,
        amount_cents: Math.round(amount * 100),
        close_date: draft.close_date,
        created_on: new Date().toISOString().slice(0, 10),
        owner_id: session.user.id,
      });
      setDraft(empty);
      onCreated(o);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <form class="add" aria-label="New opportunity" onSubmit={submit}>
      <label>
        Opportunity name
        <input value={draft.name} onInput={set("name")} placeholder="e.g. Analytics for the EMEA plants" />
      </label>
      <label class="compact">
        Type
        <select value={draft.type} onChange={set("type")}>
          {opportunityTypes.map(([t, name]) => (
            <option key={t} value={t}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label class="compact">
        Stage
        <select value={draft.stage} onChange={set("stage")}>
          {stages.slice(0, 5).map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
        </select>
      </label>
      <label class="compact">
        Amount ($)
        <input inputMode="decimal" value={draft.amount} onInput={set("amount")} placeholder="25000" />
      </label>
      <label class="compact">
        Close date
        <input type="date" value={draft.close_date} onInput={set("close_date")} />
      </label>
      <button type="submit" disabled={!draft.name.trim() || !Number.isFinite(amount) || amount < 0}>
        Add opportunity
      </button>
      {error && <WriteError error={error} />}
    </form>
  );
}
