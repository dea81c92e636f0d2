#include "notify/render.h"

#include "base/crypto.h"
#include "base/html.h"
#include "base/time.h"
#include "notify/text.h"

namespace plinth::notify {
namespace {

constexpr const char* kUserAgent = "plinth";
constexpr size_t kTitleMax = 200;       // in chat and voice headlines
constexpr size_t kDetailsMax = 2900;    // Slack's section text limit is 3000
constexpr size_t kTwimlTitleMax = 200;  // Twilio's Twiml parameter limit is 4000

std::string Title(const Notice& n) { return Truncate(OneLine(n.title), kTitleMax); }

// "Service: payments · Urgency: high · Status: triggered", leaving out empty fields.
std::string Facts(const Notice& n, bool slack) {
  std::string out;
  auto add = [&](const char* label, const std::string& value) {
    if (value.empty()) return;
    if (!out.empty()) out += " \xC2\xB7 ";
    std::string v = OneLine(value);
    out += std::string(label) + ": " + (slack ? "*" + SlackEscape(v) + "*" : v);
  };
  add("Service", n.service);
  add("Urgency", n.urgency);
  add("Status", n.status);
  return out;
}

struct Link {
  const char* id;     // "acknowledge"
  const char* label;  // "Acknowledge"
  std::string url;
};

// The links a notice offers: a page can be acknowledged and resolved, an acknowledged incident
// resolved; every notice links to the incident.
std::vector<Link> Links(const Notice& n) {
  std::vector<Link> links;
  if (n.kind == "page" && !n.ack_url.empty()) {
    links.push_back({"acknowledge", "Acknowledge", n.ack_url});
  }
  if (n.kind != "resolved" && !n.resolve_url.empty()) {
    links.push_back({"resolve", "Resolve", n.resolve_url});
  }
  if (!n.incident_url.empty()) links.push_back({"open", "Open", n.incident_url});
  return links;
}

HttpRequest JsonPost(const Delivery& d, const Json& body) {
  return {"POST",
          d.address,
          {{"Content-Type", "application/json"},
           {"Idempotency-Key", d.idempotency_key},
           {"User-Agent", kUserAgent}},
          body.dump()};
}

HttpRequest Webhook(const Delivery& d) {
  const Notice& n = d.notice;
  Json links = Json::object();
  if (!n.incident_url.empty()) links["incident"] = n.incident_url;
  if (!n.ack_url.empty()) links["acknowledge"] = n.ack_url;
  if (!n.resolve_url.empty()) links["resolve"] = n.resolve_url;
  Json body = {
      {"event", "incident." + n.kind},
      {"incident",
       {{"id", n.incident_id},
        {"number", n.incident_number},
        {"title", n.title},
        {"service", n.service},
        {"urgency", n.urgency},
        {"status", n.status},
        {"details", n.details},
        {"url", n.incident_url}}},
      {"links", links},
      {"person", n.person},
      {"at", FormatRfc3339(n.at_ms)},
  };
  return JsonPost(d, body);
}

HttpRequest Slack(const Delivery& d) {
  const Notice& n = d.notice;
  std::string headline = SlackEscape(Headline(n));
  std::string title =
      n.incident_url.empty() ? "*" + headline + "*" : "*<" + n.incident_url + "|" + headline + ">*";
  std::string facts = Facts(n, true);
  Json blocks = Json::array();
  blocks.push_back(
      {{"type", "section"},
       {"text", {{"type", "mrkdwn"}, {"text", facts.empty() ? title : title + "\n" + facts}}}});
  if (!n.details.empty()) {
    blocks.push_back(
        {{"type", "section"},
         {"text", {{"type", "plain_text"}, {"text", Truncate(n.details, kDetailsMax)}}}});
  }
  Json buttons = Json::array();
  for (const Link& l : Links(n)) {
    Json b = {{"type", "button"},
              {"action_id", l.id},
              {"text", {{"type", "plain_text"}, {"text", l.label}}},
              {"url", l.url}};
    if (std::string_view(l.id) == "acknowledge") b["style"] = "primary";
    buttons.push_back(b);
  }
  if (!buttons.empty()) blocks.push_back({{"type", "actions"}, {"elements", buttons}});
  std::string text = Headline(n);
  if (!n.service.empty()) text += " (" + OneLine(n.service) + ")";
  return JsonPost(d, {{"text", SlackEscape(text)}, {"blocks", blocks}});
}

HttpRequest Teams(const Delivery& d) {
  const Notice& n = d.notice;
  Json body = Json::array();
  body.push_back({{"type", "TextBlock"},
                  {"text", Headline(n)},
                  {"size", "Medium"},
                  {"weight", "Bolder"},
                  {"wrap", true}});
  if (std::string facts = Facts(n, false); !facts.empty()) {
    body.push_back({{"type", "TextBlock"}, {"text", facts}, {"isSubtle", true}, {"wrap", true}});
  }
  if (!n.details.empty()) {
    body.push_back(
        {{"type", "TextBlock"}, {"text", Truncate(n.details, kDetailsMax)}, {"wrap", true}});
  }
  Json actions = Json::array();
  for (const Link& l : Links(n)) {
    actions.push_back({{"type", "Action.OpenUrl"}, {"title", l.label}, {"url", l.url}});
  }
  Json card = {{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
               {"type", "AdaptiveCard"},
               {"version", "1.4"},
               {"body", body},
               {"actions", actions}};
  Json message = {
      {"type", "message"},
      {"attachments",
       {{{"contentType", "application/vnd.microsoft.card.adaptive"},
         {"contentUrl", nullptr},
         {"content", card}}}},
  };
  return JsonPost(d, message);
}

Result<HttpRequest> Twilio(const Delivery& d, const Settings& s) {
  if (s.twilio_account_sid.empty()) {
    return Error::Invalid(d.channel +
                          ": no Twilio account configured (set PLINTH_TWILIO_ACCOUNT_SID, "
                          "PLINTH_TWILIO_AUTH_TOKEN and PLINTH_TWILIO_FROM)");
  }
  if (!IsE164(d.address)) {
    return Error::Invalid(d.channel + ": the address must be an E.164 number such as +14155550100");
  }
  bool sms = d.channel == "sms";
  std::string form = "To=" + FormEncode(d.address) + "&From=" + FormEncode(s.twilio_from);
  form +=
      sms ? "&Body=" + FormEncode(SmsBody(d.notice)) : "&Twiml=" + FormEncode(VoiceTwiml(d.notice));
  return HttpRequest{
      "POST",
      s.twilio_url + "/2010-04-01/Accounts/" + s.twilio_account_sid +
          (sms ? "/Messages.json" : "/Calls.json"),
      {{"Content-Type", "application/x-www-form-urlencoded"},
       {"Accept", "application/json"},
       {"Authorization", "Basic " + Base64(s.twilio_account_sid + ":" + s.twilio_auth_token)},
       {"I-Twilio-Idempotency-Token", d.idempotency_key},
       {"User-Agent", kUserAgent}},
      form};
}

// The bare address of "Name <a@b>" or "a@b".
std::string BareAddress(std::string_view from) {
  size_t open = from.find('<');
  size_t close = from.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    return std::string(from.substr(open + 1, close - open - 1));
  }
  return OneLine(from);
}

// local@domain with no spaces, controls or characters that would break a header.
bool IsEmailAddress(std::string_view a) {
  size_t at = a.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 >= a.size()) return false;
  if (a.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : a) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
        c == ';' || c == '"' || c == '\\') {
      return false;
    }
  }
  return true;
}

