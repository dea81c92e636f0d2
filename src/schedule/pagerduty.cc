#include "schedule/pagerduty.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "base/time.h"
#include "schedule/spec.h"
#include "schedule/zone.h"

namespace plinth::schedule {

namespace {

constexpr size_t kMaxName = 63;
constexpr int64_t kMaxTurn = 366 * kDay;
constexpr const char* kDays = "must be an integer from 1 (Monday) to 7 (Sunday)";
// ASCII for the Latin-1 letters U+00C0..U+00FF (UTF-8 C3 80..C3 BF): "López" -> "lopez".
constexpr char kLatin1[] = "aaaaaaaceeeeiiiidnooooo-ouuuuytsaaaaaaaceeeeiiiidnooooo-ouuuuyty";

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsSep(char c) { return c == '-' || c == '_' || c == '.'; }

bool IsValidName(std::string_view s) {
  if (s.empty() || s.size() > kMaxName || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsAlnum(s[i]) && !(IsSep(s[i]) && IsAlnum(s[i + 1]))) return false;
  }
  return true;
}

// `text` lower-cased as a valid name: other characters become one separator between words,
// letters outside ASCII and Latin-1 are dropped. Empty when nothing is left.
std::string MakeName(std::string_view text) {
  std::string out;
  char pending = 0;
  auto put = [&](char c) {
    if (IsAlnum(c)) {
      if (pending && !out.empty()) out += pending;
      pending = 0;
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!pending) {
      pending = IsSep(c) ? c : '-';
    }
  };
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      put(static_cast<char>(c));
    } else if (c == 0xC3 && i + 1 < text.size() &&
               (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      put(kLatin1[static_cast<unsigned char>(text[++i]) - 0x80]);
    }
  }
  if (out.size() > kMaxName) out.resize(kMaxName);
  while (!out.empty() && !IsAlnum(out.back())) out.pop_back();
  return out;
}

// `base`, or `base-2`, `base-3`, ... when taken; records the result in `taken`.
std::string Unique(const std::string& base, std::set<std::string>& taken) {
  std::string name = base;
  for (int n = 2; taken.count(name); ++n) {
    std::string suffix = "-" + std::to_string(n);
    name = base.substr(0, kMaxName - suffix.size());
    while (!name.empty() && !IsAlnum(name.back())) name.pop_back();
    name += suffix;
  }
  taken.insert(name);
  return name;
}

// Reads fields, collecting every problem. A null value counts as absent.
class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  void Fail(std::string pointer, std::string message) {
    errors_.push_back({std::move(pointer), std::move(message), source_});
  }
  std::vector<FieldError>& errors() { return errors_; }

  const Json* Get(const Json& obj, std::string_view key) {
    auto it = obj.find(std::string(key));
    return it == obj.end() || it->is_null() ? nullptr : &*it;
  }
  const Json* Require(const Json& obj, const std::string& p, std::string_view key) {
    const Json* v = Get(obj, key);
    if (!v) Fail(p + "/" + std::string(key), "is required");
    return v;
  }
  const Json* Typed(const Json& obj, const std::string& p, std::string_view key, Json::value_t type,
                    const char* what, bool required) {
    const Json* v = required ? Require(obj, p, key) : Get(obj, key);
    if (!v || v->type() == type) return v;
    Fail(p + "/" + std::string(key), std::string("must be ") + what);
    return nullptr;
  }
  std::optional<std::string> Text(const Json& obj, const std::string& p, std::string_view key,
                                  bool required = false) {
    const Json* v = Typed(obj, p, key, Json::value_t::string, "a string", required);
    return v ? std::optional(v->get<std::string>()) : std::nullopt;
  }
  std::optional<int64_t> Time(const Json& obj, const std::string& p, std::string_view key,
                              bool required = true) {
    auto text = Text(obj, p, key, required);
    if (!text) return std::nullopt;
    auto ms = ParseRfc3339(*text);
    if (ms.ok()) return *ms;
    Fail(p + "/" + std::string(key),
         "invalid timestamp \"" + *text + "\" (expected RFC 3339, e.g. 2026-01-05T09:00:00+01:00)");
    return std::nullopt;
  }
  // An integer in [1, max]: `not_positive` below, `too_big` above.
  std::optional<int64_t> Count(const Json& obj, const std::string& p, std::string_view key,
                               int64_t max, const std::string& too_big,
                               const char* not_positive = "must be a positive integer") {
    const Json* v = Require(obj, p, key);
    if (!v) return std::nullopt;
    bool positive = v->is_number_unsigned() || (v->is_number_integer() && v->get<int64_t>() > 0);
    if (!positive || v->get<uint64_t>() == 0) {
      Fail(p + "/" + std::string(key), not_positive);
    } else if (v->get<uint64_t>() > static_cast<uint64_t>(max)) {
      Fail(p + "/" + std::string(key), too_big);
    } else {
      return v->get<int64_t>();
    }
    return std::nullopt;
  }

 private:
  std::string source_;
  std::vector<FieldError> errors_;
};

