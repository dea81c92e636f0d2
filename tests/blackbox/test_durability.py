"""kill -9 during `plinth apply` of 3000 services: the database holds either the previous state
or the whole new one, never a part of it, and the audit chain stays intact."""

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
import unittest

import harness

BULK = 3000
BASE = """\
apiVersion: plinth/v1
kind: Team
metadata: {name: core}
spec: {}
---
apiVersion: plinth/v1
kind: Service
metadata: {name: gateway}
spec: {owner: core, tier: 1}
"""
BASE_RELATIONS = 1  # gateway ownedBy core
NEW_RELATIONS = 2   # each bulk service: ownedBy core, dependsOn gateway


def bulk_yaml():
    return "".join(f"---\napiVersion: plinth/v1\nkind: Service\n"
                   f"metadata: {{name: bulk-{i:04}, title: Bulk service {i}}}\n"
                   f"spec: {{owner: core, tier: {i % 4 + 1}, dependsOn: [gateway]}}\n"
                   for i in range(BULK))


class DurabilityTests:
    # Kill delays are spread over the calibrated run time; how many attempts each backend gets.
    attempts = 8

    def setUp(self):
        root = self.temp_dir()
        self.base = os.path.join(root, "base")
        self.new = os.path.join(root, "new")
        for path, text in ((self.base, BASE), (self.new, bulk_yaml())):
            os.makedirs(path)
            with open(os.path.join(path, "catalog.yaml"), "w") as f:
                f.write(text)

    def prepared_db(self):
        db = self.fresh_db()
        r = self.cli(["apply", "-f", self.base], db)
        self.assertEqual(r.stdout, "+ Team core\n+ Service gateway\n"
                                   "2 created, 0 updated, 0 deleted, 0 unchanged\n")
        self.base_audit = harness.count_rows(db, "audit_log")
        return db

    def start_apply(self, db):
        return subprocess.Popen([harness.plinth_bin(), "apply", "-f", self.new, "--db", db],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                cwd=self.temp_dir())

    def timed(self, args, db):
        start = time.monotonic()
        self.cli(args, db)
        return time.monotonic() - start

    def state(self, db):
        """'old' or 'new'; fails on anything in between or a broken audit chain."""
        r = self.cli(["diff", "-f", self.base], db)
        self.assertEqual(r.stdout, "no changes (2 resources unchanged)\n")
        services = harness.count_rows(db, "catalog_entities", "WHERE kind = 'Service'")
        relations = harness.count_rows(db, "catalog_relations")
        audit = harness.count_rows(db, "audit_log")
        self.assertIn(services, (1, 1 + BULK), "a partial apply is visible")
        state = "old" if services == 1 else "new"
        if state == "old":
            self.assertEqual((relations, audit), (BASE_RELATIONS, self.base_audit))
        else:
            self.assertEqual((relations, audit),
                             (BASE_RELATIONS + NEW_RELATIONS * BULK, self.base_audit + BULK))
        r = self.cli(["audit", "verify"], db)
        self.assertEqual(r.stdout, f"audit log intact: {audit} entries verified\n")
        r = self.cli(["diff", "-f", self.new], db)
        self.assertEqual(r.stdout.splitlines()[-1],
                         f"{BULK} to create, 0 to update, 0 to delete, 0 unchanged"
                         if state == "old" else f"no changes ({BULK} resources unchanged)")
        return state

    def kill_after(self, db, delay):
        """Starts apply, SIGKILLs it after `delay` s; returns (was_running, state)."""
        proc = self.start_apply(db)
        time.sleep(delay)
        running = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        if not running:
            self.assertEqual(proc.returncode, 0, err)
        return running, self.state(db)

    def test_kill_9_during_apply_keeps_old_or_new_state(self):
        # Calibrate: how long parsing (diff) and a full apply take on this machine.
        parse_s = self.timed(["diff", "-f", self.new], self.prepared_db())
        db = self.prepared_db()
        apply_s = self.timed(["apply", "-f", self.new], db)
        self.assertEqual(self.state(db), "new")
        delays = [0.05] + [parse_s * 0.5 + (apply_s - parse_s * 0.5) * (i + 0.5) /
                           (self.attempts - 1) for i in range(self.attempts - 1)]
        outcomes = []
        for delay in delays:
            with self.subTest(delay=round(delay, 3)):
                running, state = self.kill_after(self.prepared_db(), delay)
                outcomes.append((round(delay, 3), "killed" if running else "finished", state))
        print(f"\n{self.backend}: parse {parse_s:.2f} s, apply {apply_s:.2f} s; kills: "
              f"{outcomes}", file=sys.stderr)
        self.assertTrue(any(o[1] == "killed" for o in outcomes),
                        f"no kill landed while apply was running: {outcomes}")


    def test_acknowledged_http_writes_survive_kill_9(self):
        db = self.prepared_db()
        token = harness.admin_token(db)
        srv = harness.Server(db, test=self)
        srv.start()
        acked, errors = [], []

        def writer():
            for i in range(100000):
                try:
                    status, _, body = srv.request("POST", "/api/v1/services",
                                                  harness.service(f"w-{i:05}", "core"),
                                                  token=token, timeout=10)
                except (OSError, http.client.HTTPException):
                    return  # the server is gone
                if status != 201:
                    errors.append((status, body))
                    return
                acked.append(f"w-{i:05}")

        thread = threading.Thread(target=writer)
        thread.start()
        harness.wait_until(lambda: len(acked) >= 20 or errors or not thread.is_alive())
        srv.proc.send_signal(signal.SIGKILL)
        self.assertEqual(srv.stop(), -signal.SIGKILL)
        thread.join(30)
        self.assertEqual(errors, [])
        stored = {row[0] for row in harness.sql(
            db, "SELECT name FROM catalog_entities WHERE name LIKE 'w-%'")}
        self.assertGreaterEqual(len(acked), 20)
        self.assertEqual(sorted(set(acked) - stored), [], "acknowledged writes were lost")
        self.assertLessEqual(len(stored - set(acked)), 1)  # at most the one in flight
        r = self.cli(["audit", "verify"], db)
        self.assertEqual(r.stdout, f"audit log intact: {self.base_audit + 1 + len(stored)} "
                                   "entries verified\n")


class SqliteDurabilityTest(DurabilityTests, harness.BackendCase):
    backend = "sqlite"


class PostgresDurabilityTest(DurabilityTests, harness.BackendCase):
    backend = "postgres"
    attempts = 4

    def test_kill_9_after_the_transaction_has_written(self):
        """Waits until the apply's transaction has written rows (it has a transaction id),
        then kills it: PostgreSQL must roll all of it back."""
        db = self.prepared_db()
        name = db.rsplit("/", 1)[1]
        proc = self.start_apply(db)
        try:
            wrote = harness.wait_until(lambda: proc.poll() is not None or int(harness.psql(
                db, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = "
                    f"'{name}' AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()")),
                timeout=60, interval=0.01)
            self.assertTrue(wrote)
            self.assertIsNone(proc.poll(), "apply finished before it was seen writing")
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=60)
        self.assertEqual(self.state(db), "old")


if __name__ == "__main__":
    unittest.main()
