// Budgets: each budget's spend so far against its amount, the forecast to the period's end,
// its thresholds (on actual or forecast spend) and when they were crossed, and the cumulative
// daily spend over the period. "As of" looks at an earlier month's periods.

import { get, qs } from "../api";
import { BudgetBadge, cents, CostTabs, hasCostData, money, monthLabel, NoCostData, pctText, ScopeLink, todayUtc, useCostSummary, addDays, addMonths } from "../components/cost";
import { CumulativeChart } from "../components/cost_charts";
import type { Budget } from "../components/cost_types";
import { TableWrap } from "../components/sort";
import { EmptyState, ErrorMessage, Facts, Loading, PageHeader } from "../components/ui";
import { plural } from "../format";
import { useAsync, useTitle } from "../hooks";
import { location, navigate } from "../router";
import { useStore } from "../store";

function NoBudgets() {
  return (
    <EmptyState title="No budgets yet">
      <p>
        Declare budgets as YAML (kind <code>Budget</code>: a scope — the organisation, a team, a service or a tag —, monthly or quarterly, an amount and
        thresholds on actual or forecast spend) and run <code>plinth apply -f budgets/</code>.
      </p>
    </EmptyState>
  );
}

// The day budgets are looked at for `month` ("" for today): its last day, or today if earlier.
function atOf(month: string): string {
  const today = todayUtc();
  if (!month) return today;
  const last = addDays(addMonths(month, 1) + "-01", -1);
  return last < today ? last : today;
}

