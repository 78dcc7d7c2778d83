// The one door to the server's JSON API: same-origin fetch with the session cookie, the CSRF
// header on every state-changing request (re-read once when a sign-in elsewhere made it stale),
// and errors as ApiError values the views can show.
import type { User } from "./types";

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    readonly currentVersion: number | null = null,
  ) {
    super(message);
  }
  get conflict(): boolean {
    return this.status === 409 && this.currentVersion !== null;
  }
}

// The CSRF token of this tab's session, kept in memory: sign-in returns it, and a page that
// starts (or finds it stale) reads it from GET /api/v1/auth/session.
let csrf: string | null = null;
// Who this tab is signed in as: a write is never retried as someone else.
let signedInAs: number | null = null;
let onUnauthenticated: () => void = () => {};
let onSessionChanged: (user: User) => void = () => {};

export function setCsrf(token: string | null, userId: number | null = null): void {
  csrf = token;
  signedInAs = token ? userId : null;
}

export function whenSignedOut(handler: () => void): void {
  onUnauthenticated = handler;
}

// Called when another tab signed someone else in on this browser: the tab shows their session.
export function whenSessionChanged(handler: (user: User) => void): void {
  onSessionChanged = handler;
}

export interface SessionInfo {
  user: User;
  csrf_token: string | null;
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET") headers["x-csrf-token"] = csrf ?? "";
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "The server cannot be reached. Check the connection and retry.");
  }
}

async function read<T>(res: Response, path: string): Promise<T> {
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(res.status, "bad_response", `The server answered ${res.status} without JSON.`);
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; fields?: FieldError[] }; current_version?: number }) ?? {};
    const err = new ApiError(
      res.status,
      e.error?.code ?? "error",
      e.error?.message ?? `The server answered ${res.status}.`,
      e.error?.fields ?? [],
      typeof e.current_version === "number" ? e.current_version : null,
    );
    if (res.status === 401 && path !== "/api/v1/auth/login") onUnauthenticated();
    throw err;
  }
  return json as T;
}

// The session this browser holds now (a sign-in in another tab may have replaced this tab's).
export async function currentSession(): Promise<SessionInfo> {
  const s = await read<SessionInfo>(await send("GET", "/api/v1/auth/session"), "/api/v1/auth/session");
  setCsrf(s.csrf_token, s.user.id);
  return s;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await send(method, path, body);
  // A write refused for its CSRF token: the session changed under this tab (a sign-in in another
  // tab). Read the current token and send the write once more, if it is still the same user.
  if (res.status === 403 && method !== "GET" && path !== "/api/v1/auth/login") {
    const failed = await read<T>(res, path).catch((e: unknown) => e as ApiError);
    if (!(failed instanceof ApiError) || !failed.fields.some((f) => f.field === "x-csrf-token")) throw failed;
    const before = signedInAs;
    const now = await currentSession();
    if (before !== null && now.user.id !== before) {
      onSessionChanged(now.user);
      throw new ApiError(409, "session_changed", `Not saved: this browser is now signed in as ${now.user.name} (from another tab). Check the page and try again.`);
    }
    return read<T>(await send(method, path, body), path);
  }
  return read<T>(res, path);
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
  del: (path: string) => request<void>("DELETE", path),
};

export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

// Every item of a list, following cursors (for short lists: a plan's parts, an account's contacts).
export async function all<T>(path: string, limit = 500): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  const sep = path.includes("?") ? "&" : "?";
  for (let i = 0; i < 50; i++) {
    const page: Page<T> = await api.get<Page<T>>(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    out.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return out;
}
