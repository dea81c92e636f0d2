#!/usr/bin/env python3
"""Fake notification receivers: every channel plinth sends to, in one process, on loopback.

Speaks each real wire format and validates it strictly, so a test that passes here talks to
the real services too:
  POST /webhook/<any>   plinth's generic webhook JSON                -> 200 {"ok": true}
  POST /slack/<any>     Slack incoming webhook (text, blocks)        -> 200 "ok" | 400 invalid_payload
  POST /teams/<any>     Teams Workflows webhook (Adaptive Card)      -> 202 | 400
  POST /2010-04-01/Accounts/<sid>/Messages.json  Twilio SMS (Basic auth, form To/From/Body)
  POST /2010-04-01/Accounts/<sid>/Calls.json     Twilio call (form To/From/Twiml or Url)
                        -> 201 with a Twilio-shaped resource; the same I-Twilio-Idempotency-Token
                           gets the same sid back
  SMTP with STARTTLS required (a self-signed certificate made with `openssl` at start; its PEM
  is the "ca" of the ready line) and optional AUTH PLAIN/LOGIN after STARTTLS.

Control endpoints:
  GET  /_received[?channel=C]   JSON list of everything received, oldest first; each record has
                                channel, method, path, headers (names lower-cased), status (what
                                the fake answered), at (RFC 3339) and body (JSON), form (dict),
                                or email {mail_from, rcpt_tos, starttls, auth_user, headers,
                                subject, message_id, text, html (decoded, \n line ends), raw}
  POST /_fail?count=N&status=S[&channel=C][&delay_ms=D]
                                the next N requests (of channel C, or any HTTP channel) answer S
                                (after D ms); with channel=email, the next N messages get SMTP
                                reply S (e.g. 451 or 550); without status, only the delay
  POST /_reset                  forgets everything received and every pending failure

Prints one JSON line when ready:
  {"http": PORT, "smtp": PORT, "ca": PATH, "twilio_sid": ..., "twilio_token": ...,
   "twilio_from": ..., "smtp_user": ..., "smtp_password": ...}
Exits when stdin closes or on SIGTERM/SIGINT. Standard library plus aiosmtpd (Debian package
python3-aiosmtpd) and the openssl command.
"""

import argparse
import base64
import datetime
import email
import email.policy
import http.server
import json
import logging
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

TWILIO_SID = "ACf00000000000000000000000000000fa"
TWILIO_TOKEN = "fake-twilio-token"
TWILIO_FROM = "+15005550006"
SMTP_USER = "plinth"
SMTP_PASSWORD = "fake-smtp-password"

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


