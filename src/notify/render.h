#pragma once
// Pure rendering of a Delivery into what goes on the wire: an HTTP request (webhook, Slack,
// Teams, Twilio SMS and voice) or an RFC 5322 email message. No I/O; golden-tested.

#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "notify/notice.h"
#include "notify/settings.h"

namespace plinth::notify {

struct HttpRequest {
  std::string method;  // "POST"
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // in sending order
  std::string body;
};

struct EmailMessage {
  std::string smtp_url;
  std::string envelope_from;  // bare address for MAIL FROM
  std::string envelope_to;    // bare address for RCPT TO
  std::string message_id;     // "<...>", derived from the idempotency key
  std::string data;           // the whole message, CRLF line ends, headers then body
};

// "#42 high: Database down", "#42 acknowledged: Database down", "#42 resolved: ...".
std::string Headline(const Notice& n);

// The request for an HTTP channel (webhook, slack, teams, sms, voice). Errors (retrying cannot
// help): an unknown channel, an address that is not an http(s) URL or E.164 number, SMS or voice
// without a Twilio account in `s`.
Result<HttpRequest> RenderHttp(const Delivery& d, const Settings& s);

// The message for the email channel. Errors: no SMTP server or From in `s`, a bad address.
Result<EmailMessage> RenderEmail(const Delivery& d, const Settings& s);

// The SMS text alone (one line, at most kSmsMaxChars) and the TwiML of a voice call.
inline constexpr size_t kSmsMaxChars = 320;
std::string SmsBody(const Notice& n);
std::string VoiceTwiml(const Notice& n);

}  // namespace plinth::notify
