// Incidents: the open ones first (triggered, then acknowledged; high urgency first), then the
// resolved history a page at a time. Filters by status, team and service live in the URL.

import { useEffect, useState } from "preact/hooks";
import { get, qs } from "../api";
import { usePeople } from "../components/oncall";
import { byAttention, countText, IncidentTable } from "../components/paging";
import { EmptyState, ErrorMessage, FilterSelect, Loading, PageHeader, type Choice } from "../components/ui";
import { allServices, allTeams } from "../data";
import { plural } from "../format";
import { useAsync, useNow, useTitle } from "../hooks";
import { Link, location, navigate, queryParams } from "../router";
import { useStore } from "../store";
import type { Incident, IncidentList } from "../types";

interface Filters {
  status: string;
  team: string;
  service: string;
}

interface Pages {
  items: Incident[];
  loading: boolean;
  error: unknown;
  more: boolean;
  loadMore: () => void;
}

// The incidents matching `filters`, `limit` at a time, following nextCursor on "Load more".
// A new `tick` reloads the first page in place (the rows stay on screen meanwhile).
function useIncidents(filters: Filters, limit: number, tick: number): Pages {
  const key = qs({ ...filters, limit });
  const [state, setState] = useState<{ key: string; items: Incident[]; cursor: string; loading: boolean; error: unknown }>({
    key: "",
    items: [],
    cursor: "",
    loading: true,
    error: undefined,
  });
  const [want, setWant] = useState<{ key: string; tick: number; cursor: string }>({ key, tick, cursor: "" });
  const cursor = want.key === key && want.tick === tick ? want.cursor : "";

  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    get<IncidentList>(`/api/v1/incidents${qs({ ...filters, limit, cursor })}`, ctl.signal).then(
      (page) => {
        if (ctl.signal.aborted) return;
        setState((s) => ({
          key,
          items: cursor && s.key === key ? [...s.items, ...page.items] : page.items,
          cursor: page.nextCursor,
          loading: false,
          error: undefined,
        }));
      },
      (error) => !ctl.signal.aborted && setState((s) => ({ ...s, key, loading: false, error })),
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, cursor, tick]);

  const current = state.key === key;
  return {
    items: current ? state.items : [],
    loading: state.loading || !current,
    error: state.error,
    more: current && state.cursor !== "",
    loadMore: () => state.cursor && setWant({ key, tick, cursor: state.cursor }),
  };
}

function NoIncidentsHelp() {
  return (
    <EmptyState title="No incidents yet">
      <p>
        Incidents open when alerts arrive. Give a service an integration on its page (Events API v2, Alertmanager or generic JSON) and point
        your monitoring at it; the service's <code>spec.paging</code> names the escalation policy that decides who is paged.
      </p>
    </EmptyState>
  );
}

const STATUSES: Choice[] = [
  ["triggered", "Triggered"],
  ["acknowledged", "Acknowledged"],
  ["resolved", "Resolved"],
];

