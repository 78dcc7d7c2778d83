// The account's team: who may be named as the owner of a risk's mitigation or of an action — the
// owner AM, the CSM, the executive sponsor, and the users who cover one of its buying centres.
import { all } from "./api";
import { useLoad } from "./hooks";
import { userName, type Session } from "./session";
import type { Account, Division } from "./types";

export interface TeamMember {
  id: number;
  name: string;
  role: string; // what they are on this account: "owner AM", "CSM", "sponsor", "covers Finance"
}

export function teamOf(s: Session, account: Account, divisions: Division[]): TeamMember[] {
  const out: TeamMember[] = [];
  const add = (id: number | null | undefined, role: string) => {
    if (id === null || id === undefined) return;
    const known = out.find((m) => m.id === id);
    if (known) known.role += `, ${role}`;
    else out.push({ id, name: userName(s, id), role });
  };
  add(account.owner_id, "owner AM");
  add(account.csm_id, "CSM");
  add(account.sponsor_id, "sponsor");
  for (const d of divisions) add(d.covered_by_id, `covers ${d.name}`);
  return out;
}

// The team of one account, once it and its divisions are read (empty before).
export function useAccountTeam(s: Session, accountId: number, account: Account | null): TeamMember[] {
  const [divisions] = useLoad(() => all<Division>(`/api/v1/accounts/${accountId}/divisions`), [accountId]);
  if (!account) return [];
  return teamOf(s, account, divisions.state === "ready" ? divisions.value : []);
}
