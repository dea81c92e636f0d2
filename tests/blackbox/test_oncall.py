"""On call through the real binary: schedules applied as YAML, the final schedule across a DST
change, who is on call, overrides and swaps with their permissions, calendar feeds read back by
a real iCalendar parser (python3-icalendar), the fairness report, and the CLI (who, final as
table/JSON/iCal, plan, PagerDuty import)."""

import datetime
import json
import os
import textwrap
import unittest

import harness

try:
    import icalendar  # Debian's python3-icalendar
except ImportError:  # pragma: no cover - scripts/install-deps installs it
    icalendar = None

CATALOG = textwrap.dedent("""\
    apiVersion: plinth/v1
    kind: Person
    metadata: {name: ana}
    spec: {timeZone: Europe/Berlin, email: ana@example.com}
    ---
    apiVersion: plinth/v1
    kind: Person
    metadata: {name: ben}
    spec:
      timeZone: America/New_York
      workingHours: {start: "08:00", end: "16:00"}
    ---
    apiVersion: plinth/v1
    kind: Person
    metadata: {name: cem}
    spec: {timeZone: Europe/Berlin}
    ---
    apiVersion: plinth/v1
    kind: Team
    metadata: {name: payments}
    spec: {members: [ana, ben, cem]}
    ---
    apiVersion: plinth/v1
    kind: Service
    metadata: {name: payments-api}
    spec: {owner: payments}
    ---
    apiVersion: plinth/v1
    kind: Schedule
    metadata: {name: payments-primary, title: Payments primary}
    spec:
      team: payments
      timeZone: Europe/Berlin
      layers:
        - name: weekly
          participants: [ana, ben]
          turn: 1w
          start: "2026-03-02T09:00"
        - name: office
          participants: [cem]
          turn: 1w
          start: "2026-03-02T09:00"
          restrictions:
            - {type: weekly, startDay: monday, start: "09:00", duration: 8h}
            - {type: weekly, startDay: tuesday, start: "09:00", duration: 8h}
            - {type: weekly, startDay: wednesday, start: "09:00", duration: 8h}
            - {type: weekly, startDay: thursday, start: "09:00", duration: 8h}
            - {type: weekly, startDay: friday, start: "09:00", duration: 8h}
    """)

# Around the spring-forward of 2026-03-29 in Berlin (CET +01:00 -> CEST +02:00): ben's week
# from Monday 23 March 09:00 CET ends Monday 30 March 09:00 CEST, one hour short of 168 h;
# cem holds the office hours, 09:00-17:00 local on both sides of the change.
FINAL_DST_WEEK = [
    {"person": "ben", "start": "2026-03-27T16:00:00Z", "end": "2026-03-30T07:00:00Z",
     "source": "weekly"},
    {"person": "cem", "start": "2026-03-30T07:00:00Z", "end": "2026-03-30T15:00:00Z",
     "source": "office"},
    {"person": "ana", "start": "2026-03-30T15:00:00Z", "end": "2026-03-31T07:00:00Z",
     "source": "weekly"},
]


