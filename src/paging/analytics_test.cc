// Paging analytics on a small hand-built history (rows written directly, so every time is
// exact), on every backend: per team and service counts, MTTA and MTTR, alert quality, pages
// per person with off-hours and per shift, the noisiest alerts, the daily series and filters.

#include "paging/analytics.h"

#include <gtest/gtest.h>

#include "base/time.h"
#include "catalog/repository.h"
#include "store/test_fixture.h"

namespace plinth::paging {
namespace {

using store::testing::Backend;

int64_t T(const char* rfc3339) { return *ParseRfc3339(rfc3339); }
constexpr int64_t kMin = 60'000;

Json Doc(const std::string& kind, const std::string& name, Json spec) {
  return {
      {"apiVersion", "plinth/v1"}, {"kind", kind}, {"metadata", {{"name", name}}}, {"spec", spec}};
}

store::Value Opt(int64_t v) { return v ? store::Value(v) : store::Value(); }

class AnalyticsTest : public store::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto r = store_->Write([&](store::Tx& tx) -> Status {
      PLINTH_RETURN_IF_ERROR(
          catalog::Create(tx, Doc("Person", "ana", {{"timeZone", "Europe/Berlin"}}), "t", 0));
      // A part-timer: Monday to Thursday 08:00-14:00.
      PLINTH_RETURN_IF_ERROR(
          catalog::Create(tx,
                          Doc("Person", "ben",
                              {{"timeZone", "Europe/Berlin"},
                               {"workingHours",
                                {{"start", "08:00"},
                                 {"end", "14:00"},
                                 {"days", {"monday", "tuesday", "wednesday", "thursday"}}}}}),
                          "t", 0));
      PLINTH_RETURN_IF_ERROR(
          catalog::Create(tx, Doc("Person", "cem", {{"timeZone", "America/New_York"}}), "t", 0));
      PLINTH_RETURN_IF_ERROR(
          catalog::Create(tx, Doc("Team", "pay", {{"members", {"ana", "ben"}}}), "t", 0));
      PLINTH_RETURN_IF_ERROR(
          catalog::Create(tx, Doc("Team", "web", {{"members", {"cem"}}}), "t", 0));
      PLINTH_RETURN_IF_ERROR(
          catalog::Create(tx, Doc("Service", "api", {{"owner", "pay"}}), "t", 0));
      PLINTH_RETURN_IF_ERROR(catalog::Create(tx, Doc("Service", "ui", {{"owner", "web"}}), "t", 0));
      // Daily turns from Monday 2026-01-05 09:00 Berlin (08:00Z): ana, ben, ana, ...
      PLINTH_RETURN_IF_ERROR(catalog::Create(tx,
                                             Doc("Schedule", "primary",
                                                 {{"team", "pay"},
                                                  {"timeZone", "Europe/Berlin"},
                                                  {"layers",
                                                   {{{"name", "daily"},
                                                     {"participants", {"ana", "ben"}},
                                                     {"turn", "1d"},
                                                     {"start", "2026-01-05T09:00"}}}}}),
                                             "t", 0));
      PLINTH_RETURN_IF_ERROR(catalog::Create(tx,
                                             Doc("Schedule", "web-primary",
                                                 {{"team", "web"},
                                                  {"timeZone", "America/New_York"},
                                                  {"layers",
                                                   {{{"name", "weekly"},
                                                     {"participants", {"cem"}},
                                                     {"turn", "1w"},
                                                     {"start", "2026-01-04T09:00"}}}}}),
                                             "t", 0));

      // #1 api: acknowledged after 2m, resolved by ana after 30m, actionable.
      PLINTH_RETURN_IF_ERROR(
          Incident(tx, 1, "api", "high", "2026-01-05T10:00:00Z", 2, 30, "ana", 1));
      PLINTH_RETURN_IF_ERROR(
          Alert(tx, 1, "api", "cpu", "CPU above 90%", "2026-01-05T10:00:00Z", 30));
      PLINTH_RETURN_IF_ERROR(Page(tx, 1, "ana", "2026-01-05T10:00:00Z", "primary"));
      // #2 api at 03:00 Berlin: ana (on call) and ben (level 2) paged; not actionable.
      PLINTH_RETURN_IF_ERROR(
          Incident(tx, 2, "api", "high", "2026-01-06T02:00:00Z", 4, 60, "ana", 0));
      PLINTH_RETURN_IF_ERROR(
          Alert(tx, 2, "api", "cpu", "CPU above 95%", "2026-01-06T02:00:00Z", 60));
      PLINTH_RETURN_IF_ERROR(Page(tx, 2, "ana", "2026-01-06T02:00:00Z", "primary"));
      PLINTH_RETURN_IF_ERROR(Page(tx, 2, "ben", "2026-01-06T02:15:00Z", ""));
      // #3 api: three disk alerts that resolve themselves within minutes (flapping).
      PLINTH_RETURN_IF_ERROR(
          Incident(tx, 3, "api", "low", "2026-01-06T12:00:00Z", 0, 3, "source:prom", -1));
      PLINTH_RETURN_IF_ERROR(
          Alert(tx, 3, "api", "disk", "Disk 91% full", "2026-01-06T12:00:00Z", 3));
      PLINTH_RETURN_IF_ERROR(
          Alert(tx, 3, "api", "disk", "Disk 92% full", "2026-01-06T12:01:00Z", 2));
      PLINTH_RETURN_IF_ERROR(
          Alert(tx, 3, "api", "disk", "Disk 93% full", "2026-01-06T12:02:00Z", 1));
      PLINTH_RETURN_IF_ERROR(Page(tx, 3, "ben", "2026-01-06T12:00:00Z", "primary"));
      // #4 api: snoozed after 6m (the first acknowledgement), acknowledged again after 20m,
      // resolved by the auto-resolve timeout after 4h.
      PLINTH_RETURN_IF_ERROR(
          Incident(tx, 4, "api", "high", "2026-01-07T09:00:00Z", 20, 240, "timeout", -1));
      PLINTH_RETURN_IF_ERROR(Log(tx, 4, "2026-01-07T09:06:00Z", 2, "snoozed"));
      PLINTH_RETURN_IF_ERROR(
          Alert(tx, 4, "api", "", "Latency p99 above 2s", "2026-01-07T09:00:00Z", 240));
      PLINTH_RETURN_IF_ERROR(Page(tx, 4, "ana", "2026-01-07T09:00:00Z", "primary"));
      // #5 api: open, triggered, at 21:00 Berlin.
      PLINTH_RETURN_IF_ERROR(Incident(tx, 5, "api", "high", "2026-01-07T20:00:00Z", 0, 0, "", -1));
      PLINTH_RETURN_IF_ERROR(
          Alert(tx, 5, "api", "cpu", "CPU above 90%", "2026-01-07T20:00:00Z", 0));
      PLINTH_RETURN_IF_ERROR(Page(tx, 5, "ana", "2026-01-07T20:00:00Z", "primary"));
      // #6 ui: resolved by cem after 4m without a verdict (quick, but a responder's: not
      // flapping).
      PLINTH_RETURN_IF_ERROR(Incident(tx, 6, "ui", "low", "2026-01-05T15:00:00Z", 1, 4, "cem", -1));
      PLINTH_RETURN_IF_ERROR(
          Alert(tx, 6, "ui", "disk", "Disk 90% full", "2026-01-05T15:00:00Z", 4));
      PLINTH_RETURN_IF_ERROR(Page(tx, 6, "cem", "2026-01-05T15:00:00Z", "web-primary"));
      // #7 opened before the period; only its page (ben, 01:05 Berlin) is inside.
      PLINTH_RETURN_IF_ERROR(Incident(tx, 7, "api", "high", "2026-01-04T23:50:00Z", 0, 0, "", -1));
      PLINTH_RETURN_IF_ERROR(
          Alert(tx, 7, "api", "cpu", "CPU above 90%", "2026-01-04T23:50:00Z", 0));
      PLINTH_RETURN_IF_ERROR(Page(tx, 7, "ben", "2026-01-05T00:05:00Z", ""));
      // #8 opens at the end of the period: outside.
      PLINTH_RETURN_IF_ERROR(Incident(tx, 8, "ui", "high", "2026-01-08T00:00:00Z", 0, 0, "", -1));
      PLINTH_RETURN_IF_ERROR(
          Alert(tx, 8, "ui", "disk", "Disk 99% full", "2026-01-08T00:00:00Z", 0));
      PLINTH_RETURN_IF_ERROR(Page(tx, 8, "cem", "2026-01-08T00:00:00Z", "web-primary"));
      return {};
    });
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }

