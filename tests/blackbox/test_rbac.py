"""The RBAC matrix over HTTP: each principal against each mutation, with the exact status."""

import unittest

import harness
from harness import person, service, team

PRINCIPALS = ["viewer", "responder", "manager", "admin", "alpha-manager"]
GRANTS = {"viewer": ("viewer", None), "responder": ("responder", None),
          "manager": ("manager", None), "admin": ("admin", None),
          "alpha-manager": ("manager", "alpha")}

# action                     viewer responder manager admin alpha-manager
MATRIX = """
create service in alpha       403    403     201    201    201
create service in beta        403    403     201    201    403
update service in alpha       403    403     200    200    200
update service in beta        403    403     200    200    403
move alpha service to beta    403    403     200    200    403
delete service in alpha       403    403     204    204    204
delete service in beta        403    403     204    204    403
create team                   403    403     201    201    403
update team alpha             403    403     200    200    200
update team beta              403    403     200    200    403
delete team                   403    403     204    204    403
create person                 403    403     201    201    403
delete person                 403    403     204    204    403
create token                  403    403     403    201    403
add user                      403    403     403    201    403
list users                    403    403     403    200    403
read services                 200    200     200    200    200
read audit log                200    200     200    200    200
"""


def parse_matrix(text):
    rows = {}
    for line in text.strip().splitlines():
        words = line.split()
        rows[" ".join(words[:-5])] = dict(zip(PRINCIPALS, map(int, words[-5:])))
    return rows