export function IncidentsPage() {
  useTitle("Incidents");
  const loc = useStore(location);
  const params = queryParams(loc);
  const filters = { status: params.get("status") ?? "", team: params.get("team") ?? "", service: params.get("service") ?? "" };
  const now = useNow(30_000);
  const tick = Math.floor(now / 30_000);
  const teams = useAsync(() => allTeams(), []);
  const services = useAsync(() => allServices(), []);
  const people = usePeople();

  const setFilter = (key: string, value: string) => {
    const p = new URLSearchParams(loc.search);
    if (value) p.set(key, value);
    else p.delete(key);
    const s = p.toString();
    navigate(`/incidents${s ? "?" + s : ""}`, { replace: true });
  };
  const teamChoices: Choice[] = (teams.data ?? []).map((t) => [t.metadata.name, t.metadata.title ?? t.metadata.name]);
  const serviceChoices: Choice[] = (services.data ?? [])
    .filter((s) => !filters.team || s.spec.owner === filters.team)
    .map((s) => [s.metadata.name, s.metadata.name]);

  return (
    <>
      <PageHeader
        title="Incidents"
        subtitle="Open incidents first: triggered ones wait for someone to acknowledge them."
        actions={
          <Link class="button" href="/paging/analytics">
            Paging analytics
          </Link>
        }
      />
      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect id="f-status" label="Status" value={filters.status} any="Open, then resolved" choices={STATUSES} onChange={(v) => setFilter("status", v)} />
        <FilterSelect id="f-team" label="Team" value={filters.team} any="Any team" choices={teamChoices} onChange={(v) => setFilter("team", v)} />
        <FilterSelect id="f-service" label="Service" value={filters.service} any="Any service" choices={serviceChoices} onChange={(v) => setFilter("service", v)} />
      </form>
      {filters.status ? (
        <IncidentSection filters={filters} now={now} tick={tick} people={people} title={`${STATUSES.find(([v]) => v === filters.status)?.[1] ?? filters.status} incidents`} testid="incidents-table" />
      ) : (
        <>
          <OpenIncidents filters={filters} now={now} tick={tick} people={people} />
          <IncidentSection filters={{ ...filters, status: "resolved" }} now={now} tick={tick} people={people} title="Resolved" testid="resolved-table" />
        </>
      )}
    </>
  );
}

function OpenIncidents({ filters, now, tick, people }: { filters: Filters; now: number; tick: number; people: ReturnType<typeof usePeople> }) {
  const open = useIncidents({ ...filters, status: "open" }, 200, tick);
  // Everything open, however many pages that takes: the open list is what people act on.
  useEffect(() => {
    if (open.more && !open.loading) open.loadMore();
  }, [open.more, open.loading]);
  const items = open.items.slice().sort(byAttention);
  return (
    <section class="card" aria-labelledby="h-open">
      <h2 id="h-open">Open</h2>
      {open.error ? (
        <ErrorMessage error={open.error} />
      ) : open.loading && !open.items.length ? (
        <Loading />
      ) : !items.length ? (
        <p class="muted ok-text" data-testid="no-open-incidents">
          No open incidents{filters.team || filters.service ? " for these filters" : ""}.
        </p>
      ) : (
        <>
          <p class="count" role="status">
            {countText(items)}
          </p>
          <IncidentTable items={items} people={people} now={now} testid="open-incidents" label="Open incidents" />
        </>
      )}
    </section>
  );
}

function IncidentSection({
  filters,
  now,
  tick,
  people,
  title,
  testid,
}: {
  filters: Filters;
  now: number;
  tick: number;
  people: ReturnType<typeof usePeople>;
  title: string;
  testid: string;
}) {
  // The history does not refresh by itself (it would drop the pages loaded so far).
  const list = useIncidents(filters, 25, filters.status === "resolved" ? 0 : tick);
  const filtered = filters.team || filters.service;
  const items = filters.status === "resolved" ? list.items : list.items.slice().sort(byAttention);
  return (
    <section class="card" aria-labelledby={`h-${testid}`}>
      <h2 id={`h-${testid}`}>{title}</h2>
      {list.error ? (
        <ErrorMessage error={list.error} />
      ) : list.loading && !list.items.length ? (
        <Loading />
      ) : !items.length ? (
        filtered || filters.status !== "resolved" ? (
          <p class="muted" data-testid="empty-state">
            No {title.toLowerCase()} {filtered ? "match these filters" : "incidents"}.
          </p>
        ) : (
          <NoIncidentsHelp />
        )
      ) : (
        <>
          <p class="count small muted">{list.more ? `The newest ${plural(items.length, "incident")}` : plural(items.length, "incident")}</p>
          <IncidentTable items={items} people={people} now={now} testid={testid} label={title} />
          {list.more && (
            <button type="button" class="button load-more" onClick={list.loadMore} disabled={list.loading}>
              {list.loading ? "Loading…" : "Load more"}
            </button>
          )}
        </>
      )}
    </section>
  );
}
