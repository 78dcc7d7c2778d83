// The account's reviews that are due within 30 days or overdue (its internal reviews and its
// customer reviews — the QBR of a tier-1 account), each with the way to record it as held: the
// Reviews page, where the overdue come first.
import { all } from "../lib/api";
import { useLoad } from "../lib/hooks";
import type { Review } from "../lib/types";
import { day } from "../lib/format";
import { Show } from "./states";

const dueWindowDays = 30;

function reviewName(kind: string, tier: number): string {
  if (kind === "customer") return tier === 1 ? "QBR (customer review)" : "Customer review";
  return "Internal review";
}

export function ReviewsDue({ accountId, tier }: { accountId: number; tier: number }) {
  const [reviews, reload] = useLoad(() => all<Review>(`/api/v1/accounts/${accountId}/reviews?status=scheduled`), [accountId]);
  const today = new Date().toISOString().slice(0, 10);
  const until = new Date(Date.now() + dueWindowDays * 864e5).toISOString().slice(0, 10);
  return (
    <Show loaded={reviews} what="reviews due" retry={reload}>
      {(list) => {
        const due = list.filter((r) => r.due_on <= until).sort((a, b) => (a.due_on < b.due_on ? -1 : 1));
        if (due.length === 0) return null;
        return (
          <section class="card reviews-due" aria-labelledby="reviews-due-title" data-testid="reviews-due">
            <h2 id="reviews-due-title">Reviews due</h2>
            <ul class="items">
              {due.map((r) => {
                const late = Math.round((Date.parse(today) - Date.parse(r.due_on)) / 864e5);
                return (
                  <li key={r.id} data-review={r.id}>
                    <strong>{reviewName(r.kind, tier)}</strong> due {day(r.due_on)}{" "}
                    {late > 0 ? <span class="overdue">— {late} days overdue</span> : <span class="muted">— in {-late} days</span>}{" "}
                    <a href="/reviews">Record it as held on the Reviews page</a>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      }}
    </Show>
  );
}
