// plinth_cost_bench: the plinth side of the cost benchmark (bench/cost.sh). Ingests a FOCUS CSV
// into columnar segments (held in memory; with --store, each segment's column blobs also
// written to a file in a directory and synced, as an import persists them), then runs the
// benchmark's five queries, each best of 3, and prints one JSON line per measurement, the same
// lines as bench/duckdb/cost.mjs prints for DuckDB:
//   q1 cost by ServiceName by day for a month        RunQuery
//   q2 cost by team after allocation for a quarter   RunQuery + Allocate (--rules)
//   q3 top 100 ResourceId by EffectiveCost            RunQuery with a limit
//   q4 the daily anomaly scan over all services      RunQuery + DetectAnomalies per service
//   q5 month-to-date cost per team against budgets   RunQuery + Allocate (--budgets)
//
//   plinth_cost_bench --csv FILE --rules bench/cost_rules.yaml --budgets bench/cost_budgets.yaml
//                     --month 2025-12 --quarter 2025-10 --as-of 2025-12-15 [--store DIR]

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "base/yaml.h"
#include "cost/allocation.h"
#include "cost/anomaly.h"
#include "cost/generate.h"
#include "cost/ingest.h"
#include "cost/query.h"
#include "cost/specs.h"

namespace {

using namespace plinth;
using namespace plinth::cost;

[[noreturn]] void Die(const std::string& message) {
  std::cerr << "plinth_cost_bench: " << message << "\n";
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what + ": " + r.error().ToString());
  return std::move(r).value();
}

double PeakRssMib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024;
}

int64_t MonthStart(const std::string& ym, int add = 0) {  // "2025-12" -> epoch seconds
  int y = 0, m = 0;
  if (std::sscanf(ym.c_str(), "%d-%d", &y, &m) != 2 || m < 1 || m > 12) Die("bad month " + ym);
  int k = y * 12 + (m - 1) + add;
  y = k / 12;
  m = k % 12 + 1;
  int yy = y - (m <= 2), era = yy / 400, yoe = yy - era * 400;
  int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int64_t(era) * 146097 + doe - 719468) * 86400;
}

// Keeps the segments; with a directory, also writes each segment's column blobs there as one
// file, synced (an import's one transaction per segment).
class BenchSink : public IngestSink {
 public:
  explicit BenchSink(std::string dir) : dir_(std::move(dir)) {}
  Status Accept(const PartitionKey&, Segment segment) override {
    if (!dir_.empty()) {
      std::string blobs;
      for (const auto& column : segment.columns()) blobs += segment.SerializeColumn(column.name);
      std::string path = dir_ + "/segment-" + std::to_string(segments_.size());
      int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      bool ok = fd >= 0 && ::write(fd, blobs.data(), blobs.size()) == ssize_t(blobs.size()) &&
                ::fsync(fd) == 0;
      if (fd >= 0) ::close(fd);
      if (!ok) return Error::Internal("cannot write " + path);
      bytes_ += int64_t(blobs.size());
    }
    segments_.push_back(std::move(segment));
    return {};
  }
  std::vector<const Segment*> Pointers() const {
    std::vector<const Segment*> out;
    for (const auto& s : segments_) out.push_back(&s);
    return out;
  }
  int64_t bytes() const { return bytes_; }

 private:
  std::string dir_;
  std::vector<Segment> segments_;
  int64_t bytes_ = 0;
};

