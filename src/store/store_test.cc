// The Store contract, run on every backend (SQLite in memory, SQLite file, PostgreSQL).
// Cases that only make sense on one backend skip on the others with the reason.

#include "store/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <thread>

#include "store/test_fixture.h"

namespace plinth::store {
namespace {

using testing::Backend;

// The status of an Exec, without its row count.
Status Done(Result<int64_t> r) {
  if (!r.ok()) return std::move(r).error();
  return {};
}

class StoreTest : public testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Status s = store_->Write([](Tx& tx) {
      return tx.ExecScript(
          "CREATE TABLE t (id BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, s TEXT);"
          "CREATE TABLE u (name TEXT PRIMARY KEY, n BIGINT NOT NULL)");
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  int64_t Count(const char* table = "t") {
    auto n = store_->Read([&](Tx& tx) -> Result<int64_t> {
      PLINTH_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT COUNT(*) FROM ") + table));
      return row->Int(0);
    });
    EXPECT_TRUE(n.ok()) << n.error().message;
    return n.ok() ? *n : -1;
  }

  Status Insert(int64_t id, const Value& s = nullptr) {
    return store_->Write([&](Tx& tx) {
      return Done(tx.Exec("INSERT INTO t (id, s) VALUES (?, ?)", {id, s}));
    });
  }

};

TEST_P(StoreTest, RoundTripsTypedValues) {
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  struct Case {
    Value i, r, s;
  };
  const std::vector<Case> cases = {
      {nullptr, nullptr, nullptr},
      {int64_t{0}, 0.0, ""},
      {kMax, 0.1, "héllo ✓ 日本語 🚀"},
      {kMin, -1e300, "it's \"quoted\" -- not a comment; ?"},
      {int64_t{-1}, 3.141592653589793, "line\nbreak\ttab\\backslash"},
      {int64_t{9007199254740993}, 5e-324, "'"},
  };
  Status s = store_->Write([&](Tx& tx) -> Status {
    for (size_t k = 0; k < cases.size(); ++k) {
      PLINTH_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (id, i, r, s) VALUES (?, ?, ?, ?)",
                                     {int64_t(k), cases[k].i, cases[k].r, cases[k].s}));
    }
    return {};
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto rows = store_->Read([](Tx& tx) { return tx.Query("SELECT i, r, s FROM t ORDER BY id"); });
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), cases.size());
  for (size_t k = 0; k < cases.size(); ++k) {
    const Row& row = (*rows)[k];
    const Case& c = cases[k];
    ASSERT_EQ(row.size(), 3u);
    EXPECT_EQ(row.IsNull(0), c.i.is_null()) << k;
    EXPECT_EQ(row.IsNull(1), c.r.is_null()) << k;
    EXPECT_EQ(row.IsNull(2), c.s.is_null()) << k;
    if (!c.i.is_null()) {
      EXPECT_EQ(row.Int(0), c.i.as_int()) << k;
    }
    if (!c.r.is_null()) {
      EXPECT_EQ(row.Real(1), c.r.as_real()) << k;
    }
    if (!c.s.is_null()) {
      EXPECT_EQ(row.Text(2), c.s.as_text()) << k;
    }
    EXPECT_EQ(row.OptInt(0).has_value(), !c.i.is_null()) << k;
    EXPECT_EQ(row.OptText(2).has_value(), !c.s.is_null()) << k;
  }
  EXPECT_EQ((*rows)[0].Int(0), 0);  // NULL reads as 0 and ""
  EXPECT_EQ((*rows)[0].Text(2), "");
}

TEST_P(StoreTest, RoundTripsBinaryBlobs) {
  std::string bytes;
  for (int i = 0; i < 70000; ++i) bytes.push_back(static_cast<char>(i * 7 % 256));  // NULs, \x..
  Status s = store_->Write([&](Tx& tx) -> Status {
    PLINTH_RETURN_IF_ERROR(tx.ExecScript("CREATE TABLE b (k TEXT PRIMARY KEY, data BYTEA NOT NULL)"));
    return Done(tx.Exec("INSERT INTO b (k, data) VALUES (?, ?)", {"x", Blob{bytes}}));
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto row = store_->Read([](Tx& tx) { return tx.QueryOne("SELECT data FROM b WHERE k = 'x'"); });
  ASSERT_TRUE(row.ok()) << row.error().message;
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ((*row)->Bytes(0), bytes);
}

TEST_P(StoreTest, RoundTripsParametersAsColumns) {
  auto row = store_->Read([](Tx& tx) {
    // PostgreSQL infers a parameter's type from its use; where nothing says, CAST it.
    return tx.QueryOne("SELECT ? + 1, ? * 2, ?, CAST(? AS TEXT) IS NULL, SUBSTR(?, ?, ?)",
                       {int64_t{-9000000000}, 1.25, "x'y", nullptr, "abcdef", 2, 3});
  });
  ASSERT_TRUE(row.ok()) << row.error().message;
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ((*row)->Int(0), -8999999999);
  EXPECT_EQ((*row)->Real(1), 2.5);
  EXPECT_EQ((*row)->Text(2), "x'y");
  EXPECT_TRUE((*row)->Bool(3));
  EXPECT_EQ((*row)->Text(4), "bcd");
}

TEST_P(StoreTest, QuestionMarksInLiteralsIdentifiersAndCommentsAreNotParameters) {
  auto row = store_->Read([](Tx& tx) {
    return tx.QueryOne("SELECT 'what?', ? AS \"really?\", 'it''s ?', /* why? */ ? -- or not?\n",
                       {7, "b"});
  });
  ASSERT_TRUE(row.ok()) << row.error().message;
  EXPECT_EQ((*row)->Text(0), "what?");
  EXPECT_EQ((*row)->Int(1), 7);
  EXPECT_EQ((*row)->Text(2), "it's ?");
  EXPECT_EQ((*row)->Text(3), "b");
}

TEST_P(StoreTest, WrongParameterCountIsAnError) {
  auto r = store_->Read([](Tx& tx) { return tx.Query("SELECT ?, ?", {1}); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
}

TEST_P(StoreTest, CommitPersists) {
  ASSERT_TRUE(Insert(1, "a").ok());
  ASSERT_TRUE(Insert(2, "b").ok());
  EXPECT_EQ(Count(), 2);
}

TEST_P(StoreTest, ErrorFromFunctionRollsBack) {
  Status s = store_->Write([](Tx& tx) -> Status {
    PLINTH_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (id) VALUES (1)"));
    return Error::Invalid("changed my mind");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(s.error().message, "changed my mind");
  EXPECT_EQ(Count(), 0);
  EXPECT_EQ(store_->stats().rollbacks.load(), 1);
}

TEST_P(StoreTest, ExceptionRollsBackAndStoreStaysUsable) {
  EXPECT_THROW((void)store_->Write([](Tx& tx) -> Status {
    PLINTH_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (id) VALUES (1)"));
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(Count(), 0);
  ASSERT_TRUE(Insert(1).ok());
  EXPECT_EQ(Count(), 1);
}

TEST_P(StoreTest, Returning) {
  auto rows = store_->Write([](Tx& tx) {
    return tx.Query("INSERT INTO t (id, s) VALUES (?, ?), (?, ?) RETURNING id, s",
                    {1, "one", 2, "two"});
  });
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].Int(0) + (*rows)[1].Int(0), 3);
  EXPECT_EQ((*rows)[(*rows)[0].Int(0) == 1 ? 0 : 1].Text(1), "one");
}

TEST_P(StoreTest, OnConflictUpsertAndExecCounts) {
  const char* kUpsert =
      "INSERT INTO u (name, n) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET n = u.n + excluded.n";
  for (int k = 1; k <= 3; ++k) {
    auto changed = store_->Write([&](Tx& tx) { return tx.Exec(kUpsert, {"a", k}); });
    ASSERT_TRUE(changed.ok()) << changed.error().message;
    EXPECT_EQ(*changed, 1);
  }
  auto n = store_->Read([](Tx& tx) { return tx.QueryOne("SELECT n FROM u WHERE name = 'a'"); });
  ASSERT_TRUE(n.ok() && n->has_value());
  EXPECT_EQ((*n)->Int(0), 6);
  ASSERT_TRUE(Insert(1).ok());
  ASSERT_TRUE(Insert(2).ok());
  auto updated = store_->Write([](Tx& tx) { return tx.Exec("UPDATE t SET s = 'x'"); });
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(*updated, 2);
  auto none = store_->Write([](Tx& tx) { return tx.Exec("DELETE FROM t WHERE id < 0"); });
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(*none, 0);
}

TEST_P(StoreTest, ConstraintViolationIsConflict) {
  ASSERT_TRUE(Insert(1).ok());
  auto dup = store_->Write([](Tx& tx) { return tx.Exec("INSERT INTO t (id) VALUES (?)", {1}); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict) << dup.error().message;
  auto null = store_->Write([](Tx& tx) { return tx.Exec("INSERT INTO u (name) VALUES ('x')"); });
  ASSERT_FALSE(null.ok());
  EXPECT_EQ(null.error().code, ErrorCode::kConflict) << null.error().message;
  EXPECT_EQ(Count(), 1);
  EXPECT_EQ(Count("u"), 0);
}

TEST_P(StoreTest, DeferredForeignKeyRejectsDanglingReferenceAtCommit) {
  const char* kEntity =
      "INSERT INTO catalog_entities (kind, name, doc, version, created_at_ms, updated_at_ms) "
      "VALUES (?, ?, '{}', 1, 0, 0)";
  const char* kRelation =
      "INSERT INTO catalog_relations (kind, name, relation, target_kind, target_name) "
      "VALUES (?, ?, 'dependsOn', ?, ?)";
  // Deferred: the reference may come before its target inside one transaction.
  Status ok = store_->Write([&](Tx& tx) -> Status {
    PLINTH_RETURN_IF_ERROR(tx.Exec(kEntity, {"Service", "api"}));
    PLINTH_RETURN_IF_ERROR(tx.Exec(kRelation, {"Service", "api", "Service", "db"}));
    return Done(tx.Exec(kEntity, {"Service", "db"}));
  });
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  bool inserted = false;
  Status dangling = store_->Write([&](Tx& tx) -> Status {
    PLINTH_RETURN_IF_ERROR(tx.Exec(kRelation, {"Service", "api", "Service", "ghost"}));
    inserted = true;
    return {};
  });
  EXPECT_TRUE(inserted);  // accepted by the statement, refused by COMMIT
  ASSERT_FALSE(dangling.ok());
  EXPECT_EQ(dangling.error().code, ErrorCode::kConflict) << dangling.error().message;
  EXPECT_EQ(Count("catalog_relations"), 1);
  EXPECT_EQ(Count("catalog_entities"), 2);
}

TEST_P(StoreTest, PreparedStatementsAreReused) {
  Status s = store_->Write([](Tx& tx) -> Status {
    for (int k = 0; k < 300; ++k) {
      PLINTH_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (id, i) VALUES (?, ?)", {k, k * 2}));
    }
    return {};
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  for (int round = 0; round < 3; ++round) {
    auto sum = store_->Read(
        [](Tx& tx) { return tx.QueryOne("SELECT SUM(i) FROM t WHERE id < ?", {int64_t{100}}); });
    ASSERT_TRUE(sum.ok()) << sum.error().message;
    EXPECT_EQ((*sum)->Int(0), 9900);
  }
  EXPECT_EQ(Count(), 300);
}

TEST_P(StoreTest, ConcurrentWritersAllLand) {
  constexpr int kThreads = 4, kRows = 100;
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < kRows && errors[t].empty(); ++k) {
        Status s = store_->Write([&](Tx& tx) -> Status {
          PLINTH_RETURN_IF_ERROR(
              tx.Exec("INSERT INTO t (id, i) VALUES (?, ?)", {t * kRows + k, t}));
          return Done(
              tx.Exec("INSERT INTO u (name, n) VALUES ('total', 1) "
                      "ON CONFLICT (name) DO UPDATE SET n = u.n + 1"));
        });
        if (!s.ok()) errors[t] = s.error().message;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(errors[t], "") << "thread " << t;
  EXPECT_EQ(Count(), kThreads * kRows);
  auto total = store_->Read([](Tx& tx) { return tx.QueryOne("SELECT n FROM u"); });
  ASSERT_TRUE(total.ok() && total->has_value());
  EXPECT_EQ((*total)->Int(0), kThreads * kRows);
}

// Behaviour only a server connection has: lost connections and aborted transactions.
class PostgresStoreTest : public StoreTest {};

TEST_P(PostgresStoreTest, LostConnectionIsUnavailableAndPoolRecovers) {
  auto killed = store_->Read(
      [](Tx& tx) { return tx.Query("SELECT pg_terminate_backend(pg_backend_pid())"); });
  ASSERT_FALSE(killed.ok());
  EXPECT_EQ(killed.error().code, ErrorCode::kUnavailable) << killed.error().message;
  ASSERT_TRUE(Insert(1).ok());
  EXPECT_EQ(Count(), 1);
}

TEST_P(PostgresStoreTest, IdleConnectionLostInThePoolIsReopened) {
  auto backend_pid = [](Tx& tx) -> Result<int64_t> {
    PLINTH_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT pg_backend_pid()"));
    return row->Int(0);
  };
  // Nested transactions lease two connections; the inner one then waits idle in the pool.
  auto idle = store_->Read([&](Tx&) { return store_->Read(backend_pid); });
  ASSERT_TRUE(idle.ok()) << idle.error().message;
  Status killed = store_->Read(
      [&](Tx& tx) { return Done(tx.Exec("SELECT pg_terminate_backend(?)", {*idle})); });
  ASSERT_TRUE(killed.ok()) << killed.error().message;
  for (int i = 0; i < 250; ++i) {
    auto left = store_->Read([&](Tx& tx) {
      return tx.QueryOne("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ?", {*idle});
    });
    ASSERT_TRUE(left.ok()) << left.error().message;
    if ((*left)->Int(0) == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // Nothing ran on the dead connection yet, so BEGIN reconnects instead of failing.
  auto fresh = store_->Read([&](Tx&) { return store_->Read(backend_pid); });
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_NE(*fresh, *idle);
  EXPECT_EQ(store_->stats().errors.load(), 1);  // the failed BEGIN
}

TEST_P(PostgresStoreTest, SwallowedErrorStillFailsCommitOnPostgres) {
  ASSERT_TRUE(Insert(1).ok());
  Status s = store_->Write([](Tx& tx) -> Status {
    (void)tx.Exec("INSERT INTO t (id) VALUES (2)");
    (void)tx.Exec("INSERT INTO t (id) VALUES (1)");  // fails; PostgreSQL aborts the transaction
    return {};
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict) << s.error().message;
  EXPECT_EQ(Count(), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(testing::AllBackends()),
                         [](const auto& info) { return testing::BackendName(info.param); });
INSTANTIATE_TEST_SUITE_P(Backends, PostgresStoreTest, ::testing::Values(Backend::kPostgres),
                         [](const auto& info) { return testing::BackendName(info.param); });

TEST(SqliteFileStoreTest, ReopenedFileKeepsCommittedData) {
  auto dir = std::filesystem::temp_directory_path() / "plinth-test";
  std::filesystem::create_directories(dir);
  auto path = (dir / ("reopen-" + std::to_string(::getpid()) + ".db")).string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  {
    auto store = Store::Open("sqlite:" + path);
    ASSERT_TRUE(store.ok()) << store.error().message;
    Status s = (*store)->Write([](Tx& tx) -> Status {
      PLINTH_RETURN_IF_ERROR(tx.ExecScript("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)"));
      return Done(tx.Exec("INSERT INTO kv VALUES (?, ?)", {"key", "value"}));
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  {
    auto store = Store::Open(path);  // a bare path means SQLite
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto v = (*store)->Read([](Tx& tx) { return tx.QueryOne("SELECT v FROM kv WHERE k = 'key'"); });
    ASSERT_TRUE(v.ok() && v->has_value());
    EXPECT_EQ((*v)->Text(0), "value");
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

TEST(PostgresStoreTest, DescribeAndErrorsNeverShowThePassword) {
  auto bad = Store::Open("postgres://plinth:s3cret-pw@127.0.0.1:1/nowhere", 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(bad.error().message.find("postgres://plinth:***@127.0.0.1:1/nowhere"),
            std::string::npos)
      << bad.error().message;
  EXPECT_EQ(bad.error().message.find("s3cret"), std::string::npos) << bad.error().message;

  std::string url = testing::PostgresUrl();
  if (url.empty()) GTEST_SKIP() << "PostgreSQL not configured: set PLINTH_TEST_PG_URL_FILE";
  size_t at = url.find('@');
  ASSERT_NE(at, std::string::npos) << url;
  url.insert(at, ":s3cret-pw");  // trust auth ignores it
  auto store = Store::Open(url + "?application_name=plinth-test&password=s3cret-pw", 1);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ((*store)->dialect(), Dialect::kPostgres);
  std::string described = (*store)->Describe();
  EXPECT_EQ(described.find("s3cret"), std::string::npos) << described;
  EXPECT_NE(described.find(":***@127.0.0.1"), std::string::npos) << described;
  EXPECT_NE(described.find("password=***"), std::string::npos) << described;
}

}  // namespace
}  // namespace plinth::store
