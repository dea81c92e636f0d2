// Sloth's SLO checks (pkg/common/validation/slo.go with its PromQL dialect), except that label
// names follow Prometheus 2's rule (letters, digits, _), which Debian's Prometheus enforces.

#include <regex>

#include "slo/rules.h"
#include "slo/rules_gofmt.h"

namespace plinth::slo {

namespace {

using Labels = std::map<std::string, std::string>;

const std::regex& WindowVar() {
  static const std::regex re(R"(\{\{ *\.window *\}\})");
  return re;
}

bool ValidName(const std::string& s) {
  static const std::regex re(R"([A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9])");
  return std::regex_match(s, re);
}

bool ValidLabelName(const std::string& s) {
  static const std::regex re(R"([a-zA-Z_][a-zA-Z0-9_]*)");
  return std::regex_match(s, re);
}

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

using Path = std::vector<std::string>;

void CheckLabels(const Labels& labels, Path path, bool annotations, std::vector<SloProblem>& out) {
  const char* what = annotations ? "annotation" : "label";
  for (const auto& [k, v] : labels) {
    Path p = path;
    p.push_back(k);
    if (!ValidLabelName(k) || k == "__name__") {
      out.push_back({p, std::string("invalid ") + what + " name \"" + k +
                            "\": use letters, digits and _, not starting with a digit"});
    } else if (v.empty()) {
      out.push_back({p, std::string("the ") + what + " value is required"});
    } else if (!ValidUtf8(v)) {
      out.push_back({p, std::string("the ") + what + " value is not valid UTF-8"});
    }
  }
}

void CheckQuery(const std::string& q, Path path, std::vector<SloProblem>& out) {
  if (q.empty()) {
    out.push_back({path, "the query is required"});
  } else if (!std::regex_search(q, WindowVar())) {
    out.push_back({path, "the query must contain the {{.window}} placeholder"});
  } else if (std::regex_replace(q, WindowVar(), "").find("{{") != std::string::npos) {
    out.push_back({path, "only the {{.window}} template placeholder is supported"});
  }
}

void CheckAlert(const RuleAlertMeta& a, const std::string& key, std::vector<SloProblem>& out) {
  CheckLabels(a.labels, {"alerting", key, "labels"}, false, out);
  CheckLabels(a.annotations, {"alerting", key, "annotations"}, true, out);
}

}  // namespace

std::vector<SloProblem> ValidateRuleSlo(const RuleSlo& s) {
  std::vector<SloProblem> out;
  const char* kName =
      "must start and end with a letter or digit and hold only letters, digits, "
      "'.', '_' and '-'";
  if (!ValidName(s.service))
    out.push_back({{"service"}, s.service.empty() ? "is required" : kName});
  if (!ValidName(s.name)) out.push_back({{"name"}, s.name.empty() ? "is required" : kName});
  if (!ValidName(s.Id()) && ValidName(s.service) && ValidName(s.name)) {
    out.push_back({{"id"}, kName});
  }
  if (!(s.objective > 0 && s.objective <= 100)) {
    out.push_back({{"objective"}, "must be > 0 and <= 100, got " + gofmt::FormatF(s.objective)});
  }
  CheckLabels(s.labels, {"labels"}, false, out);
  if (s.events.has_value() == s.raw.has_value()) {
    out.push_back(
        {{"sli"},
         s.events ? "give only one of events and raw" : "one of events and raw is required"});
  } else if (s.events) {
    CheckQuery(s.events->error_query, {"sli", "events", "error_query"}, out);
    CheckQuery(s.events->total_query, {"sli", "events", "total_query"}, out);
    if (s.events->error_query == s.events->total_query && !s.events->error_query.empty()) {
      out.push_back({{"sli", "events", "total_query"}, "must differ from error_query"});
    }
  } else {
    CheckQuery(s.raw->error_ratio_query, {"sli", "raw", "error_ratio_query"}, out);
  }
  const RuleAlerting& a = s.alerting;
  if (a.name.empty() && !(a.page_alert.disable && a.ticket_alert.disable)) {
    out.push_back({{"alerting", "name"}, "is required unless both alerts are disabled"});
  }
  CheckLabels(a.labels, {"alerting", "labels"}, false, out);
  CheckLabels(a.annotations, {"alerting", "annotations"}, true, out);
  CheckAlert(a.page_alert, "page_alert", out);
  CheckAlert(a.ticket_alert, "ticket_alert", out);
  return out;
}

}  // namespace plinth::slo
