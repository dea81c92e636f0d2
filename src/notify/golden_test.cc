// The notification render corpus: every folder under tests/golden/notify/ is one case. Its
// `input.yaml` holds `channel`, `address`, `idempotency_key`, `notice` (fields over the default
// notice below; `at` in RFC 3339) and optionally `settings`, the environment variables of
// `plinth serve` (default: kSettings, an SMTP server and a Twilio account). `expected.txt` is
// what goes on the wire: an HTTP request (a form body also decoded field by field) or an email
// message (envelope, then the message with CRLF shown as line ends), or the error.
// PLINTH_UPDATE_GOLDEN=1 rewrites expected.txt instead (review the diff line by line!).

#include <gtest/gtest.h>

#include <filesystem>

#include "base/yaml.h"
#include "notify/render.h"
#include "store/golden.h"

namespace plinth::notify {
namespace {

namespace fs = std::filesystem;

const fs::path kCases = fs::path(PLINTH_SOURCE_DIR) / "tests/golden/notify";

const Json kSettings = {
    {"PLINTH_SMTP_URL", "smtp://mail.example.org:587"},
    {"PLINTH_SMTP_FROM", "plinth <plinth@example.org>"},
    {"PLINTH_TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000001"},
    {"PLINTH_TWILIO_AUTH_TOKEN", "test-token"},
    {"PLINTH_TWILIO_FROM", "+14155550100"},
};

const Json kNotice = {
    {"kind", "page"},
    {"incident_number", 42},
    {"incident_id", "inc_01JD7Q3V8X"},
    {"title", "Checkout error rate above 5%"},
    {"service", "payments"},
    {"urgency", "high"},
    {"status", "triggered"},
    {"details", ""},
    {"incident_url", "https://plinth.example.org/incidents/42"},
    {"ack_url", "https://plinth.example.org/act/42/acknowledge?sig=4f1c"},
    {"resolve_url", "https://plinth.example.org/act/42/resolve?sig=9a2e"},
    {"person", "Ana Lima"},
    {"at", "2026-11-22T08:03:00Z"},
};

std::string Str(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

int Hex(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

std::string FormDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string ShowHttp(const HttpRequest& r) {
  std::string out = r.method + " " + r.url + "\n";
  bool form = false;
  for (const auto& [name, value] : r.headers) {
    out += name + ": " + value + "\n";
    form |= name == "Content-Type" && value == "application/x-www-form-urlencoded";
  }
  out += "\n";
  if (!form) return out + Json::parse(r.body).dump(2) + "\n";
  out += r.body + "\n\nform fields:\n";
  size_t start = 0;
  while (start < r.body.size()) {
    size_t end = std::min(r.body.find('&', start), r.body.size());
    std::string_view pair = std::string_view(r.body).substr(start, end - start);
    size_t eq = pair.find('=');
    out += FormDecode(pair.substr(0, eq)) + ": " + FormDecode(pair.substr(eq + 1)) + "\n";
    start = end + 1;
  }
  return out;
}

std::string ShowEmail(const EmailMessage& m) {
  std::string out = "SMTP " + m.smtp_url + "\nMAIL FROM: <" + m.envelope_from + ">\nRCPT TO: <" +
                    m.envelope_to + ">\nMessage-ID " + m.message_id + "\n\n";
  for (size_t i = 0; i < m.data.size(); ++i) {
    if (m.data.compare(i, 2, "\r\n") == 0) {
      out += "\n";
      ++i;
    } else if (m.data[i] == '\n' || m.data[i] == '\r') {
      out += "<bare line end>";  // a rendering bug: SMTP needs CRLF everywhere
    } else {
      out += m.data[i];
    }
  }
  return out;
}

std::string RunCase(const fs::path& dir) {
  auto docs = ParseYaml(golden::ReadFile(dir / "input.yaml"), "input.yaml");
  if (!docs.ok()) return "error: " + docs.error().ToString() + "\n";
  const Json& in = (*docs)[0].value;
  std::map<std::string, std::string> vars;
  Json settings_vars = in.value("settings", kSettings);
  for (const auto& [k, v] : settings_vars.items()) vars[k] = v.get<std::string>();
  auto settings = SettingsFromVars(vars);
  if (!settings.ok()) return "settings error: " + settings.error().ToString() + "\n";
  Json notice = kNotice;
  notice.update(in.value("notice", Json::object()));
  auto n = NoticeFromJson(notice);
  if (!n.ok()) return "notice error: " + n.error().ToString() + "\n";
  Delivery d{Str(in, "channel"), Str(in, "address"), Str(in, "idempotency_key"), *n};
  if (d.channel == "email") {
    auto m = RenderEmail(d, *settings);
    return m.ok() ? ShowEmail(*m) : "error: " + m.error().ToString() + "\n";
  }
  auto r = RenderHttp(d, *settings);
  return r.ok() ? ShowHttp(*r) : "error: " + r.error().ToString() + "\n";
}

std::vector<std::string> CaseNames() { return golden::CaseNames(kCases); }

class NotifyGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(NotifyGoldenTest, MatchesExpected) {
  fs::path dir = kCases / GetParam();
  golden::ExpectMatches(dir, RunCase(dir));
}

TEST(GoldenNotifyCorpus, HasCases) { EXPECT_GE(CaseNames().size(), 14u); }

INSTANTIATE_TEST_SUITE_P(Golden, NotifyGoldenTest, ::testing::ValuesIn(CaseNames()),
                         golden::ParamName);

}  // namespace
}  // namespace plinth::notify
