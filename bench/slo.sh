#!/usr/bin/env bash
# SLO engine benchmarks: 10,000 generated SLOs x 30 days of per-minute data, the full recompute
# of every series, one evaluation tick of every SLO, the alert history of a sample, memory
# (bench/slo_bench.cc); then the peer the issue anchors on: Prometheus evaluating Sloth's rules
# (slo::GenerateRules) for the first BENCH_PEER_SLOS of the same SLOs over their counters
# backfilled into a TSDB with promtool, one rule-evaluation cycle as Prometheus itself reports it.
# The peer is skipped when prometheus or promtool is missing (Debian package `prometheus`).
#
# Environment: BUILD_DIR (default build); BENCH_SLOS (10000; 0 runs the peer alone);
# BENCH_SLO_BATCH (1000 series resident at a time; 0 = all at once, about 7.5 GB);
# BENCH_PEER_SLOS (100; 0 skips the peer); BENCH_PEER_DAYS (30).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-build}"
[[ "$build" = /* ]] || build="$root/$build"
work="$(mktemp -d)"
prom_pid=""
cleanup() {
  if [ -n "$prom_pid" ]; then
    kill "$prom_pid" 2>/dev/null || true
    wait "$prom_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target plinth_slo_bench >"$work/build.log" 2>&1 ||
  { cat "$work/build.log"; exit 1; }
bin="$build/plinth_slo_bench"

status=0
if [ "${BENCH_SLOS:-10000}" != 0 ]; then
  "$bin" --slos "${BENCH_SLOS:-10000}" --batch "${BENCH_SLO_BATCH:-1000}" || status=1
fi

peer_slos="${BENCH_PEER_SLOS:-100}"
peer_days="${BENCH_PEER_DAYS:-30}"
if [ "$peer_slos" = 0 ]; then exit $status; fi
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
  echo
  echo "Peer skipped: prometheus and promtool not found (Debian package prometheus)"
  exit $status
fi

echo
echo "Peer: Prometheus $(prometheus --version 2>&1 | sed -n '1s/^prometheus, version \([^ ]*\).*/\1/p')" \
  "evaluating Sloth's rules for $peer_slos SLOs over $peer_days days of backfilled counters"
end_ms=$(($(date +%s) / 60 * 60000))
"$bin" --slos "$peer_slos" --days "$peer_days" --history 0 --rules "$peer_slos" "$work/rules.yml" \
  --openmetrics "$work/metrics.om" --om-end-ms "$end_ms" >/dev/null
promtool check rules --lint=none "$work/rules.yml" >/dev/null
rules=$(grep -c '^  - record:\|^  - alert:' "$work/rules.yml" || true)
groups=$(grep -c '^- name:' "$work/rules.yml" || true)
samples=$(grep -vc "^#" "$work/metrics.om" || true)
t0=$(date +%s.%N)
# promtool reads the whole file once per block: 162h blocks instead of 2h ones (360 passes).
promtool tsdb create-blocks-from openmetrics -q --max-block-duration=162h "$work/metrics.om" "$work/tsdb" >"$work/backfill.log" 2>&1 ||
  { cat "$work/backfill.log"; exit 1; }
t1=$(date +%s.%N)
printf '  %-34s %s rule groups, %s rules; %s samples backfilled in %.1f s (promtool)\n' "rules" \
  "$groups" "$rules" "$samples" "$(echo "$t1 - $t0" | bc)"
rm -f "$work/metrics.om"

interval=30
cat >"$work/prometheus.yml" <<EOF
global:
  evaluation_interval: ${interval}s
rule_files:
  - $work/rules.yml
EOF
port=$((20000 + $$ % 20000))
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --storage.tsdb.retention.time=400d --web.listen-address="127.0.0.1:$port" \
  >"$work/prometheus.log" 2>&1 &
prom_pid=$!
metrics() { curl -fsS "http://127.0.0.1:$port/metrics"; }
# Sum (or max) of a metric's samples in Prometheus's own /metrics.
metric() { metrics | awk -v name="$1" -v op="${2:-sum}" '
  $1 == name || index($1, name "{") == 1 { v = $NF + 0; s += v; if (v > m) m = v; n++ }
  END { if (op == "max") print m + 0; else if (op == "count") print n + 0; else print s + 0 }'; }
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 && break
  sleep 1
done
# Wait for every group to finish 3 cycles (the first may still warm caches), then one more.
wait_cycles() {
  for _ in $(seq 1 $((interval * 20))); do
    local done
    done=$(metrics | awk -v want="$1" '/^prometheus_rule_group_iterations_total\{/ {
      n++; if ($NF + 0 >= want) ok++ } END { print (n > 0 && ok == n) ? 1 : 0 }')
    [ "$done" = 1 ] && return 0
    sleep 1
  done
  echo "Prometheus did not finish $1 evaluation cycles" >&2
  return 1
}
wait_cycles 3 || { tail -20 "$work/prometheus.log"; exit 1; }
cpu0=$(metric process_cpu_seconds_total)
it0=$(metric prometheus_rule_group_iterations_total)
wait_cycles 5 || exit 1
cpu1=$(metric process_cpu_seconds_total)
it1=$(metric prometheus_rule_group_iterations_total)
sum=$(metric prometheus_rule_group_last_duration_seconds)
max=$(metric prometheus_rule_group_last_duration_seconds max)
rss=$(metric process_resident_memory_bytes)
missed=$(metric prometheus_rule_group_iterations_missed_total)
failed=$(metric prometheus_rule_evaluation_failures_total)
cycles=$(echo "($it1 - $it0) / $groups" | bc -l)
awk -v sum="$sum" -v max="$max" -v cpu="$(echo "$cpu1 - $cpu0" | bc -l)" -v cycles="$cycles" \
  -v rss="$rss" -v n="$peer_slos" -v missed="$missed" -v failed="$failed" 'BEGIN {
  printf "  %-34s %10.1f ms  (sum of prometheus_rule_group_last_duration_seconds; %.2f ms per SLO)\n",
    "one evaluation cycle, all groups", sum * 1000, sum * 1000 / n
  printf "  %-34s %10.1f ms\n", "slowest group", max * 1000
  printf "  %-34s %10.1f ms  (process_cpu_seconds_total over %.0f cycles; %.2f ms per SLO)\n",
    "CPU per cycle", cpu * 1000 / cycles, cycles, cpu * 1000 / cycles / n
  printf "  %-34s %10.1f s   (extrapolated from the sum, per SLO x 10,000)\n",
    "10,000 SLOs", sum / n * 10000
  printf "  %-34s %10.1f MiB (process_resident_memory_bytes)\n", "Prometheus RSS", rss / 1048576
  printf "  %-34s %10d missed iterations, %d failed rule evaluations\n", "health", missed, failed
}'
# The rules really see the data: one SLO's 1h error ratio.
curl -fsS "http://127.0.0.1:$port/api/v1/query" --data-urlencode \
  'query=count(slo:sli_error:ratio_rate1h)' | grep -q '"value"' ||
  { echo "  the rules produced no slo:sli_error:ratio_rate1h series" >&2; status=1; }
exit $status
