// Calls to the plinth API: JSON in and out, the CSRF header on every change, RFC 9457
// problems turned into ApiError. A 401 on anything but the session check means the session
// ended; onUnauthenticated tells the app to show the login page.

export interface FieldError {
  pointer: string;
  detail: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
  // The field errors whose pointer starts with `prefix` (e.g. "/spec/tier").
  fieldErrors(prefix: string): string[] {
    return (this.problem.errors ?? [])
      .filter((e) => e.pointer === prefix || e.pointer.startsWith(prefix + "/"))
      .map((e) => e.detail);
  }
}

let csrfToken = "";
let onUnauthenticated: () => void = () => {};

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token ?? "";
}

export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

export interface Response<T> {
  data: T;
  etag: string | null;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  // Do not treat a 401 as the end of the session (the session check and login do that).
  quiet401?: boolean;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<Response<T>> {
  const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let resp: globalThis.Response;
  try {
    resp = await fetch(path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: "same-origin",
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiError({ status: 0, title: "Network error", detail: "plinth did not answer: is the server running?" });
  }
  const text = await resp.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!resp.ok) {
    const problem: Problem =
      data && typeof data === "object" ? { status: resp.status, ...(data as Partial<Problem>) } : { status: resp.status, title: resp.statusText };
    if (resp.status === 401 && !opts.quiet401) onUnauthenticated();
    throw new ApiError(problem);
  }
  return { data: data as T, etag: resp.headers.get("ETag") };
}

export async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await request<T>("GET", path, { signal })).data;
}

// A query string from the non-empty values of `params`, with its leading "?" ("" when none).
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  }
  const s = p.toString();
  return s ? "?" + s : "";
}

export const enc = encodeURIComponent;

// Every item of a paginated list, following next_cursor (500 per request).
export async function getAll<T>(path: string, params: Record<string, string | undefined> = {}, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 1000; i++) {
    const page: { items: T[]; next_cursor: string | null } = await get(path + qs({ ...params, limit: 500, cursor }), signal);
    items.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return items;
}
