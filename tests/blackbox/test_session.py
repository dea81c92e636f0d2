"""Console sessions: login cookie attributes, CSRF protection, uniform login errors, logout."""

import unittest

import harness
from harness import team

PASSWORD = "sixteen chars ok"


class SessionTests:
    def setUp(self):
        self.db = self.fresh_db()
        r = self.cli(["user", "add", "mia", "--role", "manager"], self.db, input=PASSWORD + "\n")
        self.assertEqual(r.stdout, "added user mia (manager)\n")
        self.srv = self.enterContext(self.server(self.db))

    def login(self, user="mia", password=PASSWORD):
        return self.srv.request("POST", "/api/v1/login", {"user": user, "password": password})

    def test_login_session_csrf_logout(self):
        status, headers, body = self.login()
        self.assertEqual(status, 200, body)
        self.assertEqual(sorted(body), ["csrf_token", "expires_at", "user"])
        self.assertEqual(body["user"], "mia")
        set_cookie = headers["Set-Cookie"]
        attributes = [a.strip() for a in set_cookie.split(";")]
        name, _, value = attributes[0].partition("=")
        self.assertEqual(name, "plinth_session")
        self.assertGreaterEqual(len(value), 32)
        self.assertIn("HttpOnly", attributes)
        self.assertIn("SameSite=Strict", attributes)
        self.assertIn("Path=/", attributes)
        self.assertNotIn("Secure", attributes)
        self.assertIn("Max-Age=43200", attributes)
        cookie = {"Cookie": attributes[0]}
        csrf = body["csrf_token"]

        status, _, who = self.srv.request("GET", "/api/v1/session", headers=cookie)
        self.assertEqual(status, 200, who)
        self.assertEqual(who, {"actor": "user:mia", "grants": [{"role": "manager"}],
                               "csrf_token": csrf})

        before = harness.table_snapshot(self.db)
        for headers in (cookie, dict(cookie, **{"X-CSRF-Token": csrf + "0"}),
                        dict(cookie, **{"X-CSRF-Token": ""})):
            self.assertProblem(self.srv.request("POST", "/api/v1/teams", team("ops"),
                                                headers=headers),
                               403, "forbidden", "missing or invalid X-CSRF-Token header")
        self.assertProblem(self.srv.request("DELETE", "/api/v1/teams/ops", headers=cookie),
                           403, "forbidden", "missing or invalid X-CSRF-Token header")
        self.assertEqual(harness.table_snapshot(self.db), before)

        with_csrf = dict(cookie, **{"X-CSRF-Token": csrf})
        status, _, created = self.srv.request("POST", "/api/v1/teams", team("ops"),
                                              headers=with_csrf)
        self.assertEqual(status, 201, created)
        status, _, audit = self.srv.request("GET", "/api/v1/audit?kind=Team&name=ops",
                                            headers=cookie)
        self.assertEqual([(e["actor"], e["action"]) for e in audit["items"]],
                         [("user:mia", "create")])

        status, headers, body = self.srv.request("POST", "/api/v1/logout", headers=with_csrf)
        self.assertEqual(status, 204, body)
        self.assertIn("Max-Age=0", headers["Set-Cookie"])
        self.assertTrue(headers["Set-Cookie"].startswith("plinth_session=;"))
        self.assertProblem(self.srv.request("GET", "/api/v1/session", headers=cookie),
                           401, "unauthenticated", "session expired or invalid")
        self.assertProblem(self.srv.request("POST", "/api/v1/teams", team("ops2"),
                                            headers=with_csrf),
                           401, "unauthenticated", "session expired or invalid")

    def test_login_failures_look_the_same(self):
        wrong_password = self.login(password=PASSWORD + "x")
        unknown_user = self.login(user="nobody")
        for response in (wrong_password, unknown_user):
            self.assertProblem(response, 401, "unauthenticated", "invalid user name or password")
            self.assertNotIn("Set-Cookie", response[1])
        self.assertEqual(wrong_password[2], unknown_user[2])
        self.assertProblem(self.srv.request("POST", "/api/v1/login", {"user": "mia"}), 400,
                           "invalid", "expected a non-empty string",
                           [("/password", "expected a non-empty string")])
        self.assertEqual(harness.count_rows(self.db, "sessions"), 0)

    def test_password_guessing_is_limited(self):
        # 10 tries per user, then one a minute (src/server/auth_routes.cc).
        for _ in range(10):
            self.assertEqual(self.login(password="guess " * 3)[0], 401)
        limited = self.login()
        self.assertProblem(limited, 429, "rate_limited", "too many login attempts; retry later")
        self.assertIn(int(limited[1]["Retry-After"]), range(1, 61))
        self.assertEqual(self.login(user="someone-else")[0], 401)
        # A client-supplied X-Forwarded-For must not buy fresh attempts (no proxy is trusted).
        for i in range(3):
            spoofed = self.srv.request("POST", "/api/v1/login",
                                       {"user": "mia", "password": "guess " * 3},
                                       headers={"X-Forwarded-For": f"198.51.100.{i}"})
            self.assertEqual(spoofed[0], 429, spoofed[2])

    def test_session_cannot_do_more_than_its_user(self):
        self.cli(["user", "add", "vic", "--role", "viewer"], self.db, input=PASSWORD + "\n")
        status, headers, body = self.login(user="vic")
        self.assertEqual(status, 200, body)
        with_csrf = {"Cookie": headers["Set-Cookie"].split(";")[0],
                     "X-CSRF-Token": body["csrf_token"]}
        self.assertProblem(self.srv.request("POST", "/api/v1/teams", team("ops"),
                                            headers=with_csrf),
                           403, "forbidden", "user:vic lacks role manager for every team")

    def test_password_policy_and_user_list(self):
        r = self.cli(["user", "add", "short", "--role", "viewer"], self.db, input="tiny\n",
                     ok=False)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("12", r.stderr)
        self.assertNotIn("tiny", r.stderr)
        r = self.cli(["user", "add", "mia", "--role", "viewer"], self.db,
                     input=PASSWORD + "\n", ok=False)
        self.assertEqual(r.returncode, 4, r.stderr)
        r = self.cli(["user", "list"], self.db)
        self.assertEqual(r.stdout.split(), ["mia", "manager"])


class SqliteSessionTest(SessionTests, harness.BackendCase):
    backend = "sqlite"


class PostgresSessionTest(SessionTests, harness.BackendCase):
    backend = "postgres"


if __name__ == "__main__":
    unittest.main()
