// The one door to the server's JSON API: same-origin fetch with the session cookie, the CSRF
// header on every state-changing request, and errors as ApiError values the views can show.

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

const csrfKey = "orchard.csrf";
let onUnauthenticated: () => void = () => {};

export function setCsrf(token: string | null): void {
  if (token) localStorage.setItem(csrfKey, token);
  else localStorage.removeItem(csrfKey);
}

export function whenSignedOut(handler: () => void): void {
  onUnauthenticated = handler;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET") headers["x-csrf-token"] = localStorage.getItem(csrfKey) ?? "";
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "The server cannot be reached. Check the connection and retry.");
  }
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
