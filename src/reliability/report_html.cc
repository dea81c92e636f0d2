// The attainment report as one printable HTML page: inline styles only (no scripts, fonts or
// images), so it can be saved, mailed or printed to PDF as it is.

#include <cmath>
#include <cstdio>

#include "base/html.h"
#include "base/time.h"
#include "reliability/report.h"

namespace plinth::reliability {

namespace {

// 0.99912 -> "99.912%"; three decimals, as SLO targets need them.
std::string Percent(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f%%", ratio * 100);
  return buf;
}

std::string TierName(const std::optional<int>& tier) {
  return tier ? "Tier " + std::to_string(*tier) : "No tier";
}

constexpr const char* kStyle = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1f24;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.75rem 0 .5rem}
p.meta{color:#57606a;margin:0 0 1rem}
table{border-collapse:collapse;width:100%;margin-bottom:1rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{background:#f6f8fa;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.met{color:#1a7f37;font-weight:600}.missed{color:#cf222e;font-weight:600}.nodata{color:#57606a}
tr.service td{background:#fafbfc;font-weight:600}
@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}tr{break-inside:avoid}}
)";

}  // namespace

std::string ReportHtml(const AttainmentReport& report, int64_t generated_ms) {
  const std::string title = "SLO attainment report " + report.period.label;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>" + HtmlEscape(title) + "</title>\n<style>" + kStyle +
                    "</style>\n</head>\n<body>\n";
  out += "<h1>" + HtmlEscape(title) + "</h1>\n<p class=\"meta\">" +
         HtmlEscape(FormatRfc3339(report.period.from_ms)) + " to " +
         HtmlEscape(FormatRfc3339(report.period.to_ms)) + " (UTC, end exclusive) &middot; generated " +
         HtmlEscape(FormatRfc3339(generated_ms)) + "</p>\n";

  out += "<h2>By tier</h2>\n<table>\n<thead><tr><th>Tier</th><th class=\"num\">SLOs</th>"
         "<th class=\"num\">Met</th><th class=\"num\">Missed</th><th class=\"num\">No data</th>"
         "<th class=\"num\">Met share</th></tr></thead>\n<tbody>\n";
  for (const auto& t : report.tiers) {
    int judged = t.met + t.missed;
    out += "<tr><td>" + HtmlEscape(TierName(t.tier)) + "</td><td class=\"num\">" +
           std::to_string(t.slos) + "</td><td class=\"num\">" + std::to_string(t.met) +
           "</td><td class=\"num\">" + std::to_string(t.missed) + "</td><td class=\"num\">" +
           std::to_string(t.no_data) + "</td><td class=\"num\">" +
           (judged > 0 ? Percent(double(t.met) / judged) : std::string("&ndash;")) +
           "</td></tr>\n";
  }
  if (report.tiers.empty()) out += "<tr><td colspan=\"6\">No SLOs are defined.</td></tr>\n";
  out += "</tbody>\n</table>\n";

  out += "<h2>By service</h2>\n<table>\n<thead><tr><th>Service / SLO</th><th>Team</th>"
         "<th>Tier</th><th class=\"num\">Objective</th><th class=\"num\">Attainment</th>"
         "<th>Result</th><th class=\"num\">Budget left</th></tr></thead>\n<tbody>\n";
  for (const auto& svc : report.services) {
    out += "<tr class=\"service\"><td>" + HtmlEscape(svc.service) + "</td><td>" +
           HtmlEscape(svc.team) + "</td><td>" + HtmlEscape(svc.tier ? std::to_string(*svc.tier) : "") +
           "</td><td colspan=\"4\"></td></tr>\n";
    for (const auto& s : svc.slos) {
      std::string name = s.title.empty() ? s.slo : s.title + " (" + s.slo + ")";
      std::string result = !s.met  ? "<span class=\"nodata\">no data</span>"
                           : *s.met ? "<span class=\"met\">met</span>"
                                    : "<span class=\"missed\">missed</span>";
      out += "<tr><td>&nbsp;&nbsp;" + HtmlEscape(name) + "</td><td></td><td></td><td class=\"num\">" +
             Percent(s.objective) + "</td><td class=\"num\">" +
             (s.attainment ? Percent(*s.attainment) : std::string("&ndash;")) + "</td><td>" +
             result + "</td><td class=\"num\">" +
             (s.budget_remaining && std::isfinite(*s.budget_remaining)
                  ? Percent(*s.budget_remaining)
                  : std::string("&ndash;")) +
             "</td></tr>\n";
    }
  }
  out += "</tbody>\n</table>\n</body>\n</html>\n";
  return out;
}

}  // namespace plinth::reliability
