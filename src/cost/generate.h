#pragma once
// A deterministic generator of FOCUS 1.2 billing data for an organisation described by an
// OrgSpec: the demo's 13 months of cost data and the benchmark's 1M and 10M-row files.
//
// Each resource of each service emits one usage line item per day (or per hour), priced from an
// AWS-like price list; the cost follows the service's growth, a weekly pattern (elastic products
// are cheaper on weekends), a little noise and an injected anomaly. A Compute Savings Plan per
// billing account covers eligible usage up to its hourly commitment (BilledCost 0, EffectiveCost
// amortised; unused commitment as its own rows; the monthly fee as a Purchase). An "AWS Support
// (Business)" fee is charged monthly. The same spec and seed always give the same bytes: random
// numbers come from splitmix64 and every cost is computed in integer units of 1e-10 USD.

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cost/decimal.h"

namespace plinth::cost {

// What a resource is, which fixes its ServiceName, ServiceCategory, SKU, unit and list price
// (see generate_products.cc).
enum class CloudProduct {
  kEc2Instance,     // Amazon Elastic Compute Cloud, m6i.xlarge hours
  kGpuInstance,     // Amazon Elastic Compute Cloud, p3.2xlarge hours
  kEbsVolume,       // Amazon Elastic Compute Cloud, gp3 GB-months
  kS3Bucket,        // Amazon Simple Storage Service
  kRdsInstance,     // Amazon Relational Database Service
  kDynamoDbTable,   // Amazon DynamoDB
  kElastiCache,     // Amazon ElastiCache
  kLambdaFunction,  // AWS Lambda
  kLoadBalancer,    // Elastic Load Balancing
  kNatGateway,      // Amazon Virtual Private Cloud, NAT data processed
  kTransitGateway,  // Amazon Virtual Private Cloud, transit gateway attachment hours
  kCloudFront,      // Amazon CloudFront (global)
  kRoute53,         // Amazon Route 53 (global)
  kCloudWatchLogs,  // AmazonCloudWatch log ingestion
  kSqsQueue,        // Amazon Simple Queue Service
  kEksCluster,      // Amazon Elastic Kubernetes Service
  kOpenSearch,      // Amazon OpenSearch Service
  kMskCluster,      // Amazon Managed Streaming for Apache Kafka
  kRedshift,        // Amazon Redshift
  kEcrRepository,   // Amazon EC2 Container Registry (ECR)
};

struct ProductShare {
  CloudProduct product;
  double weight = 1;  // share of the service's cost; weights of a service need not sum to 1
};

struct GenSubAccount {
  std::string id;           // SubAccountId, e.g. a 12-digit AWS account number
  std::string name;         // SubAccountName
  std::string environment;  // the `env` tag of resources in this account, e.g. "prod"
};

struct GenBillingAccount {
  std::string id;    // BillingAccountId (the payer); its support fee and savings plan rows
  std::string name;  //   carry it as SubAccountId too
  std::vector<GenSubAccount> sub_accounts;
  double support_monthly = 0;      // "AWS Support (Business)" fee per month, USD; 0: none
  double savings_plan_hourly = 0;  // Compute Savings Plan commitment, USD per hour; 0: none
};

// A catalog service: tags {env, product, service, team}, resources spread round-robin over
// `sub_accounts` (list an account twice to give it twice the resources) and `regions`.
struct GenService {
  std::string name;      // `service` tag and the prefix of resource names
  std::string team;      // `team` tag
  std::string product;   // `product` tag; "" leaves it out
  bool tag_team = true;  // false: resources lack the team tag (allocated by account instead)
  std::vector<std::string> sub_accounts;  // GenSubAccount ids
  std::vector<std::string> regions;       // e.g. "eu-central-1"; see generate_products.cc
  std::vector<ProductShare> mix;
  double daily_cost = 0;      // list cost per day in the first month, USD
  double monthly_growth = 0;  // 0.03: +3% per month, compounded daily
  // Spread over `mix` by weight, at least one per product. 0: sized from the cost, instances
  // running about 20 hours a day and other resources costing about $40 a day each.
  int resources = 1;
};

// Resources without any tag, e.g. an old ML experiment's instances nobody stopped.
struct GenUntagged {
  std::string name;  // resource name prefix
  std::string sub_account;
  std::string region;
  CloudProduct product = CloudProduct::kGpuInstance;
  int resources = 1;
  double daily_cost = 0;  // list cost per day of the whole group, USD
  int start_day = 0;      // first day (from OrgSpec::start_s) the resources exist
};

// Multiplies the cost of one product of one service for `days` days from `start_day`.
struct GenAnomaly {
  std::string service;                                   // GenService::name
  CloudProduct product = CloudProduct::kCloudWatchLogs;  // REQUIRES: in that service's mix
  int start_day = 0;                                     // days after OrgSpec::start_s
  int days = 1;
  double multiplier = 5;
};

struct OrgSpec {
  std::vector<GenBillingAccount> billing_accounts;
  std::vector<GenService> services;
  // The networking/platform sub-account whose costs are shared between teams (allocation rules
  // and the benchmark's SQL refer to it; the generator only checks it exists).
  std::string platform_sub_account;
  std::vector<GenUntagged> untagged;
  std::optional<GenAnomaly> anomaly;

