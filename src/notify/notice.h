#pragma once
// What a notification says (Notice), one send of it to one address (Delivery), and how that send
// went (Outcome). Plain values; rendering per channel is in render.h, sending in sender.h.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"

namespace plinth::notify {

// What a notification says; every channel renders the same fields.
struct Notice {
  std::string kind;  // "page" | "acknowledged" | "resolved"
  int64_t incident_number = 0;
  std::string incident_id;
  std::string title, service;
  std::string urgency;                             // "high" | "low"
  std::string status;                              // the incident's status, e.g. "triggered"
  std::string details;                             // plain text, may be empty
  std::string incident_url, ack_url, resolve_url;  // absolute URLs, "" when none
  std::string person;                              // the recipient's name
  int64_t at_ms = 0;                               // when it happened (UTC ms)
};

// A JSON object with every field (at as RFC 3339); the form stored in the outbox.
Json NoticeToJson(const Notice& n);
// The inverse of NoticeToJson; missing fields keep their defaults, a wrong type is an error.
Result<Notice> NoticeFromJson(const Json& j);

// The channels a Delivery may name, in documentation order.
inline constexpr const char* kChannels[] = {"webhook", "slack", "teams", "email", "sms", "voice"};
bool IsChannel(std::string_view channel);

// One notice to one address on one channel.
struct Delivery {
  std::string channel;          // one of kChannels
  std::string address;          // a URL (webhook, slack, teams), an email address, or E.164 number
  std::string idempotency_key;  // the same for every attempt of this delivery; sent to receivers
  Notice notice;
};

// How one attempt went.
struct Outcome {
  bool ok = false;
  bool retryable = false;   // meaningful when !ok: a later attempt may succeed
  int status = 0;           // HTTP status or SMTP reply code; 0 when no reply arrived
  std::string provider_id;  // the receiver's id for it (Twilio sid, email Message-ID), or ""
  std::string error;        // when !ok: short, for a person; never holds a secret
};

}  // namespace plinth::notify
