// Parts shared by the cost pages: money and percentage formats, months, the tabs between the
// cost pages, the empty state before any cost data is imported, KPI tiles and badges.

import "../styles/cost.css";
import type { ComponentChildren } from "preact";
import { get, qs } from "../api";
import { useAsync, type Async } from "../hooks";
import { Link, location } from "../router";
import { useStore } from "../store";
import { EmptyState } from "./ui";
import type { Amount, BudgetStatus, CostScope, CostSummary } from "./cost_types";

// ---- Numbers ----

// An exact decimal string as a number of cents (for arithmetic and charts); 0 when absent.
export function cents(a: Amount | null | undefined): number {
  if (a === null || a === undefined || a === "") return 0;
  const v = Math.round(parseFloat(a) * 100);
  return isFinite(v) ? v : 0;
}

// Cents back to an exact decimal string: 123457 -> "1234.57".
export function fromCents(c: number): Amount {
  const sign = c < 0 ? "-" : "";
  const abs = Math.abs(Math.round(c));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, compact: boolean): Intl.NumberFormat {
  const key = `${currency}/${compact}`;
  let f = moneyFormats.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(undefined, compact ? { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 } : { style: "currency", currency });
    } catch {
      f = new Intl.NumberFormat(undefined, compact ? { notation: "compact", maximumFractionDigits: 1 } : { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyFormats.set(key, f);
  }
  return f;
}

// "1234.57" in USD -> "US$1,234.57" (the browser's locale); "—" when absent.
export function money(a: Amount | null | undefined, currency: string): string {
  if (a === null || a === undefined || a === "") return "—";
  const v = Number(a);
  return isFinite(v) ? moneyFormat(currency || "USD", false).format(v) : a;
}

// Unit costs can be fractions of a cent: show up to four decimals.
export function unitMoney(a: string | null, currency: string): string {
  if (a === null || a === undefined) return "—";
  const v = Number(a);
  if (!isFinite(v)) return a;
  if (Math.abs(v) >= 1) return money(a, currency);
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency, maximumSignificantDigits: 3 }).format(v);
  } catch {
    return a;
  }
}

// Cents for chart axes and labels: "US$12K".
export function moneyShort(c: number, currency: string): string {
  return moneyFormat(currency || "USD", true).format(c / 100);
}

// A percentage number as text: 12.345 -> "12.3%"; "—" when unknown.
export function pctText(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !isFinite(v)) return "—";
  return `${v.toFixed(digits)}%`;
}

// A change in percent with its sign and direction: spending more is the warning colour.
export function Change({ pct, testid }: { pct: number | null | undefined; testid?: string }) {
  if (pct === null || pct === undefined || !isFinite(pct)) {
    return (
      <span class="muted" data-testid={testid}>
        —
      </span>
    );
  }
  const up = pct > 0.05;
  const down = pct < -0.05;
  return (
    <span class={`cost-change ${up ? "cost-up" : down ? "cost-down" : ""}`} data-testid={testid}>
      <span aria-hidden="true">{up ? "▲ " : down ? "▼ " : ""}</span>
      {up ? "+" : ""}
      {pct.toFixed(1)}%
    </span>
  );
}

// The percentage change from `prev` to `cur` (cents), or null when there was nothing before.
export function changePct(cur: number, prev: number): number | null {
  return prev === 0 ? null : ((cur - prev) / Math.abs(prev)) * 100;
}

// ---- Months and days (UTC) ----

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

// "2026-10" -> "October 2026".
export function monthLabel(m: string): string {
  const [y, mo] = m.split("-");
  const name = MONTH_NAMES[Number(mo) - 1];
  return name ? `${name} ${y}` : m;
}

// "2026-10" shifted by `delta` months.
export function addMonths(m: string, delta: number): string {
  const [y, mo] = m.split("-").map(Number);
  const n = y * 12 + (mo - 1) + delta;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;
}

