// The DuckDB side of the cost benchmark (bench/cost.sh): ingests a FOCUS CSV into a persistent
// DuckDB database, then runs the benchmark's five queries as SQL, each best of 3, and prints one
// JSON line per measurement, the same lines bench/cost_bench.cc prints for plinth.
//
//   node cost.mjs --phase ingest --db FILE --csv FILE [--cost-type 'DECIMAL(38,18)']
//   node cost.mjs --phase query --db FILE --month 2025-12 --quarter 2025-10 --as-of 2025-12-15
//                 --budgets bench/cost_budgets.yaml
//
// Types: every column is given (no sniffing): ids VARCHAR (account numbers keep their digits),
// costs and unit prices DECIMAL(18,10), so sums are exact as in plinth (the generator writes
// 10 fractional digits and no row costs 1e8), quantities DOUBLE (never summed here), periods
// TIMESTAMP (UTC). This is DuckDB's fastest exact choice for this file: DECIMAL(38,18), which a
// general FOCUS import needs (exports carry up to ~11 decimals), parses 2.5x slower; DOUBLE no
// faster than DECIMAL(18,10). --cost-type picks another. DuckDB divides decimals as DOUBLE, so
// the allocation's shares are doubles (plinth splits exactly); teams are compared to the cent.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}

const COLUMNS = [
  'AvailabilityZone', 'BilledCost', 'BillingAccountId', 'BillingAccountName',
  'BillingAccountType', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart',
  'CapacityReservationId', 'CapacityReservationStatus', 'ChargeCategory', 'ChargeClass',
  'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd', 'ChargePeriodStart',
  'CommitmentDiscountCategory', 'CommitmentDiscountId', 'CommitmentDiscountName',
  'CommitmentDiscountQuantity', 'CommitmentDiscountStatus', 'CommitmentDiscountType',
  'CommitmentDiscountUnit', 'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost',
  'ContractedUnitPrice', 'EffectiveCost', 'InvoiceId', 'InvoiceIssuerName', 'ListCost',
  'ListUnitPrice', 'PricingCategory', 'PricingCurrency', 'PricingCurrencyContractedUnitPrice',
  'PricingCurrencyEffectiveCost', 'PricingCurrencyListUnitPrice', 'PricingQuantity',
  'PricingUnit', 'ProviderName', 'PublisherName', 'RegionId', 'RegionName', 'ResourceId',
  'ResourceName', 'ResourceType', 'ServiceCategory', 'ServiceName', 'ServiceSubcategory',
  'SkuId', 'SkuMeter', 'SkuPriceDetails', 'SkuPriceId', 'SubAccountId', 'SubAccountName',
  'SubAccountType', 'Tags'];
const COSTS = new Set([
  'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingCurrencyEffectiveCost',
  'ListUnitPrice', 'ContractedUnitPrice', 'PricingCurrencyListUnitPrice',
  'PricingCurrencyContractedUnitPrice']);
const QUANTITIES = new Set(['CommitmentDiscountQuantity', 'ConsumedQuantity', 'PricingQuantity']);
const TIMES = new Set(['BillingPeriodEnd', 'BillingPeriodStart', 'ChargePeriodEnd',
  'ChargePeriodStart']);
const costType = args['cost-type'] || 'DECIMAL(18,10)';
const columnType = (c) => (COSTS.has(c) ? costType : QUANTITIES.has(c) ? 'DOUBLE'
  : TIMES.has(c) ? 'TIMESTAMP' : 'VARCHAR');

// bench/cost_rules.yaml as SQL: pools first (support even; the platform account and the
// savings plan's unused commitment proportional), then the team tag, then the data account; the
// rest unallocated.
const SUPPORT = "ServiceName ILIKE 'AWS Support (Business)'";
const PLATFORM = "(SubAccountId = '926174058312' OR ServiceName ILIKE 'Savings Plans for AWS Compute usage')";
const DATA_ACCOUNT = "'702846193385'";

