#include "cost/cur.h"

#include <algorithm>
#include <utility>

#include "base/json.h"
#include "cost/decimal.h"

namespace plinth::cost {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(s[i]) != prefix[i]) return false;
  }
  return true;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

// FOCUS columns copied from one CUR 2.0 column as they are.
constexpr std::pair<std::string_view, std::string_view> kRenames[] = {
    {"AvailabilityZone", "line_item_availability_zone"},
    {"BilledCost", "line_item_unblended_cost"},
    {"BillingAccountId", "bill_payer_account_id"},
    {"BillingAccountName", "bill_payer_account_name"},
    {"BillingCurrency", "line_item_currency_code"},
    {"BillingPeriodEnd", "bill_billing_period_end_date"},
    {"BillingPeriodStart", "bill_billing_period_start_date"},
    {"CapacityReservationId", "capacity_reservation_capacity_reservation_arn"},
    {"CapacityReservationStatus", "capacity_reservation_capacity_reservation_status"},
    {"ChargeDescription", "line_item_line_item_description"},
    {"ChargePeriodEnd", "line_item_usage_end_date"},
    {"ChargePeriodStart", "line_item_usage_start_date"},
    {"ContractedUnitPrice", "line_item_unblended_rate"},
    {"InvoiceId", "bill_invoice_id"},
    {"InvoiceIssuerName", "bill_invoicing_entity"},
    {"ListCost", "pricing_public_on_demand_cost"},
    {"ListUnitPrice", "pricing_public_on_demand_rate"},
    {"PricingCurrency", "pricing_currency"},
    {"PricingQuantity", "line_item_usage_amount"},
    {"PricingUnit", "pricing_unit"},
    {"PublisherName", "line_item_legal_entity"},
    {"RegionId", "product_region_code"},
    {"RegionName", "product_location"},
    {"ResourceId", "line_item_resource_id"},
    {"SkuId", "product_sku"},
    {"SkuPriceId", "pricing_rate_code"},
    {"SubAccountId", "line_item_usage_account_id"},
    {"SubAccountName", "line_item_usage_account_name"},
};

// AWS specific columns kept as x_ columns when present.
constexpr std::pair<std::string_view, std::string_view> kExtras[] = {
    {"x_BillType", "bill_bill_type"},
    {"x_LineItemType", "line_item_line_item_type"},
    {"x_Operation", "line_item_operation"},
    {"x_ProductFamily", "product_product_family"},
    {"x_ServiceCode", "line_item_product_code"},
    {"x_UsageType", "line_item_usage_type"},
};

constexpr std::string_view kRequired[] = {
    "bill_payer_account_id",      "bill_billing_period_start_date", "bill_billing_period_end_date",
    "line_item_usage_start_date", "line_item_usage_end_date",       "line_item_unblended_cost",
    "line_item_currency_code",    "line_item_line_item_type",
};

// ServiceCategory by line_item_product_code; anything else is "Other".
constexpr std::pair<std::string_view, std::string_view> kServiceCategories[] = {
    {"AmazonApiGateway", "Networking"},
    {"AmazonAthena", "Analytics"},
    {"AmazonBedrock", "AI and Machine Learning"},
    {"AmazonCloudFront", "Networking"},
    {"AmazonCloudWatch", "Management and Governance"},
    {"AmazonCognito", "Identity"},
    {"AmazonDocDB", "Databases"},
    {"AmazonDynamoDB", "Databases"},
    {"AmazonEC2", "Compute"},
    {"AmazonECR", "Developer Tools"},
    {"AmazonECS", "Compute"},
    {"AmazonEFS", "Storage"},
    {"AmazonEKS", "Compute"},
    {"AmazonES", "Analytics"},
    {"AmazonElastiCache", "Databases"},
    {"AmazonFSx", "Storage"},
    {"AmazonGlacier", "Storage"},
    {"AmazonGuardDuty", "Security"},
    {"AmazonKinesis", "Analytics"},
    {"AmazonKinesisFirehose", "Analytics"},
    {"AmazonLightsail", "Compute"},
    {"AmazonMQ", "Integration"},
    {"AmazonMSK", "Analytics"},
    {"AmazonMemoryDB", "Databases"},
    {"AmazonNeptune", "Databases"},
    {"AmazonQuickSight", "Analytics"},
    {"AmazonRDS", "Databases"},
    {"AmazonRedshift", "Analytics"},
    {"AmazonRoute53", "Networking"},
    {"AmazonS3", "Storage"},
    {"AmazonSES", "Business Applications"},
    {"AmazonSNS", "Integration"},
    {"AmazonSageMaker", "AI and Machine Learning"},
    {"AmazonStates", "Integration"},
    {"AmazonVPC", "Networking"},
    {"AWSBackup", "Storage"},
    {"AWSCloudFormation", "Management and Governance"},
    {"AWSCloudTrail", "Management and Governance"},
    {"AWSCodeBuild", "Developer Tools"},
    {"AWSCodePipeline", "Developer Tools"},
    {"AWSConfig", "Management and Governance"},
    {"AWSDataTransfer", "Networking"},
    {"AWSDirectConnect", "Networking"},
    {"AWSELB", "Networking"},
    {"AWSEvents", "Integration"},
    {"AWSGlobalAccelerator", "Networking"},
    {"AWSGlue", "Analytics"},
    {"AWSIoT", "Internet of Things"},
    {"AWSLambda", "Compute"},
    {"AWSQueueService", "Integration"},
    {"AWSSecretsManager", "Security"},
    {"AWSSecurityHub", "Security"},
    {"AWSShield", "Security"},
    {"AWSSystemsManager", "Management and Governance"},
    {"awskms", "Identity"},
    {"awswaf", "Security"},
};

