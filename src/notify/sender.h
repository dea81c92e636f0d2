#pragma once
// Sends a Delivery to its receiver: HTTP(S) for webhook, Slack, Teams and Twilio (SMS, voice),
// SMTP for email. One attempt per call; retrying is the caller's (the paging outbox).

#include <memory>

#include "notify/notice.h"
#include "notify/settings.h"

namespace plinth::notify {

// Abstract so tests can fake it or inject faults. The real one is NewSender().
class Sender {
 public:
  Sender() = default;
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;
  virtual ~Sender() = default;

  // One attempt; never throws. A delivery the settings cannot serve (e.g. sms without a Twilio
  // account) or with a malformed address fails with retryable = false.
  virtual Outcome Send(const Delivery& d) = 0;
};

// The real sender over libcurl. Thread-safe: concurrent Send calls use separate connections.
std::unique_ptr<Sender> NewSender(Settings s);

}  // namespace plinth::notify
