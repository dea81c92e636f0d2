#include "audit/audit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "base/crypto.h"
#include "store/test_fixture.h"

namespace plinth::audit {
namespace {

using store::testing::Backend;

constexpr int64_t kT0 = 1795334400000;  // 2026-11-22T08:00:00Z

ListQuery Query(std::optional<std::string> kind, std::optional<std::string> name,
                std::optional<std::string> actor, int64_t before_seq = 0, int limit = 100) {
  ListQuery q;
  q.kind = std::move(kind);
  q.name = std::move(name);
  q.actor = std::move(actor);
  q.before_seq = before_seq;
  q.limit = limit;
  return q;
}

class AuditTest : public store::testing::StoreFixture {
 protected:
  Entry MustAppend(int64_t at_ms, std::string_view actor, std::string_view action,
                   std::string_view kind, std::string_view name, const std::optional<Json>& before,
                   const std::optional<Json>& after) {
    auto e = store_->Write(
        [&](store::Tx& tx) { return Append(tx, at_ms, actor, action, kind, name, before, after); });
    EXPECT_TRUE(e.ok()) << e.error().message;
    return e.ok() ? *e : Entry{};
  }

  // Four entries: a service created, updated and deleted, and a user login.
  void AppendFour() {
    MustAppend(kT0, "user:alice", "create", "Service", "api", std::nullopt, Json{{"tier", 1}});
    MustAppend(kT0 + 1000, "user:bob", "update", "Service", "api", Json{{"tier", 1}},
               Json{{"tier", 2}});
    MustAppend(kT0 + 2000, "user:alice", "delete", "Service", "api", Json{{"tier", 2}},
               std::nullopt);
    MustAppend(kT0 + 3000, "user:alice", "login", "User", "alice", std::nullopt, std::nullopt);
  }

  void Sql(const std::string& sql) {
    auto r = store_->Write([&](store::Tx& tx) { return tx.Exec(sql); });
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  VerifyReport MustVerify() {
    auto r = store_->Read([](store::Tx& tx) { return Verify(tx); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : VerifyReport{};
  }

  void ExpectBad(int64_t first_bad_seq, const std::string& problem) {
    VerifyReport r = MustVerify();
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_bad_seq, first_bad_seq);
    EXPECT_EQ(r.problem, problem);
  }

  std::vector<Entry> MustList(const ListQuery& q) {
    auto r = store_->Read([&](store::Tx& tx) { return List(tx, q); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : std::vector<Entry>{};
  }

  static std::vector<int64_t> Seqs(const std::vector<Entry>& entries) {
    std::vector<int64_t> out;
    for (const auto& e : entries) out.push_back(e.seq);
    return out;
  }
};

TEST_P(AuditTest, EmptyLogVerifies) {
  VerifyReport r = MustVerify();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, 0);
}

TEST_P(AuditTest, ChainOfEntriesVerifies) {
  AppendFour();
  auto all = MustList({});
  ASSERT_EQ(Seqs(all), (std::vector<int64_t>{4, 3, 2, 1}));
  EXPECT_EQ(all[3].prev_hash, "");
  for (size_t i = 0; i + 1 < all.size(); ++i) EXPECT_EQ(all[i].prev_hash, all[i + 1].hash);
  EXPECT_EQ(all[3].hash.size(), 64u);
  EXPECT_EQ(all[3].after, (Json{{"tier", 1}}));
  EXPECT_FALSE(all[3].before.has_value());

  VerifyReport r = MustVerify();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, 4);
}

TEST_P(AuditTest, HashIsShaOfPrevHashAndCanonicalFields) {
  Entry e = MustAppend(kT0, "cli:root", "create", "Team", "sre", std::nullopt,
                       Json{{"b", 1}, {"a", "x"}});
  EXPECT_EQ(e.hash, Sha256Hex(std::string("\n") +
                              R"({"action":"create","actor":"cli:root","after":{"a":"x","b":1},)"
                              R"("at_ms":1795334400000,"before":null,"kind":"Team",)"
                              R"("name":"sre","seq":1})"));
}

TEST_P(AuditTest, ToJsonUsesRfc3339) {
  Entry e = MustAppend(kT0 + 250, "user:alice", "update", "Service", "api", Json{{"tier", 1}},
                       Json{{"tier", 2}});
  Json expected = {{"seq", 1},
                   {"at", "2026-11-22T08:00:00.250Z"},
                   {"actor", "user:alice"},
                   {"action", "update"},
                   {"kind", "Service"},
                   {"name", "api"},
                   {"before", {{"tier", 1}}},
                   {"after", {{"tier", 2}}},
                   {"hash", e.hash}};
  EXPECT_EQ(e.ToJson(), expected);
}

TEST_P(AuditTest, RolledBackAppendLeavesNoTrace) {
  MustAppend(kT0, "user:alice", "create", "Service", "api", std::nullopt, Json::object());
  auto r = store_->Write([&](store::Tx& tx) -> Status {
    PLINTH_RETURN_IF_ERROR(
        Append(tx, kT0, "user:alice", "delete", "Service", "api", Json::object(), std::nullopt));
    return Error::Conflict("the change failed");
  });
  ASSERT_FALSE(r.ok());
  Entry e =
      MustAppend(kT0, "user:alice", "update", "Service", "api", Json::object(), Json::object());
  EXPECT_EQ(e.seq, 2);
  EXPECT_TRUE(MustVerify().ok);
}

TEST_P(AuditTest, ConcurrentAppendsFormOneChain) {
  constexpr int kThreads = 3, kEach = 15;
  std::atomic<int> writers_left{kThreads};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &writers_left] {
      for (int i = 0; i < kEach; ++i) {
        MustAppend(kT0 + i, "user:t" + std::to_string(t), "update", "Service", "api",
                   Json{{"i", i}}, Json{{"i", i + 1}});
      }
      writers_left--;
    });
  }
  // Verifying while others append never reports a problem.
  threads.emplace_back([this, &writers_left] {
    while (writers_left > 0) {
      VerifyReport r = MustVerify();
      EXPECT_TRUE(r.ok) << r.problem;
    }
  });
  for (auto& th : threads) th.join();
  VerifyReport r = MustVerify();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, kThreads * kEach);
}