struct PdLayer {
  std::string pointer;
  std::string pd_name;
  int64_t start_ms = 0, virtual_start_ms = 0, turn_s = 0;
  std::optional<int64_t> end_ms;
  std::vector<std::string> user_ids;
  std::vector<Restriction> restrictions;
  bool dead = false;  // ends before it starts
};

class Importer {
 public:
  Importer(std::string_view source, const PdPersonResolver& resolve,
           const PagerDutyImportOptions& options)
      : r_(source), resolve_(resolve), options_(options) {}

  Result<PagerDutyImport> Run(const Json& doc);

 private:
  std::optional<std::string> User(const Json& ref, const std::string& p, bool record);
  std::optional<Restriction> ParseRestriction(const Json& j, const std::string& p);
  void ParseLayer(const Json& j, const std::string& p);
  void ParseOverrides(const Json& v, std::string p);
  void ResolveUsers();
  void AddLayer(const PdLayer& in, size_t plinth_pos, const date::time_zone* zone);
  std::string Person(const std::string& id) { return out_.users[user_index_[id]].person; }

  Reader r_;
  const PdPersonResolver& resolve_;
  const PagerDutyImportOptions& options_;
  PagerDutyImport out_;
  std::map<std::string, size_t> user_index_;                         // PagerDuty id -> out_.users
  std::vector<PdLayer> layers_;                                      // in document order
  std::vector<std::pair<std::string, std::string>> override_users_;  // pointer, user id
  std::set<std::string> layer_names_;
};

std::optional<std::string> Importer::User(const Json& ref, const std::string& p, bool record) {
  if (!ref.is_object()) {
    r_.Fail(p, "must be an object");
    return std::nullopt;
  }
  auto id = r_.Text(ref, p, "id", true);
  PdUser u{id.value_or(""), r_.Text(ref, p, "summary").value_or(""),
           r_.Text(ref, p, "email").value_or("")};
  if (id && id->empty()) r_.Fail(p + "/id", "must not be empty");
  if (!id || id->empty()) return std::nullopt;
  if (!record) return id;
  auto [it, added] = user_index_.try_emplace(*id, out_.users.size());
  if (added) out_.users.push_back({u, "", false, p});
  PdUser& known = out_.users[it->second].user;
  if (known.summary.empty()) known.summary = u.summary;
  if (known.email.empty()) known.email = u.email;
  return id;
}

std::optional<Restriction> Importer::ParseRestriction(const Json& j, const std::string& p) {
  if (!j.is_object()) {
    r_.Fail(p, "must be an object");
    return std::nullopt;
  }
  Restriction out;
  auto type = r_.Text(j, p, "type", true);
  bool weekly = type == "weekly_restriction";
  if (type && !weekly && *type != "daily_restriction") {
    r_.Fail(p + "/type", "unknown restriction type \"" + *type +
                             "\" (expected daily_restriction or weekly_restriction)");
  }
  auto clock = r_.Text(j, p, "start_time_of_day", true);
  std::optional<int64_t> start_s = clock ? ParseTimeOfDay(*clock) : std::nullopt;
  if (clock && !start_s) {
    r_.Fail(p + "/start_time_of_day", "invalid time of day \"" + *clock + "\" (expected HH:MM:SS)");
  }
  auto duration = r_.Count(j, p, "duration_seconds", weekly ? kWeek : kDay,
                           weekly ? "must be at most 604800 (one week) for a weekly_restriction"
                                  : "must be at most 86400 (one day) for a daily_restriction");
  if (weekly) {
    auto day = r_.Count(j, p, "start_day_of_week", 7, kDays, kDays);
    if (!day) return std::nullopt;
    out.kind = Restriction::kWeekly;
    out.start_day = static_cast<int>(*day) - 1;
  }
  if (!type || !start_s || !duration) return std::nullopt;
  out.start_s = *start_s;
  out.duration_s = *duration;
  return out;
}

