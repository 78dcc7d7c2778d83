// Links to accounts. Rows that carry their account's name (the dashboards' rows do) render it
// directly; rows with only an id (tasks, handoffs) fetch the name once each, then remember it.
import { useEffect, useState } from "preact/hooks";
import { api } from "./api";

const cache = new Map<number, Promise<string>>();

export function accountName(id: number): Promise<string> {
  let p = cache.get(id);
  if (!p) {
    p = api.get<{ name: string }>(`/api/v1/accounts/${id}`).then(
      (a) => a.name,
      () => `Account ${id}`,
    );
    cache.set(id, p);
  }
  return p;
}

export function AccountLink({ id, name = null }: { id: number; name?: string | null }) {
  const [fetched, setFetched] = useState<string | null>(null);
  useEffect(() => {
    if (name !== null) return undefined;
    let live = true;
    void accountName(id).then((n) => live && setFetched(n));
    return () => {
      live = false;
    };
  }, [id, name]);
  return <a href={`/accounts/${id}`}>{name ?? fetched ?? `Account ${id}`}</a>;
}
