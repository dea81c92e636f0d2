#pragma once
// The generator's price list: AWS-like products (ServiceName, ServiceCategory, SKU, unit, list
// price, ResourceId pattern) and regions. Internal to src/cost/generate*.cc.

#include <cstdint>
#include <string_view>

#include "cost/generate.h"

namespace plinth::cost::gen {

struct ProductInfo {
  std::string_view service_name;   // ServiceName
  std::string_view category;       // ServiceCategory
  std::string_view subcategory;    // ServiceSubcategory (FOCUS 1.2 allowed values)
  std::string_view resource_type;  // ResourceType
  std::string_view unit;           // PricingUnit and ConsumedUnit
  std::string_view variant;        // instance type or storage class; "" when none
  std::string_view meter;          // SkuMeter (AWS usage type without the region prefix)
  int64_t list_price;              // ListUnitPrice in 1e-10 USD
  std::string_view description;    // ChargeDescription; "{price}" becomes the list price
  // ResourceId pattern: {r} region, {a} account, {n} resource name, {h} 16 hex digits (changes
  // with each replacement of a churning resource), {H} 14 upper-case letters and digits.
  std::string_view id_pattern;
  bool elastic;       // follows the weekly pattern (weekends lower)
  bool savings_plan;  // covered by a Compute Savings Plan
  bool churns;        // replaced every few weeks (new ResourceId)
  bool regional;      // false: global service, RegionId and zone are NULL
};

const ProductInfo& Info(CloudProduct product);

struct RegionInfo {
  std::string_view id;      // "eu-central-1"
  std::string_view name;    // "Europe (Frankfurt)"
  std::string_view prefix;  // usage-type prefix "EUC1"
};

// nullptr when the region is not in the table.
const RegionInfo* FindRegion(std::string_view id);

}  // namespace plinth::cost::gen