class OncallTests:
    def setUp(self):
        self.db = self.fresh_db()
        d = self.temp_dir()
        with open(os.path.join(d, "oncall.yaml"), "w") as f:
            f.write(CATALOG)
        self.cli(["apply", "-f", d], self.db)
        self.admin = harness.admin_token(self.db)

    def final(self, srv, frm, to):
        code, _, body = srv.request("GET", f"/api/v1/schedules/payments-primary/final?from={frm}"
                                           f"&to={to}", token=self.admin)
        self.assertEqual(code, 200, body)
        return body

    def test_final_schedule_across_spring_forward(self):
        with self.server(self.db) as srv:
            body = self.final(srv, "2026-03-27T16:00:00Z", "2026-03-31T07:00:00Z")
            self.assertEqual(body["final"], FINAL_DST_WEEK)
            self.assertEqual(body["timeZone"], "Europe/Berlin")
            self.assertEqual([l["name"] for l in body["layers"]], ["weekly", "office"])
            # A whole week's turn of the weekly layer: 167 hours over the change.
            weekly = self.final(srv, "2026-03-23T08:00:00Z", "2026-03-30T07:00:00Z")["layers"][0]
            self.assertEqual(weekly["shifts"], [
                {"person": "ben", "start": "2026-03-23T08:00:00Z", "end": "2026-03-30T07:00:00Z",
                 "source": "weekly"}])

            code, _, body = srv.request("GET", "/api/v1/schedules/payments-primary/oncall?at="
                                               "2026-03-28T12:00:00Z", token=self.admin)
            self.assertEqual((code, body["shift"]["person"]), (200, "ben"))
            code, _, body = srv.request("GET", "/api/v1/oncall?at=2026-03-30T08:00:00Z",
                                        token=self.admin)
            self.assertEqual(code, 200, body)
            self.assertEqual(body["items"][0]["schedule"], "payments-primary")
            self.assertEqual(body["items"][0]["team"], "payments")
            self.assertEqual(body["items"][0]["shift"], FINAL_DST_WEEK[1])
            self.assertEqual(body["items"][0]["next"], FINAL_DST_WEEK[2])
            code, _, body = srv.request("GET", "/api/v1/oncall?team=platform", token=self.admin)
            self.assertEqual((code, body["items"]), (200, []))
            code, _, body = srv.request("GET", "/api/v1/oncall?service=payments-api",
                                        token=self.admin)
            self.assertEqual([i["schedule"] for i in body["items"]], ["payments-primary"])
            code, _, body = srv.request("GET", "/api/v1/oncall?service=nope", token=self.admin)
            self.assertEqual(code, 404)

            code, _, body = srv.request("GET", "/api/v1/people/cem/shifts?from=2026-03-30T00:00:00Z"
                                               "&to=2026-03-31T00:00:00Z", token=self.admin)
            self.assertEqual(code, 200, body)
            self.assertEqual(body["items"], [dict(FINAL_DST_WEEK[1], schedule="payments-primary")])

            # Bad ranges are field errors.
            code, _, body = srv.request("GET", "/api/v1/schedules/payments-primary/final?from=soon",
                                        token=self.admin)
            self.assertEqual(code, 400)
            self.assertEqual(body["errors"][0]["pointer"], "/from")
            code, _, body = srv.request("GET", "/api/v1/schedules/payments-primary/final?"
                                               "from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z",
                                        token=self.admin)
            self.assertEqual((code, body["errors"][0]["detail"]),
                             (400, "the range may be at most 400 days long"))

    def test_overrides_and_swaps(self):
        viewer = harness.create_token(self.db, "viewer")
        responder = harness.create_token(self.db, "responder", "payments")
        path = "/api/v1/schedules/payments-primary/overrides"
        slot = {"person": "ana", "start": "2026-03-28T00:00:00Z", "end": "2026-03-29T00:00:00Z",
                "reason": "ben at a wedding"}
        with self.server(self.db) as srv:
            code, _, _ = srv.request("POST", path, slot, token=viewer)
            self.assertEqual(code, 403)
            before = harness.table_snapshot(self.db)
            code, _, body = srv.request("POST", path, {"person": "zed", "start": "x"},
                                        token=responder)
            self.assertEqual(code, 400, body)
            self.assertEqual([e["pointer"] for e in body["errors"]], ["/start", "/end"])
            self.assertEqual(harness.table_snapshot(self.db), before)

            code, _, created = srv.request("POST", path, slot, token=responder)
            self.assertEqual(code, 201, created)
            self.assertEqual(created["person"], "ana")
            code, _, body = srv.request("POST", path, dict(slot, person="cem"), token=responder)
            self.assertEqual(code, 409, body)
            self.assertIn(created["id"], body["detail"])

            final = self.final(srv, "2026-03-27T16:00:00Z", "2026-03-30T07:00:00Z")["final"]
            self.assertEqual(final[1], {"person": "ana", "start": "2026-03-28T00:00:00Z",
                                        "end": "2026-03-29T00:00:00Z", "source": "override",
                                        "override_id": created["id"]})

            # A swap: cem asks, ben takes it; the taker gets an override.
            swaps = "/api/v1/schedules/payments-primary/swaps"
            code, _, swap = srv.request("POST", swaps, {
                "requester": "cem", "start": "2026-03-30T07:00:00Z",
                "end": "2026-03-30T15:00:00Z"}, token=responder)
            self.assertEqual((code, swap["status"]), (201, "open"), swap)
            code, _, swap = srv.request("POST", f"{swaps}/{swap['id']}/accept", {"taker": "ben"},
                                        token=responder)
            self.assertEqual((code, swap["status"], swap["taker"]), (200, "accepted", "ben"), swap)
            code, _, body = srv.request("GET", "/api/v1/schedules/payments-primary/oncall?at="
                                               "2026-03-30T08:00:00Z", token=viewer)
            self.assertEqual(body["shift"]["person"], "ben")
            self.assertEqual(body["shift"]["override_id"], swap["override_id"])

            code, _, _ = srv.request("DELETE", f"{path}/{created['id']}", token=viewer)
            self.assertEqual(code, 403)
            code, _, _ = srv.request("DELETE", f"{path}/{created['id']}", token=responder)
            self.assertEqual(code, 204)
            code, _, body = srv.request("GET", path + "?from=2026-03-01T00:00:00Z", token=viewer)
            self.assertEqual([o["id"] for o in body["items"]], [swap["override_id"]])
            code, _, body = srv.request("GET", "/api/v1/audit?kind=Override", token=self.admin)
            self.assertEqual([e["action"] for e in body["items"]], ["delete", "create", "create"])

    @unittest.skipIf(icalendar is None, "python3-icalendar is not installed")
    def test_calendar_feeds_parse_with_a_real_parser(self):
        with self.server(self.db) as srv:
            code, _, feed = srv.request("POST", "/api/v1/schedules/payments-primary/feeds",
                                        token=self.admin)
            self.assertEqual(code, 201, feed)
            self.assertRegex(feed["url"], r"^/ical/[0-9a-f]{48}\.ics$")
            code, headers, text = srv.request("GET", feed["url"])  # no credentials
            self.assertEqual(code, 200, text)
            self.assertEqual(headers["Content-Type"], "text/calendar; charset=utf-8")
            cal = icalendar.Calendar.from_ical(text)
            self.assertEqual(str(cal["X-WR-CALNAME"]), "On call: payments-primary")
            events = [e for e in cal.walk("VEVENT")]
            self.assertGreater(len(events), 10)
            # The events are the final schedule: compare them with the API over their span.
            start = min(e.decoded("DTSTART") for e in events)
            end = max(e.decoded("DTEND") for e in events)
            iso = lambda t: t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            final = self.final(srv, iso(start), iso(end))["final"]
            got = [(str(e["SUMMARY"]), iso(e.decoded("DTSTART")), iso(e.decoded("DTEND")))
                   for e in events]
            want = [(f"On call: {s['person']} (payments-primary)", s["start"], s["end"])
                    for s in final if s["person"]]
            self.assertEqual(got, want)
            # Stable UIDs: a second fetch gives the same events under the same UIDs.
            _, _, again = srv.request("GET", feed["url"])
            self.assertEqual([str(e["UID"]) for e in icalendar.Calendar.from_ical(again).walk("VEVENT")],
                             [str(e["UID"]) for e in events])
            self.assertEqual(len({str(e["UID"]) for e in events}), len(events))

            code, _, feed = srv.request("POST", "/api/v1/people/cem/feeds", token=self.admin)
            self.assertEqual(code, 201)
            _, _, text = srv.request("GET", feed["url"])
            summaries = {str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}
            self.assertEqual(summaries, {"On call: cem (payments-primary)"})
            code, _, _ = srv.request("GET", "/ical/" + "0" * 48 + ".ics")
            self.assertEqual(code, 404)
            # A leaked URL is revoked: by its creator or a global manager, not by a viewer.
            viewer = harness.create_token(self.db, "viewer")
            code, _, _ = srv.request("DELETE", f"/api/v1/feeds/{feed['id']}", token=viewer)
            self.assertEqual(code, 403)
            code, _, listed = srv.request("GET", "/api/v1/feeds", token=viewer)
            self.assertEqual([(f["kind"], f["name"], f["revoked"]) for f in listed["items"]],
                             [("person", "cem", None), ("schedule", "payments-primary", None)])
            code, _, _ = srv.request("DELETE", f"/api/v1/feeds/{feed['id']}", token=self.admin)
            self.assertEqual(code, 204)
            code, _, _ = srv.request("GET", feed["url"])
            self.assertEqual(code, 404)

    def test_fairness_report(self):
        with self.server(self.db) as srv:
            code, _, body = srv.request("GET", "/api/v1/oncall/report?quarter=2026Q2",
                                        token=self.admin)
            self.assertEqual(code, 200, body)
            self.assertEqual((body["from"], body["to"]), ("2026-04-01T00:00:00Z",
                                                          "2026-07-01T00:00:00Z"))
            people = {p["person"]: p for p in body["people"]}
            # 2,184 hours in the quarter; cem holds 13 weeks x 5 days x 8 hours minus a partial
            # first day, the rest alternate weekly between ana and ben.
            total = sum(p["hours"] for p in people.values())
            self.assertAlmostEqual(total, 2184)
            self.assertTrue(people["ana"]["over_policy"])
            self.assertGreater(people["ben"]["off_hours"], people["ana"]["off_hours"] - 1000)
            self.assertEqual(body["schedules"][0]["gaps"], [])
            self.assertEqual(body["gaps_next_90_days"], [])
            code, _, body = srv.request("GET", "/api/v1/oncall/report?quarter=2026Q5",
                                        token=self.admin)
            self.assertEqual((code, body["errors"][0]["pointer"]), (400, "/quarter"))

    def test_cli_who_final_and_ical(self):
        r = self.cli(["oncall", "who", "payments-primary", "--at", "2026-03-30T08:00:00Z"],
                     self.db)
        self.assertEqual(r.stdout, "cem is on call on payments-primary (office) from "
                                   "2026-03-30 09:00 +02:00 Mon until 2026-03-30 17:00 +02:00 Mon\n")
        r = self.cli(["oncall", "final", "payments-primary", "--from", "2026-03-27T16:00:00Z",
                      "--to", "2026-03-31T07:00:00Z", "--format", "json"], self.db)
        self.assertEqual(json.loads(r.stdout)["final"], FINAL_DST_WEEK)
        r = self.cli(["oncall", "final", "payments-primary", "--from", "2026-03-27T16:00:00Z",
                      "--to", "2026-03-31T07:00:00Z"], self.db)
        self.assertEqual(r.stdout.splitlines()[2:], [
            "2026-03-27 17:00 +01:00 Fri  2026-03-30 09:00 +02:00 Mon  ben                   weekly",
            "2026-03-30 09:00 +02:00 Mon  2026-03-30 17:00 +02:00 Mon  cem                   office",
            "2026-03-30 17:00 +02:00 Mon  2026-03-31 09:00 +02:00 Tue  ana                   weekly"])
        if icalendar is not None:
            r = self.cli(["oncall", "final", "payments-primary", "--from", "2026-03-27T16:00:00Z",
                          "--to", "2026-03-31T07:00:00Z", "--format", "ical"], self.db)
            events = icalendar.Calendar.from_ical(r.stdout).walk("VEVENT")
            self.assertEqual([str(e["SUMMARY"]) for e in events],
                             ["On call: ben (payments-primary)", "On call: cem (payments-primary)",
                              "On call: ana (payments-primary)"])
        r = self.cli(["oncall", "who", "nope"], self.db, ok=False)
        self.assertEqual((r.returncode, r.stderr.strip()),
                         (3, 'schedule "nope" does not exist'))
        r = self.cli(["oncall", "final", "payments-primary", "--format", "xml"], self.db, ok=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--format: expected one of table, json, ical", r.stderr)

    def test_cli_pagerduty_import(self):
        src = os.path.join(harness.REPO, "tests", "golden", "pagerduty", "two-layers", "input.json")
        before = harness.table_snapshot(self.db)
        r = self.cli(["oncall", "import", "pagerduty", src], self.db, ok=False)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("no plinth person", r.stderr)
        self.assertEqual(harness.table_snapshot(self.db), before)
        r = self.cli(["oncall", "import", "pagerduty", src, "--create-people", "--name",
                      "payments-pd", "--team", "payments"], self.db)
        self.assertIn("+ Schedule payments-pd", r.stdout)
        again = self.cli(["oncall", "import", "pagerduty", src, "--create-people", "--name",
                          "payments-pd", "--team", "payments"], self.db)
        self.assertIn("no changes", again.stdout)
        self.assertIn("0 overrides imported", again.stdout)
        r = self.cli(["oncall", "final", "payments-pd", "--from", "2026-03-02T00:00:00Z",
                      "--to", "2026-03-09T00:00:00Z", "--format", "json"], self.db)
        final = json.loads(r.stdout)["final"]
        self.assertTrue(any(s["person"] for s in final), final)

    def test_cli_plan(self):
        # Three people in one zone cannot keep to one week a quarter.
        r = self.cli(["oncall", "plan", "--team", "payments", "--zone", "Europe/Berlin",
                      "--start", "2026-11-30"], self.db, ok=False)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("needs at least", r.stderr)
        self.assertIn("kind: Schedule", r.stdout)
        # With a policy of ten weeks a quarter one rotation of all three can (ben's turns,
        # Monday 00:00 in Berlin, touch two calendar weeks in New York); the proposal applies.
        r = self.cli(["oncall", "plan", "--team", "payments", "--zone", "Europe/Berlin",
                      "--start", "2026-11-30", "--max-weeks", "10", "--no-follow-the-sun",
                      "--name", "planned"], self.db)
        applied = self.cli(["apply", "-f", "-"], self.db, input=r.stdout)
        self.assertIn("+ Schedule planned", applied.stdout)
        r = self.cli(["oncall", "report", "--quarter", "2027Q1", "--max-weeks", "10",
                      "--format", "json"], self.db)
        report = json.loads(r.stdout)
        planned = [s for s in report["schedules"] if s["schedule"] == "planned"][0]
        self.assertEqual(planned["gaps"], [])

    def test_bad_schedule_is_refused_whole(self):
        bad = {"apiVersion": "plinth/v1", "kind": "Schedule", "metadata": {"name": "bad"},
               "spec": {"timeZone": "Europe/Berlin", "layers": [
                   {"name": "a", "participants": ["ana"], "turn": "1d",
                    "start": "2026-03-29T02:30"}]}}
        with self.server(self.db) as srv:
            before = harness.table_snapshot(self.db)
            code, _, body = srv.request("POST", "/api/v1/schedules", bad, token=self.admin)
            self.assertEqual(code, 400, body)
            self.assertEqual(body["errors"], [{
                "pointer": "/spec/layers/0/start",
                "detail": "\"2026-03-29T02:30\" does not exist in Europe/Berlin (the clocks jump "
                          "forward then); pick a time outside the gap"}])
            self.assertEqual(harness.table_snapshot(self.db), before)


class SqliteOncallTest(OncallTests, harness.BackendCase):
    backend = "sqlite"


class PostgresOncallTest(OncallTests, harness.BackendCase):
    backend = "postgres"


if __name__ == "__main__":
    unittest.main()