export function CostBudgetsPage() {
  useTitle("Budgets");
  const loc = useStore(location);
  const month = new URLSearchParams(loc.search).get("month") ?? "";
  const summary = useCostSummary("");
  const at = atOf(month);
  const budgets = useAsync((signal) => get<{ budgets: Budget[] }>(`/api/v1/cost/budgets${qs({ at })}`, signal), [at]);
  const s = summary.data;
  const list = budgets.data?.budgets ?? [];
  const months = [...(s?.monthsAvailable ?? [])].sort().reverse();

  return (
    <>
      <PageHeader title="Budgets" subtitle="Spend against each budget, the forecast to the end of its period, and the thresholds that alert." />
      <CostTabs />
      {summary.error || budgets.error ? (
        <ErrorMessage error={summary.error ?? budgets.error} />
      ) : !s || !budgets.data ? (
        <Loading />
      ) : !list.length ? (
        hasCostData(s) ? <NoBudgets /> : <NoCostData />
      ) : (
        <>
          <form class="filters" aria-label="Options" onSubmit={(e) => e.preventDefault()}>
            <div class="field">
              <label for="bg-at">As of</label>
              <select id="bg-at" value={month} onChange={(e) => navigate(`/cost/budgets${qs({ month: (e.target as HTMLSelectElement).value })}`, { replace: true })}>
                <option value="">Today</option>
                {months.map((m) => (
                  <option value={m} key={m}>
                    End of {monthLabel(m)}
                  </option>
                ))}
              </select>
            </div>
          </form>
          {!hasCostData(s) && <NoCostData />}
          <p class="muted small">
            As of {at}: {plural(list.length, "budget")} · {plural(list.filter((b) => b.status === "over").length, "over", "over")} ·{" "}
            {plural(list.filter((b) => b.status === "at risk").length, "at risk", "at risk")}
          </p>
          <div class="cost-budgets-overview">
            <TableWrap label="Budgets">
              <table class="data cost-money" data-testid="budgets-table">
                <thead>
                  <tr>
                    <th scope="col">Budget</th>
                    <th scope="col">Scope</th>
                    <th scope="col" class="num">
                      Amount
                    </th>
                    <th scope="col" class="num">
                      Actual
                    </th>
                    <th scope="col" class="num">
                      Forecast
                    </th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((b) => (
                    <tr key={b.name} data-budget={b.name} data-status={b.status}>
                      <th scope="row">
                        <a href={`#budget-${b.name}`}>{b.name}</a>
                        <div class="muted small">{b.period}</div>
                      </th>
                      <td>
                        <ScopeLink scope={b.scope} />
                      </td>
                      <td class="num">{money(b.amount, b.currency)}</td>
                      <td class="num">
                        {money(b.actual, b.currency)} <span class="muted small">({pctText(b.percentUsed, 0)})</span>
                      </td>
                      <td class={`num${b.forecastPct > 100 ? " warn" : ""}`}>
                        {money(b.forecast, b.currency)} <span class="muted small">({pctText(b.forecastPct, 0)})</span>
                      </td>
                      <td>
                        <BudgetBadge status={b.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </div>
          {list.map((b) => (
            <BudgetCard key={b.name} b={b} />
          ))}
        </>
      )}
    </>
  );
}

// Spend as a bar against the amount (the end of the track), the thresholds as ticks and the
// forecast as a marker.
function BudgetBar({ b }: { b: Budget }) {
  const scale = Math.max(100, b.percentUsed, b.forecastPct) * 1.04;
  const x = (p: number) => `${((Math.max(0, p) / scale) * 100).toFixed(2)}%`;
  const cls = b.status === "over" ? "bb-over" : b.status === "at risk" ? "bb-risk" : "bb-ok";
  return (
    <div class={`cost-budget-bar ${cls}`} role="img" aria-label={`${pctText(b.percentUsed, 0)} of the budget spent, ${pctText(b.forecastPct, 0)} forecast`} data-testid="budget-bar">
      <div class="bb-track" style={{ width: x(100) }} />
      <div class="bb-fill" style={{ width: x(b.percentUsed) }} />
      {b.thresholds.map((t) => (
        <div key={`${t.basis}-${t.percent}`} class={`bb-threshold${t.crossed ? " crossed" : ""}`} style={{ left: x(t.percent) }} />
      ))}
      <div class="bb-forecast" style={{ left: x(b.forecastPct) }} data-testid="forecast-marker" title={`forecast ${pctText(b.forecastPct, 0)}`} />
    </div>
  );
}

function BudgetCard({ b }: { b: Budget }) {
  const amount = cents(b.amount);
  return (
    <section class="card cost-budget" id={`budget-${b.name}`} aria-labelledby={`h-budget-${b.name}`} data-budget={b.name} data-testid="budget-card">
      <h2 id={`h-budget-${b.name}`}>
        {b.name} <BudgetBadge status={b.status} />
      </h2>
      <BudgetBar b={b} />
      <div class="grid">
        <Facts
          rows={[
            ["Scope", <ScopeLink scope={b.scope} key="s" />],
            ["Period", `${b.period}: ${b.periodStart} to ${addDays(b.periodEnd, -1)}`],
            ["Amount", money(b.amount, b.currency)],
            ["Actual", `${money(b.actual, b.currency)} (${pctText(b.percentUsed)})`],
            ["Forecast", `${money(b.forecast, b.currency)} (${pctText(b.forecastPct)})`],
          ]}
        />
        <TableWrap label={`Thresholds of ${b.name}`}>
          <table class="data" data-testid="budget-thresholds">
            <thead>
              <tr>
                <th scope="col">Threshold</th>
                <th scope="col">Crossed</th>
              </tr>
            </thead>
            <tbody>
              {b.thresholds.map((t) => (
                <tr key={`${t.basis}-${t.percent}`} data-threshold={`${t.percent}-${t.basis}`} data-crossed={String(t.crossed)}>
                  <th scope="row">
                    {t.percent}% of the amount, {t.basis}
                  </th>
                  <td class={t.crossed ? "warn" : "muted"}>{t.crossed ? (t.crossedDay ? `on ${t.crossedDay}` : "yes") : "not yet"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </div>
      <CumulativeChart
        start={b.periodStart}
        end={b.periodEnd}
        cumulative={b.daily.map((d) => ({ day: d.day, value: cents(d.cumulative) }))}
        amount={amount}
        forecast={cents(b.forecast)}
        thresholds={b.thresholds.map((t) => t.percent)}
        currency={b.currency}
        label={`Cumulative spend of ${b.name} from ${b.periodStart}: ${money(b.actual, b.currency)} of ${money(b.amount, b.currency)}, forecast ${money(b.forecast, b.currency)}`}
      />
      <ul class="pa-legend">
        <li>
          <span class="pa-swatch cc-swatch-line" aria-hidden="true" /> cumulative spend
        </li>
        <li>
          <span class="pa-swatch cc-swatch-forecast" aria-hidden="true" /> forecast
        </li>
        <li>
          <span class="pa-swatch cc-swatch-budget" aria-hidden="true" /> amount
        </li>
      </ul>
    </section>
  );
}
