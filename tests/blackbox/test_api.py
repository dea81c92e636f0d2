"""The HTTP API of the real binary: catalog CRUD, pagination, filters, dependencies, RFC 9457
errors, limits, system endpoints, rate limiting and secrets kept out of logs."""

import http.client
import json
import unittest

import harness
from harness import person, service, team

KINDS = ["people", "teams", "domains", "systems", "services"]  # reference order


class ApiTests:
    def setUp(self):
        self.db = self.fresh_db()
        self.token = harness.admin_token(self.db)
        self.srv = self.enterContext(self.server(self.db))

    def call(self, method, path, body=None, **kwargs):
        kwargs.setdefault("token", self.token)
        return self.srv.request(method, path, body, **kwargs)

    def create(self, plural, doc):
        status, headers, body = self.call("POST", f"/api/v1/{plural}", doc)
        self.assertEqual(status, 201, body)
        return headers, body

    def names(self, path):
        status, _, body = self.call("GET", path)
        self.assertEqual(status, 200, body)
        return [item["metadata"]["name"] for item in body["items"]], body["next_cursor"]

    # --- CRUD ------------------------------------------------------------------------------

    def test_crud_every_kind(self):
        docs = {
            "people": person("ada", displayName="Ada L", timeZone="Europe/Berlin"),
            "teams": team("alpha", members=["ada"]),
            "domains": {"kind": "Domain", "metadata": {"name": "money"},
                        "spec": {"owner": "alpha"}},
            "systems": {"kind": "System", "metadata": {"name": "billing"},
                        "spec": {"owner": "alpha", "domain": "money"}},
            "services": service("ledger", "alpha", tier=2, system="billing"),
        }
        nouns = {"people": "person", "teams": "team", "domains": "domain",
                 "systems": "system", "services": "service"}
        for plural in KINDS:
            with self.subTest(kind=plural):
                name = docs[plural]["metadata"]["name"]
                headers, created = self.create(plural, docs[plural])
                self.assertEqual(headers["Location"], f"/api/v1/{plural}/{name}")
                self.assertEqual(headers["ETag"], '"1"')
                self.assertEqual(created["status"]["version"], 1)
                self.assertEqual(created["apiVersion"], "plinth/v1")

                status, headers, got = self.call("GET", f"/api/v1/{plural}/{name}")
                self.assertEqual((status, headers["ETag"]), (200, '"1"'))
                self.assertEqual(got, created)
                self.assertEqual(self.names(f"/api/v1/{plural}"), ([name], None))
                self.assertProblem(self.call("POST", f"/api/v1/{plural}", docs[plural]), 409,
                                   "conflict", f'{nouns[plural]} "{name}" already exists')

                changed = dict(got, metadata={"name": name, "description": "changed"})
                status, headers, put = self.call("PUT", f"/api/v1/{plural}/{name}", changed,
                                                 headers={"If-Match": '"1"'})
                self.assertEqual((status, headers["ETag"]), (200, '"2"'), put)
                self.assertEqual(put["metadata"]["description"], "changed")
                self.assertEqual(put["status"]["version"], 2)
                stale = dict(changed, metadata={"name": name, "description": "stale"})
                self.assertProblem(
                    self.call("PUT", f"/api/v1/{plural}/{name}", stale,
                              headers={"If-Match": '"1"'}),
                    409, "conflict", f'{nouns[plural]} "{name}" is at version 2, not 1 '
                                     "(it was changed; reload and retry)")
        self.assertEqual(self.call("GET", "/api/v1/services/ledger")[2]["spec"],
                         {"owner": "alpha", "tier": 2, "lifecycle": "production",
                          "type": "service", "system": "billing"})
        renamed = service("ledger2", "alpha")
        self.assertProblem(self.call("PUT", "/api/v1/services/ledger", renamed), 400, "invalid",
                           'metadata.name: must be "ledger", the name in the path (resources '
                           "cannot be renamed)",
                           [("/metadata/name", 'must be "ledger", the name in the path '
                                               "(resources cannot be renamed)")])
        self.assertProblem(self.call("PUT", "/api/v1/services/nope", service("nope", "alpha")),
                           404, "not_found", 'service "nope" does not exist')
        self.assertProblem(self.call("POST", "/api/v1/services", team("t")), 400, "invalid",
                           'expected "Service" at this endpoint',
                           [("/kind", 'expected "Service" at this endpoint')])
        self.assertProblem(self.call("DELETE", "/api/v1/people/ada"), 409, "conflict",
                           'person "ada" is still referenced by team "alpha"')
        for plural in reversed(KINDS):
            name = docs[plural]["metadata"]["name"]
            with self.subTest(delete=plural):
                status, _, body = self.call("DELETE", f"/api/v1/{plural}/{name}")
                self.assertEqual(status, 204, body)
                self.assertEqual(body, "")
                self.assertProblem(self.call("GET", f"/api/v1/{plural}/{name}"), 404,
                                   "not_found", f'{nouns[plural]} "{name}" does not exist')
        self.assertEqual(harness.count_rows(self.db, "catalog_entities"), 0)
        self.assertEqual(harness.count_rows(self.db, "catalog_relations"), 0)

    def test_cursor_pagination(self):
        self.create("teams", team("alpha"))
        for i in range(7, 0, -1):
            self.create("services", service(f"svc-{i:02}", "alpha"))
        pages, cursor = [], ""
        for _ in range(4):
            names, cursor = self.names("/api/v1/services?limit=3" +
                                       (f"&cursor={cursor}" if cursor else ""))
            pages.append(names)
            if cursor is None:
                break
        self.assertEqual(pages, [["svc-01", "svc-02", "svc-03"], ["svc-04", "svc-05", "svc-06"],
                                 ["svc-07"]])
        self.assertEqual(self.names("/api/v1/services?limit=3&cursor=svc-03")[1], "svc-06")
        self.assertProblem(self.call("GET", "/api/v1/services?limit=0"), 400, "invalid",
                           "limit: expected 1..500", [("/limit", "limit: expected 1..500")])

    def test_filters(self):
        self.create("teams", team("alpha"))
        self.create("teams", team("beta"))
        self.create("services", service("payments-api", "alpha", tier=1))
        self.create("services", service("ledger", "alpha", tier=2, lifecycle="deprecated"))
        self.create("services", service("search", "beta", tier=1))
        titled = service("web", "beta", tier=3)
        titled["metadata"]["title"] = "Checkout and Payments UI"
        self.create("services", titled)
        for query, want in [("owner=alpha", ["ledger", "payments-api"]),
                            ("owner=beta", ["search", "web"]),
                            ("owner=nobody", []),
                            ("tier=1", ["payments-api", "search"]),
                            ("lifecycle=deprecated", ["ledger"]),
                            ("lifecycle=production", ["payments-api", "search", "web"]),
                            ("q=PAY", ["payments-api", "web"]),
                            ("q=pay&owner=beta", ["web"]),
                            ("tier=1&owner=beta", ["search"])]:
            with self.subTest(query=query):
                self.assertEqual(self.names("/api/v1/services?" + query), (want, None))
        self.assertProblem(self.call("GET", "/api/v1/services?tier=9"), 400, "invalid",
                           "tier: expected 1, 2, 3 or 4",
                           [("/tier", "tier: expected 1, 2, 3 or 4")])

    def test_delete_referenced_team_is_a_conflict(self):
        self.create("teams", team("alpha"))
        self.create("services", service("payments-api", "alpha"))
        self.create("services", service("ledger", "alpha"))
        before = harness.table_snapshot(self.db)
        self.assertProblem(self.call("DELETE", "/api/v1/teams/alpha"), 409, "conflict",
                           'team "alpha" is still referenced by service "ledger", '
                           'service "payments-api"')
        self.assertEqual(harness.table_snapshot(self.db), before)
        self.assertEqual(self.call("GET", "/api/v1/teams/alpha")[0], 200)

    def test_dependencies(self):
        self.create("teams", team("alpha"))
        self.create("services", service("db", "alpha"))
        self.create("services", service("ledger", "alpha", dependsOn=["db"]))
        self.create("services", service("api", "alpha", dependsOn=["ledger"]))
        self.create("services", service("web", "alpha", dependsOn=["api", "db"]))

        def deps(name, query=""):
            status, _, body = self.call("GET", f"/api/v1/services/{name}/dependencies{query}")
            self.assertEqual(status, 200, body)
            return body

        self.assertEqual(deps("ledger"), {
            "service": "ledger", "upstream": [{"name": "db", "depth": 1}],
            "downstream": [{"name": "api", "depth": 1}, {"name": "web", "depth": 2}],
            "cycles": []})
        self.assertEqual(deps("web")["upstream"], [{"name": "api", "depth": 1},
                                                   {"name": "db", "depth": 1},
                                                   {"name": "ledger", "depth": 2}])
        self.assertEqual(deps("db", "?transitive=false")["downstream"],
                         [{"name": "ledger", "depth": 1}, {"name": "web", "depth": 1}])
        self.assertEqual(deps("db")["downstream"], [{"name": "ledger", "depth": 1},
                                                    {"name": "web", "depth": 1},
                                                    {"name": "api", "depth": 2}])
        self.assertProblem(self.call("GET", "/api/v1/services/nope/dependencies"), 404,
                           "not_found", 'service "nope" does not exist')

    # --- errors ----------------------------------------------------------------------------

    def test_bad_requests_are_exact_problems_and_change_nothing(self):
        self.create("teams", team("alpha"))
        cases = [
            ("bad tier", service("x", "alpha", tier=7),
             "spec.tier: must be an integer from 1 to 4 (got 7)",
             [("/spec/tier", "must be an integer from 1 to 4 (got 7)")]),
            ("unknown field", service("x", "alpha", colour="red"),
             "spec.colour: unknown field", [("/spec/colour", "unknown field")]),
            ("missing owner", {"metadata": {"name": "x"}, "spec": {}},
             "spec.owner: is required", [("/spec/owner", "is required")]),
            ("nonexistent owner", service("x", "paymnts"),
             'spec.owner: team "paymnts" does not exist',
             [("/spec/owner", 'team "paymnts" does not exist')]),
            ("two problems", service("x", "alpha", tier="high", lifecycle="gone"),
             "2 problems in the document",
             [("/spec/tier", 'must be an integer from 1 to 4 (got "high")'),
              ("/spec/lifecycle", "must be one of experimental, development, production, "
                                  'deprecated, retired (got "gone")')]),
        ]
        before = harness.table_snapshot(self.db)
        for label, doc, detail, errors in cases:
            with self.subTest(label):
                self.assertProblem(self.call("POST", "/api/v1/services", doc), 400, "invalid",
                                   detail, errors)
        self.assertProblem(
            self.call("POST", "/api/v1/services", "{not json"), 400, "invalid",
            "request body: invalid JSON at byte 3: syntax error while parsing object key - "
            "invalid literal; last read: '{no'; expected string literal")
        self.assertProblem(self.call("POST", "/api/v1/services", "[1]"), 400, "invalid",
                           "request body: expected a JSON object")
        self.assertProblem(self.call("PUT", "/api/v1/teams/alpha", team("alpha"),
                                     headers={"If-Match": "soon"}), 400, "invalid",
                           'If-Match: expected an ETag from a previous response, e.g. "3"')
        self.assertEqual(harness.table_snapshot(self.db), before)

    def test_http_level_errors(self):
        self.assertProblem(self.call("GET", "/api/v1/nope"), 404, "not_found",
                           "no such endpoint: /api/v1/nope")
        self.assertProblem(self.call("PATCH", "/api/v1/services"), 405, "method_not_allowed",
                           "method PATCH not allowed on /api/v1/services")
        anonymous = self.call("GET", "/api/v1/services", token=None)
        self.assertProblem(anonymous, 401, "unauthenticated", 'authentication required: send '
                                                              '"Authorization: Bearer <token>" '
                                                              "or log in")
        self.assertEqual(anonymous[1]["WWW-Authenticate"], 'Bearer realm="plinth"')
        bogus = "plt_0123456789abcdef_" + "ab" * 32
        for bad in (bogus, self.token[:-1] + ("0" if self.token[-1] != "0" else "1")):
            response = self.call("GET", "/api/v1/services", token=bad)
            self.assertProblem(response, 401, "unauthenticated", "invalid or expired API token")
            self.assertEqual(response[1]["WWW-Authenticate"], 'Bearer realm="plinth"')
            self.assertNotIn(bad, json.dumps(dict(response[1])) + json.dumps(response[2]))
            self.assertNotIn(bad.split("_")[2], json.dumps(response[2]))
        self.assertProblem(self.call("GET", "/api/v1/services",
                                     headers={"Authorization": "Basic YTpi"}, token=None),
                           401, "unauthenticated",
                           'Authorization header: expected "Bearer <token>"')

    def test_405_names_allowed_methods(self):
        # RFC 9110 §15.5.6: a 405 response MUST carry an Allow header.
        _, headers, _ = self.call("PATCH", "/api/v1/services")
        self.assertEqual(headers.get("Allow"), "GET, POST")

    def test_body_over_one_mebibyte_is_413(self):
        self.create("teams", team("alpha"))
        before = harness.table_snapshot(self.db)
        doc = service("big", "alpha")
        doc["metadata"]["description"] = "x" * (1 << 20)
        self.assertProblem(self.call("POST", "/api/v1/services", doc), 413, "too_large",
                           "request body too large")
        self.assertEqual(harness.table_snapshot(self.db), before)
        doc["metadata"]["description"] = "x" * ((1 << 20) - 1000)
        self.assertEqual(self.call("POST", "/api/v1/services", doc)[0], 201)

    def test_chunked_body_over_one_mebibyte_is_413(self):
        # The limit must hold however the body is framed, not only with Content-Length.
        self.create("teams", team("alpha"))
        before = harness.table_snapshot(self.db)
        doc = service("big", "alpha")
        doc["metadata"]["description"] = "x" * (2 << 20)
        data = json.dumps(doc).encode()
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=30)
        try:
            conn.request("POST", "/api/v1/services",
                         body=(data[i:i + 65536] for i in range(0, len(data), 65536)),
                         headers={"Authorization": "Bearer " + self.token,
                                  "Content-Type": "application/json"}, encode_chunked=True)
            resp = conn.getresponse()
            body = json.loads(resp.read())
        except (ConnectionError, http.client.HTTPException) as e:
            self.fail(f"no 413 response: {e!r}")
        finally:
            conn.close()
        self.assertEqual((resp.status, body.get("type")), (413, "urn:plinth:problem:too_large"),
                         str(body)[:300])
        self.assertEqual(harness.table_snapshot(self.db), before)

    # --- system endpoints ------------------------------------------------------------------

    def test_health_metrics_openapi(self):
        for path, want in (("/healthz", {"status": "ok"}), ("/readyz", {"status": "ready"})):
            status, _, body = self.call("GET", path, token=None)
            self.assertEqual((status, body), (200, want))
        self.assertEqual(self.call("GET", "/api/v1/services")[0], 200)
        status, headers, text = self.call("GET", "/metrics", token=None)
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("application/openmetrics-text"),
                        headers["Content-Type"])
        self.assertRegex(text, r'(?m)^plinth_http_requests_total\{method="GET",'
                               r'route="/api/v1/services",status="200"\} 1$')
        self.assertTrue(text.endswith("# EOF\n"), text[-200:])
        status, headers, doc = self.call("GET", "/api/v1/openapi.json", token=None)
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual(doc["openapi"], "3.1.0")
        self.assertIn("/api/v1/services/{name}", doc["paths"])

    def test_rate_limit(self):
        with self.server(self.db, rate_limit=2) as srv:
            statuses = []
            for _ in range(30):  # burst 4, refilled at 2/s: runs dry within a few requests
                response = srv.request("GET", "/api/v1/teams", token=self.token)
                statuses.append(response[0])
                if response[0] == 429:
                    break
            self.assertEqual(statuses[0], 200)
            self.assertEqual(statuses[-1], 429, statuses)
            self.assertProblem(response, 429, "rate_limited", "rate limit exceeded; retry in 1 s")
            self.assertEqual(response[1]["Retry-After"], "1")
            # Another principal has its own budget.
            other = harness.create_token(self.db, "viewer")
            self.assertEqual(srv.request("GET", "/api/v1/teams", token=other)[0], 200)

    def test_no_secret_in_logs(self):
        password = "correct horse battery staple"
        self.cli(["user", "add", "carol", "--role", "manager"], self.db, input=password + "\n")
        viewer = harness.create_token(self.db, "viewer")
        status, headers, body = self.call("POST", "/api/v1/login", {"user": "carol",
                                                                    "password": password},
                                          token=None)
        self.assertEqual(status, 200, body)
        cookie = headers["Set-Cookie"].split(";")[0]
        self.call("POST", "/api/v1/login", {"user": "carol", "password": password + "!"},
                  token=None)
        self.assertEqual(self.call("GET", "/api/v1/session", token=None,
                                   headers={"Cookie": cookie})[0], 200)
        self.assertEqual(self.call("GET", "/api/v1/teams", token=viewer)[0], 200)
        self.assertEqual(self.call("POST", "/api/v1/teams", team("t1"))[0], 201)
        status, _, made = self.call("POST", "/api/v1/tokens", {"role": "viewer"})
        self.assertEqual(status, 201, made)
        self.assertEqual(self.call("GET", "/api/v1/teams", token=made["token"])[0], 200)
        self.call("GET", "/api/v1/teams", token=made["token"] + "x")
        self.assertEqual(self.call("POST", "/api/v1/users",
                                   {"name": "dave", "password": password + "2"})[0], 201)
        _, _, audit = self.call("GET", "/api/v1/audit?limit=500")
        self.srv.stop()
        secrets = [password, password + "!", password + "2", self.token, viewer, made["token"],
                   cookie.split("=", 1)[1], body["csrf_token"]]
        secrets += [t.split("_")[2] for t in (self.token, viewer, made["token"])]
        logs = self.srv.stderr_text() + self.srv.stdout_text()
        audit_text = json.dumps(audit)
        self.assertGreater(len(audit["items"]), 3)
        for secret in secrets:
            self.assertNotIn(secret, logs)
            self.assertNotIn(secret, audit_text)


class SqliteApiTest(ApiTests, harness.BackendCase):
    backend = "sqlite"


class PostgresApiTest(ApiTests, harness.BackendCase):
    backend = "postgres"

    def test_database_password_is_never_printed(self):
        secret = "Db-Pa55word-not-for-logs"
        with_password = self.db.replace("://postgres@", f"://postgres:{secret}@")
        self.assertIn(secret, with_password)
        with self.server(with_password) as srv:
            self.assertEqual(srv.request("GET", "/readyz")[0], 200)
        self.assertNotIn(secret, srv.stderr_text() + srv.stdout_text())
        unreachable = with_password.rsplit(":", 1)[0] + ":1/nowhere"
        for url in (unreachable, unreachable + f"?password={secret}"):
            r = self.cli(["migrate"], url, ok=False)
            self.assertEqual(r.returncode, 6, r.stderr)
            self.assertNotIn(secret, r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
