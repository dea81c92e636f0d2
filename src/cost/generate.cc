#include "cost/generate.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "cost/generate_format.h"
#include "cost/generate_products.h"
#include "cost/generate_rows.h"

namespace plinth::cost {

const std::array<std::string_view, 57> kFocus12Columns = gen::kColumns;

namespace {

using gen::Billing;
using gen::Group;
using gen::Resource;

double Growth(double monthly, int64_t day) {
  return std::pow(1 + monthly, static_cast<double>(day) / 30.4375);
}

Status Validate(const OrgSpec& spec, std::map<std::string, std::pair<int, int>>* accounts) {
  if (spec.billing_accounts.empty()) return Error::Invalid("no billing account");
  for (size_t b = 0; b < spec.billing_accounts.size(); ++b) {
    const auto& ba = spec.billing_accounts[b];
    if (ba.id.empty()) return Error::Invalid("a billing account without an id");
    for (size_t s = 0; s < ba.sub_accounts.size(); ++s) {
      if (!accounts->emplace(ba.sub_accounts[s].id, std::pair{int(b), int(s)}).second) {
        return Error::Invalid("sub-account \"" + ba.sub_accounts[s].id + "\" listed twice");
      }
    }
  }
  int64_t y;
  unsigned m, d;
  gen::CivilFromDays(spec.start_s / 86400, &y, &m, &d);
  if (spec.start_s % 86400 != 0 || d != 1) {
    return Error::Invalid("start " + gen::FormatTime(spec.start_s) + " is not a month start");
  }
  if (spec.months < 1) return Error::Invalid("months must be at least 1");
  if (spec.end_s != 0 && (spec.end_s <= spec.start_s || spec.end_s % 86400 != 0)) {
    return Error::Invalid("end must be a UTC midnight after the start");
  }
  auto check_account = [&](const std::string& who, const std::string& id) -> Status {
    if (!accounts->contains(id))
      return Error::Invalid(who + ": unknown sub-account \"" + id + "\"");
    return {};
  };
  auto check_region = [&](const std::string& who, const std::string& id) -> Status {
    if (!gen::FindRegion(id)) return Error::Invalid(who + ": unknown region \"" + id + "\"");
    return {};
  };
  for (const auto& svc : spec.services) {
    const std::string who = "service \"" + svc.name + "\"";
    if (svc.sub_accounts.empty() || svc.regions.empty() || svc.mix.empty()) {
      return Error::Invalid(who + ": needs sub-accounts, regions and a product mix");
    }
    for (const auto& a : svc.sub_accounts) PLINTH_RETURN_IF_ERROR(check_account(who, a));
    for (const auto& r : svc.regions) PLINTH_RETURN_IF_ERROR(check_region(who, r));
    if (svc.daily_cost < 0 || svc.resources < 0) return Error::Invalid(who + ": negative size");
  }
  for (const auto& u : spec.untagged) {
    PLINTH_RETURN_IF_ERROR(check_account("untagged \"" + u.name + "\"", u.sub_account));
    PLINTH_RETURN_IF_ERROR(check_region("untagged \"" + u.name + "\"", u.region));
  }
  if (!spec.platform_sub_account.empty()) {
    PLINTH_RETURN_IF_ERROR(check_account("platform", spec.platform_sub_account));
  }
  if (spec.anomaly) {
    auto it = std::find_if(spec.services.begin(), spec.services.end(),
                           [&](const GenService& s) { return s.name == spec.anomaly->service; });
    if (it == spec.services.end()) {
      return Error::Invalid("anomaly: unknown service \"" + spec.anomaly->service + "\"");
    }
    if (std::none_of(it->mix.begin(), it->mix.end(),
                     [&](const ProductShare& p) { return p.product == spec.anomaly->product; })) {
      return Error::Invalid("anomaly: the product is not in the mix of \"" + it->name + "\"");
    }
    if (spec.anomaly->days < 1) return Error::Invalid("anomaly: days must be at least 1");
  }
  return {};
}

int64_t DayCount(const OrgSpec& spec) {
  int64_t y;
  unsigned m, d;
  gen::CivilFromDays(spec.start_s / 86400, &y, &m, &d);
  int64_t months = int64_t(m) - 1 + spec.months;
  int64_t end_days = gen::DaysFromCivil(y + months / 12, unsigned(months % 12) + 1, 1);
  int64_t days = end_days - spec.start_s / 86400;
  if (spec.end_s > 0) days = std::min(days, (spec.end_s - spec.start_s) / 86400);
  return days;
}

}  // namespace

std::optional<GenWindow> AnomalyWindow(const OrgSpec& spec) {
  if (!spec.anomaly) return std::nullopt;
  int64_t from = spec.start_s + int64_t(spec.anomaly->start_day) * 86400;
  return GenWindow{from, from + int64_t(spec.anomaly->days) * 86400};
}

Result<GenerateStats> GenerateFocus(const OrgSpec& spec, std::ostream& out) {
  std::map<std::string, std::pair<int, int>> accounts;
  PLINTH_RETURN_IF_ERROR(Validate(spec, &accounts));
  const int64_t days = DayCount(spec);
  const int periods = spec.hourly ? 24 : 1;

  std::vector<Billing> billing = gen::MakeBilling(spec);
  std::vector<Group> groups = gen::MakeGroups(spec, days);
  std::vector<Resource> resources = gen::MakeResources(spec, accounts, groups);
  size_t max_billing = 0, max_row = 0;
  for (const auto& b : billing)
    max_billing = std::max(max_billing, b.block.size() + b.sp_block.size());
  for (const auto& r : resources) max_row = std::max(max_row, r.max_len + max_billing);

  GenerateStats stats;
  stats.days = days;
  std::vector<Int128> service_daily(spec.services.size() * size_t(days), 0);
  gen::RowBuffer buf(out);
  gen::Emitter emit(spec, buf, billing, stats);
  emit.Header();

  gen::SplitMix rng(spec.seed ^ 0x5eed5eed5eed5eedULL);
  const auto anomaly = AnomalyWindow(spec);
  std::string month_block, period_block;
  unsigned month = 0;
  for (int64_t d = 0; d < days; ++d) {
    const int64_t day_s = spec.start_s + d * 86400;
    int64_t y;
    unsigned m, dom;
    gen::CivilFromDays(day_s / 86400, &y, &m, &dom);
    if (m != month) {
      month = m;
      const int64_t month_start = day_s;
      const int64_t next = gen::DaysFromCivil(y + (m == 12), m == 12 ? 1 : m + 1, 1) * 86400;
      const int64_t month_end = std::min(next, spec.start_s + days * 86400);
      month_block = gen::FormatTime(next) + "," + gen::FormatTime(month_start);
      emit.StartMonth(month_start, next, month_end, int(y % 100), int(m));
    }
    const int64_t wd = (day_s / 86400 + 4) % 7;  // 0 = Sunday
    const bool weekend = wd == 0 || wd == 6;
    const bool anomalous = anomaly && day_s >= anomaly->from_s && day_s < anomaly->to_s;
    for (auto& g : groups) {
      double f = g.untagged ? 1 : Growth(g.growth, d);
      if (g.elastic && weekend) f *= spec.weekend_factor;
      if (g.anomaly && anomalous) f *= spec.anomaly->multiplier;
      g.factor = f;
      g.active = g.scales_out ? std::min(g.slots, gen::ActiveSlots(g.n0, f)) : g.slots;
      g.per_active = g.share_cost * f / g.active;
    }
    for (int h = 0; h < periods; ++h) {
      const int64_t ps = day_s + h * (spec.hourly ? 3600 : 86400);
      period_block =
          gen::FormatTime(ps + (spec.hourly ? 3600 : 86400)) + "," + gen::FormatTime(ps) + ",";
      for (auto& b : billing) b.sp_remaining = b.sp_budget;
      for (auto& r : resources) {
        const Group& g = groups[r.group];
        if (d < r.start_day || r.slot >= g.active) continue;
        double cost = g.scales_out ? g.per_active : r.unit_cost * g.factor;
        if (!g.untagged) cost *= 1 + spec.noise * (2 * rng.Unit() - 1);  // forgotten: flat
        if (spec.hourly) cost /= 24;
        if (r.churns)
          r.Churn(d, &stats.resources);
        else if (r.first) {
          r.first = false;
          ++stats.resources;
        }
        int64_t eff = emit.Usage(r, cost, max_row, month_block, period_block);
        if (r.service >= 0) service_daily[size_t(r.service) * size_t(days) + size_t(d)] += eff;
      }
      for (auto& b : billing) emit.Unused(b, ps, spec.hourly ? 3600 : 86400);
    }
  }
  if (!buf.Flush()) return Error::Internal("writing the FOCUS file failed");
  for (size_t b = 0; b < billing.size(); ++b) stats.totals.push_back(billing[b].Total());
  stats.service_daily.resize(spec.services.size());
  for (size_t s = 0; s < spec.services.size(); ++s) {
    for (int64_t d = 0; d < days; ++d) {
      stats.service_daily[s].push_back(
          gen::UnitsToAmount(service_daily[s * size_t(days) + size_t(d)]));
    }
  }
  return stats;
}

}  // namespace plinth::cost
