#include "catalog/model.h"

#include <gtest/gtest.h>

#include "catalog/manifest.h"
#include "catalog/repository.h"

namespace plinth::catalog {
namespace {

Json Service(Json spec, Json metadata = {{"name", "api"}}) {
  return {{"apiVersion", "plinth/v1"}, {"kind", "Service"}, {"metadata", metadata},
          {"spec", spec}};
}

std::vector<std::string> Problems(const Result<Json>& r) {
  std::vector<std::string> out;
  if (r.ok()) return out;
  for (const auto& f : r.error().fields) out.push_back(f.pointer + " " + f.message);
  return out;
}

TEST(CatalogModelTest, KindsAndPlurals) {
  EXPECT_TRUE(IsKind("Service"));
  EXPECT_FALSE(IsKind("service"));
  EXPECT_EQ(KindFromPlural("people"), "Person");
  EXPECT_EQ(KindFromPlural("services"), "Service");
  EXPECT_EQ(KindFromPlural("widgets"), std::nullopt);
  EXPECT_EQ(PluralOf("Team"), "teams");
  EXPECT_EQ(PluralOf("Domain"), "domains");
  EXPECT_EQ(PluralOf("Widget"), "");
  EXPECT_EQ(Kinds().size(), 12u);
  EXPECT_EQ(KindFromPlural("costallocations"), "CostAllocation");
  EXPECT_EQ(Describe("UnitMetric", "x"), "unit metric \"x\"");
  EXPECT_EQ(KindFromPlural("escalationpolicies"), "EscalationPolicy");
  EXPECT_EQ(Describe("EscalationPolicy", "x"), "escalation policy \"x\"");
  EXPECT_EQ(Describe("Service", "x"), "service \"x\"");
}

TEST(CatalogModelTest, Names) {
  for (const char* good : {"a", "A9", "payments-api", "a.b_c-d", "team--a", "development--guest",
                           "x123456789012345678901234567890123456789012345678901234567890ab"}) {
    EXPECT_TRUE(IsValidName(good)) << good;
  }
  for (const char* bad : {"", "-a", "a-", "a--", "--a", "a..b", "a b", "ä", "a/b", "a--b--c",
                          "x123456789012345678901234567890123456789012345678901234567890abc"}) {
    EXPECT_FALSE(IsValidName(bad)) << bad;
  }
}

TEST(CatalogModelTest, CanonicalFormFillsDefaultsSortsAndDropsEmpties) {
  Json in = Service({{"owner", " payments "},
                     {"dependsOn", {"b", "a", "b"}},
                     {"runbookUrl", ""},
                     {"attributes", Json::object()},
                     {"tier", nullptr}},
                    {{"name", "api"}, {"title", "  API  "}, {"tags", {"z", "a", "z"}},
                     {"labels", {{"n", 1}}}});
  auto out = Validate(in);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  Json expected = Service({{"owner", "payments"},
                           {"dependsOn", {"a", "b"}},
                           {"lifecycle", "production"},
                           {"type", "service"}},
                          {{"name", "api"}, {"title", "API"}, {"tags", {"a", "z"}},
                           {"labels", {{"n", "1"}}}});
  EXPECT_EQ(*out, expected);
  auto again = Validate(*out);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *out);  // canonical documents are fixed points
}

TEST(CatalogModelTest, CollectsEveryProblem) {
  Json in = {{"apiVersion", "plinth/v2"},
             {"kind", "Service"},
             {"metadata", {{"name", "Bad Name"}, {"labels", {{"a", {1}}}}}},
             {"spec",
              {{"tier", 0},
               {"lifecycle", "prod"},
               {"runbookUrl", "ftp://x"},
               {"dependsOn", {"ok", 3}},
               {"color", "red"}}}};
  EXPECT_EQ(Problems(Validate(in)),
            (std::vector<std::string>{
                "/apiVersion must be plinth/v1 (got \"plinth/v2\")",
                "/metadata/name \"Bad Name\" is not a valid name (1-63 letters, digits and single "
                "\"-\", \"_\" or \".\" between them)",
                "/metadata/labels/a must be a string",
                "/spec/owner is required",
                "/spec/tier must be an integer from 1 to 4 (got 0)",
                "/spec/lifecycle must be one of experimental, development, production, "
                "deprecated, retired (got \"prod\")",
                "/spec/runbookUrl must be an http or https URL",
                "/spec/dependsOn/1 must be a string",
                "/spec/color unknown field",
            }));
  auto r = Validate(in);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(r.error().message, "9 problems in the document");
}

TEST(CatalogModelTest, NotAMappingAndMissingParts) {
  EXPECT_EQ(Problems(Validate(Json::array())),
            (std::vector<std::string>{" document must be a mapping"}));
  EXPECT_EQ(Problems(Validate(Json::object())),
            (std::vector<std::string>{"/apiVersion is required", "/kind is required",
                                      "/metadata is required"}));
  EXPECT_EQ(Problems(Validate({{"apiVersion", "plinth/v1"},
                               {"kind", "Gizmo"},
                               {"metadata", {{"name", "g"}}}})),
            (std::vector<std::string>{"/kind unknown kind \"Gizmo\" (expected one of Person, "
                                      "Team, Domain, System, Schedule, EscalationPolicy, "
                                      "Service, DataSource, SLO, CostAllocation, Budget, "
                                      "UnitMetric)"}));
}

TEST(CatalogModelTest, StatusIsOutputOnly) {
  Entity e{"Team", "core", *Validate({{"apiVersion", "plinth/v1"},
                                      {"kind", "Team"},
                                      {"metadata", {{"name", "core"}}}}),
           3, 1795334400000, 1795334460250};
  Json out = e.ToJson();
  EXPECT_EQ(out["status"], (Json{{"version", 3},
                                 {"createdAt", "2026-11-22T08:00:00Z"},
                                 {"updatedAt", "2026-11-22T08:01:00.250Z"}}));
  auto back = Validate(out);  // GET -> PUT round-trips
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, e.doc);
  EXPECT_EQ(e.doc["spec"], Json::object());
}