void Importer::ParseLayer(const Json& j, const std::string& p) {
  if (!j.is_object()) {
    r_.Fail(p, "must be an object");
    return;
  }
  PdLayer l;
  l.pointer = p;
  l.pd_name = r_.Text(j, p, "name").value_or("");
  auto start = r_.Time(j, p, "start");
  auto end = r_.Time(j, p, "end", false);
  auto virtual_start = r_.Time(j, p, "rotation_virtual_start");
  auto turn = r_.Count(j, p, "rotation_turn_length_seconds", kMaxTurn,
                       "must be at most " + std::to_string(kMaxTurn) + " (366 days)");
  if (turn && *turn < kMinute) {
    r_.Fail(p + "/rotation_turn_length_seconds", "must be at least 60 (one minute)");
  }
  l.dead = start && end && *end <= *start;
  if (const Json* users = r_.Typed(j, p, "users", Json::value_t::array, "an array", true)) {
    if (users->empty()) r_.Fail(p + "/users", "must list at least one user");
    for (size_t i = 0; i < users->size(); ++i) {
      std::string up = p + "/users/" + std::to_string(i);
      const Json& entry = (*users)[i];
      if (!entry.is_object()) {
        r_.Fail(up, "must be an object");
      } else if (const Json* ref = r_.Require(entry, up, "user")) {
        if (auto id = User(*ref, up + "/user", !l.dead)) l.user_ids.push_back(*id);
      }
    }
  }
  if (const Json* rs = r_.Typed(j, p, "restrictions", Json::value_t::array, "an array", false)) {
    for (size_t i = 0; i < rs->size(); ++i) {
      auto res = ParseRestriction((*rs)[i], p + "/restrictions/" + std::to_string(i));
      if (res) l.restrictions.push_back(*res);
    }
  }
  if (!start || !virtual_start || !turn) return;
  l.start_ms = *start;
  l.end_ms = end;
  l.virtual_start_ms = *virtual_start;
  l.turn_s = *turn;
  layers_.push_back(std::move(l));
}

void Importer::ParseOverrides(const Json& v, std::string p) {
  const Json* list = &v;
  if (v.is_object()) {  // the whole GET /schedules/{id}/overrides response
    list = r_.Typed(v, p, "overrides", Json::value_t::array, "an array", true);
    if (!list) return;
    p += "/overrides";
  } else if (!v.is_array()) {
    r_.Fail(p, "must be an array");
    return;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    std::string op = p + "/" + std::to_string(i);
    const Json& o = (*list)[i];
    if (!o.is_object()) {
      r_.Fail(op, "must be an object");
      continue;
    }
    auto id = r_.Text(o, op, "id", true);
    auto start = r_.Time(o, op, "start");
    auto end = r_.Time(o, op, "end");
    if (start && end && *end <= *start) r_.Fail(op + "/end", "must be after start");
    const Json* ref = r_.Require(o, op, "user");
    auto user = ref ? User(*ref, op + "/user", true) : std::nullopt;
    if (!id || !start || !end || !user) continue;
    out_.overrides.push_back({*id, "", *start, *end});
    override_users_.emplace_back(op, *user);
  }
}

void Importer::ResolveUsers() {
  std::set<std::string> taken;
  std::vector<PdUserMapping*> unknown;
  for (PdUserMapping& m : out_.users) {
    std::optional<std::string> name = resolve_ ? resolve_(m.user) : std::nullopt;
    if (!name || name->empty()) {
      unknown.push_back(&m);
    } else if (!IsValidName(*name)) {
      r_.Fail(m.pointer, "PagerDuty user " + m.user.id + " maps to \"" + *name +
                             "\", which is not a valid plinth name");
    } else {
      m.person = *name;
      taken.insert(*name);
    }
  }
  for (PdUserMapping* m : unknown) {
    const PdUser& u = m->user;
    std::string base = MakeName(u.email.substr(0, u.email.find('@')));
    if (base.empty()) base = MakeName(u.summary);
    if (base.empty()) base = MakeName(u.id);
    if (base.empty()) base = "pagerduty-user";
    m->person = Unique(base, taken);
    m->create = true;
    if (options_.create_people) continue;
    std::string who = "PagerDuty user " + u.id;
    if (!u.summary.empty()) who += " \"" + u.summary + "\"";
    if (!u.email.empty()) who += " <" + u.email + ">";
    r_.Fail(m->pointer, "no plinth person for " + who +
                            " (map it, or create people: suggested name \"" + m->person + "\")");
  }
}

