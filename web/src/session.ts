// Who is logged in, and what they may do. The checks mirror the server's (docs/api.md, Roles)
// so the console hides what would be refused; the server decides regardless.

import { ApiError, get, request, setCsrfToken } from "./api";
import { invalidate } from "./data";
import { Store } from "./store";
import type { Role, Session } from "./types";

// undefined: not known yet; null: not logged in.
export const session = new Store<Session | null | undefined>(undefined);

const RANK: Record<Role, number> = { viewer: 0, responder: 1, manager: 2, admin: 3 };

// True when a grant gives at least `role`, globally or (when `team` is given) on that team.
export function allows(s: Session | null | undefined, role: Role, team?: string): boolean {
  if (!s) return false;
  return s.grants.some((g) => RANK[g.role] >= RANK[role] && (!g.team || (team !== undefined && g.team === team)));
}

// Changing a Service, System or Domain: manager of its owning team.
export const canEditOwned = (s: Session | null | undefined, owner: string) => allows(s, "manager", owner);
// Changing a Team: manager of that team. Creating or deleting one, or changing a Person: global manager.
export const canEditTeam = (s: Session | null | undefined, team: string) => allows(s, "manager", team);
export const canManageGlobally = (s: Session | null | undefined) => allows(s, "manager");

// The user's name without the "user:" prefix of the actor.
export function displayActor(actor: string): string {
  return actor.startsWith("user:") ? actor.slice(5) : actor;
}

export async function loadSession(): Promise<void> {
  try {
    const s = await get<Session>("/api/v1/session");
    setCsrfToken(s.csrf_token);
    session.set(s);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      session.set(null);
      return;
    }
    throw err;
  }
}

export async function logIn(user: string, password: string): Promise<void> {
  const r = await request<{ user: string; csrf_token: string }>("POST", "/api/v1/login", {
    body: { user, password },
    quiet401: true,
  });
  setCsrfToken(r.data.csrf_token);
  invalidate();
  await loadSession();
}

export async function logOut(): Promise<void> {
  try {
    await request("POST", "/api/v1/logout", { quiet401: true });
  } finally {
    setCsrfToken("");
    invalidate();
    session.set(null);
  }
}
