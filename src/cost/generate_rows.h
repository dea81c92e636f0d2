#pragma once
// The generator's working state and row writers: billing accounts, product groups and resources
// with their pre-formatted CSV fragments (generate_setup.cc), and the Emitter that writes usage,
// savings plan, unused-commitment and support rows (generate_rows.cc). Internal to
// src/cost/generate*.cc.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cost/decimal.h"
#include "cost/generate.h"
#include "cost/generate_format.h"
#include "cost/generate_products.h"

namespace plinth::cost::gen {

inline constexpr std::array<std::string_view, 57> kColumns = {"AvailabilityZone",
                                                              "BilledCost",
                                                              "BillingAccountId",
                                                              "BillingAccountName",
                                                              "BillingAccountType",
                                                              "BillingCurrency",
                                                              "BillingPeriodEnd",
                                                              "BillingPeriodStart",
                                                              "CapacityReservationId",
                                                              "CapacityReservationStatus",
                                                              "ChargeCategory",
                                                              "ChargeClass",
                                                              "ChargeDescription",
                                                              "ChargeFrequency",
                                                              "ChargePeriodEnd",
                                                              "ChargePeriodStart",
                                                              "CommitmentDiscountCategory",
                                                              "CommitmentDiscountId",
                                                              "CommitmentDiscountName",
                                                              "CommitmentDiscountQuantity",
                                                              "CommitmentDiscountStatus",
                                                              "CommitmentDiscountType",
                                                              "CommitmentDiscountUnit",
                                                              "ConsumedQuantity",
                                                              "ConsumedUnit",
                                                              "ContractedCost",
                                                              "ContractedUnitPrice",
                                                              "EffectiveCost",
                                                              "InvoiceId",
                                                              "InvoiceIssuerName",
                                                              "ListCost",
                                                              "ListUnitPrice",
                                                              "PricingCategory",
                                                              "PricingCurrency",
                                                              "PricingCurrencyContractedUnitPrice",
                                                              "PricingCurrencyEffectiveCost",
                                                              "PricingCurrencyListUnitPrice",
                                                              "PricingQuantity",
                                                              "PricingUnit",
                                                              "ProviderName",
                                                              "PublisherName",
                                                              "RegionId",
                                                              "RegionName",
                                                              "ResourceId",
                                                              "ResourceName",
                                                              "ResourceType",
                                                              "ServiceCategory",
                                                              "ServiceName",
                                                              "ServiceSubcategory",
                                                              "SkuId",
                                                              "SkuMeter",
                                                              "SkuPriceDetails",
                                                              "SkuPriceId",
                                                              "SubAccountId",
                                                              "SubAccountName",
                                                              "SubAccountType",
                                                              "Tags"};

inline constexpr int64_t kUnitsPerUsd = 10'000'000'000;  // costs and prices in 1e-10 USD

// 1e-10 USD units as an exact Amount.
Amount UnitsToAmount(Int128 units);

// A billing account's constant fragments, savings plan and running totals.
struct Billing {
  const GenBillingAccount* spec = nullptr;
  std::string block;   // ",Id,Name,Billing Account,USD," (columns 3-6 between commas)
  std::string sp_arn;  // "" without a savings plan
  std::string sp_name;
  std::string sp_block;      // "Spend,arn,name," (columns 17-19 and their commas)
  int64_t sp_hourly = 0;     // commitment per hour, units
  int64_t sp_budget = 0;     // commitment per period (day or hour), units
  int64_t sp_remaining = 0;  // of the current period
  std::string invoice;       // InvoiceId of the current month
  Int128 billed = 0, effective = 0, list = 0, contracted = 0;
  int64_t rows = 0;
  GenAccountTotal Total() const;
};
std::vector<Billing> MakeBilling(const OrgSpec& spec);

// One product of one service (or the untagged group): the cost it carries per day and, for
// instances that scale out, how many of its slots run today.
struct Group {
  int service = -1;  // index into OrgSpec::services; -1: untagged
  bool untagged = false;
  CloudProduct product = CloudProduct::kEc2Instance;
  double share_cost = 0;  // list USD per day at factor 1
  double growth = 0;      // monthly
  bool elastic = false, scales_out = false, anomaly = false;
  int n0 = 1;     // resources at factor 1
  int slots = 1;  // resources allocated (scale-out: enough for the highest factor)
  // Today's values:
  double factor = 1;      // growth × weekday × anomaly
  int active = 1;         // slots running
  double per_active = 0;  // list USD of each running slot (scale-out groups)
};
std::vector<Group> MakeGroups(const OrgSpec& spec, int64_t days);

// Instances a scale-out fleet of `n` runs at demand factor `f`: enough that none carries more
// than its share, plus one only when demand passes the count by 5% of an instance.
inline int ActiveSlots(double n, double f) {
  return std::max(1, static_cast<int>(std::ceil(n * f - 0.05)));
}

// One resource slot with every constant fragment of its usage rows pre-formatted.
struct Resource {
  int service = -1;
  int group = 0;
  int slot = 0;  // index within its group
  int billing = 0;
  int start_day = 0;
  bool savings_plan = false, churns = false, first = true;
  double unit_cost = 0;  // list USD per day at factor 1 (not scale-out groups)
  int64_t list_price = 0, contracted_price = 0;  // units
  bool whole_quantities = false;                 // per-request prices: quantities are integers
  uint64_t key = 0;
  int lifetime = 30, phase = 0;  // churn period and offset, days
  int64_t generation = -1;
  std::string head;        // "AvailabilityZone,"
  std::string mid;         // ",NULL,NULL,Usage,NULL,Description,Usage-Based,"
  std::string unit_block;  // ",Unit,"
  std::string cup, lup;    // unit prices
  std::string tail1;       // "Unit,AWS,Publisher,RegionId,RegionName," (columns 39-43)
  std::string id_prefix, id_suffix, resource_id;
  std::string tail2;  // ",ResourceName,...,Tags\n" (columns 45-57)
  size_t max_len = 0;
  // Replaces the ResourceId when a new generation starts; counts new ids in *ids.
  void Churn(int64_t day, int64_t* ids);
};
std::vector<Resource> MakeResources(const OrgSpec& spec,
                                    const std::map<std::string, std::pair<int, int>>& accounts,
                                    const std::vector<Group>& groups);

// Writes rows and keeps the billing totals and row count.
class Emitter {
 public:
  Emitter(const OrgSpec& spec, RowBuffer& buf, std::vector<Billing>& billing, GenerateStats& stats);
  void Header();
  // Invoices, support fees and savings plan fees of the month [start, next); `end` is where
  // the generated data stops within it.
  void StartMonth(int64_t start, int64_t next, int64_t end, int yy, int month);
  // One usage row of `cost_usd` list cost; returns its EffectiveCost in units.
  int64_t Usage(Resource& r, double cost_usd, size_t max_row, std::string_view month_block,
                std::string_view period_block);
  // The unused rest of the period's savings plan commitment, if any.
  void Unused(Billing& b, int64_t period_start, int64_t period_len);

 private:
  using Cells = std::array<std::string, 57>;
  Cells BaseCells(const Billing& b) const;
  void Write(Billing& b, const Cells& cells, int64_t billed, int64_t effective, int64_t list,
             int64_t contracted);

  const OrgSpec& spec_;
  RowBuffer& buf_;
  std::vector<Billing>& billing_;
  GenerateStats& stats_;
  int64_t sp_discount_ppm_;
  std::string month_end_, month_start_;
};

}  // namespace plinth::cost::gen
