#include "notify/settings.h"

#include <cstdlib>
#include <filesystem>

#include "notify/text.h"

namespace plinth::notify {
namespace {

constexpr const char* kVars[] = {
    "PLINTH_SMTP_URL",      "PLINTH_SMTP_STARTTLS",      "PLINTH_SMTP_USER",
    "PLINTH_SMTP_PASSWORD", "PLINTH_SMTP_FROM",          "PLINTH_SMTP_CA_FILE",
    "PLINTH_TWILIO_URL",    "PLINTH_TWILIO_ACCOUNT_SID", "PLINTH_TWILIO_AUTH_TOKEN",
    "PLINTH_TWILIO_FROM",   "PLINTH_NOTIFY_TIMEOUT_MS",
};

Error Bad(std::string_view var, std::string_view message) {
  return Error::Invalid(std::string(var) + ": " + std::string(message));
}

// "scheme://host[:port][/...]" with one of the schemes and a non-empty host.
bool IsUrl(std::string_view url, std::initializer_list<std::string_view> schemes) {
  for (std::string_view scheme : schemes) {
    std::string prefix = std::string(scheme) + "://";
    if (url.substr(0, prefix.size()) != prefix) continue;
    std::string_view rest = url.substr(prefix.size());
    if (rest.empty() || rest[0] == '/' || rest[0] == ':') return false;
    return rest.find_first_of(" \t\r\n@") == std::string_view::npos;
  }
  return false;
}

bool IsAlnum(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<Settings> SettingsFromVars(const std::map<std::string, std::string>& vars) {
  auto get = [&](const char* name) {
    auto it = vars.find(name);
    return it == vars.end() ? std::string() : it->second;
  };
  Settings s;

  s.smtp_url = get("PLINTH_SMTP_URL");
  s.smtp_user = get("PLINTH_SMTP_USER");
  s.smtp_password = get("PLINTH_SMTP_PASSWORD");
  s.smtp_from = get("PLINTH_SMTP_FROM");
  s.smtp_ca_file = get("PLINTH_SMTP_CA_FILE");
  std::string starttls = get("PLINTH_SMTP_STARTTLS");
  if (s.smtp_url.empty()) {
    for (const char* var : {"PLINTH_SMTP_STARTTLS", "PLINTH_SMTP_USER", "PLINTH_SMTP_PASSWORD",
                            "PLINTH_SMTP_FROM", "PLINTH_SMTP_CA_FILE"}) {
      if (!get(var).empty()) return Bad(var, "set, but PLINTH_SMTP_URL is not");
    }
  } else {
    if (!IsUrl(s.smtp_url, {"smtp", "smtps"})) {
      return Bad("PLINTH_SMTP_URL", "must be smtp://host[:port] or smtps://host[:port]");
    }
    if (starttls == "true" || starttls == "1") {
      s.smtp_starttls = true;
    } else if (starttls == "false" || starttls == "0") {
      s.smtp_starttls = false;
    } else if (!starttls.empty()) {
      return Bad("PLINTH_SMTP_STARTTLS", "must be true or false");
    }
    if (s.smtp_user.empty() != s.smtp_password.empty()) {
      return s.smtp_user.empty() ? Bad("PLINTH_SMTP_USER", "required with PLINTH_SMTP_PASSWORD")
                                 : Bad("PLINTH_SMTP_PASSWORD", "required with PLINTH_SMTP_USER");
    }
    if (s.smtp_from.empty()) return Bad("PLINTH_SMTP_FROM", "required with PLINTH_SMTP_URL");
    if (s.smtp_from.find('@') == std::string::npos ||
        s.smtp_from.find_first_of("\r\n") != std::string::npos) {
      return Bad("PLINTH_SMTP_FROM", "must be an address such as plinth <plinth@example.org>");
    }
    if (!s.smtp_ca_file.empty() && !std::filesystem::is_regular_file(s.smtp_ca_file)) {
      return Bad("PLINTH_SMTP_CA_FILE", "no such file: " + s.smtp_ca_file);
    }
  }

  if (std::string url = get("PLINTH_TWILIO_URL"); !url.empty()) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (!IsUrl(url, {"https", "http"})) {
      return Bad("PLINTH_TWILIO_URL", "must be an http(s) URL such as https://api.twilio.com");
    }
    s.twilio_url = url;
  }
  s.twilio_account_sid = get("PLINTH_TWILIO_ACCOUNT_SID");
  s.twilio_auth_token = get("PLINTH_TWILIO_AUTH_TOKEN");
  s.twilio_from = get("PLINTH_TWILIO_FROM");
  if (!s.twilio_account_sid.empty() || !s.twilio_auth_token.empty() || !s.twilio_from.empty()) {
    if (s.twilio_account_sid.empty()) {
      return Bad("PLINTH_TWILIO_ACCOUNT_SID", "required with the other PLINTH_TWILIO_ settings");
    }
    if (!IsAlnum(s.twilio_account_sid)) {
      return Bad("PLINTH_TWILIO_ACCOUNT_SID", "must be letters and digits, such as AC0123...");
    }
    if (s.twilio_auth_token.empty()) {
      return Bad("PLINTH_TWILIO_AUTH_TOKEN", "required with PLINTH_TWILIO_ACCOUNT_SID");
    }
    if (s.twilio_from.empty()) {
      return Bad("PLINTH_TWILIO_FROM", "required with PLINTH_TWILIO_ACCOUNT_SID");
    }
    if (!IsE164(s.twilio_from)) {
      return Bad("PLINTH_TWILIO_FROM", "must be an E.164 number such as +14155550100");
    }
  }

  if (std::string t = get("PLINTH_NOTIFY_TIMEOUT_MS"); !t.empty()) {
    char* end = nullptr;
    long v = std::strtol(t.c_str(), &end, 10);
    if (*end != '\0' || v < 100 || v > 600000) {
      return Bad("PLINTH_NOTIFY_TIMEOUT_MS", "must be a whole number from 100 to 600000");
    }
    s.timeout_ms = static_cast<int>(v);
  }
  return s;
}

Result<Settings> SettingsFromEnv() {
  std::map<std::string, std::string> vars;
  for (const char* var : kVars) {
    if (const char* v = std::getenv(var)) vars[var] = v;
  }
  return SettingsFromVars(vars);
}

}  // namespace plinth::notify
