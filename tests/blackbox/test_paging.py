"""Paging through the real binary: the PagerDuty Events API v2 exactly as PagerDuty documents it
(dedup rules, responses, validation, the size limit), the Alertmanager webhook, generic JSON and
change events; incidents escalating through a schedule to people whose notifications arrive at
the fake receivers in each channel's real wire format; one-click links; the per-key limit; and
an escalation timer that survives a restart."""

import datetime
import json
import os
import sys
import textwrap
import time
import unittest
import urllib.parse
from unittest import mock

import harness

sys.path.insert(0, os.path.join(harness.REPO, "tests", "fakes"))
import fakes as fake_receivers  # noqa: E402

CATALOG = textwrap.dedent("""\
    apiVersion: plinth/v1
    kind: Person
    metadata: {name: ana}
    spec:
      timeZone: Europe/Berlin
      contactMethods:
        - {type: slack, address: "FAKE/slack/T1/B1/ana"}
        - {type: sms, address: "+4915112345678"}
      notificationRules:
        - {after: 0s, contactTypes: [slack]}
        - {after: 2s, contactTypes: [sms], urgency: high}
    ---
    apiVersion: plinth/v1
    kind: Person
    metadata: {name: ben}
    spec:
      timeZone: America/New_York
      contactMethods:
        - {type: email, address: ben@example.org}
        - {type: webhook, address: "FAKE/webhook/ben"}
    ---
    apiVersion: plinth/v1
    kind: Team
    metadata: {name: payments}
    spec: {members: [ana, ben]}
    ---
    apiVersion: plinth/v1
    kind: Schedule
    metadata: {name: payments-primary}
    spec:
      team: payments
      timeZone: UTC
      layers:
        - name: everyone
          participants: [ana]
          turn: 1w
          start: "2026-01-05T00:00"
    ---
    apiVersion: plinth/v1
    kind: EscalationPolicy
    metadata: {name: payments-default}
    spec:
      owner: payments
      levels:
        - escalateAfter: 4s
          targets: [{schedule: payments-primary}]
        - escalateAfter: 1h
          targets: [{person: ben}]
    ---
    apiVersion: plinth/v1
    kind: Service
    metadata: {name: checkout}
    spec:
      owner: payments
      paging: {escalationPolicy: payments-default}
    ---
    apiVersion: plinth/v1
    kind: Service
    metadata: {name: ledger}
    spec: {owner: payments}
    """)


NOT_FOUND_EXIT = 3


def trigger(key, summary="disk full on db1", dedup=None, severity="critical", **extra):
    body = {"routing_key": key, "event_action": "trigger",
            "payload": {"summary": summary, "source": "db1", "severity": severity}}
    if dedup is not None:
        body["dedup_key"] = dedup
    body.update(extra)
    return body


