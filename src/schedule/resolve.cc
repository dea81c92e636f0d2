#include "schedule/resolve.h"

#include <algorithm>
#include <string>
#include <utility>

#include "schedule/zone.h"

namespace plinth::schedule {

namespace {

constexpr int64_t kMinMs = -2208988800000;   // 1900-01-01T00:00:00Z
constexpr int64_t kMaxMs = 253402300800000;  // 10000-01-01T00:00:00Z
constexpr int64_t kMaxRangeMs = 5 * 366 * kDay * 1000;
constexpr size_t kMaxShifts = 1000000;
constexpr int64_t kMaxTurnS = 100000 * kWeek;  // the longest turn spec.h reads
constexpr int64_t kMaxReserve = 16384;         // entries reserved up front; more grow the vector

// A half-open UTC interval [start_ms, end_ms).
struct Interval {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
};

bool InRange(int64_t ms) { return ms >= kMinMs && ms <= kMaxMs; }

// Appends `person` on call in [start_ms, end_ms), extending the last shift when it is the same
// person and ends exactly there.
void Append(std::vector<Shift>& out, const std::string& person, int64_t start_ms, int64_t end_ms,
            const std::string& source) {
  if (!out.empty() && out.back().end_ms == start_ms && out.back().person == person) {
    out.back().end_ms = end_ms;
    return;
  }
  out.push_back({person, start_ms, end_ms, source, ""});
}

// The union of the restriction windows of one layer that meet [from_ms, to_ms), clipped to it,
// sorted and disjoint. Window boundaries are wall times in `zone`.
std::vector<Interval> Windows(const date::time_zone* zone, const std::vector<Restriction>& rs,
                              int64_t from_ms, int64_t to_ms) {
  // Two days of margin either side: a window's local start can map before a UTC instant whose
  // local time is earlier (the repeated hour of a fall-back), and a window lasts up to a day.
  const int64_t first_day = FloorDiv(UtcToLocalS(zone, from_ms), kDay) - 2;
  const int64_t last_day = FloorDiv(UtcToLocalS(zone, to_ms - 1), kDay) + 2;
  std::vector<Interval> all;
  auto add = [&](int64_t local_start, int64_t duration_s) {
    int64_t s = std::max(LocalToUtcMs(zone, local_start), from_ms);
    int64_t e = std::min(LocalToUtcMs(zone, local_start + duration_s), to_ms);
    if (s < e) all.push_back({s, e});
  };
  for (const Restriction& r : rs) {
    if (r.duration_s <= 0) continue;
    if (r.kind == Restriction::kDaily) {
      for (int64_t d = first_day; d <= last_day; ++d) add(d * kDay + r.start_s, r.duration_s);
    } else {
      // Monday of the week of first_day; a window starts in its week and lasts at most a week.
      int64_t monday = first_day - WeekdayOf(first_day * kDay) - 7;
      for (int64_t w = monday; w <= last_day; w += 7) {
        add((w + r.start_day) * kDay + r.start_s, r.duration_s);
      }
    }
  }
  std::sort(all.begin(), all.end(),
            [](const Interval& a, const Interval& b) { return a.start_ms < b.start_ms; });
  std::vector<Interval> merged;
  for (const Interval& i : all) {
    if (!merged.empty() && i.start_ms <= merged.back().end_ms) {
      merged.back().end_ms = std::max(merged.back().end_ms, i.end_ms);
    } else {
      merged.push_back(i);
    }
  }
  return merged;
}

Error TooMany(const Layer& layer) {
  return Error::Invalid("layer \"" + layer.name + "\" has more than " + std::to_string(kMaxShifts) +
                        " shifts in the range; ask for a shorter one");
}

// The on-call shifts of one layer in [from_ms, to_ms).
Result<std::vector<Shift>> LayerShifts(const date::time_zone* zone, const Layer& layer,
                                       int64_t from_ms, int64_t to_ms) {
  std::vector<Shift> out;
  if (layer.turn_s <= 0 || layer.turn_s > kMaxTurnS) {
    return Error::Invalid("layer \"" + layer.name + "\": turn must be from 1s to 100000w");
  }
  if (layer.start_local_s < kMinMs / 1000 - kDay || layer.start_local_s > kMaxMs / 1000 + kDay) {
    return Error::Invalid("layer \"" + layer.name + "\": start out of range");
  }
  int64_t end_ms = layer.end_ms ? std::min(to_ms, *layer.end_ms) : to_ms;
  if (layer.participants.empty() || end_ms <= from_ms) return out;
  const bool restricted = !layer.restrictions.empty();
  std::vector<Interval> windows;
  if (restricted) {
    windows = Windows(zone, layer.restrictions, from_ms, end_ms);
    if (windows.empty()) return out;
  }
  // Without restrictions a new shift starts each time the person changes (`changes` times per
  // round of n turns), so a range with far too many is rejected before any work.
  const auto n = static_cast<int64_t>(layer.participants.size());
  int64_t changes = 0;
  for (int64_t i = 0; i < n; ++i) {
    changes += layer.participants[i] != layer.participants[(i + 1) % n];
  }
  int64_t estimate = (end_ms - from_ms) / (layer.turn_s * 1000) / n * changes + changes + 1;
  if (!restricted && estimate > static_cast<int64_t>(kMaxShifts) + n + 3) return TooMany(layer);
  out.reserve(static_cast<size_t>(
      std::min<int64_t>(estimate + static_cast<int64_t>(windows.size()), kMaxReserve)));
  // The turn whose wall-clock start is at or before from_ms's, and one more to be safe; turn k
  // then starts at or before from_ms because LocalToUtcMs never decreases.
  int64_t k = FloorDiv(UtcToLocalS(zone, from_ms) - layer.start_local_s, layer.turn_s) - 1;
  k = std::max<int64_t>(k, 0);
  int64_t turn_start = LocalToUtcMs(zone, layer.start_local_s + k * layer.turn_s);
  size_t w = 0;
  while (turn_start < end_ms) {
    // When nobody ever changes (one participant), turn k lasts to the end of the range.
    int64_t turn_end =
        changes == 0 ? end_ms : LocalToUtcMs(zone, layer.start_local_s + (k + 1) * layer.turn_s);
    int64_t s = std::max(turn_start, from_ms);
    int64_t e = std::min(turn_end, end_ms);
    const std::string& person = layer.participants[static_cast<size_t>(k % n)];
    if (s < e && !restricted) {
      Append(out, person, s, e, layer.name);
    } else if (s < e) {
      while (w < windows.size() && windows[w].end_ms <= s) ++w;
      if (w == windows.size()) break;
      for (size_t i = w; i < windows.size() && windows[i].start_ms < e; ++i) {
        Append(out, person, std::max(s, windows[i].start_ms), std::min(e, windows[i].end_ms),
               layer.name);
      }
    }
    if (out.size() > kMaxShifts) return TooMany(layer);
    ++k;
    turn_start = turn_end;
  }
  return out;
}

// The overrides that meet [from_ms, to_ms) as shifts, clipped, sorted and disjoint (should two
// overlap after all, the one that starts first keeps the shared time).
std::vector<Shift> OverrideShifts(const std::vector<Override>& overrides, int64_t from_ms,
                                  int64_t to_ms) {
  std::vector<Shift> out;
  for (const Override& o : overrides) {
    int64_t s = std::max(o.start_ms, from_ms);
    int64_t e = std::min(o.end_ms, to_ms);
    if (s < e) out.push_back({o.person, s, e, "override", o.id});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Shift& a, const Shift& b) { return a.start_ms < b.start_ms; });
  std::vector<Shift> disjoint;
  for (Shift& o : out) {
    if (!disjoint.empty()) o.start_ms = std::max(o.start_ms, disjoint.back().end_ms);
    if (o.start_ms < o.end_ms) disjoint.push_back(std::move(o));
  }
  return disjoint;
}

// True when two winners make one final entry: both gaps, or the same person, source and override.
bool SameEntry(const Shift* a, const Shift* b) {
  if (!a || !b) return a == b;
  return a->person == b->person && a->source == b->source && a->override_id == b->override_id;
}

// A cursor over one sorted, disjoint list of shifts, moved forward by a sweep.
struct Cursor {
  const std::vector<Shift>* shifts = nullptr;
  size_t next = 0;

