// Teams: the list, and one team with its members (their local time now) and what it owns.

import type { ComponentChildren } from "preact";
import { ApiError, enc, get, getAll } from "../api";
import { CatalogList } from "../components/catalog_list";
import { TableWrap } from "../components/sort";
import { EmptyState, ErrorMessage, ExtLink, Facts, Lifecycle, Loading, PageHeader, RefLink, Tier } from "../components/ui";
import { localHour, localTime, plural } from "../format";
import { useState } from "preact/hooks";
import { useAsync, useNow, useTitle } from "../hooks";
import { Link } from "../router";
import type { Person, Service, System, Team } from "../types";
import type { PageProps } from "../pages";

export function TeamsPage() {
  useTitle("Teams");
  return (
    <>
      <PageHeader title="Teams" subtitle="Who owns what, and how to reach them." />
      <CatalogList<Team>
        plural="teams"
        noun="team"
        rowKey={(t) => t.metadata.name}
        columns={[
          { label: "Team", cell: (t) => <Link href={`/teams/${enc(t.metadata.name)}`}>{t.metadata.title ?? t.metadata.name}</Link> },
          { label: "Name", cell: (t) => <span class="mono">{t.metadata.name}</span>, class: "hide-narrow" },
          { label: "Members", cell: (t) => t.spec.members?.length ?? 0, class: "num" },
          { label: "Chat", cell: (t) => t.spec.chatChannel ?? "", class: "hide-narrow" },
          { label: "Email", cell: (t) => (t.spec.email ? <a href={`mailto:${t.spec.email}`}>{t.spec.email}</a> : ""), class: "hide-narrow" },
        ]}
        empty={
          <EmptyState title="No teams yet">
            <p>
              Declare teams as YAML (<code>kind: Team</code> with its members) and run <code>plinth apply -f catalog/</code>; a Backstage{" "}
              <code>Group</code> becomes a team too.
            </p>
          </EmptyState>
        }
      />
    </>
  );
}

// A hint whether it is working time where the person is.
function dayPart(zone: string | undefined, now: number): string {
  if (!zone) return "";
  const h = localHour(zone, now);
  if (h === null) return "";
  if (h >= 9 && h < 18) return "working hours";
  if (h >= 22 || h < 7) return "night";
  return "off hours";
}

