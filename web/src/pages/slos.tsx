// Reliability: the SLO list (sorted by remaining error budget, filtered by service, team and
// tier), one SLO's page (budget, burn-down over the window, burn rates per alert window, alert
// history, error-budget policy) and the monthly/quarterly attainment report.

import { useState } from "preact/hooks";
import { enc, get, qs } from "../api";
import { SloBadge, BudgetBar, BurndownChart, formatMinutesLeft, pct, sloState } from "../components/slo";
import { TableWrap } from "../components/sort";
import { EmptyState, ErrorMessage, Facts, FilterSelect, Loading, PageHeader, Tier, type Choice } from "../components/ui";
import { formatDateTime, localZone } from "../components/zone";
import { allServices, allTeams } from "../data";
import { plural } from "../format";
import { useAsync, useNow, useTitle } from "../hooks";
import type { PageProps } from "../pages";
import { Link, location, navigate, queryParams } from "../router";
import { useStore } from "../store";
import type { Burndown, SloAlert, SloReport, SloStatus, SloStatusList } from "../types";

function NoSlosHelp() {
  return (
    <EmptyState title="No SLOs yet">
      <p>
        Declare SLOs as YAML (kind <code>SLO</code>, or OpenSLO v1) and run <code>plinth apply -f slos/</code>; push
        counts with <code>POST /api/v1/slos/NAME/data</code> or <code>plinth slo import</code>.
      </p>
    </EmptyState>
  );
}

