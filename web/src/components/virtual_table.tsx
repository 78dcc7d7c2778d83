// A table that renders only the rows in view (fixed row height), so a list of any length scrolls
// at the same cost. Rows arrive in pages; reaching the end asks for the next page.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

export interface Column<T> {
  key: string;
  title: string;
  width: string; // CSS grid track
  render: (row: T) => ComponentChildren;
  align?: "right";
  sortKey?: string; // the server's sort name: the header sorts by it (again: the other way)
}

// The list's order, as the server's `sort` names it ("arr_cents", "-arr_cents"); "" for none.
export interface TableSort {
  sort: string;
  onSort: (sort: string) => void;
  firstDescending?: (key: string) => boolean; // a first click sorts this column largest first
}

const rowHeight = 40;
const overscan = 8;

export function VirtualTable<T>({
  rows,
  columns,
  label,
  hasMore,
  loadMore,
  onOpen,
  rowKey,
  height = 560,
  sorting,
}: {
  rows: T[];
  columns: Column<T>[];
  label: string;
  hasMore: boolean;
  loadMore: () => void;
  onOpen: (row: T) => void;
  rowKey: (row: T) => string | number;
  height?: number;
  sorting?: TableSort;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [active, setActive] = useState(0);
  const template = columns.map((c) => c.width).join(" ");
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(rows.length, Math.ceil((top + height) / rowHeight) + overscan);
  useEffect(() => {
    if (hasMore && last >= rows.length - overscan) loadMore();
  }, [last, rows.length, hasMore]);
  useEffect(() => {
    if (active >= rows.length) setActive(Math.max(0, rows.length - 1));
  }, [rows.length]);

  const focusRow = (i: number) => {
    const n = Math.max(0, Math.min(rows.length - 1, i));
    setActive(n);
    const b = box.current;
    if (!b) return;
    const y = n * rowHeight;
    if (y < b.scrollTop) b.scrollTop = y;
    else if (y + rowHeight > b.scrollTop + height - rowHeight) b.scrollTop = y - height + 2 * rowHeight;
  };
  const onKey = (e: KeyboardEvent) => {
    const page = Math.floor(height / rowHeight) - 1;
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) {
      e.preventDefault();
      focusRow(active + (moves[e.key] ?? 0));
    } else if (e.key === "Home") {
      e.preventDefault();
      focusRow(0);
    } else if (e.key === "End") {
      e.preventDefault();
      focusRow(rows.length - 1);
    } else if (e.key === "Enter" && rows[active]) {
      e.preventDefault();
      onOpen(rows[active] as T);
    }
  };
  const activeRow = rows[active];
  return (
    <div
      class="vtable"
      role="grid"
      aria-label={label}
      aria-rowcount={hasMore ? -1 : rows.length + 1}
      tabIndex={0}
      onKeyDown={onKey}
      aria-activedescendant={activeRow !== undefined ? `row-${rowKey(activeRow)}` : undefined}
    >
      <div class="vrow vhead" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div role="columnheader" key={c.key} class={c.align === "right" ? "num" : ""} aria-sort={sortState(sorting, c.sortKey)}>
            {sorting && c.sortKey ? <SortButton column={c} sorting={sorting} /> : c.title}
          </div>
        ))}
      </div>
      <div class="vbody" ref={box} style={{ height: `${height}px` }} onScroll={(e) => setTop((e.target as HTMLDivElement).scrollTop)}>
        <div style={{ height: `${rows.length * rowHeight}px`, position: "relative" }}>
          {rows.slice(first, last).map((r, j) => {
            const i = first + j;
            return (
              <div
                key={rowKey(r)}
                id={`row-${rowKey(r)}`}
                role="row"
                aria-rowindex={i + 2}
                aria-selected={i === active}
                class={`vrow${i === active ? " active" : ""}`}
                style={{ gridTemplateColumns: template, top: `${i * rowHeight}px`, height: `${rowHeight}px` }}
                onClick={() => {
                  setActive(i);
                  onOpen(r);
                }}
              >
                {columns.map((c) => (
                  <div role="gridcell" key={c.key} class={c.align === "right" ? "num" : ""}>
                    {c.render(r)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function sortState(sorting: TableSort | undefined, key: string | undefined): "ascending" | "descending" | undefined {
  if (!sorting || !key) return undefined;
  if (sorting.sort === key) return "ascending";
  if (sorting.sort === `-${key}`) return "descending";
  return undefined;
}

function SortButton<T>({ column, sorting }: { column: Column<T>; sorting: TableSort }) {
  const key = column.sortKey as string;
  const state = sortState(sorting, key);
  const next = state === "ascending" ? `-${key}` : state === "descending" ? key : sorting.firstDescending?.(key) ? `-${key}` : key;
  return (
    <button type="button" class="link sort" data-sort={key} onClick={() => sorting.onSort(next)} title={`Sort by ${column.title}`}>
      {column.title}
      {state === "ascending" ? " ▲" : state === "descending" ? " ▼" : ""}
    </button>
  );
}