export function MemberRows({ members, people, now }: { members: string[]; people: Map<string, Person | null>; now: number }) {
  return (
    <TableWrap label="Members">
      <table class="data" data-testid="members-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Local time</th>
            <th scope="col">Time zone</th>
            <th scope="col" class="hide-narrow">
              Email
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => {
            const p = people.get(m);
            const zone = p?.spec.timeZone;
            const part = dayPart(zone, now);
            return (
              <tr key={m}>
                <th scope="row">
                  <Link href={`/people/${enc(m)}`}>{p?.spec.displayName ?? m}</Link>
                  {p === null && <span class="muted small"> (not in the catalog)</span>}
                </th>
                <td>
                  {localTime(zone, now) ?? <span class="muted">—</span>}
                  {part && <span class={`daypart daypart-${part.replace(" ", "-")}`}> {part}</span>}
                </td>
                <td>{zone ?? <span class="muted">—</span>}</td>
                <td class="hide-narrow">{p?.spec.email ? <a href={`mailto:${p.spec.email}`}>{p.spec.email}</a> : ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

async function loadPeople(names: string[], signal: AbortSignal): Promise<Map<string, Person | null>> {
  const entries = await Promise.all(
    names.map((n) =>
      get<Person>(`/api/v1/people/${enc(n)}`, signal).then(
        (p) => [n, p] as const,
        (err) => {
          if (err instanceof ApiError && err.status === 404) return [n, null] as const;
          throw err;
        },
      ),
    ),
  );
  return new Map(entries);
}

export function TeamPage({ params }: PageProps) {
  const name = params.name;
  const now = useNow(30_000);
  const team = useAsync((signal) => get<Team>(`/api/v1/teams/${enc(name)}`, signal), [name]);
  const t = team.data;
  useTitle(t?.metadata.title ?? name);
  const members = t?.spec.members ?? [];
  const people = useAsync((signal) => loadPeople(members, signal), [members.join(",")]);
  const owned = useAsync(
    (signal) => Promise.all([getAll<Service>("/api/v1/services", { owner: name }, signal), getAll<System>("/api/v1/systems", { owner: name }, signal)]),
    [name],
  );

  if (team.error) {
    return (
      <>
        <PageHeader title={name} />
        <ErrorMessage error={team.error} what={`The team “${name}”`} />
      </>
    );
  }
  return (
    <>
      <PageHeader title={t?.metadata.title ?? name} subtitle={t?.metadata.description} />
      {!t ? (
        <Loading />
      ) : (
        <>
          <Facts
            rows={[
              ["Name", <span class="mono">{t.metadata.name}</span>],
              ["Chat", t.spec.chatChannel],
              ["Email", t.spec.email ? <a href={`mailto:${t.spec.email}`}>{t.spec.email}</a> : undefined],
              ...(t.metadata.links ?? []).map((l): [string, ComponentChildren] => [l.title ?? "Link", <ExtLink href={l.url} />]),
            ]}
          />
          <section class="card" aria-labelledby="h-members">
            <h2 id="h-members">Members ({members.length})</h2>
            {!members.length ? (
              <p class="muted">No members. Add Person names to spec.members of this team.</p>
            ) : people.error ? (
              <ErrorMessage error={people.error} />
            ) : !people.data ? (
              <Loading />
            ) : (
              <MemberRows members={members} people={people.data} now={now} />
            )}
          </section>
          <section class="card" aria-labelledby="h-owned">
            <h2 id="h-owned">Owned services{owned.data ? ` (${owned.data[0].length})` : ""}</h2>
            {owned.error ? (
              <ErrorMessage error={owned.error} />
            ) : !owned.data ? (
              <Loading />
            ) : !owned.data[0].length ? (
              <p class="muted">
                {t.metadata.title ?? name} owns no service yet. Set <code>spec.owner: {name}</code> on a service and apply it.
              </p>
            ) : (
              <ServiceTable services={owned.data[0]} />
            )}
            {owned.data && owned.data[1].length > 0 && (
              <>
                <h3>Systems ({owned.data[1].length})</h3>
                <ul class="chips">
                  {owned.data[1].map((s) => (
                    <li key={s.metadata.name}>
                      <RefLink kind="System" name={s.metadata.name} />
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        </>
      )}
    </>
  );
}

const SHOWN_ROWS = 100;

// A compact table of services (team and system pages), most critical first; long ones show
// their first rows until asked for all.
export function ServiceTable({ services }: { services: Service[] }) {
  const [all, setAll] = useState(false);
  const sorted = services.slice().sort((a, b) => (a.spec.tier ?? 9) - (b.spec.tier ?? 9) || a.metadata.name.localeCompare(b.metadata.name));
  const shown = all ? sorted : sorted.slice(0, SHOWN_ROWS);
  return (
    <>
    <TableWrap label="Services">
      <table class="data">
        <caption class="visually-hidden">{plural(services.length, "service")}, most critical first</caption>
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Tier</th>
            <th scope="col">Lifecycle</th>
            <th scope="col" class="hide-narrow">
              Runbook
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((s) => (
            <tr key={s.metadata.name}>
              <th scope="row">
                <RefLink kind="Service" name={s.metadata.name} />
              </th>
              <td>
                <Tier tier={s.spec.tier} />
              </td>
              <td>
                <Lifecycle value={s.spec.lifecycle} />
              </td>
              <td class="hide-narrow">{s.spec.runbookUrl ? <ExtLink href={s.spec.runbookUrl}>runbook</ExtLink> : <span class="warn">missing</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
    {shown.length < sorted.length && (
      <button type="button" class="button load-more" onClick={() => setAll(true)}>
        Show all {sorted.length}
      </button>
    )}
    </>
  );
}
