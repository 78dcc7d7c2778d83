// Who is signed in, and what they may do. The server decides; the UI only hides what would fail.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { User } from "./types";

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
