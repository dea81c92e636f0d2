// Showback and chargeback: a month's cost per team after the allocation rules — direct cost,
// its share of the shared pools, the total — with the unallocated bucket and its largest
// untagged resources, allocation coverage, and totals that reconcile to the invoice. Below, the
// same teams over the last six months. CSV and XLSX downloads of the month.

import { useState } from "preact/hooks";
import { enc, get, qs } from "../api";
import { addMonths, cents, CostTabs, ExportLinks, fromCents, hasCostData, Kpi, money, monthLabel, MonthSelect, NoCostData, pctText, useCostSummary } from "../components/cost";
import type { Showback, ShowbackTeam } from "../components/cost_types";
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
      {report.error ? <ErrorMessage error={report.error} /> : !r || report.loading ? <Loading /> : <ShowbackReport r={r} chargeback={chargeback} />}
      <Trend months={months} month={month} metric={metric} chargeback={chargeback} />
    </>
  );
}

function ShowbackReport({ r, chargeback }: { r: Showback; chargeback: boolean }) {
  const cur = r.currency;
  const invoice = cents(r.invoiceTotal);
  const allocated = r.teams.reduce((a, t) => a + cents(t.total), 0);
  const unallocated = cents(r.unallocated?.amount);
  const sum = allocated + unallocated;
  return (
    <>
      <div class="pa-stats cost-kpis">
        <Kpi label="Invoice total" testid="kpi-invoice">
          <span data-amount={r.invoiceTotal}>{money(r.invoiceTotal, cur)}</span>
        </Kpi>
        <Kpi label="Allocated to teams" testid="kpi-allocated">
          {money(fromCents(allocated), cur)}
        </Kpi>
        <Kpi label="Unallocated" testid="kpi-unallocated">
          {money(r.unallocated?.amount, cur)}
        </Kpi>
        <Kpi label="Allocation coverage" testid="kpi-coverage">
          {pctText(r.coveragePct)}
        </Kpi>
      </div>
      {r.reconciled && sum === invoice ? (
        <p class="ok small" data-testid="reconciled">
          ✓ Teams and the unallocated bucket add up to the invoice total to the cent.
        </p>
      ) : (
        <p class="error" role="alert" data-testid="not-reconciled">
          The report does not add up to the invoice: {money(fromCents(sum), cur)} against {money(r.invoiceTotal, cur)}.
        </p>
      )}
      <section class="card" aria-labelledby="h-sb-teams">
        <h2 id="h-sb-teams">
          {chargeback ? "Chargeback" : "Showback"} for {monthLabel(r.month)}
        </h2>
        <TableWrap label="Cost per team">
          <table class="data cost-table" data-testid="showback-table">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col" class="num">
                  Direct
                </th>
                <th scope="col" class="num">
                  Shared
                </th>
                <th scope="col" class="num">
                  Total
                </th>
                <th scope="col" class="num">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {r.teams.map((t) => (
                <TeamRow key={t.team} t={t} cur={cur} invoice={invoice} />
              ))}
              <tr data-team="" class="cost-unallocated-row">
                <th scope="row">Unallocated</th>
                <td class="num">{money(r.unallocated?.amount, cur)}</td>
                <td class="num">—</td>
                <td class="num" data-amount={r.unallocated?.amount}>
                  {money(r.unallocated?.amount, cur)}
                </td>
                <td class="num">{invoice ? pctText((unallocated / invoice) * 100) : "—"}</td>
              </tr>
            </tbody>
            <tfoot>
              <tr class="cost-total-row">
                <th scope="row">Total</th>
                <td class="num">{money(fromCents(r.teams.reduce((a, t) => a + cents(t.direct), 0) + unallocated), cur)}</td>
                <td class="num">{money(fromCents(r.teams.reduce((a, t) => a + cents(t.shared), 0)), cur)}</td>
                <td class="num" data-testid="showback-total" data-amount={fromCents(sum)}>
                  {money(fromCents(sum), cur)}
                </td>
                <td class="num">{invoice ? pctText((sum / invoice) * 100) : "—"}</td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
        <p class="muted small">Direct: cost the allocation rules give the team. Shared: its part of the shared pools (support, networking, platform accounts) by each pool's split.</p>
      </section>
      <section class="card" aria-labelledby="h-sb-unalloc">
        <h2 id="h-sb-unalloc">Unallocated: largest resources</h2>
        {!r.unallocated?.topResources?.length ? (
          <p class="muted">Every cost is allocated to a team.</p>
        ) : (
          <TableWrap label="Largest unallocated resources">
            <table class="data" data-testid="unallocated-resources">
              <thead>
                <tr>
                  <th scope="col">Resource</th>
                  <th scope="col">Service</th>
                  <th scope="col">Account</th>
                  <th scope="col" class="num">
                    Cost
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.unallocated.topResources.map((x) => (
                  <tr key={x.resourceId} data-resource={x.resourceId}>
                    <th scope="row" class="cost-resource">
                      {x.name && x.name !== x.resourceId ? (
                        <>
                          {x.name}
                          <div class="muted small mono">{x.resourceId || "(no resource id)"}</div>
                        </>
                      ) : (
                        <span class="mono">{x.resourceId || "(no resource id)"}</span>
                      )}
                    </th>
                    <td>{x.service ?? ""}</td>
                    <td>{x.account ?? ""}</td>
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

function TeamRow({ t, cur, invoice }: { t: ShowbackTeam; cur: string; invoice: number }) {
  const [open, setOpen] = useState(false);
  const lines = t.breakdown ?? [];
  const cols = lines.length ? Object.keys(lines[0]) : [];
  return (
    <>
      <tr data-team={t.team}>
        <th scope="row">
          <Link href={`/teams/${enc(t.team)}`}>{t.team}</Link>
          {lines.length > 0 && (
            <button type="button" class="button subtle small cost-drill" aria-expanded={open} aria-label={`Breakdown of ${t.team}`} onClick={() => setOpen(!open)}>
              {open ? "hide" : "breakdown"}
            </button>
          )}
        </th>
        <td class="num">{money(t.direct, cur)}</td>
        <td class="num">{money(t.shared, cur)}</td>
        <td class="num" data-amount={t.total}>
          {money(t.total, cur)}
        </td>
        <td class="num">{invoice ? pctText((cents(t.total) / invoice) * 100) : "—"}</td>
      </tr>
      {open && (
        <tr class="cost-breakdown">
          <td colSpan={5}>
            <table class="compact">
              <tbody>
                {lines.map((l, i) => (
                  <tr key={i}>
                    {cols.map((c) => (
                      <td key={c} class={typeof l[c] === "string" && /^-?\d+\.\d\d$/.test(String(l[c])) ? "num" : ""}>
                        {typeof l[c] === "string" && /^-?\d+\.\d\d$/.test(String(l[c])) ? money(String(l[c]), cur) : String(l[c] ?? "")}
                      </td>
                    ))}
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
  const teams = reports ? [...new Set(reports.flatMap((r) => r.teams.map((t) => t.team)))].sort() : [];
  const cur = reports?.[0]?.currency ?? "USD";
  const totalOf = (r: Showback, team: string) => r.teams.find((t) => t.team === team)?.total;
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
                    {money(r.unallocated?.amount, cur)}
                  </td>
                ))}
              </tr>
            </tbody>
            <tfoot>
              <tr class="cost-total-row">
                <th scope="row">Invoice</th>
                {reports.map((r) => (
                  <td class="num" key={r.month}>
                    {money(r.invoiceTotal, cur)}
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
