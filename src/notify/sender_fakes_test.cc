// The real sender against tests/fakes/fake_receivers.py: one process that speaks every wire
// format (Slack, Teams, Twilio, SMTP with STARTTLS required) and validates it strictly. Each test
// starts the fakes (a child process on loopback), sends, and checks via GET /_received what
// arrived, field by field. Skipped only when python3-aiosmtpd is missing.

#include <curl/curl.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <set>
#include <thread>

#include "base/json.h"
#include "notify/render.h"
#include "notify/sender.h"

extern char** environ;

namespace plinth::notify {
namespace {

const std::string kScript = std::string(PLINTH_SOURCE_DIR) + "/tests/fakes/fake_receivers.py";

// Debian's interpreter (where python3-aiosmtpd is installed) ahead of any other on PATH.
std::string Python() {
  return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// A plain HTTP request to the fakes' control endpoints; the response body.
std::string Http(const std::string& method, const std::string& url) {
  std::string body;
  CURL* c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST") curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
  CURLcode code = curl_easy_perform(c);
  curl_easy_cleanup(c);
  EXPECT_EQ(code, CURLE_OK) << method << " " << url;
  return body;
}

// fake_receivers.py as a child process; it exits when we close its stdin.
class FakesProcess {
 public:
  ~FakesProcess() { Stop(); }

  // Starts the fakes and reads their ready line; "" or the reason it failed.
  std::string Start() {
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return "pipe failed";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    std::string python = Python();
    std::vector<char*> argv = {python.data(), const_cast<char*>(kScript.c_str()), nullptr};
    int rc = posix_spawnp(&pid_, python.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    fcntl(stdin_, F_SETFD, FD_CLOEXEC);
    if (rc != 0) {
      close(out[0]);
      pid_ = -1;
      return "cannot run " + python;
    }
    FILE* f = fdopen(out[0], "r");
    char line[4096] = {};
    bool got = fgets(line, sizeof line, f) != nullptr;
    fclose(f);
    if (!got) return "fake_receivers.py exited before it was ready";
    auto ready = ParseJson(line);
    if (!ready.ok()) return "bad ready line: " + std::string(line);
    ready_ = *ready;
    return "";
  }

  void Stop() {
    if (stdin_ >= 0) close(stdin_);
    stdin_ = -1;
    if (pid_ > 0) waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  const Json& ready() const { return ready_; }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(ready_["http"].get<int>()) + path;
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  Json ready_;
};

class SenderFakesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string check = Python() + " -c 'import aiosmtpd' 2>/dev/null";
    if (std::system(check.c_str()) != 0) {
      GTEST_SKIP() << "python3-aiosmtpd is not installed (Debian package python3-aiosmtpd); "
                      "the SMTP fake needs it";
    }
    std::string error = fakes_.Start();
    ASSERT_EQ(error, "");
    const Json& r = fakes_.ready();
    settings_.smtp_url = "smtp://127.0.0.1:" + std::to_string(r["smtp"].get<int>());
    settings_.smtp_from = "plinth <plinth@example.org>";
    settings_.smtp_ca_file = r["ca"];
    settings_.smtp_user = r["smtp_user"];
    settings_.smtp_password = r["smtp_password"];
    settings_.twilio_url = fakes_.Url("");
    settings_.twilio_account_sid = r["twilio_sid"];
    settings_.twilio_auth_token = r["twilio_token"];
    settings_.twilio_from = r["twilio_from"];
    settings_.timeout_ms = 5000;
  }

  Delivery Make(const std::string& channel, const std::string& address) {
    Notice n;
    n.kind = "page";
    n.incident_number = 42;
    n.incident_id = "inc_42";
    n.title = "Checkout error rate above 5%";
    n.service = "payments";
    n.urgency = "high";
    n.status = "triggered";
    n.details = "error rate 7.2% over 5m";
    n.incident_url = "https://plinth.example.org/incidents/42";
    n.ack_url = "https://plinth.example.org/act/42/acknowledge?sig=4f1c";
    n.resolve_url = "https://plinth.example.org/act/42/resolve?sig=9a2e";
    n.person = "Ana Lima";
    n.at_ms = 1795334580000;  // 2026-11-22T08:03:00Z
    return {channel, address, "dlv_" + channel + "_1", n};
  }

  // The one record of `channel` the fakes received.
  Json Received(const std::string& channel) {
    auto all = ParseJson(Http("GET", fakes_.Url("/_received?channel=" + channel)));
    EXPECT_TRUE(all.ok());
    EXPECT_EQ(all->size(), 1u) << all->dump(1);
    return all->empty() ? Json::object() : (*all)[0];
  }

  void FailNext(const std::string& query) { Http("POST", fakes_.Url("/_fail?" + query)); }

  FakesProcess fakes_;
  Settings settings_;
};

TEST_F(SenderFakesTest, WebhookArrivesWithIdempotencyKey) {
  Delivery d = Make("webhook", fakes_.Url("/webhook/team-payments"));
  Outcome o = NewSender(settings_)->Send(d);
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(o.status, 200);
  Json r = Received("webhook");
  EXPECT_EQ(r["path"], "/webhook/team-payments");
  EXPECT_EQ(r["headers"]["idempotency-key"], "dlv_webhook_1");
  EXPECT_EQ(r["headers"]["user-agent"], "plinth");
  EXPECT_EQ(r["headers"]["content-type"], "application/json");
  EXPECT_EQ(r["body"]["event"], "incident.page");
  EXPECT_EQ(r["body"]["incident"]["number"], 42);
  EXPECT_EQ(r["body"]["incident"]["title"], "Checkout error rate above 5%");
  EXPECT_EQ(r["body"]["links"]["acknowledge"], d.notice.ack_url);
  EXPECT_EQ(r["body"]["person"], "Ana Lima");
  EXPECT_EQ(r["body"]["at"], "2026-11-22T08:03:00Z");
}

TEST_F(SenderFakesTest, SlackAcceptsTheBlocks) {
  Delivery d = Make("slack", fakes_.Url("/slack/services/T0/B0/secret"));
  Outcome o = NewSender(settings_)->Send(d);
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(o.status, 200);
  Json r = Received("slack");
  EXPECT_EQ(r["status"], 200);
  EXPECT_EQ(r["body"]["text"], "#42 high: Checkout error rate above 5% (payments)");
  const Json& buttons = r["body"]["blocks"].back()["elements"];
  ASSERT_EQ(buttons.size(), 3u);
  EXPECT_EQ(buttons[0]["text"]["text"], "Acknowledge");
  EXPECT_EQ(buttons[0]["url"], d.notice.ack_url);
  EXPECT_EQ(buttons[2]["url"], d.notice.incident_url);
}

TEST_F(SenderFakesTest, TeamsAcceptsTheAdaptiveCard) {
  Delivery d = Make("teams", fakes_.Url("/teams/workflows/abc"));
  Outcome o = NewSender(settings_)->Send(d);
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(o.status, 202);
  Json r = Received("teams");
  const Json& card = r["body"]["attachments"][0]["content"];
  EXPECT_EQ(card["type"], "AdaptiveCard");
  EXPECT_EQ(card["version"], "1.4");
  EXPECT_EQ(card["body"][0]["text"], "#42 high: Checkout error rate above 5%");
  EXPECT_EQ(card["actions"][0]["type"], "Action.OpenUrl");
  EXPECT_EQ(card["actions"][0]["url"], d.notice.ack_url);
}

TEST_F(SenderFakesTest, EmailOverStartTlsWithAuth) {
  Delivery d = Make("email", "ana@example.org");
  Outcome o = NewSender(settings_)->Send(d);
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(o.status, 250);
  EXPECT_EQ(o.provider_id, "<dlv_email_1@example.org>");
  Json e = Received("email")["email"];
  EXPECT_EQ(e["starttls"], true);
  EXPECT_EQ(e["auth_user"], "plinth");
  EXPECT_EQ(e["mail_from"], "plinth@example.org");
  EXPECT_EQ(e["rcpt_tos"], Json::array({"ana@example.org"}));
  EXPECT_EQ(e["subject"], "[plinth] #42 high: Checkout error rate above 5%");
  EXPECT_EQ(e["message_id"], "<dlv_email_1@example.org>");
  EXPECT_EQ(e["headers"]["from"], "plinth <plinth@example.org>");
  EXPECT_EQ(e["headers"]["date"], "Sun, 22 Nov 2026 08:03:00 +0000");
  std::string text = e["text"];
  EXPECT_NE(text.find("Acknowledge: " + d.notice.ack_url + "\n"), std::string::npos) << text;
  std::string html = e["html"];
  EXPECT_NE(html.find("<a href=\"" + d.notice.ack_url + "\">Acknowledge</a>"), std::string::npos)
      << html;
}

TEST_F(SenderFakesTest, SmsAndVoiceThroughTwilio) {
  auto sender = NewSender(settings_);
  Delivery sms = Make("sms", "+4915112345678");
  Outcome o = sender->Send(sms);
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(o.status, 201);
  EXPECT_EQ(o.provider_id.substr(0, 2), "SM");
  Json r = Received("sms");
  EXPECT_EQ(r["path"], "/2010-04-01/Accounts/" + settings_.twilio_account_sid + "/Messages.json");
  EXPECT_EQ(r["headers"]["i-twilio-idempotency-token"], "dlv_sms_1");
  EXPECT_EQ(r["sid"], o.provider_id);
  EXPECT_EQ(r["form"], Json({{"To", "+4915112345678"},
                             {"From", settings_.twilio_from},
                             {"Body", SmsBody(sms.notice)}}));

  Delivery call = Make("voice", "+4915112345678");
  o = sender->Send(call);
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(o.provider_id.substr(0, 2), "CA");
  r = Received("voice");
  EXPECT_EQ(r["form"]["Twiml"], VoiceTwiml(call.notice));

  // A retried send carries the same idempotency token; the provider answers with the same sid.
  std::string first = o.provider_id;
  o = sender->Send(call);
  EXPECT_EQ(o.provider_id, first);
}

TEST_F(SenderFakesTest, OneSenderServesManyThreads) {
  auto sender = NewSender(settings_);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Delivery d = Make(i % 2 ? "email" : "webhook",
                        i % 2 ? "ana@example.org" : fakes_.Url("/webhook/" + std::to_string(i)));
      d.idempotency_key += "-" + std::to_string(i);
      if (sender->Send(d).ok) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 8);
  auto all = ParseJson(Http("GET", fakes_.Url("/_received")));
  ASSERT_TRUE(all.ok());
  std::set<std::string> keys;
  for (const Json& r : *all) {
    EXPECT_EQ(r["status"].get<int>() / 100, 2) << r.dump();
    keys.insert(r["channel"] == "email" ? r["email"]["message_id"].get<std::string>()
                                        : r["headers"]["idempotency-key"].get<std::string>());
  }
  EXPECT_EQ(keys.size(), 8u);
}

TEST_F(SenderFakesTest, ServerErrorsAndTimeoutsAreRetryable) {
  Settings fast = settings_;
  fast.timeout_ms = 500;
  auto sender = NewSender(fast);
  Delivery d = Make("webhook", fakes_.Url("/webhook/x"));
  FailNext("count=1&status=503");
  Outcome o = sender->Send(d);
  EXPECT_FALSE(o.ok);
  EXPECT_TRUE(o.retryable);
  EXPECT_EQ(o.status, 503);
  EXPECT_EQ(o.error, "webhook: HTTP 503: injected failure");
  EXPECT_TRUE(sender->Send(d).ok);  // the retry goes through

  FailNext("count=1&status=429&channel=sms");
  o = sender->Send(Make("sms", "+4915112345678"));
  EXPECT_TRUE(o.retryable);
  EXPECT_EQ(o.error, "sms: HTTP 429: Twilio error 20500: injected failure");

  FailNext("count=1&delay_ms=1500&channel=teams");
  o = sender->Send(Make("teams", fakes_.Url("/teams/slow")));
  EXPECT_FALSE(o.ok);
  EXPECT_TRUE(o.retryable);
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.error.find("timed out"), std::string::npos) << o.error;

