// Escalation policies: the list, and one policy's page with its levels in order (delay, how
// targets are notified, the day/time window, the targets as links) and the services it pages for.

import { useEffect, useState } from "preact/hooks";
import { enc, get, qs } from "../api";
import { usePaged } from "../components/paged";
import { humanDuration, IncidentTable, windowText } from "../components/paging";
import { usePeople } from "../components/oncall";
import { TableWrap } from "../components/sort";
import { EmptyState, ErrorMessage, Facts, Loading, PageHeader } from "../components/ui";
import { plural } from "../format";
import { useAsync, useNow, useTitle } from "../hooks";
import type { PageProps } from "../pages";
import { Link, location, navigate, queryParams } from "../router";
import { useStore } from "../store";
import type { EscalationLevel, EscalationPolicy, EscalationTarget, Incident, IncidentList, Person, Ref } from "../types";

function NoPoliciesHelp() {
  return (
    <EmptyState title="No escalation policies yet">
      <p>
        Describe who is paged, in which order, as YAML (kind <code>EscalationPolicy</code>) and name it in a service's{" "}
        <code>spec.paging.escalationPolicy</code>; then <code>plinth apply -f catalog/</code>. An example is in{" "}
        <code>examples/catalog/paging.yaml</code>.
      </p>
    </EmptyState>
  );
}

function repeatText(repeat: number | undefined): string {
  const n = repeat ?? 0;
  if (!n) return "no: after the last level, nobody else is paged";
  return `${plural(n, "more time")} from level 1 after the last level`;
}

