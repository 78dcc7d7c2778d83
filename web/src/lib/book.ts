// Whose book a list or dashboard opens on (issue 18, item 5): an AM or CSM sees their own book
// first (for an AM the accounts they own, for a CSM those they cover as CSM), a manager their
// team's, everyone else the whole book; one choice away is the whole book. The address keeps the
// choice (?book=mine|team|all), so a reload or a shared link shows the same.
import type { User } from "./types";

export type Book = "mine" | "team" | "all";

// Only the role decides (the work lists of views/book.tsx ask with the role alone).
export function bookChoices(user: Pick<User, "role">): Book[] {
  if (user.role === "am" || user.role === "csm") return ["mine", "all"];
  if (user.role === "manager") return ["team", "mine", "all"];
  return ["all"];
}

export function defaultBook(user: Pick<User, "role">): Book {
  return bookChoices(user)[0] as Book;
}

// The book in the address, if this user may choose it; otherwise their default.
export function bookFromUrl(user: User): Book {
  const asked = new URLSearchParams(location.search).get("book");
  return bookChoices(user).find((b) => b === asked) ?? defaultBook(user);
}

export function bookLabel(book: Book, user: User): string {
  if (book === "mine") return user.role === "csm" ? "Accounts I cover as CSM" : "My accounts";
  if (book === "team") return "My team's accounts";
  return "Whole book";
}

// The dashboards' parameters for a book: am (owner), csm or team.
export function dashboardScope(book: Book, user: User): Record<string, number | null> {
  if (book === "mine") return user.role === "csm" ? { csm: user.id } : { am: user.id };
  if (book === "team") return { team: user.id };
  return {};
}

// The accounts list's parameters for a book: owner_id, csm_id or team.
export function listScope(book: Book, user: User): Record<string, string> {
  if (book === "mine") return user.role === "csm" ? { csm_id: String(user.id) } : { owner_id: String(user.id) };
  if (book === "team") return { team: String(user.id) };
  return {};
}