std::vector<YamlDocument> ReadYaml(const std::string& path) {
  std::ifstream in(path);
  if (!in) Die("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return Must(ParseYaml(text.str(), path), path);
}

AllocationRules ReadRules(const std::string& path) {
  AllocationRules rules;
  for (const auto& doc : ReadYaml(path)) {
    if (doc.value.value("kind", "") != "CostAllocation") continue;
    AppendRules(rules, Must(AllocationRulesFromSpec(doc.value["spec"]), path));
  }
  return rules;
}

std::map<std::string, Amount> ReadBudgets(const std::string& path) {
  std::map<std::string, Amount> out;  // team -> monthly amount
  for (const auto& doc : ReadYaml(path)) {
    if (doc.value.value("kind", "") != "Budget") continue;
    BudgetSpec b = Must(
        BudgetFromSpec(doc.value["metadata"]["name"].get<std::string>(), doc.value["spec"]), path);
    if (b.scope.kind == BudgetScope::Kind::kTeam) out[b.scope.name] = Amount::FromDecimal(b.amount);
  }
  return out;
}

// The demo organisation's teams and service owners, as the catalog would give them.
AllocationCatalog DemoCatalog() {
  AllocationCatalog c;
  for (const auto& s : DemoOrgSpec(MonthStart("2025-01"), 2).services) {
    c.teams.insert(s.team);
    c.service_owners[s.name] = s.team;
  }
  return c;
}

// Team totals (direct + shares) over every month of a report, and the unallocated bucket.
std::map<std::string, Amount> TeamTotals(const AllocationReport& report) {
  std::map<std::string, Amount> out;
  for (const auto& m : report.months) {
    for (const auto& t : m.teams) out[t.team] += t.total;
    out["unallocated"] += m.unallocated;
  }
  return out;
}

struct Measured {
  double best = 1e300;
  std::vector<double> runs;
};

Measured BestOf3(const std::function<void()>& work) {
  Measured m;
  for (int i = 0; i < 3; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    work();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    m.runs.push_back(s);
    m.best = std::min(m.best, s);
  }
  return m;
}

void Print(const std::string& measure, const Measured& m, size_t rows, Amount checksum,
           const std::string& extra = "") {
  std::printf(
      "{\"side\":\"plinth\",\"measure\":\"%s\",\"seconds\":%.6f,\"runs\":[%.6f,%.6f,%.6f],"
      "\"rows\":%zu,\"checksum\":\"%s\"%s}\n",
      measure.c_str(), m.best, m.runs[0], m.runs[1], m.runs[2], rows, checksum.ToString(2).c_str(),
      extra.c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2) args[std::string(argv[i]).substr(2)] = argv[i + 1];
  for (const char* need : {"csv", "rules", "budgets", "month", "quarter", "as-of"}) {
    if (!args.contains(need)) Die(std::string("missing --") + need);
  }
  const AllocationRules rules = ReadRules(args["rules"]);
  const std::map<std::string, Amount> budgets = ReadBudgets(args["budgets"]);
  const AllocationCatalog catalog = DemoCatalog();

  // ---- ingest
  BenchSink sink(args["store"]);
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::string> paths = {args["csv"]};
  IngestReport report = Must(IngestFiles(paths, sink), "ingest");
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "{\"side\":\"plinth\",\"measure\":\"ingest\",\"rows\":%lld,\"rejected\":%lld,"
      "\"seconds\":%.3f,\"rows_per_s\":%.0f,\"bytes_stored\":%lld,\"peak_rss_mib\":%.0f}\n",
      static_cast<long long>(report.rows_accepted), static_cast<long long>(report.rows_rejected),
      secs, double(report.rows_accepted) / secs, static_cast<long long>(sink.bytes()),
      PeakRssMib());
  std::fflush(stdout);
  const std::vector<const Segment*> segments = sink.Pointers();
  int64_t first = INT64_MAX, last = INT64_MIN;
  for (const auto& p : report.partitions) {
    first = std::min(first, p.key.billing_period_start_s);
    last = std::max(last, p.billing_period_end_s);
  }

  // ---- q1: cost by service by day for a month
  CostQuery q1;
  q1.from_s = MonthStart(args["month"]);
  q1.to_s = MonthStart(args["month"], 1);
  q1.granularity = Granularity::kDay;
  q1.group_by = {{"ServiceName"}};
  CostResult r1;
  Measured m = BestOf3([&] { r1 = Must(RunQuery(q1, segments), "q1"); });
  Amount sum;
  for (const auto& row : r1.rows) sum += row.cost;
  Print("q1_service_by_day_month", m, r1.rows.size(), sum);

  // ---- q2 and q5: cost by team after allocation
  auto allocated = [&](int64_t from, int64_t to) {
    CostQuery q;
    q.from_s = from;
    q.to_s = to;
    q.granularity = Granularity::kMonth;
    q.group_by = AllocationDimensions(rules);
    CostResult r = Must(RunQuery(q, segments), "allocation query");
    return TeamTotals(Must(Allocate(rules, catalog, r.rows), "allocate"));
  };
  std::map<std::string, Amount> teams;
  m = BestOf3(
      [&] { teams = allocated(MonthStart(args["quarter"]), MonthStart(args["quarter"], 3)); });
  auto team_list = [&] {
    std::string out = ",\"teams\":{";
    for (const auto& [team, total] : teams) {
      out += (out.back() == '{' ? "\"" : ",\"") + team + "\":\"" + total.ToString(2) + "\"";
    }
    return out + "}";
  };
  sum = Amount();
  for (const auto& [team, total] : teams) sum += total;
  Print("q2_team_allocated_quarter", m, teams.size(), sum, team_list());

  // ---- q3: top 100 resources
  CostQuery q3;
  q3.from_s = first;
  q3.to_s = last;
  q3.group_by = {{"ResourceId"}};
  q3.limit = 100;
  CostResult r3;
  m = BestOf3([&] { r3 = Must(RunQuery(q3, segments), "q3"); });
  sum = Amount();
  for (const auto& row : r3.rows) sum += row.cost;
  Print("q3_top100_resources", m, r3.rows.size(), sum);

  // ---- q4: daily cost per service over all history, each series judged
  std::vector<std::string> found;
  Amount flagged;
  m = BestOf3([&] {
    CostQuery q;
    q.from_s = first;
    q.to_s = last;
    q.granularity = Granularity::kDay;
    q.group_by = {{"ServiceName"}};
    CostResult r = Must(RunQuery(q, segments), "q4");
    std::map<std::pair<std::string, std::string>, CostSeries> series;
    const int64_t first_day = UtcDay(first), days = UtcDay(last) - first_day;
    for (const auto& row : r.rows) {
      CostSeries& s = series[{row.keys[0], row.currency}];
      if (s.daily.empty()) {
        s = {"service", row.keys[0], row.currency, first_day, std::vector<Amount>(size_t(days))};
      }
      s.daily[size_t(UtcDay(row.period_start_s) - first_day)] += row.cost;
    }
    found.clear();
    flagged = Amount();
    for (const auto& [key, s] : series) {
      DetectionResult d = Must(DetectAnomalies(s, {}), "q4 detect");
      for (const auto& a : d.anomalies) {
        found.push_back(s.dimension_value + " " + FormatDay(a.start_day) + ".." +
                        FormatDay(a.end_day));
        flagged += a.actual;
      }
    }
  });
  std::string list = ",\"anomalies\":[";
  for (size_t i = 0; i < found.size(); ++i) list += (i ? ",\"" : "\"") + found[i] + "\"";
  Print("q4_anomaly_scan", m, found.size(), flagged, list + "]");

  // ---- q5: month to date against the monthly budgets
  const std::string as_of = args["as-of"];
  const int64_t as_of_s =
      MonthStart(as_of.substr(0, 7)) + (std::stoi(as_of.substr(8, 2)) - 1) * 86400;
  std::string percents;
  m = BestOf3([&] {
    teams = allocated(MonthStart(as_of.substr(0, 7)), as_of_s + 86400);
    percents.clear();
    for (const auto& [team, total] : teams) {
      auto b = budgets.find(team);
      if (b == budgets.end()) continue;
      char buf[96];
      std::snprintf(buf, sizeof buf, "%s\"%s\":%.1f", percents.empty() ? "" : ",", team.c_str(),
                    total.ToDouble() / b->second.ToDouble() * 100);
      percents += buf;
    }
  });
  sum = Amount();
  for (const auto& [team, total] : teams) sum += total;
  Print("q5_mtd_vs_budget", m, teams.size(), sum, team_list() + ",\"percent\":{" + percents + "}");
  std::printf("{\"side\":\"plinth\",\"measure\":\"peak_rss\",\"peak_rss_mib\":%.0f}\n",
              PeakRssMib());
  return 0;
}
