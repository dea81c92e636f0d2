// The Prometheus puller against a tiny fake Prometheus (httplib::Server on 127.0.0.1 speaking
// the query_range JSON format), on every store backend: first pull, catch-up after downtime
// without counting twice, errors recorded then cleared, chunking, intervals; and the client's
// parsing of Prometheus answers.

#include "reliability/puller.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "catalog/repository.h"
#include "reliability/sli_store.h"
#include "store/test_fixture.h"

namespace plinth::reliability {
namespace {

constexpr int64_t kT = 29922240;  // a UTC minute: 2026-11-22T00:00:00Z
constexpr int64_t kT0Ms = kT * 60000;

// A fake Prometheus: for each query string, counts per minute; answers the rate of minute m
// (count / 60) at evaluation time (m + 1) * 60 s, as rate(x[1m]) does.
class FakePrometheus {
 public:
  FakePrometheus() { Start(0); }
  ~FakePrometheus() { Stop(); }

  void Start(int port) {
    server_ = std::make_unique<httplib::Server>();
    server_->Get("/api/v1/query_range",
                 [this](const httplib::Request& req, httplib::Response& res) { Answer(req, res); });
    if (port == 0) {
      port_ = server_->bind_to_any_port("127.0.0.1");
    } else {
      ASSERT_TRUE(server_->bind_to_port("127.0.0.1", port));
    }
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void Stop() {
    if (!server_) return;
    server_->stop();
    thread_.join();
    server_.reset();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

  void Set(const std::string& query, int64_t minute, double count) {
    std::lock_guard lock(mu_);
    series_[query][minute] = count;
  }
  void SetRaw(const std::string& query, int64_t minute, std::string value) {
    std::lock_guard lock(mu_);
    raw_[query][minute] = std::move(value);
  }
  // The next answers: a body and a status instead of the series.
  void FailWith(int status, std::string body) {
    std::lock_guard lock(mu_);
    fail_status_ = status;
    fail_body_ = std::move(body);
  }
  void Heal() { FailWith(0, ""); }
  // Each query asked: {query, points}.
  std::vector<std::pair<std::string, int64_t>> asked() {
    std::lock_guard lock(mu_);
    return asked_;
  }

 private:
  void Answer(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    std::string query = req.get_param_value("query");
    int64_t start = std::stoll(req.get_param_value("start"));
    int64_t end = std::stoll(req.get_param_value("end"));
    int64_t step = std::stoll(req.get_param_value("step"));
    asked_.push_back({query, (end - start) / step + 1});
    if (fail_status_ != 0) {
      res.status = fail_status_;
      res.set_content(fail_body_, fail_body_.starts_with("{") ? "application/json" : "text/plain");
      return;
    }
    Json values = Json::array();
    for (int64_t t = start; t <= end; t += step) {
      int64_t minute = t / 60 - 1;
      if (auto it = raw_[query].find(minute); it != raw_[query].end()) {
        values.push_back({t, it->second});
      } else if (auto c = series_[query].find(minute); c != series_[query].end()) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", c->second / 60);
        values.push_back({t, buf});
      }
    }
    Json result = Json::array();
    if (!values.empty()) result.push_back({{"metric", Json::object()}, {"values", values}});
    Json body = {{"status", "success"}, {"data", {{"resultType", "matrix"}, {"result", result}}}};
    res.set_content(body.dump(), "application/json");
  }

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;

  std::mutex mu_;
  // Guarded by mu_.
  std::map<std::string, std::map<int64_t, double>> series_;
  std::map<std::string, std::map<int64_t, std::string>> raw_;
  int fail_status_ = 0;
  std::string fail_body_;
  std::vector<std::pair<std::string, int64_t>> asked_;
};

const std::string kTotal = "sum(rate(reqs[1m]))";
const std::string kErrors = "sum(rate(errs[1m]))";

Json Doc(const std::string& kind, const std::string& name, Json spec) {
  return {{"apiVersion", "plinth/v1"},
          {"kind", kind},
          {"metadata", {{"name", name}}},
          {"spec", std::move(spec)}};
}

class PullerTest : public store::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Create(Doc("Team", "web", Json::object()));
    Create(Doc("Service", "api", {{"owner", "web"}, {"tier", 1}}));
    Create(Doc("DataSource", "prom", {{"type", "prometheus"}, {"url", prom_.url()}}));
    Create(Doc(
        "SLO", "api-availability",
        {{"service", "api"},
         {"objective", 0.99},
         {"window", "30d"},
         {"indicator",
          {{"ratio",
            {{"bad", "sum(rate(errs[{{.window}}]))"}, {"total", "sum(rate(reqs[{{.window}}]))"}}}}},
         {"dataSource", "prom"}}));
    options_.first_pull_minutes = 60;
  }