  // An incident created at `created`, first acknowledged `ack` minutes later (0: never),
  // resolved `resolved` minutes later by `by` (0: open), `actionable` 1, 0 or -1 (none).
  static Status Incident(store::Tx& tx, int n, const char* service, const char* urgency,
                         const char* created, int ack, int resolved, const char* by,
                         int actionable) {
    int64_t c = T(created);
    std::string status = resolved ? "resolved" : ack ? "acknowledged" : "triggered";
    std::string id = "inc_" + std::to_string(n);
    PLINTH_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO paging_incidents (id, number, service, title, urgency, status, group_key, "
        "policy, created_ms, last_alert_ms, acknowledged_ms, acknowledged_by, resolved_ms, "
        "resolved_by, actionable, alert_count) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, "
        "?, 1)",
        {id, n, service, "incident " + std::to_string(n), urgency, status, id, c, c,
         Opt(ack ? c + ack * kMin : 0), ack ? store::Value("ana") : store::Value(),
         Opt(resolved ? c + resolved * kMin : 0), resolved ? store::Value(by) : store::Value(),
         actionable < 0 ? store::Value() : store::Value(actionable)}));
    if (ack)
      PLINTH_RETURN_IF_ERROR(Log(tx, n, FormatRfc3339(c + ack * kMin).c_str(), 1, "acknowledged"));
    return {};
  }

  // An alert created at `created`, resolved `resolved` minutes later (0: open).
  static Status Alert(store::Tx& tx, int n, const char* service, const char* klass,
                      const char* summary, const char* created, int resolved) {
    static int next = 0;
    int64_t c = T(created);
    std::string id = "alt_" + std::to_string(++next);
    PLINTH_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO paging_alerts (id, incident_id, integration_id, service, dedup_key, status, "
        "summary, source, severity, class, created_ms, updated_ms, resolved_ms) VALUES "
        "(?, ?, 'int_1', ?, ?, ?, ?, 'host-1', 'critical', ?, ?, ?, ?)",
        {id, "inc_" + std::to_string(n), service, id, resolved ? "resolved" : "triggered", summary,
         klass, c, c, Opt(resolved ? c + resolved * kMin : 0)}));
    return {};
  }

  static Status Page(store::Tx& tx, int n, const char* person, const char* at,
                     const char* schedule) {
    static int next = 0;
    PLINTH_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO paging_pages (id, incident_id, person, at_ms, level, loop_index, schedule) "
        "VALUES (?, ?, ?, ?, 0, 0, ?)",
        {"pg_" + std::to_string(++next), "inc_" + std::to_string(n), person, T(at), schedule}));
    return {};
  }

  static Status Log(store::Tx& tx, int n, const char* at, int seq, const char* kind) {
    PLINTH_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO paging_incident_log (incident_id, at_ms, seq, kind, actor, detail) "
                "VALUES (?, ?, ?, ?, 'ana', '')",
                {"inc_" + std::to_string(n), T(at), seq, kind}));
    return {};
  }

  Result<Json> Run(std::string team = "", std::string service = "") {
    return store_->Read([&](store::Tx& tx) {
      return Analytics(tx, {T("2026-01-05T00:00:00Z"), T("2026-01-08T00:00:00Z"), team, service});
    });
  }
};

