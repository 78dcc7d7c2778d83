// Who is signed in, and what they may do. The server decides; the UI only hides what would fail.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Account, User } from "./types";

export interface Session {
  user: User;
  users: Map<number, User>;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("no session");
  return s;
}

export function canEdit(user: User): boolean {
  return user.role !== "viewer";
}

export function userName(s: Session, id: number | null | undefined): string {
  if (id === null || id === undefined) return "—";
  return s.users.get(id)?.name ?? `User ${id}`;
}

// Whether the signed-in user may change this account and what hangs from it: the server's answer
// (`can_edit`, from the same policy its writes run); the role alone only before it is known.
export function canEditAccount(s: Session, account: Account | null | undefined): boolean {
  if (account && typeof account.can_edit === "boolean") return account.can_edit;
  return canEdit(s.user);
}