// "2026-10-31" shifted by `delta` days.
export function addDays(day: string, delta: number): string {
  const t = Date.parse(day + "T00:00:00Z") + delta * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

// Today's date, UTC.
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

// Is `m` ("2026-10") the month in progress (UTC)? Its figures are month to date.
export function inProgress(m: string): boolean {
  return m === todayUtc().slice(0, 7);
}

// "Spend in October 2026", or "Spend so far in November 2026" for the month in progress.
export function spendLabel(m: string): string {
  return `Spend ${inProgress(m) ? "so far " : ""}in ${monthLabel(m)}`;
}

// ---- Labels ----

export const METRICS: [string, string][] = [
  ["effective", "Effective (amortised)"],
  ["billed", "Billed"],
  ["list", "List"],
  ["contracted", "Contracted"],
];

// A budget's or unit metric's scope as people read it: "team payments", "organisation".
export function scopeText(s: CostScope | undefined): string {
  if (!s) return "";
  if (s.kind === "organization" || s.kind === "organisation") return "organisation";
  if (s.kind === "tag") return `tag ${s.name ?? ""}`;
  return `${s.kind} ${s.name ?? ""}`.trim();
}

// The scope as a link when it is a catalog team or service.
export function ScopeLink({ scope }: { scope: CostScope }) {
  if ((scope.kind === "team" || scope.kind === "service") && scope.name) {
    return (
      <>
        {scope.kind} <Link href={`/${scope.kind === "team" ? "teams" : "services"}/${encodeURIComponent(scope.name)}`}>{scope.name}</Link>
      </>
    );
  }
  return <>{scopeText(scope)}</>;
}

const BUDGET_CLASS: Record<BudgetStatus, string> = { ok: "slo-ok", "at risk": "slo-risk", over: "slo-exhausted" };

export function BudgetBadge({ status }: { status: BudgetStatus }) {
  return (
    <span class={`badge slo-badge ${BUDGET_CLASS[status] ?? ""}`} data-testid="budget-status">
      {status}
    </span>
  );
}

// ---- Page parts ----

const TABS: [string, string][] = [
  ["/cost", "Explorer"],
  ["/cost/showback", "Showback"],
  ["/cost/budgets", "Budgets"],
  ["/cost/anomalies", "Anomalies"],
  ["/cost/unit", "Unit costs"],
  ["/cost/review", "Monthly review"],
];

// Links between the cost pages; the current one is marked. Keeps the month when it has one.
export function CostTabs() {
  const loc = useStore(location);
  const month = new URLSearchParams(loc.search).get("month");
  return (
    <nav class="cost-tabs" aria-label="Cost pages">
      <ul>
        {TABS.map(([path, label]) => {
          const current = path === "/cost" ? loc.path === "/cost" : loc.path === path || loc.path.startsWith(path + "/");
          const keep = month && path !== "/cost/anomalies" && path !== "/cost/unit" && path !== "/cost/budgets";
          return (
            <li key={path}>
              <Link href={path + (keep ? qs({ month }) : "")} aria-current={current ? "page" : undefined}>
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

// What to do before any cost data is there.
export function NoCostData() {
  return (
    <EmptyState title="No cost data yet">
      <p>
        Export your cloud bill as FOCUS 1.0–1.2 CSV (or AWS CUR 2.0) and import it with <code>plinth cost import FILE</code> (CSV or CSV.gz; re-importing a
        billing period replaces it). Allocation rules, budgets and unit metrics are YAML kinds <code>CostAllocation</code>, <code>Budget</code> and{" "}
        <code>UnitMetric</code> for <code>plinth apply</code>.
      </p>
    </EmptyState>
  );
}

// The cost summary of `month` ("" for the newest month with data).
export function useCostSummary(month: string): Async<CostSummary> {
  return useAsync((signal) => get<CostSummary>(`/api/v1/cost/summary${qs({ month })}`, signal), [month]);
}

export function hasCostData(s: CostSummary | undefined): boolean {
  return !!s && (s.monthsAvailable?.length ?? 0) > 0;
}

// A labelled <select> of months, newest first.
export function MonthSelect({ id, months, value, onChange, label = "Month" }: { id: string; months: string[]; value: string; onChange: (m: string) => void; label?: string }) {
  const list = [...months].sort().reverse();
  if (value && !list.includes(value)) list.unshift(value);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {list.map((m) => (
          <option value={m} key={m}>
            {monthLabel(m)}
          </option>
        ))}
      </select>
    </div>
  );
}

// One KPI tile.
export function Kpi({ label, testid, children, detail }: { label: string; testid: string; children: ComponentChildren; detail?: ComponentChildren }) {
  return (
    <div class="pa-stat cost-kpi" data-testid={testid}>
      <div class="pa-stat-label">{label}</div>
      <div class="pa-stat-value">{children}</div>
      {detail && <div class="muted small">{detail}</div>}
    </div>
  );
}

// A resource's name over its id (the id alone when it has no other name).
export function ResourceName({ id, name }: { id: string; name?: string }) {
  if (name && name !== id) {
    return (
      <>
        <span class="cost-resource-name">{name}</span>
        <div class="muted small mono cost-resource-id">{id || "(no resource id)"}</div>
      </>
    );
  }
  return <span class="mono cost-resource-id">{id || "(no resource id)"}</span>;
}

// Download links for an export in several formats.
export function ExportLinks({ base, params, formats, name }: { base: string; params: Record<string, string>; formats: [string, string][]; name: string }) {
  return (
    <div class="cost-exports" role="group" aria-label="Export">
      {formats.map(([format, label]) => (
        <a
          key={format}
          class="button small"
          href={`${base}${qs({ ...params, format })}`}
          data-testid={`export-${format}`}
          {...(format === "html" ? { target: "_blank", rel: "noopener" } : { download: `${name}.${format}` })}
        >
          {label}
        </a>
      ))}
    </div>
  );
}
