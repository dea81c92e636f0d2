// Migrations on every backend: applied in order to an empty database, idempotent, all or
// nothing, and strict about file names.

#include "store/migrate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "store/test_fixture.h"

namespace plinth::store {
namespace {

using testing::Backend;

int64_t HighestEmbeddedVersion() {
  int64_t highest = 0;
  for (const auto& f : embedded::Migrations()) {
    highest = std::max<int64_t>(highest, std::atoll(std::string(f.name).c_str()));
  }
  return highest;
}

// Runs each case on an empty database (no migrations applied) of the backend.
class MigrateTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    switch (GetParam()) {
      case Backend::kSqliteMemory:
        Open("sqlite::memory:");
        break;
      case Backend::kSqliteFile: {
        static int counter = 0;
        auto dir = std::filesystem::temp_directory_path() / "plinth-test";
        std::filesystem::create_directories(dir);
        path_ = (dir / ("migrate-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
                        ".db"))
                    .string();
        RemoveFiles();
        Open("sqlite:" + path_);
        break;
      }
      case Backend::kPostgres: {
        // A fresh database is already migrated; an empty schema on it is a clean slate.
        std::unique_ptr<Store> fresh;
        testing::OpenFreshOrSkip(Backend::kPostgres, &fresh);
        if (IsSkipped() || HasFatalFailure()) return;
        Status s = fresh->Write([](Tx& tx) { return tx.ExecScript("CREATE SCHEMA empty"); });
        ASSERT_TRUE(s.ok()) << s.error().message;
        std::string url = fresh->Describe();
        url += url.find('?') == std::string::npos ? '?' : '&';
        Open(url + "options=-csearch_path%3Dempty");
        break;
      }
    }
  }

  void TearDown() override {
    store_.reset();
    RemoveFiles();
  }

  void Open(const std::string& url) {
    auto store = Store::Open(url);
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(store).value();
  }

  void RemoveFiles() {
    if (path_.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  // schema_migrations as "version:name" lines, or the error.
  std::string Applied() {
    auto rows = store_->Read([](Tx& tx) {
      return tx.Query("SELECT version, name, applied_at_ms FROM schema_migrations ORDER BY 1");
    });
    if (!rows.ok()) return "error: " + rows.error().message;
    std::string out;
    for (const auto& r : *rows) {
      out += std::to_string(r.Int(0)) + ":" + r.Text(1) + "@" + std::to_string(r.Int(2)) + "\n";
    }
    return out;
  }

  bool TableExists(const std::string& table) {
    return store_->Read([&](Tx& tx) { return tx.Query("SELECT COUNT(*) FROM " + table); }).ok();
  }

  std::unique_ptr<Store> store_;
  std::string path_;  // SQLite file, if any
};

TEST_P(MigrateTest, EmptyDatabaseMigratesToHighestVersion) {
  const auto& files = embedded::Migrations();
  ASSERT_FALSE(files.empty());
  auto report = Migrate(*store_, files, 1234);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->from_version, 0);
  EXPECT_EQ(report->to_version, HighestEmbeddedVersion());
  std::string expected;
  for (const auto& f : files) {
    expected += std::to_string(std::atoll(std::string(f.name).c_str())) + ":" +
                std::string(f.name) + "@1234\n";
  }
  EXPECT_EQ(Applied(), expected);
  EXPECT_TRUE(TableExists("catalog_entities"));
}

TEST_P(MigrateTest, RerunningIsANoOp) {
  ASSERT_TRUE(Migrate(*store_, embedded::Migrations(), 1).ok());
  std::string before = Applied();
  auto again = Migrate(*store_, embedded::Migrations(), 2);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->from_version, HighestEmbeddedVersion());
  EXPECT_EQ(again->to_version, again->from_version);
  EXPECT_EQ(Applied(), before);
}

