#!/usr/bin/env bash
# Paging benchmarks.
# 1. Intake: wrk posts PagerDuty trigger events (bench/paging/enqueue.lua: one event per request,
#    every one with a new dedup key, so each opens an alert and an incident) to plinth's
#    /v2/enqueue with durability on (the default: a 202 only after the commit; SQLite in WAL
#    with synchronous=FULL), the per-key limit off, at 1, 10 and 100 connections, on SQLite and
#    on PostgreSQL (when scripts/pg-test-server can start one); side by side in the same run
#    Debian's Alertmanager receives the same stream on its own API (bench/paging/am_alerts.lua:
#    POST /api/v2/alerts, one alert per request, new labels each). Accepted events/s, p50 and
#    p99 latency of each.
# 2. Time from an accepted trigger to the first notification attempt, p50/p99 over 200
#    incidents, on each backend (bench/paging/latency.py).
# Environment: BUILD_DIR (default build), BENCH_SECONDS (default 10), BENCH_CONNECTIONS
# (default "1 10 100"), BENCH_INCIDENTS (default 200).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-build}"
[[ "$build" = /* ]] || build="$root/$build"
bin="$build/plinth"
am=/usr/bin/prometheus-alertmanager
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-1 10 100}
incidents=${BENCH_INCIDENTS:-200}
work="$(mktemp -d)"
chmod 755 "$work"  # the PostgreSQL server runs as its own user
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  "$root/scripts/pg-test-server" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

[ -x "$bin" ] || { echo "paging.sh: $bin is missing (build the plinth target)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "paging.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# --- plinth on each backend: a service without an escalation policy (intake only) -------------
cat >"$work/catalog.yaml" <<'EOF'
apiVersion: plinth/v1
kind: Team
metadata: {name: bench}
spec: {}
---
apiVersion: plinth/v1
kind: Service
metadata: {name: bench-intake}
spec: {owner: bench}
EOF
# start_plinth NAME DB: applies the catalog, makes an integration key and serves; sets
# url_NAME and key_NAME.
start_plinth() {
  local name=$1 db=$2
  "$bin" apply -f "$work/catalog.yaml" --db "$db" >/dev/null
  printf -v "key_$name" %s \
    "$("$bin" integration create --service bench-intake --type events-v2 --db "$db" 2>/dev/null)"
  PLINTH_EVENTS_PER_KEY_PER_SECOND=0 "$bin" serve --db "$db" --listen 127.0.0.1:0 \
    --rate-limit 0 >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  for _ in $(seq 100); do grep -q listening "$work/$name.out" && break; sleep 0.1; done
  local url
  url=$(sed -n 's/^plinth listening on //p' "$work/$name.out")
  [ -n "$url" ] || { cat "$work/$name.err" >&2; exit 1; }
  printf -v "url_$name" %s "$url"
}
backends="sqlite"
start_plinth sqlite "sqlite:$work/intake.db"
pg_server=""
if "$root/scripts/pg-test-server" start "$work/pg" >/dev/null 2>&1; then
  pg_server=$(cat "$work/pg/url")
  backends="sqlite postgres"
  start_plinth postgres "$pg_server"
fi

# --- Alertmanager: the same stream on its own API; a receiver that sends nothing --------------
am_version=""
if [ -x "$am" ]; then
  am_port=$(free_port)
  printf 'route:\n  receiver: sink\n  group_by: [alertname]\nreceivers:\n  - name: sink\n' \
    >"$work/alertmanager.yml"
  "$am" --config.file="$work/alertmanager.yml" --storage.path="$work/am-data" \
    --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= \
    >"$work/am.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$am_port/-/ready" >/dev/null 2>&1 && break; sleep 0.1
  done
  am_url="http://127.0.0.1:$am_port"
  am_version=$("$am" --version 2>&1 | sed -n 's/^alertmanager, version \([^ ]*\).*/\1/p')
fi

# wrk's summary as "accepted_per_s p50_ms p99_ms non_2xx accepted": accepted = 2xx responses.
summarize() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
                     if (v ~ /s$/) return v * 1000; return v }
    / 50%/ { p50 = ms($2) } / 99%/ { p99 = ms($2) }
    /requests in/ { n = $1; d = $4; sub(/s,?$/, "", d) }
    /Non-2xx/ { bad = $NF }
    END { printf "%.0f %.2f %.2f %d %d\n", (n - bad) / d, p50, p99, bad, n - bad }'
}
# bench NAME URL SCRIPT CONNECTIONS RUN [ENV...]: one wrk run; appends "NAME c: summary" to rows.
rows=()
bench() {
  local name=$1 url=$2 script=$3 c=$4 run=$5; shift 5
  local t=$((c < 2 ? c : 2))
  rows+=("$name $c $(env "$@" RUN="$run" wrk -t$t -c"$c" -d"${secs}s" --latency \
    -s "$root/bench/paging/$script" "$url" | summarize)")
}
run=0
for c in $conns; do
  run=$((run + 1))
  for b in $backends; do
    u="url_$b"; k="key_$b"
    bench "$b" "${!u}" enqueue.lua "$c" "r$run" ROUTING_KEY="${!k}"
  done
  [ -z "$am_version" ] || bench alertmanager "$am_url" am_alerts.lua "$c" "r$run"
done

echo "== intake: one trigger event per request, a new dedup key each, ${secs} s per row"
printf "%-36s %6s %11s %9s %9s\n" receiver conns accepted/s "p50 ms" "p99 ms"
declare -A accepted
for r in "${rows[@]}"; do
  read -r name c rate p50 p99 bad n <<<"$r"
  case $name in
    sqlite) label="plinth /v2/enqueue, SQLite" ;;
    postgres) label="plinth /v2/enqueue, PostgreSQL" ;;
    *) label="Alertmanager $am_version /api/v2/alerts" ;;
  esac
  printf "%-36s %6s %11s %9s %9s\n" "$label" "$c" "$rate" "$p50" "$p99"
  [ "$bad" = 0 ] || echo "  ($bad requests answered with a non-2xx status)"
  accepted[$name]=$(( ${accepted[$name]:-0} + n ))
done
in_flight=0
for c in $conns; do in_flight=$((in_flight + c)); done
count() {
  if [ "$1" = sqlite ]; then
    python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM paging_alerts").fetchone()[0])' \
      "$work/intake.db"
  else
    psql -X -tA "$pg_server" -c "SELECT COUNT(*) FROM paging_alerts"
  fi
}
for b in $backends; do
  echo "$b: 202 to ${accepted[$b]} events, $(count "$b") alerts stored (up to $in_flight more" \
    "than counted: wrk does not count requests in flight when it stops)"
done

echo
echo "== trigger to first notification attempt"
python3 "$root/bench/paging/latency.py" "$bin" "$work" --incidents "$incidents"
if [ -n "$pg_server" ]; then
  psql -X -q "$pg_server" -c "CREATE DATABASE latency"
  python3 "$root/bench/paging/latency.py" "$bin" "$work" --incidents "$incidents" \
    --db "${pg_server%/*}/latency"
fi
