// The repository on every backend: create/replace/delete with versions and audit entries,
// reference checks, list pagination and filters, and all-or-nothing apply.

#include "catalog/repository.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "audit/audit.h"
#include "catalog/apply.h"
#include "catalog/rows.h"
#include "store/test_fixture.h"

namespace plinth::catalog {
namespace {

using store::testing::Backend;

constexpr int64_t kT0 = 1795334400000;

Json Doc(const std::string& kind, const std::string& name, Json spec = Json::object(),
         Json metadata = Json::object()) {
  metadata["name"] = name;
  return {{"apiVersion", "plinth/v1"}, {"kind", kind}, {"metadata", metadata}, {"spec", spec}};
}

class CatalogRepositoryTest : public store::testing::StoreFixture {
 protected:
  Result<Entity> Create(const Json& doc, int64_t at = kT0) {
    return store_->Write([&](store::Tx& tx) { return catalog::Create(tx, doc, "user:t", at); });
  }
  void MustCreate(const Json& doc) {
    auto r = Create(doc);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }
  Result<std::vector<audit::Entry>> AuditFor(const std::string& name) {
    return store_->Read([&](store::Tx& tx) {
      audit::ListQuery q;
      q.name = name;
      return audit::List(tx, q);
    });
  }
  std::vector<std::string> Names(const ListQuery& q, std::string* cursor = nullptr) {
    auto page = store_->Read([&](store::Tx& tx) { return List(tx, q); });
    EXPECT_TRUE(page.ok()) << page.error().ToString();
    std::vector<std::string> out;
    if (!page.ok()) return out;
    for (const auto& e : page->items) out.push_back(e.name);
    if (cursor) *cursor = page->next_cursor;
    return out;
  }
};

TEST_P(CatalogRepositoryTest, CreateChecksReferencesAndConflicts) {
  auto missing = Create(Doc("Service", "api", {{"owner", "paymnts"}, {"dependsOn", {"db"}}}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalid);
  ASSERT_EQ(missing.error().fields.size(), 2u);
  EXPECT_EQ(missing.error().fields[0].pointer, "/spec/owner");
  EXPECT_EQ(missing.error().fields[0].message, "team \"paymnts\" does not exist");
  EXPECT_EQ(missing.error().fields[1].pointer, "/spec/dependsOn/0");
  EXPECT_EQ(missing.error().fields[1].message, "service \"db\" does not exist");

  MustCreate(Doc("Team", "payments"));
  auto api = Create(Doc("Service", "api", {{"owner", "payments"}, {"tier", 1}}), kT0 + 5);
  ASSERT_TRUE(api.ok()) << api.error().ToString();
  EXPECT_EQ(api->version, 1);
  EXPECT_EQ(api->created_at_ms, kT0 + 5);
  EXPECT_EQ(api->updated_at_ms, kT0 + 5);
  EXPECT_EQ(api->doc["spec"]["lifecycle"], "production");

  auto again = Create(Doc("Service", "api", {{"owner", "payments"}}));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().message, "service \"api\" already exists");

  auto got = store_->Read([&](store::Tx& tx) { return Get(tx, "Service", "api"); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->doc, api->doc);
  auto none = store_->Read([&](store::Tx& tx) { return Get(tx, "Service", "nope"); });
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(none.error().message, "service \"nope\" does not exist");

  auto entries = AuditFor("api");
  ASSERT_TRUE(entries.ok()) << entries.error().ToString();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].action, "create");
  EXPECT_EQ((*entries)[0].actor, "user:t");
  EXPECT_EQ((*entries)[0].kind, "Service");
  EXPECT_FALSE((*entries)[0].before.has_value());
  EXPECT_EQ((*entries)[0].after, api->doc);
}

TEST_P(CatalogRepositoryTest, ReplaceVersionsAndAudit) {
  MustCreate(Doc("Team", "payments"));
  MustCreate(Doc("Service", "api", {{"owner", "payments"}, {"tier", 2}}));
  auto replace = [&](Json doc, std::optional<int64_t> if_version, int64_t at) {
    return store_->Write([&](store::Tx& tx) {
      return Replace(tx, "Service", "api", doc, if_version, "user:r", at);
    });
  };
  // The name and kind come from the path when the body leaves them out.
  Json body = {{"apiVersion", "plinth/v1"}, {"spec", {{"owner", "payments"}, {"tier", 2}}}};
  auto same = replace(body, 1, kT0 + 1);
  ASSERT_TRUE(same.ok()) << same.error().ToString();
  EXPECT_EQ(same->version, 1);  // unchanged: no new version
  EXPECT_EQ(same->updated_at_ms, kT0);

  body["spec"]["tier"] = 1;
  auto changed = replace(body, 1, kT0 + 2);
  ASSERT_TRUE(changed.ok()) << changed.error().ToString();
  EXPECT_EQ(changed->version, 2);
  EXPECT_EQ(changed->created_at_ms, kT0);
  EXPECT_EQ(changed->updated_at_ms, kT0 + 2);

  auto stale = replace(body, 1, kT0 + 3);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().message,
            "service \"api\" is at version 2, not 1 (it was changed; reload and retry)");