  void Create(const Json& doc) {
    auto r =
        store_->Write([&](store::Tx& tx) { return catalog::Create(tx, doc, "user:t", kT0Ms); });
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }

  // Minute m of the fake: 100 + m % 7 requests, m % 3 of them errors.
  void Fill(int64_t from, int64_t to) {
    for (int64_t m = from; m < to; ++m) {
      prom_.Set(kTotal, m, static_cast<double>(100 + m % 7));
      prom_.Set(kErrors, m, static_cast<double>(m % 3));
    }
  }

  std::vector<slo::MinutePoint> Stored() {
    auto got = store_->Read(
        [&](store::Tx& tx) { return LoadMinutes(tx, "api-availability", 0, kT + 100000); });
    EXPECT_TRUE(got.ok());
    return got.ok() ? *got : std::vector<slo::MinutePoint>{};
  }

  std::optional<PullState> State() {
    auto s = store_->Read([&](store::Tx& tx) { return LoadPullState(tx, "api-availability"); });
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : std::nullopt;
  }

  PullResult MustPull(int64_t now_ms) {
    auto r = PullOne(*store_, "api-availability", now_ms, options_);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : PullResult{};
  }

  FakePrometheus prom_;
  PullOptions options_;
};

TEST_P(PullerTest, FirstPullStoresCompleteMinutes) {
  Fill(kT - 100, kT + 1);
  PullResult r = MustPull(kT0Ms + 5000);  // 00:00:05: minute kT is still in progress
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.from_minute, kT - 60);
  EXPECT_EQ(r.to_minute, kT);
  EXPECT_EQ(r.minutes_written, 60);
  auto points = Stored();
  ASSERT_EQ(points.size(), 60u);
  for (const auto& p : points) {
    EXPECT_EQ(p.total, static_cast<double>(100 + p.minute % 7)) << p.minute;
    EXPECT_EQ(p.good, p.total - static_cast<double>(p.minute % 3)) << p.minute;
  }
  EXPECT_EQ(points.front().minute, kT - 60);
  EXPECT_EQ(points.back().minute, kT - 1);
  auto s = State();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->pulled_until, kT);
  EXPECT_FALSE(s->last_error);
  EXPECT_EQ(s->last_attempt_ms, kT0Ms + 5000);
}

TEST_P(PullerTest, CatchesUpAfterDowntimeWithoutCountingTwice) {
  Fill(kT - 100, kT + 30);
  MustPull(kT0Ms);
  ASSERT_EQ(Stored().size(), 60u);

  // Prometheus goes away: the error is recorded, pulled_until stays.
  int port = prom_.port();
  prom_.Stop();
  PullResult down = MustPull(kT0Ms + 10 * 60000);
  EXPECT_EQ(down.error, "Prometheus at " + prom_.url() +
                            ": cannot connect (connection refused or host unreachable)");
  auto s = State();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->pulled_until, kT);
  EXPECT_EQ(s->last_error, down.error);
  EXPECT_EQ(s->last_attempt_ms, kT0Ms + 10 * 60000);

  // Back again 20 minutes later: every minute since is pulled, the error is cleared.
  prom_.Start(port);
  PullResult up = MustPull(kT0Ms + 20 * 60000 + 59000);
  EXPECT_EQ(up.error, "");
  EXPECT_EQ(up.from_minute, kT - options_.overlap_minutes);
  EXPECT_EQ(up.to_minute, kT + 20);
  s = State();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->pulled_until, kT + 20);
  EXPECT_FALSE(s->last_error);

  auto points = Stored();
  ASSERT_EQ(points.size(), 80u);  // kT - 60 .. kT + 19, each once
  double total = 0, expected = 0;
  for (const auto& p : points) total += p.total;
  for (int64_t m = kT - 60; m < kT + 20; ++m) expected += static_cast<double>(100 + m % 7);
  EXPECT_EQ(total, expected);
}