// The first turn k of a rotation (turn 0 at vs_local) whose handoff is at or after `at_ms`
// and whose wall time exists.
int64_t FirstTurnFrom(const date::time_zone* zone, int64_t vs_local, int64_t turn_s,
                      int64_t at_ms) {
  auto handoff = [&](int64_t k) { return LocalToUtcMs(zone, vs_local + k * turn_s); };
  int64_t k = -FloorDiv(vs_local - UtcToLocalS(zone, at_ms), turn_s);  // ceil, in local time
  while (handoff(k - 1) >= at_ms) --k;
  while (handoff(k) < at_ms) ++k;
  while (IsNonexistent(zone, vs_local + k * turn_s)) ++k;  // a spec start must exist
  return k;
}

void Importer::AddLayer(const PdLayer& in, size_t plinth_pos, const date::time_zone* zone) {
  std::string label = PointerToDotted(in.pointer) + " \"" + in.pd_name + "\"";
  if (in.dead) {
    out_.notes.push_back(label + ": skipped, it ends (" + FormatRfc3339(*in.end_ms) +
                         ") before it starts (" + FormatRfc3339(in.start_ms) + ")");
    return;
  }
  std::string base = MakeName(in.pd_name);
  if (base.empty()) base = "layer-" + std::to_string(plinth_pos + 1);
  int64_t vs_local = UtcToLocalS(zone, in.virtual_start_ms);
  int64_t k = FirstTurnFrom(zone, vs_local, in.turn_s, in.start_ms);
  int64_t first_ms = LocalToUtcMs(zone, vs_local + k * in.turn_s);
  auto n = static_cast<int64_t>(in.user_ids.size());
  auto person_of_turn = [&](int64_t turn) { return in.user_ids[((turn % n) + n) % n]; };

  bool whole_turns = !in.end_ms || first_ms < *in.end_ms;
  if (!whole_turns && !options_.keep_partial_turns) {
    out_.notes.push_back(label + ": skipped, it ends (" + FormatRfc3339(*in.end_ms) +
                         ") before its first handoff (" + FormatRfc3339(first_ms) + ")");
    return;
  }
  if (first_ms > in.start_ms) {
    int64_t lead_end = in.end_ms ? std::min(*in.end_ms, first_ms) : first_ms;
    std::string note = label + ": PagerDuty starts it at " + FormatRfc3339(in.start_ms) +
                       ", mid-turn; plinth starts it at the next handoff, " +
                       FormatRfc3339(first_ms);
    std::string lead_id = person_of_turn(k - 1);
    if (options_.keep_partial_turns) {
      Layer lead{Unique(MakeName(base + "-lead-in"), layer_names_),
                 {Person(lead_id)},
                 in.turn_s,
                 UtcToLocalS(zone, in.start_ms),
                 lead_end,
                 in.restrictions};
      note += "; the part before it is layer \"" + lead.name + "\"";
      out_.schedule.layers.push_back(std::move(lead));
      out_.layer_users.push_back({out_.users[user_index_[lead_id]].user});
    } else {
      note += ", so nobody is on this layer until then (" + Person(lead_id) + "'s turn)";
    }
    out_.notes.push_back(std::move(note));
  }
  if (!whole_turns) return;
  Layer layer{Unique(base, layer_names_), {},        in.turn_s,
              vs_local + k * in.turn_s,   in.end_ms, in.restrictions};
  std::vector<PdUser> users;
  for (int64_t i = 0; i < n; ++i) {
    const std::string& id = person_of_turn(k + i);
    layer.participants.push_back(Person(id));
    users.push_back(out_.users[user_index_[id]].user);
  }
  out_.schedule.layers.push_back(std::move(layer));
  out_.layer_users.push_back(std::move(users));
}