class State:
    """Everything received and the failures still to inject. Thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.records = []
        self.failures = []  # [channel or None, remaining, status or None, delay_ms]
        self.twilio_sids = {}  # idempotency token -> sid

    def add(self, record):
        record["at"] = now_rfc3339()
        with self.lock:
            self.records.append(record)

    def list(self, channel=None):
        with self.lock:
            return [r for r in self.records if channel is None or r["channel"] == channel]

    def fail(self, channel, count, status, delay_ms):
        with self.lock:
            self.failures.append([channel, count, status, delay_ms])

    def take_failure(self, channel):
        """(status or None, delay_ms) for the next request of `channel`, or None."""
        with self.lock:
            for f in self.failures:
                wanted = f[0]
                applies = wanted == channel if wanted else channel != "email"
                if applies and f[1] > 0:
                    f[1] -= 1
                    if f[1] == 0:
                        self.failures.remove(f)
                    return f[2], f[3]
        return None

    def reset(self):
        with self.lock:
            self.records.clear()
            self.failures.clear()
            self.twilio_sids.clear()

    def twilio_sid(self, prefix, token):
        with self.lock:
            if token and token in self.twilio_sids:
                return self.twilio_sids[token], True
            sid = prefix + os.urandom(16).hex()
            if token:
                self.twilio_sids[token] = sid
            return sid, False


class Invalid(Exception):
    """A request that breaks the wire format: (status, body, content type)."""

    def __init__(self, status, body, content_type="text/plain"):
        super().__init__(body)
        self.status, self.body, self.content_type = status, body, content_type


def require(cond, status, body, content_type="text/plain"):
    if not cond:
        raise Invalid(status, body, content_type)


def json_body(headers, raw, error):
    """The JSON object of a request; Invalid(400, error) for anything else."""
    require(headers.get("content-type", "").split(";")[0].strip() == "application/json", 400, error)
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Invalid(400, error)
    require(isinstance(value, dict), 400, error)
    return value


# --- channels ------------------------------------------------------------------------------

def check_webhook(headers, raw):
    require(headers.get("idempotency-key"), 400, "missing Idempotency-Key header")
    require(headers.get("user-agent", "").startswith("plinth"), 400, "missing User-Agent plinth")
    body = json_body(headers, raw, "invalid JSON: want an object with Content-Type application/json")
    event = body.get("event")
    require(event in ("incident.page", "incident.acknowledged", "incident.resolved"), 400,
            "event must be incident.page, incident.acknowledged or incident.resolved")
    inc = body.get("incident")
    require(isinstance(inc, dict), 400, "incident must be an object")
    require(isinstance(inc.get("number"), int) and isinstance(inc.get("title"), str), 400,
            "incident.number and incident.title are required")
    for key in ("id", "service", "urgency", "status", "details", "url"):
        require(isinstance(inc.get(key), str), 400, f"incident.{key} must be a string")
    require(isinstance(body.get("links"), dict), 400, "links must be an object")
    require(isinstance(body.get("person"), str), 400, "person must be a string")
    require(isinstance(body.get("at"), str) and body["at"].endswith("Z"), 400,
            "at must be an RFC 3339 UTC instant")
    return body, 200, json.dumps({"ok": True}), "application/json"


SLACK_BLOCKS = {"section", "actions", "header", "divider", "context", "image", "rich_text"}


def check_slack_text(obj, limit):
    return (isinstance(obj, dict) and obj.get("type") in ("mrkdwn", "plain_text")
            and isinstance(obj.get("text"), str) and 0 < len(obj["text"]) <= limit)


def check_slack(headers, raw):
    # Slack answers 400 with a short code in text/html, 200 "ok" on success.
    body = json_body(headers, raw, "invalid_payload")
    text, blocks = body.get("text"), body.get("blocks")
    require(isinstance(text, str) and text or isinstance(blocks, list) and blocks, 400,
            "invalid_payload")
    if blocks is not None:
        require(isinstance(blocks, list) and len(blocks) <= 50, 400, "invalid_blocks")
        for b in blocks:
            require(isinstance(b, dict) and b.get("type") in SLACK_BLOCKS, 400, "invalid_blocks")
            if b["type"] == "section":
                require(check_slack_text(b.get("text"), 3000), 400, "invalid_blocks")
            if b["type"] == "actions":
                elements = b.get("elements")
                require(isinstance(elements, list) and 0 < len(elements) <= 25, 400,
                        "invalid_blocks")
                ids = set()
                for e in elements:
                    require(isinstance(e, dict) and e.get("type") == "button", 400,
                            "invalid_blocks")
                    label = e.get("text")
                    require(isinstance(label, dict) and label.get("type") == "plain_text"
                            and 0 < len(label.get("text", "")) <= 75, 400, "invalid_blocks")
                    url = e.get("url")
                    require(isinstance(url, str) and 0 < len(url) <= 3000
                            and url.startswith(("http://", "https://")), 400, "invalid_blocks")
                    require(e.get("style") in (None, "primary", "danger"), 400, "invalid_blocks")
                    aid = e.get("action_id")
                    require(aid is None or isinstance(aid, str) and aid not in ids, 400,
                            "invalid_blocks")
                    ids.add(aid)
    return body, 200, "ok", "text/html"


TEAMS_ELEMENTS = {"TextBlock", "FactSet", "ColumnSet", "Container", "Image", "RichTextBlock"}


def check_teams(headers, raw):
    body = json_body(headers, raw, "invalid message: want an Adaptive Card message as JSON")
    require(body.get("type") == "message", 400, "type must be message")
    atts = body.get("attachments")
    require(isinstance(atts, list) and atts, 400, "attachments must be a non-empty list")
    for a in atts:
        require(isinstance(a, dict)
                and a.get("contentType") == "application/vnd.microsoft.card.adaptive", 400,
                "contentType must be application/vnd.microsoft.card.adaptive")
        card = a.get("content")
        require(isinstance(card, dict) and card.get("type") == "AdaptiveCard", 400,
                "content must be an AdaptiveCard")
        require(re.match(r"^1\.[0-6]$", str(card.get("version", ""))), 400,
                "AdaptiveCard version must be 1.0 to 1.6")
        items = card.get("body")
        require(isinstance(items, list) and items, 400, "AdaptiveCard body must be non-empty")
        for item in items:
            require(isinstance(item, dict) and item.get("type") in TEAMS_ELEMENTS, 400,
                    "unknown AdaptiveCard element")
            if item["type"] == "TextBlock":
                require(isinstance(item.get("text"), str) and item["text"], 400,
                        "TextBlock needs text")
        for action in card.get("actions", []):
            require(isinstance(action, dict) and action.get("type") == "Action.OpenUrl"
                    and isinstance(action.get("title"), str)
                    and str(action.get("url", "")).startswith(("http://", "https://")), 400,
                    "actions must be Action.OpenUrl with title and url")
    return body, 202, "", "text/plain"


def twilio_error(status, code, message):
    return Invalid(status, json.dumps({
        "code": code, "message": message, "status": status,
        "more_info": f"https://www.twilio.com/docs/errors/{code}"}), "application/json")


def check_twilio(state, path, headers, raw, kind, sid):
    auth = headers.get("authorization", "")
    try:
        user, _, password = base64.b64decode(auth[6:], validate=True).decode().partition(":")
        good = auth.startswith("Basic ") and user == sid == TWILIO_SID and password == TWILIO_TOKEN
    except (ValueError, UnicodeDecodeError):
        good = False
    if not good:
        raise twilio_error(401, 20003, "Authenticate")
    if headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        raise twilio_error(400, 20001, "Content-Type must be application/x-www-form-urlencoded")
    try:
        pairs = urllib.parse.parse_qsl(raw.decode("utf-8"), keep_blank_values=True,
                                       strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        raise twilio_error(400, 20001, "Malformed form body")
    form = {}
    for k, v in pairs:
        if k in form:
            raise twilio_error(400, 20001, f"Parameter {k} given twice")
        form[k] = v
    to, frm = form.get("To"), form.get("From")
    if not to:
        raise twilio_error(400, 21604, "A 'To' phone number is required.")
    if not E164.match(to):
        raise twilio_error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
    if not frm:
        raise twilio_error(400, 21603, "A 'From' phone number is required.")
    if frm != TWILIO_FROM:
        raise twilio_error(400, 21606, f"The From phone number {frm} is not a valid, "
                                       "SMS-capable inbound phone number for your account.")
    if kind == "sms":
        extra = set(form) - {"To", "From", "Body", "StatusCallback", "MessagingServiceSid"}
        text = form.get("Body", "")
        if not text:
            raise twilio_error(400, 21602, "Message body is required.")
        if len(text) > 1600:
            raise twilio_error(400, 21617, "The concatenated message body exceeds the 1600 "
                                           "character limit.")
    else:
        extra = set(form) - {"To", "From", "Twiml", "Url", "Method", "StatusCallback", "Timeout"}
        twiml, url = form.get("Twiml"), form.get("Url")
        if bool(twiml) == bool(url):
            raise twilio_error(400, 21205, "Exactly one of Url and Twiml is required.")
        if twiml:
            if len(twiml) > 4000:
                raise twilio_error(400, 21205, "Twiml exceeds 4000 characters.")
            try:
                root = ET.fromstring(twiml)
            except ET.ParseError as e:
                raise twilio_error(400, 12100, f"Document parse failure: {e}")
            if root.tag != "Response" or not len(root):
                raise twilio_error(400, 12100, "Twiml must be a <Response> with verbs")
    if extra:
        raise twilio_error(400, 20001, f"Unknown parameters: {', '.join(sorted(extra))}")
    token = headers.get("i-twilio-idempotency-token", "")
    new_sid, duplicate = state.twilio_sid("SM" if kind == "sms" else "CA", token)
    created = datetime.datetime.now(datetime.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000")
    resource = {
        "sid": new_sid, "account_sid": sid, "to": to, "from": frm, "status": "queued",
        "date_created": created, "date_updated": created, "api_version": "2010-04-01",
        "uri": f"{path[:-5]}/{new_sid}.json",
    }
    if kind == "sms":
        resource.update({"body": form["Body"], "direction": "outbound-api",
                         "num_segments": str(max(1, -(-len(form["Body"]) // 153))),
                         "messaging_service_sid": None, "error_code": None,
                         "error_message": None, "price": None, "price_unit": "USD"})
    else:
        resource.update({"direction": "outbound-api", "duration": None, "parent_call_sid": None})
    return form, 201, json.dumps(resource), "application/json", duplicate


TWILIO_PATH = re.compile(r"^/2010-04-01/Accounts/([A-Za-z0-9]+)/(Messages|Calls)\.json$")


def channel_of(path):
    for prefix in ("webhook", "slack", "teams"):
        if path.startswith(f"/{prefix}/"):
            return prefix, None
    m = TWILIO_PATH.match(path)
    if m:
        return ("sms" if m.group(2) == "Messages" else "voice"), m.group(1)
    return None, None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "plinth-fakes/1"

    def log_message(self, fmt, *args):  # quiet: tests read /_received instead
        pass

    def reply(self, status, body, content_type="text/plain"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/_received":
            return self.reply(404, "not found")
        query = urllib.parse.parse_qs(url.query)
        channel = query.get("channel", [None])[0]
        self.reply(200, json.dumps(self.server.state.list(channel)), "application/json")

    def do_POST(self):
        state = self.server.state
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if url.path == "/_fail":
            q = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
            status = int(q["status"]) if "status" in q else None
            state.fail(q.get("channel"), int(q.get("count", "1")), status,
                       int(q.get("delay_ms", "0")))
            return self.reply(200, json.dumps({"ok": True}), "application/json")
        if url.path == "/_reset":
            state.reset()
            return self.reply(200, json.dumps({"ok": True}), "application/json")
        channel, sid = channel_of(url.path)
        if channel is None:
            return self.reply(404, "not found")
        headers = {k.lower(): v for k, v in self.headers.items()}
        record = {"channel": channel, "method": "POST", "path": url.path + (
            "?" + url.query if url.query else ""), "headers": headers}
        try:
            record["body"] = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            record["raw"] = raw.decode("utf-8", "replace")
        injected = state.take_failure(channel)
        if injected:
            status, delay_ms = injected
            time.sleep(delay_ms / 1000)
            if status is not None:
                record["status"] = status
                state.add(record)
                body = "injected failure"
                if channel in ("sms", "voice"):
                    body = json.dumps({"code": 20500, "message": "injected failure",
                                       "status": status})
                return self.reply(status, body, "application/json" if channel in (
                    "sms", "voice") else "text/plain")
        try:
            if channel == "webhook":
                _, status, body, ctype = check_webhook(headers, raw)
            elif channel == "slack":
                _, status, body, ctype = check_slack(headers, raw)
            elif channel == "teams":
                _, status, body, ctype = check_teams(headers, raw)
            else:
                form, status, body, ctype, duplicate = check_twilio(
                    state, url.path, headers, raw, channel, sid)
                record.pop("body", None)
                record.pop("raw", None)
                record["form"] = form
                record["duplicate"] = duplicate
                record["sid"] = json.loads(body)["sid"]
        except Invalid as e:
            status, body, ctype = e.status, e.body, e.content_type
            record["error"] = e.body
        record["status"] = status
        state.add(record)
        self.reply(status, body, ctype)

    def do_PUT(self):
        self.reply(405, "method not allowed")

    do_DELETE = do_PATCH = do_PUT


# --- SMTP ----------------------------------------------------------------------------------

class SmtpHandler:
    def __init__(self, state):
        self.state = state

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        record = {"channel": "email", "method": "SMTP", "path": "", "headers": {}}
        injected = self.state.take_failure("email")
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        text = html = None
        for part in msg.walk():
            if part.get_content_maintype() == "multipart":
                continue
            if part.get_content_type() == "text/plain" and text is None:
                text = part.get_content().replace("\r\n", "\n")
            elif part.get_content_type() == "text/html" and html is None:
                html = part.get_content().replace("\r\n", "\n")
        record["email"] = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "starttls": session.ssl is not None,
            "auth_user": session.login_data.decode() if isinstance(
                session.login_data, bytes) else session.login_data,
            "headers": {k.lower(): str(v) for k, v in msg.items()},
            "subject": str(msg.get("Subject", "")),
            "message_id": str(msg.get("Message-ID", "")),
            "text": text,
            "html": html,
            "raw": raw.decode("utf-8", "replace"),
        }
        record["headers"] = record["email"]["headers"]
        reply = "250 2.0.0 Message accepted for delivery"
        missing = [h for h in ("From", "To", "Date", "Message-ID", "Subject") if h not in msg]
        if b"\n" in raw.replace(b"\r\n", b""):
            reply = "554 5.6.0 bare LF in message"
        elif missing:
            reply = f"554 5.6.0 missing header {missing[0]}"
        elif any(len(line) > 998 for line in raw.split(b"\r\n")):
            reply = "554 5.6.0 line longer than 998 characters"
        if injected and injected[0] is not None:
            reply = f"{injected[0]} {'4.3.0' if injected[0] < 500 else '5.7.1'} injected failure"
        record["status"] = int(reply[:3])
        if reply[0] != "2":
            record["error"] = reply
        self.state.add(record)
        return reply


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (getattr(auth_data, "login", None) == SMTP_USER.encode()
          and getattr(auth_data, "password", None) == SMTP_PASSWORD.encode())
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


class PortZeroController(Controller):
    """aiosmtpd's Controller on a port the OS picks."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def make_certificate(directory):
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return cert, key


