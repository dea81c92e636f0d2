"""SLOs through the real binary: data pushed over the API (with its permissions), status numbers
for hand-computed data, the list sorted by remaining budget with its filters, the burn-down,
CSV import through the CLI (a bad row names file:line and writes nothing), alert conditions at
fixed times with ?at=, and the background evaluator recording a page alert for a fast burn and
closing it when the burn stops."""

import datetime
import json
import os
import textwrap
import time
import unittest
from unittest import mock

import harness

CATALOG = textwrap.dedent("""\
    apiVersion: plinth/v1
    kind: Team
    metadata: {name: checkout}
    ---
    apiVersion: plinth/v1
    kind: Team
    metadata: {name: search}
    ---
    apiVersion: plinth/v1
    kind: Service
    metadata: {name: checkout-api}
    spec: {owner: checkout, tier: 1}
    ---
    apiVersion: plinth/v1
    kind: Service
    metadata: {name: search-api}
    spec: {owner: search, tier: 2}
    ---
    apiVersion: plinth/v1
    kind: SLO
    metadata: {name: checkout-avail, title: Checkout availability}
    spec:
      service: checkout-api
      objective: 0.99
      window: 1d
      indicator: {pushed: {}}
      policy: Freeze non-urgent changes while the budget is exhausted.
    ---
    apiVersion: plinth/v1
    kind: SLO
    metadata: {name: search-avail}
    spec:
      service: search-api
      objective: 0.99
      window: 1d
      indicator: {pushed: {}}
    ---
    apiVersion: plinth/v1
    kind: SLO
    metadata: {name: search-idle}
    spec:
      service: search-api
      objective: 0.9
      window: 7d
      indicator: {pushed: {}}
    ---
    apiVersion: plinth/v1
    kind: SLO
    metadata: {name: checkout-fast}
    spec:
      service: checkout-api
      objective: 0.99
      window: 30d
      indicator: {pushed: {}}
    """)

T0 = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.timezone.utc)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def points(start, minutes, good, total):
    return [{"minute": iso(start + datetime.timedelta(minutes=i)), "good": good, "total": total}
            for i in range(minutes)]