  // The shift covering `at_ms`, or null. REQUIRES: `at_ms` never decreases between calls.
  const Shift* At(int64_t at_ms) {
    while (next < shifts->size() && (*shifts)[next].end_ms <= at_ms) ++next;
    if (next < shifts->size() && (*shifts)[next].start_ms <= at_ms) return &(*shifts)[next];
    return nullptr;
  }
};

// The final schedule: a sweep over every boundary, where overrides beat the highest layer
// that has someone on call.
std::vector<Shift> Combine(const std::vector<std::vector<Shift>>& layers,
                           const std::vector<Shift>& overrides, int64_t from_ms, int64_t to_ms) {
  std::vector<int64_t> points = {from_ms, to_ms};
  std::vector<Cursor> cursors;  // overrides first, then layers from the top down
  cursors.push_back({&overrides});
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) cursors.push_back({&*it});
  for (const Cursor& c : cursors) {
    for (const Shift& s : *c.shifts) {
      points.push_back(s.start_ms);
      points.push_back(s.end_ms);
    }
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  // First the winner of each run of boundaries (null: a gap), so the result is allocated once.
  std::vector<std::pair<int64_t, const Shift*>> runs;  // start, winner
  runs.reserve(points.size());
  for (size_t i = 0; i + 1 < points.size(); ++i) {
    const Shift* top = nullptr;
    for (Cursor& c : cursors) {
      if ((top = c.At(points[i]))) break;
    }
    if (!runs.empty() && SameEntry(runs.back().second, top)) continue;
    runs.emplace_back(points[i], top);
  }
  std::vector<Shift> out;
  out.reserve(runs.size());
  for (size_t i = 0; i < runs.size(); ++i) {
    int64_t end_ms = i + 1 < runs.size() ? runs[i + 1].first : to_ms;
    const Shift* top = runs[i].second;
    if (top) {
      out.push_back({top->person, runs[i].first, end_ms, top->source, top->override_id});
    } else {
      out.push_back({"", runs[i].first, end_ms, "", ""});
    }
  }
  return out;
}

}  // namespace

