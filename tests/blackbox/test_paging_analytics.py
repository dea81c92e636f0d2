"""Paging analytics through the real binary: events posted to the PagerDuty-compatible intake,
incidents acknowledged, resolved with actionable verdicts and reassigned through the API, then
GET /api/v1/paging/analytics compared whole against figures worked out here from the incidents
the API reports (creation, acknowledgement and resolution times, pages), on both backends."""

import datetime
import math
import os
import textwrap
import unittest
import zoneinfo

import harness

CATALOG = textwrap.dedent("""\
    apiVersion: plinth/v1
    kind: Person
    metadata: {name: ana}
    spec:
      timeZone: Europe/Berlin
      workingHours:
        start: "00:00"
        end: "24:00"
        days: [monday, tuesday, wednesday, thursday, friday, saturday, sunday]
    ---
    apiVersion: plinth/v1
    kind: Person
    metadata: {name: ben}
    spec: {timeZone: Europe/Berlin}
    ---
    apiVersion: plinth/v1
    kind: Person
    metadata: {name: bo}
    spec: {timeZone: Asia/Tokyo}
    ---
    apiVersion: plinth/v1
    kind: Team
    metadata: {name: pay}
    spec: {members: [ana, ben]}
    ---
    apiVersion: plinth/v1
    kind: Schedule
    metadata: {name: pay-primary}
    spec:
      team: pay
      timeZone: UTC
      layers:
        - {name: always, participants: [ana], turn: 1w, start: "2026-01-05T00:00"}
    ---
    apiVersion: plinth/v1
    kind: EscalationPolicy
    metadata: {name: pay-default}
    spec:
      owner: pay
      levels:
        - escalateAfter: 1h
          targets: [{schedule: pay-primary}]
    ---
    apiVersion: plinth/v1
    kind: Service
    metadata: {name: api}
    spec: {owner: pay, paging: {escalationPolicy: pay-default}}
    ---
    apiVersion: plinth/v1
    kind: Service
    metadata: {name: db}
    spec: {owner: pay, paging: {escalationPolicy: pay-default}}
    """)