  Json renamed = Doc("Service", "other", {{"owner", "payments"}});
  auto bad = replace(renamed, std::nullopt, kT0 + 4);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields[0].pointer, "/metadata/name");

  Json dangling = Doc("Service", "api", {{"owner", "ghosts"}});
  auto ref = replace(dangling, std::nullopt, kT0 + 5);
  ASSERT_FALSE(ref.ok());
  EXPECT_EQ(ref.error().ToString(), "spec.owner: team \"ghosts\" does not exist");

  auto absent = store_->Write([&](store::Tx& tx) {
    return Replace(tx, "Service", "nope", Doc("Service", "nope", {{"owner", "payments"}}),
                   std::nullopt, "user:r", kT0);
  });
  EXPECT_EQ(absent.error().code, ErrorCode::kNotFound);

  auto entries = AuditFor("api");
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);  // newest first: update, create
  EXPECT_EQ((*entries)[0].action, "update");
  EXPECT_EQ((*entries)[0].before.value()["spec"]["tier"], 2);
  EXPECT_EQ((*entries)[0].after.value()["spec"]["tier"], 1);
}

TEST_P(CatalogRepositoryTest, DeleteRefusesWhileReferenced) {
  MustCreate(Doc("Person", "al"));
  MustCreate(Doc("Team", "payments", {{"members", {"al"}}}));
  MustCreate(Doc("Service", "db", {{"owner", "payments"}}));
  MustCreate(Doc("Service", "api", {{"owner", "payments"}, {"dependsOn", {"db"}}}));
  auto del = [&](const std::string& kind, const std::string& name) {
    return store_->Write(
        [&](store::Tx& tx) { return catalog::Delete(tx, kind, name, "user:d", kT0 + 9); });
  };
  auto s = del("Team", "payments");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_EQ(s.error().message,
            "team \"payments\" is still referenced by service \"api\", service \"db\"");
  EXPECT_EQ(del("Service", "db").error().message,
            "service \"db\" is still referenced by service \"api\"");
  EXPECT_EQ(del("Person", "al").error().message,
            "person \"al\" is still referenced by team \"payments\"");
  ASSERT_TRUE(del("Service", "api").ok());
  ASSERT_TRUE(del("Service", "db").ok());
  ASSERT_TRUE(del("Team", "payments").ok());
  ASSERT_TRUE(del("Person", "al").ok());
  EXPECT_EQ(del("Person", "al").error().code, ErrorCode::kNotFound);
  auto entries = AuditFor("db");
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].action, "delete");
  EXPECT_TRUE((*entries)[0].before.has_value());
  EXPECT_FALSE((*entries)[0].after.has_value());
  auto verify = store_->Read([](store::Tx& tx) { return audit::Verify(tx); });
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok) << verify->problem;
}

