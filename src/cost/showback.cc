#include "cost/showback.h"

#include <date/date.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>

#include "cost/xlsx.h"

namespace plinth::cost {

namespace {

const Int128 kUnitsPerCent = Pow10(Amount::kScale - 2);

// The cent at or below `a` and what is left above it, in [0, kUnitsPerCent).
std::pair<int64_t, Int128> FloorCents(Amount a) {
  Int128 q = a.units() / kUnitsPerCent, r = a.units() % kUnitsPerCent;
  if (r < 0) {
    --q;
    r += kUnitsPerCent;
  }
  return {static_cast<int64_t>(q), r};
}

// Every pool name of the report, in order of first appearance.
std::vector<std::string> Pools(const AllocationReport& report) {
  std::vector<std::string> pools;
  for (const auto& m : report.months) {
    for (const auto& p : m.pools) {
      if (std::find(pools.begin(), pools.end(), p) == pools.end()) pools.push_back(p);
    }
  }
  return pools;
}

CentsMonth MonthCents(const AllocationMonth& m, const std::vector<std::string>& pools) {
  CentsMonth out;
  out.month_start_s = m.month_start_s;
  out.currency = m.currency;
  out.pools = pools;
  out.total = m.total.RoundedCents();
  out.coverage = m.Coverage();
  std::vector<Amount> parts;
  for (const auto& t : m.teams) {
    parts.push_back(t.direct);
    parts.insert(parts.end(), t.shared.begin(), t.shared.end());
  }
  parts.push_back(m.unallocated);
  std::vector<int64_t> cents = RoundToCents(parts, out.total);
  size_t next = 0;
  std::map<std::string, int64_t> direct;
  for (const auto& t : m.teams) {
    CentsTeam ct;
    ct.team = t.team;
    ct.direct = cents[next++];
    ct.shared.assign(pools.size(), 0);
    for (size_t i = 0; i < t.shared.size(); ++i) {
      size_t column = std::find(pools.begin(), pools.end(), m.pools[i]) - pools.begin();
      ct.shared[column] += cents[next++];
    }
    ct.shared_total = std::accumulate(ct.shared.begin(), ct.shared.end(), int64_t{0});
    ct.total = ct.direct + ct.shared_total;
    direct[t.team] = ct.direct;
    out.teams.push_back(std::move(ct));
  }
  out.unallocated = cents[next];
  // Each team's lines add up to its direct cost.
  for (size_t begin = 0; begin < m.lines.size();) {
    size_t end = begin;
    std::vector<Amount> amounts;
    while (end < m.lines.size() && m.lines[end].team == m.lines[begin].team) {
      amounts.push_back(m.lines[end++].cost);
    }
    std::vector<int64_t> line_cents = RoundToCents(amounts, direct[m.lines[begin].team]);
    for (size_t i = begin; i < end; ++i) {
      const AllocationLine& l = m.lines[i];
      out.lines.push_back({l.team, l.service, l.product, l.environment, line_cents[i - begin]});
    }
    begin = end;
  }
  std::vector<Amount> reasons;
  for (const auto& r : m.reasons) reasons.push_back(r.cost);
  std::vector<int64_t> reason_cents = RoundToCents(reasons, out.unallocated);
  for (size_t i = 0; i < m.reasons.size(); ++i) {
    out.reasons.emplace_back(m.reasons[i].reason, reason_cents[i]);
  }
  for (const auto& r : m.top_unallocated)
    out.top_unallocated.emplace_back(r, r.cost.RoundedCents());
  return out;
}

std::string Percent(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", value);
  std::string s = buf;
  return s == "-0.00" ? "0.00" : s;
}

std::string PercentOf(int64_t part, int64_t total) {
  return total == 0 ? "" : Percent(100.0 * static_cast<double>(part) / static_cast<double>(total));
}

XlsxCell Money(int64_t cents, bool bold = false) {
  return XlsxCell::Number(CentsText(cents), bold);
}

XlsxSheet ShowbackSheet(const std::vector<CentsMonth>& months,
                        const std::vector<std::string>& pools) {
  XlsxSheet sheet{"Showback", {"month", "currency", "team", "direct"}, {}};
  for (const auto& p : pools) sheet.header.push_back("shared:" + p);
  for (const char* h : {"shared", "total", "percent"}) sheet.header.push_back(h);
  for (const CentsMonth& m : months) {
    auto row = [&](const std::string& team, int64_t direct, const std::vector<int64_t>& shared,
                   int64_t shared_total, int64_t total, bool bold) {
      std::vector<XlsxCell> r = {XlsxCell::Text(MonthText(m.month_start_s), bold),
                                 XlsxCell::Text(m.currency, bold), XlsxCell::Text(team, bold),
                                 Money(direct, bold)};
      for (int64_t s : shared) r.push_back(Money(s, bold));
      r.push_back(Money(shared_total, bold));
      r.push_back(Money(total, bold));
      std::string pct = PercentOf(total, m.total);
      r.push_back(pct.empty() ? XlsxCell{} : XlsxCell::Number(pct, bold));
      sheet.rows.push_back(std::move(r));
    };
    std::vector<int64_t> pool_sums(pools.size(), 0);
    int64_t direct_sum = m.unallocated;
    for (const CentsTeam& t : m.teams) {
      row(t.team, t.direct, t.shared, t.shared_total, t.total, false);
      direct_sum += t.direct;
      for (size_t i = 0; i < pools.size(); ++i) pool_sums[i] += t.shared[i];
    }
    row("(unallocated)", m.unallocated, std::vector<int64_t>(pools.size(), 0), 0, m.unallocated,
        false);
    row("(total)", direct_sum, pool_sums, m.total - direct_sum, m.total, true);
  }
  return sheet;
}

XlsxSheet ChargebackSheet(const std::vector<CentsMonth>& months) {
  XlsxSheet sheet{"Chargeback", {"month", "currency", "team", "amount"}, {}};
  for (const CentsMonth& m : months) {
    auto row = [&](const std::string& team, int64_t cents) {
      sheet.rows.push_back({XlsxCell::Text(MonthText(m.month_start_s)), XlsxCell::Text(m.currency),
                            XlsxCell::Text(team), Money(cents)});
    };
    for (const CentsTeam& t : m.teams) row(t.team, t.total);
    row("(unallocated)", m.unallocated);
  }
  return sheet;
}

XlsxSheet BreakdownSheet(const std::vector<CentsMonth>& months) {
  XlsxSheet sheet{
      "Breakdown", {"month", "currency", "team", "service", "product", "environment", "cost"}, {}};
  for (const CentsMonth& m : months) {
    for (const CentsLine& l : m.lines) {
      sheet.rows.push_back({XlsxCell::Text(MonthText(m.month_start_s)), XlsxCell::Text(m.currency),
                            XlsxCell::Text(l.team), XlsxCell::Text(l.service),
                            XlsxCell::Text(l.product), XlsxCell::Text(l.environment),
                            Money(l.cents)});
    }
  }
  return sheet;
}

XlsxSheet UnallocatedSheet(const std::vector<CentsMonth>& months) {
  XlsxSheet sheet{
      "Unallocated",
      {"month", "currency", "resource_id", "resource_name", "service", "account", "reason", "cost"},
      {}};
  for (const CentsMonth& m : months) {
    for (const auto& [r, cents] : m.top_unallocated) {
      sheet.rows.push_back({XlsxCell::Text(MonthText(m.month_start_s)), XlsxCell::Text(m.currency),
                            XlsxCell::Text(r.resource_id), XlsxCell::Text(r.resource_name),
                            XlsxCell::Text(r.service), XlsxCell::Text(r.account),
                            XlsxCell::Text(r.reason), Money(cents)});
    }
  }
  return sheet;
}

// RFC 4180 text; a text cell that a spreadsheet would read as a formula (= + - @ first) gets a
// leading apostrophe, so opening the file never runs one.
std::string CsvField(const XlsxCell& cell) {
  std::string v = cell.value;
  if (cell.kind == XlsxCell::Kind::kText && !v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) {
    v = "'" + v;
  }
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Csv(const XlsxSheet& sheet) {
  std::string out;
  for (size_t i = 0; i < sheet.header.size(); ++i) {
    out += (i ? "," : "") + CsvField(XlsxCell::Text(sheet.header[i]));
  }
  out += "\r\n";
  for (const auto& row : sheet.rows) {
    for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + CsvField(row[i]);
    out += "\r\n";
  }
  return out;
}

// Rows as aligned text: `indent` first, two spaces between columns. A column is right-aligned
// when its cells are numbers (the first row is not looked at when it is a `header`).
std::string TextTable(const std::vector<std::vector<std::string>>& rows, const std::string& indent,
                      bool header) {
  std::vector<size_t> width;
  std::vector<bool> numeric;
  for (size_t r = 0; r < rows.size(); ++r) {
    width.resize(std::max(width.size(), rows[r].size()), 0);
    numeric.resize(width.size(), true);
    for (size_t c = 0; c < rows[r].size(); ++c) {
      width[c] = std::max(width[c], rows[r][c].size());
      const std::string& v = rows[r][c];
      bool number = v.find_first_of("0123456789") != std::string::npos &&
                    v.find_first_not_of("-0123456789.") == std::string::npos;
      if (!v.empty() && !number && !(header && r == 0)) numeric[c] = false;
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = indent;
    for (size_t c = 0; c < row.size(); ++c) {
      std::string pad(width[c] - row[c].size(), ' ');
      line += (c ? "  " : "") + (numeric[c] ? pad + row[c] : row[c] + pad);
    }
    out += line.substr(0, line.find_last_not_of(' ') + 1) + "\n";
  }
  return out;
}

}  // namespace

std::vector<int64_t> RoundToCents(std::span<const Amount> parts, int64_t target_cents) {
  std::vector<int64_t> cents(parts.size());
  std::vector<Int128> rest(parts.size());
  int64_t floor_sum = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::tie(cents[i], rest[i]) = FloorCents(parts[i]);
    floor_sum += cents[i];
  }
  int64_t left = target_cents - floor_sum;
  assert(left >= 0 && static_cast<size_t>(left) <= parts.size());
  std::vector<size_t> order(parts.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return rest[a] > rest[b]; });
  for (size_t i = 0; i < order.size() && left > 0; ++i, --left) ++cents[order[i]];
  return cents;
}

std::vector<CentsMonth> ToCents(const AllocationReport& report) {
  std::vector<std::string> pools = Pools(report);
  std::vector<CentsMonth> out;
  for (const auto& m : report.months) out.push_back(MonthCents(m, pools));
  return out;
}

std::string MonthText(int64_t month_start_s) {
  date::year_month_day ymd{
      date::floor<date::days>(date::sys_seconds{std::chrono::seconds{month_start_s}})};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()));
  return buf;
}