  FailNext("count=1&status=451&channel=email");
  o = sender->Send(Make("email", "ana@example.org"));
  EXPECT_FALSE(o.ok);
  EXPECT_TRUE(o.retryable);
  EXPECT_EQ(o.status, 451);
  EXPECT_EQ(o.error, "email: SMTP 451: 4.3.0 injected failure");
}

TEST_F(SenderFakesTest, ClientErrorsArePermanentAndKeepSecretsOut) {
  auto sender = NewSender(settings_);
  FailNext("count=1&status=404&channel=slack");
  Outcome o = sender->Send(Make("slack", fakes_.Url("/slack/services/T0/B0/secret")));
  EXPECT_FALSE(o.ok);
  EXPECT_FALSE(o.retryable);
  EXPECT_EQ(o.error, "slack: HTTP 404: injected failure");

  FailNext("count=1&status=550&channel=email");
  o = sender->Send(Make("email", "ana@example.org"));
  EXPECT_FALSE(o.retryable);
  EXPECT_EQ(o.error, "email: SMTP 550: 5.7.1 injected failure");

  Settings wrong = settings_;
  wrong.twilio_auth_token = "wrong-token-123";
  o = NewSender(wrong)->Send(Make("sms", "+4915112345678"));
  EXPECT_FALSE(o.retryable);
  EXPECT_EQ(o.status, 401);
  EXPECT_EQ(o.error, "sms: HTTP 401: Twilio error 20003: Authenticate");

  wrong = settings_;
  wrong.smtp_password = "wrong-password-123";
  o = NewSender(wrong)->Send(Make("email", "ana@example.org"));
  EXPECT_FALSE(o.retryable);
  EXPECT_EQ(o.status, 535);
  EXPECT_EQ(o.error.find("wrong-password-123"), std::string::npos) << o.error;
}

TEST_F(SenderFakesTest, EmailNeedsTlsItCanVerify) {
  Settings plain = settings_;
  plain.smtp_starttls = false;
  plain.smtp_user = plain.smtp_password = "";  // AUTH is offered only after STARTTLS
  Outcome o = NewSender(plain)->Send(Make("email", "ana@example.org"));
  EXPECT_FALSE(o.ok);
  EXPECT_FALSE(o.retryable);
  EXPECT_EQ(o.status, 530);
  EXPECT_EQ(o.error, "email: SMTP 530: Must issue a STARTTLS command first");

  Settings untrusted = settings_;
  untrusted.smtp_ca_file = "";  // the system's CAs do not know the fake's certificate
  o = NewSender(untrusted)->Send(Make("email", "ana@example.org"));
  EXPECT_FALSE(o.ok);
  EXPECT_FALSE(o.retryable);
  EXPECT_NE(o.error.find("certificate"), std::string::npos) << o.error;
}

}  // namespace
}  // namespace plinth::notify
