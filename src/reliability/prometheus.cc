#include "reliability/prometheus.h"

#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

#include "base/json.h"

namespace plinth::reliability {

namespace {

std::string Who(std::string_view base_url) { return "Prometheus at " + std::string(base_url); }

Error Unavailable(std::string_view who, const std::string& what) {
  return Error::Unavailable(std::string(who) + ": " + what);
}

// A sample value as Prometheus writes it: a decimal string, "NaN", "+Inf" or "-Inf".
std::optional<double> SampleValue(const Json& v) {
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (s == "+Inf" || s == "Inf") return std::numeric_limits<double>::infinity();
  if (s == "-Inf") return -std::numeric_limits<double>::infinity();
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size()) return std::nullopt;
  return d;
}

// The first line of a response body, at most 200 characters, for an error message.
std::string Snippet(std::string_view body) {
  std::string_view s = body.substr(0, body.find('\n'));
  if (s.size() > 200) return std::string(s.substr(0, 200)) + "…";
  return std::string(s);
}

std::string ConnectionProblem(httplib::Error e) {
  switch (e) {
    case httplib::Error::Connection:
      return "cannot connect (connection refused or host unreachable)";
    case httplib::Error::ConnectionTimeout:
      return "connection timed out";
    case httplib::Error::Read:
      return "no answer (read failed or timed out)";
    case httplib::Error::Write:
      return "the request could not be sent";
    case httplib::Error::SSLConnection:
      return "the TLS handshake failed";
    case httplib::Error::SSLServerVerification:
      return "the server's TLS certificate could not be verified";
    default:
      return "request failed (" + httplib::to_string(e) + ")";
  }
}

}  // namespace

Result<std::vector<PromSample>> ParseQueryRange(std::string_view body, std::string_view who) {
  auto parsed = ParseJson(body);
  if (!parsed.ok()) {
    return Unavailable(who, "the answer is not JSON (" + parsed.error().message + ")");
  }
  const Json& doc = *parsed;
  if (!doc.is_object()) return Unavailable(who, "the answer is not a JSON object");
  std::string status = doc.value("status", "");
  if (status == "error") {
    std::string type = doc.value("errorType", "error");
    return Unavailable(who, type + ": " + doc.value("error", "(no message)"));
  }
  if (status != "success") {
    return Unavailable(who, "unexpected status \"" + status + "\" in the answer");
  }
  auto data = doc.find("data");
  if (data == doc.end() || !data->is_object()) return Unavailable(who, "the answer has no data");
  std::string type = data->value("resultType", "");
  if (type != "matrix") {
    return Unavailable(who, "expected a matrix result (got \"" + type + "\")");
  }
  auto result = data->find("result");
  if (result == data->end() || !result->is_array()) {
    return Unavailable(who, "the answer has no result list");
  }
  if (result->empty()) return std::vector<PromSample>{};
  if (result->size() > 1) {
    return Unavailable(who, "the query must return one series (got " +
                                std::to_string(result->size()) +
                                "); aggregate it, e.g. with sum(...)");
  }
  const Json& series = (*result)[0];
  auto values = series.find("values");
  if (!series.is_object() || values == series.end() || !values->is_array()) {
    return Unavailable(who, "the series has no values");
  }
  std::vector<PromSample> out;
  out.reserve(values->size());
  for (const Json& pair : *values) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number()) {
      return Unavailable(who, "a sample is not [time, \"value\"]: " + pair.dump());
    }
    auto v = SampleValue(pair[1]);
    if (!v) return Unavailable(who, "a sample value is not a number: " + pair.dump());
    out.push_back({static_cast<int64_t>(std::llround(pair[0].get<double>())), *v});
  }
  return out;
}

Result<std::unique_ptr<HttpPrometheus>> HttpPrometheus::Create(std::string_view base_url,
                                                               std::chrono::milliseconds timeout) {
  std::string url(base_url);
  auto bad = [&](const std::string& why) {
    return Error::Invalid("Prometheus URL \"" + url + "\": " + why);
  };
  size_t scheme_end = url.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return bad("expected http(s)://host[:port][/path]");
  std::string rest = url.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string prefix = slash == std::string::npos ? "" : rest.substr(slash);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  if (authority.find('@') != std::string::npos) {
    return bad("credentials in the URL are not supported");
  }
  bool bracketed = !authority.empty() && authority.front() == '[';
  size_t colon = authority.rfind(':');
  std::string host = authority;
  if (colon != std::string::npos && (!bracketed || colon > authority.find(']'))) {
    host = authority.substr(0, colon);
    std::string p = authority.substr(colon + 1);
    int port = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (ec != std::errc() || end != p.data() + p.size() || port < 1 || port > 65535) {
      return bad("the port must be a number from 1 to 65535");
    }
  }
  if (host.empty() || host == "[]") return bad("the host is missing");
  return std::unique_ptr<HttpPrometheus>(
      new HttpPrometheus(url, scheme + "://" + authority, std::move(prefix), timeout));
}

Result<std::vector<PromSample>> HttpPrometheus::QueryRange(std::string_view query, int64_t start_s,
                                                           int64_t end_s, int64_t step_s) {
  std::string who = Who(base_url_);
  httplib::Client client(origin_);
  // A host that does not answer should not hold up the pulls of every other SLO for long.
  client.set_connection_timeout(
      std::min<std::chrono::milliseconds>(timeout_, std::chrono::seconds(5)));
  client.set_read_timeout(timeout_);
  client.set_write_timeout(timeout_);
  httplib::Params params = {{"query", std::string(query)},
                            {"start", std::to_string(start_s)},
                            {"end", std::to_string(end_s)},
                            {"step", std::to_string(step_s)}};
  auto res = client.Get(prefix_ + "/api/v1/query_range", params, httplib::Headers{});
  if (!res) return Unavailable(who, ConnectionProblem(res.error()));
  // Prometheus answers query errors with 400/422/503 and a JSON error body; say what it said.
  bool json = res->get_header_value("Content-Type").starts_with("application/json");
  if (res->status != 200) {
    if (json) {
      auto parsed = ParseQueryRange(res->body, who);
      if (!parsed.ok()) {
        Error e = std::move(parsed).error();
        e.message = who + ": HTTP " + std::to_string(res->status) +
                    e.message.substr(std::min(e.message.size(), who.size()));
        return e;
      }
    }
    std::string snippet = Snippet(res->body);
    return Unavailable(
        who, "HTTP " + std::to_string(res->status) + (snippet.empty() ? "" : ": " + snippet));
  }
  return ParseQueryRange(res->body, who);
}

}  // namespace plinth::reliability
