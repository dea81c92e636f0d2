#include "oncall/overrides.h"

#include <algorithm>

#include "audit/audit.h"
#include "base/crypto.h"
#include "base/time.h"
#include "catalog/repository.h"

namespace plinth::oncall {

namespace {

constexpr int64_t kMaxSlotMs = 366LL * 86400 * 1000;
constexpr const char* kOverrideColumns =
    "id, schedule, person, start_ms, end_ms, reason, created_by, created_ms, swap_id";
constexpr const char* kSwapColumns =
    "id, schedule, requester, start_ms, end_ms, taker, reason, status, created_by, created_ms, "
    "accepted_by, accepted_ms, override_id";

OverrideRecord OverrideFromRow(const store::Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4),
          r.Text(5), r.Text(6), r.Int(7), r.OptText(8)};
}

SwapRecord SwapFromRow(const store::Row& r) {
  return {r.Text(0),  r.Text(1),   r.Text(2),   r.Int(3),     r.Int(4),
          r.OptText(5), r.Text(6), r.Text(7),   r.Text(8),    r.Int(9),
          r.OptText(10), r.OptInt(11), r.OptText(12)};
}

// An RFC 3339 time at body[key]; a field error otherwise.
void ReadTime(const Json& body, const char* key, int64_t* out, std::vector<FieldError>& errors) {
  auto it = body.find(key);
  std::string pointer = std::string("/") + key;
  if (it == body.end() || it->is_null()) {
    errors.push_back({pointer, "is required", ""});
    return;
  }
  if (!it->is_string()) {
    errors.push_back({pointer, "must be an RFC 3339 time such as 2026-11-22T09:00:00Z", ""});
    return;
  }
  auto t = ParseRfc3339(it->get<std::string>());
  if (!t.ok()) {
    errors.push_back({pointer, "must be an RFC 3339 time such as 2026-11-22T09:00:00Z", ""});
    return;
  }
  *out = *t;
}

std::optional<std::string> ReadText(const Json& body, const char* key, bool required,
                                    std::vector<FieldError>& errors) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (required) errors.push_back({std::string("/") + key, "is required", ""});
    return std::nullopt;
  }
  if (!it->is_string() || (required && it->get<std::string>().empty())) {
    errors.push_back({std::string("/") + key, "must be a non-empty string", ""});
    return std::nullopt;
  }
  return it->get<std::string>();
}

void RejectUnknown(const Json& body, std::initializer_list<std::string_view> known,
                   std::vector<FieldError>& errors) {
  for (const auto& [key, _] : body.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      errors.push_back({"/" + key, "unknown field", ""});
    }
  }
}

Error Invalid(std::vector<FieldError> errors) {
  Error e = Error::Invalid(errors.size() == 1
                               ? PointerToDotted(errors[0].pointer) + ": " + errors[0].message
                               : std::to_string(errors.size()) + " problems in the request");
  e.fields = std::move(errors);
  return e;
}

Status RequirePerson(store::Tx& tx, std::string_view person, const char* pointer) {
  auto p = catalog::Get(tx, "Person", person);
  if (p.ok()) return Status();
  if (p.error().code != ErrorCode::kNotFound) return p.error();
  return Error::Field(pointer, "person \"" + std::string(person) + "\" does not exist");
}

Result<SwapRecord> GetSwap(store::Tx& tx, std::string_view schedule, std::string_view id) {
  PLINTH_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kSwapColumns +
                                                    " FROM oncall_swaps WHERE id = ? AND "
                                                    "schedule = ?",
                                                {id, schedule}));
  if (!row) return Error::NotFound("swap \"" + std::string(id) + "\" does not exist");
  return SwapFromRow(*row);
}

}  // namespace

Json OverrideRecord::ToJson() const {
  Json j = {{"id", id},
            {"schedule", schedule},
            {"person", person},
            {"start", FormatRfc3339(start_ms)},
            {"end", FormatRfc3339(end_ms)},
            {"reason", reason},
            {"created_by", created_by},
            {"created", FormatRfc3339(created_ms)}};
  if (swap_id) j["swap_id"] = *swap_id;
  return j;
}