class PagingTests:
    def setUp(self):
        self.fakes = fake_receivers.start_fakes(self)
        self.db = self.fresh_db()
        path = os.path.join(self.temp_dir(), "catalog.yaml")
        with open(path, "w") as f:
            f.write(CATALOG.replace("FAKE", self.fakes.url()))
        self.cli(["apply", "-f", path], self.db)
        self.token = harness.admin_token(self.db)

    def start(self, **env):
        with mock.patch.dict(os.environ, {**self.fakes.env(), **env}):
            srv = self.server(self.db)
            srv.start()
        self.addCleanup(srv.stop)
        return srv

    def integration(self, srv, service="checkout", type_="events-v2", **body):
        code, _, out = srv.request("POST", f"/api/v1/services/{service}/integrations",
                                   {"type": type_, **body}, token=self.token)
        self.assertEqual(code, 201, out)
        return out["key"]

    def incident(self, srv, number):
        code, _, out = srv.request("GET", f"/api/v1/incidents/{number}", token=self.token)
        self.assertEqual(code, 200, out)
        return out

    def test_pagerduty_dedup_rules(self):
        srv = self.start()
        key = self.integration(srv)
        # A trigger without a key gets one and returns it.
        code, _, out = srv.request("POST", "/v2/enqueue", trigger(key))
        self.assertEqual(code, 202, out)
        self.assertEqual(set(out), {"status", "message", "dedup_key"})
        self.assertEqual((out["status"], out["message"]), ("success", "Event processed"))
        generated = out["dedup_key"]
        self.assertRegex(generated, r"^[0-9a-f]{32}$")
        # The same key again: one alert, counted twice, no second incident.
        for _ in range(2):
            code, _, out = srv.request("POST", "/v2/enqueue", trigger(key, dedup="disk-db1"))
            self.assertEqual((code, out["dedup_key"]), (202, "disk-db1"))
        code, _, page = srv.request("GET", "/api/v1/incidents?status=open", token=self.token)
        self.assertEqual([i["number"] for i in page["items"]], [2, 1])
        second = self.incident(srv, 2)
        self.assertEqual([(a["dedupKey"], a["eventCount"]) for a in second["alerts"]],
                         [("disk-db1", 2)])
        # Acknowledge, resolve, then resolve again: dropped, still 202.
        for action, status in (("acknowledge", "acknowledged"), ("resolve", "resolved")):
            code, _, out = srv.request("POST", "/v2/enqueue", {
                "routing_key": key, "event_action": action, "dedup_key": "disk-db1"})
            self.assertEqual(code, 202, out)
            self.assertEqual(self.incident(srv, 2)["status"], status)
        code, _, out = srv.request("POST", "/v2/enqueue", {
            "routing_key": key, "event_action": "resolve", "dedup_key": "disk-db1"})
        self.assertEqual((code, out["message"]), (202, "Event processed"))
        # A trigger after the resolve opens a new alert and incident.
        code, _, out = srv.request("POST", "/v2/enqueue", trigger(key, dedup="disk-db1"))
        self.assertEqual(code, 202)
        self.assertEqual(self.incident(srv, 3)["alerts"][0]["dedupKey"], "disk-db1")
        self.assertEqual(self.incident(srv, 2)["resolvedBy"], "source:events-v2")
        # Acknowledge with nothing open under that key: dropped.
        code, _, out = srv.request("POST", "/v2/enqueue", {
            "routing_key": key, "event_action": "acknowledge", "dedup_key": "never-seen"})
        self.assertEqual(code, 202)

    def test_pagerduty_bad_input(self):
        srv = self.start()
        key = self.integration(srv)

        def invalid(body, errors, status=400):
            code, _, out = srv.request("POST", "/v2/enqueue", body)
            self.assertEqual(code, status, out)
            self.assertEqual(out["status"], "invalid event")
            self.assertEqual(out["errors"], errors)

        invalid("{not json", ["the body is not valid JSON: invalid JSON at byte 3: syntax error "
                              "while parsing object key - invalid literal; last read: '{no'; "
                              "expected string literal"])
        invalid(trigger("0" * 32), ["routing_key: no integration has this key (or it was "
                                    "revoked)"])
        invalid(trigger(key, severity="urgent"),
                ["payload.severity: must be critical, error, warning or info (got \"urgent\")"])
        invalid(trigger(key, summary="x" * 1025),
                ["payload.summary: must be at most 1024 characters (got 1025)"])
        invalid({"routing_key": key, "event_action": "trigger", "payload": {"summary": ""}},
                ["payload.summary: must not be empty", "payload.source: is required",
                 "payload.severity: is required"])
        invalid({"routing_key": key, "event_action": "resolve"},
                ["dedup_key: is required to resolve an alert"])
        invalid({"routing_key": key, "event_action": "explode", "dedup_key": "k"},
                ["event_action: must be trigger, acknowledge or resolve (got \"explode\")"])
        invalid(trigger(key, links=[{"text": "no href"}]), ["links[0].href: is required"])
        big = trigger(key, dedup="big")
        big["payload"]["custom_details"] = {"blob": "x" * (600 * 1024)}
        code, _, out = srv.request("POST", "/v2/enqueue", big)
        self.assertEqual(code, 413, out)
        self.assertEqual(out["message"], "Event object is too large")
        # Nothing of the above was stored; a valid event still goes through.
        self.assertEqual(harness.count_rows(self.db, "paging_alerts"), 0)
        code, _, _ = srv.request("POST", "/v2/enqueue", trigger(key, dedup="ok"))
        self.assertEqual(code, 202)
        self.assertEqual(harness.count_rows(self.db, "paging_alerts"), 1)

    def test_escalation_notifies_each_channel_and_one_click_acknowledges(self):
        srv = self.start()
        key = self.integration(srv)
        code, _, out = srv.request("POST", "/v2/enqueue", trigger(key, summary="checkout 5xx"))
        self.assertEqual(code, 202, out)
        # Level 1: the schedule's on-call person (ana), Slack at once, SMS after 2 s.
        slack = self.fakes.wait_for("slack", 1)[0]["body"]
        self.assertIn("#1 high: checkout 5xx", slack["text"])
        sms = self.fakes.wait_for("sms", 1)[0]["form"]
        self.assertEqual(sms["To"], "+4915112345678")
        self.assertIn("#1", sms["Body"])
        # Level 2 after 4 s: ben by email and webhook.
        mail = self.fakes.wait_for("email", 1)[0]["email"]
        self.assertEqual(mail["rcpt_tos"], ["ben@example.org"])
        self.assertTrue(mail["starttls"])
        hook = self.fakes.wait_for("webhook", 1)[0]
        self.assertEqual(hook["body"]["incident"]["number"], 1)
        inc = self.incident(srv, 1)
        self.assertEqual([(p["person"], p["level"], p.get("schedule")) for p in inc["pages"]],
                         [("ana", 1, "payments-primary"), ("ben", 2, None)])
        self.assertEqual(inc["level"], 2)
        keys = [d["idempotencyKey"] for d in inc["deliveries"]]
        self.assertEqual(len(keys), len(set(keys)))
        sent = harness.wait_until(lambda: [d["status"] for d in self.incident(srv, 1)[
            "deliveries"]] == ["sent"] * 4)
        self.assertTrue(sent, self.incident(srv, 1)["deliveries"])
        # Ana's Slack message carries a signed link: GET asks, POST acknowledges as ana.
        ack = next(e["url"] for b in slack["blocks"] if b["type"] == "actions"
                   for e in b["elements"] if e["action_id"] == "acknowledge")
        path = urllib.parse.urlsplit(ack).path
        code, _, page = srv.request("GET", path)
        self.assertEqual(code, 200)
        self.assertIn("Acknowledge as ana", page)
        code, _, page = srv.request("POST", path)
        self.assertEqual(code, 200, page)
        self.assertIn("is acknowledged", page)
        inc = self.incident(srv, 1)
        self.assertEqual((inc["status"], inc["acknowledgedBy"]), ("acknowledged", "ana"))
        # A forged link is refused.
        code, _, page = srv.request("POST", path[:-1] + ("0" if path[-1] != "0" else "1"))
        self.assertEqual(code, 403)

    def test_acknowledging_stops_later_notifications(self):
        srv = self.start()
        key = self.integration(srv)
        srv.request("POST", "/v2/enqueue", trigger(key))
        self.fakes.wait_for("slack", 1)
        code, _, inc = srv.request("POST", "/api/v1/incidents/1/acknowledge", {},
                                   token=self.token)
        self.assertEqual((code, inc["status"]), (200, "acknowledged"))
        time.sleep(5)  # past the SMS rule (2 s) and level 2 (4 s)
        self.assertEqual(self.fakes.received("sms"), [])
        self.assertEqual(self.fakes.received("email"), [])
        inc = self.incident(srv, 1)
        self.assertEqual(sorted(d["status"] for d in inc["deliveries"]), ["cancelled", "sent"])
        # Resolve with a verdict; snooze and reassign refuse a resolved incident.
        code, _, inc = srv.request("POST", "/api/v1/incidents/1/resolve", {"actionable": False},
                                   token=self.token)
        self.assertEqual((code, inc["status"], inc["actionable"]), (200, "resolved", False))
        code, _, out = srv.request("POST", "/api/v1/incidents/1/snooze", {"duration": "1h"},
                                   token=self.token)
        self.assertEqual(code, 409, out)
        self.assertEqual(out["detail"], "incident #1 is resolved")

    def test_reassign_and_snooze(self):
        srv = self.start()
        key = self.integration(srv)
        srv.request("POST", "/v2/enqueue", trigger(key))
        self.fakes.wait_for("slack", 1)
        code, _, out = srv.request("POST", "/api/v1/incidents/1/reassign", {"person": "nobody"},
                                   token=self.token)
        self.assertEqual(code, 400, out)
        self.assertEqual(out["errors"][0]["detail"], 'person "nobody" does not exist')
        code, _, inc = srv.request("POST", "/api/v1/incidents/1/reassign", {"person": "ben"},
                                   token=self.token)
        self.assertEqual((code, inc["assignees"]), (200, ["ben"]))
        self.fakes.wait_for("webhook", 1)
        code, _, out = srv.request("POST", "/api/v1/incidents/1/snooze", {"duration": "soon"},
                                   token=self.token)
        self.assertEqual(code, 400, out)
        code, _, inc = srv.request("POST", "/api/v1/incidents/1/snooze", {"duration": "2s"},
                                   token=self.token)
        self.assertEqual((code, inc["status"]), (200, "acknowledged"))
        back = harness.wait_until(
            lambda: self.incident(srv, 1)["status"] == "triggered", timeout=10)
        self.assertTrue(back, "the snooze did not end")
        kinds = [e["kind"] for e in self.incident(srv, 1)["log"]]
        self.assertEqual(kinds[:5], ["triggered", "escalated", "reassigned", "snoozed",
                                     "re-triggered"])

    def test_alertmanager_webhook_groups_by_group_key(self):
        srv = self.start()
        key = self.integration(srv, type_="alertmanager")
        alerts = [{"status": "firing", "labels": {"alertname": "HighLatency", "instance": i,
                                                  "severity": "warning"},
                   "annotations": {"summary": f"p99 high on {i}"},
                   "startsAt": "2026-11-22T08:00:00.123456789Z",
                   "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "http://prom/graph",
                   "fingerprint": f"fp-{i}"} for i in ("web1", "web2")]
        body = {"version": "4", "groupKey": "{}:{alertname=\"HighLatency\"}", "status": "firing",
                "receiver": "plinth", "groupLabels": {"alertname": "HighLatency"},
                "commonLabels": {}, "commonAnnotations": {}, "externalURL": "http://am",
                "truncatedAlerts": 0, "alerts": alerts}
        code, _, out = srv.request("POST", f"/integrations/alertmanager/{key}", body)
        self.assertEqual(code, 202, out)
        self.assertEqual(out["dedup_keys"], ["fp-web1", "fp-web2"])
        inc = self.incident(srv, 1)
        self.assertEqual((inc["alertCount"], inc["urgency"], inc["title"]),
                         (2, "low", "p99 high on web1"))
        self.assertEqual(sorted(a["details"]["labels"]["instance"] for a in inc["alerts"]),
                         ["web1", "web2"])
        for a in alerts:
            a["status"] = "resolved"
        body["status"] = "resolved"
        srv.request("POST", f"/integrations/alertmanager/{key}", body)
        self.assertEqual(self.incident(srv, 1)["status"], "resolved")
        code, _, out = srv.request("POST", f"/integrations/alertmanager/{key}", {"version": "3"})
        self.assertEqual(code, 400)
        self.assertEqual(out["errors"], ['version: must be "4" (got "3")',
                                         "groupKey: is required", "alerts: is required"])

    def test_generic_and_change_events(self):
        srv = self.start()
        code, _, out = srv.request("POST", "/api/v1/services/ledger/integrations",
                                   {"type": "generic", "mapping": {"title": "/x"}},
                                   token=self.token)
        self.assertEqual(code, 400, out)
        key = self.integration(srv, "ledger", "generic", name="uptime",
                               mapping={"summary": "/check/name", "dedup_key": "/check/id",
                                        "action": "/state", "severity": "/level"})
        code, _, out = srv.request("POST", f"/integrations/generic/{key}", {
            "check": {"name": "ledger is down", "id": 17}, "state": "alerting",
            "level": "ERROR"})
        self.assertEqual((code, out["dedup_key"]), (202, "17"))
        inc = self.incident(srv, 1)
        self.assertEqual((inc["service"], inc["urgency"], inc["escalationPolicy"]),
                         ("ledger", "high", None))
        self.assertEqual([e["kind"] for e in inc["log"]], ["triggered", "unassigned"])
        srv.request("POST", f"/integrations/generic/{key}", {
            "check": {"name": "ledger is down", "id": 17}, "state": "OK"})
        self.assertEqual(self.incident(srv, 1)["status"], "resolved")
        pd_key = self.integration(srv, "ledger")
        code, _, out = srv.request("POST", "/v2/change/enqueue", {
            "routing_key": pd_key, "payload": {"summary": "Deployed ledger 2.3",
                                               "timestamp": "2026-11-22T08:42:58.315+0000",
                                               "source": "ci"},
            "links": [{"href": "https://ci/42", "text": "build"}]})
        self.assertEqual((code, out), (202, {"status": "success",
                                             "message": "Change event processed"}))
        code, _, changes = srv.request("GET", "/api/v1/services/ledger/changes",
                                       token=self.token)
        self.assertEqual([(c["summary"], c["at"], c["source"]) for c in changes["items"]],
                         [("Deployed ledger 2.3", "2026-11-22T08:42:58.315Z", "ci")])
        # A revoked key stops working.
        code, _, listed = srv.request("GET", "/api/v1/integrations?service=ledger",
                                      token=self.token)
        gen = next(i for i in listed["items"] if i["type"] == "generic")
        code, _, _ = srv.request("DELETE", f"/api/v1/integrations/{gen['id']}", token=self.token)
        self.assertEqual(code, 204)
        code, _, out = srv.request("POST", f"/integrations/generic/{key}", {"check": {}})
        self.assertEqual((code, out["errors"]),
                         (400, ["key: no integration has this key (or it was revoked)"]))

    def test_one_flooding_key_does_not_delay_another(self):
        srv = self.start(PLINTH_EVENTS_PER_KEY_PER_SECOND="5")
        noisy = self.integration(srv, "ledger")
        key = self.integration(srv)
        codes = [srv.request("POST", "/v2/enqueue", trigger(noisy, dedup=f"n{i}"))[0]
                 for i in range(60)]
        self.assertIn(429, codes)
        self.assertEqual(codes[:25].count(202), 25)  # the burst (5 x 5) goes through
        code, headers, out = srv.request("POST", "/v2/enqueue", trigger(noisy, dedup="more"))
        self.assertEqual((code, out["status"]), (429, "throttle event"))
        self.assertGreaterEqual(int(headers["Retry-After"]), 1)
        code, _, _ = srv.request("POST", "/v2/enqueue", trigger(key, summary="checkout down"))
        self.assertEqual(code, 202)
        self.fakes.wait_for("slack", 1)
        accepted = codes.count(202)
        self.assertEqual(harness.count_rows(self.db, "paging_alerts",
                                            "WHERE service = 'ledger'"), accepted)

    def test_escalation_timer_survives_a_restart(self):
        srv = self.start()
        key = self.integration(srv)
        srv.request("POST", "/v2/enqueue", trigger(key))
        self.fakes.wait_for("slack", 1)
        srv.stop()
        time.sleep(5)  # level 2 falls due while no server runs
        self.start()
        self.fakes.wait_for("email", 1)
        time.sleep(1)
        self.assertEqual(len(self.fakes.received("email")), 1)
        self.assertEqual(harness.count_rows(self.db, "paging_pages", "WHERE person = 'ben'"), 1)

    def test_a_burning_slo_pages_and_resolves(self):
        path = os.path.join(self.temp_dir(), "slo.yaml")
        with open(path, "w") as f:
            f.write(textwrap.dedent("""\
                apiVersion: plinth/v1
                kind: SLO
                metadata: {name: checkout-avail}
                spec:
                  service: checkout
                  objective: 0.99
                  window: 30d
                  indicator: {pushed: {}}
                """))
        self.cli(["apply", "-f", path], self.db)
        srv = self.start(PLINTH_SLO_EVALUATE_SECONDS="1")
        now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)

        def push(good):
            pts = [{"minute": (now - datetime.timedelta(minutes=70 - i)).strftime(
                "%Y-%m-%dT%H:%M:%SZ"), "good": good, "total": 100} for i in range(70)]
            code, _, out = srv.request("POST", "/api/v1/slos/checkout-avail/data",
                                       {"points": pts}, token=self.token)
            self.assertEqual(code, 200, out)

        push(0)  # the last hour all bad: the burn-rate pages fire

        def open_incidents():
            return srv.request("GET", "/api/v1/incidents?status=open", token=self.token)[2]

        page = harness.wait_until(lambda: any(
            ": page-" in i["title"] for i in open_incidents()["items"]) and open_incidents(),
            timeout=20)
        self.assertTrue(page, srv.stderr_text())
        titles = [i["title"] for i in page["items"]]
        self.assertTrue(titles and all(t.startswith("SLO checkout-avail: ") for t in titles),
                        titles)
        # One incident per SLO and severity: the burn-rate pages (quick and slow) in a high
        # urgency one, the tickets (slow burns, budget exhausted, no data) in a low one.
        urgency = {i["title"].split(": ")[1].split("-")[0]: i["urgency"] for i in page["items"]}
        self.assertEqual(urgency.pop("page"), "high", titles)
        self.assertEqual(set(urgency.values()) | {"low"}, {"low"}, titles)
        self.assertEqual(len(titles), 1 + len(urgency), titles)
        self.fakes.wait_for("sms", 1)  # ana's high-urgency rule
        push(100)  # the burn stops: the SLO alerts end, the incidents resolve
        resolved = harness.wait_until(lambda: srv.request(
            "GET", "/api/v1/incidents?status=open", token=self.token)[2]["items"] == [],
            timeout=20)
        self.assertTrue(resolved)

    def test_cli(self):
        key = self.cli(["integration", "create", "--service", "checkout"], self.db).stdout.strip()
        self.assertRegex(key, r"^[0-9a-f]{32}$")
        r = self.cli(["integration", "create", "--service", "nope"], self.db, ok=False)
        self.assertEqual((r.returncode, r.stderr),
                         (NOT_FOUND_EXIT, 'service "nope" does not exist\n'))
        srv = self.start()
        srv.request("POST", "/v2/enqueue", trigger(key, summary="checkout 5xx"))
        harness.wait_until(lambda: harness.count_rows(self.db, "paging_incidents") == 1)
        r = self.cli(["incident", "list", "--format", "json"], self.db)
        self.assertEqual([i["title"] for i in json.loads(r.stdout)], ["checkout 5xx"])
        r = self.cli(["incident", "resolve", "1", "--actionable", "yes"], self.db)
        self.assertEqual(r.stdout, "incident #1 is resolved\n")
        self.assertEqual(self.incident(srv, 1)["actionable"], True)


class SqlitePagingTest(PagingTests, harness.BackendCase):
    backend = "sqlite"


class PostgresPagingTest(PagingTests, harness.BackendCase):
    backend = "postgres"


if __name__ == "__main__":
    unittest.main()
