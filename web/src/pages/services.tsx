// The service list: filters (owner, tier, lifecycle, text) kept in the URL, sortable columns,
// cursor paging with "Load more".

import { useEffect, useMemo, useState } from "preact/hooks";
import { usePaged } from "../components/paged";
import { SortHeader, sortRows, TableWrap, type SortState } from "../components/sort";
import { EmptyState, ErrorMessage, FilterSelect, Lifecycle, Loading, NoServicesHelp, PageHeader, Tier, type Choice } from "../components/ui";
import { allTeams } from "../data";
import { plural } from "../format";
import { useAsync, useTitle } from "../hooks";
import { Link, location, navigate, queryParams } from "../router";
import { useStore } from "../store";
import { LIFECYCLES, TIERS, type Service } from "../types";

const PAGE = 100;
const LC_ORDER = new Map(LIFECYCLES.map((l, i) => [l, i]));

function sortValue(s: Service, key: string): string | number | undefined {
  switch (key) {
    case "owner":
      return s.spec.owner;
    case "tier":
      return s.spec.tier;
    case "lifecycle":
      return LC_ORDER.get(s.spec.lifecycle ?? "production");
    case "type":
      return s.spec.type ?? "service";
    case "system":
      return s.spec.system;
    default:
      return s.metadata.name;
  }
}

export function ServicesPage() {
  useTitle("Services");
  const loc = useStore(location);
  const params = queryParams(loc);
  const filters = {
    q: params.get("q") ?? "",
    owner: params.get("owner") ?? "",
    tier: params.get("tier") ?? "",
    lifecycle: params.get("lifecycle") ?? "",
  };
  const sort: SortState = { key: params.get("sort") ?? "name", dir: params.get("dir") === "desc" ? "desc" : "asc" };
  const [text, setText] = useState(filters.q);
  const teams = useAsync(() => allTeams(), []);
  const list = usePaged<Service>("/api/v1/services", filters, PAGE);

  const setParams = (changes: Record<string, string>) => {
    const p = new URLSearchParams(loc.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    const s = p.toString();
    navigate(`/services${s ? "?" + s : ""}`, { replace: true });
  };

  // The text filter follows typing with a short delay.
  useEffect(() => {
    if (text === filters.q) return;
    const t = setTimeout(() => setParams({ q: text.trim() }), 200);
    return () => clearTimeout(t);
  }, [text]);

  const rows = useMemo(() => sortRows(list.items, sort, sortValue), [list.items, sort.key, sort.dir]);
  const filtered = Object.values(filters).some(Boolean);
  // Every team, and the filtered owner even when no such team exists (e.g. from a shared link).
  const ownerChoices: Choice[] = (teams.data ?? []).map((t) => [t.metadata.name, t.metadata.title ?? t.metadata.name]);
  if (filters.owner && !ownerChoices.some(([name]) => name === filters.owner)) ownerChoices.unshift([filters.owner, filters.owner]);

  return (
    <>
      <PageHeader title="Services" subtitle="Every service, who owns it and how critical it is." />
      <form class="filters" role="search" aria-label="Filter services" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="f-q">Name contains</label>
          <input id="f-q" type="search" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        </div>
        <FilterSelect id="f-owner" label="Owner" value={filters.owner} any="Any team" choices={ownerChoices} onChange={(owner) => setParams({ owner })} />
        <FilterSelect id="f-tier" label="Tier" value={filters.tier} any="Any tier" choices={TIERS.map((t) => [String(t), `Tier ${t}`])} onChange={(tier) => setParams({ tier })} />
        <FilterSelect id="f-lifecycle" label="Lifecycle" value={filters.lifecycle} any="Any lifecycle" choices={LIFECYCLES.map((l) => [l, l])} onChange={(lifecycle) => setParams({ lifecycle })} />
        {filtered && (
          <button
            type="button"
            class="button subtle"
            onClick={() => {
              setText("");
              setParams({ q: "", owner: "", tier: "", lifecycle: "" });
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
        filtered ? (
          <EmptyState title="No services match these filters.">
            <p>Try fewer filters, or search everything with the box at the top (press /).</p>
          </EmptyState>
        ) : (
          <NoServicesHelp />
        )
      ) : (
        <>
          <p class="count" role="status">
            {list.more ? `Showing the first ${plural(list.items.length, "service")}; sorting applies to those shown.` : plural(list.items.length, "service")}
          </p>
          <TableWrap label="Services">
            <table class="data" data-testid="services-table">
              <thead>
                <tr>
                  <SortHeader label="Name" k="name" sort={sort} onSort={(s) => setParams({ sort: s.key, dir: s.dir })} />
                  <SortHeader label="Owner" k="owner" sort={sort} onSort={(s) => setParams({ sort: s.key, dir: s.dir })} />
                  <SortHeader label="Tier" k="tier" sort={sort} onSort={(s) => setParams({ sort: s.key, dir: s.dir })} />
                  <SortHeader label="Lifecycle" k="lifecycle" sort={sort} onSort={(s) => setParams({ sort: s.key, dir: s.dir })} />
                  <SortHeader label="Type" k="type" sort={sort} onSort={(s) => setParams({ sort: s.key, dir: s.dir })} class="hide-narrow" />
                  <SortHeader label="System" k="system" sort={sort} onSort={(s) => setParams({ sort: s.key, dir: s.dir })} class="hide-narrow" />
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.metadata.name}>
                    <th scope="row">
                      <Link href={`/services/${encodeURIComponent(s.metadata.name)}`}>{s.metadata.name}</Link>
                      {s.metadata.description && <span class="row-desc">{s.metadata.description}</span>}
                    </th>
                    <td>
                      <Link href={`/teams/${encodeURIComponent(s.spec.owner)}`}>{s.spec.owner}</Link>
                    </td>
                    <td>
                      <Tier tier={s.spec.tier} />
                    </td>
                    <td>
                      <Lifecycle value={s.spec.lifecycle} />
                    </td>
                    <td class="hide-narrow">{s.spec.type ?? "service"}</td>
                    <td class="hide-narrow">{s.spec.system ? <Link href={`/systems/${encodeURIComponent(s.spec.system)}`}>{s.spec.system}</Link> : <span class="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
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
