// The inbox bell in the top bar: the signed-in user's unread notifications (what rules' notify
// actions sent them), re-read every 30 s, after each navigation and when a page says the inbox
// may have changed (lib/rules.ts inboxChanged). Opening it lists the newest notifications;
// clicking one marks it read and follows its link (the account); "Mark all read" clears them.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import { navigate } from "../lib/router";
import { onInboxChanged, type Inbox } from "../lib/rules";

const pollMs = 30_000;

export function InboxBell({ path }: { path: string }) {
  const [unread, setUnread] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [inbox, setInbox] = useState<Inbox | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const seq = useRef(0);

  const count = () => {
    const mine = ++seq.current;
    api.get<Inbox>("/api/v1/inbox?unread=true&limit=1").then(
      (i) => mine === seq.current && setUnread(i.unread),
      () => {
        // The count stays as it was; the next poll tries again.
      },
    );
  };
  const load = () => {
    setError(null);
    api.get<Inbox>("/api/v1/inbox?limit=20").then(
      (i) => {
        setInbox(i);
        setUnread(i.unread);
      },
      (e: ApiError) => setError(e),
    );
  };

  useEffect(() => {
    const timer = setInterval(count, pollMs);
    const off = onInboxChanged(() => (open ? load() : count()));
    return () => {
      clearInterval(timer);
      off();
    };
  }, [open]);
  useEffect(count, [path]);
  useEffect(() => {
    if (!open) return;
    load();
    const away = (e: Event) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("click", away);
    return () => document.removeEventListener("click", away);
  }, [open]);

  const markRead = async (ids?: number[]) => {
    try {
      await api.post("/api/v1/inbox/read", ids ? { ids } : {});
    } catch (e) {
      setError(e as ApiError);
      return false;
    }
    return true;
  };

  const follow = async (id: number, link: string, read: boolean) => {
    if (!read) await markRead([id]);
    setOpen(false);
    count();
    if (link) navigate(link);
  };

  const n = unread ?? 0;
  return (
    <div
      class="inbox"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          setOpen(false);
          root.current?.querySelector<HTMLButtonElement>("button.bell")?.focus();
        }
      }}
    >
      <button
        type="button"
        class="bell"
        aria-expanded={open}
        aria-controls="inbox-panel"
        aria-label={`Notifications: ${n} unread`}
        data-testid="inbox-bell"
        onClick={() => setOpen(!open)}
      >
        <svg class="bell-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
        </svg>
        {n > 0 && (
          <span class="count" data-testid="inbox-count" aria-hidden="true">
            {n > 99 ? "99+" : n}
          </span>
        )}
      </button>
      {open && (
        <div id="inbox-panel" class="inbox-panel" role="region" aria-label="Notifications" data-testid="inbox-panel">
          <div class="row between">
            <strong>Notifications</strong>
            <button
              type="button"
              class="link"
              disabled={n === 0}
              onClick={async () => {
                if (await markRead()) load();
              }}
            >
              Mark all read
            </button>
          </div>
          {error && (
            <p class="state error" role="alert">
              {error.message}
            </p>
          )}
          {inbox === null ? (
            <p class="muted">Loading…</p>
          ) : inbox.items.length === 0 ? (
            <p class="muted">Nothing here yet: notifications from rules arrive here.</p>
          ) : (
            <ul class="inbox-items">
              {inbox.items.map((item) => (
                <li key={item.id} class={item.read_at ? "read" : "unread"} data-testid="notification">
                  <a
                    href={item.link || "#"}
                    onClick={(e) => {
                      e.preventDefault();
                      void follow(item.id, item.link, item.read_at !== null);
                    }}
                  >
                    <strong>{item.title}</strong>
                    {!item.read_at && <span class="sr-only"> (unread)</span>}
                  </a>
                  {item.body && <p class="small">{item.body}</p>}
                  <time class="muted small" dateTime={item.created_at}>
                    {item.created_at.replace("T", " ").slice(0, 16)}
                  </time>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
