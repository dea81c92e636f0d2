#!/usr/bin/env bash
# On-call schedule benchmarks: the final schedule of 2026 for 1,000 generated schedules, "who is
# on call" lookups three ways, peak RSS (bench/schedule_bench.cc); then the same year computed
# by a plain Python 3 + zoneinfo implementation (bench/schedule_peer.py) on the same schedules,
# its speed beside the engine's and whether the two agree schedule by schedule.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-build}"
[[ "$build" = /* ]] || build="$root/$build"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target plinth_schedule_bench >"$work/build.log" 2>&1 ||
  { cat "$work/build.log"; exit 1; }
bin="$build/plinth_schedule_bench"

status=0
"$bin" --schedules "${BENCH_SCHEDULES:-1000}" --dump "$work/schedules.json" || status=1
echo
/usr/bin/python3 "$root/bench/schedule_peer.py" "$work/schedules.json" || status=1
exit $status
