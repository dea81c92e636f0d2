#!/usr/bin/env bash
# Cloud cost benchmark: plinth and DuckDB side by side on the same generated FOCUS 1.2 CSV.
# For each size (1M and 10M rows: the demo organisation's 12 months of 2025, resource counts
# scaled, bench/cost_gen.cc), each side ingests the file (DuckDB: CREATE TABLE AS read_csv into a
# persistent database file, then CHECKPOINT; plinth: IngestFiles into segments, every column blob
# written to files and synced) and runs five queries, best of 3 each:
#   q1 cost by ServiceName by day for December
#   q2 cost by team after allocation (bench/cost_rules.yaml) for Q4
#   q3 top 100 ResourceId by EffectiveCost over the year
#   q4 the daily anomaly scan: every service's daily cost over the year, judged day by day
#   q5 month-to-date cost per team (to 15 December) against bench/cost_budgets.yaml
# Peak RSS comes from /usr/bin/time -v: DuckDB's ingest and queries run as two processes;
# plinth's one process prints its peak after the ingest too. Both sides print JSON lines
# (bench/duckdb/cost.mjs, bench/cost_bench.cc) and a table compares them.
#
# Environment: BUILD_DIR (default build); BENCH_COST_ROWS (default "1000000 10000000");
# BENCH_COST_HOURLY=1 for hourly line items; BENCH_DUCKDB_COST_TYPE (default DECIMAL(18,10),
# exact for this file and DuckDB's fastest; DECIMAL(38,18), what arbitrary FOCUS exports need,
# parses 2.5x slower in DuckDB; see bench/duckdb/cost.mjs).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-build}"
[[ "$build" = /* ]] || build="$root/$build"
sizes="${BENCH_COST_ROWS:-1000000 10000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target plinth_cost_gen plinth_cost_bench >"$work/build.log" 2>&1 ||
  { cat "$work/build.log"; exit 1; }

duckdb=1
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "DuckDB side skipped: node and npm are missing (scripts/install-deps)"
  duckdb=0
elif [ ! -d "$root/bench/duckdb/node_modules/@duckdb/node-api" ] &&
  ! (cd "$root/bench/duckdb" && npm ci --no-audit --no-fund >"$work/npm.log" 2>&1); then
  echo "DuckDB side skipped: npm ci in bench/duckdb failed (offline? it needs the npm registry" \
    "once to fetch @duckdb/node-api):"
  tail -3 "$work/npm.log"
  duckdb=0
fi

month=2025-12 quarter=2025-10 as_of=2025-12-15
hourly=""
[ "${BENCH_COST_HOURLY:-0}" = 1 ] && hourly=--hourly
results="$work/results.jsonl"
# peak_rss SIDE PHASE TIMEFILE: a JSON line from /usr/bin/time -v's report.
peak_rss() {
  awk -v side="$1" -v phase="$2" '/Maximum resident set size/ {
    printf "{\"side\":\"%s\",\"measure\":\"peak_rss_%s\",\"peak_rss_mib\":%.0f}\n", side, phase, $NF / 1024 }' "$3"
}

for rows in $sizes; do
  # CSV (~1 kB a row) + DuckDB database + plinth's column files, with room to spare.
  need=$((rows * 2200))
  avail=$(df --output=avail -B1 "$work" | tail -1)
  if [ "$avail" -lt "$need" ]; then
    echo "rows=$rows skipped: needs $((need >> 30)) GiB free in $work, $((avail >> 30)) GiB there"
    continue
  fi
  csv="$work/focus-$rows.csv"
  echo "== $rows rows"
  "$build/plinth_cost_gen" --rows "$rows" --months 12 --start 2025-01 $hourly --out "$csv" |
    tee -a "$results"
  if [ "$duckdb" = 1 ]; then
    (cd "$root/bench/duckdb" &&
      /usr/bin/time -v -o "$work/duck-ingest.time" node cost.mjs --phase ingest \
        --db "$work/cost.duckdb" --csv "$csv" --cost-type "${BENCH_DUCKDB_COST_TYPE:-DECIMAL(18,10)}" &&
      /usr/bin/time -v -o "$work/duck-query.time" node cost.mjs --phase query \
        --db "$work/cost.duckdb" --month $month --quarter $quarter --as-of $as_of \
        --budgets "$root/bench/cost_budgets.yaml") | tee -a "$results"
    peak_rss duckdb ingest "$work/duck-ingest.time" | tee -a "$results"
    peak_rss duckdb query "$work/duck-query.time" | tee -a "$results"
    rm -f "$work"/cost.duckdb*
  fi
  mkdir -p "$work/plinth-store"
  /usr/bin/time -v -o "$work/plinth.time" "$build/plinth_cost_bench" --csv "$csv" \
    --rules "$root/bench/cost_rules.yaml" --budgets "$root/bench/cost_budgets.yaml" \
    --month $month --quarter $quarter --as-of $as_of --store "$work/plinth-store" |
    tee -a "$results"
  peak_rss plinth all "$work/plinth.time" | tee -a "$results"
  rm -rf "$work/plinth-store" "$csv"

  echo
  /usr/bin/python3 - "$results" "$rows" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
gen = [l for l in lines if l.get("tool") == "plinth_cost_gen"][-1]
got = {}
for l in lines[lines.index(gen) + 1:]:
    got[(l["side"], l["measure"])] = l
def fmt(side, measure):
    l = got.get((side, measure))
    if not l: return "-"
    if "peak_rss_mib" in l and "seconds" not in l: return f'{l["peak_rss_mib"]:,.0f} MiB'
    s = l["seconds"]
    return f"{s:.2f} s" if s >= 1 else f"{s * 1000:.1f} ms"
print(f'{gen["rows"]:,} rows, {gen["bytes"] / 2**30:.2f} GiB CSV, generated in {gen["seconds"]:.1f} s')
print(f'{"measure":34} {"plinth":>12} {"DuckDB":>12}  same result')
for m in ["ingest", "q1_service_by_day_month", "q2_team_allocated_quarter", "q3_top100_resources",
          "q4_anomaly_scan", "q5_mtd_vs_budget"]:
    p, d = got.get(("plinth", m), {}), got.get(("duckdb", m), {})
    same = "-"
    if p and d:
        key = "teams" if "teams" in p else "checksum" if m != "q4_anomaly_scan" else None
        same = ("yes" if p.get(key) == d.get(key) else "NO") if key else "(see JSON)"
        if m == "ingest": same = "yes" if p["rows"] == d["rows"] == gen["rows"] else "NO"
    print(f'{m:34} {fmt("plinth", m):>12} {fmt("duckdb", m):>12}  {same}')
ingest_rss = got.get(("plinth", "ingest"), {}).get("peak_rss_mib")
print(f'{"peak RSS, ingest":34} {f"{ingest_rss:,.0f} MiB" if ingest_rss else "-":>12} {fmt("duckdb", "peak_rss_ingest"):>12}')
print(f'{"peak RSS, whole run / queries":34} {fmt("plinth", "peak_rss_all"):>12} {fmt("duckdb", "peak_rss_query"):>12}')
EOF
  echo
done
