#pragma once
// How plinth reaches the mail server and the SMS/voice provider; read once from the environment
// of `plinth serve`. Chat and webhook channels need no settings: their address is a URL.

#include <map>
#include <string>

#include "base/result.h"

namespace plinth::notify {

struct Settings {
  // Email; smtp_url empty: email is not configured.
  std::string smtp_url;  // smtp://host:port (STARTTLS required unless !smtp_starttls), smtps://
  bool smtp_starttls = true;  // on smtp://: refuse to send unless the server upgrades to TLS
  std::string smtp_user, smtp_password;  // both empty: no authentication
  std::string smtp_from;                 // "plinth <plinth@example.org>" or a bare address
  std::string smtp_ca_file;              // PEM CA bundle to trust instead of the system's
  // SMS and voice; twilio_account_sid empty: not configured.
  std::string twilio_url = "https://api.twilio.com";  // no trailing slash
  std::string twilio_account_sid, twilio_auth_token;
  std::string twilio_from;  // E.164 number messages and calls come from
  int timeout_ms = 10000;   // per attempt, connection included
};

// Reads PLINTH_SMTP_URL, PLINTH_SMTP_STARTTLS (true|false), PLINTH_SMTP_USER,
// PLINTH_SMTP_PASSWORD, PLINTH_SMTP_FROM, PLINTH_SMTP_CA_FILE, PLINTH_TWILIO_URL,
// PLINTH_TWILIO_ACCOUNT_SID, PLINTH_TWILIO_AUTH_TOKEN, PLINTH_TWILIO_FROM and
// PLINTH_NOTIFY_TIMEOUT_MS (100..600000). Unset or empty variables keep the defaults;
// an invalid value or a half-configured channel is an error naming the variable.
Result<Settings> SettingsFromEnv();
// The same over an explicit variable map (for tests).
Result<Settings> SettingsFromVars(const std::map<std::string, std::string>& vars);

}  // namespace plinth::notify
