// One dashboard panel: a titled card that loads its figures, shows the loading and error states
// (with a retry), an empty message when there is nothing to show, and otherwise its table or
// chart. Every panel of the dashboards page is one of these, so they share one markup: a
// `section.card` labelled by its heading, with `id` (the page's contents link to it) and
// `data-testid="dash-{id}"`.
import type { ComponentChildren } from "preact";
import { useLoad } from "../lib/hooks";
import { Empty, Show } from "./states";

export function DashboardCard<T>({
  id,
  title,
  wide = false,
  load,
  what,
  isEmpty,
  empty,
  children,
}: {
  id: string;
  title: string;
  wide?: boolean; // spans both columns of the grid
  load: () => Promise<T>; // called once, as the card is shown
  what: string; // for "Loading {what}…"
  isEmpty?: (value: T) => boolean;
  empty?: ComponentChildren; // shown instead of children when isEmpty says so
  children: (value: T) => ComponentChildren;
}) {
  const [loaded, reload] = useLoad(load, []);
  return (
    <section class={wide ? "card wide" : "card"} id={id} aria-labelledby={`${id}-title`} data-testid={`dash-${id}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <Show loaded={loaded} what={what} retry={reload}>
        {(value) => (isEmpty?.(value) ? <Empty>{empty}</Empty> : children(value))}
      </Show>
    </section>
  );
}