class SloTests:
    def setUp(self):
        self.db = self.fresh_db()
        d = self.temp_dir()
        with open(os.path.join(d, "slo.yaml"), "w") as f:
            f.write(CATALOG)
        self.cli(["apply", "-f", d], self.db)
        self.admin = harness.admin_token(self.db)

    def push(self, srv, slo, pts, token=None):
        code, _, body = srv.request("POST", f"/api/v1/slos/{slo}/data", {"points": pts},
                                    token=token or self.admin)
        return code, body

    def get(self, srv, path):
        code, _, body = srv.request("GET", path, token=self.admin)
        self.assertEqual(code, 200, body)
        return body

    def test_push_status_list_and_burndown(self):
        with self.server(self.db) as srv:
            hour_before = T0 - datetime.timedelta(hours=1)
            # 60,000 events, 300 bad; budget 1% of 60,000 = 600: half spent.
            self.assertEqual(self.push(srv, "checkout-avail", points(hour_before, 60, 995, 1000)),
                             (200, {"written": 60}))
            # 120 bad of 600: 0.8 left.
            self.assertEqual(self.push(srv, "search-avail", points(hour_before, 60, 998, 1000)),
                             (200, {"written": 60}))

            s = self.get(srv, "/api/v1/slos/checkout-avail/status?at=" + iso(T0))
            self.assertEqual(s, {
                "slo": "checkout-avail", "title": "Checkout availability",
                "service": "checkout-api", "team": "checkout", "tier": 1,
                "objective": 0.99, "method": "Occurrences",
                "window": {"description": "rolling 1d", "start": "2026-11-21T12:00:00Z",
                           "end": "2026-11-22T12:00:00Z", "length_minutes": 1440},
                "events": {"good": 59700.0, "total": 60000.0, "bad": 300.0},
                "attainment": s["attainment"],
                "budget": {"total": s["budget"]["total"], "consumed": 300.0,
                           "remaining_ratio": s["budget"]["remaining_ratio"]},
                "burn_rates": s["burn_rates"],
                "minutes_to_exhaustion": s["minutes_to_exhaustion"],
                "no_data": False, "no_data_reason": None, "alerts": [],
                "policy": "Freeze non-urgent changes while the budget is exhausted.",
                "policy_status": "ok"})
            self.assertAlmostEqual(s["attainment"], 0.995, places=12)
            self.assertAlmostEqual(s["budget"]["total"], 600, places=9)
            self.assertAlmostEqual(s["budget"]["remaining_ratio"], 0.5, places=12)
            self.assertEqual([b["window"] for b in s["burn_rates"]],
                             ["5m", "30m", "1h", "2h", "6h", "1d", "3d"])
            for b in s["burn_rates"]:
                self.assertAlmostEqual(b["burn_rate"], 0.5, places=9)
            # 0.5 of the budget at burn rate 0.5 lasts a whole window: 1440 minutes.
            self.assertAlmostEqual(s["minutes_to_exhaustion"], 1440, places=6)

            lst = self.get(srv, "/api/v1/slo-status?at=" + iso(T0))
            self.assertEqual(lst["at"], iso(T0))
            self.assertEqual([i["slo"] for i in lst["items"]],
                             ["checkout-avail", "search-avail", "checkout-fast", "search-idle"])
            self.assertAlmostEqual(lst["items"][1]["budget"]["remaining_ratio"], 0.8, places=12)
            self.assertTrue(lst["items"][3]["no_data"])
            self.assertEqual(lst["items"][3]["no_data_reason"], "no data in the window")
            self.assertNotIn("burn_rates", lst["items"][0])
            by = lambda q: [i["slo"] for i in self.get(srv, "/api/v1/slo-status?at=" + iso(T0)
                                                       + "&" + q)["items"]]
            self.assertEqual(by("team=search"), ["search-avail", "search-idle"])
            self.assertEqual(by("tier=1"), ["checkout-avail", "checkout-fast"])
            self.assertEqual(by("service=search-api&tier=1"), [])
            code, _, body = srv.request("GET", "/api/v1/slo-status?tier=9", token=self.admin)
            self.assertEqual((code, body["errors"][0]["pointer"]), (400, "/tier"))

            # The policy status per service is the worst of its SLOs', worst services first.
            pol = self.get(srv, "/api/v1/slo-policy?at=" + iso(T0))
            rank = {"ok": 0, "at risk": 1, "exhausted": 2}
            want = {}
            for i in lst["items"]:
                want.setdefault(i["service"], []).append((i["slo"], i["policy_status"]))
            self.assertEqual(sorted(p["service"] for p in pol["items"]), sorted(want))
            for p in pol["items"]:
                self.assertEqual(sorted((x["slo"], x["policy_status"]) for x in p["slos"]),
                                 sorted(want[p["service"]]))
                self.assertEqual(p["status"], max((x["policy_status"] for x in p["slos"]),
                                                  key=rank.get))
            self.assertEqual([rank[p["status"]] for p in pol["items"]],
                             sorted((rank[p["status"]] for p in pol["items"]), reverse=True))

            b = self.get(srv, "/api/v1/slos/checkout-avail/burndown?at=" + iso(T0))
            self.assertEqual(b["slo"], "checkout-avail")
            self.assertEqual(len(b["points"]), 144)  # every 10 minutes of a 1-day window
            self.assertEqual(b["points"][0], {"time": "2026-11-21T12:10:00Z",
                                              "remaining_ratio": None, "attainment": None})
            self.assertEqual(b["points"][-1]["time"], iso(T0))
            self.assertAlmostEqual(b["points"][-1]["remaining_ratio"], 0.5, places=12)
            self.assertEqual(b["points"][-7]["time"], "2026-11-22T11:00:00Z")
            self.assertIsNone(b["points"][-7]["remaining_ratio"])  # no data before 11:00

            # The CLI agrees with the API.
            r = self.cli(["slo", "status", "checkout-avail", "--at", iso(T0), "--format", "json"],
                         self.db)
            self.assertEqual(json.loads(r.stdout), s)
            r = self.cli(["slo", "status", "--at", iso(T0)], self.db)
            rows = [line.split()[0] for line in r.stdout.splitlines()[1:]]
            self.assertEqual(rows, ["checkout-avail", "search-avail", "checkout-fast",
                                    "search-idle"])
            self.assertIn("no data", r.stdout.splitlines()[-1])
            r = self.cli(["slo", "status", "checkout-avail", "--at", iso(T0)], self.db)
            self.assertIn("remaining 50.0%", r.stdout)
            r = self.cli(["slo", "status", "nope"], self.db, ok=False)
            self.assertNotEqual(r.returncode, 0)

    def test_push_permissions_and_bad_points(self):
        responder = harness.create_token(self.db, "responder", "checkout")
        other = harness.create_token(self.db, "responder", "search")
        viewer = harness.create_token(self.db, "viewer")
        with self.server(self.db) as srv:
            pts = points(T0, 2, 9, 10)
            self.assertEqual(self.push(srv, "checkout-avail", pts, responder)[0], 200)
            self.assertEqual(self.push(srv, "checkout-avail", pts, other)[0], 403)
            self.assertEqual(self.push(srv, "checkout-avail", pts, viewer)[0], 403)
            self.assertEqual(self.push(srv, "nope", pts)[0], 404)
            # Any authenticated principal reads.
            code, _, _ = srv.request("GET", "/api/v1/slos/checkout-avail/status", token=viewer)
            self.assertEqual(code, 200)
            code, _, _ = srv.request("GET", "/api/v1/slo-status")
            self.assertEqual(code, 401)

            before = harness.count_rows(self.db, "slo_minutes")
            bad = points(T0 + datetime.timedelta(minutes=5), 4, 9, 10)
            bad[1]["good"] = 11
            bad[2]["minute"] = "2026-11-22T12:07:30Z"
            bad[3]["total"] = -1
            bad[3]["extra"] = 1
            code, body = self.push(srv, "checkout-avail", bad)
            self.assertEqual(code, 400, body)
            self.assertEqual([e["pointer"] for e in body["errors"]],
                             ["/points/1/good", "/points/2/minute", "/points/3/extra",
                              "/points/3/total"])
            self.assertEqual(body["errors"][0]["detail"], "must not exceed total")
            code, body = self.push(srv, "checkout-avail", [])
            self.assertEqual((code, body["errors"][0]["pointer"]), (400, "/points"))
            code, body = self.push(srv, "checkout-avail", points(T0, 10001, 1, 1))
            self.assertEqual((code, body["errors"][0]["pointer"]), (400, "/points"))
            self.assertEqual(harness.count_rows(self.db, "slo_minutes"), before)

    def test_csv_import(self):
        d = self.temp_dir()
        bad = os.path.join(d, "bad.csv")
        with open(bad, "w") as f:
            f.write("timestamp,good,total\n2026-11-22T11:00:00Z,990,1000\n"
                    "2026-11-22T11:01:00Z,many,1000\n")
        r = self.cli(["slo", "import", "checkout-avail", bad], self.db, ok=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(f"{bad}:3: good: expected a count (a number >= 0), got \"many\"", r.stderr)
        self.assertEqual(harness.count_rows(self.db, "slo_minutes"), 0)

        good = os.path.join(d, "good.csv")
        start = int((T0 - datetime.timedelta(hours=1)).timestamp())
        with open(good, "w") as f:
            f.write("timestamp,good,total\n")
            for i in range(60):  # half as epoch seconds, half as RFC 3339
                t = start + 60 * i
                ts = str(t) if i % 2 else iso(datetime.datetime.fromtimestamp(
                    t, datetime.timezone.utc))
                f.write(f"{ts},995,1000\n")
        r = self.cli(["slo", "import", "checkout-avail", good], self.db)
        self.assertIn("imported 60 rows into checkout-avail", r.stdout)
        with self.server(self.db) as srv:
            s = self.get(srv, "/api/v1/slos/checkout-avail/status?at=" + iso(T0))
            self.assertEqual(s["events"], {"good": 59700.0, "total": 60000.0, "bad": 300.0})
            # An import while the server runs is seen at once (the data version moved).
            self.cli(["slo", "import", "checkout-avail", good], self.db)
            with open(good, "a") as f:
                f.write(f"{iso(T0 - datetime.timedelta(hours=2))},0,1000\n")
            self.cli(["slo", "import", "checkout-avail", good], self.db)
            s = self.get(srv, "/api/v1/slos/checkout-avail/status?at=" + iso(T0))
            self.assertEqual(s["events"]["bad"], 1300.0)
            self.assertEqual(s["policy_status"], "exhausted")

    def test_fast_burn_at_fixed_times(self):
        with self.server(self.db) as srv:
            # Three good days, then ten bad minutes: 1h burn 16.7 and 5m burn 100 > 14.4.
            start = T0 - datetime.timedelta(days=3)
            self.assertEqual(self.push(srv, "checkout-fast", points(start, 4320, 100, 100))[0],
                             200)
            self.assertEqual(self.push(srv, "checkout-fast", points(T0, 10, 0, 100))[0], 200)
            at = iso(T0 + datetime.timedelta(minutes=10))
            s = self.get(srv, "/api/v1/slos/checkout-fast/status?at=" + at)
            self.assertEqual([a["condition"] for a in s["alerts"]], ["page-quick"])
            self.assertAlmostEqual(s["alerts"][0]["long_burn"], 1000 / 6000 / 0.01, places=9)
            self.assertAlmostEqual(s["alerts"][0]["short_burn"], 100, places=9)
            self.assertAlmostEqual(s["alerts"][0]["factor"], 14.4, places=9)
            self.assertEqual(s["policy_status"], "at risk")
            # Ten good minutes later the 5-minute window is clean: the page stops.
            self.assertEqual(self.push(srv, "checkout-fast",
                                       points(T0 + datetime.timedelta(minutes=10), 10, 100, 100))[0],
                             200)
            s = self.get(srv, "/api/v1/slos/checkout-fast/status?at="
                         + iso(T0 + datetime.timedelta(minutes=20)))
            self.assertEqual(s["alerts"], [])
            # Still at risk: at the last hour's burn rate (16.7) the remaining 77% of the budget
            # goes in about 1,990 minutes, well before the 30-day window's length.
            self.assertEqual(s["policy_status"], "at risk")
            self.assertAlmostEqual(s["minutes_to_exhaustion"],
                                   (1 - 1000 / 4340) * 43200 / (1000 / 6000 / 0.01), places=6)

    def test_background_evaluator_records_and_closes_a_page(self):
        now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
        with mock.patch.dict(os.environ, {"PLINTH_SLO_EVALUATE_SECONDS": "1"}):
            srv = self.server(self.db)
            srv.start()
        try:
            # The last hour all bad: every burn-rate rule fires.
            self.assertEqual(self.push(srv, "checkout-fast",
                                       points(now - datetime.timedelta(hours=1), 70, 0, 100))[0],
                             200)

            def open_page():
                items = self.get(srv, "/api/v1/slos/checkout-fast/alerts")["items"]
                return [i for i in items if i["condition"] == "page-quick"]

            page = harness.wait_until(open_page, timeout=15)
            self.assertTrue(page, srv.stderr_text())
            self.assertEqual(len(page), 1)
            self.assertEqual(page[0]["severity"], "page")
            self.assertIsNone(page[0]["end"])
            self.assertTrue(page[0]["id"])
            # The burn stops: the same minutes good again; the alert gets its end.
            self.assertEqual(self.push(srv, "checkout-fast",
                                       points(now - datetime.timedelta(hours=1), 70, 100, 100))[0],
                             200)
            closed = harness.wait_until(lambda: [i for i in open_page() if i["end"]], timeout=15)
            self.assertTrue(closed, srv.stderr_text())
            self.assertEqual(len(open_page()), 1)  # never opened twice
            # Recorded alerts of a range that ends before it started: none.
            code, _, body = srv.request("GET", "/api/v1/slos/checkout-fast/alerts?to=2020-01-01T00:00:00Z",
                                        token=self.admin)
            self.assertEqual((code, body["items"]), (200, []))
        finally:
            self.assertEqual(srv.stop(), 0, srv.stderr_text())


class SqliteSloTest(SloTests, harness.BackendCase):
    backend = "sqlite"


class PostgresSloTest(SloTests, harness.BackendCase):
    backend = "postgres"


if __name__ == "__main__":
    unittest.main()
