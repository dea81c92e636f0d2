// Cost explorer: the month's totals against the previous month, then cost over a date range
// grouped by a FOCUS column or a tag, per day, week or month, in one of the four cost metrics —
// a stacked chart of the largest groups plus "other", and a table with a CSV download. Every
// choice lives in the URL, so a view can be shared.

import { get } from "../api";
import { addDays, addMonths, cents, Change, CostTabs, fromCents, hasCostData, inProgress, Kpi, METRICS, money, monthLabel, MonthSelect, NoCostData, pctText, spendLabel, useCostSummary } from "../components/cost";
import { HBars, StackedColumns, type Series } from "../components/cost_charts";
import type { CostDimensions, CostQueryResult, CostSummary } from "../components/cost_types";
import { TableWrap } from "../components/sort";
import { ErrorMessage, Loading, PageHeader } from "../components/ui";
import { plural } from "../format";
import { useAsync, useTitle } from "../hooks";
import { Link, location, navigate } from "../router";
import { useStore } from "../store";

const GRANULARITIES: [string, string][] = [
  ["day", "Daily"],
  ["week", "Weekly"],
  ["month", "Monthly"],
  ["total", "Total"],
];
const kSeries = 8; // groups drawn in the chart; the rest is "Other"
const kTableGroups = 50; // groups listed in the table
const kMaxPivot = 62; // more periods than this: the table shows totals only

interface View {
  month: string;
  from: string; // first day
  to: string; // day after the last
  groupBy: string;
  granularity: string;
  metric: string;
  filters: string[]; // "Dimension=value"
}

// The query string of a cost query; repeated keys (filter) kept.
function queryString(v: View, extra: Record<string, string>, withGroup = true): string {
  const p = new URLSearchParams({ from: v.from, to: v.to, metric: v.metric, granularity: v.granularity });
  if (withGroup && v.groupBy) p.append("groupBy", v.groupBy);
  for (const f of v.filters) p.append("filter", f);
  for (const [k, val] of Object.entries(extra)) p.set(k, val);
  return "?" + p.toString();
}

// The dimension's name for people: "tag:team" -> "Tag team".
function dimLabel(d: string): string {
  return d.startsWith("tag:") ? `Tag ${d.slice(4)}` : d.replace(/([a-z])([A-Z])/g, "$1 $2");
}

function keyLabel(k: string, dim: string): string {
  return k === "" ? (dim.startsWith("tag:") ? "(untagged)" : "(none)") : k;
}

// Period starts from `from` to `to` for a granularity (weeks start on Monday, UTC).
function periodsOf(v: View): string[] {
  if (v.granularity === "total") return [];
  const out: string[] = [];
  if (v.granularity === "month") {
    for (let m = v.from.slice(0, 7); m + "-01" < v.to && out.length < 400; m = addMonths(m, 1)) out.push(m + "-01");
    return out;
  }
  let d = v.from;
  if (v.granularity === "week") d = addDays(d, -((new Date(d + "T00:00:00Z").getUTCDay() + 6) % 7));
  for (; d < v.to && out.length < 800; d = addDays(d, v.granularity === "week" ? 7 : 1)) out.push(d);
  return out;
}

export function CostExplorerPage() {
  useTitle("Cost");
  const loc = useStore(location);
  const params = new URLSearchParams(loc.search);
  const summary = useCostSummary(params.get("month") ?? "");
  const dims = useAsync((signal) => get<CostDimensions>("/api/v1/cost/dimensions", signal), []);
  const s = summary.data;

  return (
    <>
      <PageHeader title="Cost" subtitle="Cloud spend by any FOCUS column or tag, per day, week or month." />
      <CostTabs />
      {summary.error ? <ErrorMessage error={summary.error} /> : !s ? <Loading /> : !hasCostData(s) ? <NoCostData /> : <Explorer s={s} params={params} dims={dims.data} />}
    </>
  );
}