TEST_P(AuditTest, DetectsEditedDocument) {
  AppendFour();
  Sql("UPDATE audit_log SET after_doc = '{\"tier\":3}' WHERE seq = 2");
  ExpectBad(2, "entry 2: hash does not match the entry's contents");
}

TEST_P(AuditTest, DetectsEditedActor) {
  AppendFour();
  Sql("UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 3");
  ExpectBad(3, "entry 3: hash does not match the entry's contents");
}

TEST_P(AuditTest, DetectsDocumentThatIsNotJson) {
  AppendFour();
  Sql("UPDATE audit_log SET before_doc = '{tier' WHERE seq = 2");
  ExpectBad(2, "entry 2: before_doc is not valid JSON");
}

TEST_P(AuditTest, DetectsDeletedMiddleEntry) {
  AppendFour();
  Sql("DELETE FROM audit_log WHERE seq = 2");
  ExpectBad(2, "entry 2 is missing (the next entry is 3)");
}

TEST_P(AuditTest, DetectsDeletedFirstEntry) {
  AppendFour();
  Sql("DELETE FROM audit_log WHERE seq = 1");
  ExpectBad(1, "entry 1 is missing (the next entry is 2)");
}

TEST_P(AuditTest, DetectsTruncatedTail) {
  AppendFour();
  Sql("DELETE FROM audit_log WHERE seq = 4");
  ExpectBad(4, "entry 4 is missing (the audit head is at seq 4)");
}

TEST_P(AuditTest, DetectsTruncatedTailWithRewoundHead) {
  AppendFour();
  Sql("DELETE FROM audit_log WHERE seq = 4");
  Sql("UPDATE audit_head SET seq = 3 WHERE id = 1");
  ExpectBad(3, "the audit head hash does not match entry 3");
}

TEST_P(AuditTest, DetectsChangedPrevHash) {
  AppendFour();
  Sql("UPDATE audit_log SET prev_hash = '" + std::string(64, '0') + "' WHERE seq = 3");
  ExpectBad(3, "entry 3: prev_hash does not match the hash of entry 2");
}

TEST_P(AuditTest, DetectsPrevHashOnFirstEntry) {
  AppendFour();
  Sql("UPDATE audit_log SET prev_hash = 'x' WHERE seq = 1");
  ExpectBad(1, "entry 1: prev_hash must be empty for the first entry");
}

TEST_P(AuditTest, DetectsEntryBeyondHead) {
  AppendFour();
  Sql("INSERT INTO audit_log (seq, at_ms, actor, action, kind, name, prev_hash, hash) "
      "SELECT 5, at_ms, actor, action, kind, name, hash, hash FROM audit_log WHERE seq = 4");
  ExpectBad(5, "entry 5 is beyond the audit head (seq 4)");
}

TEST_P(AuditTest, DetectsHeadBehindAConsistentExtraEntry) {
  Entry first =
      MustAppend(kT0, "user:alice", "create", "Team", "sre", std::nullopt, Json::object());
  Entry second =
      MustAppend(kT0, "user:alice", "delete", "Team", "sre", Json::object(), std::nullopt);
  // Rewind the head to entry 1: entry 2 is still a valid link, but the head does not know it.
  Sql("UPDATE audit_head SET seq = 1, hash = '" + first.hash + "' WHERE id = 1");
  ExpectBad(2, "entry 2 is beyond the audit head (seq 1)");
  EXPECT_EQ(second.seq, 2);
}

TEST_P(AuditTest, ListFiltersNewestFirst) {
  AppendFour();
  EXPECT_EQ(Seqs(MustList(Query("Service", {}, {}))), (std::vector<int64_t>{3, 2, 1}));
  EXPECT_EQ(Seqs(MustList(Query("User", "alice", {}))), (std::vector<int64_t>{4}));
  EXPECT_EQ(Seqs(MustList(Query({}, "api", "user:alice"))), (std::vector<int64_t>{3, 1}));
  EXPECT_EQ(Seqs(MustList(Query({}, {}, "user:bob"))), (std::vector<int64_t>{2}));
  EXPECT_TRUE(MustList(Query("Nothing", {}, {})).empty());
}

TEST_P(AuditTest, ListPagesWithCursor) {
  AppendFour();
  auto page1 = MustList(Query({}, {}, {}, 0, 3));
  EXPECT_EQ(Seqs(page1), (std::vector<int64_t>{4, 3, 2}));
  auto page2 = MustList(Query({}, {}, {}, page1.back().seq, 3));
  EXPECT_EQ(Seqs(page2), (std::vector<int64_t>{1}));
  EXPECT_TRUE(MustList(Query({}, {}, {}, 1, 3)).empty());
  EXPECT_EQ(Seqs(MustList(Query("Service", {}, {}, 3, 1))), (std::vector<int64_t>{2}));
}

TEST_P(AuditTest, ListRejectsBadLimit) {
  for (int limit : {0, -1, 1001}) {
    auto r = store_->Read([&](store::Tx& tx) { return List(tx, Query({}, {}, {}, 0, limit)); });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().ToString(), "limit: limit must be between 1 and 1000");
  }
}

INSTANTIATE_TEST_SUITE_P(AllBackends, AuditTest, ::testing::ValuesIn(store::testing::AllBackends()),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

}  // namespace
}  // namespace plinth::audit
