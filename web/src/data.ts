// Reads shared by several pages: whole collections (cached briefly, dropped on every change
// the console makes), search, and "referenced by". Where a newer endpoint is missing (404/405
// from an older server), the same answer is computed from the lists.

import { ApiError, enc, get, getAll, qs } from "./api";
import type { Domain, Kind, Person, Ref, SearchItem, Service, System, Team } from "./types";

const TTL_MS = 30_000;
const cache = new Map<string, { at: number; value: Promise<unknown> }>();

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value as Promise<T>;
  const value = load();
  cache.set(key, { at: Date.now(), value });
  value.catch(() => cache.delete(key));
  return value;
}

// Forget every cached collection (after a change).
export function invalidate(): void {
  cache.clear();
}

export const allServices = () => cached("services", () => getAll<Service>("/api/v1/services"));
export const allTeams = () => cached("teams", () => getAll<Team>("/api/v1/teams"));
export const allPeople = () => cached("people", () => getAll<Person>("/api/v1/people"));
export const allSystems = () => cached("systems", () => getAll<System>("/api/v1/systems"));
export const allDomains = () => cached("domains", () => getAll<Domain>("/api/v1/domains"));

export const PLURAL: Record<Kind, string> = {
  Service: "services",
  Team: "teams",
  Person: "people",
  System: "systems",
  Domain: "domains",
  Schedule: "schedules",
  EscalationPolicy: "escalationpolicies",
};

// The console path of a catalog resource.
export function pathOf(kind: Kind, name: string): string {
  return `/${PLURAL[kind]}/${enc(name)}`;
}

function missingEndpoint(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || err.status === 405);
}

// Ranks like the server: exact name, then name prefix, then substring; then by name.
function rank(q: string, item: SearchItem): number {
  const n = item.name.toLowerCase();
  const t = (item.title ?? "").toLowerCase();
  if (n === q || t === q) return 0;
  if (n.startsWith(q) || t.startsWith(q)) return 1;
  return 2;
}

export async function search(q: string, limit: number, signal?: AbortSignal): Promise<SearchItem[]> {
  try {
    const r = await get<{ items: SearchItem[] }>(`/api/v1/search${qs({ q, limit })}`, signal);
    return r.items;
  } catch (err) {
    if (!missingEndpoint(err)) throw err;
  }
  const kinds: Kind[] = ["Service", "Team", "Person", "System", "Domain"];
  const pages = await Promise.all(
    kinds.map((kind) =>
      get<{ items: { metadata: { name: string; title?: string; description?: string }; spec: { displayName?: string } }[] }>(
        `/api/v1/${PLURAL[kind]}${qs({ q, limit })}`,
        signal,
      ).then((p) =>
        p.items.map((e): SearchItem => ({
          kind,
          name: e.metadata.name,
          title: e.metadata.title ?? e.spec.displayName,
          description: e.metadata.description,
        })),
      ),
    ),
  );
  const lq = q.toLowerCase();
  return pages
    .flat()
    .sort((a, b) => rank(lq, a) - rank(lq, b) || a.name.localeCompare(b.name))
    .slice(0, limit);
}

// What refers to the resource: for a Person the Teams with them as member, for a Team what it
// owns, for a System its Services, for a Domain its Systems, for a Service its dependants.
export async function referencedBy(kind: Kind, name: string, signal?: AbortSignal): Promise<Ref[]> {
  try {
    const r = await get<{ items: Ref[] }>(`/api/v1/${PLURAL[kind]}/${enc(name)}/referenced-by`, signal);
    return r.items;
  } catch (err) {
    if (!missingEndpoint(err)) throw err;
  }
  const refs: Ref[] = [];
  const add = (k: Kind, items: { metadata: { name: string } }[]) => items.forEach((e) => refs.push({ kind: k, name: e.metadata.name }));
  switch (kind) {
    case "Person":
      add("Team", (await allTeams()).filter((t) => t.spec.members?.includes(name)));
      break;
    case "Team":
      add("Service", (await allServices()).filter((s) => s.spec.owner === name));
      add("System", (await allSystems()).filter((s) => s.spec.owner === name));
      add("Domain", (await allDomains()).filter((s) => s.spec.owner === name));
      break;
    case "System":
      add("Service", (await allServices()).filter((s) => s.spec.system === name));
      break;
    case "Domain":
      add("System", (await allSystems()).filter((s) => s.spec.domain === name));
      break;
    case "Service":
      add("Service", (await allServices()).filter((s) => s.spec.dependsOn?.includes(name)));
      break;
  }
  return refs;
}