std::string CentsText(int64_t cents) { return Amount::Cents(cents).ToString(2); }

std::string ShowbackCsv(const AllocationReport& report) {
  return Csv(ShowbackSheet(ToCents(report), Pools(report)));
}

std::string ChargebackCsv(const AllocationReport& report) {
  return Csv(ChargebackSheet(ToCents(report)));
}

std::string BreakdownCsv(const AllocationReport& report) {
  return Csv(BreakdownSheet(ToCents(report)));
}

std::string UnallocatedCsv(const AllocationReport& report) {
  return Csv(UnallocatedSheet(ToCents(report)));
}

std::string ShowbackXlsx(const AllocationReport& report) {
  auto months = ToCents(report);
  return WriteXlsx(
      {ShowbackSheet(months, Pools(report)), BreakdownSheet(months), UnallocatedSheet(months)});
}

std::string ChargebackXlsx(const AllocationReport& report) {
  return WriteXlsx({ChargebackSheet(ToCents(report))});
}

std::string ShowbackText(const AllocationReport& report) {
  std::vector<std::string> pools = Pools(report);
  std::string out;
  for (const CentsMonth& m : ToCents(report)) {
    out += MonthText(m.month_start_s) + " " + m.currency + ": total " + CentsText(m.total) +
           ", allocated " + CentsText(m.total - m.unallocated) + ", unallocated " +
           CentsText(m.unallocated) + ", coverage " + Percent(100 * m.coverage) + "%\n";
    XlsxSheet sheet = ShowbackSheet({m}, pools);
    std::vector<std::vector<std::string>> cells = {{}};
    for (size_t c = 2; c < sheet.header.size(); ++c) cells[0].push_back(sheet.header[c]);
    for (const auto& row : sheet.rows) {
      cells.emplace_back();
      for (size_t c = 2; c < row.size(); ++c) cells.back().push_back(row[c].value);
    }
    out += TextTable(cells, "  ", true);
    if (!m.reasons.empty()) {
      out += "  unallocated by reason:\n";
      cells.clear();
      for (const auto& [reason, cents] : m.reasons) cells.push_back({CentsText(cents), reason});
      out += TextTable(cells, "    ", false);
    }
    if (!m.top_unallocated.empty()) {
      out += "  top unallocated:\n";
      cells.clear();
      auto dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
      for (const auto& [r, cents] : m.top_unallocated) {
        cells.push_back({CentsText(cents), dash(r.resource_id), dash(r.resource_name),
                         dash(r.service), dash(r.account), r.reason});
      }
      out += TextTable(cells, "    ", false);
    }
  }
  for (const auto& w : report.warnings) out += "warning: " + w + "\n";
  return out;
}

