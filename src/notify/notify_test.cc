// Hermetic unit tests: notices as JSON, settings from the environment, outcome classification,
// text encodings, and the real sender's answers that need no network.

#include <gtest/gtest.h>

#include "notify/outcome.h"
#include "notify/render.h"
#include "notify/sender.h"
#include "notify/text.h"

namespace plinth::notify {
namespace {

TEST(Notice, RoundTripsThroughJson) {
  Notice n{"page",        7,           "inc_1",      "Disk full",     "db",
           "high",        "triggered", "df: 100%",   "https://p/i/7", "https://p/a",
           "https://p/r", "Ana",       1763798580250};
  Json j = NoticeToJson(n);
  EXPECT_EQ(j["at"], "2025-11-22T08:03:00.250Z");
  auto back = NoticeFromJson(j);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(NoticeToJson(*back), j);
}

TEST(Notice, FromJsonRejectsWrongTypes) {
  EXPECT_EQ(NoticeFromJson(Json::array()).error().ToString(), "a notice must be a JSON object");
  EXPECT_EQ(NoticeFromJson({{"title", 3}}).error().ToString(), "title: must be a string");
  EXPECT_EQ(NoticeFromJson({{"incident_number", "7"}}).error().ToString(),
            "incident_number: must be an integer");
  EXPECT_EQ(NoticeFromJson({{"at", "yesterday"}}).error().ToString(),
            "at: must be an RFC 3339 instant");
}

TEST(Channels, AreTheSixDocumentedOnes) {
  for (const char* c : {"webhook", "slack", "teams", "email", "sms", "voice"}) {
    EXPECT_TRUE(IsChannel(c)) << c;
  }
  EXPECT_FALSE(IsChannel("pager"));
}

using Vars = std::map<std::string, std::string>;

std::string SettingsError(const Vars& vars) {
  auto s = SettingsFromVars(vars);
  return s.ok() ? "ok" : s.error().ToString();
}

TEST(Settings, DefaultsWhenNothingIsSet) {
  auto s = SettingsFromVars({});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->smtp_url, "");
  EXPECT_TRUE(s->smtp_starttls);
  EXPECT_EQ(s->twilio_url, "https://api.twilio.com");
  EXPECT_EQ(s->timeout_ms, 10000);
}

TEST(Settings, ReadsEveryVariable) {
  auto s = SettingsFromVars({{"PLINTH_SMTP_URL", "smtp://127.0.0.1:2525"},
                             {"PLINTH_SMTP_STARTTLS", "false"},
                             {"PLINTH_SMTP_USER", "u"},
                             {"PLINTH_SMTP_PASSWORD", "p"},
                             {"PLINTH_SMTP_FROM", "plinth@example.org"},
                             {"PLINTH_TWILIO_URL", "http://127.0.0.1:9/"},
                             {"PLINTH_TWILIO_ACCOUNT_SID", "AC1"},
                             {"PLINTH_TWILIO_AUTH_TOKEN", "t"},
                             {"PLINTH_TWILIO_FROM", "+14155550100"},
                             {"PLINTH_NOTIFY_TIMEOUT_MS", "2500"}});
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_FALSE(s->smtp_starttls);
  EXPECT_EQ(s->smtp_user, "u");
  EXPECT_EQ(s->twilio_url, "http://127.0.0.1:9");
  EXPECT_EQ(s->twilio_from, "+14155550100");
  EXPECT_EQ(s->timeout_ms, 2500);
}

TEST(Settings, ErrorsNameTheVariable) {
  const Vars smtp = {{"PLINTH_SMTP_URL", "smtp://mail:587"}, {"PLINTH_SMTP_FROM", "p@x.org"}};
  auto with = [](Vars base, const Vars& more) {
    for (const auto& [k, v] : more) base[k] = v;
    return base;
  };
  EXPECT_EQ(SettingsError(smtp), "ok");
  EXPECT_EQ(SettingsError({{"PLINTH_SMTP_URL", "mail:587"}}),
            "PLINTH_SMTP_URL: must be smtp://host[:port] or smtps://host[:port]");
  EXPECT_EQ(SettingsError({{"PLINTH_SMTP_URL", "smtp://user:pw@mail:587"}}),
            "PLINTH_SMTP_URL: must be smtp://host[:port] or smtps://host[:port]");
  EXPECT_EQ(SettingsError({{"PLINTH_SMTP_FROM", "p@x.org"}}),
            "PLINTH_SMTP_FROM: set, but PLINTH_SMTP_URL is not");
  EXPECT_EQ(SettingsError({{"PLINTH_SMTP_URL", "smtp://mail:587"}}),
            "PLINTH_SMTP_FROM: required with PLINTH_SMTP_URL");
  EXPECT_EQ(SettingsError(with(smtp, {{"PLINTH_SMTP_FROM", "plinth"}})),
            "PLINTH_SMTP_FROM: must be an address such as plinth <plinth@example.org>");
  EXPECT_EQ(SettingsError(with(smtp, {{"PLINTH_SMTP_STARTTLS", "maybe"}})),
            "PLINTH_SMTP_STARTTLS: must be true or false");
  EXPECT_EQ(SettingsError(with(smtp, {{"PLINTH_SMTP_USER", "u"}})),
            "PLINTH_SMTP_PASSWORD: required with PLINTH_SMTP_USER");
  EXPECT_EQ(SettingsError(with(smtp, {{"PLINTH_SMTP_PASSWORD", "p"}})),
            "PLINTH_SMTP_USER: required with PLINTH_SMTP_PASSWORD");
  EXPECT_EQ(SettingsError(with(smtp, {{"PLINTH_SMTP_CA_FILE", "/nonexistent/ca.pem"}})),
            "PLINTH_SMTP_CA_FILE: no such file: /nonexistent/ca.pem");
  EXPECT_EQ(SettingsError({{"PLINTH_TWILIO_AUTH_TOKEN", "t"}}),
            "PLINTH_TWILIO_ACCOUNT_SID: required with the other PLINTH_TWILIO_ settings");
  EXPECT_EQ(SettingsError({{"PLINTH_TWILIO_ACCOUNT_SID", "AC/../x"}}),
            "PLINTH_TWILIO_ACCOUNT_SID: must be letters and digits, such as AC0123...");
  EXPECT_EQ(SettingsError({{"PLINTH_TWILIO_ACCOUNT_SID", "AC1"}}),
            "PLINTH_TWILIO_AUTH_TOKEN: required with PLINTH_TWILIO_ACCOUNT_SID");
  EXPECT_EQ(
      SettingsError({{"PLINTH_TWILIO_ACCOUNT_SID", "AC1"}, {"PLINTH_TWILIO_AUTH_TOKEN", "t"}}),
      "PLINTH_TWILIO_FROM: required with PLINTH_TWILIO_ACCOUNT_SID");
  EXPECT_EQ(SettingsError({{"PLINTH_TWILIO_ACCOUNT_SID", "AC1"},
                           {"PLINTH_TWILIO_AUTH_TOKEN", "t"},
                           {"PLINTH_TWILIO_FROM", "0151 1234"}}),
            "PLINTH_TWILIO_FROM: must be an E.164 number such as +14155550100");
  EXPECT_EQ(SettingsError({{"PLINTH_TWILIO_URL", "api.twilio.com"}}),
            "PLINTH_TWILIO_URL: must be an http(s) URL such as https://api.twilio.com");
  EXPECT_EQ(SettingsError({{"PLINTH_NOTIFY_TIMEOUT_MS", "10s"}}),
            "PLINTH_NOTIFY_TIMEOUT_MS: must be a whole number from 100 to 600000");
}

TEST(Settings, FromEnvReadsTheProcessEnvironment) {
  ::setenv("PLINTH_NOTIFY_TIMEOUT_MS", "1234", 1);
  auto s = SettingsFromEnv();
  ::unsetenv("PLINTH_NOTIFY_TIMEOUT_MS");
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->timeout_ms, 1234);
}