TEST_P(CatalogRepositoryTest, ListPaginatesAndFilters) {
  MustCreate(Doc("Team", "a-team"));
  MustCreate(Doc("Team", "b-team"));
  const char* names[] = {"zeta", "alpha", "Beta", "gamma", "delta", "eps_1", "eps-1"};
  int i = 0;
  for (const char* n : names) {
    Json spec = {{"owner", i % 2 ? "a-team" : "b-team"},
                 {"tier", 1 + i % 3},
                 {"lifecycle", i < 2 ? "deprecated" : "production"}};
    Json md = Json::object();
    if (std::string(n) == "gamma") md["title"] = "The 100% Payments_Gateway";
    MustCreate(Doc("Service", n, spec, md));
    ++i;
  }
  ListQuery q;
  q.kind = "Service";
  q.limit = 3;
  std::string cursor;
  EXPECT_EQ(Names(q, &cursor), (std::vector<std::string>{"Beta", "alpha", "delta"}));
  EXPECT_EQ(cursor, "delta");
  q.after = cursor;
  EXPECT_EQ(Names(q, &cursor), (std::vector<std::string>{"eps-1", "eps_1", "gamma"}));
  q.after = cursor;
  EXPECT_EQ(Names(q, &cursor), (std::vector<std::string>{"zeta"}));
  EXPECT_EQ(cursor, "");
  q.after = "gamma";
  q.limit = 1;
  EXPECT_EQ(Names(q, &cursor), (std::vector<std::string>{"zeta"}));
  EXPECT_EQ(cursor, "");  // exactly at the end: no further page

  ListQuery f;
  f.kind = "Service";
  f.owner = "a-team";
  EXPECT_EQ(Names(f), (std::vector<std::string>{"alpha", "eps_1", "gamma"}));
  f.tier = 1;
  EXPECT_EQ(Names(f), (std::vector<std::string>{"gamma"}));
  ListQuery l;
  l.kind = "Service";
  l.lifecycle = "deprecated";
  EXPECT_EQ(Names(l), (std::vector<std::string>{"alpha", "zeta"}));

  ListQuery s;
  s.kind = "Service";
  s.search = "BETA";
  EXPECT_EQ(Names(s), (std::vector<std::string>{"Beta"}));
  s.search = "payments_gate";  // matches the title, "_" literally
  EXPECT_EQ(Names(s), (std::vector<std::string>{"gamma"}));
  s.search = "100%";
  EXPECT_EQ(Names(s), (std::vector<std::string>{"gamma"}));
  s.search = "s_1";
  EXPECT_EQ(Names(s), (std::vector<std::string>{"eps_1"}));
  s.search = "%";
  EXPECT_EQ(Names(s), (std::vector<std::string>{"gamma"}));

  ListQuery teams;
  teams.kind = "Team";
  EXPECT_EQ(Names(teams), (std::vector<std::string>{"a-team", "b-team"}));

  ListQuery widget;
  widget.kind = "Widget";
  auto bad = store_->Read([&](store::Tx& tx) { return List(tx, widget); });
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalid);
  teams.limit = 501;
  auto big = store_->Read([&](store::Tx& tx) { return List(tx, teams); });
  EXPECT_EQ(big.error().code, ErrorCode::kInvalid);

  auto all = store_->Read([](store::Tx& tx) { return All(tx); });
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 9u);
  EXPECT_EQ(all->front().kind, "Team");  // Kinds() order
}

TEST_P(CatalogRepositoryTest, FailedApplyWritesNothing) {
  auto set = LoadManifestFiles({{"a.yaml",
                                 "apiVersion: plinth/v1\nkind: Team\nmetadata: {name: t}\n---\n"
                                 "apiVersion: plinth/v1\nkind: Service\nmetadata: {name: s}\n"
                                 "spec: {owner: t, system: nowhere}\n"}});
  ASSERT_TRUE(set.ok());
  auto plan =
      store_->Write([&](store::Tx& tx) { return catalog::Apply(tx, *set, false, "cli:t", kT0); });
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().ToString(), "a.yaml:8: spec.system: system \"nowhere\" does not exist");
  EXPECT_EQ(plan.error().message, "a.yaml:8: spec.system: system \"nowhere\" does not exist");
  auto all = store_->Read([](store::Tx& tx) { return All(tx); });
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
  auto entries = store_->Read([](store::Tx& tx) { return audit::List(tx, {}); });
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
}