Json ShowbackJson(const AllocationReport& report) {
  Json months = Json::array();
  for (const CentsMonth& m : ToCents(report)) {
    Json teams = Json::array();
    for (const CentsTeam& t : m.teams) {
      Json shared = Json::object();
      for (size_t i = 0; i < m.pools.size(); ++i) shared[m.pools[i]] = CentsText(t.shared[i]);
      teams.push_back({{"team", t.team},
                       {"direct", CentsText(t.direct)},
                       {"shared", std::move(shared)},
                       {"sharedTotal", CentsText(t.shared_total)},
                       {"total", CentsText(t.total)}});
    }
    Json lines = Json::array();
    for (const CentsLine& l : m.lines) {
      lines.push_back({{"team", l.team},
                       {"service", l.service},
                       {"product", l.product},
                       {"environment", l.environment},
                       {"cost", CentsText(l.cents)}});
    }
    Json reasons = Json::array();
    for (const auto& [reason, cents] : m.reasons) {
      reasons.push_back({{"reason", reason}, {"cost", CentsText(cents)}});
    }
    Json top = Json::array();
    for (const auto& [r, cents] : m.top_unallocated) {
      top.push_back({{"resourceId", r.resource_id},
                     {"resourceName", r.resource_name},
                     {"service", r.service},
                     {"account", r.account},
                     {"reason", r.reason},
                     {"cost", CentsText(cents)}});
    }
    months.push_back({{"month", MonthText(m.month_start_s)},
                      {"currency", m.currency},
                      {"total", CentsText(m.total)},
                      {"allocated", CentsText(m.total - m.unallocated)},
                      {"unallocated", CentsText(m.unallocated)},
                      {"coverage", std::round(m.coverage * 10000) / 100},
                      {"pools", m.pools},
                      {"teams", std::move(teams)},
                      {"lines", std::move(lines)},
                      {"unallocatedReasons", std::move(reasons)},
                      {"topUnallocated", std::move(top)}});
  }
  return {{"months", std::move(months)}, {"warnings", report.warnings}};
}

}  // namespace plinth::cost