Json SwapRecord::ToJson() const {
  Json j = {{"id", id},         {"schedule", schedule},
            {"requester", requester}, {"start", FormatRfc3339(start_ms)},
            {"end", FormatRfc3339(end_ms)}, {"reason", reason},
            {"status", status}, {"created_by", created_by},
            {"created", FormatRfc3339(created_ms)}};
  j["taker"] = taker ? Json(*taker) : Json(nullptr);
  if (accepted_by) j["accepted_by"] = *accepted_by;
  if (accepted_ms) j["accepted"] = FormatRfc3339(*accepted_ms);
  j["override_id"] = override_id ? Json(*override_id) : Json(nullptr);
  return j;
}

Result<NewOverride> ParseOverride(std::string_view schedule, const Json& body) {
  if (!body.is_object()) return Error::Field("", "the body must be a JSON object");
  std::vector<FieldError> errors;
  NewOverride o;
  o.schedule = std::string(schedule);
  if (auto p = ReadText(body, "person", true, errors)) o.person = *p;
  ReadTime(body, "start", &o.start_ms, errors);
  ReadTime(body, "end", &o.end_ms, errors);
  if (auto r = ReadText(body, "reason", false, errors)) o.reason = *r;
  RejectUnknown(body, {"person", "start", "end", "reason"}, errors);
  if (!errors.empty()) return Invalid(std::move(errors));
  return o;
}

Result<OverrideRecord> CreateOverride(store::Tx& tx, const NewOverride& o, std::string_view actor,
                                      int64_t now_ms, std::optional<std::string> swap_id) {
  if (o.end_ms <= o.start_ms) return Error::Field("/end", "must be after start");
  if (o.end_ms - o.start_ms > kMaxSlotMs) {
    return Error::Field("/end", "an override can last at most 366 days");
  }
  PLINTH_RETURN_IF_ERROR(catalog::Get(tx, "Schedule", o.schedule));
  PLINTH_RETURN_IF_ERROR(RequirePerson(tx, o.person, "/person"));
  PLINTH_ASSIGN_OR_RETURN(auto overlapping, ListOverrides(tx, o.schedule, o.start_ms, o.end_ms));
  if (!overlapping.empty()) {
    const auto& other = overlapping.front();
    return Error::Conflict("the override overlaps override " + other.id + " (" + other.person +
                           ", " + FormatRfc3339(other.start_ms) + " to " +
                           FormatRfc3339(other.end_ms) + "); delete it or pick another slot");
  }
  OverrideRecord r{"ovr_" + RandomHex(8), o.schedule, o.person, o.start_ms, o.end_ms, o.reason,
                   std::string(actor), now_ms, swap_id};
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      std::string("INSERT INTO oncall_overrides (") + kOverrideColumns +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.id, r.schedule, r.person, r.start_ms, r.end_ms, r.reason, r.created_by, r.created_ms,
       r.swap_id}));
  PLINTH_RETURN_IF_ERROR(
      audit::Append(tx, now_ms, actor, "create", "Override", r.id, std::nullopt, r.ToJson()));
  return r;
}

Result<std::vector<OverrideRecord>> ListOverrides(store::Tx& tx, std::string_view schedule,
                                                  int64_t from_ms, int64_t to_ms) {
  PLINTH_ASSIGN_OR_RETURN(
      auto rows, tx.Query(std::string("SELECT ") + kOverrideColumns +
                              " FROM oncall_overrides WHERE schedule = ? AND end_ms > ? AND "
                              "start_ms < ? ORDER BY start_ms, id",
                          {schedule, from_ms, to_ms}));
  std::vector<OverrideRecord> out;
  for (const auto& row : rows) out.push_back(OverrideFromRow(row));
  return out;
}

Status DeleteOverride(store::Tx& tx, std::string_view schedule, std::string_view id,
                      std::string_view actor, int64_t now_ms) {
  PLINTH_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kOverrideColumns +
                                                    " FROM oncall_overrides WHERE id = ? AND "
                                                    "schedule = ?",
                                                {id, schedule}));
  if (!row) return Error::NotFound("override \"" + std::string(id) + "\" does not exist");
  OverrideRecord r = OverrideFromRow(*row);
  PLINTH_RETURN_IF_ERROR(tx.Exec("DELETE FROM oncall_overrides WHERE id = ?", {id}));
  PLINTH_RETURN_IF_ERROR(
      audit::Append(tx, now_ms, actor, "delete", "Override", r.id, r.ToJson(), std::nullopt));
  return Status();
}

