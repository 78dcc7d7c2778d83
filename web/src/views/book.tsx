// Whose book a work list shows (Reviews, Handoffs): "mine" (the accounts one owns or covers),
// "team" (with one's reports') or "all". The URL keeps the choice (?book=…); without it, an AM or
// CSM sees their own, a manager their team's, everyone else the whole book (lib/book.ts's
// defaultBook, the rule Accounts, Dashboards and Home follow). And the pager every such list ends
// with: where one is, of how many, and the way to the end.
import { defaultBook, type Book } from "../lib/book";
import type { User } from "../lib/types";

export function bookOf(search: URLSearchParams, role: User["role"]): Book {
  const b = search.get("book");
  return b === "mine" || b === "team" || b === "all" ? b : defaultBook({ role });
}

export function BookSwitch({ path, book, role, what }: { path: string; book: Book; role: string; what: string }) {
  const choices: [Book, string][] = [
    ["mine", `My ${what}`],
    ...(role === "manager" || role === "leader" ? ([["team", `My team's ${what}`]] as [Book, string][]) : []),
    ["all", "Whole book"],
  ];
  return (
    <nav class="book-switch" aria-label={`Whose ${what}`} data-testid="book-switch">
      {choices.map(([b, title], i) => (
        <span key={b}>
          {i > 0 && <span aria-hidden="true"> · </span>}
          <a href={`${path}?book=${b}`} aria-current={b === book ? "page" : undefined}>
            {title}
          </a>
        </span>
      ))}
    </nav>
  );
}

export function Pager({ offset, shown, total, pageSize, onOffset, what }: { offset: number; shown: number; total: number; pageSize: number; onOffset: (o: number) => void; what: string }) {
  if (total <= pageSize && offset === 0) return null;
  const last = Math.max(0, Math.floor((total - 1) / pageSize) * pageSize);
  return (
    <div class="pager" role="group" aria-label={`Pages of ${what}`}>
      <span data-testid="pager-position">
        {shown === 0 ? 0 : offset + 1}–{offset + shown} of {total}
      </span>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(0)}>
        First
      </button>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - pageSize))}>
        Previous
      </button>
      <button type="button" disabled={offset + shown >= total} onClick={() => onOffset(offset + pageSize)}>
        Next
      </button>
      <button type="button" disabled={offset >= last} onClick={() => onOffset(last)}>
        Last
      </button>
    </div>
  );
}
