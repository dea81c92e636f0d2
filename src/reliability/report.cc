#include "reliability/report.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include <date/date.h>

#include "base/time.h"
#include "catalog/repository.h"
#include "reliability/sli_store.h"

namespace plinth::reliability {

namespace {

using slo::kMinuteMs;

int64_t UtcMs(int year, unsigned month) {
  date::sys_days d = date::year{year} / date::month{month} / date::day{1};
  return int64_t{d.time_since_epoch().count()} * 86400 * 1000;
}

bool Digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The shortest decimal that reads back as `v`: 0.999, 0.99912345, -0.25.
std::string Number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

// Tiers sort ascending; absent last.
bool TierLess(const std::optional<int>& a, const std::optional<int>& b) {
  if (a.has_value() != b.has_value()) return a.has_value();
  return a && *a < *b;
}

Json OptionalJson(const std::optional<double>& v) {
  return v && std::isfinite(*v) ? Json(*v) : Json(nullptr);
}

}  // namespace

Result<ReportPeriod> ParseReportPeriod(std::string_view text) {
  auto invalid = [&] {
    return Error::Field("/period", "period: expected a month such as 2026-11 or a quarter such as "
                                   "2026Q4 (got \"" + std::string(text) + "\")");
  };
  if (text.size() < 6 || !Digits(text.substr(0, 4))) return invalid();
  int year = std::stoi(std::string(text.substr(0, 4)));
  if (year < 1970) return invalid();
  std::string_view rest = text.substr(4);
  unsigned first_month = 0, months = 0;
  if (rest.size() == 3 && rest[0] == '-' && Digits(rest.substr(1))) {
    first_month = static_cast<unsigned>(std::stoi(std::string(rest.substr(1))));
    months = 1;
  } else if (rest.size() == 2 && rest[0] == 'Q' && rest[1] >= '1' && rest[1] <= '4') {
    first_month = static_cast<unsigned>(rest[1] - '1') * 3 + 1;
    months = 3;
  }
  if (months == 0 || first_month < 1 || first_month > 12) return invalid();
  int end_year = year + (first_month + months > 12 ? 1 : 0);
  unsigned end_month = (first_month + months - 1) % 12 + 1;
  return ReportPeriod{std::string(text), UtcMs(year, first_month), UtcMs(end_year, end_month)};
}

SloAttainment EvaluatePeriod(const slo::SloDefinition& def, const slo::MinuteSeries& series,
                             const ReportPeriod& period, int64_t now_ms) {
  slo::WindowBounds bounds;
  bounds.start_minute = period.from_ms / kMinuteMs;
  bounds.period_end_minute = period.to_ms / kMinuteMs;
  bounds.end_minute = std::clamp(slo::FloorDiv(now_ms, kMinuteMs), bounds.start_minute,
                                 bounds.period_end_minute);
  slo::BudgetStatus st = slo::EvaluateIn(def.params, series, bounds);

  SloAttainment out;
  out.slo = def.name;
  out.title = def.title;
  out.objective = def.params.objective;
  out.attainment = st.attainment;
  if (st.attainment) out.met = *st.attainment >= def.params.objective;
  out.budget_remaining = st.remaining_ratio;
  return out;
}

Result<AttainmentReport> BuildReport(store::Tx& tx, const ReportPeriod& period, int64_t now_ms) {
  AttainmentReport report;
  report.period = period;
  PLINTH_ASSIGN_OR_RETURN(auto slos, catalog::All(tx, "SLO"));
  std::map<std::string, ServiceAttainment> services;
  for (const auto& entity : slos) {
    slo::SloDefinition def = slo::FromDocument(entity.doc);
    auto [it, fresh] = services.try_emplace(def.service);
    ServiceAttainment& svc = it->second;
    if (fresh) {
      svc.service = def.service;
      auto s = catalog::Get(tx, "Service", def.service);
      if (s.ok()) {
        const Json& spec = s->doc["spec"];
        if (spec.contains("owner")) svc.team = spec["owner"].get<std::string>();
        if (spec.contains("tier")) svc.tier = spec["tier"].get<int>();
      } else if (s.error().code != ErrorCode::kNotFound) {
        return std::move(s).error();
      }
    }
    PLINTH_ASSIGN_OR_RETURN(auto points, LoadMinutes(tx, def.name, period.from_ms / kMinuteMs,
                                                     period.to_ms / kMinuteMs));
    std::optional<slo::SliceSpec> slices;
    if (def.params.timeslices()) slices = def.params.slice;
    PLINTH_ASSIGN_OR_RETURN(auto series, slo::MinuteSeries::Build(points, slices));
    svc.slos.push_back(EvaluatePeriod(def, series, period, now_ms));
  }

  for (auto& [name, svc] : services) report.services.push_back(std::move(svc));
  std::stable_sort(report.services.begin(), report.services.end(),
                   [](const auto& a, const auto& b) { return TierLess(a.tier, b.tier); });

  for (const auto& svc : report.services) {
    if (report.tiers.empty() || report.tiers.back().tier != svc.tier) {
      report.tiers.push_back({svc.tier});
    }
    TierSummary& t = report.tiers.back();
    for (const auto& s : svc.slos) {
      ++t.slos;
      if (!s.met) {
        ++t.no_data;
      } else if (*s.met) {
        ++t.met;
      } else {
        ++t.missed;
      }
    }
  }
  return report;
}

Json ReportJson(const AttainmentReport& report) {
  Json services = Json::array();
  for (const auto& svc : report.services) {
    Json slos = Json::array();
    for (const auto& s : svc.slos) {
      slos.push_back({{"slo", s.slo},
                      {"title", s.title},
                      {"objective", s.objective},
                      {"attainment", OptionalJson(s.attainment)},
                      {"met", s.met ? Json(*s.met) : Json(nullptr)},
                      {"budget_remaining", OptionalJson(s.budget_remaining)}});
    }
    services.push_back({{"service", svc.service},
                        {"team", svc.team.empty() ? Json(nullptr) : Json(svc.team)},
                        {"tier", svc.tier ? Json(*svc.tier) : Json(nullptr)},
                        {"slos", std::move(slos)}});
  }
  Json tiers = Json::array();
  for (const auto& t : report.tiers) {
    tiers.push_back({{"tier", t.tier ? Json(*t.tier) : Json(nullptr)},
                     {"slos", t.slos},
                     {"met", t.met},
                     {"missed", t.missed},
                     {"no_data", t.no_data}});
  }
  return {{"period", report.period.label},
          {"from", FormatRfc3339(report.period.from_ms)},
          {"to", FormatRfc3339(report.period.to_ms)},
          {"services", std::move(services)},
          {"tiers", std::move(tiers)}};
}

namespace {

// A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string OptionalNumber(const std::optional<double>& v) {
  return v && std::isfinite(*v) ? Number(*v) : "";
}

}  // namespace

std::string ReportCsv(const AttainmentReport& report) {
  std::string out = "service,team,tier,slo,objective,attainment,met,budget_remaining\r\n";
  for (const auto& svc : report.services) {
    for (const auto& s : svc.slos) {
      out += CsvField(svc.service) + "," + CsvField(svc.team) + "," +
             (svc.tier ? std::to_string(*svc.tier) : "") + "," + CsvField(s.slo) + "," +
             Number(s.objective) + "," + OptionalNumber(s.attainment) + "," +
             (s.met ? (*s.met ? "true" : "false") : "") + "," +
             OptionalNumber(s.budget_remaining) + "\r\n";
    }
  }
  return out;
}

}  // namespace plinth::reliability
