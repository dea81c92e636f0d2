// Unit costs: the cost of a team or service divided by a business metric (requests, customers,
// transactions) pushed through the API or read from Prometheus, per month, with the trend.

import { get } from "../api";
import { Change, CostTabs, hasCostData, money, NoCostData, pctText, ScopeLink, unitMoney, useCostSummary } from "../components/cost";
import { Sparkline } from "../components/cost_charts";
import type { UnitMetric } from "../components/cost_types";
import { TableWrap } from "../components/sort";
import { EmptyState, ErrorMessage, Loading, PageHeader } from "../components/ui";
import { useAsync, useTitle } from "../hooks";

function NoUnitMetrics() {
  return (
    <EmptyState title="No unit metrics yet">
      <p>
        Declare one as YAML (kind <code>UnitMetric</code>: a team or service, the unit, and where its daily counts come from) and run{" "}
        <code>plinth apply</code>; push counts with <code>POST /api/v1/cost/unit-metrics/NAME/points</code> or let plinth read them from Prometheus.
      </p>
    </EmptyState>
  );
}

// "per 1,000 requests", "per customer".
function perText(m: Pick<UnitMetric, "unit" | "per">): string {
  return m.per > 1 ? `per ${m.per.toLocaleString()} ${m.unit}s` : `per ${m.unit}`;
}

export function CostUnitPage() {
  useTitle("Unit costs");
  const summary = useCostSummary("");
  const data = useAsync((signal) => get<{ metrics: UnitMetric[] }>("/api/v1/cost/unit-costs", signal), []);
  const metrics = data.data?.metrics ?? [];
  const currency = summary.data?.currency ?? "USD";
  return (
    <>
      <PageHeader title="Unit costs" subtitle="What one request, customer or transaction costs, month by month." />
      <CostTabs />
      {data.error || summary.error ? (
        <ErrorMessage error={data.error ?? summary.error} />
      ) : !data.data || !summary.data ? (
        <Loading />
      ) : !hasCostData(summary.data) ? (
        <NoCostData />
      ) : !metrics.length ? (
        <NoUnitMetrics />
      ) : (
        <>
          <TableWrap label="Unit costs">
            <table class="data" data-testid="unit-costs">
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col">Scope</th>
                  <th scope="col" class="num">
                    Latest unit cost
                  </th>
                  <th scope="col" class="num">
                    Change
                  </th>
                  <th scope="col">Trend</th>
                </tr>
              </thead>
              <tbody>
                {metrics.map((m) => {
                  const known = m.months.filter((x) => x.unitCost !== null);
                  const last = known[known.length - 1];
                  return (
                    <tr key={m.name} data-metric={m.name}>
                      <th scope="row">
                        <a href={`#unit-${m.name}`}>{m.name}</a>
                        <div class="muted small">
                          {perText(m)} · {m.source}
                        </div>
                      </th>
                      <td>
                        <ScopeLink scope={m.scope} />
                      </td>
                      <td class="num" data-testid="latest-unit-cost">
                        {last ? (
                          <>
                            {unitMoney(last.unitCost, currency)} <span class="muted small">{last.month}</span>
                          </>
                        ) : (
                          "—"
                        )}
                      </td>
                      <td class="num">
                        <Change pct={last?.changePct} />
                      </td>
                      <td>
                        <Sparkline values={m.months.map((x) => (x.unitCost === null ? null : Number(x.unitCost)))} label={`Unit cost of ${m.name} ${perText(m)}, ${m.months.map((x) => `${x.month} ${x.unitCost ?? "no data"}`).join(", ")}`} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableWrap>
          {metrics.map((m) => (
            <section class="card" key={m.name} id={`unit-${m.name}`} aria-labelledby={`h-unit-${m.name}`} data-metric={m.name}>
              <h2 id={`h-unit-${m.name}`}>
                {m.name} <span class="muted small">{perText(m)}</span>
              </h2>
              <TableWrap label={`Unit cost of ${m.name} per month`}>
                <table class="data cost-money" data-testid="unit-months">
                  <thead>
                    <tr>
                      <th scope="col">Month</th>
                      <th scope="col" class="num">
                        Cost
                      </th>
                      <th scope="col" class="num">
                        {m.unit[0].toUpperCase() + m.unit.slice(1)}s
                      </th>
                      <th scope="col" class="num">
                        Unit cost ({perText(m)})
                      </th>
                      <th scope="col" class="num">
                        Change
                      </th>
                      <th scope="col" class="num">
                        Days with counts
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...m.months].reverse().map((x) => (
                      <tr key={x.month} data-month={x.month}>
                        <th scope="row">{x.month}</th>
                        <td class="num">{money(x.cost, currency)}</td>
                        <td class="num">{x.units === null || x.units === undefined ? "—" : Number(x.units).toLocaleString()}</td>
                        <td class="num">{unitMoney(x.unitCost, currency)}</td>
                        <td class="num">
                          <Change pct={x.changePct} />
                        </td>
                        <td class={`num${x.coveragePct !== null && x.coveragePct < 90 ? " warn" : ""}`}>{pctText(x.coveragePct, 0)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
              <p class="muted small">A month with counts on fewer days than it has gives a unit cost that is too high; such months are marked.</p>
            </section>
          ))}
        </>
      )}
    </>
  );
}
