#pragma once
// The on-call domain: schedules as stored (catalog documents of kind Schedule plus their
// overrides), resolved by the schedule engine, for the API, the CLI and the calendar feeds.
//
// REQUIRES: a read transaction at least; CreateFeed needs a write transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "schedule/fairness.h"
#include "schedule/model.h"
#include "schedule/resolve.h"
#include "store/store.h"

namespace plinth::oncall {

// The longest range one request may resolve.
inline constexpr int64_t kMaxRangeMs = 400LL * 86400 * 1000;

struct StoredSchedule {
  schedule::Schedule model;
  std::string title;  // metadata.title, or the name
  std::string team;   // spec.team, may be empty
};

Result<StoredSchedule> LoadSchedule(store::Tx& tx, std::string_view name);
Result<std::vector<StoredSchedule>> LoadSchedules(store::Tx& tx);
// Every catalog person with their time zone (UTC when unset) and working hours.
Result<std::vector<schedule::Person>> LoadPeople(store::Tx& tx);

// Checks a requested range: from < to and at most kMaxRangeMs long.
Status CheckRange(int64_t from_ms, int64_t to_ms);

// The layers and final schedule of `name` over [from_ms, to_ms), overrides included.
Result<schedule::Resolution> Final(store::Tx& tx, std::string_view name, int64_t from_ms,
                                   int64_t to_ms);

// The final-schedule entry of `name` in effect at `at_ms` (a gap has an empty person), with its
// extent within 35 days either side.
struct OnCallAtTime {
  StoredSchedule schedule;
  schedule::Shift shift;
};
Result<OnCallAtTime> OnCallAt(store::Tx& tx, std::string_view name, int64_t at_ms);

// Who is on call at `at_ms` on every schedule (by team, then name): the shift in effect and the
// one after it.
struct OnCallNow {
  StoredSchedule schedule;
  schedule::Shift shift;
  std::optional<schedule::Shift> next;
};
Result<std::vector<OnCallNow>> WhoIsOnCall(store::Tx& tx, int64_t at_ms);

// Every shift of `person` on any schedule in [from_ms, to_ms), by start.
struct PersonShift {
  std::string schedule;
  schedule::Shift shift;
};
Result<std::vector<PersonShift>> ShiftsOf(store::Tx& tx, std::string_view person,
                                          int64_t from_ms, int64_t to_ms);

// The policy of the fairness report unless asked otherwise: at most one week on call per person
// per quarter, where a calendar week (Monday to Monday in the person's zone) counts when the
// person held more than 24 hours of on-call time in it — so a weekly turn handed over on Monday
// morning is one week, not two, and a follow-the-sun week of 8-hour days still counts.
schedule::FairnessPolicy DefaultFairnessPolicy();

// The fairness and health report of every schedule over `period`, with each person's pages
// received (paging_pages sent to them in the period).
Result<schedule::FairnessReport> Report(store::Tx& tx, const schedule::Period& period,
                                        const schedule::FairnessPolicy& policy);

// The gaps (nobody on call) of every schedule in [now_ms, now_ms + span_ms), by schedule name
// then start.
Result<std::vector<std::pair<std::string, schedule::Shift>>> UpcomingGaps(store::Tx& tx,
                                                                          int64_t now_ms,
                                                                          int64_t span_ms);

// {"person": "ana" | null, "start", "end", "source": "layer" | "override" | null,
//  "override_id"?}
Json ShiftJson(const schedule::Shift& shift);
Json ReportJson(const schedule::FairnessReport& report, const schedule::FairnessPolicy& policy,
                std::string_view quarter);

// Calendar feeds at secret URLs: "/ical/<token>.ics". Only SHA-256 of the token is stored.
struct Feed {
  std::string kind;  // "schedule" or "person"
  std::string name;
};
struct NewFeed {
  std::string id;     // "feed_<12 hex>", public
  std::string token;  // the secret, shown once
};
// kNotFound when the schedule or person does not exist.
Result<NewFeed> CreateFeed(store::Tx& tx, const Feed& feed, std::string_view actor,
                           int64_t now_ms);
struct FeedInfo {
  std::string id;
  Feed feed;
  std::string created_by;
  int64_t created_ms = 0;
  std::optional<int64_t> revoked_ms;
};
// Every feed, newest first (never the tokens).
Result<std::vector<FeedInfo>> ListFeeds(store::Tx& tx);
// Revokes a feed: its URL stops working. Only its creator or a global manager may (the caller
// checks); kNotFound for an unknown id. Writes an audit entry.
Result<FeedInfo> FindFeedById(store::Tx& tx, std::string_view id);
Status RevokeFeed(store::Tx& tx, std::string_view id, std::string_view actor, int64_t now_ms);
// kNotFound for an unknown or revoked token.
Result<Feed> FindFeed(store::Tx& tx, std::string_view token);
// The feed's calendar: shifts from 30 days before `now_ms` to 180 days after.
Result<std::string> FeedCalendar(store::Tx& tx, const Feed& feed, int64_t now_ms);

}  // namespace plinth::oncall