const ts = (day) => `TIMESTAMP '${day}'`;
const monthStart = (ym) => `${ym}-01`;
const addMonths = (ym, n) => {
  const [y, m] = ym.split('-').map(Number);
  const k = y * 12 + (m - 1) + n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
};
const nextDay = (day) => new Date(Date.parse(`${day}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);

// Each team's effective cost in [from, to) after allocation, shares computed per month, plus
// an 'unallocated' row: columns team, currency, direct, support, platform, total.
function allocatedSql(from, to) {
  return `
WITH items AS (
  SELECT date_trunc('month', ChargePeriodStart) AS month, BillingCurrency AS currency,
         EffectiveCost AS cost,
         CASE WHEN ${SUPPORT} THEN 'support'
              WHEN ${PLATFORM} THEN 'platform' END AS pool,
         CASE WHEN json_extract_string(Tags, '$.team') IS NOT NULL
                THEN json_extract_string(Tags, '$.team')
              WHEN SubAccountId = ${DATA_ACCOUNT} THEN 'data' END AS team
  FROM line_items
  WHERE ChargePeriodStart >= ${ts(from)} AND ChargePeriodStart < ${ts(to)}
    AND EffectiveCost IS NOT NULL),
direct AS (SELECT month, currency, team, sum(cost) AS direct FROM items
           WHERE pool IS NULL AND team IS NOT NULL GROUP BY ALL),
pools AS (SELECT month, currency, sum(cost) FILTER (pool = 'support') AS support,
                 sum(cost) FILTER (pool = 'platform') AS platform
          FROM items WHERE pool IS NOT NULL GROUP BY ALL),
months AS (SELECT month, currency, sum(direct) AS total, count(*) AS teams FROM direct GROUP BY ALL),
shares AS (
  SELECT d.team, d.currency, d.direct,
         coalesce(p.support, 0)::DOUBLE / m.teams AS support,
         coalesce(p.platform, 0)::DOUBLE * d.direct::DOUBLE / m.total::DOUBLE AS platform
  FROM direct d JOIN months m USING (month, currency) LEFT JOIN pools p USING (month, currency))
SELECT team, currency, sum(direct)::DOUBLE AS direct, sum(support) AS support,
       sum(platform) AS platform, sum(direct)::DOUBLE + sum(support) + sum(platform) AS total
FROM shares GROUP BY ALL
UNION ALL
SELECT 'unallocated', currency, sum(cost)::DOUBLE, 0, 0, sum(cost)::DOUBLE FROM items
WHERE pool IS NULL AND team IS NULL GROUP BY ALL`;
}

function budgets(path) {
  const out = [];
  for (const doc of readFileSync(path, 'utf8').split(/^---$/m)) {
    const team = doc.match(/scope:\s*\{\s*team:\s*([\w-]+)\s*\}/);
    const amount = doc.match(/amount:\s*"([\d.]+)"/);
    if (team && amount) out.push(`('${team[1]}', ${amount[1]}::DECIMAL(38,2))`);
  }
  return `(VALUES ${out.join(', ')}) AS b(team, amount)`;
}

function queries() {
  const month = args.month;
  const q = args.quarter;
  const asOf = args['as-of'];
  return [
    ['q1_service_by_day_month', 'cost', `
SELECT ServiceName, BillingCurrency, date_trunc('day', ChargePeriodStart) AS day,
       sum(EffectiveCost) AS cost
FROM line_items
WHERE ChargePeriodStart >= ${ts(monthStart(month))}
  AND ChargePeriodStart < ${ts(monthStart(addMonths(month, 1)))} AND EffectiveCost IS NOT NULL
GROUP BY ALL ORDER BY day, cost DESC, ServiceName`],
    ['q2_team_allocated_quarter', 'total', `
SELECT * FROM (${allocatedSql(monthStart(q), monthStart(addMonths(q, 3)))}) ORDER BY total DESC, team`],
    ['q3_top100_resources', 'cost', `
SELECT ResourceId, BillingCurrency, sum(EffectiveCost) AS cost FROM line_items
WHERE EffectiveCost IS NOT NULL GROUP BY ALL ORDER BY abs(cost) DESC, ResourceId LIMIT 100`],
    // The anomaly scan: every service's daily cost over the whole history, days without
    // charges as 0 (the series plinth's anomaly engine reads), judged against the same
    // weekday's median and a z-score over the trailing 28 days; flagged when over both
    // thresholds ($100 and 20%) and z > 3.
    ['q4_anomaly_scan', 'cost', `
WITH charged AS (
  SELECT ServiceName, BillingCurrency, date_trunc('day', ChargePeriodStart) AS day,
         sum(EffectiveCost)::DOUBLE AS cost
  FROM line_items WHERE EffectiveCost IS NOT NULL GROUP BY ALL),
daily AS (
  SELECT s.ServiceName, s.BillingCurrency, d.day, coalesce(c.cost, 0) AS cost
  FROM (SELECT DISTINCT ServiceName, BillingCurrency FROM charged) s
  CROSS JOIN (SELECT range AS day FROM range((SELECT min(day) FROM charged),
                                             (SELECT max(day) FROM charged) + INTERVAL 1 DAY,
                                             INTERVAL 1 DAY)) d
  LEFT JOIN charged c USING (ServiceName, BillingCurrency, day)),
judged AS (
  SELECT *, avg(cost) OVER w AS mean28, stddev_samp(cost) OVER w AS sd28,
         median(cost) OVER (PARTITION BY ServiceName, BillingCurrency, dayofweek(day) ORDER BY day
                            RANGE BETWEEN INTERVAL 28 DAYS PRECEDING AND INTERVAL 1 DAY PRECEDING)
           AS expected
  FROM daily
  WINDOW w AS (PARTITION BY ServiceName, BillingCurrency ORDER BY day
               RANGE BETWEEN INTERVAL 28 DAYS PRECEDING AND INTERVAL 1 DAY PRECEDING))
SELECT ServiceName, day, cost, expected, (cost - mean28) / nullif(sd28, 0) AS z FROM judged
WHERE cost - expected > 100 AND cost - expected > 0.2 * expected
  AND (cost - mean28) / nullif(sd28, 0) > 3
ORDER BY day, ServiceName`],
    ['q5_mtd_vs_budget', 'total', `
SELECT t.team, t.total, b.amount AS budget, t.total / b.amount * 100 AS percent
FROM (${allocatedSql(monthStart(asOf.slice(0, 7)), nextDay(asOf))}) t
LEFT JOIN ${budgets(args.budgets)} USING (team) ORDER BY t.total DESC, t.team`],
  ];
}

const print = (o) => console.log(JSON.stringify({ side: 'duckdb', ...o }));

async function main() {
  const instance = await DuckDBInstance.create(args.db);
  const con = await instance.connect();
  const version = (await con.runAndReadAll('SELECT version() AS v')).getRowObjectsJson()[0].v;
  if (args.phase === 'ingest') {
    const columns = COLUMNS.map((c) => `'${c}': '${columnType(c)}'`).join(', ');
    const t0 = performance.now();
    await con.run(`CREATE OR REPLACE TABLE line_items AS SELECT * FROM read_csv('${args.csv}',
      header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
      nullstr = 'NULL', columns = {${columns}})`);
    await con.run('CHECKPOINT');
    const seconds = (performance.now() - t0) / 1000;
    const rows = Number((await con.runAndReadAll('SELECT count(*) AS n FROM line_items'))
      .getRowObjectsJson()[0].n);
    print({ measure: 'ingest', version, cost_type: costType, rows, seconds,
      rows_per_s: Math.round(rows / seconds) });
    return;
  }
  for (const [name, costColumn, sql] of queries()) {
    const runs = [];
    let rows = [];
    for (let i = 0; i < 3; ++i) {
      const t0 = performance.now();
      rows = (await con.runAndReadAll(sql)).getRowObjectsJson();
      runs.push((performance.now() - t0) / 1000);
    }
    const checksum = rows.reduce((s, r) => s + Number(r[costColumn]), 0).toFixed(2);
    const out = { measure: name, seconds: Math.min(...runs), runs, rows: rows.length, checksum };
    if (name.startsWith('q2') || name.startsWith('q5')) {
      out.teams = Object.fromEntries(rows.map((r) => [r.team, Number(r.total).toFixed(2)])
        .sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    }
    if (name.startsWith('q5')) {
      out.percent = Object.fromEntries(rows.filter((r) => r.budget !== null)
        .map((r) => [r.team, Number(Number(r.percent).toFixed(1))])
        .sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    }
    if (name === 'q4_anomaly_scan') {
      out.anomalies = rows.map((r) => `${r.ServiceName} ${String(r.day).slice(0, 10)}`);
    }
    print(out);
  }
}

main().catch((e) => {
  console.error(`cost.mjs: ${e.message}`);
  process.exit(1);
});