// "<key@domain>" when the key is a dot-atom, else a hash of it, so a retry carries the same id.
std::string MessageId(std::string_view key, std::string_view domain) {
  bool atom = !key.empty() && key.front() != '.' && key.back() != '.' &&
              key.find("..") == std::string_view::npos;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_' || c == '+';
    atom = atom && ok;
  }
  std::string local = atom ? std::string(key) : Sha256Hex(key).substr(0, 32);
  return "<" + local + "@" + std::string(domain) + ">";
}

// An unstructured header value: as is when ASCII, else RFC 2047 encoded words, folded.
std::string EncodeHeader(std::string_view value) {
  if (IsAscii(value)) return std::string(value);
  std::string out;
  size_t i = 0;
  while (i < value.size()) {
    size_t n = std::min<size_t>(42, value.size() - i);  // 56 base64 characters
    while (i + n < value.size() && (static_cast<unsigned char>(value[i + n]) & 0xC0) == 0x80) {
      --n;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(value.substr(i, n)) + "?=";
    i += n;
  }
  return out;
}

// Quoted-printable (RFC 2045) of text with "\n" line ends; lines of at most 76 characters.
std::string QuotedPrintable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t width = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      unsigned char u = static_cast<unsigned char>(line[i]);
      bool last = i + 1 == line.size();
      bool literal = (u >= 33 && u <= 126 && u != '=' && !(u == '.' && width == 0)) ||
                     ((u == ' ' || u == '\t') && !last);
      std::string token =
          literal ? std::string(1, line[i]) : std::string{'=', kHex[u >> 4], kHex[u & 15]};
      if (width + token.size() > 75) {
        out += "=\r\n";
        width = 0;
        if (token == ".") token = "=2E";
      }
      out += token;
      width += token.size();
    }
    if (end == text.size()) break;
    out += "\r\n";
    start = end + 1;
  }
  return out;
}

