// The OpenAPI document and the server's route table describe the same API.

#include <gtest/gtest.h>

#include <set>

#include "server/routes.h"
#include "store/testing.h"

namespace plinth::server {
namespace {

std::set<std::string> ServedRoutes() {
  auto store = store::testing::OpenFreshStore(store::testing::Backend::kSqliteMemory);
  EXPECT_TRUE(store.ok());
  ManualClock clock(0);
  Server server(**store, clock, ServerOptions{});
  AddAllRoutes(server, **store);
  std::set<std::string> out;
  for (const auto& r : server.router().routes()) out.insert(r.method + " " + r.pattern);
  return out;
}

std::set<std::string> DocumentedRoutes() {
  auto doc = OpenApiDocument();
  EXPECT_TRUE(doc.ok()) << doc.error().message;
  EXPECT_EQ((*doc)["openapi"], "3.1.0");
  std::set<std::string> out;
  for (const auto& [path, item] : (*doc)["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      std::string upper = method;
      for (auto& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
      out.insert(upper + " " + path);
    }
  }
  return out;
}

TEST(OpenApiTest, EveryRouteIsDocumentedAndEveryDocumentedRouteIsServed) {
  auto served = ServedRoutes();
  auto documented = DocumentedRoutes();
  for (const auto& r : served) EXPECT_TRUE(documented.count(r)) << "undocumented route " << r;
  for (const auto& r : documented) EXPECT_TRUE(served.count(r)) << "documented, not served " << r;
  EXPECT_GT(served.size(), 30u);
}

TEST(RouterTest, MatchesLiteralsBeforeParameters) {
  http::Router router;
  router.Add({"GET", "/api/v1/audit/{id}", http::Access::kPublic, "", nullptr});
  router.Add({"GET", "/api/v1/audit/verify", http::Access::kPublic, "", nullptr});
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;
  const http::Route* r = router.Match("GET", "/api/v1/audit/verify", &params, &allowed);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->pattern, "/api/v1/audit/verify");
  r = router.Match("GET", "/api/v1/audit/42", &params, &allowed);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(params.at("id"), "42");
  EXPECT_EQ(router.Match("POST", "/api/v1/audit/42", &params, &allowed), nullptr);
  EXPECT_EQ(allowed, std::vector<std::string>{"GET"});
  EXPECT_EQ(router.Match("GET", "/api/v1/nothing", &params, &allowed), nullptr);
  EXPECT_TRUE(allowed.empty());
}

TEST(ProblemTest, FieldErrorsCarryJsonPointers) {
  Error e = Error::Field("/spec/owner", "team \"paymnts\" does not exist");
  http::Response r = http::Problem(e);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(r.body, Json::parse(R"({
    "type": "urn:plinth:problem:invalid", "title": "Bad Request", "status": 400,
    "detail": "team \"paymnts\" does not exist",
    "errors": [{"pointer": "/spec/owner", "detail": "team \"paymnts\" does not exist"}]})"));
}

TEST(RateLimiterTest, RefillsAndReportsRetryAfter) {
  RateLimiter limiter(1, 2);
  EXPECT_EQ(limiter.Take("a", 0), 0);
  EXPECT_EQ(limiter.Take("a", 0), 0);
  EXPECT_EQ(limiter.Take("a", 0), 1);
  EXPECT_EQ(limiter.Take("b", 0), 0);  // keys are independent
  EXPECT_EQ(limiter.Take("a", 1000), 0);
  EXPECT_EQ(limiter.Take("a", 1000), 1);
}

TEST(RateLimiterTest, OutOfOrderTimesDoNotRefillTwice) {
  RateLimiter limiter(1, 1);
  EXPECT_EQ(limiter.Take("a", 0), 0);
  EXPECT_EQ(limiter.Take("a", 1000), 0);  // one second: one token
  EXPECT_EQ(limiter.Take("a", 500), 1);   // a request that arrived earlier, handled later
  EXPECT_EQ(limiter.Take("a", 1000), 1);  // the second from 0 to 1000 is not refilled again
  EXPECT_EQ(limiter.Take("a", 2000), 0);
}

}  // namespace
}  // namespace plinth::server
