#pragma once
// The FOCUS (FinOps Open Cost and Usage Specification) 1.0, 1.1 and 1.2 columns: names, types,
// the version that introduced each, which are Mandatory, and the allowed values of enumerated
// columns; plus the tolerant value parsing real exports need (NULL literals, timestamps with a
// space or an offset, casing variants of enumerated values, Tags as canonical JSON).
// See docs/cost-formats.md.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "cost/segment.h"

namespace plinth::cost {

enum class FocusVersion { k1_0 = 10, k1_1 = 11, k1_2 = 12 };

// "FOCUS 1.0", "FOCUS 1.1", "FOCUS 1.2".
std::string FocusVersionName(FocusVersion v);

inline constexpr std::array<std::string_view, 5> kChargeCategoryValues = {
    "Usage", "Purchase", "Tax", "Credit", "Adjustment"};
inline constexpr std::array<std::string_view, 1> kChargeClassValues = {"Correction"};
inline constexpr std::array<std::string_view, 3> kChargeFrequencyValues = {"One-Time", "Recurring",
                                                                           "Usage-Based"};
inline constexpr std::array<std::string_view, 2> kCommitmentDiscountCategoryValues = {"Spend",
                                                                                      "Usage"};
inline constexpr std::array<std::string_view, 2> kUsedUnusedValues = {"Used", "Unused"};
inline constexpr std::array<std::string_view, 4> kPricingCategoryValues = {"Standard", "Dynamic",
                                                                           "Committed", "Other"};
inline constexpr std::array<std::string_view, 19> kServiceCategoryValues = {
    "AI and Machine Learning",
    "Analytics",
    "Business Applications",
    "Compute",
    "Databases",
    "Developer Tools",
    "Multicloud",
    "Identity",
    "Integration",
    "Internet of Things",
    "Management and Governance",
    "Media",
    "Migration",
    "Mobile",
    "Networking",
    "Security",
    "Storage",
    "Web",
    "Other"};

struct FocusColumn {
  std::string_view name;  // the Column ID, e.g. "BilledCost"
  ColumnType type;
  FocusVersion introduced;
  bool mandatory;                             // Feature level "Mandatory"
  std::span<const std::string_view> allowed;  // allowed values; empty: free text
};

// Every FOCUS 1.0-1.2 column, alphabetically (the spec's order). A segment built by ingest has
// these columns first, at these indices, followed by the file's x_ and unknown columns.
inline constexpr std::array<FocusColumn, 57> kFocusColumns = {{
    {"AvailabilityZone", ColumnType::kString, FocusVersion::k1_0, false, {}},
    {"BilledCost", ColumnType::kDecimal, FocusVersion::k1_0, true, {}},
    {"BillingAccountId", ColumnType::kString, FocusVersion::k1_0, true, {}},
    {"BillingAccountName", ColumnType::kString, FocusVersion::k1_0, true, {}},
    {"BillingAccountType", ColumnType::kString, FocusVersion::k1_2, false, {}},
    {"BillingCurrency", ColumnType::kString, FocusVersion::k1_0, true, {}},
    {"BillingPeriodEnd", ColumnType::kTime, FocusVersion::k1_0, true, {}},
    {"BillingPeriodStart", ColumnType::kTime, FocusVersion::k1_0, true, {}},
    {"CapacityReservationId", ColumnType::kString, FocusVersion::k1_1, false, {}},
    {"CapacityReservationStatus", ColumnType::kString, FocusVersion::k1_1, false,
     kUsedUnusedValues},
    {"ChargeCategory", ColumnType::kString, FocusVersion::k1_0, true, kChargeCategoryValues},
    {"ChargeClass", ColumnType::kString, FocusVersion::k1_0, true, kChargeClassValues},
    {"ChargeDescription", ColumnType::kString, FocusVersion::k1_0, true, {}},
    {"ChargeFrequency", ColumnType::kString, FocusVersion::k1_0, false, kChargeFrequencyValues},
    {"ChargePeriodEnd", ColumnType::kTime, FocusVersion::k1_0, true, {}},
    {"ChargePeriodStart", ColumnType::kTime, FocusVersion::k1_0, true, {}},
    {"CommitmentDiscountCategory", ColumnType::kString, FocusVersion::k1_0, false,
     kCommitmentDiscountCategoryValues},
    {"CommitmentDiscountId", ColumnType::kString, FocusVersion::k1_0, false, {}},
    {"CommitmentDiscountName", ColumnType::kString, FocusVersion::k1_0, false, {}},
    {"CommitmentDiscountQuantity", ColumnType::kDecimal, FocusVersion::k1_1, false, {}},
    {"CommitmentDiscountStatus", ColumnType::kString, FocusVersion::k1_0, false, kUsedUnusedValues},
    {"CommitmentDiscountType", ColumnType::kString, FocusVersion::k1_0, false, {}},
    {"CommitmentDiscountUnit", ColumnType::kString, FocusVersion::k1_1, false, {}},
    {"ConsumedQuantity", ColumnType::kDecimal, FocusVersion::k1_0, false, {}},
    {"ConsumedUnit", ColumnType::kString, FocusVersion::k1_0, false, {}},
    {"ContractedCost", ColumnType::kDecimal, FocusVersion::k1_0, true, {}},
    {"ContractedUnitPrice", ColumnType::kDecimal, FocusVersion::k1_0, false, {}},
    {"EffectiveCost", ColumnType::kDecimal, FocusVersion::k1_0, true, {}},
    {"InvoiceId", ColumnType::kString, FocusVersion::k1_2, false, {}},
    {"InvoiceIssuerName", ColumnType::kString, FocusVersion::k1_0, true, {}},
    {"ListCost", ColumnType::kDecimal, FocusVersion::k1_0, true, {}},
    {"ListUnitPrice", ColumnType::kDecimal, FocusVersion::k1_0, false, {}},
    {"PricingCategory", ColumnType::kString, FocusVersion::k1_0, false, kPricingCategoryValues},
    {"PricingCurrency", ColumnType::kString, FocusVersion::k1_2, false, {}},
    {"PricingCurrencyContractedUnitPrice", ColumnType::kDecimal, FocusVersion::k1_2, false, {}},
    {"PricingCurrencyEffectiveCost", ColumnType::kDecimal, FocusVersion::k1_2, false, {}},
    {"PricingCurrencyListUnitPrice", ColumnType::kDecimal, FocusVersion::k1_2, false, {}},
    {"PricingQuantity", ColumnType::kDecimal, FocusVersion::k1_0, true, {}},
    {"PricingUnit", ColumnType::kString, FocusVersion::k1_0, true, {}},
    {"ProviderName", ColumnType::kString, FocusVersion::k1_0, true, {}},
    {"PublisherName", ColumnType::kString, FocusVersion::k1_0, true, {}},
    {"RegionId", ColumnType::kString, FocusVersion::k1_0, false, {}},
    {"RegionName", ColumnType::kString, FocusVersion::k1_0, false, {}},
    {"ResourceId", ColumnType::kString, FocusVersion::k1_0, false, {}},
    {"ResourceName", ColumnType::kString, FocusVersion::k1_0, false, {}},
    {"ResourceType", ColumnType::kString, FocusVersion::k1_0, false, {}},
    {"ServiceCategory", ColumnType::kString, FocusVersion::k1_0, true, kServiceCategoryValues},
    {"ServiceName", ColumnType::kString, FocusVersion::k1_0, true, {}},
    {"ServiceSubcategory", ColumnType::kString, FocusVersion::k1_1, false, {}},
    {"SkuId", ColumnType::kString, FocusVersion::k1_0, false, {}},
    {"SkuMeter", ColumnType::kString, FocusVersion::k1_1, false, {}},
    {"SkuPriceDetails", ColumnType::kString, FocusVersion::k1_1, false, {}},
    {"SkuPriceId", ColumnType::kString, FocusVersion::k1_0, false, {}},
    {"SubAccountId", ColumnType::kString, FocusVersion::k1_0, false, {}},
    {"SubAccountName", ColumnType::kString, FocusVersion::k1_0, false, {}},
    {"SubAccountType", ColumnType::kString, FocusVersion::k1_2, false, {}},
    {"Tags", ColumnType::kString, FocusVersion::k1_0, false, {}},
}};

// The index of a FOCUS column by its exact Column ID; at compile time, an unknown name does not
// compile.
consteval size_t FocusIndex(std::string_view name) {
  for (size_t i = 0; i < kFocusColumns.size(); ++i) {
    if (kFocusColumns[i].name == name) return i;
  }
  throw "not a FOCUS column";
}

// The index of a FOCUS column matched case-insensitively ("billedcost"), or -1.
int FindFocusColumn(std::string_view name);

// The FOCUS columns as segment columns, in kFocusColumns order.
std::vector<ColumnSpec> FocusSegmentColumns();

// A FOCUS CSV header mapped to segment columns.
struct FocusHeader {
  FocusVersion version = FocusVersion::k1_0;  // the newest version any recognised column needs
  std::vector<ColumnSpec> columns;            // kFocusColumns, then extra columns as strings
  std::vector<size_t> field_column;           // CSV field i -> index into columns
  std::vector<std::string> warnings;          // unknown (non-x_) columns kept as strings
};

// Maps header names to columns (case-insensitive, so "billedcost" is BilledCost). Errors name
// the file and line 1: every missing Mandatory column in one message ("FILE:1: missing mandatory
// FOCUS columns: BilledCost, ChargePeriodStart"), a column named twice, an empty name.
Result<FocusHeader> MapFocusHeader(std::span<const std::string_view> header,
                                   const std::string& path);

// The literal NULL and the empty field are NULL.
inline bool IsNullText(std::string_view v) { return v.empty() || v == "NULL"; }

// The spec's casing of an allowed value matched case-insensitively ("usage-based" ->
// "Usage-Based"), or an empty view when `v` is none of them.
std::string_view CanonicalAllowedValue(const FocusColumn& column, std::string_view v);

// UTC epoch seconds of "YYYY-MM-DDTHH:MM:SSZ", with a space for the T, fractional seconds
// (truncated), a "+HH:MM"/"-HHMM" offset or none (UTC), or a bare date "YYYY-MM-DD".
Result<int64_t> ParseFocusTimestamp(std::string_view text);

// Rewrites a Tags JSON object as compact JSON with sorted keys; string values are kept, other
// scalars become their JSON text as a string, nested values their compact JSON text, null values
// are dropped; an empty object is "" (NULL). Remembers recent inputs, since tag sets repeat
// across rows. Not thread-safe.
class TagCanonicalizer {
 public:
  // The canonical text; valid until the next call. Error: not a JSON object.
  Result<std::string_view> Canonical(std::string_view text);
  // Same, first renaming keys with `strip_prefix` to the rest of the key ("user_team" ->
  // "team"), for AWS CUR 2.0 resource_tags.
  Result<std::string_view> CanonicalStripped(std::string_view text, std::string_view strip_prefix);

 private:
  static constexpr size_t kMaxCached = 4096;
  std::unordered_map<std::string, std::string> cache_;  // prefix '\n' text -> canonical
  std::string key_;                                     // reused lookup key
};

}  // namespace plinth::cost
