"""SLO attainment reports on the demo's 90 days of SLO history: JSON, CSV, HTML, bad input."""

import datetime
import re
import unittest

import harness

READY = re.compile(r'^  try:  curl -H "Authorization: Bearer plt_\w+" '
                   r"(?P<url>http://127\.0\.0\.1:\d+)/api/v1/services$")
CSV_HEADER = "service,team,tier,slo,objective,attainment,met,budget_remaining"


class SloReportTest(harness.BackendCase):
    backend = "sqlite"

    def test_reports_of_the_demo(self):
        db = "sqlite:" + self.temp_dir() + "/demo.db"
        with self.server(db, args=["demo", "--db", db, "--listen", "127.0.0.1:0"],
                         ready=READY) as srv:
            out = srv.stdout_text()
            self.assertRegex(out, r"(?m)^SLO history: 1296000 minutes, \d+ alerts \(\d+ ms\)$")
            token = re.search(r"(?m)^  API token       (plt_\w+)$", out).group(1)

            # The month that holds the cart incident (two weeks ago) misses cart's objective.
            incident = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=14)
            month = incident.strftime("%Y-%m")
            status, _, body = srv.request("GET", f"/api/v1/slo-reports?period={month}",
                                          token=token)
            self.assertEqual(status, 200, body)
            self.assertEqual(body["period"], month)
            self.assertEqual(body["from"], incident.strftime("%Y-%m-01T00:00:00Z"))
            slos = {s["slo"]: dict(s, service=svc["service"], team=svc["team"],
                                   tier=svc["tier"])
                    for svc in body["services"] for s in svc["slos"]}
            self.assertEqual(len(slos), 10)
            cart = slos["cart-availability"]
            self.assertEqual((cart["service"], cart["team"], cart["tier"]), ("cart", "checkout", 1))
            self.assertIs(cart["met"], False)
            self.assertLess(cart["attainment"], 0.999)
            self.assertLess(cart["budget_remaining"], 0)
            self.assertIs(slos["auth-service-availability"]["met"], True)
            self.assertEqual([t["tier"] for t in body["tiers"]], [1, 2])
            self.assertEqual(sum(t["slos"] for t in body["tiers"]), 10)
            for t in body["tiers"]:
                self.assertEqual(t["met"] + t["missed"] + t["no_data"], t["slos"])
            self.assertEqual([s["tier"] for s in body["services"]],
                             sorted(s["tier"] for s in body["services"]))

            quarter = f"{incident.year}Q{(incident.month - 1) // 3 + 1}"
            status, headers, text = srv.request(
                "GET", f"/api/v1/slo-reports?period={quarter}&format=csv", token=token)
            self.assertEqual(status, 200)
            self.assertTrue(headers["Content-Type"].startswith("text/csv"))
            self.assertIn(f'filename="slo-report-{quarter}.csv"',
                          headers["Content-Disposition"])
            lines = text.split("\r\n")
            self.assertEqual(lines[0], CSV_HEADER)
            self.assertEqual(lines[-1], "")
            self.assertEqual(len(lines), 12)
            cart_row = [l.split(",") for l in lines if ",cart-availability," in l]
            self.assertEqual(cart_row[0][:5], ["cart", "checkout", "1", "cart-availability",
                                               "0.999"])
            self.assertEqual(cart_row[0][6], "false")

            status, headers, html = srv.request(
                "GET", f"/api/v1/slo-reports?period={quarter}&format=html", token=token)
            self.assertEqual(status, 200)
            self.assertTrue(headers["Content-Type"].startswith("text/html"))
            self.assertIn("default-src 'none'", headers["Content-Security-Policy"])
            self.assertIn(f"<h1>SLO attainment report {quarter}</h1>", html)
            self.assertNotIn("<script", html)

            for bad, pointer in (("2026-13", "/period"), ("2026Q5", "/period"),
                                 ("2026-11&format=pdf", "/format")):
                status, _, problem = srv.request("GET", f"/api/v1/slo-reports?period={bad}",
                                                 token=token)
                self.assertEqual(status, 400, bad)
                self.assertEqual(problem["errors"][0]["pointer"], pointer)

            status, _, _ = srv.request("GET", "/api/v1/slo-reports")
            self.assertEqual(status, 401)


if __name__ == "__main__":
    unittest.main()