TEST_P(MigrateTest, FailingMigrationLeavesDatabaseExactlyAsBefore) {
  ASSERT_TRUE(Migrate(*store_, embedded::Migrations(), 1).ok());
  std::string before = Applied();
  std::vector<EmbeddedFile> files = embedded::Migrations();
  files.push_back({"9001_first.sql",
                   "CREATE TABLE m_first (x BIGINT); INSERT INTO m_first "
                   "VALUES (1);"});
  files.push_back({"9002_broken.sql",
                   "CREATE TABLE m_second (x BIGINT);\n"
                   "INSERT INTO no_such_table VALUES (1);"});
  auto report = Migrate(*store_, files, 2);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find("migration 9002_broken.sql failed"), std::string::npos)
      << report.error().message;
  EXPECT_EQ(Applied(), before);
  EXPECT_FALSE(TableExists("m_first"));
  EXPECT_FALSE(TableExists("m_second"));

  files.pop_back();  // with the broken one gone, the good one applies
  auto fixed = Migrate(*store_, files, 3);
  ASSERT_TRUE(fixed.ok()) << fixed.error().message;
  EXPECT_EQ(fixed->to_version, 9001);
  EXPECT_TRUE(TableExists("m_first"));
}

TEST_P(MigrateTest, FailureOnEmptyDatabaseLeavesNoTables) {
  std::vector<EmbeddedFile> files = {{"0001_a.sql", "CREATE TABLE m_a (x BIGINT);"},
                                     {"0002_b.sql", "CREATE TABLE m_b (x BIGINT); BOGUS;"}};
  ASSERT_FALSE(Migrate(*store_, files, 1).ok());
  EXPECT_FALSE(TableExists("schema_migrations"));
  EXPECT_FALSE(TableExists("m_a"));
  EXPECT_FALSE(TableExists("m_b"));
}

TEST_P(MigrateTest, DuplicateNumbersAreRejected) {
  for (const auto& files : std::vector<std::vector<EmbeddedFile>>{
           {{"0001_a.sql", "CREATE TABLE m_a (x BIGINT);"}, {"0001_b.sql", "SELECT 1;"}},
           {{"0007_a.sql", "CREATE TABLE m_a (x BIGINT);"}, {"7_b.sql", "SELECT 1;"}}}) {
    auto report = Migrate(*store_, files, 1);
    ASSERT_FALSE(report.ok());
    EXPECT_NE(report.error().message.find("share a number"), std::string::npos)
        << report.error().message;
  }
  EXPECT_FALSE(TableExists("m_a"));
}

TEST_P(MigrateTest, BadNamesAreRejected) {
  for (const char* name : {"foundation.sql", "0001-foundation.sql", "0001_foundation.txt",
                           "_foundation.sql", "0001", ""}) {
    std::vector<EmbeddedFile> files = {{name, "CREATE TABLE m_a (x BIGINT);"}};
    auto report = Migrate(*store_, files, 1);
    ASSERT_FALSE(report.ok()) << name;
    EXPECT_NE(report.error().message.find("expected a name like 0001_description.sql"),
              std::string::npos)
        << report.error().message;
  }
  EXPECT_FALSE(TableExists("m_a"));
}

TEST_P(MigrateTest, ConcurrentStartsApplyEachMigrationOnce) {
  constexpr int kStarts = 3;
  std::vector<Result<MigrationReport>> reports(kStarts, Error::Internal("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kStarts; ++i) {
    threads.emplace_back([&, i] { reports[i] = Migrate(*store_, embedded::Migrations(), i); });
  }
  for (auto& t : threads) t.join();
  int from_zero = 0;
  for (const auto& r : reports) {
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->to_version, HighestEmbeddedVersion());
    from_zero += r->from_version == 0;
  }
  EXPECT_EQ(from_zero, 1);
  auto rows =
      store_->Read([](Tx& tx) { return tx.Query("SELECT version FROM schema_migrations"); });
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->size(), embedded::Migrations().size());
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrateTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });

}  // namespace
}  // namespace plinth::store