Result<SwapRecord> CreateSwap(store::Tx& tx, std::string_view schedule, const Json& body,
                              std::string_view actor, int64_t now_ms) {
  if (!body.is_object()) return Error::Field("", "the body must be a JSON object");
  std::vector<FieldError> errors;
  SwapRecord s;
  s.schedule = std::string(schedule);
  if (auto p = ReadText(body, "requester", true, errors)) s.requester = *p;
  ReadTime(body, "start", &s.start_ms, errors);
  ReadTime(body, "end", &s.end_ms, errors);
  s.taker = ReadText(body, "taker", false, errors);
  if (auto r = ReadText(body, "reason", false, errors)) s.reason = *r;
  RejectUnknown(body, {"requester", "start", "end", "taker", "reason"}, errors);
  if (errors.empty() && s.end_ms <= s.start_ms) errors.push_back({"/end", "must be after start", ""});
  if (!errors.empty()) return Invalid(std::move(errors));
  PLINTH_RETURN_IF_ERROR(catalog::Get(tx, "Schedule", schedule));
  PLINTH_RETURN_IF_ERROR(RequirePerson(tx, s.requester, "/requester"));
  if (s.taker) PLINTH_RETURN_IF_ERROR(RequirePerson(tx, *s.taker, "/taker"));
  s.id = "swp_" + RandomHex(8);
  s.status = "open";
  s.created_by = std::string(actor);
  s.created_ms = now_ms;
  PLINTH_RETURN_IF_ERROR(tx.Exec(std::string("INSERT INTO oncall_swaps (") + kSwapColumns +
                                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 {s.id, s.schedule, s.requester, s.start_ms, s.end_ms, s.taker,
                                  s.reason, s.status, s.created_by, s.created_ms, nullptr,
                                  nullptr, nullptr}));
  PLINTH_RETURN_IF_ERROR(
      audit::Append(tx, now_ms, actor, "create", "Swap", s.id, std::nullopt, s.ToJson()));
  return s;
}

Result<std::vector<SwapRecord>> ListSwaps(store::Tx& tx, std::string_view schedule) {
  PLINTH_ASSIGN_OR_RETURN(auto rows,
                          tx.Query(std::string("SELECT ") + kSwapColumns +
                                       " FROM oncall_swaps WHERE schedule = ? ORDER BY "
                                       "start_ms, id",
                                   {schedule}));
  std::vector<SwapRecord> out;
  for (const auto& row : rows) out.push_back(SwapFromRow(row));
  return out;
}

Result<SwapRecord> AcceptSwap(store::Tx& tx, std::string_view schedule, std::string_view id,
                              std::optional<std::string> taker, std::string_view actor,
                              int64_t now_ms) {
  PLINTH_ASSIGN_OR_RETURN(SwapRecord s, GetSwap(tx, schedule, id));
  if (s.status != "open") return Error::Conflict("swap " + s.id + " is already " + s.status);
  if (s.taker && taker && *taker != *s.taker) {
    return Error::Field("/taker", "this swap was offered to " + *s.taker);
  }
  std::optional<std::string> who = taker ? taker : s.taker;
  if (!who) return Error::Field("/taker", "is required: the swap names no taker");
  if (*who == s.requester) return Error::Field("/taker", "the requester cannot take their own swap");
  SwapRecord before = s;
  PLINTH_ASSIGN_OR_RETURN(
      auto o, CreateOverride(tx, {s.schedule, *who, s.start_ms, s.end_ms, "swap " + s.id +
                                                                       (s.reason.empty() ? "" : ": " + s.reason)},
                             actor, now_ms, s.id));
  s.status = "accepted";
  s.taker = who;
  s.accepted_by = std::string(actor);
  s.accepted_ms = now_ms;
  s.override_id = o.id;
  PLINTH_RETURN_IF_ERROR(tx.Exec(
      "UPDATE oncall_swaps SET status = ?, taker = ?, accepted_by = ?, accepted_ms = ?, "
      "override_id = ? WHERE id = ?",
      {s.status, s.taker, s.accepted_by, s.accepted_ms, s.override_id, s.id}));
  PLINTH_RETURN_IF_ERROR(
      audit::Append(tx, now_ms, actor, "accept", "Swap", s.id, before.ToJson(), s.ToJson()));
  return s;
}

}  // namespace plinth::oncall
