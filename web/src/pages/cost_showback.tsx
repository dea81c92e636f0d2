// Showback and chargeback: a month's cost per team after the allocation rules — direct cost,
// its share of the shared pools, the total — with the unallocated bucket and its largest
// untagged resources, allocation coverage, and totals that reconcile to the invoice. Below, the
// same teams over the last six months. CSV and XLSX downloads of the month.

import { useState } from "preact/hooks";
import { enc, get, qs } from "../api";
import { addMonths, cents, CostTabs, ExportLinks, fromCents, hasCostData, Kpi, money, monthLabel, MonthSelect, NoCostData, pctText, ResourceName, useCostSummary } from "../components/cost";
import type { Showback, ShowbackMonth, ShowbackTeam } from "../components/cost_types";
import { TableWrap } from "../components/sort";
import { ErrorMessage, Loading, PageHeader } from "../components/ui";
import { useAsync, useTitle } from "../hooks";
import { Link, location, navigate } from "../router";
import { useStore } from "../store";

const kTrendMonths = 6;

function allocationUrl(month: string, metric: string, chargeback: boolean, format?: string): string {
  return `/api/v1/cost/allocation${qs({ month, metric, view: chargeback ? "chargeback" : undefined, format })}`;
}

export function CostShowbackPage() {
  useTitle("Showback");
  const loc = useStore(location);
  const params = new URLSearchParams(loc.search);
  const summary = useCostSummary(params.get("month") ?? "");
  const s = summary.data;
  const chargeback = params.get("view") === "chargeback";
  return (
    <>
      <PageHeader title={chargeback ? "Chargeback" : "Showback"} subtitle="What each team spent in a month, with its share of the shared costs; the totals add up to the invoice." />
      <CostTabs />
      {summary.error ? <ErrorMessage error={summary.error} /> : !s ? <Loading /> : !hasCostData(s) ? <NoCostData /> : <ShowbackView months={s.monthsAvailable} month={params.get("month") || s.month} params={params} />}
    </>
  );
}

function ShowbackView({ months, month, params }: { months: string[]; month: string; params: URLSearchParams }) {
  const metric = params.get("metric") || "effective";
  const chargeback = params.get("view") === "chargeback";
  const set = (k: string, val: string) => {
    const p = new URLSearchParams(params);
    if (val) p.set(k, val);
    else p.delete(k);
    navigate(`/cost/showback?${p.toString()}`, { replace: true });
  };
  const report = useAsync((signal) => get<Showback>(allocationUrl(month, metric, chargeback), signal), [month, metric, chargeback]);
  const r = report.data;
  return (
    <>
      <form class="filters" aria-label="Report options" onSubmit={(e) => e.preventDefault()}>
        <MonthSelect id="sb-month" months={months} value={month} onChange={(m) => set("month", m)} />
        <div class="field">
          <label for="sb-metric">Metric</label>
          <select id="sb-metric" value={metric} onChange={(e) => set("metric", (e.target as HTMLSelectElement).value === "effective" ? "" : (e.target as HTMLSelectElement).value)}>
            <option value="effective">Effective (amortised)</option>
            <option value="billed">Billed</option>
          </select>
        </div>
        <div class="field">
          <span class="label" id="sb-view-label">
            View
          </span>
          <div class="segmented" role="group" aria-labelledby="sb-view-label">
            <button type="button" class="button small" aria-pressed={!chargeback} onClick={() => set("view", "")}>
              Showback
            </button>
            <button type="button" class="button small" aria-pressed={chargeback} onClick={() => set("view", "chargeback")}>
              Chargeback
            </button>
          </div>
        </div>
        <div class="field report-links">
          <ExportLinks base="/api/v1/cost/allocation" params={{ month, metric, ...(chargeback ? { view: "chargeback" } : {}) }} formats={[["csv", "Download CSV"], ["xlsx", "Download XLSX"]]} name={`${chargeback ? "chargeback" : "showback"}-${month}`} />
        </div>
      </form>
      {report.error ? <ErrorMessage error={report.error} /> : !r || report.loading ? <Loading /> : <ShowbackReports r={r} chargeback={chargeback} />}
      <Trend months={months} month={month} metric={metric} chargeback={chargeback} />
    </>
  );
}

// The month's report in its main currency first (the API gives one per currency billed).
function ShowbackReports({ r, chargeback }: { r: Showback; chargeback: boolean }) {
  if (!r.months.length) {
    return (
      <p class="muted" data-testid="showback-empty">
        No cost in {monthLabel(r.month)}.
      </p>
    );
  }
  return (
    <>
      {r.warnings.length > 0 && (
        <ul class="cost-warnings" data-testid="allocation-warnings">
          {r.warnings.map((w) => (
            <li key={w} class="warn small">
              {w}
            </li>
          ))}
        </ul>
      )}
      {r.months.map((m) => (
        <ShowbackReport key={m.currency} m={m} chargeback={chargeback} several={r.months.length > 1} />
      ))}
    </>
  );
}