export function EscalationPoliciesPage() {
  useTitle("Escalation policies");
  const loc = useStore(location);
  const q = queryParams(loc).get("q") ?? "";
  const [text, setText] = useState(q);
  const list = usePaged<EscalationPolicy>("/api/v1/escalationpolicies", { q }, 200);
  useEffect(() => {
    if (text.trim() === q) return;
    const t = setTimeout(() => navigate(`/escalationpolicies${qs({ q: text.trim() })}`, { replace: true }), 200);
    return () => clearTimeout(t);
  }, [text]);

  return (
    <>
      <PageHeader title="Escalation policies" subtitle="Who is paged for an incident, in which order, and how long each level has to acknowledge." />
      <form class="filters" role="search" aria-label="Filter escalation policies" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="f-q">Name contains</label>
          <input id="f-q" type="search" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        </div>
      </form>
      {list.error ? (
        <ErrorMessage error={list.error} />
      ) : list.loading && !list.items.length ? (
        <Loading />
      ) : !list.items.length ? (
        q ? <EmptyState title={`No escalation policies match “${q}”.`} /> : <NoPoliciesHelp />
      ) : (
        <>
          <p class="count" role="status">
            {list.more ? `Showing the first ${plural(list.items.length, "escalation policy", "escalation policies")}` : plural(list.items.length, "escalation policy", "escalation policies")}
          </p>
          <TableWrap label="Escalation policies">
            <table class="data" data-testid="escalationpolicies-table">
              <thead>
                <tr>
                  <th scope="col">Policy</th>
                  <th scope="col">Owner</th>
                  <th scope="col" class="num">
                    Levels
                  </th>
                  <th scope="col">First level</th>
                  <th scope="col" class="num">
                    Repeats
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((p) => (
                  <tr key={p.metadata.name} data-policy={p.metadata.name}>
                    <th scope="row">
                      <Link href={`/escalationpolicies/${enc(p.metadata.name)}`}>{p.metadata.title ?? p.metadata.name}</Link>
                      {p.metadata.title && <div class="muted small mono">{p.metadata.name}</div>}
                    </th>
                    <td>
                      <Link href={`/teams/${enc(p.spec.owner)}`}>{p.spec.owner}</Link>
                    </td>
                    <td class="num">{p.spec.levels.length}</td>
                    <td class="small">{p.spec.levels[0] ? p.spec.levels[0].targets.map(targetText).join(", ") : ""}</td>
                    <td class="num">{p.spec.repeat ?? 0}</td>
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

function targetText(t: EscalationTarget): string {
  if (t.schedule) return `schedule ${t.schedule}`;
  if (t.team) return `team ${t.team}`;
  return t.person ?? "";
}

function Target({ t, people }: { t: EscalationTarget; people: Map<string, Person> }) {
  if (t.schedule) {
    return (
      <>
        <span class="target-kind">on call in</span> <Link href={`/schedules/${enc(t.schedule)}`}>{t.schedule}</Link>
      </>
    );
  }
  if (t.team) {
    return (
      <>
        <span class="target-kind">every member of</span> <Link href={`/teams/${enc(t.team)}`}>{t.team}</Link>
      </>
    );
  }
  const name = t.person ?? "";
  return (
    <>
      <span class="target-kind">person</span> <Link href={`/people/${enc(name)}`}>{people.get(name)?.spec.displayName ?? name}</Link>
    </>
  );
}

function Level({ level, index, last, people }: { level: EscalationLevel; index: number; last: boolean; people: Map<string, Person> }) {
  const after = humanDuration(level.escalateAfter ?? "30m");
  return (
    <li class="esc-level" data-level={index + 1}>
      <div class="esc-level-head">
        <span class="esc-level-number">Level {index + 1}</span>
        <span class={`badge ${level.notify === "roundRobin" ? "esc-rr" : "esc-all"}`}>{level.notify === "roundRobin" ? "round robin: one person per incident" : "notify all at once"}</span>
        {level.when && (
          <span class="badge esc-when" data-testid="level-when">
            only {windowText(level.when)}
          </span>
        )}
      </div>
      <ul class="esc-targets">
        {level.targets.map((t, i) => (
          <li key={i}>
            <Target t={t} people={people} />
          </li>
        ))}
      </ul>
      <p class="muted small esc-after" data-testid="level-delay">
        {last ? `Not acknowledged within ${after}: the policy repeats or ends.` : `Not acknowledged within ${after}: level ${index + 2}.`}
        {level.when && " Outside its window the level is skipped at once."}
      </p>
    </li>
  );
}

export function EscalationPolicyPage({ params }: PageProps) {
  const name = params.name;
  const now = useNow(60_000);
  const people = usePeople();
  const policy = useAsync((signal) => get<EscalationPolicy>(`/api/v1/escalationpolicies/${enc(name)}`, signal), [name]);
  const refs = useAsync((signal) => get<{ items: Ref[] }>(`/api/v1/escalationpolicies/${enc(name)}/referenced-by`, signal), [name]);
  const p = policy.data;
  useTitle(p?.metadata.title ?? name);
  const services = (refs.data?.items ?? []).filter((r) => (r.kind as string) === "Service").map((r) => r.name);
  const open = useAsync(
    async (signal) => {
      const lists = await Promise.all(services.map((s) => get<IncidentList>(`/api/v1/incidents${qs({ status: "open", service: s, limit: 50 })}`, signal)));
      return lists.flatMap((l) => l.items);
    },
    [services.join(",")],
  );

  if (policy.error) {
    return (
      <>
        <PageHeader title={name} />
        <ErrorMessage error={policy.error} what={`The escalation policy “${name}”`} />
        <p>
          <Link href="/escalationpolicies">All escalation policies</Link>
        </p>
      </>
    );
  }
  if (!p) return <Loading />;
  const openItems: Incident[] = (open.data ?? []).slice().sort((a, b) => b.number - a.number);
  return (
    <>
      <PageHeader
        title={p.metadata.title ?? p.metadata.name}
        subtitle={p.metadata.description ?? (p.metadata.title ? <span class="mono">{p.metadata.name}</span> : undefined)}
        actions={
          <Link class="button" href="/escalationpolicies">
            All escalation policies
          </Link>
        }
      />
      <div class="grid">
        <section class="card" aria-labelledby="h-policy-about">
          <h2 id="h-policy-about">About</h2>
          <Facts
            rows={[
              ["Owner", <Link href={`/teams/${enc(p.spec.owner)}`}>{p.spec.owner}</Link>],
              ["Levels", String(p.spec.levels.length)],
              ["Repeats", repeatText(p.spec.repeat)],
            ]}
          />
          <p class="muted small">Incidents follow the policy as it was when they opened; a change here applies to new incidents.</p>
        </section>
        <section class="card" aria-labelledby="h-policy-services">
          <h2 id="h-policy-services">Services</h2>
          {refs.error ? (
            <ErrorMessage error={refs.error} />
          ) : !refs.data ? (
            <Loading />
          ) : !services.length ? (
            <p class="muted" data-testid="no-policy-services">
              No service uses this policy yet: name it in a service's <code>spec.paging.escalationPolicy</code>.
            </p>
          ) : (
            <ul class="dep-list" data-testid="policy-services">
              {services.map((s) => (
                <li key={s}>
                  <Link href={`/services/${enc(s)}`}>{s}</Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section class="card" aria-labelledby="h-policy-levels">
        <h2 id="h-policy-levels">Levels</h2>
        <ol class="esc-levels" data-testid="policy-levels">
          {p.spec.levels.map((l, i) => (
            <Level key={i} level={l} index={i} last={i === p.spec.levels.length - 1} people={people} />
          ))}
        </ol>
        {(p.spec.repeat ?? 0) > 0 && <p class="esc-repeat">Then again from level 1, {plural(p.spec.repeat ?? 0, "more time")}.</p>}
      </section>
      {openItems.length > 0 && (
        <section class="card" aria-labelledby="h-policy-open">
          <h2 id="h-policy-open">Open incidents of these services</h2>
          <IncidentTable items={openItems} people={people} now={now} testid="policy-open-incidents" label="Open incidents" />
        </section>
      )}
    </>
  );
}