std::string PlainText(const Notice& n) {
  std::string out = Headline(n) + "\n\n";
  for (auto [label, value] : {std::pair<const char*, const std::string*>{"Service", &n.service},
                              {"Urgency", &n.urgency},
                              {"Status", &n.status}}) {
    if (!value->empty()) out += std::string(label) + ": " + OneLine(*value) + "\n";
  }
  if (!n.details.empty()) out += "\n" + n.details + "\n";
  std::vector<Link> links = Links(n);
  if (!links.empty()) out += "\n";
  for (const Link& l : links) out += std::string(l.label) + ": " + l.url + "\n";
  out += "\n-- \nSent by plinth";
  if (!n.person.empty()) out += " to " + OneLine(n.person);
  return out + ".\n";
}

std::string Html(const Notice& n) {
  std::string out = "<!DOCTYPE html>\n<html>\n<body>\n";
  out += "<h2>" + HtmlEscape(Headline(n)) + "</h2>\n";
  if (std::string facts = Facts(n, false); !facts.empty()) {
    out += "<p>" + HtmlEscape(facts) + "</p>\n";
  }
  if (!n.details.empty()) out += "<pre>" + HtmlEscape(n.details) + "</pre>\n";
  std::vector<Link> links = Links(n);
  if (!links.empty()) {
    out += "<p>";
    for (size_t i = 0; i < links.size(); ++i) {
      if (i > 0) out += " | ";
      out += "<a href=\"" + HtmlEscape(links[i].url) + "\">" + links[i].label + "</a>";
    }
    out += "</p>\n";
  }
  out += "<p style=\"color:#666\">Sent by plinth";
  if (!n.person.empty()) out += " to " + HtmlEscape(OneLine(n.person));
  return out + ".</p>\n</body>\n</html>\n";
}

}  // namespace

std::string Headline(const Notice& n) {
  std::string head = "#" + std::to_string(n.incident_number);
  if (n.kind == "page") {
    if (!n.urgency.empty()) head += " " + OneLine(n.urgency);
  } else {
    head += " " + OneLine(n.kind);
  }
  return head + ": " + Title(n);
}