class RbacTests:
    def setUp(self):
        self.db = self.fresh_db()
        self.admin = harness.admin_token(self.db)
        self.tokens = {p: harness.create_token(self.db, role, t)
                       for p, (role, t) in GRANTS.items()}
        self.srv = self.enterContext(self.server(self.db))
        for doc in (team("alpha"), team("beta")):
            self.must("POST", "/api/v1/teams", doc, 201)
        self.must("POST", "/api/v1/services", service("alpha-svc", "alpha"), 201)
        self.must("POST", "/api/v1/services", service("beta-svc", "beta"), 201)

    def must(self, method, path, body, want):
        status, _, got = self.srv.request(method, path, body, token=self.admin)
        self.assertEqual(status, want, got)

    def attempt(self, action, p):
        """Sets up what `action` needs (as admin), then performs it as principal `p`."""
        target = action.split()[-1] if action.split()[-2] == "in" else None
        if action.startswith("create service"):
            req = ("POST", "/api/v1/services", service(f"new-{target}-{p}", target))
        elif action.startswith("update service"):
            doc = service(f"{target}-svc", target)
            doc["metadata"]["description"] = f"changed by {p}"
            req = ("PUT", f"/api/v1/services/{target}-svc", doc)
        elif action == "move alpha service to beta":
            self.must("POST", "/api/v1/services", service(f"mover-{p}", "alpha"), 201)
            req = ("PUT", f"/api/v1/services/mover-{p}", service(f"mover-{p}", "beta"))
        elif action.startswith("delete service"):
            self.must("POST", "/api/v1/services", service(f"doomed-{target}-{p}", target), 201)
            req = ("DELETE", f"/api/v1/services/doomed-{target}-{p}", None)
        elif action == "create team":
            req = ("POST", "/api/v1/teams", team(f"team-{p}"))
        elif action.startswith("update team"):
            name = action.split()[-1]
            doc = team(name)
            doc["metadata"]["description"] = f"changed by {p}"
            req = ("PUT", f"/api/v1/teams/{name}", doc)
        elif action == "delete team":
            self.must("POST", "/api/v1/teams", team(f"old-{p}"), 201)
            req = ("DELETE", f"/api/v1/teams/old-{p}", None)
        elif action == "create person":
            req = ("POST", "/api/v1/people", person(f"person-{p}", timeZone="UTC"))
        elif action == "delete person":
            self.must("POST", "/api/v1/people", person(f"leaver-{p}"), 201)
            req = ("DELETE", f"/api/v1/people/leaver-{p}", None)
        elif action == "create token":
            req = ("POST", "/api/v1/tokens", {"role": "viewer", "description": f"by {p}"})
        elif action == "add user":
            req = ("POST", "/api/v1/users", {"name": f"user-{p}",
                                             "password": "a long enough password"})
        elif action == "list users":
            req = ("GET", "/api/v1/users", None)
        elif action == "read services":
            req = ("GET", "/api/v1/services", None)
        elif action == "read audit log":
            req = ("GET", "/api/v1/audit", None)
        else:
            raise AssertionError(f"no request for {action!r}")
        return self.srv.request(*req, token=self.tokens[p])

    def test_matrix(self):
        matrix = parse_matrix(MATRIX)
        self.assertEqual(len(matrix), 18)
        got = {}
        for action, row in matrix.items():
            for p in PRINCIPALS:
                status, _, body = self.attempt(action, p)
                got[(action, p)] = status
                if status == 403:
                    self.assertEqual(body["type"], "urn:plinth:problem:forbidden", body)
        mismatches = [f"{action} as {p}: want {row[p]}, got {got[(action, p)]}"
                      for action, row in matrix.items() for p in PRINCIPALS
                      if got[(action, p)] != row[p]]
        self.assertEqual(mismatches, [])

    def test_team_manager_cannot_leave_its_team(self):
        mgr = self.tokens["alpha-manager"]
        actor = "token:" + mgr.split("_")[1]
        moved = service("alpha-svc", "beta")
        self.assertProblem(self.srv.request("PUT", "/api/v1/services/alpha-svc", moved, token=mgr),
                           403, "forbidden", f'{actor} lacks role manager for team "beta"')
        changed = service("beta-svc", "beta")
        changed["metadata"]["title"] = "taken over"
        self.assertProblem(self.srv.request("PUT", "/api/v1/services/beta-svc", changed,
                                            token=mgr),
                           403, "forbidden", f'{actor} lacks role manager for team "beta"')
        self.assertProblem(self.srv.request("DELETE", "/api/v1/services/beta-svc", token=mgr),
                           403, "forbidden", f'{actor} lacks role manager for team "beta"')
        self.assertProblem(self.srv.request("POST", "/api/v1/teams", team("gamma"), token=mgr),
                           403, "forbidden", f"{actor} lacks role manager for every team")
        self.assertProblem(self.srv.request("POST", "/api/v1/tokens", {"role": "admin"},
                                            token=mgr),
                           403, "forbidden", f"{actor} lacks role admin for every team")
        status, _, doc = self.srv.request("GET", "/api/v1/services/alpha-svc", token=mgr)
        self.assertEqual((status, doc["spec"]["owner"], doc["status"]["version"]),
                         (200, "alpha", 1))
        status, _, doc = self.srv.request("GET", "/api/v1/services/beta-svc", token=mgr)
        self.assertEqual((status, doc["status"]["version"]), (200, 1))

    def test_forbidden_changes_leave_no_trace(self):
        before = harness.table_snapshot(self.db)
        viewer = self.tokens["viewer"]
        for method, path, body in [
                ("POST", "/api/v1/services", service("x", "alpha")),
                ("PUT", "/api/v1/services/alpha-svc", service("alpha-svc", "beta")),
                ("DELETE", "/api/v1/teams/beta", None),
                ("POST", "/api/v1/tokens", {"role": "admin"}),
                ("POST", "/api/v1/users", {"name": "eve", "password": "a long enough password",
                                           "grants": [{"role": "admin"}]})]:
            with self.subTest(f"{method} {path}"):
                self.assertEqual(self.srv.request(method, path, body, token=viewer)[0], 403)
        self.assertEqual(harness.table_snapshot(self.db), before)


class SqliteRbacTest(RbacTests, harness.BackendCase):
    backend = "sqlite"


class PostgresRbacTest(RbacTests, harness.BackendCase):
    backend = "postgres"


if __name__ == "__main__":
    unittest.main()