std::string_view ServiceCategory(std::string_view product_code) {
  for (const auto& [code, category] : kServiceCategories) {
    if (code == product_code) return category;
  }
  return "Other";
}

enum class Kind { kUsage, kCommittedUsage, kPurchase, kRecurringPurchase, kTax, kCredit, kOther };

Kind LineItemKind(std::string_view type) {
  if (type == "Usage" || type == "BundledDiscount" || type == "Discount" || type == "EdpDiscount" ||
      type == "PrivateRateDiscount" || type == "DistributorDiscount" || type == "SppDiscount") {
    return Kind::kUsage;
  }
  if (type == "DiscountedUsage" || type == "SavingsPlanCoveredUsage" ||
      type == "SavingsPlanNegation") {
    return Kind::kCommittedUsage;
  }
  if (type == "Fee" || type == "SavingsPlanUpfrontFee") return Kind::kPurchase;
  if (type == "RIFee" || type == "SavingsPlanRecurringFee") return Kind::kRecurringPurchase;
  if (type == "Tax") return Kind::kTax;
  if (type == "Credit" || type == "Refund") return Kind::kCredit;
  return Kind::kOther;
}

// The string value of "key" in a flat JSON object text, or "" when absent or escaped.
std::string_view JsonStringValue(std::string_view json, std::string_view key) {
  for (size_t at = json.find(key); at != std::string_view::npos; at = json.find(key, at + 1)) {
    if (at == 0 || json[at - 1] != '"' || at + key.size() >= json.size() ||
        json[at + key.size()] != '"') {
      continue;
    }
    size_t p = at + key.size() + 1;
    while (p < json.size() && (json[p] == ' ' || json[p] == ':')) ++p;
    if (p >= json.size() || json[p] != '"') return {};
    size_t close = json.find('"', p + 1);
    if (close == std::string_view::npos) return {};
    std::string_view value = json.substr(p + 1, close - p - 1);
    return value.find('\\') == std::string_view::npos ? value : std::string_view();
  }
  return {};
}

// a + sign * b, exactly, as decimal text ("" and NULL are 0). Returns 0, or which operand (1 or
// 2) is not a number.
int AddDecimals(std::string_view a, std::string_view b, int sign, std::string* out) {
  auto pa = ParseDecimal(IsNullText(a) ? "0" : a);
  if (!pa.ok()) return 1;
  auto pb = ParseDecimal(IsNullText(b) ? "0" : b);
  if (!pb.ok()) return 2;
  Amount sum = Amount::FromDecimal(*pa);
  sum += sign > 0 ? Amount::FromDecimal(*pb) : -Amount::FromDecimal(*pb);
  *out = sum.ToExactString();
  return 0;
}

}  // namespace

bool IsCurHeader(std::span<const std::string_view> header) {
  bool bill = false, line_item = false;
  for (std::string_view name : header) {
    bill = bill || StartsWithIgnoreCase(name, "bill_");
    line_item = line_item || StartsWithIgnoreCase(name, "line_item_");
  }
  return bill && line_item;
}