def ms(text):
    return round(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def seconds(value_ms):
    return math.floor(value_ms / 1000 + 0.5)


def mean_median(values):
    """As the server computes them: whole seconds, rounded half up."""
    if not values:
        return {"meanSeconds": None, "medianSeconds": None}
    v = sorted(values)
    n = len(v)
    median = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    return {"meanSeconds": seconds(sum(v) / n), "medianSeconds": seconds(median)}


def share(part, whole):
    return math.floor(part * 1000 / whole + 0.5) / 1000 if whole else None


def quality(resolved, actionable, not_actionable, auto, none):
    return {"resolved": resolved, "actionable": actionable, "notActionable": not_actionable,
            "autoResolved": auto, "noVerdict": none,
            "actionableShare": share(actionable, resolved),
            "notActionableShare": share(not_actionable, resolved),
            "autoResolvedShare": share(auto, resolved)}


def in_default_hours(at, zone):
    local = datetime.datetime.fromtimestamp(ms(at) / 1000, zoneinfo.ZoneInfo(zone))
    return local.weekday() < 5 and 9 <= local.hour < 17


class PagingAnalyticsTests:
    def setUp(self):
        self.db = self.fresh_db()
        path = os.path.join(self.temp_dir(), "catalog.yaml")
        with open(path, "w") as f:
            f.write(CATALOG)
        self.cli(["apply", "-f", path], self.db)
        self.token = harness.admin_token(self.db)
        self.srv = self.server(self.db)
        self.srv.start()
        self.addCleanup(self.srv.stop)

    def call(self, method, path, body=None, token=None):
        code, _, out = self.srv.request(method, path, body, token=token or self.token)
        self.assertIn(code, (200, 201, 202), out)
        return out

    def event(self, key, action, dedup, klass=None, severity="critical"):
        body = {"routing_key": key, "event_action": action, "dedup_key": dedup}
        if action == "trigger":
            body["payload"] = {"summary": f"{klass} on host-1", "source": "host-1",
                               "severity": severity, "class": klass}
        code, _, out = self.srv.request("POST", "/v2/enqueue", body)
        self.assertEqual(code, 202, out)

    def incident(self, number):
        return self.call("GET", f"/api/v1/incidents/{number}")

    def test_analytics_match_the_incidents(self):
        keys = {s: self.call("POST", f"/api/v1/services/{s}/integrations",
                             {"type": "events-v2"})["key"] for s in ("api", "db")}
        # Incidents 1-5: A cpu, B disk (warning: low urgency), C cpu, D lag on db, E mem.
        self.event(keys["api"], "trigger", "cpu-1", "cpu")
        self.event(keys["api"], "trigger", "disk-1", "disk", severity="warning")
        self.event(keys["api"], "trigger", "cpu-2", "cpu")
        self.event(keys["db"], "trigger", "lag-1", "lag", severity="error")
        self.event(keys["api"], "trigger", "mem-1", "mem")
        paged = harness.wait_until(
            lambda: all(self.incident(n)["pages"] for n in range(1, 6)), timeout=20)
        self.assertTrue(paged, [self.incident(n) for n in range(1, 6)])

        self.event(keys["api"], "resolve", "disk-1")  # B: resolved by its source
        self.call("POST", "/api/v1/incidents/1/acknowledge")
        self.call("POST", "/api/v1/incidents/1/resolve", {"actionable": True})
        self.call("POST", "/api/v1/incidents/3/acknowledge")
        self.call("POST", "/api/v1/incidents/3/resolve", {"actionable": False})
        self.call("POST", "/api/v1/incidents/4/resolve")  # no acknowledgement, no verdict
        self.call("POST", "/api/v1/incidents/5/reassign", {"person": "bo"})
        inc = {n: self.incident(n) for n in range(1, 6)}
        self.assertEqual([inc[n]["status"] for n in range(1, 6)],
                         ["resolved", "resolved", "resolved", "resolved", "triggered"])
        self.assertEqual(inc[2]["resolvedBy"], "source:events-v2")  # the integration's name
        pages = [(p["person"], p["at"], n) for n in inc for p in inc[n]["pages"]]
        self.assertEqual(sorted(p[0] for p in pages), ["ana"] * 5 + ["bo"])

        tta = lambda ns: [ms(inc[n]["acknowledgedAt"]) - ms(inc[n]["createdAt"]) for n in ns]
        ttr = lambda ns: [ms(inc[n]["resolvedAt"]) - ms(inc[n]["createdAt"]) for n in ns]
        api = {"incidents": 4, "highUrgency": 3, "alerts": 4, "pages": 5, "acknowledged": 2,
               "resolved": 3, "open": 1, "mtta": mean_median(tta([1, 3])),
               "mttr": mean_median(ttr([1, 2, 3])), "quality": quality(3, 1, 1, 1, 0)}
        db = {"incidents": 1, "highUrgency": 1, "alerts": 1, "pages": 1, "acknowledged": 0,
              "resolved": 1, "open": 0, "mtta": mean_median([]), "mttr": mean_median(ttr([4])),
              "quality": quality(1, 0, 0, 0, 1)}
        pay = {"incidents": 5, "highUrgency": 4, "alerts": 5, "pages": 6, "acknowledged": 2,
               "resolved": 4, "open": 1, "mtta": mean_median(tta([1, 3])),
               "mttr": mean_median(ttr([1, 2, 3, 4])), "quality": quality(4, 1, 1, 1, 1)}
        bo_at = [at for person, at, _ in pages if person == "bo"][0]
        people = [
            # ana is on call all along on pay-primary and works around the clock.
            {"person": "ana", "timeZone": "Europe/Berlin", "pages": 5, "highUrgencyPages": 4,
             "offHoursPages": 0, "pagesOnCall": 5, "shifts": 1, "pagesPerShift": 5.0},
            {"person": "bo", "timeZone": "Asia/Tokyo", "pages": 1, "highUrgencyPages": 1,
             "offHoursPages": 0 if in_default_hours(bo_at, "Asia/Tokyo") else 1,
             "pagesOnCall": 0, "shifts": 0, "pagesPerShift": None},
        ]
        created = {n: inc[n]["createdAt"] for n in inc}
        noisiest = [
            {"service": "api", "alert": "cpu", "alerts": 2, "incidents": 2, "flapping": 0,
             "lastAt": created[3]},
            # Resolved by its source seconds after it fired: flapping. A and C resolved as
            # quickly, but by a responder.
            {"service": "api", "alert": "disk", "alerts": 1, "incidents": 1, "flapping": 1,
             "lastAt": created[2]},
            {"service": "api", "alert": "mem", "alerts": 1, "incidents": 1, "flapping": 0,
             "lastAt": created[5]},
            {"service": "db", "alert": "lag", "alerts": 1, "incidents": 1, "flapping": 0,
             "lastAt": created[4]},
        ]
        today = datetime.datetime.now(datetime.timezone.utc).date()
        first, end = today - datetime.timedelta(days=1), today + datetime.timedelta(days=2)
        daily = []
        for i in range(3):
            date = (first + datetime.timedelta(days=i)).isoformat()
            on = [n for n in inc if created[n].startswith(date)]
            daily.append({"date": date, "incidents": len(on),
                          "highUrgency": sum(inc[n]["urgency"] == "high" for n in on),
                          "alerts": len(on),
                          "pages": sum(at.startswith(date) for _, at, _ in pages)})
        want = {
            "from": f"{first.isoformat()}T00:00:00Z", "to": f"{end.isoformat()}T00:00:00Z",
            "team": None, "service": None,
            "totals": {**pay, "pagesOnCall": 5, "shifts": 1, "pagesPerShift": 5.0},
            "teams": [{"team": "pay", **pay}],
            "services": [{"service": "api", "team": "pay", **api},
                         {"service": "db", "team": "pay", **db}],
            "people": people, "noisiest": noisiest, "daily": daily,
        }
        query = f"from={first.isoformat()}&to={end.isoformat()}"
        viewer = harness.create_token(self.db, "viewer")
        got = self.call("GET", f"/api/v1/paging/analytics?{query}", token=viewer)
        self.assertEqual(got, want)
        # The team owns both services: the same figures.
        self.assertEqual(self.call("GET", f"/api/v1/paging/analytics?{query}&team=pay"),
                         {**want, "team": "pay"})
        # One service: its incidents, its pages, and the owner's schedule for shifts.
        only_db = self.call("GET", f"/api/v1/paging/analytics?{query}&service=db")
        self.assertEqual(only_db["totals"], {**db, "pagesOnCall": 1, "shifts": 1,
                                             "pagesPerShift": 1.0})
        self.assertEqual(only_db["people"], [
            {"person": "ana", "timeZone": "Europe/Berlin", "pages": 1, "highUrgencyPages": 1,
             "offHoursPages": 0, "pagesOnCall": 1, "shifts": 1, "pagesPerShift": 1.0}])
        self.assertEqual(only_db["noisiest"], noisiest[3:])

        self.assertProblem(
            self.srv.request("GET", "/api/v1/paging/analytics?team=nobody", token=self.token),
            400, "invalid", "team \"nobody\" does not exist",
            errors=[("/team", "team \"nobody\" does not exist")])
        self.assertProblem(
            self.srv.request("GET", "/api/v1/paging/analytics?from=yesterday", token=self.token),
            400, "invalid", "from: expected an RFC 3339 time such as 2026-11-22T09:00:00Z or a "
            "date such as 2026-11-22 (got \"yesterday\")",
            errors=[("/from", "from: expected an RFC 3339 time such as 2026-11-22T09:00:00Z or "
                              "a date such as 2026-11-22 (got \"yesterday\")")])
        code, _, _ = self.srv.request("GET", "/api/v1/paging/analytics")
        self.assertEqual(code, 401)

        # The fairness report counts the same pages.
        report = self.call("GET", "/api/v1/oncall/report")
        received = {p["person"]: p["pages"] for p in report["people"]}
        self.assertEqual(received, {"ana": 5, "ben": 0, "bo": 1})


class SqlitePagingAnalyticsTest(PagingAnalyticsTests, harness.BackendCase):
    backend = "sqlite"


class PostgresPagingAnalyticsTest(PagingAnalyticsTests, harness.BackendCase):
    backend = "postgres"


if __name__ == "__main__":
    unittest.main()