Result<Resolution> Resolve(const Schedule& schedule, const std::vector<Override>& overrides,
                           int64_t from_ms, int64_t to_ms) {
  PLINTH_ASSIGN_OR_RETURN(const date::time_zone* zone, FindZone(schedule.time_zone));
  if (from_ms >= to_ms) return Error::Invalid("empty range: from must be before to");
  if (!InRange(from_ms) || !InRange(to_ms)) {
    return Error::Invalid("range outside the years 1900 to 9999");
  }
  if (to_ms - from_ms > kMaxRangeMs) return Error::Invalid("range longer than 5 years");
  Resolution r;
  r.layers.reserve(schedule.layers.size());
  for (const Layer& layer : schedule.layers) {
    PLINTH_ASSIGN_OR_RETURN(auto shifts, LayerShifts(zone, layer, from_ms, to_ms));
    r.layers.push_back(std::move(shifts));
  }
  r.final = Combine(r.layers, OverrideShifts(overrides, from_ms, to_ms), from_ms, to_ms);
  return r;
}

Result<Shift> OnCallAt(const Schedule& schedule, const std::vector<Override>& overrides,
                       int64_t at_ms, int64_t horizon_ms) {
  if (!InRange(at_ms)) return Error::Invalid("time outside the years 1900 to 9999");
  if (horizon_ms > kMaxRangeMs / 2) return Error::Invalid("horizon longer than 2.5 years");
  int64_t h = std::max<int64_t>(horizon_ms, 1);
  PLINTH_ASSIGN_OR_RETURN(Resolution r, Resolve(schedule, overrides, std::max(at_ms - h, kMinMs),
                                                std::min(at_ms + h, kMaxMs)));
  // The first entry that ends after at_ms covers it: the final schedule has no holes.
  auto it = std::upper_bound(r.final.begin(), r.final.end(), at_ms,
                             [](int64_t t, const Shift& s) { return t < s.end_ms; });
  if (it == r.final.end()) return Error::Invalid("time outside the years 1900 to 9999");
  return std::move(*it);
}

}  // namespace plinth::schedule