TEST(CatalogModelTest, PersonFields) {
  Json person = {{"apiVersion", "plinth/v1"},
                 {"kind", "Person"},
                 {"metadata", {{"name", "alice"}}},
                 {"spec",
                  {{"timeZone", "Europe/Berlin"},
                   {"contactMethods", {{{"type", "voice"}, {"address", "+15550100"}}}}}}};
  EXPECT_TRUE(Validate(person).ok());
  person["spec"]["timeZone"] = "Europe/Atlantis";
  EXPECT_EQ(Problems(Validate(person)),
            (std::vector<std::string>{"/spec/timeZone unknown time zone \"Europe/Atlantis\" "
                                      "(expected an IANA zone such as Europe/Berlin)"}));
  EXPECT_TRUE(IsTimeZone("UTC"));
  EXPECT_TRUE(IsTimeZone("America/Argentina/Buenos_Aires"));
  for (const char* bad : {"", "/etc/passwd", "Europe/../../etc", "Europe", "zone.tab",
                          "Europe/Berlin/", "Europe//Berlin"}) {
    EXPECT_FALSE(IsTimeZone(bad)) << bad;
  }
}

TEST(CatalogModelTest, ReferencesAndScope) {
  auto res = Canonicalize(Service({{"owner", "pay"}, {"system", "shop"}, {"dependsOn", {"db"}}}));
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->refs.size(), 3u);
  EXPECT_EQ(res->refs[0].relation, "ownedBy");
  EXPECT_EQ(res->refs[0].TargetText(), "team \"pay\"");
  EXPECT_EQ(res->refs[0].pointer, "/spec/owner");
  EXPECT_EQ(res->refs[1].relation, "partOf");
  EXPECT_EQ(res->refs[2].relation, "dependsOn");
  EXPECT_EQ(res->refs[2].pointer, "/spec/dependsOn/0");
  EXPECT_EQ(ReferencesOf(res->doc).size(), 3u);

  EXPECT_EQ(ScopeTeam(res->doc), "pay");
  EXPECT_EQ(ScopeTeam({{"kind", "Team"}, {"metadata", {{"name", "core"}}}}), "core");
  EXPECT_EQ(ScopeTeam({{"kind", "Person"}, {"metadata", {{"name", "al"}}}}), std::nullopt);
  EXPECT_EQ(ScopeTeam({{"kind", "Domain"}, {"spec", {{"owner", "d"}}}}), "d");
  EXPECT_EQ(ScopeTeam(Json(42)), std::nullopt);
}

