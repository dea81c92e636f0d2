#!/usr/bin/python3
"""The Python peer of the schedule benchmark: the same year of final schedule, computed the
plain way with the standard library's zoneinfo, for the schedules plinth_schedule_bench --dump
wrote. Written from the model's definition (src/schedule/model.h), not from the engine's code:

  * turn k of a layer starts at the wall time start + k * turn in the schedule's zone and
    belongs to participants[k % n]; turns are walked one by one from k = 0;
  * a wall time that occurs twice means its first occurrence (fold=0); one that does not occur
    (spring-forward gap) means the instant the clocks jump;
  * restrictions are local windows [start, start + duration) on each day (daily) or each week
    (weekly); a restricted layer has someone only inside their union;
  * the final schedule: an override beats every layer, a later layer beats an earlier one;
    adjacent pieces of the same person, source and override merge.

Prints the time for all schedules, the speedup against the engine's best run, and whether the
two agree, schedule by schedule, on the on-call hours (in total and per person) and on the
number of final entries. Exit status 1 on any disagreement.

  schedule_peer.py DUMP.json [--repeat N] [--check N]
"""

import argparse
import bisect
import json
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

EPOCH = datetime(1970, 1, 1)
DAY = 86400


def local_to_utc_ms(tz, local_s):
    """The instant of the wall time local_s (seconds since 1970-01-01T00:00 on the wall clock)."""
    naive = EPOCH + timedelta(seconds=local_s)
    offset = naive.replace(tzinfo=tz, fold=0).utcoffset()
    utc_s = local_s - int(offset.total_seconds())
    back = datetime.fromtimestamp(utc_s, tz).replace(tzinfo=None)
    if back == naive:
        return utc_s * 1000
    # A spring-forward gap: fold=1 reads the wall time with the offset after the jump, fold=0
    # with the one before; the jump lies between the two instants. Find it second by second
    # by bisection: the first instant whose offset is the new one.
    after = int(naive.replace(tzinfo=tz, fold=1).utcoffset().total_seconds())
    lo, hi = local_s - after, utc_s  # lo is before the jump, hi at or after it
    new_offset = timedelta(seconds=after)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, tz).utcoffset() == new_offset:
            hi = mid
        else:
            lo = mid
    return hi * 1000


