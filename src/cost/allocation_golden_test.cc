// The cost allocation golden corpus (tests/golden/cost-allocation/README.md): hand-built FOCUS
// CSV files through ingest, the query engine and allocation into showback and chargeback
// reports, compared exactly; every month's printed figures are also checked to reconcile to the
// invoice to the cent, and the exact totals to the ingest report's.
// PLINTH_UPDATE_GOLDEN=1 rewrites the expected files instead (review the diff!).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "base/yaml.h"
#include "cost/allocation.h"
#include "cost/ingest.h"
#include "cost/query.h"
#include "cost/showback.h"
#include "store/golden.h"

namespace plinth::cost {
namespace {

namespace fs = std::filesystem;

const fs::path kCases = fs::path(PLINTH_SOURCE_DIR) / "tests/golden/cost-allocation";
constexpr int64_t kUntil = 4102444800;  // 2100-01-01

class KeepSegments : public IngestSink {
 public:
  Status Accept(const PartitionKey&, Segment segment) override {
    segments.push_back(std::move(segment));
    return {};
  }
  std::vector<Segment> segments;
};

std::vector<YamlDocument> Documents(const fs::path& file) {
  auto docs = ParseYaml(golden::ReadFile(file), file.filename().string());
  EXPECT_TRUE(docs.ok()) << file << ": " << docs.error().ToString();
  return docs.ok() ? *docs : std::vector<YamlDocument>{};
}

std::string Name(const Json& doc) { return doc["metadata"]["name"].get<std::string>(); }

// The CostAllocation documents of rules.yaml, in metadata.name order.
AllocationRules Rules(const fs::path& file) {
  std::vector<Json> docs;
  for (const auto& d : Documents(file)) docs.push_back(d.value);
  std::sort(docs.begin(), docs.end(),
            [](const Json& a, const Json& b) { return Name(a) < Name(b); });
  AllocationRules rules;
  for (const Json& doc : docs) {
    auto r = AllocationRulesFromSpec(doc["spec"]);
    EXPECT_TRUE(r.ok()) << Name(doc) << ": " << r.error().ToString();
    if (r.ok()) AppendRules(rules, *r);
  }
  return rules;
}

AllocationCatalog Catalog(const fs::path& file) {
  AllocationCatalog catalog;
  for (const auto& d : Documents(file)) {
    if (d.value["kind"] == "Team") catalog.teams.insert(Name(d.value));
    if (d.value["kind"] == "Service") {
      catalog.service_owners[Name(d.value)] = d.value["spec"]["owner"].get<std::string>();
    }
  }
  return catalog;
}

// Compares `actual` with the file, or rewrites it under PLINTH_UPDATE_GOLDEN=1.
void ExpectFile(const fs::path& file, const std::string& actual) {
  const char* update = std::getenv("PLINTH_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(file, std::ios::binary) << actual;
    return;
  }
  EXPECT_EQ(golden::ReadFile(file), actual) << file;
}

class CostAllocationGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(CostAllocationGolden, MatchesExpected) {
  fs::path dir = kCases / GetParam();
  std::vector<std::string> inputs;
  for (const auto& f : fs::directory_iterator(dir)) {
    std::string name = f.path().filename().string();
    if (name.starts_with("input") && name.find(".csv") != std::string::npos) {
      inputs.push_back(f.path().string());
    }
  }
  std::sort(inputs.begin(), inputs.end());
  KeepSegments sink;
  auto ingest = IngestFiles(inputs, sink);
  ASSERT_TRUE(ingest.ok()) << ingest.error().ToString();

  AllocationRules rules = Rules(dir / "rules.yaml");
  CostQuery query;
  query.from_s = 0;
  query.to_s = kUntil;
  query.granularity = Granularity::kMonth;
  query.group_by = AllocationDimensions(rules);
  std::vector<const Segment*> segments;
  for (const Segment& s : sink.segments) segments.push_back(&s);
  auto result = RunQuery(query, segments);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  auto report = Allocate(rules, Catalog(dir / "catalog.yaml"), result->rows);
  ASSERT_TRUE(report.ok()) << report.error().ToString();

  std::string out = "ingest: " + std::to_string(ingest->rows_read) + " rows read, " +
                    std::to_string(ingest->rows_accepted) + " accepted, " +
                    std::to_string(ingest->rows_rejected) + " rejected\n";
  out += "dimensions:";
  for (const auto& d : query.group_by) out += " " + d.name;
  out += "\n\n" + ShowbackText(*report) + "\nreconciliation:\n";
  std::map<std::string, Amount> exact;  // currency -> total over all months
  std::vector<CentsMonth> cents = ToCents(*report);
  for (size_t i = 0; i < cents.size(); ++i) {
    const CentsMonth& m = cents[i];
    int64_t teams = 0;
    for (const auto& t : m.teams) teams += t.total;
    EXPECT_EQ(teams + m.unallocated, m.total) << MonthText(m.month_start_s) << " " << m.currency;
    EXPECT_EQ(m.total, report->months[i].total.RoundedCents());
    exact[m.currency] += report->months[i].total;
    out += "  " + MonthText(m.month_start_s) + " " + m.currency + ": teams " + CentsText(teams) +
           " + unallocated " + CentsText(m.unallocated) + " = invoice " + CentsText(m.total) +
           " (exact " + report->months[i].total.ToExactString() + ")\n";
  }
  std::map<std::string, Amount> ingested;
  for (const auto& t : ingest->totals) ingested[t.currency] += t.effective;
  EXPECT_EQ(exact, ingested) << "allocated totals differ from the ingest report";

  golden::ExpectMatches(dir, out);
  ExpectFile(dir / "showback.csv", ShowbackCsv(*report));
  ExpectFile(dir / "chargeback.csv", ChargebackCsv(*report));
  ExpectFile(dir / "breakdown.csv", BreakdownCsv(*report));
  ExpectFile(dir / "unallocated.csv", UnallocatedCsv(*report));
}

INSTANTIATE_TEST_SUITE_P(Cases, CostAllocationGolden,
                         ::testing::ValuesIn(golden::CaseNames(kCases)), golden::ParamName);

}  // namespace
}  // namespace plinth::cost
