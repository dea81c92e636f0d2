#include "notify/outcome.h"

#include <algorithm>

#include "base/json.h"
#include "notify/text.h"

namespace plinth::notify {
namespace {

// Twilio's error body: {"code": 21211, "message": "...", "more_info": ..., "status": 400}.
std::string TwilioError(std::string_view body) {
  auto j = ParseJson(body);
  if (!j.ok() || !j->is_object()) return Snippet(body);
  std::string out = "Twilio error";
  if (auto it = j->find("code"); it != j->end() && it->is_number_integer()) {
    out += " " + std::to_string(it->get<int64_t>());
  }
  if (auto it = j->find("message"); it != j->end() && it->is_string()) {
    out += ": " + Snippet(it->get<std::string>());
  }
  return out;
}

std::string TwilioSid(std::string_view body) {
  auto j = ParseJson(body);
  if (!j.ok() || !j->is_object()) return "";
  auto it = j->find("sid");
  return it != j->end() && it->is_string() ? Snippet(it->get<std::string>(), 64) : "";
}

}  // namespace

std::string Snippet(std::string_view text, size_t max) {
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return "";
  text = text.substr(start);
  text = text.substr(0, text.find_first_of("\r\n"));
  std::string clean;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) clean += c;
  }
  return Truncate(clean, max);
}

Outcome HttpOutcome(std::string_view channel, int status, std::string_view body) {
  Outcome o;
  o.status = status;
  bool twilio = channel == "sms" || channel == "voice";
  if (status >= 200 && status < 300) {
    o.ok = true;
    if (twilio) o.provider_id = TwilioSid(body);
    return o;
  }
  o.retryable = status == 408 || status == 429 || status >= 500;
  o.error = std::string(channel) + ": HTTP " + std::to_string(status);
  std::string detail = twilio ? TwilioError(body) : Snippet(body);
  if (!detail.empty()) o.error += ": " + detail;
  return o;
}

Outcome SmtpOutcome(int code, std::string_view reply) {
  Outcome o;
  o.status = code;
  if (code >= 200 && code < 400) {
    o.ok = true;
    return o;
  }
  o.retryable = code < 500;
  o.error = "email: SMTP " + std::to_string(code);
  // "550 5.1.1 No such user": the code is already said.
  std::string_view text = reply;
  if (text.substr(0, 3) == std::to_string(code))
    text.remove_prefix(std::min<size_t>(4, text.size()));
  if (std::string detail = Snippet(text); !detail.empty()) o.error += ": " + detail;
  return o;
}

}  // namespace plinth::notify