Json Quality(int resolved, int actionable, int not_actionable, int autoresolved, int none) {
  auto share = [&](int n) { return resolved ? Json(double(n) / resolved) : Json(); };
  return {{"resolved", resolved},
          {"actionable", actionable},
          {"notActionable", not_actionable},
          {"autoResolved", autoresolved},
          {"noVerdict", none},
          {"actionableShare", share(actionable)},
          {"notActionableShare", share(not_actionable)},
          {"autoResolvedShare", share(autoresolved)}};
}

Json Stat(Json mean, Json median) { return {{"meanSeconds", mean}, {"medianSeconds", median}}; }

TEST_P(AnalyticsTest, FiguresOfTheWholeOrganisation) {
  auto got = Run();
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  const Json& a = *got;
  EXPECT_EQ(a["from"], "2026-01-05T00:00:00Z");
  EXPECT_EQ(a["to"], "2026-01-08T00:00:00Z");
  EXPECT_TRUE(a["team"].is_null());

  Json api = {{"incidents", 5},
              {"highUrgency", 4},
              {"alerts", 7},
              {"pages", 7},
              {"acknowledged", 3},
              {"resolved", 4},
              {"open", 1},
              // First acknowledgements 2m, 4m, 6m (the snooze); resolutions 3m, 30m, 1h, 4h.
              {"mtta", Stat(240, 240)},
              {"mttr", Stat(4995, 2700)},
              {"quality", Quality(4, 1, 1, 2, 0)}};
  Json ui = {{"incidents", 1},
             {"highUrgency", 0},
             {"alerts", 1},
             {"pages", 1},
             {"acknowledged", 1},
             {"resolved", 1},
             {"open", 0},
             {"mtta", Stat(60, 60)},
             {"mttr", Stat(240, 240)},
             {"quality", Quality(1, 0, 0, 0, 1)}};
  Json totals = {{"incidents", 6},
                 {"highUrgency", 4},
                 {"alerts", 8},
                 {"pages", 8},
                 {"acknowledged", 4},
                 {"resolved", 5},
                 {"open", 1},
                 {"mtta", Stat(195, 180)},
                 {"mttr", Stat(4044, 1800)},
                 {"quality", Quality(5, 1, 1, 2, 1)},
                 {"pagesOnCall", 6},
                 {"shifts", 4},
                 {"pagesPerShift", 1.5}};
  EXPECT_EQ(a["totals"], totals);
  Json pay_row = {{"team", "pay"}}, web_row = {{"team", "web"}};
  pay_row.update(api);
  web_row.update(ui);
  EXPECT_EQ(a["teams"], Json::array({pay_row, web_row}));
  Json api_row = {{"service", "api"}, {"team", "pay"}},
       ui_row = {{"service", "ui"}, {"team", "web"}};
  api_row.update(api);
  ui_row.update(ui);
  EXPECT_EQ(a["services"], Json::array({api_row, ui_row}));

  // ana: on call Monday 08:00Z to Tuesday 08:00Z and from Wednesday 08:00Z; paged at 11:00 and
  // 10:00 Berlin (working hours), 03:00 and 21:00 (off hours). ben: on call Tuesday 08:00Z to
  // Wednesday 08:00Z; paged at 01:05 and 03:15 (off hours, not on call) and 13:00 (his hours).
  EXPECT_EQ(a["people"], Json::parse(R"([
    {"person": "ana", "timeZone": "Europe/Berlin", "pages": 4, "highUrgencyPages": 4,
     "offHoursPages": 2, "pagesOnCall": 4, "shifts": 2, "pagesPerShift": 2.0},
    {"person": "ben", "timeZone": "Europe/Berlin", "pages": 3, "highUrgencyPages": 2,
     "offHoursPages": 2, "pagesOnCall": 1, "shifts": 1, "pagesPerShift": 1.0},
    {"person": "cem", "timeZone": "America/New_York", "pages": 1, "highUrgencyPages": 0,
     "offHoursPages": 0, "pagesOnCall": 1, "shifts": 1, "pagesPerShift": 1.0}])"));

  EXPECT_EQ(a["noisiest"], Json::parse(R"([
    {"service": "api", "alert": "cpu", "alerts": 3, "incidents": 3, "flapping": 0,
     "lastAt": "2026-01-07T20:00:00Z"},
    {"service": "api", "alert": "disk", "alerts": 3, "incidents": 1, "flapping": 3,
     "lastAt": "2026-01-06T12:02:00Z"},
    {"service": "api", "alert": "Latency p99 above 2s", "alerts": 1, "incidents": 1,
     "flapping": 0, "lastAt": "2026-01-07T09:00:00Z"},
    {"service": "ui", "alert": "disk", "alerts": 1, "incidents": 1, "flapping": 0,
     "lastAt": "2026-01-05T15:00:00Z"}])"));

  EXPECT_EQ(a["daily"], Json::parse(R"([
    {"date": "2026-01-05", "incidents": 2, "highUrgency": 1, "alerts": 2, "pages": 3},
    {"date": "2026-01-06", "incidents": 2, "highUrgency": 1, "alerts": 4, "pages": 3},
    {"date": "2026-01-07", "incidents": 2, "highUrgency": 2, "alerts": 2, "pages": 2}])"));
}