TEST_P(CatalogRepositoryTest, StaleWritesConflictInsteadOfLosingUpdates) {
  // What a concurrent writer would see on PostgreSQL: a row read at version 1 that another
  // transaction has since moved to version 2.
  auto v1 = Create(Doc("Team", "core"));
  ASSERT_TRUE(v1.ok());
  auto v2 = store_->Write([&](store::Tx& tx) {
    return Replace(tx, "Team", "core", Doc("Team", "core", {{"chatChannel", "#core"}}),
                   std::nullopt, "user:a", kT0 + 1);
  });
  ASSERT_TRUE(v2.ok());
  ASSERT_EQ(v2->version, 2);
  auto res = Canonicalize(Doc("Team", "core", {{"email", "core@example.com"}}));
  ASSERT_TRUE(res.ok());
  auto stale =
      store_->Write([&](store::Tx& tx) { return UpdateEntity(tx, *v1, *res, "user:b", kT0 + 2); });
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().message,
            "team \"core\" was changed by someone else at the same time; retry");
  auto gone = store_->Write([&](store::Tx& tx) { return DeleteEntity(tx, *v1, "user:b", kT0); });
  EXPECT_EQ(gone.error().code, ErrorCode::kConflict);
}

TEST_P(CatalogRepositoryTest, DependenciesOfAMissingServiceIsNotFound) {
  auto r = store_->Read([](store::Tx& tx) { return Dependencies(tx, "ghost", true); });
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_P(CatalogRepositoryTest, ExportRemovesStaleFilesOfDeletedResources) {
  MustCreate(Doc("Team", "alpha"));
  MustCreate(Doc("Service", "kept", {{"owner", "alpha"}}));
  auto dir = std::filesystem::temp_directory_path() /
             ("plinth-export-stale-" + std::to_string(::getpid()) +
              store::testing::BackendName(GetParam()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "services");
  std::ofstream(dir / "services" / "deleted.yaml") << "stale";
  std::ofstream(dir / "services" / "README.md") << "not ours";
  auto n = store_->Read([&](store::Tx& tx) { return Export(tx, dir.string()); });
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(*n, 2);
  EXPECT_TRUE(std::filesystem::exists(dir / "services" / "kept.yaml"));
  EXPECT_FALSE(std::filesystem::exists(dir / "services" / "deleted.yaml"));
  EXPECT_TRUE(std::filesystem::exists(dir / "services" / "README.md"));
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Backends, CatalogRepositoryTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

TEST(ApplyFormatTest, SummariesAndSingular) {
  Plan plan;
  plan.changes.push_back({Change::kUnchanged, "Team", "t", Json(), Json(), {}});
  EXPECT_EQ(FormatPlan(plan, true), "no changes (1 resource unchanged)\n");
  plan.changes.push_back({Change::kUpdate, "Service", "s", Json(), Json(), {"spec.tier: 2 -> 1"}});
  plan.changes.push_back({Change::kDelete, "Team", "old", Json(), std::nullopt, {}});
  plan.notes.push_back("a note");
  EXPECT_EQ(FormatPlan(plan, false),
            "~ Service s (spec.tier: 2 -> 1)\n- Team old\nnote: a note\n"
            "0 to create, 1 to update, 1 to delete, 1 unchanged\n");
  EXPECT_EQ(Plan().Count(Change::kCreate), 0);
  EXPECT_EQ(FormatPlan(Plan(), true), "no changes (0 resources unchanged)\n");
}

}  // namespace
}  // namespace plinth::catalog
