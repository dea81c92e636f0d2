#pragma once
// Classifies a receiver's reply into an Outcome: 2xx ok; 408, 429 and 5xx retryable; other 4xx
// permanent. SMTP: 2xx/3xx ok, 4xx retryable, 5xx permanent. Pure; the error text is short and
// quotes at most a line of the reply, never the request.

#include <string>
#include <string_view>

#include "notify/notice.h"

namespace plinth::notify {

// `body` is the response body; for Twilio (sms, voice) the "sid" becomes provider_id and
// "code"/"message" the error.
Outcome HttpOutcome(std::string_view channel, int status, std::string_view body);

// `reply` is the server's last reply text, if any.
Outcome SmtpOutcome(int code, std::string_view reply);

// The first line of `text`, control characters dropped, at most `max` bytes (UTF-8 safe).
std::string Snippet(std::string_view text, size_t max = 200);

}  // namespace plinth::notify
