// Links to accounts. Rows that carry their account's name (the dashboards' rows do) render it
// directly; rows with only an id (tasks, handoffs) ask for the names they lack together: the ids
// asked for while a view renders go in one request (GET /api/v1/accounts?ids=…), and each name is
// remembered.
import { useEffect, useState } from "preact/hooks";
import { api, type Page } from "./api";

const cache = new Map<number, Promise<string>>();
let pending = new Map<number, (name: string) => void>();

const maxIds = 500; // the server's page size
function flush(): void {
  const batch = pending;
  pending = new Map();
  const ids = [...batch.keys()];
  for (let i = 0; i < ids.length; i += maxIds) {
    const chunk = ids.slice(i, i + maxIds);
    api.get<Page<{ id: number; name: string }>>(`/api/v1/accounts?ids=${chunk.join(",")}&limit=${maxIds}`).then(
      (page) => {
        const names = new Map(page.items.map((a) => [a.id, a.name]));
        for (const id of chunk) batch.get(id)!(names.get(id) ?? `Account ${id}`);
      },
      () => {
        for (const id of chunk) {
          cache.delete(id); // asked again next time
          batch.get(id)!(`Account ${id}`);
        }
      },
    );
  }
}

export function accountName(id: number): Promise<string> {
  let p = cache.get(id);
  if (!p) {
    p = new Promise<string>((resolve) => {
      if (pending.size === 0) setTimeout(flush, 0);
      pending.set(id, resolve);
    });
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
