// Builds the generator's billing accounts, product groups and resources from an OrgSpec.

#include <algorithm>
#include <cmath>
#include <numeric>

#include "cost/generate_rows.h"

namespace plinth::cost::gen {
namespace {

std::string Hex16(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[size_t(i)] = kDigits[v & 15];
  return s;
}

std::string UpperAlnum(uint64_t key, size_t n) {  // AWS-style SKU and zone ids
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string s;
  uint64_t v = Mix(key);
  for (size_t i = 0; i < n; ++i) {
    if (i == 12) v = Mix(key + 1);
    s += kChars[v % 36];
    v /= 36;
  }
  return s;
}

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

bool Zonal(CloudProduct p) {
  switch (p) {
    case CloudProduct::kEc2Instance:
    case CloudProduct::kGpuInstance:
    case CloudProduct::kEbsVolume:
    case CloudProduct::kRdsInstance:
    case CloudProduct::kElastiCache:
    case CloudProduct::kNatGateway:
    case CloudProduct::kOpenSearch:
    case CloudProduct::kMskCluster:
    case CloudProduct::kRedshift:
      return true;
    default:
      return false;
  }
}

constexpr std::string_view kSlugs[] = {"ec2", "gpu", "ebs",    "s3",    "rds", "ddb", "cache",
                                       "fn",  "alb", "nat",    "tgw",   "cdn", "dns", "logs",
                                       "sqs", "eks", "search", "kafka", "dwh", "ecr"};

// A group's growth and weekday factor on each day (the anomaly left out).
std::vector<double> DayFactors(const OrgSpec& spec, const Group& g, int64_t days) {
  std::vector<double> out;
  for (int64_t d = 0; d < days; ++d) {
    double f = std::pow(1 + g.growth, double(d) / 30.4375);
    int64_t wd = (spec.start_s / 86400 + d + 4) % 7;
    if (g.elastic && (wd == 0 || wd == 6)) f *= spec.weekend_factor;
    out.push_back(f);
  }
  return out;
}

}  // namespace

Amount UnitsToAmount(Int128 units) { return Amount::FromUnits(units * 100'000'000); }

GenAccountTotal Billing::Total() const {
  return {spec->id,
          UnitsToAmount(billed),
          UnitsToAmount(effective),
          UnitsToAmount(list),
          UnitsToAmount(contracted),
          rows};
}

std::vector<Billing> MakeBilling(const OrgSpec& spec) {
  std::vector<Billing> out;
  for (const auto& ba : spec.billing_accounts) {
    Billing b;
    b.spec = &ba;
    b.block = "," + CsvField(ba.id) + "," + CsvField(ba.name) + ",Billing Account,USD,";
    if (ba.savings_plan_hourly > 0) {
      uint64_t k = Mix(spec.seed ^ HashString(ba.id));
      std::string h = Hex16(k) + Hex16(Mix(k));
      b.sp_arn = "arn:aws:savingsplans::" + ba.id + ":savingsplan/" + h.substr(0, 8) + "-" +
                 h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
                 h.substr(20, 12);
      b.sp_name = "compute-savings-plan-1yr-no-upfront";
      b.sp_block = "Spend," + b.sp_arn + "," + b.sp_name + ",";
      b.sp_hourly = std::llround(ba.savings_plan_hourly * 100) * (kUnitsPerUsd / 100);
      b.sp_budget = b.sp_hourly * (spec.hourly ? 1 : 24);
    }
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<Group> MakeGroups(const OrgSpec& spec, int64_t days) {
  std::vector<Group> groups;
  for (size_t s = 0; s < spec.services.size(); ++s) {
    const GenService& svc = spec.services[s];
    double total_weight = 0;
    for (const auto& p : svc.mix) total_weight += p.weight;
    const size_t first = groups.size();
    for (const auto& p : svc.mix) {
      const ProductInfo& info = Info(p.product);
      Group g;
      g.service = int(s);
      g.product = p.product;
      g.share_cost = total_weight > 0 ? svc.daily_cost * p.weight / total_weight : 0;
      g.growth = svc.monthly_growth;
      g.elastic = info.elastic;
      g.scales_out = info.unit == "Hours";  // fleets grow by adding instances
      g.anomaly =
          spec.anomaly && spec.anomaly->service == svc.name && spec.anomaly->product == p.product;
      if (svc.resources == 0) {  // sized like a real fleet: instances run most of the day
        double per = info.unit == "Hours" ? double(info.list_price) / kUnitsPerUsd * 24 * 0.85 : 40;
        g.n0 = std::max(1, int(std::lround(g.share_cost / per)));
      } else {
        g.n0 = std::max(1, int(svc.resources * p.weight / std::max(total_weight, 1e-9)));
      }
      groups.push_back(g);
    }
    if (svc.resources > 0) {  // hand out what rounding left, largest share first
      int given = 0;
      for (size_t i = first; i < groups.size(); ++i) given += groups[i].n0;
      for (size_t i = first; given < svc.resources; i = i + 1 < groups.size() ? i + 1 : first) {
        ++groups[i].n0;
        ++given;
      }
    }
  }
  int untagged_rows = 0;
  for (const auto& u : spec.untagged) {
    Group g;
    g.untagged = true;
    g.product = u.product;
    g.share_cost = u.daily_cost;
    g.scales_out = Info(u.product).unit == "Hours";
    g.n0 = std::max(1, u.resources);
    untagged_rows += g.n0;
    groups.push_back(g);
  }
  if (spec.rows_per_day > 0) {
    // Find the scale whose rounded resource counts give the wanted rows per day on average
    // (scale-out fleets run more instances as they grow and fewer on weekends).
    const int periods = spec.hourly ? 24 : 1;
    const int sb_rows = std::count_if(spec.billing_accounts.begin(), spec.billing_accounts.end(),
                                      [](const auto& b) { return b.savings_plan_hourly > 0; });
    const double want = double(spec.rows_per_day) / periods - untagged_rows - sb_rows;
    std::vector<std::vector<double>> factors;  // per scale-out group, per day
    for (const auto& g : groups)
      factors.push_back(g.scales_out ? DayFactors(spec, g, days) : std::vector<double>{});
    // Each group rounds at its own offset, so the counts do not all step up at the same scale.
    auto scaled = [&](size_t i, double k) {
      const double offset = std::fmod(0.5 + double(i) * 0.6180339887, 1.0);
      return std::max(1.0, std::floor(groups[i].n0 * k + offset));
    };
    auto rows_at = [&](double k) {
      double rows = 0;
      for (size_t i = 0; i < groups.size(); ++i) {
        if (groups[i].untagged) continue;
        const double n = scaled(i, k);
        if (factors[i].empty()) {
          rows += n;
          continue;
        }
        double sum = 0;
        for (double f : factors[i]) sum += ActiveSlots(n, f);
        rows += sum / double(factors[i].size());
      }
      return rows;
    };
    double lo = 0, hi = 1;
    while (rows_at(hi) < want && hi < 1e9) hi *= 2;
    for (int i = 0; i < 60; ++i) (rows_at((lo + hi) / 2) < want ? lo : hi) = (lo + hi) / 2;
    const double k = std::abs(rows_at(lo) - want) < std::abs(rows_at(hi) - want) ? lo : hi;
    for (size_t i = 0; i < groups.size(); ++i) {
      if (!groups[i].untagged) groups[i].n0 = int(scaled(i, k));
    }
  }
  for (auto& g : groups) {
    g.slots = g.n0;
    if (g.scales_out) {
      double peak = std::pow(1 + g.growth, double(days) / 30.4375);
      if (g.anomaly) peak *= std::max(1.0, spec.anomaly->multiplier);
      g.slots = std::max(g.n0, int(std::ceil(g.n0 * peak)));
    }
  }
  return groups;
}

void Resource::Churn(int64_t day, int64_t* ids) {
  int64_t gen = (day + phase) / lifetime;
  if (gen == generation) return;
  generation = gen;
  resource_id = id_prefix + Hex16(Mix(key ^ (uint64_t(gen) * 0x9e3779b97f4a7c15ULL))) + id_suffix;
  ++*ids;
}

std::vector<Resource> MakeResources(const OrgSpec& spec,
                                    const std::map<std::string, std::pair<int, int>>& accounts,
                                    const std::vector<Group>& groups) {
  std::vector<Resource> out;
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& g = groups[gi];
    const ProductInfo& info = Info(g.product);
    const GenService* svc = g.untagged ? nullptr : &spec.services[size_t(g.service)];
    const GenUntagged* un =
        g.untagged ? &spec.untagged[gi - (groups.size() - spec.untagged.size())] : nullptr;
    const std::string& owner = svc ? svc->name : un->name;
    std::vector<double> weights;
    for (int i = 0; i < g.slots; ++i) {
      weights.push_back(0.5 +
                        Mix(spec.seed ^ HashString(owner) ^ (uint64_t(gi) << 32) ^ uint64_t(i)) %
                            1000 / 1000.0);
    }
    const double weight_sum = std::accumulate(weights.begin(), weights.begin() + g.n0, 0.0);
    for (int i = 0; i < g.slots; ++i) {
      Resource r;
      r.service = g.service;
      r.group = int(gi);
      r.slot = i;
      r.key = Mix(spec.seed ^ HashString(owner) ^ (uint64_t(g.product) << 40) ^ uint64_t(i) << 8);
      const std::string& account_id =
          svc ? svc->sub_accounts[size_t(i) % svc->sub_accounts.size()] : un->sub_account;
      const std::string& region_id =
          svc ? svc->regions[size_t(i) / svc->sub_accounts.size() % svc->regions.size()]
              : un->region;
      const auto [b, s] = accounts.at(account_id);
      const GenSubAccount& sub = spec.billing_accounts[size_t(b)].sub_accounts[size_t(s)];
      const RegionInfo& region = *FindRegion(region_id);
      r.billing = b;
      r.start_day = un ? un->start_day : 0;
      r.savings_plan = info.savings_plan;
      r.churns = info.churns;
      r.unit_cost = weight_sum > 0 ? g.share_cost * weights[size_t(i)] / weight_sum : 0;
      r.list_price = info.list_price;
      r.contracted_price = std::llround(double(info.list_price) * (1 - spec.negotiated_discount));
      r.whole_quantities = info.list_price < 100'000;
      r.lifetime = 20 + int(Mix(r.key + 1) % 70);
      r.phase = int(Mix(r.key + 2) % uint64_t(r.lifetime));

      const std::string name = svc ? svc->name + "-" + sub.environment + "-" +
                                         std::string(kSlugs[size_t(g.product)]) + "-" +
                                         std::to_string(i + 1)
                                   : un->name + "-" + std::to_string(i + 1);
      std::string id(info.id_pattern);
      id = Replace(id, "{r}", region.id);
      id = Replace(id, "{a}", sub.id);
      id = Replace(id, "{n}", name);
      id = Replace(id, "{H}", UpperAlnum(r.key + 3, 14));
      const size_t h = id.find("{h}");
      if (r.churns && h != std::string::npos) {
        r.id_prefix = id.substr(0, h);
        r.id_suffix = id.substr(h + 3);
      } else {
        r.churns = false;
        r.resource_id = Replace(id, "{h}", Hex16(Mix(r.key + 4)));
      }

      const bool regional = info.regional;
      r.head = (regional && Zonal(g.product)) ? std::string(region.id) + char('a' + i % 3) + ","
                                              : std::string("NULL,");
      r.lup = FormatUnits(r.list_price);
      r.cup = FormatUnits(r.contracted_price);
      r.mid = ",NULL,NULL,Usage,NULL," +
              CsvField(Replace(std::string(info.description), "{price}", "$" + r.lup)) +
              ",Usage-Based,";
      r.unit_block = "," + std::string(info.unit) + ",";
      r.tail1 = std::string(info.unit) + ",AWS,\"Amazon Web Services, Inc.\"," +
                (regional ? std::string(region.id) + "," + CsvField(region.name) : "NULL,NULL") +
                ",";
      const uint64_t sku_key = HashString(info.meter) ^ HashString(region.id) ^ uint64_t(g.product);
      const std::string sku = UpperAlnum(sku_key, 16);
      std::string details = "NULL";
      if (!info.variant.empty()) {
        std::string key = g.product == CloudProduct::kS3Bucket    ? "StorageClass"
                          : g.product == CloudProduct::kEbsVolume ? "VolumeType"
                                                                  : "InstanceType";
        details = CsvField(TagsJson({{key, std::string(info.variant)}}));
      }
      std::string tags = "NULL";
      if (svc) {
        std::vector<std::pair<std::string, std::string>> kv = {{"env", sub.environment},
                                                               {"service", svc->name}};
        if (!svc->product.empty()) kv.emplace_back("product", svc->product);
        if (svc->tag_team && !svc->team.empty()) kv.emplace_back("team", svc->team);
        tags = CsvField(TagsJson(std::move(kv)));
      }
      r.tail2 = "," + CsvField(name) + "," + CsvField(info.resource_type) + "," +
                CsvField(info.category) + "," + CsvField(info.service_name) + "," +
                CsvField(info.subcategory) + "," + sku + "," +
                (regional ? std::string(region.prefix) + "-" : std::string()) +
                std::string(info.meter) + "," + details + "," + sku + ".JRTCKXETXF." +
                UpperAlnum(sku_key + 7, 10) + "," + CsvField(sub.id) + "," + CsvField(sub.name) +
                ",Linked Account," + tags + "\n";
      r.max_len = r.head.size() + r.mid.size() + r.unit_block.size() + 2 * r.cup.size() +
                  2 * r.lup.size() + r.tail1.size() + r.id_prefix.size() + r.id_suffix.size() +
                  r.resource_id.size() + 16 + r.tail2.size() + 400;
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace plinth::cost::gen