TEST(Outcome, HttpStatusesAreClassified) {
  struct Case {
    int status;
    bool ok, retryable;
  };
  for (Case c : {Case{200, true, false}, Case{201, true, false}, Case{202, true, false},
                 Case{204, true, false}, Case{301, false, false}, Case{400, false, false},
                 Case{401, false, false}, Case{403, false, false}, Case{404, false, false},
                 Case{408, false, true}, Case{410, false, false}, Case{413, false, false},
                 Case{429, false, true}, Case{500, false, true}, Case{502, false, true},
                 Case{503, false, true}, Case{504, false, true}}) {
    Outcome o = HttpOutcome("webhook", c.status, "");
    EXPECT_EQ(o.ok, c.ok) << c.status;
    EXPECT_EQ(o.retryable, c.retryable) << c.status;
    EXPECT_EQ(o.status, c.status);
  }
}

TEST(Outcome, QuotesOneShortLineOfTheReply) {
  EXPECT_EQ(HttpOutcome("slack", 400, "invalid_payload").error, "slack: HTTP 400: invalid_payload");
  EXPECT_EQ(HttpOutcome("webhook", 503, "\n  busy\r\nretry later\n").error,
            "webhook: HTTP 503: busy");
  EXPECT_EQ(HttpOutcome("teams", 500, std::string(1000, 'x')).error.size(),
            std::string("teams: HTTP 500: ").size() + 200);
  EXPECT_EQ(HttpOutcome("webhook", 404, "").error, "webhook: HTTP 404");
}