TEST_P(PullerTest, OverlapReplacesLateData) {
  Fill(kT - 60, kT);
  MustPull(kT0Ms);
  // A late scrape changes the last minute's count in Prometheus; the next pull re-reads it.
  prom_.Set(kTotal, kT - 1, 500);
  prom_.Set(kErrors, kT - 1, 50);
  prom_.Set(kTotal, kT, 200);
  MustPull(kT0Ms + 60000);
  auto points = Stored();
  ASSERT_EQ(points.size(), 61u);
  EXPECT_EQ(points[59].minute, kT - 1);
  EXPECT_EQ(points[59].total, 500);
  EXPECT_EQ(points[59].good, 450);
  EXPECT_EQ(points[60].total, 200);
  EXPECT_EQ(points[60].good, 200);  // no error sample for that minute: 0 errors
  // The second pull asked for overlap + 1 minutes only.
  auto asked = prom_.asked();
  ASSERT_GE(asked.size(), 2u);
  EXPECT_EQ(asked.back().second, options_.overlap_minutes + 1);
}

TEST_P(PullerTest, NoDataMinutesAndClamping) {
  prom_.Set(kTotal, kT - 3, 10);
  prom_.SetRaw(kTotal, kT - 2, "NaN");
  prom_.Set(kErrors, kT - 2, 1);
  prom_.Set(kTotal, kT - 1, 10);
  prom_.Set(kErrors, kT - 1, 12);  // more errors than requests (extrapolation): all bad
  prom_.Set(kTotal, kT - 4, 10);
  prom_.SetRaw(kErrors, kT - 4, "NaN");
  MustPull(kT0Ms);
  auto points = Stored();
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].minute, kT - 3);
  EXPECT_EQ(points[0].good, 10);
  EXPECT_EQ(points[1].minute, kT - 1);
  EXPECT_EQ(points[1].good, 0);
  EXPECT_EQ(points[1].total, 10);
}

TEST_P(PullerTest, PrometheusErrorsAreRecordedThenCleared) {
  Fill(kT - 60, kT + 5);
  prom_.FailWith(
      400,
      R"({"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected \")\""})");
  PullResult r = MustPull(kT0Ms);
  EXPECT_EQ(r.error, "Prometheus at " + prom_.url() +
                         ": HTTP 400: bad_data: 1:5: parse error: unexpected \")\"");

  std::string three =
      R"({"status":"success","data":{"resultType":"matrix","result":[)"
      R"({"metric":{"code":"200"},"values":[]},{"metric":{"code":"500"},"values":[]},)"
      R"({"metric":{"code":"503"},"values":[]}]}})";
  prom_.FailWith(200, three);
  r = MustPull(kT0Ms + 60000);
  EXPECT_EQ(r.error, "Prometheus at " + prom_.url() +
                         ": the query must return one series (got 3); aggregate it, e.g. with "
                         "sum(...)");
  prom_.FailWith(503, "service unavailable\nmore");
  r = MustPull(kT0Ms + 120000);
  EXPECT_EQ(r.error, "Prometheus at " + prom_.url() + ": HTTP 503: service unavailable");
  EXPECT_TRUE(Stored().empty());
  auto s = State();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->pulled_until, kT - 60);  // where the first attempt started
  EXPECT_EQ(s->last_error, r.error);

  prom_.Heal();
  r = MustPull(kT0Ms + 180000);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(Stored().size(), 63u);
  s = State();
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->last_error);
  EXPECT_EQ(s->pulled_until, kT + 3);
}

TEST_P(PullerTest, PullsInChunks) {
  options_.chunk_minutes = 7;
  Fill(kT - 60, kT);
  PullResult r = MustPull(kT0Ms);
  EXPECT_EQ(r.minutes_written, 60);
  auto asked = prom_.asked();
  ASSERT_EQ(asked.size(), 18u);  // 9 chunks (8 of 7, 1 of 4) x 2 queries
  for (const auto& [query, points] : asked) EXPECT_LE(points, 7);
  EXPECT_EQ(asked[0].first, kTotal);
  EXPECT_EQ(asked[1].first, kErrors);
  EXPECT_EQ(Stored().size(), 60u);
}

