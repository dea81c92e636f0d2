// The monthly cost review: spend against budget and last month per team, the top movers, the
// month's anomalies, unallocated spend, unit costs and the action items — what to take to the
// review meeting — with the same report as a printable page, CSV and XLSX.

import { enc, get, qs } from "../api";
import { Change, CostTabs, ExportLinks, hasCostData, Kpi, money, monthLabel, MonthSelect, NoCostData, pctText, ResourceName, spendLabel, inProgress, unitMoney, useCostSummary, addMonths, cents, changePct } from "../components/cost";
import type { CostReview, CostSummary } from "../components/cost_types";
import { TableWrap } from "../components/sort";
import { ErrorMessage, Loading, PageHeader } from "../components/ui";
import { useAsync, useTitle } from "../hooks";
import { Link, location, navigate } from "../router";
import { useStore } from "../store";
import { FeedbackBadge } from "./cost_anomalies";

// The review looks back: by default at the last whole month (the summary's month is the one in
// progress), unless there is no data before it.
function defaultMonth(s: CostSummary): string {
  const prev = addMonths(s.month, -1);
  return inProgress(s.month) && s.monthsAvailable.includes(prev) ? prev : s.month;
}

export function CostReviewPage() {
  useTitle("Monthly cost review");
  const loc = useStore(location);
  const params = new URLSearchParams(loc.search);
  const summary = useCostSummary(params.get("month") ?? "");
  const s = summary.data;
  const month = params.get("month") || (s ? defaultMonth(s) : "");
  const review = useAsync((signal) => (month ? get<CostReview>(`/api/v1/cost/review${qs({ month })}`, signal) : Promise.resolve(undefined)), [month]);
  const r = review.data;
  return (
    <>
      <PageHeader title="Monthly cost review" subtitle="Spend against budget and last month, what moved, anomalies, unallocated spend and what to do about them." />
      <CostTabs />
      {summary.error ? (
        <ErrorMessage error={summary.error} />
      ) : !s ? (
        <Loading />
      ) : !hasCostData(s) ? (
        <NoCostData />
      ) : (
        <>
          <form class="filters" aria-label="Report options" onSubmit={(e) => e.preventDefault()}>
            <MonthSelect id="rv-month" months={s.monthsAvailable} value={month} onChange={(m) => navigate(`/cost/review${qs({ month: m })}`, { replace: true })} />
            <div class="field report-links">
              <ExportLinks
                base="/api/v1/cost/review"
                params={{ month }}
                formats={[
                  ["html", "Printable page"],
                  ["csv", "Download CSV"],
                  ["xlsx", "Download XLSX"],
                ]}
                name={`cost-review-${month}`}
              />
            </div>
          </form>
          {review.error ? <ErrorMessage error={review.error} /> : !r || review.loading ? <Loading /> : <Review r={r} />}
        </>
      )}
    </>
  );
}

