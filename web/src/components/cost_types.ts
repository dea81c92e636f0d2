// The shapes of the cost API's JSON (docs/api.md, Cost), as far as the console reads them.
// Amounts are exact decimal strings rounded to cents ("1234.57"); days are "YYYY-MM-DD" and
// months "YYYY-MM" (UTC); fields named …Pct are percentages (12.5 means 12.5%).

export type Amount = string;
export type CostMetricName = "effective" | "billed" | "list" | "contracted";
export type CostGranularity = "total" | "day" | "week" | "month";

export interface CostSummary {
  month: string;
  currency: string;
  total: Amount;
  previousTotal: Amount;
  changePct: number | null;
  unallocated: Amount;
  coveragePct: number | null;
  openAnomalies: number;
  budgetsOverThreshold: number;
  lastImport: { id: string | number; finishedMs: number; format: string } | null;
  monthsAvailable: string[];
}

export interface CostDimensions {
  columns: string[];
  tagKeys: string[];
}

export interface CostQueryRow {
  keys: string[];
  period: string | null;
  currency: string;
  cost: Amount;
}

export interface CostQueryResult {
  rows: CostQueryRow[];
  groupBy: string[];
  rowsScanned: number;
  tookMs: number;
}

// GET /api/v1/cost/allocation: one entry in `months` per currency billed in the month (none
// before any data); team totals plus the unallocated line add up to `total`, the invoice.
export interface ShowbackTeam {
  team: string;
  direct: Amount;
  shared: Record<string, Amount>; // per shared pool (the month's `pools`)
  sharedTotal: Amount;
  total: Amount;
}

export interface ShowbackLine {
  team: string;
  service: string;
  product: string;
  environment: string;
  cost: Amount;
}

export interface UnallocatedResource {
  resourceId: string;
  name?: string; // in the review
  resourceName?: string; // in the allocation report
  service?: string;
  account?: string;
  reason?: string;
  cost: Amount;
}

export interface ShowbackMonth {
  month: string;
  currency: string;
  total: Amount;
  allocated: Amount;
  unallocated: Amount;
  coverage: number; // percent
  pools: string[];
  teams: ShowbackTeam[];
  lines: ShowbackLine[]; // each team's direct cost by service, product and environment
  unallocatedReasons: { reason: string; cost: Amount }[];
  topUnallocated: UnallocatedResource[];
}

export interface Showback {
  month: string;
  view: string;
  months: ShowbackMonth[];
  warnings: string[];
}

export interface CostScope {
  kind: string;
  name?: string; // a team or service; "key=value" for a tag
}

export interface BudgetThreshold {
  percent: number;
  basis: "actual" | "forecast";
  crossed: boolean;
  crossedDay: string | null;
}

export type BudgetStatus = "ok" | "at risk" | "over";

export interface Budget {
  name: string;
  scope: CostScope;
  period: "monthly" | "quarterly";
  periodStart: string;
  periodEnd: string;
  amount: Amount;
  currency: string;
  metric?: string;
  actual: Amount;
  forecast: Amount;
  percentUsed: number;
  forecastPct: number;
  status: BudgetStatus;
  thresholds: BudgetThreshold[];
  daily: { day: string; cost: Amount; cumulative: Amount }[];
}

export type AnomalyFeedback = "expected" | "unexpected" | "planned";

export interface Anomaly {
  id: string | number;
  monitor: string;
  value: string;
  currency: string;
  start: string;
  end: string; // the last day, inclusive
  peak: string;
  actual: Amount;
  expected: Amount;
  impact: Amount;
  impactPct: number | null;
  feedback: AnomalyFeedback | null;
  topCause: string;
}

export interface RootCause {
  service: string;
  account: string;
  region: string;
  usage: string;
  actual: Amount;
  expected: Amount;
  impact: Amount;
  sharePct: number | null;
}

export interface AnomalyDetail extends Anomaly {
  rootCauses: RootCause[];
  // expected, lower and upper are null on days before the model has enough history.
  series: { day: string; actual: Amount; expected: Amount | null; lower: Amount | null; upper: Amount | null }[];
}

export interface UnitCostMonth {
  month: string;
  cost: Amount;
  units: number;
  unitCost: string | null; // to 4 decimals
  changePct: number | null;
  coveragePct: number | null;
}

export interface UnitMetric {
  name: string;
  scope: CostScope;
  unit: string;
  per: number;
  currency?: string;
  source: string;
  months: UnitCostMonth[];
}

export interface CostReview {
  month: string;
  currency: string;
  total: Amount;
  previousTotal: Amount;
  budgetTotal: Amount | null;
  teams: { team: string; actual: Amount; previous: Amount; changePct: number | null; budget: Amount | null; budgetPct: number | null }[];
  topMovers: { dimension: string; value: string; current: Amount; previous: Amount; change: Amount; changePct: number | null }[];
  anomalies: Anomaly[];
  unallocated: { amount: Amount; pct: number | null; topResources: UnallocatedResource[] };
  unitCosts: { name: string; unit: string; per: number; unitCost: Amount | null; previousUnitCost: Amount | null; changePct: number | null }[];
  actions: string[];
}
