"""`plinth demo`: a realistic organisation, printed logins that work, idempotent re-runs."""

import datetime
import re
import unittest

import harness

# The last line of the banner; by then the URL, logins and token have been printed.
READY = re.compile(r'^  try:  curl -H "Authorization: Bearer plt_\w+" '
                   r"(?P<url>http://127\.0\.0\.1:\d+)/api/v1/services$")


class DemoTest(harness.BackendCase):
    backend = "sqlite"

    def run_demo(self, db):
        return self.server(db, args=["demo", "--db", db, "--listen", "127.0.0.1:0"],
                           ready=READY)

    def banner(self, srv):
        out = srv.stdout_text()
        self.assertIn(f"plinth demo is running at {srv.url}  (Ctrl-C stops it)", out)
        login = re.search(r"(?m)^  console login   admin / (\S+)    \(read-only: viewer / (\S+)\)$",
                          out)
        token = re.search(r"(?m)^  API token       (plt_\w+)$", out)
        self.assertTrue(login and token, out)
        return login.group(1), login.group(2), token.group(1)

    def items(self, srv, token, path):
        status, _, body = srv.request("GET", path, token=token)
        self.assertEqual(status, 200, body)
        self.assertIsNone(body["next_cursor"])
        return body["items"]

    def login(self, srv, user, password):
        return srv.request("POST", "/api/v1/login", {"user": user, "password": password})[0]

    def check_paging(self, srv, token, team_names):
        """90 days of paging: every team paged, the flapping disk alert the noisiest, an alert
        storm, verdicts of every kind, incidents open now, and the fairness report's pages."""
        start = (datetime.datetime.now(datetime.timezone.utc)
                 - datetime.timedelta(days=91)).date().isoformat()
        status, _, a = srv.request("GET", f"/api/v1/paging/analytics?from={start}", token=token)
        self.assertEqual(status, 200, a)
        totals = a["totals"]
        self.assertGreater(totals["incidents"], 250, totals)
        self.assertGreater(totals["alerts"], totals["incidents"])
        self.assertGreaterEqual(totals["pages"], totals["incidents"])
        self.assertEqual({t["team"] for t in a["teams"]}, team_names)
        self.assertTrue(60 <= totals["mtta"]["medianSeconds"] <= 900, totals["mtta"])
        q = totals["quality"]
        for bucket in ("actionable", "notActionable", "autoResolved"):
            self.assertGreater(q[bucket], 0, q)
        noisiest = a["noisiest"][0]
        self.assertEqual((noisiest["service"], noisiest["alert"]), ("search-index", "DiskSpaceLow"))
        self.assertGreater(noisiest["flapping"], 0.8 * noisiest["alerts"], noisiest)
        self.assertGreaterEqual(max(d["alerts"] for d in a["daily"]), 38)  # the storm
        self.assertTrue(any(p["offHoursPages"] for p in a["people"]))
        status, _, page = srv.request("GET", "/api/v1/incidents?status=open", token=token)
        self.assertEqual(status, 200, page)
        self.assertLessEqual({"triggered", "acknowledged"}, {i["status"] for i in page["items"]})
        status, _, report = srv.request("GET", "/api/v1/oncall/report", token=token)
        self.assertEqual(status, 200, report)
        status, _, quarter = srv.request(
            "GET", f"/api/v1/paging/analytics?from={report['from']}&to={report['to']}",
            token=token)
        self.assertEqual(status, 200, quarter)
        self.assertEqual(sum(p["pages"] for p in report["people"]), quarter["totals"]["pages"])

    def test_demo_serves_a_realistic_organisation_and_is_idempotent(self):
        db = "sqlite:" + self.temp_dir() + "/demo.db"
        with self.run_demo(db) as srv:
            admin_pw, viewer_pw, token = self.banner(srv)
            self.assertRegex(srv.stdout_text(), r"\n\d+ created, 0 updated, 0 deleted, "
                                                r"0 unchanged\n")
            services = self.items(srv, token, "/api/v1/services?limit=500")
            teams = self.items(srv, token, "/api/v1/teams?limit=500")
            people = self.items(srv, token, "/api/v1/people?limit=500")
            self.assertGreaterEqual(len(services), 30)
            self.assertEqual({s["spec"]["tier"] for s in services}, {1, 2, 3, 4})
            self.assertTrue(any(s["spec"].get("dependsOn") for s in services))
            team_names = {t["metadata"]["name"] for t in teams}
            self.assertGreaterEqual(len(teams), 4)
            self.assertTrue({s["spec"]["owner"] for s in services} <= team_names)
            self.assertGreaterEqual(len(people), 20)
            zones = {p["spec"].get("timeZone") for p in people} - {None}
            self.assertGreaterEqual(len(zones), 3, zones)
            self.assertEqual(self.login(srv, "admin", admin_pw), 200)
            self.assertEqual(self.login(srv, "viewer", viewer_pw), 200)
            status, _, body = srv.request("GET", "/api/v1/session", token=token)
            self.assertEqual(body["grants"], [{"role": "admin"}])
            first = {"services": len(services), "teams": len(teams), "people": len(people)}
            self.check_paging(srv, token, team_names)
        self.assertEqual(srv.returncode, 0)
        stderr = srv.stderr_text()
        for secret in (admin_pw, viewer_pw, token):
            self.assertNotIn(secret, stderr)

        with self.run_demo(db) as srv:
            admin_pw2, _, token2 = self.banner(srv)
            self.assertRegex(srv.stdout_text(),
                             r"(?m)^no changes \(\d+ resources unchanged\)$")
            self.assertNotEqual(token2, token)
            for t in (token2, token):
                again = {k: len(self.items(srv, t, f"/api/v1/{k}?limit=500")) for k in first}
                self.assertEqual(again, first)
            self.assertEqual(self.login(srv, "admin", admin_pw2), 200)
            self.assertEqual(self.login(srv, "admin", admin_pw), 401)
        self.assertEqual(srv.returncode, 0)
        r = self.cli(["audit", "verify"], db)
        self.assertTrue(r.stdout.startswith("audit log intact: "), r.stdout)


if __name__ == "__main__":
    unittest.main()