TEST_P(PullerTest, PullAllHonoursIntervalsAndSkipsPushedSlos) {
  Create(Doc("SLO", "api-pushed",
             {{"service", "api"},
              {"objective", 0.99},
              {"window", "30d"},
              {"indicator", {{"pushed", Json::object()}}}}));
  Create(Doc("DataSource", "slow",
             {{"type", "prometheus"}, {"url", "http://127.0.0.1:1"}, {"interval", "10m"}}));
  Create(Doc("SLO", "api-latency",
             {{"service", "api"},
              {"objective", 0.99},
              {"window", "7d"},
              {"indicator",
               {{"latency", {{"metric", "http_request_duration_seconds"}, {"threshold", 0.3}}}}},
              {"dataSource", "slow"}}));
  Fill(kT - 60, kT + 20);
  auto report = PullAll(*store_, kT0Ms, options_);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  ASSERT_EQ(report->slos.size(), 2u);
  EXPECT_EQ(report->slos[0].slo, "api-availability");
  EXPECT_EQ(report->slos[0].error, "");
  EXPECT_EQ(report->slos[1].slo, "api-latency");
  EXPECT_EQ(report->slos[1].error.rfind("Prometheus at http://127.0.0.1:1: ", 0), 0u)
      << report->slos[1].error;
  EXPECT_EQ(report->failed(), 1);

  // Five minutes later only the 1m data source is due.
  report = PullAll(*store_, kT0Ms + 5 * 60000, options_);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->slos[0].skipped);
  EXPECT_TRUE(report->slos[1].skipped);
  options_.force = true;
  report = PullAll(*store_, kT0Ms + 5 * 60000, options_);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->slos[1].skipped);
  EXPECT_EQ(Stored().size(), 65u);

  auto pushed = PullOne(*store_, "api-pushed", kT0Ms, options_);
  ASSERT_FALSE(pushed.ok());
  EXPECT_EQ(pushed.error().code, ErrorCode::kInvalid);
  auto missing = PullOne(*store_, "nope", kT0Ms, options_);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, PullerTest, ::testing::ValuesIn(store::testing::AllBackends()),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

TEST(PrometheusClientTest, ParsesMatrixAnswers) {
  auto got = ParseQueryRange(
      R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},)"
      R"("values":[[1700000060,"1.5"],[1700000120.000,"NaN"],[1700000180,"+Inf"]]}]}})",
      "P");
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].time_s, 1700000060);
  EXPECT_EQ((*got)[0].value, 1.5);
  EXPECT_TRUE(std::isnan((*got)[1].value));
  EXPECT_TRUE(std::isinf((*got)[2].value));

  auto empty =
      ParseQueryRange(R"({"status":"success","data":{"resultType":"matrix","result":[]}})", "P");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());

  auto vec =
      ParseQueryRange(R"({"status":"success","data":{"resultType":"vector","result":[]}})", "P");
  ASSERT_FALSE(vec.ok());
  EXPECT_EQ(vec.error().message, "P: expected a matrix result (got \"vector\")");
  EXPECT_EQ(vec.error().code, ErrorCode::kUnavailable);
  auto err =
      ParseQueryRange(R"({"status":"error","errorType":"timeout","error":"query timed out"})", "P");
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().message, "P: timeout: query timed out");
  auto junk = ParseQueryRange("<html>", "P");
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(junk.error().message.rfind("P: the answer is not JSON", 0), 0u);
  auto bad_value = ParseQueryRange(
      R"({"status":"success","data":{"resultType":"matrix","result":[{"values":[[1,"x"]]}]}})",
      "P");
  ASSERT_FALSE(bad_value.ok());
  EXPECT_EQ(bad_value.error().message, "P: a sample value is not a number: [1,\"x\"]");
}

TEST(PrometheusClientTest, RejectsUnsupportedUrls) {
  EXPECT_TRUE(HttpPrometheus::Create("http://prom:9090").ok());
  EXPECT_TRUE(HttpPrometheus::Create("http://prom/prefix/").ok());
  EXPECT_TRUE(HttpPrometheus::Create("http://[::1]:9090").ok());
  EXPECT_TRUE(HttpPrometheus::Create("https://prom:9090").ok());
  auto ftp = HttpPrometheus::Create("ftp://prom:9090");
  ASSERT_FALSE(ftp.ok());
  EXPECT_EQ(ftp.error().message,
            "Prometheus URL \"ftp://prom:9090\": expected http(s)://host[:port][/path]");
  EXPECT_FALSE(HttpPrometheus::Create("http://prom:99999").ok());
  EXPECT_FALSE(HttpPrometheus::Create("prom:9090").ok());
}

TEST(PrometheusClientTest, ExpandsTheWindowPlaceholder) {
  EXPECT_EQ(ExpandWindow("sum(rate(a[{{.window}}])) / sum(rate(b[{{ .window }}]))", "1m"),
            "sum(rate(a[1m])) / sum(rate(b[1m]))");
}

}  // namespace
}  // namespace plinth::reliability
