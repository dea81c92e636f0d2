#include "cli/demo_org.h"

#include <string>

#include "base/json.h"
#include "base/yaml.h"
#include "cli/demo_oncall.h"
#include "cli/demo_paging.h"
#include "cli/demo_rng.h"
#include "cli/demo_slo.h"

namespace plinth::cli {

namespace {

using Rng = DemoRng;

struct TeamDef {
  const char* name;
  const char* title;
  const char* zones[2];  // where its people live
};

constexpr TeamDef kTeams[] = {
    {"platform", "Platform Engineering", {"Europe/Berlin", "America/New_York"}},
    {"identity", "Identity & Access", {"Europe/London", "Asia/Kolkata"}},
    {"payments", "Payments", {"Europe/Berlin", "America/Los_Angeles"}},
    {"checkout", "Checkout", {"America/New_York", "America/Los_Angeles"}},
    {"data", "Data Platform", {"Asia/Kolkata", "Australia/Sydney"}},
    {"observability", "Observability", {"Europe/London", "Australia/Sydney"}},
};

struct ServiceDef {
  const char* name;
  const char* team;
  int tier;
  const char* type;
  const char* lifecycle;
  const char* system;
  const char* description;
  std::vector<const char*> deps;
};

const std::vector<ServiceDef>& Services() {
  static const std::vector<ServiceDef> services = {
      {"dns", "platform", 1, "service", "production", "core-infrastructure",
       "Authoritative and recursive DNS for every environment", {}},
      {"postgres-main", "platform", 1, "database", "production", "core-infrastructure",
       "Primary PostgreSQL cluster (Patroni, 3 nodes per region)", {"dns"}},
      {"kafka", "platform", 1, "queue", "production", "core-infrastructure",
       "Event backbone: 3 brokers per region", {"dns"}},
      {"redis-cache", "platform", 2, "database", "production", "core-infrastructure",
       "Shared Redis cache", {"dns"}},
      {"object-storage", "platform", 2, "storage", "production", "core-infrastructure",
       "S3-compatible object storage", {"dns"}},
      {"edge-gateway", "platform", 1, "service", "production", "core-infrastructure",
       "Public ingress, TLS termination and routing", {"dns", "auth-service"}},
      {"service-mesh", "platform", 2, "service", "production", "core-infrastructure",
       "mTLS and traffic policy between services", {"dns"}},
      {"ci-runners", "platform", 3, "service", "production", "delivery",
       "Build and test runners", {"object-storage", "container-registry"}},
      {"container-registry", "platform", 3, "service", "production", "delivery",
       "OCI image registry", {"object-storage"}},
      {"auth-service", "identity", 1, "service", "production", "identity",
       "Login, sessions and OAuth tokens", {"postgres-main", "redis-cache"}},
      {"user-profile", "identity", 2, "service", "production", "identity",
       "Customer profiles and preferences", {"postgres-main", "object-storage"}},
      {"permissions", "identity", 2, "service", "production", "identity",
       "Authorisation decisions for internal APIs", {"postgres-main", "redis-cache"}},
      {"sso-bridge", "identity", 3, "service", "production", "identity",
       "SAML/OIDC bridge for enterprise customers", {"auth-service"}},
      {"payments-api", "payments", 1, "service", "production", "payments-core",
       "Card and wallet payments", {"ledger", "fraud-scoring", "auth-service", "kafka"}},
      {"ledger", "payments", 1, "service", "production", "payments-core",
       "Double-entry ledger of every money movement", {"postgres-main", "kafka"}},
      {"fraud-scoring", "payments", 2, "service", "production", "payments-core",
       "Real-time fraud risk scores", {"feature-store", "redis-cache"}},
      {"payouts", "payments", 2, "service", "production", "payments-core",
       "Merchant payouts and settlement files", {"ledger", "kafka"}},
      {"invoicing", "payments", 3, "service", "production", "payments-core",
       "Invoices and receipts", {"ledger", "email-sender"}},
      {"currency-rates", "payments", 3, "service", "production", "payments-core",
       "Foreign-exchange rates, refreshed every minute", {"redis-cache"}},
      {"legacy-billing", "payments", 4, "service", "deprecated", "payments-core",
       "The old monthly billing batch; replaced by invoicing", {"postgres-main"}},
      {"storefront-web", "checkout", 1, "website", "production", "storefront",
       "The customer-facing web shop", {"edge-gateway", "cart", "catalog-search"}},
      {"cart", "checkout", 1, "service", "production", "storefront",
       "Shopping carts", {"redis-cache", "postgres-main", "pricing"}},
      {"order-service", "checkout", 1, "service", "production", "storefront",
       "Order placement and state", {"payments-api", "cart", "kafka", "inventory"}},
      {"pricing", "checkout", 2, "service", "production", "storefront",
       "Prices, discounts and taxes", {"postgres-main", "currency-rates"}},
      {"catalog-search", "checkout", 2, "service", "production", "storefront",
       "Product search", {"search-index"}},
      {"inventory", "checkout", 2, "service", "production", "storefront",
       "Stock levels per warehouse", {"postgres-main", "kafka"}},
      {"email-sender", "checkout", 3, "service", "production", "storefront",
       "Transactional e-mail", {"kafka"}},
      {"recommendations", "checkout", 4, "service", "experimental", "storefront",
       "Product recommendations", {"feature-store"}},
      {"search-index", "data", 2, "database", "production", "data-platform",
       "OpenSearch cluster behind product search", {"object-storage"}},
      {"feature-store", "data", 2, "service", "production", "data-platform",
       "Online and offline ML features", {"object-storage", "kafka"}},
      {"event-pipeline", "data", 2, "service", "production", "data-platform",
       "Streams events from Kafka into the lake", {"kafka", "object-storage"}},
      {"data-warehouse", "data", 3, "database", "production", "data-platform",
       "Analytical warehouse", {"event-pipeline"}},
      {"reporting", "data", 4, "service", "production", "data-platform",
       "Business reports and dashboards", {"data-warehouse"}},
      {"ml-training", "data", 4, "service", "experimental", "data-platform",
       "Model training pipelines", {"feature-store", "object-storage"}},
      {"metrics-platform", "observability", 2, "service", "production", "observability",
       "Prometheus-compatible metrics storage", {"object-storage"}},
      {"log-pipeline", "observability", 3, "service", "production", "observability",
       "Log shipping and retention", {"kafka", "object-storage"}},
      {"status-page", "observability", 3, "website", "production", "observability",
       "Public status page", {"edge-gateway"}},
  };
  return services;
}

struct SystemDef {
  const char* name;
  const char* owner;
  const char* domain;
  const char* title;
};

constexpr SystemDef kSystems[] = {
    {"core-infrastructure", "platform", "platform", "Core infrastructure"},
    {"delivery", "platform", "platform", "Build and delivery"},
    {"identity", "identity", "commerce", "Identity"},
    {"payments-core", "payments", "commerce", "Payments core"},
    {"storefront", "checkout", "commerce", "Storefront"},
    {"data-platform", "data", "platform", "Data platform"},
    {"observability", "observability", "platform", "Observability"},
};

constexpr const char* kFirst[] = {"Amara", "Ben", "Chen", "Dana", "Elif", "Felix", "Grace",
                                  "Hiro", "Ines", "Jonas", "Kavya", "Liam", "Maya", "Noah",
                                  "Olga", "Priya", "Quinn", "Rafael", "Sofia", "Tariq",
                                  "Uma", "Victor", "Wen", "Yusuf"};
constexpr const char* kLast[] = {"Okafor", "Schmidt", "Wang", "Levi", "Yilmaz", "Novak",
                                 "Murphy", "Tanaka", "Garcia", "Berg", "Iyer", "Walsh",
                                 "Cohen", "Dubois", "Petrova", "Sharma", "Adams", "Costa",
                                 "Rossi", "Haddad", "Nair", "Lindqvist", "Zhou", "Demir"};

std::string Lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Json Doc(const char* kind, const std::string& name, Json metadata, Json spec) {
  metadata["name"] = name;
  return {{"apiVersion", "plinth/v1"}, {"kind", kind}, {"metadata", metadata}, {"spec", spec}};
}

std::string Yaml(const std::vector<Json>& docs) {
  std::string out;
  for (const auto& d : docs) {
    out += "---\n" + ToYaml(d, {"apiVersion", "kind", "metadata", "spec"});
  }
  return out;
}

}  // namespace

std::vector<catalog::ManifestFile> DemoCatalog(uint64_t seed) {
  Rng rng(seed);
  std::vector<Json> people, teams, services, systems, domains;

  // Four people per team; names drawn without repetition.
  std::vector<size_t> first(std::size(kFirst)), last(std::size(kLast));
  for (size_t i = 0; i < first.size(); ++i) first[i] = last[i] = i;
  for (size_t i = first.size() - 1; i > 0; --i) {
    std::swap(first[i], first[rng.Below(i + 1)]);
    std::swap(last[i], last[rng.Below(i + 1)]);
  }
  size_t next_person = 0;
  for (const auto& team : kTeams) {
    Json members = Json::array();
    for (int i = 0; i < 4; ++i, ++next_person) {
      std::string given = kFirst[first[next_person]];
      std::string family = kLast[last[next_person]];
      std::string handle = Lower(given) + "." + Lower(family);
      std::string zone = team.zones[rng.Below(2)];
      Json contact = Json::array({{{"type", "email"}, {"address", handle + "@example.com"}},
                                  {{"type", "slack"}, {"address", "@" + handle}}});
      if (rng.Below(3) != 0) {
        contact.push_back({{"type", "sms"},
                           {"address", "+1555" + std::to_string(1000000 + rng.Below(8999999))}});
      }
      people.push_back(Doc("Person", handle, Json::object(),
                           {{"displayName", given + " " + family},
                            {"email", handle + "@example.com"},
                            {"timeZone", zone},
                            {"contactMethods", contact}}));
      members.push_back(handle);
    }
    teams.push_back(Doc("Team", team.name, {{"title", team.title}},
                        {{"members", members},
                         {"chatChannel", std::string("#team-") + team.name},
                         {"email", std::string(team.name) + "@example.com"}}));
  }

  domains.push_back(Doc("Domain", "commerce", {{"title", "Commerce"}}, {{"owner", "payments"}}));
  domains.push_back(Doc("Domain", "platform", {{"title", "Platform"}}, {{"owner", "platform"}}));
  for (const auto& s : kSystems) {
    systems.push_back(
        Doc("System", s.name, {{"title", s.title}}, {{"owner", s.owner}, {"domain", s.domain}}));
  }

  constexpr const char* kLanguages[] = {"go", "java", "python", "typescript", "rust"};
  for (const auto& s : Services()) {
    std::string name = s.name;
    Json spec = {{"owner", s.team},
                 {"tier", s.tier},
                 {"lifecycle", s.lifecycle},
                 {"type", s.type},
                 {"system", s.system},
                 {"runbookUrl", "https://runbooks.example.com/" + name},
                 {"repositoryUrl", "https://git.example.com/" + std::string(s.team) + "/" + name}};
    Json deps = Json::array();
    for (const char* d : s.deps) deps.push_back(d);
    if (!deps.empty()) spec["dependsOn"] = deps;
    spec["attributes"] = {{"standardPipeline", rng.Below(5) != 0},
                          {"language", kLanguages[rng.Below(std::size(kLanguages))]},
                          {"regions", s.tier <= 2 ? 2 : 1}};
    Json metadata = {{"description", s.description},
                     {"tags", Json::array({s.type, std::string("tier-") +
                                                       std::to_string(s.tier)})},
                     {"links", Json::array({{{"title", "Dashboard"},
                                             {"url", "https://grafana.example.com/d/" + name},
                                             {"icon", "dashboard"}},
                                            {{"title", "Logs"},
                                             {"url", "https://logs.example.com/?service=" + name},
                                             {"icon", "logs"}}})}};
    services.push_back(Doc("Service", name, metadata, spec));
  }

  std::vector<Json> schedules = DemoSchedules(people, teams);
  AddDemoPaging(services, people);

  return {{"demo/people.yaml", Yaml(people)},     {"demo/teams.yaml", Yaml(teams)},
          {"demo/domains.yaml", Yaml(domains)},   {"demo/systems.yaml", Yaml(systems)},
          {"demo/services.yaml", Yaml(services)}, {"demo/schedules.yaml", Yaml(schedules)},
          {"demo/slos.yaml", Yaml(DemoSlos())},
          {"demo/paging.yaml", Yaml(DemoEscalationPolicies(teams))}};
}

}  // namespace plinth::cli
