"""What the web console needs from the server: the console's files with caching and a strict
content security policy, client-side routes answered with index.html, search, referenced-by."""

import unittest

import harness
from harness import person, service, team


class ConsoleApiTests:
    def setUp(self):
        self.db = self.fresh_db()
        self.token = harness.admin_token(self.db)
        self.srv = self.server(self.db)
        self.srv.__enter__()
        self.addCleanup(self.srv.__exit__, None, None, None)
        for doc, path in [(person("ana"), "people"), (person("ben"), "people"),
                          (team("pay", members=["ana"]), "teams"),
                          (team("payments-ops", members=["ana", "ben"]), "teams"),
                          (service("pay", "pay", tier=1), "services"),
                          (service("payroll", "pay"), "services"),
                          (service("ledger", "payments-ops", dependsOn=["pay"]), "services")]:
            status, _, body = self.call("POST", "/api/v1/" + path, doc)
            self.assertEqual(status, 201, body)

    def call(self, method, path, body=None, **kwargs):
        return self.srv.request(method, path, body, token=kwargs.pop("token", self.token),
                                **kwargs)

    def test_console_is_served_with_a_strict_policy(self):
        status, headers, body = self.call("GET", "/", token=None)
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertIn("<html", body)
        self.assertEqual(headers["Cache-Control"], "no-cache")
        self.assertIn("default-src 'none'", headers["Content-Security-Policy"])
        self.assertIn("script-src 'self'", headers["Content-Security-Policy"])
        self.assertNotIn("unsafe-inline", headers["Content-Security-Policy"])
        self.assertEqual(headers["X-Frame-Options"], "DENY")
        # Client-side routes get the same page; its ETag revalidates to 304.
        status, again, same = self.call("GET", "/services/ledger", token=None)
        self.assertEqual((status, same), (200, body))
        status, _, _ = self.call("GET", "/", token=None,
                                 headers={"If-None-Match": headers["ETag"]})
        self.assertEqual(status, 304)
        # API paths never fall back to the console.
        self.assertProblem(self.call("GET", "/api/v1/nothing"), 404, "not_found",
                           "no such endpoint: /api/v1/nothing")

    def test_search_ranks_exact_then_prefix_then_substring(self):
        status, _, body = self.call("GET", "/api/v1/search?q=pay")
        self.assertEqual(status, 200, body)
        got = [(i["kind"], i["name"]) for i in body["items"]]
        self.assertEqual(got, [("Service", "pay"), ("Team", "pay"), ("Service", "payroll"),
                               ("Team", "payments-ops")])
        status, _, body = self.call("GET", "/api/v1/search?q=pay&limit=1")
        self.assertEqual([i["name"] for i in body["items"]], ["pay"])
        self.assertProblem(self.call("GET", "/api/v1/search"), 400, "invalid",
                           "q: expected the text to search for",
                           errors=[("/q", "q: expected the text to search for")])

    def test_referenced_by(self):
        status, _, body = self.call("GET", "/api/v1/people/ana/referenced-by")
        self.assertEqual((status, body["items"]),
                         (200, [{"kind": "Team", "name": "pay"},
                                {"kind": "Team", "name": "payments-ops"}]))
        status, _, body = self.call("GET", "/api/v1/teams/pay/referenced-by")
        self.assertEqual(body["items"], [{"kind": "Service", "name": "pay"},
                                         {"kind": "Service", "name": "payroll"}])
        status, _, body = self.call("GET", "/api/v1/services/pay/referenced-by")
        self.assertEqual(body["items"], [{"kind": "Service", "name": "ledger"}])
        self.assertProblem(self.call("GET", "/api/v1/people/nobody/referenced-by"), 404,
                           "not_found", 'person "nobody" does not exist')


class SqliteConsoleApiTest(ConsoleApiTests, harness.BackendCase):
    backend = "sqlite"


class PostgresConsoleApiTest(ConsoleApiTests, harness.BackendCase):
    backend = "postgres"


if __name__ == "__main__":
    unittest.main()
