// Overview: how big the catalog is, how services split by tier and lifecycle, and catalog
// hygiene (services without a tier or a runbook).

import { useState } from "preact/hooks";
import { BarChart } from "../components/barchart";
import { EmptyState, ErrorMessage, Loading, NoServicesHelp, PageHeader } from "../components/ui";
import { allPeople, allServices, allSystems, allTeams } from "../data";
import { plural } from "../format";
import { useAsync, useTitle } from "../hooks";
import { Link, navigate } from "../router";
import { LIFECYCLES, TIERS, type Service } from "../types";

function ServiceShortList({ services, empty, limit = 8, ok }: { services: Service[]; empty: string; limit?: number; ok?: boolean }) {
  const [all, setAll] = useState(false);
  if (!services.length) return <p class={ok ? "ok" : "muted"}>{empty}</p>;
  const shown = all ? services : services.slice(0, limit);
  return (
    <>
      <ul class="chips">
        {shown.map((s) => (
          <li key={s.metadata.name}>
            <Link href={`/services/${encodeURIComponent(s.metadata.name)}`}>{s.metadata.name}</Link>
            <span class="muted"> · {s.spec.owner}</span>
          </li>
        ))}
      </ul>
      {services.length > shown.length && (
        <button type="button" class="button subtle small" onClick={() => setAll(true)}>
          Show all {services.length}
        </button>
      )}
    </>
  );
}

export function HomePage() {
  useTitle("Overview");
  const { data, error } = useAsync(() => Promise.all([allServices(), allTeams(), allPeople(), allSystems()]), []);
  return (
    <>
      <PageHeader title="Overview" subtitle="Your service catalog at a glance." />
      {error ? <ErrorMessage error={error} /> : !data ? <Loading /> : <Overview services={data[0]} teams={data[1].length} people={data[2].length} systems={data[3].length} />}
    </>
  );
}

function Overview({ services, teams, people, systems }: { services: Service[]; teams: number; people: number; systems: number }) {
  const byTier = new Map<number, number>();
  const byLifecycle = new Map<string, number>();
  const byOwner = new Map<string, number>();
  for (const s of services) {
    byTier.set(s.spec.tier ?? 0, (byTier.get(s.spec.tier ?? 0) ?? 0) + 1);
    const lc = s.spec.lifecycle ?? "production";
    byLifecycle.set(lc, (byLifecycle.get(lc) ?? 0) + 1);
    byOwner.set(s.spec.owner, (byOwner.get(s.spec.owner) ?? 0) + 1);
  }
  const critical = services.filter((s) => s.spec.tier === 1);
  const noTier = services.filter((s) => !s.spec.tier);
  const noRunbook = services.filter((s) => !s.spec.runbookUrl && (s.spec.lifecycle ?? "production") !== "retired");
  const bars = TIERS.map((t) => ({ label: `Tier ${t}`, value: byTier.get(t) ?? 0, href: `/services?tier=${t}`, className: `tier-${t}` }));
  if (byTier.get(0)) bars.push({ label: "Unclassified", value: byTier.get(0)!, href: "", className: "tier-none" });
  const owners = [...byOwner.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

  return (
    <>
      <ul class="stats" aria-label="Catalog size">
        <li>
          <Link href="/services">
            <span class="stat-value">{services.length.toLocaleString()}</span> <span class="stat-label">services</span>
          </Link>
        </li>
        <li>
          <Link href="/teams">
            <span class="stat-value">{teams.toLocaleString()}</span> <span class="stat-label">teams</span>
          </Link>
        </li>
        <li>
          <Link href="/people">
            <span class="stat-value">{people.toLocaleString()}</span> <span class="stat-label">people</span>
          </Link>
        </li>
        <li>
          <Link href="/systems">
            <span class="stat-value">{systems.toLocaleString()}</span> <span class="stat-label">systems</span>
          </Link>
        </li>
      </ul>
      {!services.length ? (
        <>
          <NoServicesHelp />
          {!teams && (
            <EmptyState title="No teams yet">
              <p>
                Every service needs an owner: declare <code>kind: Team</code> and <code>kind: Person</code> resources next to your services
                (see <code>docs/catalog.md</code>).
              </p>
            </EmptyState>
          )}
        </>
      ) : (
        <div class="grid">
          <section class="card" aria-labelledby="h-tiers">
            <h2 id="h-tiers">Services per tier</h2>
            <BarChart bars={bars} label="Services per tier" onBar={(b) => b.href && navigate(b.href)} />
            <p class="muted small">
              Tier 1 is the most critical. List{" "}
              {TIERS.map((t, i) => (
                <>
                  {i > 0 && ", "}
                  <Link href={`/services?tier=${t}`}>tier {t}</Link>
                </>
              ))}
              .
            </p>
          </section>
          <section class="card" aria-labelledby="h-lifecycle">
            <h2 id="h-lifecycle">Lifecycle</h2>
            <table class="compact">
              <caption class="visually-hidden">Services per lifecycle</caption>
              <tbody>
                {LIFECYCLES.map((lc) => (
                  <tr key={lc}>
                    <th scope="row">
                      <Link href={`/services?lifecycle=${lc}`}>{lc}</Link>
                    </th>
                    <td class="num">{byLifecycle.get(lc) ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section class="card" aria-labelledby="h-owners">
            <h2 id="h-owners">Services per team</h2>
            <table class="compact">
              <caption class="visually-hidden">Services per owning team</caption>
              <tbody>
                {owners.slice(0, 10).map(([team, n]) => (
                  <tr key={team}>
                    <th scope="row">
                      <Link href={`/teams/${encodeURIComponent(team)}`}>{team}</Link>
                    </th>
                    <td class="num">{n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {owners.length > 10 && <p class="muted small">and {plural(owners.length - 10, "more team")}</p>}
          </section>
          <section class="card wide" aria-labelledby="h-critical">
            <h2 id="h-critical">Tier 1 services ({critical.length})</h2>
            <ServiceShortList services={critical} empty="No service is classified as tier 1 yet." limit={16} />
          </section>
          <section class="card wide" aria-labelledby="h-hygiene" data-testid="hygiene">
            <h2 id="h-hygiene">Catalog hygiene</h2>
            <h3>Without a tier ({noTier.length})</h3>
            <ServiceShortList services={noTier} empty="Every service has a tier." ok />
            <h3>Without a runbook ({noRunbook.length})</h3>
            <ServiceShortList services={noRunbook} empty="Every service in use has a runbook." ok />
          </section>
        </div>
      )}
    </>
  );
}
