#include <gtest/gtest.h>

#include "base/json.h"
#include "base/result.h"
#include "base/time.h"
#include "base/yaml.h"

namespace plinth {
namespace {

TEST(TimeTest, FormatsAndParsesRfc3339) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1795334400250), "2026-11-22T08:00:00.250Z");
  EXPECT_EQ(*ParseRfc3339("2026-11-22T08:00:00.250Z"), 1795334400250);
  EXPECT_EQ(*ParseRfc3339("2026-11-22T09:00:00+01:00"), 1795334400000);
  EXPECT_EQ(*ParseRfc3339("2026-11-22 08:00:00Z"), 1795334400000);
  EXPECT_EQ(*ParseRfc3339("2026-11-22"), 1795305600000);
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999Z");
}

TEST(TimeTest, RejectsMalformedTimestamps) {
  for (const char* bad : {"", "2026-13-01", "2026-02-30", "2026-11-22T25:00:00Z",
                          "2026-11-22T08:00:00", "2026-11-22T08:00:00Zjunk", "yesterday"}) {
    auto r = ParseRfc3339(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().message, std::string("invalid timestamp \"") + bad +
                                     "\": expected RFC 3339, e.g. 2026-11-22T08:00:00Z");
  }
}

TEST(ErrorTest, DottedPathsAndToString) {
  EXPECT_EQ(PointerToDotted("/spec/owner"), "spec.owner");
  EXPECT_EQ(PointerToDotted("/spec/links/0/url"), "spec.links[0].url");
  EXPECT_EQ(PointerToDotted("/metadata/a~1b"), "metadata.a/b");
  Error e = Error::Field("/spec/owner", "team \"paymnts\" does not exist");
  e.fields[0].location = "catalog/payments.yaml:12";
  EXPECT_EQ(e.ToString(), "catalog/payments.yaml:12: spec.owner: team \"paymnts\" does not exist");
  EXPECT_EQ(HttpStatus(ErrorCode::kConflict), 409);
}

TEST(YamlTest, KeepsLinesAndTypes) {
  auto docs = ParseYaml(
      "a: 1\nb:\n  - \"2\"\n  - x\nc: true\nd: ~\n---\n---\ne: 1.5\n", "f.yaml");
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].value, Json::parse(R"({"a":1,"b":["2","x"],"c":true,"d":null})"));
  EXPECT_EQ((*docs)[0].LineOf("/b/1"), 4);
  EXPECT_EQ((*docs)[0].LineOf("/b/1/missing"), 4);
  EXPECT_EQ((*docs)[1].line, 9);
  EXPECT_EQ((*docs)[1].value["e"], 1.5);
}

TEST(YamlTest, SyntaxErrorNamesFileAndLine) {
  auto docs = ParseYaml("a: 1\nb: [1, 2\n", "x.yaml");
  ASSERT_FALSE(docs.ok());
  EXPECT_EQ(docs.error().message.substr(0, 9), "x.yaml:3:");
}

TEST(YamlTest, RoundTripsAmbiguousStrings) {
  Json v = {{"kind", "Service"}, {"id", "0123"}, {"flag", "true"}, {"n", 3}, {"empty", Json::array()}};
  std::string text = ToYaml(v, {"kind"});
  EXPECT_EQ(text.substr(0, 13), "kind: Service");
  auto back = ParseYaml(text, "t");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ((*back)[0].value, v);
}

}  // namespace
}  // namespace plinth