Result<PagerDutyImport> Importer::Run(const Json& doc) {
  const Json* sched = &doc;
  std::string p;
  if (!doc.is_object()) {
    r_.Fail("", "must be a JSON object (a PagerDuty schedule)");
    sched = nullptr;
  } else if (doc.contains("schedule")) {
    p = "/schedule";
    sched = r_.Typed(doc, "", "schedule", Json::value_t::object, "an object", true);
  }
  const date::time_zone* zone = nullptr;
  if (sched) {
    auto name = r_.Text(*sched, p, "name", options_.name.empty());
    if (!options_.name.empty()) {
      if (!IsValidName(options_.name)) {
        r_.Fail("", "\"" + options_.name + "\" is not a valid schedule name");
      }
      out_.schedule.name = options_.name;
    } else if (name) {
      out_.schedule.name = MakeName(*name);
      if (out_.schedule.name.empty()) {
        r_.Fail(p + "/name", "\"" + *name + "\" has nothing usable in a plinth name; pass a name");
      }
    }
    if (auto tz = r_.Text(*sched, p, "time_zone", true)) {
      auto found = FindZone(*tz);
      if (found.ok()) {
        zone = *found;
        out_.schedule.time_zone = *tz;
      } else {
        r_.Fail(p + "/time_zone", found.error().message);
      }
    }
    out_.description = r_.Text(*sched, p, "description").value_or("");
    const Json* ls = r_.Typed(*sched, p, "schedule_layers", Json::value_t::array, "an array", true);
    if (ls && ls->empty()) r_.Fail(p + "/schedule_layers", "must list at least one layer");
    for (size_t i = 0; ls && i < ls->size(); ++i) {
      ParseLayer((*ls)[i], p + "/schedule_layers/" + std::to_string(i));
    }
  }
  if (const Json* v = doc.is_object() ? r_.Get(doc, "overrides") : nullptr) {
    ParseOverrides(*v, "/overrides");
  }
  ResolveUsers();
  if (r_.errors().empty()) {
    // GET lists the highest-precedence layer first; plinth's later layer wins.
    for (size_t i = layers_.size(); i-- > 0;) AddLayer(layers_[i], layers_.size() - 1 - i, zone);
    if (out_.schedule.layers.empty()) {
      r_.Fail(p + "/schedule_layers", "no layer ever has anyone on call");
    }
  }
  if (!r_.errors().empty()) {
    auto& errors = r_.errors();
    std::string where = errors[0].pointer.empty() ? "" : PointerToDotted(errors[0].pointer) + ": ";
    Error e = Error::Invalid(errors.size() == 1 ? where + errors[0].message
                                                : std::to_string(errors.size()) +
                                                      " problems in the PagerDuty schedule");
    e.fields = std::move(errors);
    return e;
  }
  for (size_t i = 0; i < out_.overrides.size(); ++i) {
    out_.overrides[i].person = Person(override_users_[i].second);
  }
  std::vector<size_t> order(out_.overrides.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return out_.overrides[a].start_ms < out_.overrides[b].start_ms;
  });
  for (size_t i = 1, last = 0; i < order.size(); ++i) {
    const Override& prev = out_.overrides[order[last]];
    const Override& cur = out_.overrides[order[i]];
    if (cur.start_ms < prev.end_ms) {
      out_.notes.push_back(PointerToDotted(override_users_[order[i]].first) + " (" + cur.id +
                           ") overlaps " + PointerToDotted(override_users_[order[last]].first) +
                           " (" + prev.id +
                           "); plinth rejects overlapping overrides when they are stored");
    }
    if (cur.end_ms > prev.end_ms) last = i;
  }
  return std::move(out_);
}

}  // namespace

PdPersonResolver PdPeopleTable(std::map<std::string, std::string> people) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::map<std::string, std::string> by_id, by_email;
  for (auto& [key, person] : people) {
    if (key.find('@') == std::string::npos) {
      by_id[key] = person;
    } else {
      by_email[lower(key)] = person;
    }
  }
  return [by_id, by_email, lower](const PdUser& u) -> std::optional<std::string> {
    if (auto it = by_id.find(u.id); it != by_id.end()) return it->second;
    if (u.email.empty()) return std::nullopt;
    if (auto it = by_email.find(lower(u.email)); it != by_email.end()) return it->second;
    return std::nullopt;
  };
}

Result<PagerDutyImport> ImportPagerDuty(const Json& doc, std::string_view source,
                                        const PdPersonResolver& resolve,
                                        const PagerDutyImportOptions& options) {
  return Importer(source, resolve, options).Run(doc);
}

}  // namespace plinth::schedule