function Review({ r }: { r: CostReview }) {
  const cur = r.currency;
  const prev = addMonths(r.month, -1);
  return (
    <>
      <div class="pa-stats cost-kpis">
        <Kpi label={spendLabel(r.month)} testid="review-total">
          <span data-amount={r.total}>{money(r.total, cur)}</span>
        </Kpi>
        <Kpi label={`Against ${monthLabel(prev)}`} testid="review-change" detail={money(r.previousTotal, cur)}>
          <Change pct={changePct(cents(r.total), cents(r.previousTotal))} />
        </Kpi>
        <Kpi label="Against budgets" testid="review-budget" detail={cents(r.budgetTotal) ? `team budgets total ${money(r.budgetTotal, cur)}` : "no team budgets"}>
          {r.budgetTotal && cents(r.budgetTotal) ? pctText((cents(r.total) / cents(r.budgetTotal)) * 100, 0) : "—"}
        </Kpi>
        <Kpi label="Unallocated" testid="review-unallocated" detail={`${pctText(r.unallocated.pct)} of spend`}>
          {money(r.unallocated.amount, cur)}
        </Kpi>
        <Kpi label="Anomalies" testid="review-anomalies">
          {r.anomalies.length}
        </Kpi>
      </div>
      <section class="card" aria-labelledby="h-rv-actions">
        <h2 id="h-rv-actions">Action items</h2>
        {r.actions.length ? (
          <ol class="cost-actions" data-testid="review-actions">
            {r.actions.map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ol>
        ) : (
          <p class="muted">Nothing to act on this month.</p>
        )}
      </section>
      <section class="card" aria-labelledby="h-rv-teams">
        <h2 id="h-rv-teams">Per team</h2>
        <TableWrap label="Spend per team">
          <table class="data cost-money" data-testid="review-teams">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col" class="num">
                  {monthLabel(r.month)}
                </th>
                <th scope="col" class="num">
                  {monthLabel(prev)}
                </th>
                <th scope="col" class="num">
                  Change
                </th>
                <th scope="col" class="num">
                  Budget
                </th>
                <th scope="col" class="num">
                  Of budget
                </th>
              </tr>
            </thead>
            <tbody>
              {r.teams.map((t) => (
                <tr key={t.team} data-team={t.team}>
                  <th scope="row">{t.team ? <Link href={`/teams/${enc(t.team)}`}>{t.team}</Link> : <span class="muted">unallocated</span>}</th>
                  <td class="num">{money(t.actual, cur)}</td>
                  <td class="num">{money(t.previous, cur)}</td>
                  <td class="num">
                    <Change pct={t.changePct} />
                  </td>
                  <td class="num">{money(t.budget, cur)}</td>
                  <td class={`num${t.budgetPct !== null && t.budgetPct > 100 ? " warn" : ""}`}>{pctText(t.budgetPct, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
      <div class="grid">
        <section class="card" aria-labelledby="h-rv-movers">
          <h2 id="h-rv-movers">Top movers</h2>
          {!r.topMovers.length ? (
            <p class="muted">Nothing moved.</p>
          ) : (
            <TableWrap label="Top movers">
              <table class="data cost-money" data-testid="review-movers">
                <thead>
                  <tr>
                    <th scope="col">What</th>
                    <th scope="col" class="num">
                      Change
                    </th>
                    <th scope="col" class="num">
                      Now
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {r.topMovers.map((m) => (
                    <tr key={`${m.dimension}/${m.value}`} data-dimension={m.dimension} data-value={m.value}>
                      <th scope="row">
                        {m.value} <span class="muted small">{m.dimension}</span>
                      </th>
                      <td class={`num ${cents(m.change) > 0 ? "cost-up" : "cost-down"}`}>
                        {cents(m.change) > 0 ? "+" : ""}
                        {money(m.change, cur)}
                      </td>
                      <td class="num">
                        {money(m.current, cur)} <span class="muted small">from {money(m.previous, cur)}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </section>
        <section class="card" aria-labelledby="h-rv-unit">
          <h2 id="h-rv-unit">Unit costs</h2>
          {!r.unitCosts.length ? (
            <p class="muted">
              No unit metrics. <Link href="/cost/unit">About unit costs</Link>
            </p>
          ) : (
            <TableWrap label="Unit costs">
              <table class="data cost-money" data-testid="review-unit-costs">
                <thead>
                  <tr>
                    <th scope="col">Metric</th>
                    <th scope="col" class="num">
                      Unit cost
                    </th>
                    <th scope="col" class="num">
                      Change
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {r.unitCosts.map((u) => (
                    <tr key={u.name} data-metric={u.name}>
                      <th scope="row">
                        {u.name}
                        <div class="muted small">{u.per > 1 ? `per ${u.per.toLocaleString()} ${u.unit}s` : `per ${u.unit}`}</div>
                      </th>
                      <td class="num">{unitMoney(u.unitCost, cur)}</td>
                      <td class="num">
                        <Change pct={u.changePct} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </section>
      </div>
      <section class="card" aria-labelledby="h-rv-anomalies">
        <h2 id="h-rv-anomalies">Anomalies</h2>
        {!r.anomalies.length ? (
          <p class="muted">No anomalies this month.</p>
        ) : (
          <TableWrap label="Anomalies">
            <table class="data cost-money" data-testid="review-anomalies-table">
              <thead>
                <tr>
                  <th scope="col">Anomaly</th>
                  <th scope="col">Start</th>
                  <th scope="col" class="num">
                    Impact
                  </th>
                  <th scope="col">Top cause</th>
                  <th scope="col">Feedback</th>
                </tr>
              </thead>
              <tbody>
                {r.anomalies.map((a) => (
                  <tr key={a.id} data-anomaly={a.id}>
                    <th scope="row">
                      <Link href={`/cost/anomalies/${enc(String(a.id))}`}>
                        {a.monitor} {a.value}
                      </Link>
                    </th>
                    <td>{a.start}</td>
                    <td class="num warn">{money(a.impact, cur)}</td>
                    <td class="small cost-cause">{a.topCause}</td>
                    <td>
                      <FeedbackBadge feedback={a.feedback} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <section class="card" aria-labelledby="h-rv-unalloc">
        <h2 id="h-rv-unalloc">Unallocated spend</h2>
        <p>
          {money(r.unallocated.amount, cur)} ({pctText(r.unallocated.pct)} of the month) is not allocated to a team.{" "}
          <Link href={`/cost/showback?month=${r.month}`}>Showback</Link>
        </p>
        {r.unallocated.topResources.length > 0 && (
          <TableWrap label="Largest unallocated resources">
            <table class="data cost-money" data-testid="review-unallocated-resources">
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
                      <ResourceName id={x.resourceId} name={x.name} />
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
      </section>
    </>
  );
}