  int64_t start_s = 0;  // UTC midnight on the first day of a month
  int months = 1;
  int64_t end_s = 0;    // when > 0: stop before this UTC midnight (a month-to-date export)
  bool hourly = false;  // one line item per resource per hour instead of per day
  // Usage rows per day to aim for: every service's resource count is scaled so the day has
  // about this many (cost per service unchanged). 0: the resource counts as given.
  int64_t rows_per_day = 0;
  double weekend_factor = 0.75;       // elastic products' cost on Saturday and Sunday
  double noise = 0.06;                // daily cost varies by up to ±noise
  double negotiated_discount = 0.05;  // ContractedUnitPrice = ListUnitPrice × (1 − this)
  double savings_plan_discount =
      0.28;  // covered usage: EffectiveCost = ContractedCost × (1 − this)
  uint64_t seed = 1;
};

// Exact totals of what was written, to check an import against.
struct GenAccountTotal {
  std::string billing_account_id;
  Amount billed, effective, list, contracted;
  int64_t rows = 0;
};

struct GenerateStats {
  int64_t rows = 0;       // data rows, header excluded
  int64_t resources = 0;  // distinct ResourceIds of usage rows (replaced instances count anew)
  int64_t days = 0;
  std::vector<GenAccountTotal> totals;  // one per billing account, in spec order
  // EffectiveCost per service per day: service_daily[i][d] for OrgSpec::services[i], day d.
  std::vector<std::vector<Amount>> service_daily;
};

// The 57 columns of FOCUS 1.2 in the order the generator writes them (alphabetical).
extern const std::array<std::string_view, 57> kFocus12Columns;

// Writes the header and every row as CSV (RFC 4180; NULL written as the unquoted literal NULL;
// timestamps as 2025-01-01T00:00:00Z; costs with 10 decimals). Errors: an invalid spec
// (unknown account, region or anomaly service, start not a month start, no months).
Result<GenerateStats> GenerateFocus(const OrgSpec& spec, std::ostream& out);

// [from, to) of the anomaly in UTC seconds; nullopt without one.
struct GenWindow {
  int64_t from_s = 0;
  int64_t to_s = 0;
};
std::optional<GenWindow> AnomalyWindow(const OrgSpec& spec);

// The demo organisation: six teams and 37 services named as in the demo catalog, products named
// after its systems, eight sub-accounts under one billing account ("platform-shared" is the
// shared platform account), a savings plan, a support fee, an untagged ML experiment from the
// fifth month and a CloudWatch Logs anomaly of event-pipeline 45 days before the end.
// REQUIRES: start_s is the first day of a month (UTC); months >= 2.
OrgSpec DemoOrgSpec(int64_t start_s, int months = 13);

}  // namespace plinth::cost
