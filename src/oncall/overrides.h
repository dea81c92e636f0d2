#pragma once
// Overrides and shift swaps: the operational changes to a schedule that do not belong in its
// YAML (PagerDuty keeps them apart the same way). A swap is a request by the person on call to
// hand [start, end) to someone else; accepting it records an override for the taker.
//
// Overrides of one schedule never overlap: creating one that overlaps another is kConflict
// naming the other, so the final schedule is never ambiguous. Every change writes an audit entry
// (kind "Override" or "Swap").
//
// REQUIRES: write transactions for the functions that change something.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "schedule/model.h"
#include "store/store.h"

namespace plinth::oncall {

struct OverrideRecord {
  std::string id;
  std::string schedule;
  std::string person;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::string reason;
  std::string created_by;
  int64_t created_ms = 0;
  std::optional<std::string> swap_id;

  schedule::Override ToModel() const { return {id, person, start_ms, end_ms}; }
  Json ToJson() const;
};

struct NewOverride {
  std::string schedule;
  std::string person;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::string reason;
};

// Reads {person, start, end, reason?} (RFC 3339 times); field errors with JSON pointers.
Result<NewOverride> ParseOverride(std::string_view schedule, const Json& body);

// kNotFound for an unknown schedule or person; kInvalid when end <= start or the slot is longer
// than 366 days; kConflict when it overlaps another override of the schedule.
Result<OverrideRecord> CreateOverride(store::Tx& tx, const NewOverride& o, std::string_view actor,
                                      int64_t now_ms,
                                      std::optional<std::string> swap_id = std::nullopt);

// The overrides of `schedule` that overlap [from_ms, to_ms), by start.
Result<std::vector<OverrideRecord>> ListOverrides(store::Tx& tx, std::string_view schedule,
                                                  int64_t from_ms, int64_t to_ms);

Status DeleteOverride(store::Tx& tx, std::string_view schedule, std::string_view id,
                      std::string_view actor, int64_t now_ms);

struct SwapRecord {
  std::string id;
  std::string schedule;
  std::string requester;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::optional<std::string> taker;  // nullopt: anyone may accept
  std::string reason;
  std::string status;  // "open", "accepted"
  std::string created_by;
  int64_t created_ms = 0;
  std::optional<std::string> accepted_by;
  std::optional<int64_t> accepted_ms;
  std::optional<std::string> override_id;

  Json ToJson() const;
};

// Reads {requester, start, end, taker?, reason?}; the requester and taker must be people.
Result<SwapRecord> CreateSwap(store::Tx& tx, std::string_view schedule, const Json& body,
                              std::string_view actor, int64_t now_ms);
Result<std::vector<SwapRecord>> ListSwaps(store::Tx& tx, std::string_view schedule);
// Accepts an open swap: `taker` (or the swap's named taker) takes the slot as an override.
// kConflict when the swap is no longer open or the slot overlaps another override.
Result<SwapRecord> AcceptSwap(store::Tx& tx, std::string_view schedule, std::string_view id,
                              std::optional<std::string> taker, std::string_view actor,
                              int64_t now_ms);

}  // namespace plinth::oncall