def utc_to_local_s(tz, utc_ms):
    dt = datetime.fromtimestamp(utc_ms // 1000, tz).replace(tzinfo=None)
    return (dt - EPOCH) // timedelta(seconds=1)


def restriction_windows(tz, restrictions, from_ms, to_ms):
    """The union of a layer's restriction windows as sorted, disjoint UTC intervals."""
    first_day = utc_to_local_s(tz, from_ms) // DAY - 8
    last_day = utc_to_local_s(tz, to_ms) // DAY + 1
    windows = []
    for r in restrictions:
        if r["kind"] == "daily":
            starts = [d * DAY + r["start_s"] for d in range(first_day, last_day + 1)]
        else:
            # 1970-01-01 was a Thursday: day d is a Monday when (d + 3) % 7 == 0.
            monday = first_day - (first_day + 3) % 7
            starts = [(w + r["start_day"]) * DAY + r["start_s"]
                      for w in range(monday, last_day + 1, 7)]
        for s in starts:
            a = local_to_utc_ms(tz, s)
            b = local_to_utc_ms(tz, s + r["duration_s"])
            a, b = max(a, from_ms), min(b, to_ms)
            if a < b:
                windows.append((a, b))
    windows.sort()
    merged = []
    for a, b in windows:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def layer_shifts(tz, layer, from_ms, to_ms):
    """[(start_ms, end_ms, person)] of one layer in [from_ms, to_ms), sorted, disjoint."""
    end_ms = to_ms if layer["end_ms"] is None else min(to_ms, layer["end_ms"])
    people = layer["participants"]
    windows = None
    if layer["restrictions"]:
        windows = restriction_windows(tz, layer["restrictions"], from_ms, end_ms)
        window_ends = [w[1] for w in windows]
    out = []
    k = 0
    turn_start = local_to_utc_ms(tz, layer["start_local_s"])
    while turn_start < end_ms:
        turn_end = local_to_utc_ms(tz, layer["start_local_s"] + (k + 1) * layer["turn_s"])
        s, e = max(turn_start, from_ms), min(turn_end, end_ms)
        person = people[k % len(people)]
        if s < e and windows is None:
            out.append((s, e, person))
        elif s < e:
            i = bisect.bisect_right(window_ends, s)
            while i < len(windows) and windows[i][0] < e:
                a, b = max(s, windows[i][0]), min(e, windows[i][1])
                if a < b:
                    out.append((a, b, person))
                i += 1
        k += 1
        turn_start = turn_end
    return out


def final_schedule(sched, from_ms, to_ms):
    """[(start_ms, end_ms, person, source, override_id)], covering [from_ms, to_ms)."""
    tz = ZoneInfo(sched["time_zone"])
    # Highest precedence first: overrides, then the layers from the top down.
    tiers = [[(max(o["start_ms"], from_ms), min(o["end_ms"], to_ms), o["person"], "override",
               o["id"]) for o in sorted(sched["overrides"], key=lambda o: o["start_ms"])
              if max(o["start_ms"], from_ms) < min(o["end_ms"], to_ms)]]
    for layer in reversed(sched["layers"]):
        tiers.append([(s, e, p, layer["name"], "") for s, e, p in
                      layer_shifts(tz, layer, from_ms, to_ms)])
    points = {from_ms, to_ms}
    for tier in tiers:
        for piece in tier:
            points.add(piece[0])
            points.add(piece[1])
    points = sorted(points)
    ends = [[piece[1] for piece in tier] for tier in tiers]
    out = []
    for a, b in zip(points, points[1:]):
        winner = ("", "", "")
        for tier, tier_ends in zip(tiers, ends):
            i = bisect.bisect_right(tier_ends, a)
            if i < len(tier) and tier[i][0] <= a:
                winner = tier[i][2:]
                break
        if out and out[-1][1] == a and out[-1][2:] == winner:
            out[-1] = (out[-1][0], b) + winner
        else:
            out.append((a, b) + winner)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dump")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best and median shown")
    parser.add_argument("--check", type=int, default=0,
                        help="compare only the first N schedules (default: all)")
    args = parser.parse_args()
    with open(args.dump) as f:
        data = json.load(f)
    from_ms, to_ms = data["from_ms"], data["to_ms"]
    schedules = data["schedules"]

    runs_ms = []
    for _ in range(max(args.repeat, 1)):
        start = time.perf_counter()
        finals = [final_schedule(s, from_ms, to_ms) for s in schedules]
        runs_ms.append((time.perf_counter() - start) * 1000)
    runs_ms.sort()
    best, median = runs_ms[0], runs_ms[len(runs_ms) // 2]
    entries = sum(len(f) for f in finals)
    engine_ms = data["engine_year_best_ms"]
    print(f"Python {sys.version.split()[0]} + zoneinfo: the same year for the same "
          f"{len(schedules):,} schedules, {len(runs_ms)} runs, {entries:,} final entries")
    for label, ms in (("best", best), ("median", median)):
        print(f"  {label:<28} {ms:10,.0f} ms   ({ms * 1000 / len(schedules):,.0f} us per schedule)")
    print(f"  {'engine best / Python best':<28} {engine_ms:10,.1f} ms / {best:,.0f} ms: the engine "
          f"is {best / engine_ms:,.0f}x faster")

    check = len(schedules) if args.check <= 0 else min(args.check, len(schedules))
    bad = {"on-call hours": 0, "hours per person": 0, "final entries": 0}
    shown = 0
    for sched, final in zip(schedules[:check], finals):
        by_person = {}
        for a, b, person, _, _ in final:
            if person:
                by_person[person] = by_person.get(person, 0) + (b - a)
        engine = sched["engine"]
        problems = []
        if sum(by_person.values()) != engine["on_call_ms"]:
            problems.append("on-call hours")
        if by_person != engine["by_person_ms"]:
            problems.append("hours per person")
        if len(final) != engine["final_entries"]:
            problems.append("final entries")
        for p in problems:
            bad[p] += 1
        if problems and shown < 5:
            shown += 1
            print(f"  DISAGREE {sched['name']} ({sched['time_zone']}): {', '.join(problems)}: "
                  f"python {sum(by_person.values()) / 3.6e6:.3f} h in {len(final)} entries, "
                  f"engine {engine['on_call_ms'] / 3.6e6:.3f} h in {engine['final_entries']}",
                  file=sys.stderr)
    verdict = "; ".join(f"{what}: " + ("agree" if n == 0 else f"{n} DISAGREE")
                        for what, n in bad.items())
    print(f"  agreement on the first {check:,} schedules: {verdict}")
    return 1 if any(bad.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