TEST_P(AnalyticsTest, FiltersByTeamAndService) {
  auto web = Run("web");
  ASSERT_TRUE(web.ok()) << web.error().ToString();
  EXPECT_EQ((*web)["team"], "web");
  EXPECT_EQ((*web)["totals"]["incidents"], 1);
  EXPECT_EQ((*web)["totals"]["shifts"], 1);
  EXPECT_EQ((*web)["teams"].size(), 1u);
  EXPECT_EQ((*web)["people"].size(), 1u);
  EXPECT_EQ((*web)["people"][0]["person"], "cem");
  EXPECT_EQ((*web)["noisiest"].size(), 1u);

  // The service's owner's schedule counts for shifts: cem is not in it.
  auto api = Run("", "api");
  ASSERT_TRUE(api.ok()) << api.error().ToString();
  EXPECT_EQ((*api)["service"], "api");
  EXPECT_EQ((*api)["totals"]["pages"], 7);
  EXPECT_EQ((*api)["totals"]["shifts"], 3);
  EXPECT_EQ((*api)["totals"]["pagesPerShift"], 1.67);  // 5 pages on call in 3 shifts
  std::vector<std::string> people;
  for (const auto& p : (*api)["people"]) people.push_back(p["person"]);
  EXPECT_EQ(people, (std::vector<std::string>{"ana", "ben"}));

  auto none = Run("pay", "ui");
  ASSERT_TRUE(none.ok()) << none.error().ToString();
  EXPECT_EQ((*none)["totals"]["incidents"], 0);
  EXPECT_EQ((*none)["totals"]["mtta"], Stat(nullptr, nullptr));
  EXPECT_TRUE((*none)["totals"]["quality"]["actionableShare"].is_null());
  EXPECT_EQ((*none)["services"], Json::array());
}

TEST_P(AnalyticsTest, RejectsUnknownFiltersAndBadRanges) {
  auto team = Run("nobody");
  ASSERT_FALSE(team.ok());
  EXPECT_EQ(team.error().ToString(), "team: team \"nobody\" does not exist");
  auto service = Run("", "nothing");
  ASSERT_FALSE(service.ok());
  EXPECT_EQ(service.error().ToString(), "service: service \"nothing\" does not exist");
  auto backwards = store_->Read([&](store::Tx& tx) {
    return Analytics(tx, {T("2026-01-08T00:00:00Z"), T("2026-01-05T00:00:00Z"), "", ""});
  });
  ASSERT_FALSE(backwards.ok());
  EXPECT_EQ(backwards.error().fields.at(0).pointer, "/to");
}

INSTANTIATE_TEST_SUITE_P(Backends, AnalyticsTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

}  // namespace
}  // namespace plinth::paging
