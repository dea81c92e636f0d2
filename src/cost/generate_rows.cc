// The generator's row writers: usage rows from pre-formatted fragments (the hot path), and the
// few rows per day or month written cell by cell (support fee, savings plan fee and unused
// commitment).

#include "cost/generate_rows.h"

#include <cmath>
#include <cstdio>

namespace plinth::cost::gen {
namespace {

constexpr size_t Col(std::string_view name) {
  for (size_t i = 0; i < kColumns.size(); ++i) {
    if (kColumns[i] == name) return i;
  }
  return kColumns.size();  // not a column: out of range, caught by the tests
}

// Rounded half up; REQUIRES: n >= 0, d > 0.
int64_t RoundDiv(Int128 n, int64_t d) { return static_cast<int64_t>((n + d / 2) / d); }

constexpr std::string_view kIssuer = "Amazon Web Services EMEA SARL";
constexpr std::string_view kSpType = "Compute Savings Plans";
constexpr std::string_view kSpService = "Savings Plans for AWS Compute usage";

}  // namespace

Emitter::Emitter(const OrgSpec& spec, RowBuffer& buf, std::vector<Billing>& billing,
                 GenerateStats& stats)
    : spec_(spec),
      buf_(buf),
      billing_(billing),
      stats_(stats),
      sp_discount_ppm_(std::llround(spec.savings_plan_discount * 1e6)) {}

void Emitter::Header() {
  std::string header;
  for (auto c : kColumns) {
    if (!header.empty()) header += ',';
    header += c;
  }
  header += '\n';
  buf_.Reserve(header.size());
  buf_.Put(header);
}

int64_t Emitter::Usage(Resource& r, double cost_usd, size_t max_row, std::string_view month_block,
                       std::string_view period_block) {
  Billing& b = billing_[size_t(r.billing)];
  const double qty = cost_usd * double(kUnitsPerUsd) / double(r.list_price);
  const int64_t qty_micro =
      r.whole_quantities ? std::llround(qty) * 1'000'000 : std::llround(qty * 1e6);
  const int64_t list = RoundDiv(Int128(r.list_price) * qty_micro, 1'000'000);
  const int64_t contracted = RoundDiv(Int128(r.contracted_price) * qty_micro, 1'000'000);
  int64_t billed = contracted, eff = contracted;
  bool covered = false;
  if (r.savings_plan && b.sp_budget > 0) {
    const int64_t e = RoundDiv(Int128(contracted) * (1'000'000 - sp_discount_ppm_), 1'000'000);
    if (e <= b.sp_remaining) {
      covered = true;
      b.sp_remaining -= e;
      billed = 0;
      eff = e;
    }
  }
  buf_.Reserve(max_row);
  buf_.Put(r.head);
  buf_.PutFixed(billed, 10);
  buf_.Put(b.block);
  buf_.Put(month_block);
  buf_.Put(r.mid);
  buf_.Put(period_block);
  if (covered) {
    buf_.Put(b.sp_block);
    buf_.PutFixed(eff, 10);
    buf_.Put(",Used,Compute Savings Plans,USD,");
  } else {
    buf_.Put("NULL,NULL,NULL,NULL,NULL,NULL,NULL,");
  }
  buf_.PutFixed(qty_micro, 6);
  buf_.Put(r.unit_block);
  buf_.PutFixed(contracted, 10);
  buf_.Put(',');
  buf_.Put(r.cup);
  buf_.Put(',');
  buf_.PutFixed(eff, 10);
  buf_.Put(',');
  buf_.Put(b.invoice);
  buf_.Put(",Amazon Web Services EMEA SARL,");
  buf_.PutFixed(list, 10);
  buf_.Put(',');
  buf_.Put(r.lup);
  buf_.Put(covered ? ",Committed,USD," : ",Standard,USD,");
  buf_.Put(r.cup);
  buf_.Put(',');
  buf_.PutFixed(eff, 10);
  buf_.Put(',');
  buf_.Put(r.lup);
  buf_.Put(',');
  buf_.PutFixed(qty_micro, 6);
  buf_.Put(',');
  buf_.Put(r.tail1);
  buf_.Put(r.resource_id);
  buf_.Put(r.tail2);
  b.billed += billed;
  b.effective += eff;
  b.list += list;
  b.contracted += contracted;
  ++b.rows;
  ++stats_.rows;
  return eff;
}

Emitter::Cells Emitter::BaseCells(const Billing& b) const {
  Cells c;
  c.fill("NULL");
  c[Col("BillingAccountId")] = CsvField(b.spec->id);
  c[Col("BillingAccountName")] = CsvField(b.spec->name);
  c[Col("BillingAccountType")] = "Billing Account";
  c[Col("BillingCurrency")] = "USD";
  c[Col("BillingPeriodEnd")] = month_end_;
  c[Col("BillingPeriodStart")] = month_start_;
  c[Col("InvoiceId")] = b.invoice;
  c[Col("InvoiceIssuerName")] = kIssuer;
  c[Col("PricingCurrency")] = "USD";
  c[Col("ProviderName")] = "AWS";
  c[Col("PublisherName")] = "\"Amazon Web Services, Inc.\"";
  c[Col("SubAccountId")] = CsvField(b.spec->id);
  c[Col("SubAccountName")] = CsvField(b.spec->name);
  c[Col("SubAccountType")] = "Linked Account";
  return c;
}

void Emitter::Write(Billing& b, const Cells& cells, int64_t billed, int64_t effective, int64_t list,
                    int64_t contracted) {
  size_t size = cells.size();
  for (const auto& cell : cells) size += cell.size();
  buf_.Reserve(size);
  for (size_t i = 0; i < cells.size(); ++i) {
    buf_.Put(cells[i]);
    buf_.Put(i + 1 < cells.size() ? ',' : '\n');
  }
  b.billed += billed;
  b.effective += effective;
  b.list += list;
  b.contracted += contracted;
  ++b.rows;
  ++stats_.rows;
}

void Emitter::StartMonth(int64_t start, int64_t next, int64_t end, int yy, int month) {
  month_start_ = FormatTime(start);
  month_end_ = FormatTime(next);
  for (auto& b : billing_) {
    char invoice[32];
    std::snprintf(
        invoice, sizeof invoice, "EUINDE%02d-%07llu", yy,
        static_cast<unsigned long long>(
            Mix(spec_.seed ^ HashString(b.spec->id) ^ uint64_t(yy * 12 + month)) % 10'000'000));
    b.invoice = invoice;
    if (b.spec->support_monthly > 0) {
      const int64_t fee = std::llround(b.spec->support_monthly * 100) * (kUnitsPerUsd / 100);
      const std::string f = FormatFixed(fee, 10);
      Cells c = BaseCells(b);
      c[Col("BilledCost")] = c[Col("EffectiveCost")] = c[Col("ListCost")] =
          c[Col("ContractedCost")] = c[Col("PricingCurrencyEffectiveCost")] = f;
      c[Col("ListUnitPrice")] = c[Col("ContractedUnitPrice")] =
          c[Col("PricingCurrencyListUnitPrice")] = c[Col("PricingCurrencyContractedUnitPrice")] =
              FormatUnits(fee);
      c[Col("ChargeCategory")] = "Purchase";
      c[Col("ChargeDescription")] = "AWS Support (Business) monthly fee";
      c[Col("ChargeFrequency")] = "Recurring";
      c[Col("ChargePeriodEnd")] = month_end_;
      c[Col("ChargePeriodStart")] = month_start_;
      c[Col("PricingCategory")] = "Standard";
      c[Col("PricingQuantity")] = "1";
      c[Col("PricingUnit")] = "Months";
      c[Col("ServiceCategory")] = "Management and Governance";
      c[Col("ServiceName")] = "AWS Support (Business)";
      c[Col("ServiceSubcategory")] = "Support";
      c[Col("SkuId")] = "KRN2YF5MSLJQ7QPT";
      c[Col("SkuMeter")] = "Dollar";
      c[Col("SkuPriceId")] = "KRN2YF5MSLJQ7QPT.JRTCKXETXF.6YS6EN2CT7";
      Write(b, c, fee, fee, fee, fee);
    }
    if (b.sp_hourly > 0) {
      const int64_t hours = (end - start) / 3600;
      const int64_t fee = b.sp_hourly * hours;
      Cells c = BaseCells(b);
      c[Col("BilledCost")] = FormatFixed(fee, 10);
      c[Col("EffectiveCost")] = c[Col("ListCost")] = c[Col("ContractedCost")] =
          c[Col("PricingCurrencyEffectiveCost")] = FormatFixed(0, 10);
      c[Col("ChargeCategory")] = "Purchase";
      c[Col("ChargeDescription")] =
          "Compute Savings Plan recurring fee ($" + FormatUnits(b.sp_hourly) + " per hour)";
      c[Col("ChargeFrequency")] = "Recurring";
      c[Col("ChargePeriodEnd")] = FormatTime(end);
      c[Col("ChargePeriodStart")] = month_start_;
      c[Col("CommitmentDiscountCategory")] = "Spend";
      c[Col("CommitmentDiscountId")] = b.sp_arn;
      c[Col("CommitmentDiscountName")] = b.sp_name;
      c[Col("CommitmentDiscountQuantity")] = FormatFixed(fee, 10);
      c[Col("CommitmentDiscountType")] = kSpType;
      c[Col("CommitmentDiscountUnit")] = "USD";
      c[Col("PricingCategory")] = "Standard";
      c[Col("PricingQuantity")] = std::to_string(hours);
      c[Col("PricingUnit")] = "Hours";
      c[Col("ResourceId")] = b.sp_arn;
      c[Col("ResourceName")] = b.sp_name;
      c[Col("ResourceType")] = "Savings Plan";
      c[Col("ServiceCategory")] = "Compute";
      c[Col("ServiceName")] = kSpService;
      c[Col("ServiceSubcategory")] = "Other (Compute)";
      Write(b, c, fee, 0, 0, 0);
    }
  }
}

void Emitter::Unused(Billing& b, int64_t period_start, int64_t period_len) {
  if (b.sp_budget == 0 || b.sp_remaining <= 0) return;
  const int64_t unused = b.sp_remaining;
  const std::string u = FormatFixed(unused, 10);
  Cells c = BaseCells(b);
  c[Col("BilledCost")] = c[Col("ListCost")] = c[Col("ContractedCost")] = FormatFixed(0, 10);
  c[Col("EffectiveCost")] = c[Col("PricingCurrencyEffectiveCost")] = u;
  c[Col("ChargeCategory")] = "Usage";
  c[Col("ChargeDescription")] = "Unused Compute Savings Plan commitment";
  c[Col("ChargeFrequency")] = "Usage-Based";
  c[Col("ChargePeriodEnd")] = FormatTime(period_start + period_len);
  c[Col("ChargePeriodStart")] = FormatTime(period_start);
  c[Col("CommitmentDiscountCategory")] = "Spend";
  c[Col("CommitmentDiscountId")] = b.sp_arn;
  c[Col("CommitmentDiscountName")] = b.sp_name;
  c[Col("CommitmentDiscountQuantity")] = u;
  c[Col("CommitmentDiscountStatus")] = "Unused";
  c[Col("CommitmentDiscountType")] = kSpType;
  c[Col("CommitmentDiscountUnit")] = "USD";
  c[Col("PricingCategory")] = "Committed";
  c[Col("ResourceId")] = b.sp_arn;
  c[Col("ResourceName")] = b.sp_name;
  c[Col("ResourceType")] = "Savings Plan";
  c[Col("ServiceCategory")] = "Compute";
  c[Col("ServiceName")] = kSpService;
  c[Col("ServiceSubcategory")] = "Other (Compute)";
  Write(b, c, 0, unused, 0, 0);
  b.sp_remaining = 0;
}

}  // namespace plinth::cost::gen
