#pragma once
// Text helpers shared by the renderers: encodings each wire format needs. Pure.

#include <cstdint>
#include <string>
#include <string_view>

namespace plinth::notify {

// Control characters (newlines included) become spaces; runs of spaces collapse; trimmed.
std::string OneLine(std::string_view s);
// At most `max` bytes, cut at a UTF-8 character boundary, with "..." when cut.
std::string Truncate(std::string_view s, size_t max);
bool IsAscii(std::string_view s);

std::string Base64(std::string_view data);
// application/x-www-form-urlencoded value: unreserved kept, space as '+', the rest %XX.
std::string FormEncode(std::string_view s);
// Slack mrkdwn: & < > as entities.
std::string SlackEscape(std::string_view s);

// "Sun, 22 Nov 2026 08:03:00 +0000" (RFC 5322 date-time in UTC).
std::string Rfc5322Date(int64_t ms);

// true for "http://x..." and "https://x..." with a host and no whitespace or control characters.
bool IsHttpUrl(std::string_view url);
// "+" then 7..15 digits, not starting with 0.
bool IsE164(std::string_view number);

}  // namespace plinth::notify
