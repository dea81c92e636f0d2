// Cost anomalies: the list (open ones, or all) and one anomaly's page — daily spend against
// the expected band around it, the root causes ranked by their part of the impact (service,
// account, region, SKU), and feedback (expected, unexpected, planned) that closes it and
// keeps the same pattern from alerting again.

import { useEffect, useState } from "preact/hooks";
import { ApiError, enc, get, qs, request } from "../api";
import { cents, Change, CostTabs, fromCents, hasCostData, money, NoCostData, pctText, useCostSummary } from "../components/cost";
import { BandChart } from "../components/cost_charts";
import type { Anomaly, AnomalyDetail, AnomalyFeedback } from "../components/cost_types";
import { TableWrap } from "../components/sort";
import { EmptyState, ErrorMessage, Facts, Loading, PageHeader } from "../components/ui";
import { plural } from "../format";
import { useAsync, useTitle } from "../hooks";
import type { PageProps } from "../pages";
import { Link, location, navigate } from "../router";
import { allows, session } from "../session";
import { useStore } from "../store";

const FEEDBACK: [AnomalyFeedback, string, string][] = [
  ["expected", "Expected", "A known change in usage: accept this level of spend."],
  ["unexpected", "Unexpected", "A real problem: keep alerting on it."],
  ["planned", "Planned", "A planned change (a migration, a launch)."],
];

export function FeedbackBadge({ feedback }: { feedback: AnomalyFeedback | null }) {
  if (!feedback) return <span class="badge badge-none" data-testid="anomaly-feedback">open</span>;
  return (
    <span class={`badge cost-fb cost-fb-${feedback}`} data-testid="anomaly-feedback">
      {feedback}
    </span>
  );
}

// The anomaly's days (its end is the last day, inclusive).
function period(a: Anomaly): string {
  return !a.end || a.end <= a.start ? a.start : `${a.start} to ${a.end}`;
}

function monitorText(a: Anomaly): string {
  return `${a.monitor} ${a.value}`;
}

