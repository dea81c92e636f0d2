#include "notify/sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

#include "notify/outcome.h"
#include "notify/render.h"

namespace plinth::notify {
namespace {

constexpr size_t kMaxResponse = 64 * 1024;  // enough for any error body worth quoting

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using ListPtr = std::unique_ptr<curl_slist, CurlDeleter>;

// Appends a line to a libcurl list; false (the list unchanged) when out of memory.
bool Append(ListPtr& list, const std::string& line) {
  curl_slist* head = curl_slist_append(list.get(), line.c_str());
  if (!head) return false;
  (void)list.release();
  list.reset(head);
  return true;
}

size_t Collect(char* data, size_t size, size_t n, void* out) {
  auto* body = static_cast<std::string*>(out);
  size_t bytes = size * n;
  body->append(data, std::min(bytes, kMaxResponse - std::min(kMaxResponse, body->size())));
  return bytes;
}

struct Upload {
  std::string_view data;
  size_t at = 0;
};

size_t Feed(char* buf, size_t size, size_t n, void* in) {
  auto* up = static_cast<Upload*>(in);
  size_t bytes = std::min(size * n, up->data.size() - up->at);
  std::copy_n(up->data.data() + up->at, bytes, buf);
  up->at += bytes;
  return bytes;
}

// Keeps the server's reply lines of an SMTP session (what it said, never what we sent).
int KeepReplies(CURL*, curl_infotype type, char* data, size_t size, void* out) {
  auto* replies = static_cast<std::vector<std::string>*>(out);
  if (type == CURLINFO_HEADER_IN && replies->size() < 100) {
    std::string_view line(data, size);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (!line.empty()) replies->emplace_back(Snippet(line));
  }
  return 0;
}

// The last reply line that carries `code` (the one that failed), or "".
std::string ReplyWith(const std::vector<std::string>& replies, long code) {
  std::string prefix = std::to_string(code);
  for (auto it = replies.rbegin(); it != replies.rend(); ++it) {
    if (it->rfind(prefix, 0) == 0) return *it;
  }
  return "";
}

// Failures before a reply that a later attempt may get past.
bool RetryableTransport(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_AGAIN:
      return true;
    default:
      return false;
  }
}

class CurlSender final : public Sender {
 public:
  explicit CurlSender(Settings s) : settings_(std::move(s)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  Outcome Send(const Delivery& d) override {
    if (!IsChannel(d.channel)) {
      return {false, false, 0, "", "unknown channel \"" + Snippet(d.channel, 40) + "\""};
    }
    return d.channel == "email" ? SendEmail(d) : SendHttp(d);
  }

 private:
  Outcome SendHttp(const Delivery& d) {
    auto req = RenderHttp(d, settings_);
    if (!req.ok()) return {false, false, 0, "", req.error().message};
    CurlPtr curl(curl_easy_init());
    if (!curl) return {false, true, 0, "", d.channel + ": cannot start libcurl"};
    CURL* c = curl.get();
    ListPtr headers;
    bool listed = true;
    for (const auto& [name, value] : req->headers) listed &= Append(headers, name + ": " + value);
    listed &= Append(headers, "Expect:");  // no 100-continue round trip
    if (!listed) return {false, true, 0, "", d.channel + ": out of memory"};
    std::string body;
    char errbuf[CURL_ERROR_SIZE] = {};
    Common(c, errbuf);
    curl_easy_setopt(c, CURLOPT_URL, req->url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req->body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    CURLcode code = curl_easy_perform(c);
    if (code != CURLE_OK) return Transport(d, code, errbuf);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    Outcome o = HttpOutcome(d.channel, static_cast<int>(status), body);
    o.error = Redact(o.error, d);
    return o;
  }

  Outcome SendEmail(const Delivery& d) {
    auto msg = RenderEmail(d, settings_);
    if (!msg.ok()) return {false, false, 0, "", msg.error().message};
    CurlPtr curl(curl_easy_init());
    if (!curl) return {false, true, 0, "", "email: cannot start libcurl"};
    CURL* c = curl.get();
    std::string rcpt_line = "<" + msg->envelope_to + ">";
    ListPtr rcpt;
    if (!Append(rcpt, rcpt_line)) return {false, true, 0, "", "email: out of memory"};
    std::string from = "<" + msg->envelope_from + ">";
    Upload upload{msg->data};
    std::vector<std::string> replies;
    char errbuf[CURL_ERROR_SIZE] = {};
    Common(c, errbuf);
    curl_easy_setopt(c, CURLOPT_URL, msg->smtp_url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    bool implicit_tls = msg->smtp_url.rfind("smtps://", 0) == 0;
    if (implicit_tls || settings_.smtp_starttls) {
      curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    }
    if (!settings_.smtp_ca_file.empty()) {
      curl_easy_setopt(c, CURLOPT_CAINFO, settings_.smtp_ca_file.c_str());
    }
    if (!settings_.smtp_user.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, settings_.smtp_user.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, settings_.smtp_password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, Feed);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(msg->data.size()));
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, KeepReplies);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, &replies);
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // feeds KeepReplies; prints nothing itself
    CURLcode code = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (code != CURLE_OK && status < 400) return Transport(d, code, errbuf);
    Outcome o = SmtpOutcome(static_cast<int>(status), ReplyWith(replies, status));
    o.error = Redact(o.error, d);
    if (o.ok) o.provider_id = msg->message_id;
    return o;
  }

  void Common(CURL* c, char* errbuf) const {
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout_ms));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::min(settings_.timeout_ms, 5000)));
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  }

  Outcome Transport(const Delivery& d, CURLcode code, const char* errbuf) const {
    std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(code);
    return {false, RetryableTransport(code), 0, "", Redact(d.channel + ": " + Snippet(detail), d)};
  }

  // Removes anything secret that a server or libcurl might echo: credentials and chat webhook
  // URLs (whose path is the credential).
  std::string Redact(std::string text, const Delivery& d) const {
    std::vector<std::string_view> secrets = {settings_.twilio_auth_token, settings_.smtp_password};
    if (d.channel == "webhook" || d.channel == "slack" || d.channel == "teams") {
      secrets.push_back(d.address);
    }
    for (std::string_view secret : secrets) {
      if (secret.size() < 4) continue;
      for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
        text.replace(at, secret.size(), "***");
      }
    }
    return text;
  }

  const Settings settings_;  // Constant after construction
};

}  // namespace

std::unique_ptr<Sender> NewSender(Settings s) { return std::make_unique<CurlSender>(std::move(s)); }

}  // namespace plinth::notify
