// The plain data table every view lists rows in: a header of column titles, a row per item, and
// numbers right-aligned. Columns are declared once (title, cell), so a view states what it shows,
// not the markup.
import type { ComponentChildren } from "preact";

export interface TableColumn<T> {
  title: ComponentChildren;
  cell: (row: T) => ComponentChildren;
  num?: boolean; // right-aligned figures
  class?: string; // for the body cells
}

export function DataTable<T>({
  columns,
  rows,
  rowKey,
  testId,
  caption,
}: {
  columns: TableColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string | number;
  testId?: string;
  caption?: string; // for screen readers
}) {
  return (
    <table class="plain" data-testid={testId}>
      {caption && <caption class="sr-only">{caption}</caption>}
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={i} scope="col" class={c.num ? "num" : undefined}>
              {c.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)}>
            {columns.map((c, i) => (
              <td key={i} class={[c.num ? "num" : "", c.class ?? ""].join(" ").trim() || undefined}>
                {c.cell(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
