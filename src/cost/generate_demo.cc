// The demo organisation's cloud bill: the teams, services and systems of the demo catalog
// (src/cli/demo_org.cc) on AWS-like accounts. Costs are list USD per day in the first month.

#include <algorithm>

#include "cost/generate.h"
#include "cost/generate_format.h"

namespace plinth::cost {
namespace {

using P = CloudProduct;

enum Accounts { kCommerce, kPlatform, kData, kObservability, kShared };

struct DemoService {
  const char* name;
  const char* team;
  const char* product;  // the catalog system
  Accounts accounts;
  double daily_cost;
  double growth;
  std::vector<ProductShare> mix;
};

const std::vector<DemoService>& Services() {
  // clang-format off
  static const std::vector<DemoService> services = {
      {"dns", "platform", "core-infrastructure", kPlatform, 15, 0.01, {{P::kRoute53, 1}}},
      {"postgres-main", "platform", "core-infrastructure", kPlatform, 620, 0.025,
       {{P::kRdsInstance, 0.85}, {P::kS3Bucket, 0.15}}},
      {"kafka", "platform", "core-infrastructure", kPlatform, 410, 0.02,
       {{P::kMskCluster, 0.9}, {P::kEbsVolume, 0.1}}},
      {"redis-cache", "platform", "core-infrastructure", kPlatform, 180, 0.02,
       {{P::kElastiCache, 1}}},
      {"object-storage", "platform", "core-infrastructure", kPlatform, 240, 0.04,
       {{P::kS3Bucket, 1}}},
      {"edge-gateway", "platform", "core-infrastructure", kPlatform, 160, 0.02,
       {{P::kLoadBalancer, 0.5}, {P::kCloudFront, 0.3}, {P::kEc2Instance, 0.2}}},
      {"service-mesh", "platform", "core-infrastructure", kPlatform, 90, 0.02,
       {{P::kEc2Instance, 1}}},
      {"ci-runners", "platform", "delivery", kPlatform, 260, 0.03,
       {{P::kEc2Instance, 0.8}, {P::kEbsVolume, 0.2}}},
      {"container-registry", "platform", "delivery", kPlatform, 35, 0.03,
       {{P::kEcrRepository, 0.8}, {P::kS3Bucket, 0.2}}},
      {"auth-service", "identity", "identity", kCommerce, 210, 0.02,
       {{P::kEc2Instance, 0.6}, {P::kLoadBalancer, 0.15}, {P::kDynamoDbTable, 0.25}}},
      {"user-profile", "identity", "identity", kCommerce, 95, 0.02,
       {{P::kEc2Instance, 0.5}, {P::kDynamoDbTable, 0.3}, {P::kS3Bucket, 0.2}}},
      {"permissions", "identity", "identity", kCommerce, 70, 0.015,
       {{P::kEc2Instance, 0.7}, {P::kDynamoDbTable, 0.3}}},
      {"sso-bridge", "identity", "identity", kCommerce, 25, 0.01,
       {{P::kEc2Instance, 0.6}, {P::kLambdaFunction, 0.4}}},
      {"payments-api", "payments", "payments-core", kCommerce, 380, 0.03,
       {{P::kEc2Instance, 0.6}, {P::kLoadBalancer, 0.15}, {P::kCloudWatchLogs, 0.1},
        {P::kSqsQueue, 0.15}}},
      {"ledger", "payments", "payments-core", kCommerce, 290, 0.025,
       {{P::kEc2Instance, 0.4}, {P::kRdsInstance, 0.6}}},
      {"fraud-scoring", "payments", "payments-core", kCommerce, 240, 0.035,
       {{P::kEc2Instance, 0.5}, {P::kDynamoDbTable, 0.3}, {P::kLambdaFunction, 0.2}}},
      {"payouts", "payments", "payments-core", kCommerce, 60, 0.02,
       {{P::kLambdaFunction, 0.5}, {P::kSqsQueue, 0.2}, {P::kS3Bucket, 0.3}}},
      {"invoicing", "payments", "payments-core", kCommerce, 30, 0.02,
       {{P::kLambdaFunction, 0.6}, {P::kS3Bucket, 0.4}}},
      {"currency-rates", "payments", "payments-core", kCommerce, 8, 0.01,
       {{P::kLambdaFunction, 1}}},
      {"legacy-billing", "payments", "payments-core", kCommerce, 45, -0.03,
       {{P::kEc2Instance, 0.7}, {P::kEbsVolume, 0.3}}},
      {"storefront-web", "checkout", "storefront", kCommerce, 420, 0.035,
       {{P::kCloudFront, 0.45}, {P::kEc2Instance, 0.4}, {P::kLoadBalancer, 0.15}}},
      {"cart", "checkout", "storefront", kCommerce, 260, 0.03,
       {{P::kEc2Instance, 0.5}, {P::kElastiCache, 0.3}, {P::kDynamoDbTable, 0.2}}},
      {"order-service", "checkout", "storefront", kCommerce, 300, 0.03,
       {{P::kEc2Instance, 0.6}, {P::kSqsQueue, 0.2}, {P::kCloudWatchLogs, 0.2}}},
      {"pricing", "checkout", "storefront", kCommerce, 110, 0.02,
       {{P::kEc2Instance, 0.7}, {P::kElastiCache, 0.3}}},
      {"catalog-search", "checkout", "storefront", kCommerce, 85, 0.02,
       {{P::kEc2Instance, 0.6}, {P::kLoadBalancer, 0.4}}},
      {"inventory", "checkout", "storefront", kCommerce, 130, 0.02,
       {{P::kEc2Instance, 0.5}, {P::kDynamoDbTable, 0.5}}},
      {"email-sender", "checkout", "storefront", kCommerce, 20, 0.02,
       {{P::kLambdaFunction, 0.5}, {P::kSqsQueue, 0.5}}},
      {"recommendations", "checkout", "storefront", kCommerce, 70, 0.05,
       {{P::kEc2Instance, 0.7}, {P::kS3Bucket, 0.3}}},
      {"search-index", "data", "data-platform", kData, 330, 0.025,
       {{P::kOpenSearch, 0.85}, {P::kEbsVolume, 0.15}}},
      {"feature-store", "data", "data-platform", kData, 210, 0.04,
       {{P::kDynamoDbTable, 0.5}, {P::kS3Bucket, 0.3}, {P::kEc2Instance, 0.2}}},
      {"event-pipeline", "data", "data-platform", kData, 190, 0.03,
       {{P::kEc2Instance, 0.55}, {P::kS3Bucket, 0.25}, {P::kCloudWatchLogs, 0.2}}},
      {"data-warehouse", "data", "data-platform", kData, 520, 0.02, {{P::kRedshift, 1}}},
      {"reporting", "data", "data-platform", kData, 40, 0.01,
       {{P::kEc2Instance, 0.6}, {P::kS3Bucket, 0.4}}},
      {"ml-training", "data", "data-platform", kData, 150, 0.06,
       {{P::kGpuInstance, 0.8}, {P::kS3Bucket, 0.2}}},
      {"metrics-platform", "observability", "observability", kObservability, 280, 0.03,
       {{P::kEc2Instance, 0.6}, {P::kEbsVolume, 0.25}, {P::kS3Bucket, 0.15}}},
      {"log-pipeline", "observability", "observability", kObservability, 160, 0.035,
       {{P::kEc2Instance, 0.4}, {P::kS3Bucket, 0.3}, {P::kCloudWatchLogs, 0.3}}},
      {"status-page", "observability", "observability", kObservability, 6, 0.0,
       {{P::kCloudFront, 0.6}, {P::kS3Bucket, 0.4}}},
      // Shared platform: not catalog services; their account is a shared cost pool.
      {"network-core", "platform", "core-infrastructure", kShared, 310, 0.02,
       {{P::kNatGateway, 0.5}, {P::kTransitGateway, 0.35}, {P::kCloudWatchLogs, 0.15}}},
      {"kubernetes-platform", "platform", "core-infrastructure", kShared, 260, 0.03,
       {{P::kEksCluster, 0.1}, {P::kEc2Instance, 0.9}}},
  };
  // clang-format on
  return services;
}

constexpr const char* kManagement = "418295730164";
constexpr const char* kCommerceProd = "530412876193";
constexpr const char* kCommerceStaging = "530412876207";
constexpr const char* kPlatformProd = "611938204457";
constexpr const char* kDataProd = "702846193385";
constexpr const char* kObservabilityProd = "815530274906";
constexpr const char* kPlatformShared = "926174058312";
constexpr const char* kSandbox = "347205619873";

}  // namespace

OrgSpec DemoOrgSpec(int64_t start_s, int months) {
  OrgSpec spec;
  spec.start_s = start_s;
  spec.months = months;
  spec.seed = 7;
  GenBillingAccount payer{kManagement, "Example Corp", {}, 14500, 50};
  payer.sub_accounts = {{kManagement, "example-management", "management"},
                        {kCommerceProd, "commerce-prod", "prod"},
                        {kCommerceStaging, "commerce-staging", "staging"},
                        {kPlatformProd, "platform-prod", "prod"},
                        {kDataProd, "data-prod", "prod"},
                        {kObservabilityProd, "observability-prod", "prod"},
                        {kPlatformShared, "platform-shared", "shared"},
                        {kSandbox, "sandbox", "dev"}};
  spec.billing_accounts.push_back(std::move(payer));
  spec.platform_sub_account = kPlatformShared;

  for (const auto& d : Services()) {
    GenService s;
    s.name = d.name;
    s.team = d.team;
    s.product = d.product;
    s.tag_team = d.accounts != kData;  // the data team tags services only: an account rule
    s.daily_cost = d.daily_cost;
    s.monthly_growth = d.growth;
    s.mix = d.mix;
    s.resources = 0;  // sized from cost
    switch (d.accounts) {
      case kCommerce:
        s.sub_accounts = {kCommerceProd, kCommerceProd, kCommerceProd, kCommerceStaging};
        s.regions = {"eu-central-1", "eu-central-1", "eu-west-1"};
        break;
      case kPlatform:
        s.sub_accounts = {kPlatformProd};
        s.regions = {"eu-central-1", "us-east-1"};
        break;
      case kData:
        s.sub_accounts = {kDataProd};
        s.regions = {"eu-central-1"};
        break;
      case kObservability:
        s.sub_accounts = {kObservabilityProd};
        s.regions = {"eu-central-1"};
        break;
      case kShared:
        s.sub_accounts = {kPlatformShared};
        s.regions = {"eu-central-1", "eu-central-1", "us-east-1"};
        break;
    }
    spec.services.push_back(std::move(s));
  }

  // Days from the start to the first day of the fifth month, and in all.
  int64_t y;
  unsigned m, day;
  gen::CivilFromDays(start_s / 86400, &y, &m, &day);
  auto month_day = [&](int k) {
    int64_t mm = int64_t(m) - 1 + k;
    return gen::DaysFromCivil(y + mm / 12, unsigned(mm % 12) + 1, 1) - start_s / 86400;
  };
  const int64_t days = month_day(months);
  spec.untagged.push_back({"ml-experiment", kSandbox, "us-east-1", P::kGpuInstance, 4,
                           4 * 3.06 * 24, int(std::min(month_day(4), days / 3))});
  spec.anomaly =
      GenAnomaly{"event-pipeline", P::kCloudWatchLogs, int(days > 90 ? days - 45 : days / 2), 3, 6};
  return spec;
}

}  // namespace plinth::cost
