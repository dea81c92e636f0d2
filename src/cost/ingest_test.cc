#include "cost/ingest.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "base/time.h"
#include "store/golden.h"

namespace plinth::cost {
namespace {

namespace fs = std::filesystem;

const fs::path kCases = fs::path(PLINTH_SOURCE_DIR) / "tests/golden/cost-ingest";
const std::string kSample = std::string(PLINTH_SHARED_DATA_DIR) + "/focus/focus_sample.csv";

// Keeps every segment it is given.
class CollectingSink : public IngestSink {
 public:
  Status Accept(const PartitionKey& key, Segment segment) override {
    segments.emplace_back(key, std::move(segment));
    return {};
  }
  std::vector<std::pair<PartitionKey, Segment>> segments;
};

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

std::string Cell(const Segment& s, const ColumnSpec& c, size_t row) {
  switch (c.type) {
    case ColumnType::kString: {
      const StringColumn* col = s.strings(c.name);
      std::string value = col->dict[col->codes[row]];
      ReplaceAll(value, "\r", "\\r");
      ReplaceAll(value, "\n", "\\n");
      return value;
    }
    case ColumnType::kDecimal: {
      const DecimalColumn* col = s.decimals(c.name);
      int64_t v = col->values[row];
      return v == kNullDecimal ? "" : Amount::FromScaled(v, col->scale).ToExactString();
    }
    case ColumnType::kTime: {
      int64_t v = s.times(c.name)->seconds[row];
      return v == kNullTime ? "" : FormatRfc3339(v * 1000);
    }
  }
  return "";
}

// Each segment's partition and row count, and the non-NULL cells of its rows: all of them for a
// small input, else the first 3 of each segment.
std::string DumpSegments(const CollectingSink& sink) {
  size_t total = 0;
  for (const auto& [key, segment] : sink.segments) total += segment.rows();
  const size_t rows_per_segment = total <= 50 ? total : 3;
  std::string out = "\nSegments:\n";
  for (const auto& [key, segment] : sink.segments) {
    out += "  " + key.billing_account_id + " " + FormatRfc3339(key.billing_period_start_s * 1000) +
           ": " + "rows=" + std::to_string(segment.rows()) +
           " columns=" + std::to_string(segment.columns().size()) + "\n";
    for (size_t row = 0; row < std::min(segment.rows(), rows_per_segment); ++row) {
      out += "    row " + std::to_string(row + 1) + ":";
      for (const ColumnSpec& c : segment.columns()) {
        std::string value = Cell(segment, c, row);
        if (!value.empty()) out += " " + c.name + "=" + value;
      }
      out += "\n";
    }
  }
  return out;
}

// The case's input files relative to its folder: its *.csv files, sorted, then the shared data
// files shared.txt lists (as ../../../../../shared/data/...).
std::vector<std::string> Inputs(const fs::path& dir) {
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".csv") paths.push_back(entry.path().filename().string());
  }
  std::sort(paths.begin(), paths.end());
  std::ifstream shared(dir / "shared.txt");
  for (std::string line; std::getline(shared, line);) {
    fs::path data = fs::path(PLINTH_SHARED_DATA_DIR) / line;
    if (!line.empty()) paths.push_back(fs::relative(data, dir).string());
  }
  return paths;
}

class IngestGolden : public ::testing::TestWithParam<std::string> {};

// Reads the case's files from its folder, so the report shows paths as a user would type them.
TEST_P(IngestGolden, Report) {
  const fs::path dir = kCases / GetParam();
  const fs::path cwd = fs::current_path();
  fs::current_path(dir);
  CollectingSink sink;
  auto report = IngestFiles(Inputs(dir), sink);
  fs::current_path(cwd);
  std::string actual = report.ok() ? FormatReport(*report) + DumpSegments(sink)
                                   : "error: " + report.error().message + "\n";
  golden::ExpectMatches(dir, actual);
}

INSTANTIATE_TEST_SUITE_P(Ingest, IngestGolden, ::testing::ValuesIn(golden::CaseNames(kCases)),
                         golden::ParamName);

class IngestFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("plinth_ingest_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Gzip(const std::string& from, const std::string& name) {
    std::string bytes = golden::ReadFile(from);
    std::string path = (dir_ / name).string();
    gzFile f = gzopen(path.c_str(), "wb");
    EXPECT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())),
              static_cast<int>(bytes.size()));
    gzclose(f);
    return path;
  }

  fs::path dir_;
};

TEST_F(IngestFilesTest, GzipImportsLikeThePlainFile) {
  CollectingSink plain_sink, gzip_sink;
  std::vector<std::string> plain_paths = {kSample};
  std::vector<std::string> gzip_paths = {Gzip(kSample, "focus_sample.csv.gz")};
  auto plain = IngestFiles(plain_paths, plain_sink);
  auto gzip = IngestFiles(gzip_paths, gzip_sink);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  ASSERT_TRUE(gzip.ok()) << gzip.error().message;
  EXPECT_TRUE(gzip->files[0].gzip);
  std::string expected = FormatReport(*plain);
  std::string actual = FormatReport(*gzip);
  // Only the file line and the paths in warnings differ.
  expected = expected.substr(expected.find("\nTotals"));
  actual = actual.substr(actual.find("\nTotals"));
  ReplaceAll(actual, gzip_paths[0], kSample);
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(DumpSegments(gzip_sink), DumpSegments(plain_sink));
}

TEST_F(IngestFilesTest, TruncatedGzipIsAFileError) {
  std::string path = Gzip(kSample, "truncated.csv.gz");
  fs::resize_file(path, fs::file_size(path) * 2 / 3);
  CollectingSink sink;
  std::vector<std::string> paths = {path};
  auto report = IngestFiles(paths, sink);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().message, path + ": truncated gzip stream (unexpected end of file)");
}

TEST_F(IngestFilesTest, EmptyFileIsAFileError) {
  std::string path = (dir_ / "empty.csv").string();
  std::ofstream(path) << "";
  CollectingSink sink;
  std::vector<std::string> paths = {path};
  EXPECT_EQ(IngestFiles(paths, sink).error().message,
            path + ": empty file; expected a CSV header line");
}

TEST_F(IngestFilesTest, BoundedBufferingHandsOnPartialSegments) {
  CollectingSink sink;
  std::vector<std::string> paths = {kSample};
  IngestOptions options;
  options.max_buffered_rows = 100;
  auto report = IngestFiles(paths, sink, {}, options);
  ASSERT_TRUE(report.ok());
  size_t rows = 0;
  for (const auto& [key, segment] : sink.segments) {
    EXPECT_LE(segment.rows(), 101u);
    rows += segment.rows();
  }
  EXPECT_EQ(rows, 1000u);
  EXPECT_GE(sink.segments.size(), 10u);

  CollectingSink whole;
  auto unbounded = IngestFiles(paths, whole);
  EXPECT_EQ(FormatReport(*report), FormatReport(*unbounded));
}

TEST_F(IngestFilesTest, ProgressCountsBytesUpToTheFileSize) {
  CollectingSink sink;
  std::vector<std::string> paths = {kSample, Gzip(kSample, "again.csv.gz")};
  std::vector<IngestProgress> calls;
  auto report = IngestFiles(paths, sink, [&](const IngestProgress& p) { calls.push_back(p); });
  ASSERT_TRUE(report.ok());
  ASSERT_GE(calls.size(), 4u);
  EXPECT_EQ(calls.front().bytes_read, 0);
  EXPECT_EQ(calls.front().file_count, 2u);
  EXPECT_EQ(calls.back().file_index, 1u);
  EXPECT_EQ(calls.back().bytes_read, calls.back().file_bytes);
  EXPECT_EQ(calls.back().rows_read, 2000);
  for (size_t i = 1; i < calls.size(); ++i) {
    if (calls[i].file_index == calls[i - 1].file_index) {
      EXPECT_GE(calls[i].bytes_read, calls[i - 1].bytes_read);
    }
  }
}

class FailingSink : public IngestSink {
 public:
  Status Accept(const PartitionKey&, Segment) override { return Error::Unavailable("disk full"); }
};

TEST_F(IngestFilesTest, SinkErrorsStopTheIngest) {
  FailingSink sink;
  std::vector<std::string> paths = {kSample};
  EXPECT_EQ(IngestFiles(paths, sink).error().message, "disk full");
}

}  // namespace
}  // namespace plinth::cost
