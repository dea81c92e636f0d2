#pragma once
// Import of a PagerDuty schedule (REST API v2) into the schedule model, for
// `plinth oncall import pagerduty FILE`. Pure: no I/O, no clock reads; who the PagerDuty users
// are in plinth is asked of a callback, called on the caller's thread and not retained.
//
// Input: the body of GET /schedules/{id} ({"schedule": {...}}) or the bare schedule object,
// optionally with a top-level "overrides" key holding either the "overrides" array of
// GET /schedules/{id}/overrides or that whole response. Unknown keys are ignored. Error
// pointers follow the document as given ("/schedule/schedule_layers/1/start" for the wrapped
// form, "/schedule_layers/1/start" for the bare one).
//
// Mapping:
//  - Layer order. GET returns schedule_layers with the highest-precedence layer first (the one
//    the web UI shows on top, "Layer N"); POST/PUT take them the other way round, lowest first.
//    Sources: PagerDuty/public-support-scripts PR #60 ("a GET request and a POST or PUT request
//    for a schedule will have schedule layers in opposite order"), and the Terraform provider,
//    which reverses the GET list (flattenScheduleLayers, "Reverse the final result"). plinth's
//    later layer wins, so schedule.layers is schedule_layers reversed: layers[0] is the
//    PagerDuty base layer ("Layer 1").
//  - Layer start. PagerDuty has two times: rotation_virtual_start fixes the rotation's phase
//    (turn k starts at virtual start + k turns, and keeps its wall time across DST like
//    plinth's), `start` is when the layer takes effect. plinth has only start_local_s for both,
//    so the layer starts at the first handoff at or after `start` (skipping one whose wall time
//    falls in a spring-forward gap, which a spec cannot state), and the participant list is
//    rotated so that every turn keeps its PagerDuty person. The time from `start` to that
//    handoff would have nobody: a note says so, or with keep_partial_turns it becomes an extra
//    one-person layer "<name>-lead-in" ending at that handoff (exact, one layer more).
//  - A layer whose end is not after its start never has anyone; it is skipped with a note, and
//    its users are not looked up.
//  - Names. The schedule and layer names are the PagerDuty names lower-cased and made valid
//    plinth names ([a-zA-Z0-9]([-_.]?[a-zA-Z0-9])*, at most 63 characters; "Layer 2" ->
//    "layer-2"); layer names are made unique with "-2", "-3", ... in plinth order.
//  - Restrictions. daily_restriction/weekly_restriction map to kDaily/kWeekly;
//    start_day_of_week 1 (Monday) .. 7 (Sunday) becomes 0 .. 6.
//  - People. The callback is asked once per distinct PagerDuty user id. Without
//    create_people, every user it does not know is an error (one per user, at its first
//    appearance); with it, they get a suggested name (the e-mail's local part, else the
//    summary, else the id; unique in this import) and are listed with create = true for the
//    caller to create. Whether a suggested name is free in plinth is the caller's to check.
//  - Overrides keep their PagerDuty ids. Overlapping overrides, which plinth rejects when they
//    are stored, are reported as notes.
//
// Errors: one kInvalid Error with a FieldError for every problem found (location = the
// source name given), e.g. "schedule.schedule_layers[1].rotation_turn_length_seconds: must be a
// positive integer".

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "schedule/model.h"

namespace plinth::schedule {

// A PagerDuty user as a schedule export names it (a user_reference).
struct PdUser {
  std::string id;       // e.g. "PXPGF42"
  std::string summary;  // display name, e.g. "Ana López"; may be empty
  std::string email;    // empty when the export has none (references usually carry none)

  bool operator==(const PdUser&) const = default;
};

// The plinth person name of a PagerDuty user, or nullopt (or "") when there is none.
using PdPersonResolver = std::function<std::optional<std::string>(const PdUser&)>;

// A resolver over a fixed table: keys are PagerDuty user ids (exact) or e-mail addresses (any
// case; a key with '@' is an address); values are person names. The id is tried first.
PdPersonResolver PdPeopleTable(std::map<std::string, std::string> people);

struct PagerDutyImportOptions {
  std::string name;                 // the schedule's plinth name; empty: from schedule.name
  bool create_people = false;       // unknown users get suggested names instead of errors
  bool keep_partial_turns = false;  // a lead-in layer instead of dropping start..first handoff
};

// How one PagerDuty user maps to a plinth person.
struct PdUserMapping {
  PdUser user;
  std::string person;   // the name used in the schedule and overrides
  bool create = false;  // the person does not exist yet: `person` is a suggestion to create
  std::string pointer;  // JSON pointer of the user's first appearance

  bool operator==(const PdUserMapping&) const = default;
};

struct PagerDutyImport {
  Schedule schedule;
  std::string description;  // schedule.description, for the catalog entry
  std::vector<Override> overrides;
  // layer_users[i][j] is the PagerDuty user behind schedule.layers[i].participants[j].
  std::vector<std::vector<PdUser>> layer_users;
  std::vector<PdUserMapping> users;  // every distinct user, in order of first appearance
  std::vector<std::string> notes;    // what the import could not carry over exactly
};

// Converts `doc` (see above). `source` names the input in errors (e.g. the file name).
Result<PagerDutyImport> ImportPagerDuty(const Json& doc, std::string_view source,
                                        const PdPersonResolver& resolve,
                                        const PagerDutyImportOptions& options = {});

}  // namespace plinth::schedule