std::string SmsBody(const Notice& n) {
  std::string head = "plinth #" + std::to_string(n.incident_number) + " ";
  head += n.kind == "page" ? OneLine(n.urgency) : OneLine(n.kind);
  head += ": ";
  std::string tail;
  if (!n.service.empty()) tail += " (" + OneLine(n.service) + ")";
  if (n.kind == "page" && !n.ack_url.empty()) {
    tail += " Ack: " + n.ack_url;
  } else if (!n.incident_url.empty()) {
    tail += " " + n.incident_url;
  }
  size_t fixed = head.size() + tail.size();
  size_t budget = fixed + 20 < kSmsMaxChars ? kSmsMaxChars - fixed : 20;
  std::string body = head + Truncate(OneLine(n.title), budget) + tail;
  return Truncate(body, 1600);
}

std::string VoiceTwiml(const Notice& n) {
  std::string say = "This is plinth. Incident " + std::to_string(n.incident_number);
  if (n.kind == "page") {
    if (!n.urgency.empty()) say += ", " + OneLine(n.urgency) + " urgency";
    if (!n.service.empty()) say += ", on service " + OneLine(n.service);
    say += ": " + Truncate(OneLine(n.title), kTwimlTitleMax) + ".";
    say += " Please acknowledge it in plinth.";
  } else {
    say += " was " + OneLine(n.kind) + ": " + Truncate(OneLine(n.title), kTwimlTitleMax) + ".";
  }
  return "<Response><Say loop=\"2\">" + HtmlEscape(say) + "</Say></Response>";
}

Result<HttpRequest> RenderHttp(const Delivery& d, const Settings& s) {
  if (d.channel == "sms" || d.channel == "voice") return Twilio(d, s);
  if (d.channel != "webhook" && d.channel != "slack" && d.channel != "teams") {
    return Error::Invalid("unknown HTTP channel \"" + d.channel + "\"");
  }
  if (!IsHttpUrl(d.address)) {
    return Error::Invalid(d.channel + ": the address must be an http(s) URL");
  }
  if (d.channel == "webhook") return Webhook(d);
  if (d.channel == "slack") return Slack(d);
  return Teams(d);
}

Result<EmailMessage> RenderEmail(const Delivery& d, const Settings& s) {
  if (d.channel != "email") return Error::Invalid("not an email delivery: " + d.channel);
  if (s.smtp_url.empty() || s.smtp_from.empty()) {
    return Error::Invalid(
        "email: no SMTP server configured (set PLINTH_SMTP_URL and PLINTH_SMTP_FROM)");
  }
  if (!IsEmailAddress(d.address)) {
    return Error::Invalid("email: the address must be an email address such as ana@example.org");
  }
  const Notice& n = d.notice;
  EmailMessage m;
  m.smtp_url = s.smtp_url;
  m.envelope_from = BareAddress(s.smtp_from);
  m.envelope_to = d.address;
  std::string domain = m.envelope_from.substr(m.envelope_from.find('@') + 1);
  m.message_id = MessageId(d.idempotency_key, domain);
  std::string boundary = "plinth-" + Sha256Hex(d.idempotency_key).substr(0, 24);
  std::string& out = m.data;
  out += "From: " + OneLine(s.smtp_from) + "\r\n";
  out += "To: " + d.address + "\r\n";
  out += "Subject: " + EncodeHeader("[plinth] " + Headline(n)) + "\r\n";
  out += "Date: " + Rfc5322Date(n.at_ms) + "\r\n";
  out += "Message-ID: " + m.message_id + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n";
  out += "\r\n";
  for (auto [type, text] :
       {std::pair<const char*, std::string>{"text/plain", PlainText(n)}, {"text/html", Html(n)}}) {
    out += "--" + boundary + "\r\n";
    out += std::string("Content-Type: ") + type + "; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    out += QuotedPrintable(text) + "\r\n";
  }
  out += "--" + boundary + "--\r\n";
  return m;
}

}  // namespace plinth::notify