def main():
    if not os.environ.get("PLINTH_FAKES_DEBUG"):
        # aiosmtpd logs a traceback for every client that gives up on TLS; tests do that on
        # purpose. PLINTH_FAKES_DEBUG=1 shows them.
        logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="plinth-fakes-")
    stop = threading.Event()
    try:
        cert, key = make_certificate(tmp)
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(cert, key)

        state = State()
        httpd = http.server.ThreadingHTTPServer((args.host, 0), Handler)
        httpd.daemon_threads = True
        httpd.state = state
        threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()

        smtp = PortZeroController(SmtpHandler(state), hostname=args.host, port=0,
                                  server_hostname="fakes.plinth.test", tls_context=tls,
                                  require_starttls=True, authenticator=authenticator,
                                  auth_required=False, auth_require_tls=True)
        smtp.start()

        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())

        def watch_stdin():
            try:  # os.read, not sys.stdin: a daemon thread must hold no lock at shutdown
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            stop.set()

        threading.Thread(target=watch_stdin, daemon=True).start()
        print(json.dumps({
            "http": httpd.server_address[1], "smtp": smtp.port, "ca": cert,
            "twilio_sid": TWILIO_SID, "twilio_token": TWILIO_TOKEN, "twilio_from": TWILIO_FROM,
            "smtp_user": SMTP_USER, "smtp_password": SMTP_PASSWORD,
        }), flush=True)
        while not stop.wait(0.1):
            pass
        httpd.shutdown()
        smtp.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