TEST(ManifestLoadTest, InMemoryFilesAndLineNumbers) {
  auto set = LoadManifestFiles({{"one.yaml",
                                 "apiVersion: plinth/v1\n"
                                 "kind: Team\n"
                                 "metadata:\n"
                                 "  name: core\n"
                                 "spec:\n"
                                 "  members: [al]\n"}});
  ASSERT_TRUE(set.ok()) << set.error().ToString();
  ASSERT_EQ(set->resources.size(), 1u);
  const Manifest& m = set->resources[0];
  EXPECT_EQ(m.Location(), "one.yaml:4");
  EXPECT_EQ(m.source, "Team");
  ASSERT_EQ(m.refs.size(), 1u);
  EXPECT_EQ(m.refs[0].location, "one.yaml:6");

  auto bad = LoadManifestFiles({{"b.yaml", "apiVersion: plinth/v1\nkind: Team\nmetadata: {}\n"},
                                {"a.yaml", "kind: [\n"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(bad.error().message, "2 problems in the manifests");
  ASSERT_EQ(bad.error().fields.size(), 2u);
  EXPECT_EQ(bad.error().fields[0].location, "b.yaml:3");  // files in the order given
  EXPECT_EQ(bad.error().fields[0].pointer, "/metadata/name");
  EXPECT_EQ(bad.error().fields[1].location.substr(0, 7), "a.yaml:");
}

TEST(ManifestLoadTest, SurvivesMalformedDocuments) {
  // Every field in the wrong shape: each must give errors, never an exception or a crash.
  const char* heads[] = {"apiVersion: plinth/v1\n", "apiVersion: backstage.io/v1alpha1\n"};
  const char* kinds[] = {"Team", "Person", "Service", "System", "Domain", "Component",
                         "Resource", "Group", "User", "API", "Location", "42", "[x]", "~"};
  const char* bodies[] = {
      "metadata: [a]\nspec: x\n",
      "metadata: {name: 5, namespace: ~, title: [1], tags: {a: b}, links: x}\n",
      "metadata: {name: a, labels: [x], annotations: x, links: [5, {url: [1]}]}\n",
      "metadata: {name: a, annotations: {plinth.dev/tier: [1], "
      "backstage.io/source-location: {a: 1}}}\nspec: {owner: [a]}\n",
      "metadata: {name: a}\nspec: {members: x, memberOf: 5, profile: x, owner: 5, system: {},"
      " dependsOn: [1, {}, ~], providesApis: {a: 1}, consumesApis: [1, api:x], children: 3,"
      " parent: [1], contactMethods: [[], {type: [1]}], attributes: [1], tier: {}, domain: 1}\n",
      "metadata: {name: a}\nspec: {profile: {email: [1], displayName: {}, picture: 1},"
      " members: [user:b, 7], memberOf: [group:c, 1, user:d]}\n",
      "metadata: {name: a}\nspec: ~\n",
      "metadata: ~\n",
  };
  int errors = 0;
  for (const char* head : heads) {
    for (const char* kind : kinds) {
      for (const char* body : bodies) {
        std::string text = std::string(head) + "kind: " + kind + "\n" + body;
        EXPECT_NO_THROW({
          auto r = LoadManifestFiles({{"x.yaml", text}});
          if (!r.ok()) {
            ++errors;
            EXPECT_FALSE(r.error().fields.empty()) << text;
          }
        }) << text;
      }
    }
  }
  EXPECT_GT(errors, 150);
}

}  // namespace
}  // namespace plinth::catalog