function ShowbackReport({ m, chargeback, several }: { m: ShowbackMonth; chargeback: boolean; several: boolean }) {
  const cur = m.currency;
  const invoice = cents(m.total);
  const allocated = m.teams.reduce((a, t) => a + cents(t.total), 0);
  const unallocated = cents(m.unallocated);
  const sum = allocated + unallocated;
  const cols = chargeback ? 3 : 5;
  return (
    <>
      <div class="pa-stats cost-kpis" data-currency={cur}>
        <Kpi label={several ? `Invoice total (${cur})` : "Invoice total"} testid="kpi-invoice">
          <span data-amount={m.total}>{money(m.total, cur)}</span>
        </Kpi>
        <Kpi label="Allocated to teams" testid="kpi-allocated">
          <span data-amount={m.allocated}>{money(m.allocated, cur)}</span>
        </Kpi>
        <Kpi label="Unallocated" testid="kpi-unallocated">
          <span data-amount={m.unallocated}>{money(m.unallocated, cur)}</span>
        </Kpi>
        <Kpi label="Allocation coverage" testid="kpi-coverage">
          {pctText(m.coverage)}
        </Kpi>
      </div>
      {sum === invoice ? (
        <p class="ok small" data-testid="reconciled">
          ✓ Teams and the unallocated bucket add up to the invoice total to the cent.
        </p>
      ) : (
        <p class="error" role="alert" data-testid="not-reconciled">
          The report does not add up to the invoice: {money(fromCents(sum), cur)} against {money(m.total, cur)}.
        </p>
      )}
      <section class="card" aria-labelledby={`h-sb-teams-${cur}`}>
        <h2 id={`h-sb-teams-${cur}`}>
          {chargeback ? "Chargeback" : "Showback"} for {monthLabel(m.month)}
          {several ? ` (${cur})` : ""}
        </h2>
        <TableWrap label="Cost per team">
          <table class="data cost-table" data-testid="showback-table">
            <thead>
              <tr>
                <th scope="col">Team</th>
                {!chargeback && (
                  <>
                    <th scope="col" class="num">
                      Direct
                    </th>
                    <th scope="col" class="num">
                      Shared
                    </th>
                  </>
                )}
                <th scope="col" class="num">
                  {chargeback ? "Charge" : "Total"}
                </th>
                <th scope="col" class="num">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {m.teams.map((t) => (
                <TeamRow key={t.team} t={t} m={m} invoice={invoice} chargeback={chargeback} cols={cols} />
              ))}
              <tr data-team="" class="cost-unallocated-row">
                <th scope="row">Unallocated</th>
                {!chargeback && (
                  <>
                    <td class="num">{money(m.unallocated, cur)}</td>
                    <td class="num">—</td>
                  </>
                )}
                <td class="num" data-amount={m.unallocated}>
                  {money(m.unallocated, cur)}
                </td>
                <td class="num">{invoice ? pctText((unallocated / invoice) * 100) : "—"}</td>
              </tr>
            </tbody>
            <tfoot>
              <tr class="cost-total-row">
                <th scope="row">Total</th>
                {!chargeback && (
                  <>
                    <td class="num">{money(fromCents(m.teams.reduce((a, t) => a + cents(t.direct), 0) + unallocated), cur)}</td>
                    <td class="num">{money(fromCents(m.teams.reduce((a, t) => a + cents(t.sharedTotal), 0)), cur)}</td>
                  </>
                )}
                <td class="num" data-testid="showback-total" data-amount={fromCents(sum)}>
                  {money(fromCents(sum), cur)}
                </td>
                <td class="num">{invoice ? pctText((sum / invoice) * 100) : "—"}</td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
        <p class="muted small">
          {chargeback
            ? "Charge: what each team is billed — its direct cost plus its part of the shared pools."
            : `Direct: cost the allocation rules give the team. Shared: its part of the shared pools${m.pools.length ? ` (${m.pools.join(", ")})` : ""} by each pool's split.`}
        </p>
      </section>
      <section class="card" aria-labelledby={`h-sb-unalloc-${cur}`}>
        <h2 id={`h-sb-unalloc-${cur}`}>Unallocated: largest resources</h2>
        {m.unallocatedReasons.length > 0 && (
          <ul class="cost-reasons" data-testid="unallocated-reasons" aria-label="Unallocated by reason">
            {m.unallocatedReasons.map((x) => (
              <li key={x.reason}>
                <strong>{money(x.cost, cur)}</strong> {x.reason}
              </li>
            ))}
          </ul>
        )}
        {!m.topUnallocated.length ? (
          <p class="muted">Every cost is allocated to a team.</p>
        ) : (
          <TableWrap label="Largest unallocated resources">
            <table class="data cost-money" data-testid="unallocated-resources">
              <thead>
                <tr>
                  <th scope="col">Resource</th>
                  <th scope="col">Service</th>
                  <th scope="col">Account</th>
                  <th scope="col">Why</th>
                  <th scope="col" class="num">
                    Cost
                  </th>
                </tr>
              </thead>
              <tbody>
                {m.topUnallocated.map((x, i) => (
                  <tr key={`${x.resourceId}/${i}`} data-resource={x.resourceId}>
                    <th scope="row" class="cost-resource">
                      <ResourceName id={x.resourceId} name={x.resourceName} />
                    </th>
                    <td>{x.service ?? ""}</td>
                    <td class="mono">{x.account ?? ""}</td>
                    <td class="small">{x.reason ?? ""}</td>
                    <td class="num">{money(x.cost, cur)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <p class="muted small">
          Tag these resources or add a rule to a <code>CostAllocation</code> resource (match on tags, accounts, services or resource-id patterns) to allocate them.
        </p>
      </section>
    </>
  );
}

function TeamRow({ t, m, invoice, chargeback, cols }: { t: ShowbackTeam; m: ShowbackMonth; invoice: number; chargeback: boolean; cols: number }) {
  const [open, setOpen] = useState(false);
  const cur = m.currency;
  const lines = m.lines.filter((l) => l.team === t.team);
  const pools = m.pools.filter((p) => cents(t.shared[p]) !== 0);
  const hasBreakdown = lines.length > 0 || pools.length > 0;
  return (
    <>
      <tr data-team={t.team}>
        <th scope="row">
          <Link href={`/teams/${enc(t.team)}`}>{t.team}</Link>
          {hasBreakdown && (
            <button type="button" class="button subtle small cost-drill" aria-expanded={open} aria-label={`Breakdown of ${t.team}`} onClick={() => setOpen(!open)}>
              {open ? "hide" : "breakdown"}
            </button>
          )}
        </th>
        {!chargeback && (
          <>
            <td class="num">{money(t.direct, cur)}</td>
            <td class="num">{money(t.sharedTotal, cur)}</td>
          </>
        )}
        <td class="num" data-amount={t.total}>
          {money(t.total, cur)}
        </td>
        <td class="num">{invoice ? pctText((cents(t.total) / invoice) * 100) : "—"}</td>
      </tr>
      {open && (
        <tr class="cost-breakdown" data-breakdown={t.team}>
          <td colSpan={cols}>
            <table class="compact">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Product</th>
                  <th scope="col">Environment</th>
                  <th scope="col" class="num">
                    Cost
                  </th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l, i) => (
                  <tr key={i}>
                    <td>{l.service || <span class="muted">(none)</span>}</td>
                    <td>{l.product || <span class="muted">(none)</span>}</td>
                    <td>{l.environment || <span class="muted">(none)</span>}</td>
                    <td class="num">{money(l.cost, cur)}</td>
                  </tr>
                ))}
                {pools.map((p) => (
                  <tr key={`pool-${p}`} class="muted">
                    <td colSpan={3}>shared: {p}</td>
                    <td class="num">{money(t.shared[p], cur)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </td>
        </tr>
      )}
    </>
  );
}

// Team × month: the total per team over the last months up to `month`.
function Trend({ months, month, metric, chargeback }: { months: string[]; month: string; metric: string; chargeback: boolean }) {
  const shown = Array.from({ length: kTrendMonths }, (_, i) => addMonths(month, i - kTrendMonths + 1)).filter((m) => months.includes(m));
  const data = useAsync((signal) => Promise.all(shown.map((m) => get<Showback>(allocationUrl(m, metric, chargeback), signal))), [shown.join(","), metric, chargeback]);
  if (shown.length < 2) return null;
  const reports = data.data;
  // The main currency: the one of the month shown above (the first the API lists).
  const cur = reports?.[reports.length - 1]?.months[0]?.currency ?? "USD";
  const monthOf = (r: Showback) => r.months.find((m) => m.currency === cur);
  const teams = reports ? [...new Set(reports.flatMap((r) => monthOf(r)?.teams.map((t) => t.team) ?? []))].sort() : [];
  const totalOf = (r: Showback, team: string) => monthOf(r)?.teams.find((t) => t.team === team)?.total;
  return (
    <section class="card" aria-labelledby="h-sb-trend">
      <h2 id="h-sb-trend">Per team and month</h2>
      {data.error ? (
        <ErrorMessage error={data.error} />
      ) : !reports || data.loading ? (
        <Loading />
      ) : (
        <TableWrap label="Cost per team and month">
          <table class="data cost-table" data-testid="showback-trend">
            <thead>
              <tr>
                <th scope="col">Team</th>
                {reports.map((r) => (
                  <th scope="col" class="num" key={r.month}>
                    {r.month}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {teams.map((team) => (
                <tr key={team} data-team={team}>
                  <th scope="row">{team}</th>
                  {reports.map((r) => (
                    <td class="num" key={r.month}>
                      {money(totalOf(r, team) ?? null, cur)}
                    </td>
                  ))}
                </tr>
              ))}
              <tr data-team="">
                <th scope="row" class="muted">
                  Unallocated
                </th>
                {reports.map((r) => (
                  <td class="num" key={r.month}>
                    {money(monthOf(r)?.unallocated ?? null, cur)}
                  </td>
                ))}
              </tr>
            </tbody>
            <tfoot>
              <tr class="cost-total-row">
                <th scope="row">Invoice</th>
                {reports.map((r) => (
                  <td class="num" key={r.month}>
                    {money(monthOf(r)?.total ?? null, cur)}
                  </td>
                ))}
              </tr>
            </tfoot>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