export function CostAnomaliesPage() {
  useTitle("Cost anomalies");
  const loc = useStore(location);
  const state = new URLSearchParams(loc.search).get("state") === "all" ? "all" : "open";
  const summary = useCostSummary("");
  const list = useAsync((signal) => get<{ anomalies: Anomaly[] }>(`/api/v1/cost/anomalies${qs({ state })}`, signal), [state]);
  const items = list.data?.anomalies ?? [];
  return (
    <>
      <PageHeader title="Cost anomalies" subtitle="Daily spend that departed from what its history predicted, with what caused it." />
      <CostTabs />
      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="an-state">Show</label>
          <select id="an-state" value={state} onChange={(e) => navigate(`/cost/anomalies${(e.target as HTMLSelectElement).value === "all" ? "?state=all" : ""}`, { replace: true })}>
            <option value="open">Open (no feedback yet)</option>
            <option value="all">All</option>
          </select>
        </div>
      </form>
      {list.error || summary.error ? (
        <ErrorMessage error={list.error ?? summary.error} />
      ) : !list.data || !summary.data ? (
        <Loading />
      ) : !items.length ? (
        !hasCostData(summary.data) ? (
          <NoCostData />
        ) : (
          <EmptyState title={state === "open" ? "No open anomalies" : "No anomalies"}>
            <p>
              Spend is within what its history predicts.{" "}
              {state === "open" && <Link href="/cost/anomalies?state=all">Show every anomaly, with feedback given</Link>}
            </p>
          </EmptyState>
        )
      ) : (
        <>
          <p class="muted small">
            {plural(items.length, state === "open" ? "open anomaly" : "anomaly", state === "open" ? "open anomalies" : "anomalies")}, total impact{" "}
            {money(fromCents(items.reduce((s, a) => s + cents(a.impact), 0)), items[0].currency)}
          </p>
          <TableWrap label="Cost anomalies">
            <table class="data cost-money" data-testid="anomalies-table">
              <thead>
                <tr>
                  <th scope="col">Anomaly</th>
                  <th scope="col">When</th>
                  <th scope="col" class="num">
                    Impact
                  </th>
                  <th scope="col" class="num">
                    Actual / expected
                  </th>
                  <th scope="col">Top cause</th>
                  <th scope="col">Feedback</th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => (
                  <tr key={a.id} data-anomaly={a.id} data-feedback={a.feedback ?? ""}>
                    <th scope="row">
                      <Link href={`/cost/anomalies/${enc(String(a.id))}`}>{monitorText(a)}</Link>
                    </th>
                    <td>{period(a)}</td>
                    <td class="num warn">
                      {money(a.impact, a.currency)} <span class="small">({pctText(a.impactPct, 0)})</span>
                    </td>
                    <td class="num">
                      {money(a.actual, a.currency)} <span class="muted small">/ {money(a.expected, a.currency)}</span>
                    </td>
                    <td class="small cost-cause">{a.topCause}</td>
                    <td>
                      <FeedbackBadge feedback={a.feedback} />
                    </td>
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

// May the user give feedback? The API asks for the responder role for every team (a grant
// without a team), as anomalies are not scoped to one.
function canGiveFeedback(): boolean {
  return allows(session.get(), "responder");
}

export function CostAnomalyPage({ params }: PageProps) {
  const id = params.id;
  const loaded = useAsync((signal) => get<AnomalyDetail>(`/api/v1/cost/anomalies/${enc(id)}`, signal), [id]);
  const [a, setA] = useState<AnomalyDetail | undefined>(undefined);
  useEffect(() => setA(loaded.data), [loaded.data]);
  useTitle(a ? `Anomaly: ${monitorText(a)}` : "Cost anomaly");
  if (loaded.error) {
    return (
      <>
        <PageHeader title="Cost anomaly" />
        <CostTabs />
        <ErrorMessage error={loaded.error} what={`The anomaly ${id}`} />
      </>
    );
  }
  if (!a) return <Loading />;
  const cur = a.currency;
  const orNull = (v: string | null) => (v === null || v === undefined ? null : cents(v));
  const points = a.series.map((p) => ({ day: p.day, actual: cents(p.actual), expected: orNull(p.expected), lower: orNull(p.lower), upper: orNull(p.upper) }));
  return (
    <>
      <PageHeader
        title={`Anomaly: ${monitorText(a)}`}
        subtitle={
          <>
            {period(a)} · <FeedbackBadge feedback={a.feedback} />
          </>
        }
        actions={
          <Link class="button" href="/cost/anomalies">
            All anomalies
          </Link>
        }
      />
      <CostTabs />
      <div class="grid">
        <section class="card" aria-labelledby="h-an-facts">
          <h2 id="h-an-facts">What happened</h2>
          <Facts
            rows={[
              ["Monitor", `${a.monitor}: ${a.value}`],
              ["Period", period(a)],
              ["Peak day", a.peak],
              ["Actual spend", money(a.actual, cur)],
              ["Expected", money(a.expected, cur)],
              [
                "Impact",
                <span key="i" data-testid="anomaly-impact" data-amount={a.impact}>
                  {money(a.impact, cur)} <Change pct={a.impactPct} />
                </span>,
              ],
              ["Top cause", a.topCause],
            ]}
          />
        </section>
        <Feedback a={a} onChange={setA} />
      </div>
      <section class="card" aria-labelledby="h-an-chart">
        <h2 id="h-an-chart">Daily spend against the expected range</h2>
        {points.length ? (
          <>
            <BandChart
              points={points}
              from={a.start}
              to={a.end}
              currency={cur}
              label={`Daily spend of ${monitorText(a)} from ${points[0].day} to ${points[points.length - 1].day} against the expected range; the anomaly ${period(a)}: ${money(a.actual, cur)} spent, ${money(a.expected, cur)} expected`}
            />
            <ul class="pa-legend">
              <li>
                <span class="pa-swatch cc-swatch-line" aria-hidden="true" /> actual
              </li>
              <li>
                <span class="pa-swatch cc-swatch-expected" aria-hidden="true" /> expected
              </li>
              <li>
                <span class="pa-swatch cc-swatch-band" aria-hidden="true" /> expected range
              </li>
              <li>
                <span class="pa-swatch cc-swatch-anomaly" aria-hidden="true" /> the anomaly
              </li>
            </ul>
          </>
        ) : (
          <p class="muted">No daily figures around this anomaly.</p>
        )}
      </section>
      <section class="card" aria-labelledby="h-an-causes">
        <h2 id="h-an-causes">Root causes</h2>
        {!a.rootCauses.length ? (
          <p class="muted">No single service, account, region or SKU stands out.</p>
        ) : (
          <TableWrap label="Root causes">
            <table class="data nowrap" data-testid="root-causes">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Account</th>
                  <th scope="col">Region</th>
                  <th scope="col">SKU</th>
                  <th scope="col" class="num">
                    Actual
                  </th>
                  <th scope="col" class="num">
                    Expected
                  </th>
                  <th scope="col" class="num">
                    Impact
                  </th>
                  <th scope="col" class="num">
                    Share
                  </th>
                </tr>
              </thead>
              <tbody>
                {a.rootCauses.map((c, i) => (
                  <tr key={i} data-service={c.service} data-usage={c.usage}>
                    <th scope="row">{c.service}</th>
                    <td class="mono">{c.account}</td>
                    <td>{c.region}</td>
                    <td class="cost-cause">{c.usage}</td>
                    <td class="num">{money(c.actual, cur)}</td>
                    <td class="num">{money(c.expected, cur)}</td>
                    <td class="num">{money(c.impact, cur)}</td>
                    <td class="num">{pctText(c.sharePct, 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <p class="muted small">Ranked by their part of the impact: the difference between what was spent and what was expected.</p>
      </section>
    </>
  );
}

function Feedback({ a, onChange }: { a: AnomalyDetail; onChange: (a: AnomalyDetail) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [done, setDone] = useState("");
  const allowed = canGiveFeedback();
  const send = async (feedback: AnomalyFeedback) => {
    setBusy(true);
    setError("");
    setDone("");
    try {
      const r = await request<Anomaly>("POST", `/api/v1/cost/anomalies/${enc(String(a.id))}/feedback`, { body: { feedback } });
      onChange({ ...a, ...r.data, rootCauses: (r.data as AnomalyDetail).rootCauses ?? a.rootCauses, series: (r.data as AnomalyDetail).series ?? a.series });
      setDone(`Marked ${feedback}.`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="h-an-feedback" data-testid="anomaly-feedback-card">
      <h2 id="h-an-feedback">Feedback</h2>
      <p>
        {a.feedback ? (
          <>
            Marked <FeedbackBadge feedback={a.feedback} />.
          </>
        ) : (
          "Nobody has said yet whether this was expected."
        )}
      </p>
      {allowed ? (
        <>
          <div class="button-group cost-feedback" role="group" aria-label="Feedback">
            {FEEDBACK.map(([value, label, hint]) => (
              <button key={value} type="button" class="button" aria-pressed={a.feedback === value} disabled={busy} title={hint} onClick={() => send(value)}>
                {label}
              </button>
            ))}
          </div>
          <p class="muted small">Expected and planned accept this level of spend: later days up to it do not alert again for 90 days. Unexpected confirms a problem.</p>
        </>
      ) : (
        <p class="muted small" data-testid="feedback-read-only">
          Responders for every team (and managers, admins) give feedback; you can read it.
        </p>
      )}
      {done && (
        <p class="ok" role="status">
          {done}
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
