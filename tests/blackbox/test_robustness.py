"""Hostile and odd input: a bad request is always a 4xx problem document, never a 500, and never
changes stored state (DESIGN.md, "HTTP API")."""

import unittest

import harness
from harness import team

# (label, method, path, raw body)
CASES = [
    ("number too large for a double", "POST", "/api/v1/services",
     b'{"metadata": {"name": "x"}, "spec": {"owner": "alpha", "tier": 1e400}}'),
    ("integer too large", "POST", "/api/v1/services",
     b'{"metadata": {"name": "x"}, "spec": {"owner": "alpha", "tier": 99999999999999999999999}}'),
    ("body not UTF-8", "POST", "/api/v1/services", b"\xff\xfe{}"),
    ("lone surrogate", "POST", "/api/v1/services",
     b'{"metadata": {"name": "x", "description": "\\ud800"}, "spec": {"owner": "alpha"}}'),
    ("NUL in a name", "POST", "/api/v1/services",
     b'{"metadata": {"name": "x\\u0000y"}, "spec": {"owner": "alpha"}}'),
    ("deeply nested array", "POST", "/api/v1/services", b"[" * 20000 + b"]" * 20000),
    ("deeply nested object", "POST", "/api/v1/teams",
     b'{"a":' * 20000 + b"1" + b"}" * 20000),
    ("wrong types everywhere", "POST", "/api/v1/services",
     b'{"apiVersion": 3, "kind": null, "metadata": [], "spec": "x"}'),
    ("login name not UTF-8", "POST", "/api/v1/login", b'{"user": "a\xff", "password": "x"}'),
    ("resource name not UTF-8", "GET", "/api/v1/services/%FF", None),
    ("delete name not UTF-8", "DELETE", "/api/v1/teams/%C3%28", None),
    ("dependencies of a name not UTF-8", "GET", "/api/v1/services/x%FF/dependencies", None),
    ("unknown endpoint not UTF-8", "GET", "/api/v1/nope%FF", None),
    ("wrong method, path not UTF-8", "PATCH", "/api/v1/services%FF", None),
    ("NUL in a name in the path", "GET", "/api/v1/services/%00", None),
    ("cursor not UTF-8", "GET", "/api/v1/services?cursor=%FF", None),
    ("LIKE wildcards in q", "GET", "/api/v1/services?q=%25_%5C", None),
    ("huge limit", "GET", "/api/v1/services?limit=99999999999999999999", None),
    ("huge audit cursor", "GET", "/api/v1/audit?cursor=99999999999999999999", None),
    ("unknown token id", "DELETE", "/api/v1/tokens/%FF", None),
]


class RobustnessTests:
    def test_bad_input_never_yields_500(self):
        db = self.fresh_db()
        token = harness.admin_token(db)
        with self.server(db) as srv:
            self.assertEqual(srv.request("POST", "/api/v1/teams", team("alpha"),
                                         token=token)[0], 201)
            before = harness.table_snapshot(db)
            for label, method, path, body in CASES:
                with self.subTest(label):
                    status, headers, got = srv.request(method, path, body, token=token)
                    self.assertLess(status, 500, got)
                    if status >= 400:
                        self.assertEqual(headers["Content-Type"], "application/problem+json")
                        self.assertEqual(got["status"], status)
            self.assertEqual(harness.table_snapshot(db), before)
            self.assertEqual(srv.request("GET", "/readyz")[0], 200)
        self.assertNotIn(" ERROR ", srv.stderr_text())


class SqliteRobustnessTest(RobustnessTests, harness.BackendCase):
    backend = "sqlite"


class PostgresRobustnessTest(RobustnessTests, harness.BackendCase):
    backend = "postgres"


if __name__ == "__main__":
    unittest.main()