TEST(Outcome, TwilioSidAndErrors) {
  Outcome ok = HttpOutcome("sms", 201, R"({"sid": "SM123", "status": "queued"})");
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.provider_id, "SM123");
  Outcome bad =
      HttpOutcome("voice", 400,
                  R"({"code": 21211, "message": "The 'To' number +1 is not a valid phone number.",
          "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400})");
  EXPECT_FALSE(bad.retryable);
  EXPECT_EQ(bad.error,
            "voice: HTTP 400: Twilio error 21211: The 'To' number +1 is not a valid phone number.");
  EXPECT_TRUE(
      HttpOutcome("sms", 429, R"({"code": 20429, "message": "Too Many Requests"})").retryable);
}

TEST(Outcome, SmtpReplyCodes) {
  EXPECT_TRUE(SmtpOutcome(250, "250 OK").ok);
  Outcome busy = SmtpOutcome(451, "451 4.3.0 Try again later");
  EXPECT_TRUE(busy.retryable);
  EXPECT_EQ(busy.error, "email: SMTP 451: 4.3.0 Try again later");
  Outcome gone = SmtpOutcome(550, "550 5.1.1 No such user");
  EXPECT_FALSE(gone.ok);
  EXPECT_FALSE(gone.retryable);
  EXPECT_EQ(gone.error, "email: SMTP 550: 5.1.1 No such user");
}

TEST(Text, Encodings) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(FormEncode("+49 151/ä&="), "%2B49+151%2F%C3%A4%26%3D");
  EXPECT_EQ(OneLine("  a\r\n\tb  c "), "a b c");
  EXPECT_EQ(Truncate("abcdef", 6), "abcdef");
  EXPECT_EQ(Truncate("abcdefg", 6), "abc...");
  EXPECT_EQ(Truncate("abc\xC3\xA4\xC3\xA4\xC3\xA4", 7), "abc...");  // never half a character
  EXPECT_EQ(Rfc5322Date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_TRUE(IsHttpUrl("https://hooks.slack.com/services/T/B/X"));
  EXPECT_FALSE(IsHttpUrl("ftp://x"));
  EXPECT_FALSE(IsHttpUrl("https://"));
  EXPECT_FALSE(IsHttpUrl("https://x/a b"));
  EXPECT_TRUE(IsE164("+4915112345678"));
  EXPECT_FALSE(IsE164("+049151"));
}

Delivery Page(std::string channel, std::string address) {
  Notice n;
  n.kind = "page";
  n.incident_number = 1;
  n.title = "t";
  n.urgency = "high";
  return {std::move(channel), std::move(address), "k1", n};
}

TEST(Email, EveryLineEndsWithCrlfAndFitsQuotedPrintable) {
  Settings s;
  s.smtp_url = "smtp://mail:587";
  s.smtp_from = "p@x.org";
  Delivery d = Page("email", "a@x.org");
  d.notice.details = std::string(500, 'y') + "\n" + std::string(300, '=');
  auto m = RenderEmail(d, s);
  ASSERT_TRUE(m.ok());
  size_t start = 0;
  while (start < m->data.size()) {
    size_t end = m->data.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "the message ends without CRLF";
    EXPECT_LE(end - start, 78u) << m->data.substr(start, end - start);
    EXPECT_EQ(m->data.substr(start, end - start).find('\n'), std::string::npos);
    start = end + 2;
  }
}

TEST(Sender, SettingsItCannotServeFailPermanentlyWithoutNetwork) {
  auto sender = NewSender(Settings{});
  Outcome sms = sender->Send(Page("sms", "+4915112345678"));
  EXPECT_FALSE(sms.ok);
  EXPECT_FALSE(sms.retryable);
  EXPECT_EQ(sms.error,
            "sms: no Twilio account configured (set PLINTH_TWILIO_ACCOUNT_SID, "
            "PLINTH_TWILIO_AUTH_TOKEN and PLINTH_TWILIO_FROM)");
  Outcome email = sender->Send(Page("email", "a@x.org"));
  EXPECT_FALSE(email.retryable);
  EXPECT_EQ(email.error,
            "email: no SMTP server configured (set PLINTH_SMTP_URL and PLINTH_SMTP_FROM)");
  Outcome slack = sender->Send(Page("slack", "not a url"));
  EXPECT_FALSE(slack.retryable);
  EXPECT_EQ(slack.error, "slack: the address must be an http(s) URL");
  Outcome pager = sender->Send(Page("pager", "x"));
  EXPECT_FALSE(pager.retryable);
  EXPECT_EQ(pager.error, "unknown channel \"pager\"");
}

TEST(Sender, ConnectionRefusedIsRetryableAndHidesTheUrl) {
  Settings s;
  s.timeout_ms = 2000;
  auto sender = NewSender(s);
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  Outcome o = sender->Send(Page("slack", "http://127.0.0.1:1/services/T/B/secretpath"));
  EXPECT_FALSE(o.ok);
  EXPECT_TRUE(o.retryable);
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.error.rfind("slack: ", 0), 0u) << o.error;
  EXPECT_EQ(o.error.find("secretpath"), std::string::npos) << o.error;
}

}  // namespace
}  // namespace plinth::notify
