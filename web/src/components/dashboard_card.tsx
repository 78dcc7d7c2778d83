// One dashboard panel: a titled card that loads its figures, shows the loading and error states
// (with a retry), an empty message when there is nothing to show, and otherwise its table or
// chart. Every panel of the dashboards page is one of these, so they share one markup: a
// `section.card` labelled by its heading, with `id` (the page's contents link to it) and
// `data-testid="dash-{id}"`.
//
// A long panel (`paging`) first shows its preview (the first rows), then "See all (N)" with the
// server's count; that pages through every row, `pageSize` at a time, to the end.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useLoad } from "../lib/hooks";
import { Empty, Show } from "./states";

export interface CardPage {
  offset: number;
  limit: number;
}

export function DashboardCard<T>({
  id,
  title,
  wide = false,
  load,
  deps = [],
  paging,
  what,
  isEmpty,
  empty,
  children,
}: {
  id: string;
  title: ComponentChildren;
  wide?: boolean; // spans both columns of the grid
  load: (page: CardPage) => Promise<T>; // called as the card is shown, and for each page
  deps?: unknown[]; // the page's filters: a change loads the card again, from its preview
  // always: offer "See all" even when the preview holds every row (a chart's rows, as a list)
  paging?: { preview: number; pageSize: number; total: (value: T) => number; always?: boolean };
  what: string; // for "Loading {what}…"
  isEmpty?: (value: T) => boolean;
  empty?: ComponentChildren; // shown instead of children when isEmpty says so
  children: (value: T) => ComponentChildren;
}) {
  const [all, setAll] = useState<{ offset: number; key: string } | null>(null);
  const key = JSON.stringify(deps);
  const open = all !== null && all.key === key; // paging, under the filters it was opened with
  const page: CardPage = open ? { offset: all.offset, limit: paging?.pageSize ?? 100 } : { offset: 0, limit: paging?.preview ?? 100 };
  const [loaded, reload] = useLoad(() => load(page), [key, page.offset, page.limit]);
  return (
    <section class={wide ? "card wide" : "card"} id={id} aria-labelledby={`${id}-title`} data-testid={`dash-${id}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <Show loaded={loaded} what={what} retry={reload}>
        {(value) => (
          <>
            {isEmpty?.(value) ? <Empty>{empty}</Empty> : children(value)}
            {paging && <Pager id={id} total={paging.total(value)} page={page} open={open} always={paging.always ?? false} show={(offset) => setAll(offset === null ? null : { offset, key })} />}
          </>
        )}
      </Show>
    </section>
  );
}

function Pager({ id, total, page, open, always, show }: { id: string; total: number; page: CardPage; open: boolean; always: boolean; show: (offset: number | null) => void }) {
  if (!open) {
    return total > page.limit || (always && total > 0) ? (
      <p class="pager">
        <button type="button" class="link" data-testid={`dash-${id}-all`} onClick={() => show(0)}>
          See all ({total})
        </button>
      </p>
    ) : null;
  }
  const last = Math.min(total, page.offset + page.limit);
  return (
    <nav class="pager" aria-label="Pages" data-testid={`dash-${id}-pager`}>
      <span class="muted" data-testid={`dash-${id}-rows`}>
        Rows {total === 0 ? 0 : page.offset + 1}–{last} of {total}
      </span>{" "}
      <button type="button" disabled={page.offset === 0} onClick={() => show(Math.max(0, page.offset - page.limit))}>
        Previous
      </button>{" "}
      <button type="button" disabled={last >= total} onClick={() => show(page.offset + page.limit)}>
        Next
      </button>{" "}
      <button type="button" class="link" onClick={() => show(null)}>
        Show fewer
      </button>
    </nav>
  );
}