function Explorer({ s, params, dims }: { s: CostSummary; params: URLSearchParams; dims: CostDimensions | undefined }) {
  const month = params.get("month") || s.month;
  const v: View = {
    month,
    from: params.get("from") || month + "-01",
    to: params.get("to") || addMonths(month, 1) + "-01",
    groupBy: params.get("groupBy") ?? "ServiceName",
    granularity: params.get("granularity") || "day",
    metric: params.get("metric") || "effective",
    filters: params.getAll("filter"),
  };
  const set = (changes: Record<string, string | string[] | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, val] of Object.entries(changes)) {
      p.delete(k);
      if (Array.isArray(val)) val.forEach((x) => p.append(k, x));
      else if (val !== null) p.set(k, val);
    }
    navigate(`/cost?${p.toString()}`, { replace: true });
  };
  const currency = s.currency;

  return (
    <>
      <form class="filters" aria-label="Month" onSubmit={(e) => e.preventDefault()}>
        <MonthSelect id="cost-month" months={s.monthsAvailable} value={month} onChange={(m) => set({ month: m, from: null, to: null })} />
      </form>
      <div class="pa-stats cost-kpis">
        <Kpi label={spendLabel(s.month)} testid="kpi-total" detail={<>{money(s.previousTotal, currency)} in {monthLabel(addMonths(s.month, -1))}</>}>
          <span data-amount={s.total}>{money(s.total, currency)}</span>
        </Kpi>
        <Kpi label="Change on last month" testid="kpi-change" detail={inProgress(s.month) ? "a month in progress against a whole one" : undefined}>
          <Change pct={s.changePct} />
        </Kpi>
        <Kpi label="Unallocated" testid="kpi-unallocated" detail={<>allocation coverage {pctText(s.coveragePct)}</>}>
          <Link href={`/cost/showback?month=${s.month}`}>{money(s.unallocated, currency)}</Link>
        </Kpi>
        <Kpi label="Open anomalies" testid="kpi-anomalies">
          <Link href="/cost/anomalies">{s.openAnomalies}</Link>
        </Kpi>
        <Kpi label="Budgets over a threshold" testid="kpi-budgets">
          <Link href="/cost/budgets">{s.budgetsOverThreshold}</Link>
        </Kpi>
      </div>
      {s.lastImport && (
        <p class="muted small" data-testid="last-import">
          Last import: {s.lastImport.format}, {new Date(s.lastImport.finishedMs).toISOString().slice(0, 16).replace("T", " ")} UTC.
        </p>
      )}
      <section class="card" aria-labelledby="h-explorer">
        <h2 id="h-explorer">Explore</h2>
        <form class="filters" aria-label="Explorer options" onSubmit={(e) => e.preventDefault()}>
          <div class="field">
            <label for="cx-group">Group by</label>
            <select id="cx-group" value={v.groupBy} onChange={(e) => set({ groupBy: (e.target as HTMLSelectElement).value })}>
              <option value="">Nothing (total)</option>
              {!dims && v.groupBy && <option value={v.groupBy}>{dimLabel(v.groupBy)}</option>}
              {dims && (
                <>
                  <optgroup label="Columns">
                    {dims.columns.map((c) => (
                      <option value={c} key={c}>
                        {dimLabel(c)}
                      </option>
                    ))}
                  </optgroup>
                  {dims.tagKeys.length > 0 && (
                    <optgroup label="Tags">
                      {dims.tagKeys.map((k) => (
                        <option value={`tag:${k}`} key={k}>
                          {`Tag ${k}`}
                        </option>
                      ))}
                    </optgroup>
                  )}
                </>
              )}
            </select>
          </div>
          <div class="field">
            <label for="cx-gran">Granularity</label>
            <select id="cx-gran" value={v.granularity} onChange={(e) => set({ granularity: (e.target as HTMLSelectElement).value })}>
              {GRANULARITIES.map(([val, l]) => (
                <option value={val} key={val}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="cx-metric">Metric</label>
            <select id="cx-metric" value={v.metric} onChange={(e) => set({ metric: (e.target as HTMLSelectElement).value })}>
              {METRICS.map(([val, l]) => (
                <option value={val} key={val}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="cx-from">From</label>
            <input id="cx-from" type="date" value={v.from} max={addDays(v.to, -1)} onChange={(e) => (e.target as HTMLInputElement).value && set({ from: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="field">
            <label for="cx-to">To (inclusive)</label>
            <input id="cx-to" type="date" value={addDays(v.to, -1)} min={v.from} onChange={(e) => (e.target as HTMLInputElement).value && set({ to: addDays((e.target as HTMLInputElement).value, 1) })} />
          </div>
        </form>
        {v.filters.length > 0 && (
          <ul class="chips cost-filters" aria-label="Filters" data-testid="cost-filters">
            {v.filters.map((f) => {
              const [dim, ...rest] = f.split("=");
              const val = rest.join("=");
              return (
                <li key={f} class="tag">
                  {dimLabel(dim)} = {keyLabel(val, dim)}{" "}
                  <button type="button" class="chip-remove" aria-label={`Remove filter ${dimLabel(dim)} = ${keyLabel(val, dim)}`} onClick={() => set({ filter: v.filters.filter((x) => x !== f) })}>
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        <ExplorerResult v={v} currency={currency} onFilter={(value) => set({ filter: [...v.filters.filter((f) => !f.startsWith(v.groupBy + "=")), `${v.groupBy}=${value}`] })} />
      </section>
    </>
  );
}

interface Group {
  key: string; // "" for NULL / untagged
  byPeriod: Map<string, number>;
  total: number;
}

function ExplorerResult({ v, currency, onFilter }: { v: View; currency: string; onFilter: (value: string) => void }) {
  const key = queryString(v, {});
  const grouped = useAsync((signal) => get<CostQueryResult>(`/api/v1/cost/query${queryString(v, { limit: String(kTableGroups) })}`, signal), [key]);
  const totals = useAsync((signal) => get<CostQueryResult>(`/api/v1/cost/query${queryString(v, {}, false)}`, signal), [key]);
  // The range's total, exact (a sum of per-period totals can be a cent off after rounding).
  const whole = useAsync((signal) => get<CostQueryResult>(`/api/v1/cost/query${queryString({ ...v, granularity: "total" }, {}, false)}`, signal), [key]);
  const csv = `/api/v1/cost/query${queryString(v, { format: "csv" })}`;
  const error = grouped.error ?? totals.error ?? whole.error;
  if (error) return <ErrorMessage error={error} />;
  if (!grouped.data || !totals.data || !whole.data || grouped.loading || totals.loading || whole.loading) return <Loading />;

  // Groups (top kTableGroups by total) and the totals per period.
  const periodTotal = new Map<string, number>();
  for (const r of totals.data.rows) periodTotal.set(r.period ?? "", (periodTotal.get(r.period ?? "") ?? 0) + cents(r.cost));
  const groups = new Map<string, Group>();
  for (const r of grouped.data.rows) {
    const k = v.groupBy ? (r.keys[0] ?? "") : "Total";
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { key: k, byPeriod: new Map(), total: 0 }));
    const p = r.period ?? "";
    g.byPeriod.set(p, (g.byPeriod.get(p) ?? 0) + cents(r.cost));
    g.total += cents(r.cost);
  }
  const list = [...groups.values()].sort((a, b) => Math.abs(b.total) - Math.abs(a.total) || a.key.localeCompare(b.key));
  const periods = v.granularity === "total" ? [""] : [...new Set([...periodsOf(v), ...periodTotal.keys()])].filter(Boolean).sort();
  const grand = whole.data.rows.reduce((a, r) => a + cents(r.cost), 0);
  const otherByPeriod = (shown: Group[]) => periods.map((p) => (periodTotal.get(p) ?? 0) - shown.reduce((s, g) => s + (g.byPeriod.get(p) ?? 0), 0));
  // Groups past the table's limit; below it, a difference is only each group's rounding to cents.
  const truncated = !!v.groupBy && list.length >= kTableGroups;
  const rest = otherByPeriod(list);
  const restTotal = truncated ? rest.reduce((a, b) => a + b, 0) : 0;
  const hasOther = list.length > kSeries || restTotal !== 0;

  if (!list.length && grand === 0) {
    return (
      <p class="muted" data-testid="explorer-empty">
        No cost in this range{v.filters.length ? " with these filters" : ""}. Months with data: see the month list above.
      </p>
    );
  }

  const top = list.slice(0, kSeries);
  const label = `${METRICS.find(([m]) => m === v.metric)?.[1] ?? v.metric} cost ${v.groupBy ? `by ${dimLabel(v.groupBy)}` : ""}, ${v.from} to ${addDays(v.to, -1)}: total ${money(fromCents(grand), currency)}; ${top
    .map((g) => `${keyLabel(g.key, v.groupBy)} ${money(fromCents(g.total), currency)}`)
    .join(", ")}`;
  let chart;
  if (v.granularity === "total") {
    const bars = top.map((g, i) => ({ name: keyLabel(g.key, v.groupBy), value: g.total, className: `cs-${i}` }));
    const other = grand - top.reduce((a, g) => a + g.total, 0);
    if (hasOther) bars.push({ name: "Other", value: other, className: "cs-other" });
    chart = <HBars bars={bars} currency={currency} label={label} testid="explorer-chart" />;
  } else {
    const series: Series[] = top.map((g, i) => ({ name: keyLabel(g.key, v.groupBy), values: periods.map((p) => g.byPeriod.get(p) ?? 0), className: `cs-${i}` }));
    const other = otherByPeriod(top);
    if (hasOther) series.push({ name: "Other", values: other, className: "cs-other" });
    chart = <StackedColumns periods={periods} series={series} currency={currency} label={label} testid="explorer-chart" periodLabel={v.granularity === "month" ? (p) => p.slice(0, 7) : undefined} />;
  }
  const legend = [...top.map((g, i) => [keyLabel(g.key, v.groupBy), `cs-${i}`]), ...(hasOther ? [["Other", "cs-other"]] : [])];
  const pivot = v.granularity !== "total" && periods.length <= kMaxPivot;
  const cell = (c: number) => money(fromCents(c), currency);

  return (
    <>
      {chart}
      <ul class="pa-legend" aria-label="Legend">
        {legend.map(([name, cls]) => (
          <li key={name}>
            <span class={`pa-swatch ${cls}`} aria-hidden="true" /> {name}
          </li>
        ))}
      </ul>
      <div class="cost-table-head">
        <p class="muted small" data-testid="explorer-total">
          Total <strong data-amount={fromCents(grand)}>{cell(grand)}</strong>
          {v.groupBy && ` · ${truncated ? `the ${kTableGroups} largest groups` : plural(list.length, "group")}`} · {grouped.data.rowsScanned.toLocaleString()} line items scanned in{" "}
          {Math.round(grouped.data.tookMs)} ms
        </p>
        <a class="button small" href={csv} download={`cost-${v.from}-${v.to}.csv`} data-testid="explorer-csv">
          Download CSV
        </a>
      </div>
      <TableWrap label="Cost table">
        <table class="data cost-table" data-testid="explorer-table">
          <thead>
            <tr>
              <th scope="col">{v.groupBy ? dimLabel(v.groupBy) : "Cost"}</th>
              {pivot &&
                periods.map((p) => (
                  <th scope="col" class="num" key={p}>
                    {v.granularity === "month" ? p.slice(0, 7) : p.slice(5)}
                  </th>
                ))}
              <th scope="col" class="num">
                Total
              </th>
              <th scope="col" class="num">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {v.groupBy &&
              list.map((g) => (
                <tr key={g.key} data-group={g.key}>
                  <th scope="row">
                    <span class="cost-key">{keyLabel(g.key, v.groupBy)}</span>{" "}
                    <button type="button" class="button subtle small cost-drill" aria-label={`Only ${keyLabel(g.key, v.groupBy)}`} title="Filter to this group" onClick={() => onFilter(g.key)}>
                      filter
                    </button>
                  </th>
                  {pivot &&
                    periods.map((p) => (
                      <td class="num" key={p}>
                        {g.byPeriod.has(p) ? cell(g.byPeriod.get(p)!) : ""}
                      </td>
                    ))}
                  <td class="num" data-amount={fromCents(g.total)}>
                    {cell(g.total)}
                  </td>
                  <td class="num">{grand ? pctText((g.total / grand) * 100) : "—"}</td>
                </tr>
              ))}
            {v.groupBy && restTotal !== 0 && (
              <tr data-group="(other)">
                <th scope="row" class="muted">
                  Other groups
                </th>
                {pivot &&
                  rest.map((c, i) => (
                    <td class="num" key={periods[i]}>
                      {c ? cell(c) : ""}
                    </td>
                  ))}
                <td class="num">{cell(restTotal)}</td>
                <td class="num">{grand ? pctText((restTotal / grand) * 100) : "—"}</td>
              </tr>
            )}
          </tbody>
          <tfoot>
            <tr class="cost-total-row">
              <th scope="row">Total</th>
              {pivot &&
                periods.map((p) => (
                  <td class="num" key={p}>
                    {cell(periodTotal.get(p) ?? 0)}
                  </td>
                ))}
              <td class="num" data-amount={fromCents(grand)}>
                {cell(grand)}
              </td>
              <td class="num">{grand ? "100%" : "—"}</td>
            </tr>
          </tfoot>
        </table>
      </TableWrap>
      {!pivot && v.granularity !== "total" && <p class="muted small">{plural(periods.length, "period")}: the table shows totals; the CSV has every period.</p>}
    </>
  );
}