Result<CurMapper> CurMapper::Create(std::span<const std::string_view> header,
                                    const std::string& path) {
  std::vector<std::string> names;
  for (std::string_view name : header) names.push_back(ToLower(name));
  auto find = [&](std::string_view name) -> int {
    auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
  };
  std::string missing;
  for (std::string_view name : kRequired) {
    if (find(name) < 0) missing += (missing.empty() ? "" : ", ") + std::string(name);
  }
  if (!missing.empty()) {
    return Error::Invalid(path + ":1: missing AWS CUR 2.0 columns: " + missing);
  }
  CurMapper m;
  m.columns_ = FocusSegmentColumns();
  for (const ColumnSpec& c : m.columns_) m.labels_.push_back(c.name);
  for (const auto& [focus, cur] : kRenames) {
    int field = find(cur);
    size_t column = static_cast<size_t>(FindFocusColumn(focus));
    m.labels_[column] += " (" + std::string(cur) + ")";
    if (field >= 0) m.renames_.emplace_back(column, field);
  }
  for (const auto& [x, cur] : kExtras) {
    int field = find(cur);
    if (field < 0) continue;
    m.extras_.emplace_back(m.columns_.size(), field);
    m.columns_.push_back({std::string(x), ColumnType::kString});
    m.labels_.push_back(std::string(x) + " (" + std::string(cur) + ")");
  }
  m.cost_category_ = find("cost_category");
  if (m.cost_category_ >= 0) {
    m.x_cost_categories_ = static_cast<int>(m.columns_.size());
    m.columns_.push_back({"x_CostCategories", ColumnType::kString});
    m.labels_.push_back("x_CostCategories (cost_category)");
  }
  m.line_item_type_ = find("line_item_line_item_type");
  m.unblended_cost_ = find("line_item_unblended_cost");
  m.usage_amount_ = find("line_item_usage_amount");
  m.pricing_unit_ = find("pricing_unit");
  m.pricing_term_ = find("pricing_term");
  m.public_cost_ = find("pricing_public_on_demand_cost");
  m.sp_arn_ = find("savings_plan_savings_plan_a_r_n");
  m.ri_arn_ = find("reservation_reservation_a_r_n");
  m.product_ = find("product");
  m.servicecode_ = find("product_servicecode");
  m.product_code_ = find("line_item_product_code");
  m.resource_tags_ = find("resource_tags");
  m.sp_effective_ = find("savings_plan_savings_plan_effective_cost");
  m.sp_total_commitment_ = find("savings_plan_total_commitment_to_date");
  m.sp_used_commitment_ = find("savings_plan_used_commitment");
  m.ri_effective_ = find("reservation_effective_cost");
  m.ri_unused_upfront_ = find("reservation_unused_amortized_upfront_fee_for_billing_period");
  m.ri_unused_recurring_ = find("reservation_unused_recurring_fee");
  m.labels_[FocusIndex("ChargeCategory")] += " (line_item_line_item_type)";
  m.labels_[FocusIndex("EffectiveCost")] += " (line_item_line_item_type)";
  m.labels_[FocusIndex("Tags")] += " (resource_tags)";
  return m;
}

bool CurMapper::EffectiveCost(std::span<const std::string_view> fields, std::string_view type,
                              std::string_view* out, std::string* reason) {
  std::string_view unblended = Field(fields, unblended_cost_);
  auto column = [&](int source) { return source >= 0 ? Field(fields, source) : unblended; };
  // A sum or difference of two columns, for the unused part of a commitment.
  auto combine = [&](int a, const char* a_name, int b, const char* b_name, int sign) {
    int bad = AddDecimals(Field(fields, a), Field(fields, b), sign, &effective_text_);
    if (bad != 0) {
      *reason = std::string("EffectiveCost (") + (bad == 1 ? a_name : b_name) +
                "): " + ParseDecimal(Field(fields, bad == 1 ? a : b)).error().message;
      return false;
    }
    *out = effective_text_;
    return true;
  };
  if (type == "SavingsPlanCoveredUsage") {
    *out = column(sp_effective_);
  } else if (type == "DiscountedUsage") {
    *out = column(ri_effective_);
  } else if (type == "SavingsPlanNegation" || type == "SavingsPlanUpfrontFee" ||
             (type == "Fee" && !IsNullText(Field(fields, ri_arn_)))) {
    *out = "0";
  } else if (type == "SavingsPlanRecurringFee" && sp_total_commitment_ >= 0 &&
             sp_used_commitment_ >= 0) {
    if (!combine(sp_total_commitment_, "savings_plan_total_commitment_to_date", sp_used_commitment_,
                 "savings_plan_used_commitment", -1)) {
      return false;
    }
  } else if (type == "RIFee" && ri_unused_upfront_ >= 0 && ri_unused_recurring_ >= 0) {
    if (!combine(ri_unused_upfront_, "reservation_unused_amortized_upfront_fee_for_billing_period",
                 ri_unused_recurring_, "reservation_unused_recurring_fee", 1)) {
      return false;
    }
  } else {
    *out = unblended;
  }
  if (IsNullText(*out)) *out = "0";
  return true;
}