export function SlosPage() {
  useTitle("SLOs");
  const loc = useStore(location);
  const params = queryParams(loc);
  const filters = { service: params.get("service") ?? "", team: params.get("team") ?? "", tier: params.get("tier") ?? "" };
  const teams = useAsync(() => allTeams(), []);
  const services = useAsync(() => allServices(), []);
  const list = useAsync((signal) => get<SloStatusList>(`/api/v1/slo-status${qs(filters)}`, signal), [filters.service, filters.team, filters.tier]);

  const setFilter = (key: string, value: string) => {
    const p = new URLSearchParams(loc.search);
    if (value) p.set(key, value);
    else p.delete(key);
    const s = p.toString();
    navigate(`/slos${s ? "?" + s : ""}`, { replace: true });
  };
  const teamChoices: Choice[] = (teams.data ?? []).map((t) => [t.metadata.name, t.metadata.title ?? t.metadata.name]);
  const serviceChoices: Choice[] = (services.data ?? []).map((s) => [s.metadata.name, s.metadata.name]);
  const items = list.data?.items ?? [];
  const filtered = filters.service || filters.team || filters.tier;

  return (
    <>
      <PageHeader
        title="SLOs"
        subtitle="Every SLO, the least remaining error budget first."
        actions={
          <Link class="button" href="/slos/report">
            Reliability report
          </Link>
        }
      />
      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect id="f-service" label="Service" value={filters.service} any="Any service" choices={serviceChoices} onChange={(v) => setFilter("service", v)} />
        <FilterSelect id="f-team" label="Team" value={filters.team} any="Any team" choices={teamChoices} onChange={(v) => setFilter("team", v)} />
        <FilterSelect
          id="f-tier"
          label="Tier"
          value={filters.tier}
          any="Any tier"
          choices={[1, 2, 3, 4].map((t) => [String(t), `Tier ${t}`])}
          onChange={(v) => setFilter("tier", v)}
        />
      </form>
      {list.error ? (
        <ErrorMessage error={list.error} />
      ) : !list.data ? (
        <Loading />
      ) : !items.length ? (
        filtered ? (
          <p class="muted" data-testid="empty-state">
            No SLO matches these filters.
          </p>
        ) : (
          <NoSlosHelp />
        )
      ) : (
        <>
          <p class="muted small">
            {plural(items.length, "SLO")} · {plural(items.filter((s) => sloState(s) === "exhausted").length, "exhausted budget")} ·{" "}
            {plural(items.filter((s) => sloState(s) === "at risk").length, "at risk", "at risk")}
          </p>
          <TableWrap label="SLOs">
            <table class="data slo-table" data-testid="slos-table">
              <thead>
                <tr>
                  <th scope="col">SLO</th>
                  <th scope="col">Service</th>
                  <th scope="col">Tier</th>
                  <th scope="col" class="num">
                    Objective
                  </th>
                  <th scope="col" class="num">
                    Attainment
                  </th>
                  <th scope="col">Budget remaining</th>
                  <th scope="col">Status</th>
                  <th scope="col">Exhausted in</th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) => (
                  <tr key={s.slo} data-slo={s.slo} data-status={sloState(s)}>
                    <th scope="row">
                      <Link href={`/slos/${enc(s.slo)}`}>{s.title || s.slo}</Link>
                      <div class="muted small">{s.window.description}</div>
                    </th>
                    <td>
                      <Link href={`/services/${enc(s.service)}`}>{s.service}</Link>
                      {s.team && <div class="muted small">{s.team}</div>}
                    </td>
                    <td>
                      <Tier tier={s.tier ?? undefined} />
                    </td>
                    <td class="num">{pct(s.objective, 3)}</td>
                    <td class="num">{pct(s.attainment, 3)}</td>
                    <td>
                      <BudgetBar ratio={s.budget.remaining_ratio} />
                    </td>
                    <td>
                      <SloBadge status={s} />
                    </td>
                    <td>{formatMinutesLeft(s)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </>
  );
}

const CONDITIONS: Record<string, string> = {
  "page-quick": "Page: fast burn",
  "page-slow": "Page: sustained burn",
  "ticket-quick": "Ticket: elevated burn",
  "ticket-slow": "Ticket: slow burn",
  "budget-exhausted": "Budget exhausted",
  "no-data": "No data",
};

function burnText(b: number | null | undefined): string {
  if (b === null || b === undefined) return "—";
  return b >= 100 ? `${Math.round(b)}×` : `${b.toFixed(b >= 10 ? 1 : 2)}×`;
}

function duration(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h ${m % 60 ? `${m % 60} min` : ""}`.trim();
  return `${Math.round(m / 1440)} days`;
}

export function SloPage({ params }: PageProps) {
  const name = params.name;
  const now = useNow(60_000);
  const status = useAsync((signal) => get<SloStatus>(`/api/v1/slos/${enc(name)}/status`, signal), [name]);
  const burndown = useAsync((signal) => get<Burndown>(`/api/v1/slos/${enc(name)}/burndown`, signal), [name]);
  const alerts = useAsync((signal) => get<{ items: SloAlert[] }>(`/api/v1/slos/${enc(name)}/alerts`, signal), [name]);
  const s = status.data;
  useTitle(s?.title || name);
  if (status.error) {
    return (
      <>
        <PageHeader title={name} />
        <ErrorMessage error={status.error} what={`The SLO ${name}`} />
      </>
    );
  }
  if (!s) return <Loading />;
  const state = sloState(s);

  return (
    <>
      <PageHeader
        title={s.title || s.slo}
        subtitle={
          <>
            SLO of <Link href={`/services/${enc(s.service)}`}>{s.service}</Link>
            {s.team && (
              <>
                {" "}
                · team <Link href={`/teams/${enc(s.team)}`}>{s.team}</Link>
              </>
            )}{" "}
            <Tier tier={s.tier ?? undefined} /> <SloBadge status={s} />
          </>
        }
        actions={
          <Link class="button" href="/slos">
            All SLOs
          </Link>
        }
      />
      {s.no_data && (
        <p class="error" role="alert" data-testid="no-data">
          No data{s.no_data_reason ? `: ${s.no_data_reason}` : " in the window yet."}
        </p>
      )}
      <div class="grid">
        <section class="card" aria-labelledby="h-budget">
          <h2 id="h-budget">Error budget</h2>
          <Facts
            rows={[
              ["Objective", `${pct(s.objective, 3)} (${s.method})`],
              ["Window", `${s.window.description}: ${formatDateTime(Date.parse(s.window.start), localZone)} – ${formatDateTime(Date.parse(s.window.end), localZone)}`],
              ["Attainment", pct(s.attainment, 3)],
              ["Budget remaining", <BudgetBar ratio={s.budget.remaining_ratio} key="b" />],
              ["Exhausted in", formatMinutesLeft(s)],
              ["Events", `${s.events.total.toLocaleString()} (${s.events.bad.toLocaleString()} bad)`],
            ]}
          />
        </section>
        <section class={`card slo-policy slo-policy-${state.replace(" ", "-")}`} aria-labelledby="h-policy" data-testid="slo-policy">
          <h2 id="h-policy">Error-budget policy</h2>
          <p>
            <SloBadge status={s} />
          </p>
          {s.policy ? <p>{s.policy}</p> : <p class="muted">This SLO states no error-budget policy.</p>}
          {s.alerts.length > 0 && (
            <>
              <h3>Firing now</h3>
              <ul class="slo-firing" data-testid="slo-firing">
                {s.alerts.map((a) => (
                  <li key={a.condition} class={`sev-${a.severity}`}>
                    <strong>{CONDITIONS[a.condition] ?? a.condition}</strong>
                    {a.long_burn !== null && (
                      <span class="muted small">
                        {" "}
                        burn {burnText(a.long_burn)} long / {burnText(a.short_burn)} short, threshold {burnText(a.factor)}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>
      <section class="card" aria-labelledby="h-burndown">
        <h2 id="h-burndown">Budget burn-down</h2>
        {burndown.error ? <ErrorMessage error={burndown.error} /> : !burndown.data ? <Loading /> : <BurndownChart data={burndown.data} />}
      </section>
      <div class="grid">
        <section class="card" aria-labelledby="h-burn">
          <h2 id="h-burn">Burn rate per alert window</h2>
          <TableWrap label="Burn rates">
            <table class="data" data-testid="burn-rates">
              <thead>
                <tr>
                  <th scope="col">Window</th>
                  <th scope="col" class="num">
                    Burn rate
                  </th>
                </tr>
              </thead>
              <tbody>
                {(s.burn_rates ?? []).map((b) => (
                  <tr key={b.window} data-window={b.window}>
                    <th scope="row">{b.window}</th>
                    <td class={`num${b.burn_rate !== null && b.burn_rate > 1 ? " warn" : ""}`}>{burnText(b.burn_rate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <p class="muted small">1× spends exactly the budget over the window.</p>
        </section>
        <section class="card" aria-labelledby="h-alerts">
          <h2 id="h-alerts">Alert history</h2>
          {alerts.error ? (
            <ErrorMessage error={alerts.error} />
          ) : !alerts.data ? (
            <Loading />
          ) : !alerts.data.items.length ? (
            <p class="muted" data-testid="no-alerts">
              No alerts recorded.
            </p>
          ) : (
            <TableWrap label="Alert history">
              <table class="data" data-testid="alert-history">
                <thead>
                  <tr>
                    <th scope="col">Alert</th>
                    <th scope="col">Started</th>
                    <th scope="col">Lasted</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {alerts.data.items.map((a) => (
                    <tr key={a.id} data-condition={a.condition} data-firing={a.end ? undefined : "true"}>
                      <th scope="row">
                        <span class={`badge sev sev-${a.severity}`}>{a.severity}</span> {CONDITIONS[a.condition] ?? a.condition}
                      </th>
                      <td>{formatDateTime(Date.parse(a.start), localZone)}</td>
                      <td>{a.end ? duration(Date.parse(a.end) - Date.parse(a.start)) : <span class="badge slo-badge slo-exhausted">firing</span>}</td>
                      <td class="small">{a.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          <p class="muted small">Times in {localZone}; as of {formatDateTime(now, localZone)}.</p>
        </section>
      </div>
    </>
  );
}

// "2026-11", months back from now (UTC); "2026Q4", quarters back.
function monthOf(ms: number, delta = 0): string {
  const d = new Date(ms);
  const m = d.getUTCFullYear() * 12 + d.getUTCMonth() + delta;
  return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
}

function quarterOf(ms: number, delta = 0): string {
  const d = new Date(ms);
  const q = d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3) + delta;
  return `${Math.floor(q / 4)}Q${(q % 4) + 1}`;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function periodLabel(p: string): string {
  if (p.includes("Q")) {
    const [year, n] = p.split("Q");
    return `Q${n} ${year}`;
  }
  const [year, month] = p.split("-");
  return `${MONTHS[Number(month) - 1]} ${year}`;
}

export function SloReportPage() {
  useTitle("Reliability report");
  const now = useNow(3_600_000);
  const [kind, setKind] = useState<"month" | "quarter">("month");
  const [period, setPeriod] = useState(monthOf(now));
  const periods = kind === "month" ? [0, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11].map((d) => monthOf(now, d)) : [0, -1, -2, -3].map((d) => quarterOf(now, d));
  const report = useAsync((signal) => get<SloReport>(`/api/v1/slo-reports${qs({ period })}`, signal), [period]);
  const r = report.data;
  const link = (format: string) => `/api/v1/slo-reports${qs({ period, format })}`;

  return (
    <>
      <PageHeader
        title="Reliability report"
        subtitle="SLO attainment per service and tier for a calendar month or quarter (UTC): what to take to the reliability review."
        actions={
          <Link class="button" href="/slos">
            All SLOs
          </Link>
        }
      />
      <form class="filters" aria-label="Report options" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="r-kind">Report</label>
          <select
            id="r-kind"
            value={kind}
            onChange={(e) => {
              const k = (e.target as HTMLSelectElement).value as "month" | "quarter";
              setKind(k);
              setPeriod(k === "month" ? monthOf(now) : quarterOf(now));
            }}
          >
            <option value="month">Monthly</option>
            <option value="quarter">Quarterly</option>
          </select>
        </div>
        <div class="field">
          <label for="r-period">Period</label>
          <select id="r-period" value={period} onChange={(e) => setPeriod((e.target as HTMLSelectElement).value)}>
            {periods.map((p) => (
              <option value={p} key={p}>
                {periodLabel(p)}
              </option>
            ))}
          </select>
        </div>
        <div class="field report-links">
          <a class="button" href={link("csv")} download={`slo-report-${period}.csv`} data-testid="report-csv">
            Download CSV
          </a>
          <a class="button" href={link("html")} target="_blank" rel="noopener" data-testid="report-html">
            Printable page
          </a>
        </div>
      </form>
      {report.error ? (
        <ErrorMessage error={report.error} />
      ) : !r ? (
        <Loading />
      ) : !r.services.length ? (
        <NoSlosHelp />
      ) : (
        <>
          <section class="card" aria-labelledby="h-tiers">
            <h2 id="h-tiers">By tier</h2>
            <TableWrap label="By tier">
              <table class="data" data-testid="report-tiers">
                <thead>
                  <tr>
                    <th scope="col">Tier</th>
                    <th scope="col" class="num">
                      SLOs
                    </th>
                    <th scope="col" class="num">
                      Met
                    </th>
                    <th scope="col" class="num">
                      Missed
                    </th>
                    <th scope="col" class="num">
                      No data
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {r.tiers.map((t) => (
                    <tr key={String(t.tier)} data-tier={t.tier ?? "none"}>
                      <th scope="row">
                        <Tier tier={t.tier ?? undefined} />
                      </th>
                      <td class="num">{t.slos}</td>
                      <td class="num">{t.met}</td>
                      <td class={`num${t.missed ? " warn" : ""}`}>{t.missed}</td>
                      <td class="num">{t.no_data}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </section>
          <section class="card" aria-labelledby="h-services">
            <h2 id="h-services">By service</h2>
            <TableWrap label="By service">
              <table class="data" data-testid="report-services">
                <thead>
                  <tr>
                    <th scope="col">Service</th>
                    <th scope="col">SLO</th>
                    <th scope="col" class="num">
                      Objective
                    </th>
                    <th scope="col" class="num">
                      Attainment
                    </th>
                    <th scope="col">Result</th>
                    <th scope="col" class="num">
                      Budget left
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {r.services.flatMap((svc) =>
                    svc.slos.map((s, i) => (
                      <tr key={s.slo} data-slo={s.slo} data-service={svc.service}>
                        {i === 0 && (
                          <th scope="rowgroup" rowSpan={svc.slos.length}>
                            <Link href={`/services/${enc(svc.service)}`}>{svc.service}</Link> <Tier tier={svc.tier ?? undefined} />
                            {svc.team && <div class="muted small">{svc.team}</div>}
                          </th>
                        )}
                        <td>
                          <Link href={`/slos/${enc(s.slo)}`}>{s.title || s.slo}</Link>
                        </td>
                        <td class="num">{pct(s.objective, 3)}</td>
                        <td class="num">{pct(s.attainment, 3)}</td>
                        <td>
                          {s.met === null ? (
                            <span class="badge slo-badge slo-nodata">no data</span>
                          ) : s.met ? (
                            <span class="badge slo-badge slo-ok">met</span>
                          ) : (
                            <span class="badge slo-badge slo-exhausted">missed</span>
                          )}
                        </td>
                        <td class="num">{pct(s.budget_remaining, 1)}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </TableWrap>
            <p class="muted small">
              {periodLabel(r.period)}: {r.from.slice(0, 10)} to {r.to.slice(0, 10)} (UTC, end exclusive). Each SLO is judged over the period with its own objective and budgeting method.
            </p>
          </section>
        </>
      )}
    </>
  );
}
