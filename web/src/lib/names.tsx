// Account names for the dashboards, which answer with ids: fetched once each, then remembered.
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

export function AccountLink({ id }: { id: number }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void accountName(id).then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [id]);
  return <a href={`/accounts/${id}`}>{name ?? `Account ${id}`}</a>;
}
