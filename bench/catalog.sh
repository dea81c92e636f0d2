#!/usr/bin/env bash
# Catalog benchmarks: `plinth apply` of 1,000 services on SQLite and PostgreSQL, and the latency of
# GET /api/v1/services with 1,000 services under load (wrk on loopback, 16 connections, 10 s).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/build/plinth"
work="$(mktemp -d)"
chmod 755 "$work"  # the PostgreSQL server runs as its own user
trap 'kill $server_pid 2>/dev/null || true; "$root/scripts/pg-test-server" stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
server_pid=""
n=${BENCH_SERVICES:-1000}

python3 "$root/bench/gen_catalog.py" "$work/catalog" "$n"

seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }

echo "== apply $n services (50 people, 10 teams), first apply and idempotent re-apply"
sqlite_first=$(seconds "$bin" apply -f "$work/catalog" --db "sqlite:$work/bench.db")
sqlite_again=$(seconds "$bin" apply -f "$work/catalog" --db "sqlite:$work/bench.db")
printf "sqlite      first %6.2f s   re-apply %6.2f s\n" "$sqlite_first" "$sqlite_again"
if "$root/scripts/pg-test-server" start "$work/pg" >/dev/null; then
  pg_url="$(cat "$work/pg/url")"
  pg_first=$(seconds "$bin" apply -f "$work/catalog" --db "$pg_url")
  pg_again=$(seconds "$bin" apply -f "$work/catalog" --db "$pg_url")
  printf "postgresql  first %6.2f s   re-apply %6.2f s\n" "$pg_first" "$pg_again"
fi

echo "== GET /api/v1/services (limit 50 and 500) with $n services, SQLite, wrk -t2 -c16 -d10s"
token=$("$bin" token create --role viewer --db "sqlite:$work/bench.db" 2>/dev/null)
"$bin" serve --db "sqlite:$work/bench.db" --listen 127.0.0.1:0 --rate-limit 0 \
  >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 50); do grep -q listening "$work/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^plinth listening on //p' "$work/serve.out")
for limit in 50 500; do
  wrk -t2 -c16 -d10s --latency -H "Authorization: Bearer $token" \
    "$url/api/v1/services?limit=$limit" | sed -n '/Latency Distribution/,/Requests\/sec/p' |
    sed "s/^/limit=$limit  /"
done