bool CurMapper::Map(std::span<const std::string_view> fields, std::span<std::string_view> values,
                    std::string* reason) {
  std::fill(values.begin(), values.end(), std::string_view());
  for (const auto& [column, field] : renames_) values[column] = fields[static_cast<size_t>(field)];
  for (const auto& [column, field] : extras_) values[column] = fields[static_cast<size_t>(field)];

  std::string_view type = Field(fields, line_item_type_);
  Kind kind = LineItemKind(type);
  static constexpr std::string_view kCategory[] = {"Usage", "Usage",  "Purchase",  "Purchase",
                                                   "Tax",   "Credit", "Adjustment"};
  values[FocusIndex("ChargeCategory")] = kCategory[static_cast<int>(kind)];
  if (kind == Kind::kOther && unknown_types_.size() < 10 &&
      std::find(unknown_types_.begin(), unknown_types_.end(), type) == unknown_types_.end()) {
    unknown_types_.emplace_back(type);
  }
  values[FocusIndex("ChargeFrequency")] = kind == Kind::kUsage || kind == Kind::kCommittedUsage
                                              ? "Usage-Based"
                                          : kind == Kind::kRecurringPurchase ? "Recurring"
                                                                             : "One-Time";
  std::string_view pricing = {};
  if (kind == Kind::kCommittedUsage) {
    pricing = "Committed";
  } else if (kind == Kind::kUsage) {
    pricing = Field(fields, pricing_term_) == "Spot" ? "Dynamic" : "Standard";
  } else if (kind == Kind::kPurchase || kind == Kind::kRecurringPurchase) {
    pricing = "Standard";
  }
  values[FocusIndex("PricingCategory")] = pricing;
  values[FocusIndex("ProviderName")] = "AWS";
  if (kind == Kind::kUsage || kind == Kind::kCommittedUsage) {
    values[FocusIndex("ConsumedQuantity")] = Field(fields, usage_amount_);
    values[FocusIndex("ConsumedUnit")] = Field(fields, pricing_unit_);
  }
  values[FocusIndex("ContractedCost")] =
      type == "DiscountedUsage" ? Field(fields, public_cost_) : Field(fields, unblended_cost_);

  std::string_view sp = Field(fields, sp_arn_), ri = Field(fields, ri_arn_);
  bool has_sp = !IsNullText(sp), has_ri = !has_sp && !IsNullText(ri);
  if (has_sp || has_ri) {
    values[FocusIndex("CommitmentDiscountId")] = has_sp ? sp : ri;
    values[FocusIndex("CommitmentDiscountType")] = has_sp ? "Savings Plan" : "Reserved Instance";
    values[FocusIndex("CommitmentDiscountCategory")] = has_sp ? "Spend" : "Usage";
    if (kind == Kind::kCommittedUsage) values[FocusIndex("CommitmentDiscountStatus")] = "Used";
  }

  std::string_view code = Field(fields, servicecode_);
  if (IsNullText(code)) code = Field(fields, product_code_);
  std::string_view name = JsonStringValue(Field(fields, product_), "product_name");
  values[FocusIndex("ServiceName")] = name.empty() ? code : name;
  values[FocusIndex("ServiceCategory")] = ServiceCategory(Field(fields, product_code_));

  std::string_view tags = Field(fields, resource_tags_);
  if (!IsNullText(tags)) {
    auto canonical = tags_.CanonicalStripped(tags, "user_");
    if (!canonical.ok()) {
      *reason = labels_[FocusIndex("Tags")] + ": " + canonical.error().message;
      return false;
    }
    values[FocusIndex("Tags")] = *canonical;
  }
  std::string_view categories = Field(fields, cost_category_);
  if (x_cost_categories_ >= 0 && !IsNullText(categories)) {
    auto canonical = cost_categories_.Canonical(categories);
    if (!canonical.ok()) {
      *reason = labels_[static_cast<size_t>(x_cost_categories_)] + ": " + canonical.error().message;
      return false;
    }
    values[static_cast<size_t>(x_cost_categories_)] = *canonical;
  }
  return EffectiveCost(fields, type, &values[FocusIndex("EffectiveCost")], reason);
}

}  // namespace plinth::cost
