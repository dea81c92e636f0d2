"""Tests of the fake receivers themselves: they must reject what the real services reject.

Run: cd tests/fakes && /usr/bin/python3 -m unittest -v test_fakes
(The accepting side is proven with plinth's real sender in src/notify/sender_fakes_test.cc.)
"""

import base64
import json
import smtplib
import ssl
import unittest
import urllib.error
import urllib.parse
import urllib.request

import fakes as fakes_module


class FakesTest(unittest.TestCase):
    def setUp(self):
        self.fakes = fakes_module.start_fakes(self)

    def post(self, path, body, content_type="application/json", headers=None):
        data = body if isinstance(body, bytes) else (
            json.dumps(body).encode() if content_type == "application/json" else body.encode())
        req = urllib.request.Request(self.fakes.url(path), data=data, method="POST",
                                     headers={"Content-Type": content_type, **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def twilio(self, kind, form, token=None, headers=None):
        sid = self.fakes.twilio_sid
        auth = base64.b64encode(f"{sid}:{token or self.fakes.twilio_token}".encode()).decode()
        path = f"/2010-04-01/Accounts/{sid}/{kind}.json"
        return self.post(path, urllib.parse.urlencode(form), "application/x-www-form-urlencoded",
                         {"Authorization": "Basic " + auth, **(headers or {})})

    def test_slack_answers_like_slack(self):
        self.assertEqual(self.post("/slack/T/B/X", {"text": "hi"}), (200, "ok"))
        self.assertEqual(self.post("/slack/T/B/X", {}), (400, "invalid_payload"))
        self.assertEqual(self.post("/slack/T/B/X", b"{", "application/json"),
                         (400, "invalid_payload"))
        bad_button = {"text": "x", "blocks": [{"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "Ack"}, "url": "ftp://x"}]}]}
        self.assertEqual(self.post("/slack/T/B/X", bad_button), (400, "invalid_blocks"))
        records = self.fakes.received("slack")
        self.assertEqual([r["status"] for r in records], [200, 400, 400, 400])
        self.assertEqual(records[1]["error"], "invalid_payload")

    def test_teams_wants_an_adaptive_card(self):
        card = {"type": "message", "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "content": {"type": "AdaptiveCard", "version": "1.4",
                        "body": [{"type": "TextBlock", "text": "hi"}]}}]}
        self.assertEqual(self.post("/teams/x", card), (202, ""))
        self.assertEqual(self.post("/teams/x", {"text": "hi"})[0], 400)  # an old connector card
        card["attachments"][0]["content"]["actions"] = [{"type": "Action.Submit", "title": "x"}]
        self.assertEqual(self.post("/teams/x", card)[0], 400)

    def test_webhook_needs_the_plinth_event(self):
        status, body = self.post("/webhook/x", {"event": "incident.page"})
        self.assertEqual(status, 400)
        self.assertEqual(body, "missing Idempotency-Key header")

    def test_twilio_checks_auth_and_form(self):
        to, frm = "+4915112345678", self.fakes.twilio_from
        status, body = self.twilio("Messages", {"To": to, "From": frm, "Body": "x"}, token="bad")
        self.assertEqual((status, json.loads(body)["code"]), (401, 20003))
        status, body = self.twilio("Messages", {"To": to, "From": frm})
        self.assertEqual((status, json.loads(body)["code"]), (400, 21602))
        status, body = self.twilio("Messages", {"To": "0151", "From": frm, "Body": "x"})
        self.assertEqual((status, json.loads(body)["code"]), (400, 21211))
        status, body = self.twilio("Messages", {"To": to, "From": frm, "Body": "x" * 1601})
        self.assertEqual((status, json.loads(body)["code"]), (400, 21617))
        status, body = self.twilio("Calls", {"To": to, "From": frm, "Twiml": "<Say>hi"})
        self.assertEqual((status, json.loads(body)["code"]), (400, 12100))
        token = {"I-Twilio-Idempotency-Token": "k1"}
        status, body = self.twilio("Messages", {"To": to, "From": frm, "Body": "x"}, None, token)
        self.assertEqual(status, 201)
        first = json.loads(body)
        self.assertEqual((first["status"], first["to"], first["body"]), ("queued", to, "x"))
        self.assertTrue(first["sid"].startswith("SM"))
        status, body = self.twilio("Messages", {"To": to, "From": frm, "Body": "x"}, None, token)
        self.assertEqual(json.loads(body)["sid"], first["sid"])
        self.assertEqual([r["duplicate"] for r in self.fakes.delivered("sms")], [False, True])

    def test_fail_next_and_reset(self):
        self.fakes.fail_next(2, 503, channel="slack")
        self.assertEqual(self.post("/webhook/x", {})[0], 400)  # other channels unaffected
        self.assertEqual(self.post("/slack/x", {"text": "a"}), (503, "injected failure"))
        self.assertEqual(self.post("/slack/x", {"text": "a"})[0], 503)
        self.assertEqual(self.post("/slack/x", {"text": "a"}), (200, "ok"))
        self.assertEqual(len(self.fakes.received()), 4)
        self.fakes.reset()
        self.assertEqual(self.fakes.received(), [])

    def message(self, message_id=True):
        lines = ["From: plinth@example.org", "To: ana@example.org", "Subject: hi",
                 "Date: Sun, 22 Nov 2026 08:03:00 +0000"]
        if message_id:
            lines.append("Message-ID: <k1@example.org>")
        return "\r\n".join(lines) + "\r\n\r\nhello\r\n"

    def test_smtp_requires_starttls_and_checks_headers(self):
        with smtplib.SMTP("127.0.0.1", self.fakes.smtp_port, timeout=10) as s:
            s.ehlo()
            with self.assertRaises(smtplib.SMTPSenderRefused) as e:
                s.sendmail("plinth@example.org", ["ana@example.org"], self.message())
            self.assertEqual(e.exception.smtp_code, 530)
        tls = ssl.create_default_context(cafile=self.fakes.ca)
        with smtplib.SMTP("127.0.0.1", self.fakes.smtp_port, timeout=10) as s:
            s.starttls(context=tls)
            s.login(self.fakes.smtp_user, self.fakes.smtp_password)
            s.sendmail("plinth@example.org", ["ana@example.org"], self.message())
            with self.assertRaises(smtplib.SMTPDataError) as e:
                s.sendmail("plinth@example.org", ["ana@example.org"], self.message(False))
            self.assertEqual(e.exception.smtp_code, 554)
        got = self.fakes.received("email")
        self.assertEqual([r["status"] for r in got], [250, 554])
        self.assertEqual(got[0]["email"]["starttls"], True)
        self.assertEqual(got[0]["email"]["auth_user"], "plinth")
        self.assertEqual(got[0]["email"]["message_id"], "<k1@example.org>")
        self.assertEqual(got[0]["email"]["text"], "hello\n")
        self.assertEqual(got[1]["error"], "554 5.6.0 missing header Message-ID")

    def test_stops_when_stdin_closes(self):
        self.fakes.stop()
        self.assertEqual(self.fakes.proc.returncode, 0)


if __name__ == "__main__":
    unittest.main()
