// Paging analytics of a period, for everyone or one team or service: how fast incidents were
// acknowledged and resolved (MTTA, MTTR), alert quality (actionable against noise), pages per
// person with the share outside their working hours, the noisiest alerts and a daily chart.
// The figures and their definitions are the server's (src/paging/analytics.h).

import { useState } from "preact/hooks";
import { enc, get, qs } from "../api";
import { displayName, usePeople } from "../components/oncall";
import "../styles/paging.css";
import { TableWrap } from "../components/sort";
import { EmptyState, ErrorMessage, FilterSelect, Loading, PageHeader, Time, type Choice } from "../components/ui";
import { allServices, allTeams } from "../data";
import { plural } from "../format";
import { useAsync, useNow, useTitle } from "../hooks";
import { Link, location, navigate, queryParams } from "../router";
import { useStore } from "../store";
import type { AlertQuality, PagingAnalytics, PagingFigures, Person, TimeStat } from "../types";

const PERIODS: Choice[] = [
  ["7", "Last 7 days"],
  ["30", "Last 30 days"],
  ["90", "Last 90 days"],
];

// 200 -> "3 min 20 s", 7300 -> "2 h 2 min", null -> "—".
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !isFinite(s)) return "—";
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const r = Math.round(s % 60);
    return r ? `${m} min ${r} s` : `${m} min`;
  }
  if (s < 48 * 3600) {
    const h = Math.floor(s / 3600);
    const m = Math.round((s % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  return `${(s / 86400).toFixed(1)} days`;
}

function pct(v: number | null | undefined): string {
  if (v === null || v === undefined || !isFinite(v)) return "—";
  return `${Math.round(v * 100)}%`;
}

function Stat({ label, value, detail, testid }: { label: string; value: string; detail?: string; testid: string }) {
  return (
    <div class="pa-stat" data-testid={testid}>
      <div class="pa-stat-label">{label}</div>
      <div class="pa-stat-value">{value}</div>
      {detail && <div class="muted small">{detail}</div>}
    </div>
  );
}

function timeDetail(t: TimeStat, count: number, what: string): string {
  if (!count) return `no incident ${what}`;
  return `median ${formatSeconds(t.medianSeconds)} · ${plural(count, "incident")} ${what}`;
}

const QUALITY_PARTS: { key: keyof AlertQuality; label: string; cls: string }[] = [
  { key: "actionable", label: "Actionable", cls: "q-actionable" },
  { key: "notActionable", label: "Not actionable", cls: "q-noise" },
  { key: "autoResolved", label: "Resolved by the source or a timeout", cls: "q-auto" },
  { key: "noVerdict", label: "Resolved, no verdict", cls: "q-none" },
];

// Resolved incidents as one stacked bar: actionable, marked noise, auto-resolved, no verdict.
function QualityChart({ q }: { q: AlertQuality }) {
  const W = 600;
  const H = 36;
  const total = q.resolved;
  let x = 0;
  const label = `Alert quality of ${plural(total, "resolved incident")}: ${QUALITY_PARTS.map((p) => `${p.label.toLowerCase()} ${q[p.key] as number}`).join(", ")}`;
  return (
    <figure class="pa-quality">
      <svg class="pa-quality-bar" role="img" aria-label={label} data-testid="quality-chart" viewBox={`0 0 ${W} ${H}`} width="100%" preserveAspectRatio="none">
        <rect class="pa-track" x="0" y="0" width={W} height={H} rx="6" />
        {total > 0 &&
          QUALITY_PARTS.map((p) => {
            const n = q[p.key] as number;
            const w = (n / total) * W;
            const r = (
              <rect key={p.key} class={`pa-seg ${p.cls}`} x={x} y="0" width={w} height={H} data-part={p.key} data-count={n}>
                <title>{`${p.label}: ${n}`}</title>
              </rect>
            );
            x += w;
            return r;
          })}
      </svg>
      <figcaption>
        <ul class="pa-legend">
          {QUALITY_PARTS.map((p) => (
            <li key={p.key}>
              <span class={`pa-swatch ${p.cls}`} aria-hidden="true" /> {p.label}: <strong>{q[p.key] as number}</strong>
              {total > 0 && <span class="muted"> ({pct((q[p.key] as number) / total)})</span>}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

type PersonRow = PagingAnalytics["people"][number];

// Pages per person as horizontal bars; the part outside their working hours in the warning colour.
function PagesPerPerson({ rows, people }: { rows: PersonRow[]; people: Map<string, Person> }) {
  const shown = rows.filter((r) => r.pages > 0).slice(0, 15);
  const max = Math.max(1, ...shown.map((r) => r.pages));
  const rowH = 28;
  const labelW = 150;
  const valueW = 110;
  const W = 620;
  const barW = W - labelW - valueW;
  const H = shown.length * rowH;
  const label = `Pages per person, off-hours part marked: ${shown.map((r) => `${displayName(people, r.person)} ${r.pages} (${r.offHoursPages} off hours)`).join(", ")}`;
  return (
    <svg class="pa-people" role="img" aria-label={label} data-testid="pages-per-person" viewBox={`0 0 ${W} ${H}`} width="100%" preserveAspectRatio="xMinYMin meet">
      {shown.map((r, i) => {
        const y = i * rowH;
        const w = Math.max(r.pages ? 2 : 0, (r.pages / max) * barW);
        const off = r.pages ? (r.offHoursPages / r.pages) * w : 0;
        const name = displayName(people, r.person);
        return (
          <g key={r.person} data-person={r.person}>
            <text x={labelW - 8} y={y + rowH / 2} text-anchor="end" dominant-baseline="central" class="pa-label">
              {name.length > 20 ? name.slice(0, 19) + "…" : name}
            </text>
            <rect x={labelW} y={y + 5} width={barW} height={rowH - 10} rx="3" class="pa-track" />
            <rect x={labelW} y={y + 5} width={w} height={rowH - 10} rx="3" class="pa-bar" />
            {off > 0 && <rect x={labelW + w - off} y={y + 5} width={off} height={rowH - 10} rx="3" class="pa-bar-off" />}
            <text x={labelW + barW + 8} y={y + rowH / 2} dominant-baseline="central" class="pa-value">
              {r.pages} · {pct(r.offHoursPages / r.pages)} off
            </text>
          </g>
        );
      })}
    </svg>
  );
}

type Day = PagingAnalytics["daily"][number];

// Incidents per day as columns (high urgency darker) and pages per day as a line.
function DailyChart({ days }: { days: Day[] }) {
  const W = 720;
  const H = 220;
  const padL = 36;
  const padR = 12;
  const padT = 10;
  const padB = 28;
  const max = Math.max(1, ...days.map((d) => Math.max(d.incidents, d.pages)));
  const step = (W - padL - padR) / Math.max(1, days.length);
  const y = (v: number) => padT + (1 - v / max) * (H - padT - padB);
  const colW = Math.max(1, step * 0.7);
  const ticks = [0, Math.round(max / 2), max].filter((v, i, a) => a.indexOf(v) === i);
  const line = days.map((d, i) => `${i ? "L" : "M"}${(padL + i * step + step / 2).toFixed(1)},${y(d.pages).toFixed(1)}`).join("");
  const totalInc = days.reduce((s, d) => s + d.incidents, 0);
  const totalPages = days.reduce((s, d) => s + d.pages, 0);
  const busiest = days.reduce<Day | null>((b, d) => (!b || d.incidents > b.incidents ? d : b), null);
  const label =
    `Incidents and pages per day, ${days[0]?.date ?? ""} to ${days[days.length - 1]?.date ?? ""}: ${plural(totalInc, "incident")}, ${plural(totalPages, "page")}` +
    (busiest && busiest.incidents ? `; the busiest day ${busiest.date} with ${plural(busiest.incidents, "incident")}` : "");
  const labelEvery = Math.max(1, Math.ceil(days.length / 8));
  return (
    <svg class="pa-daily" role="img" aria-label={label} data-testid="daily-chart" viewBox={`0 0 ${W} ${H}`} width="100%" preserveAspectRatio="xMinYMin meet">
      {ticks.map((v) => (
        <g key={v} class="pa-grid">
          <line x1={padL} x2={W - padR} y1={y(v)} y2={y(v)} />
          <text x={padL - 6} y={y(v)} text-anchor="end" dominant-baseline="central">
            {v}
          </text>
        </g>
      ))}
      {days.map((d, i) => {
        const x = padL + i * step + (step - colW) / 2;
        return (
          <g key={d.date} data-date={d.date}>
            <rect class="pa-col" x={x} y={y(d.incidents)} width={colW} height={y(0) - y(d.incidents)}>
              <title>{`${d.date}: ${d.incidents} incidents (${d.highUrgency} high urgency), ${d.alerts} alerts, ${d.pages} pages`}</title>
            </rect>
            <rect class="pa-col-high" x={x} y={y(d.highUrgency)} width={colW} height={y(0) - y(d.highUrgency)} />
            {i % labelEvery === 0 && (
              <text class="pa-axis" x={padL + i * step + step / 2} y={H - 8} text-anchor="middle">
                {d.date.slice(5)}
              </text>
            )}
          </g>
        );
      })}
      {days.length > 0 && <path class="pa-line" d={line} />}
    </svg>
  );
}

function FiguresRow({ f }: { f: PagingFigures }) {
  return (
    <>
      <td class="num">{f.incidents}</td>
      <td class="num">{f.highUrgency}</td>
      <td class="num">{f.pages}</td>
      <td class="num">{formatSeconds(f.mtta.meanSeconds)}</td>
      <td class="num">{formatSeconds(f.mttr.meanSeconds)}</td>
      <td class="num">{pct(f.quality.actionableShare)}</td>
    </>
  );
}

function FiguresHead({ first }: { first: string }) {
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col" class="num">
          Incidents
        </th>
        <th scope="col" class="num">
          High urgency
        </th>
        <th scope="col" class="num">
          Pages
        </th>
        <th scope="col" class="num">
          MTTA
        </th>
        <th scope="col" class="num">
          MTTR
        </th>
        <th scope="col" class="num">
          Actionable
        </th>
      </tr>
    </thead>
  );
}

export function PagingAnalyticsPage() {
  useTitle("Paging analytics");
  const loc = useStore(location);
  const params = queryParams(loc);
  const days = PERIODS.some(([v]) => v === params.get("days")) ? params.get("days")! : "30";
  const team = params.get("team") ?? "";
  const service = params.get("service") ?? "";
  // The period ends now; its start moves on by the hour, so the query stays put while reading.
  const hour = Math.floor(useNow(3_600_000) / 3_600_000);
  const from = new Date(hour * 3_600_000 - Number(days) * 86_400_000).toISOString();
  const teams = useAsync(() => allTeams(), []);
  const services = useAsync(() => allServices(), []);
  const people = usePeople();
  const data = useAsync((signal) => get<PagingAnalytics>(`/api/v1/paging/analytics${qs({ from, team, service })}`, signal), [from, team, service]);

  const setParam = (key: string, value: string) => {
    const p = new URLSearchParams(loc.search);
    if (value) p.set(key, value);
    else p.delete(key);
    if (key === "team") p.delete("service");
    const s = p.toString();
    navigate(`/paging/analytics${s ? "?" + s : ""}`, { replace: true });
  };
  const teamChoices: Choice[] = (teams.data ?? []).map((t) => [t.metadata.name, t.metadata.title ?? t.metadata.name]);
  const serviceChoices: Choice[] = (services.data ?? []).filter((s) => !team || s.spec.owner === team).map((s) => [s.metadata.name, s.metadata.name]);
  const a = data.data;

  return (
    <>
      <PageHeader
        title="Paging analytics"
        subtitle="How often people were paged, how fast incidents were handled, and how much of it was worth waking up for."
        actions={
          <Link class="button" href="/incidents">
            Incidents
          </Link>
        }
      />
      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="pa-period">Period</label>
          <select id="pa-period" value={days} onChange={(e) => setParam("days", (e.target as HTMLSelectElement).value === "30" ? "" : (e.target as HTMLSelectElement).value)}>
            {PERIODS.map(([v, l]) => (
              <option value={v} key={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <FilterSelect id="pa-team" label="Team" value={team} any="All teams" choices={teamChoices} onChange={(v) => setParam("team", v)} />
        <FilterSelect id="pa-service" label="Service" value={service} any="All services" choices={serviceChoices} onChange={(v) => setParam("service", v)} />
      </form>
      {data.error ? (
        <ErrorMessage error={data.error} />
      ) : !a ? (
        <Loading />
      ) : (
        <Report a={a} people={people} />
      )}
    </>
  );
}

function Report({ a, people }: { a: PagingAnalytics; people: Map<string, Person> }) {
  const [everyone, setEveryone] = useState(false);
  const t = a.totals;
  const paged = a.people.filter((p) => p.pages > 0);
  const peopleRows = everyone ? a.people : paged;
  const offHours = a.people.reduce((s, p) => s + p.offHoursPages, 0);
  const allPages = a.people.reduce((s, p) => s + p.pages, 0);
  if (!t.incidents && !t.alerts && !t.pages) {
    return (
      <EmptyState title="No paging in this period">
        <p>No incident opened, no alert arrived and nobody was paged{a.team ? ` for team ${a.team}` : ""}{a.service ? ` on ${a.service}` : ""}. Try a longer period.</p>
      </EmptyState>
    );
  }
  return (
    <>
      <p class="muted small" data-testid="analytics-period">
        {a.from.slice(0, 16).replace("T", " ")} to {a.to.slice(0, 16).replace("T", " ")} UTC
      </p>
      <div class="pa-stats">
        <Stat testid="stat-incidents" label="Incidents" value={String(t.incidents)} detail={`${t.highUrgency} high urgency · ${t.open} still open`} />
        <Stat testid="stat-alerts" label="Alerts" value={String(t.alerts)} detail={t.incidents ? `${(t.alerts / t.incidents).toFixed(1)} per incident` : undefined} />
        <Stat testid="stat-mtta" label="MTTA (mean)" value={formatSeconds(t.mtta.meanSeconds)} detail={timeDetail(t.mtta, t.acknowledged, "acknowledged")} />
        <Stat testid="stat-mttr" label="MTTR (mean)" value={formatSeconds(t.mttr.meanSeconds)} detail={timeDetail(t.mttr, t.resolved, "resolved")} />
        <Stat testid="stat-pages" label="Pages" value={String(t.pages)} detail={allPages ? `${pct(offHours / allPages)} outside working hours` : undefined} />
        <Stat
          testid="stat-per-shift"
          label="Pages per on-call shift"
          value={t.pagesPerShift === null || t.pagesPerShift === undefined ? "—" : t.pagesPerShift.toFixed(2)}
          detail={`${plural(t.pagesOnCall, "page")} over ${plural(t.shifts, "shift")}`}
        />
        <Stat testid="stat-actionable" label="Actionable" value={pct(t.quality.actionableShare)} detail={`of ${plural(t.quality.resolved, "resolved incident")}`} />
      </div>
      <section class="card" aria-labelledby="h-pa-daily">
        <h2 id="h-pa-daily">Per day</h2>
        <DailyChart days={a.daily} />
        <ul class="pa-legend">
          <li>
            <span class="pa-swatch pa-col" aria-hidden="true" /> incidents
          </li>
          <li>
            <span class="pa-swatch pa-col-high" aria-hidden="true" /> of them high urgency
          </li>
          <li>
            <span class="pa-swatch pa-line-swatch" aria-hidden="true" /> pages
          </li>
        </ul>
      </section>
      <section class="card" aria-labelledby="h-pa-quality">
        <h2 id="h-pa-quality">Alert quality</h2>
        <QualityChart q={t.quality} />
        <p class="muted small">
          Responders mark an incident actionable or not when they resolve it. Incidents resolved by their source or a timeout without anyone acting are
          likely noise too.
        </p>
      </section>
      <section class="card" aria-labelledby="h-pa-people">
        <h2 id="h-pa-people">Pages per person</h2>
        {!paged.length ? (
          <p class="muted">Nobody was paged.</p>
        ) : (
          <>
            <PagesPerPerson rows={a.people} people={people} />
            <ul class="pa-legend">
              <li>
                <span class="pa-swatch pa-bar" aria-hidden="true" /> pages in working hours
              </li>
              <li>
                <span class="pa-swatch pa-bar-off" aria-hidden="true" /> outside working hours (the person’s own time zone)
              </li>
            </ul>
            <TableWrap label="Pages per person">
              <table class="data" data-testid="analytics-people">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col" class="num">
                      Pages
                    </th>
                    <th scope="col" class="num">
                      High urgency
                    </th>
                    <th scope="col" class="num">
                      Off hours
                    </th>
                    <th scope="col" class="num">
                      Shifts
                    </th>
                    <th scope="col" class="num">
                      Pages per shift
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {peopleRows.map((p) => (
                    <tr key={p.person} data-person={p.person}>
                      <th scope="row">
                        <Link href={`/people/${enc(p.person)}`}>{displayName(people, p.person)}</Link>
                        <div class="muted small">{p.timeZone}</div>
                      </th>
                      <td class="num">{p.pages}</td>
                      <td class="num">{p.highUrgencyPages}</td>
                      <td class={`num${p.pages && p.offHoursPages / p.pages > 0.5 ? " warn" : ""}`}>
                        {p.offHoursPages} <span class="muted small">({pct(p.pages ? p.offHoursPages / p.pages : null)})</span>
                      </td>
                      <td class="num">{p.shifts}</td>
                      <td class="num">{p.pagesPerShift === null || p.pagesPerShift === undefined ? "—" : p.pagesPerShift.toFixed(2)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            {a.people.length > paged.length && (
              <button type="button" class="button subtle small" aria-pressed={everyone} onClick={() => setEveryone(!everyone)}>
                {everyone ? "Only people who were paged" : `Everyone on call in the period (${a.people.length})`}
              </button>
            )}
          </>
        )}
      </section>
      <section class="card" aria-labelledby="h-pa-noisy">
        <h2 id="h-pa-noisy">Noisiest alerts</h2>
        {!a.noisiest.length ? (
          <p class="muted">No alerts.</p>
        ) : (
          <TableWrap label="Noisiest alerts">
            <table class="data" data-testid="noisiest-alerts">
              <thead>
                <tr>
                  <th scope="col">Alert</th>
                  <th scope="col">Service</th>
                  <th scope="col" class="num">
                    Alerts
                  </th>
                  <th scope="col" class="num">
                    Incidents
                  </th>
                  <th scope="col" class="num">
                    Flapping
                  </th>
                  <th scope="col">Last</th>
                </tr>
              </thead>
              <tbody>
                {a.noisiest.map((n) => (
                  <tr key={`${n.service}/${n.alert}`} data-service={n.service}>
                    <th scope="row">{n.alert}</th>
                    <td>
                      <Link href={`/services/${enc(n.service)}`}>{n.service}</Link>
                    </td>
                    <td class="num">{n.alerts}</td>
                    <td class="num">{n.incidents}</td>
                    <td class={`num${n.alerts && n.flapping / n.alerts > 0.3 ? " warn" : ""}`}>{n.flapping}</td>
                    <td>
                      <Time iso={n.lastAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <p class="muted small">Grouped by service and alert class (the summary when there is none). Flapping: resolved by itself within 5 minutes.</p>
      </section>
      {!a.service && (
        <>
          {!a.team && (
            <section class="card" aria-labelledby="h-pa-teams">
              <h2 id="h-pa-teams">By team</h2>
              <TableWrap label="By team">
                <table class="data" data-testid="analytics-teams">
                  <FiguresHead first="Team" />
                  <tbody>
                    {a.teams.map((x) => (
                      <tr key={x.team ?? ""} data-team={x.team ?? ""}>
                        <th scope="row">{x.team ? <Link href={`/paging/analytics${qs({ team: x.team })}`}>{x.team}</Link> : <span class="muted">no team</span>}</th>
                        <FiguresRow f={x} />
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </section>
          )}
          <section class="card" aria-labelledby="h-pa-services">
            <h2 id="h-pa-services">By service</h2>
            <TableWrap label="By service">
              <table class="data" data-testid="analytics-services">
                <FiguresHead first="Service" />
                <tbody>
                  {a.services.map((x) => (
                    <tr key={x.service} data-service={x.service}>
                      <th scope="row">
                        <Link href={`/services/${enc(x.service)}`}>{x.service}</Link>
                      </th>
                      <FiguresRow f={x} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </section>
        </>
      )}
    </>
  );
}
