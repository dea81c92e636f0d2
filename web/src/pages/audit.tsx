// The audit log: every change, newest first; filters by kind, name and actor; each entry opens
// to show what changed.

import { useEffect, useState } from "preact/hooks";
import { AuditItem } from "../components/activity";
import { usePaged } from "../components/paged";
import { EmptyState, ErrorMessage, FilterSelect, Loading, PageHeader } from "../components/ui";
import { useNow, useTitle } from "../hooks";
import { location, navigate, queryParams } from "../router";
import { useStore } from "../store";
import type { AuditEntry } from "../types";

const KINDS = ["Service", "Team", "Person", "System", "Domain", "User", "ApiToken"];

export function AuditPage() {
  useTitle("Audit log");
  const now = useNow(60_000);
  const loc = useStore(location);
  const params = queryParams(loc);
  const filters = { kind: params.get("kind") ?? "", name: params.get("name") ?? "", actor: params.get("actor") ?? "" };
  const [name, setName] = useState(filters.name);
  const [actor, setActor] = useState(filters.actor);
  const list = usePaged<AuditEntry>("/api/v1/audit", filters, 50);

  const setParams = (changes: Record<string, string>) => {
    const p = new URLSearchParams(loc.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    const s = p.toString();
    navigate(`/audit${s ? "?" + s : ""}`, { replace: true });
  };
  useEffect(() => {
    if (name.trim() === filters.name && actor.trim() === filters.actor) return;
    const t = setTimeout(() => setParams({ name: name.trim(), actor: actor.trim() }), 300);
    return () => clearTimeout(t);
  }, [name, actor]);

  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <PageHeader title="Audit log" subtitle="Every change, who made it and when, newest first. Open an entry to see what changed." />
      <form class="filters" role="search" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect id="a-kind" label="Kind" value={filters.kind} any="Any kind" choices={KINDS.map((k) => [k, k])} onChange={(kind) => setParams({ kind })} />
        <div class="field">
          <label for="a-name">Name</label>
          <input id="a-name" type="search" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="a-actor">Actor</label>
          <input id="a-actor" type="search" placeholder="user:alice" value={actor} onInput={(e) => setActor((e.target as HTMLInputElement).value)} />
        </div>
        {filtered && (
          <button
            type="button"
            class="button subtle"
            onClick={() => {
              setName("");
              setActor("");
              setParams({ kind: "", name: "", actor: "" });
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      {list.error ? (
        <ErrorMessage error={list.error} />
      ) : list.loading && !list.items.length ? (
        <Loading />
      ) : !list.items.length ? (
        <EmptyState title={filtered ? "No entries match these filters." : "Nothing has changed yet."}>
          {!filtered && (
            <p>
              Every change through the API, the console or <code>plinth apply</code> is recorded here.
            </p>
          )}
          {filtered && (
            <p>
              Names match exactly; actors look like <code>user:alice</code>, <code>token:ID</code> or <code>cli:root</code>.
            </p>
          )}
        </EmptyState>
      ) : (
        <>
          <ol class="audit-list" data-testid="audit-list">
            {list.items.map((e) => (
              <AuditItem entry={e} now={now} key={e.seq} />
            ))}
          </ol>
          {list.more && (
            <button type="button" class="button load-more" onClick={list.loadMore} disabled={list.loading}>
              {list.loading ? "Loading…" : "Load more"}
            </button>
          )}
        </>
      )}
    </>
  );
}
