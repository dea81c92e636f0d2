"""Paging durability through the real binary.

(a) kill -9 under load: several threads post PagerDuty trigger events to /v2/enqueue, plinth is
    killed with SIGKILL mid-stream and restarted on the same database: every event that got a
    202 is there as an alert with its dedup key.
(b) escalation timers fire once — not zero times, not twice: with one plinth killed and
    restarted while a timer is pending, and with two plinth replicas on one PostgreSQL (several
    incidents with two 2-second levels: each level pages once, each notification reaches the
    fake receiver once per idempotency key; then one replica is killed while a timer is pending
    and the other fires it).
(c) the flood: one routing key sending far beyond the per-key limit gets 429 with Retry-After,
    every event it got a 202 for is stored, and another service's trigger meanwhile is accepted
    and paged promptly.
"""

import datetime
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import unittest

import harness
import test_paging_alertmanager as pg

TWO_LEVELS = [{"escalateAfter": "2s", "targets": [{"person": "ana"}]},
              {"escalateAfter": "2s", "targets": [{"person": "ben"}]}]


def trigger(key, dedup_key, summary=None, severity="critical"):
    return {"routing_key": key, "event_action": "trigger", "dedup_key": dedup_key,
            "payload": {"summary": summary or f"trigger {dedup_key}", "source": "durability-test",
                        "severity": severity}}


class Poster(threading.Thread):
    """Posts trigger events with dedup keys `<prefix>-<i>` on one keep-alive connection until
    stopped or the connection fails; records the keys that got a 202 and other statuses."""

    def __init__(self, port, key, prefix, limit=None):
        super().__init__(daemon=True)
        self.port, self.key, self.prefix, self.limit = port, key, prefix, limit
        self.accepted = []
        self.statuses = {}
        self.retry_after = set()
        self.failed = None
        self.halt = threading.Event()

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        i = 0
        try:
            while not self.halt.is_set() and (self.limit is None or i < self.limit):
                dedup = f"{self.prefix}-{i}"
                i += 1
                conn.request("POST", "/v2/enqueue", json.dumps(trigger(self.key, dedup)),
                             {"Content-Type": "application/json"})
                resp = conn.getresponse()
                body = resp.read()
                self.statuses[resp.status] = self.statuses.get(resp.status, 0) + 1
                if resp.status == 202:
                    if json.loads(body)["dedup_key"] != dedup:
                        raise AssertionError(f"202 for {dedup} named {body!r}")
                    self.accepted.append(dedup)
                elif resp.status == 429:
                    self.retry_after.add(resp.headers.get("Retry-After"))
        except (OSError, http.client.HTTPException) as e:
            self.failed = e
        finally:
            conn.close()


def epoch(rfc3339):
    """Seconds since the epoch of an RFC 3339 time as the API writes them."""
    return datetime.datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp()


def stored_dedup_keys(db):
    return {row[0] for row in harness.sql(db, "SELECT dedup_key FROM paging_alerts")}


def by_incident(requests):
    """Webhook requests grouped by the incident number their notice names."""
    out = {}
    for r in requests:
        out.setdefault(pg.incident_number(r), []).append(r)
    return out


class PagingCase:
    def setup_catalog(self, db, levels, services=("payments-api",)):
        fakes = pg.start_fakes(self)
        pg.apply(self, db, pg.paging_catalog(
            {"ana": fakes.webhook_url("ana"), "ben": fakes.webhook_url("ben")},
            levels=levels, schedule=["ana"], services=services))
        return fakes

    def enqueue(self, server, event):
        status, headers, body = server.request("POST", "/v2/enqueue", event)
        self.assertEqual(status, 202, body)
        return body

    def assert_each_level_once(self, db, fakes, incidents):
        """Each of `incidents` incidents paged ana at level 1 and ben at level 2, each once;
        each notification reached the fake once per idempotency key."""
        for name in ("ana", "ben"):
            requests = fakes.webhooks(name)
            keys = [pg.idempotency_key(r) for r in requests]
            self.assertNotIn(None, keys, requests[:1])
            self.assertEqual(len(keys), len(set(keys)), f"{name}: a key arrived twice")
            grouped = by_incident(requests)
            self.assertEqual(len(grouped), incidents, f"{name}: {sorted(grouped)}")
            for number, rs in grouped.items():
                self.assertEqual(len(rs), 1, f"{name} paged {len(rs)} times for #{number}")
        pages = harness.sql(db, "SELECT person, level, loop_index, COUNT(*) FROM paging_pages "
                                "GROUP BY person, level, loop_index ORDER BY level")
        self.assertEqual(pages, [("ana", "0", "0", str(incidents)),
                                 ("ben", "1", "0", str(incidents))])
        ana = by_incident(fakes.webhooks("ana"))
        for number, rs in by_incident(fakes.webhooks("ben")).items():
            waited = rs[0]["at"] - ana[number][0]["at"]
            self.assertGreater(waited, 1.5, f"#{number}: level 2 after {waited:.2f} s")


class DurabilityTests(PagingCase):
    def test_kill_9_under_load_keeps_every_accepted_event(self):
        db = self.fresh_db()
        self.setup_catalog(db, [{"escalateAfter": "30m", "targets": [{"person": "ana"}]}])
        key = pg.create_integration(self, db, "payments-api", "events-v2")
        env = {"PLINTH_EVENTS_PER_KEY_PER_SECOND": "0"}
        accepted = []
        for round_ in range(2):
            server = pg.serve(self, db, env=env)
            server.start()
            posters = [Poster(server.port, key, f"r{round_}t{t}") for t in range(4)]
            for p in posters:
                p.start()
            harness.wait_until(lambda: sum(len(p.accepted) for p in posters) >= 200, 30)
            server.kill()
            for p in posters:
                p.join(30)
                self.assertIsNotNone(p.failed, "a poster outlived the server")
            got = [k for p in posters for k in p.accepted]
            self.assertGreaterEqual(len(got), 200)
            accepted += got
            print(f"\n{self.backend} round {round_}: {len(got)} accepted before kill -9",
                  file=sys.stderr)

        with pg.serve(self, db, env=env) as server:
            missing = set(accepted) - stored_dedup_keys(db)
            self.assertEqual(missing, set(), f"{len(missing)} accepted events lost")
            # The restarted server works on the same data: a resolve finds an accepted alert.
            body = self.enqueue(server, {"routing_key": key, "event_action": "resolve",
                                         "dedup_key": accepted[0]})
            self.assertEqual(body["dedup_key"], accepted[0])
            rows = harness.sql(db, "SELECT status FROM paging_alerts WHERE dedup_key = "
                                   f"'{accepted[0]}'")
            self.assertEqual(rows, [("resolved",)])

    def test_escalation_timer_survives_kill_9(self):
        db = self.fresh_db()
        fakes = self.setup_catalog(db, TWO_LEVELS)
        key = pg.create_integration(self, db, "payments-api", "events-v2")
        server = pg.serve(self, db)
        server.start()
        self.enqueue(server, trigger(key, "disk-full"))
        self.assertTrue(harness.wait_until(lambda: fakes.webhooks("ana"), 15),
                        "level 1 did not page ana\n" + server.stderr_text())
        killed_at = time.time()
        server.kill()
        self.assertEqual(fakes.webhooks("ben"), [], "level 2 fired before its 2 s")
        time.sleep(3)  # the timer is due while no plinth runs
        with pg.serve(self, db):
            self.assertTrue(harness.wait_until(lambda: fakes.webhooks("ben"), 30),
                            "the pending escalation was lost")
            time.sleep(3)  # anything that would fire twice has had time to
        self.assert_each_level_once(db, fakes, 1)
        print(f"\n{self.backend}: level 2 fired "
              f"{fakes.webhooks('ben')[0]['at'] - killed_at:.2f} s after kill -9 "
              "(3 s of it with no plinth running)", file=sys.stderr)

    def test_flood_on_one_key_does_not_delay_another_service(self):
        db = self.fresh_db()
        fakes = self.setup_catalog(db, [{"escalateAfter": "30m", "targets": [{"person": "ana"}]}],
                                   services=("payments-api", "checkout-api"))
        flood_key = pg.create_integration(self, db, "payments-api", "events-v2")
        other_key = pg.create_integration(self, db, "checkout-api", "events-v2")
        token = harness.create_token(db, "viewer")
        limit = 20
        with pg.serve(self, db, env={"PLINTH_EVENTS_PER_KEY_PER_SECOND": str(limit)}) as server:
            def probe(name):
                """Triggers checkout-api; (ms to the 202, s from sending to ana's page, where
                the time went as plinth recorded it)."""
                sent = time.time()
                self.enqueue(server, trigger(other_key, name, f"checkout probe {name}"))
                accepted = time.time()

                def paged():
                    for r in fakes.webhooks("ana"):
                        if r["body"]["incident"]["title"] == f"checkout probe {name}":
                            return r
                page = harness.wait_until(paged, 30)
                self.assertIsNotNone(page, f"{name} was not paged\n" + server.stderr_text())
                detail = pg.incident(server, token, pg.incident_number(page))
                created = epoch(detail["createdAt"])
                attempt = epoch(detail["deliveries"][0]["firstAttemptAt"])
                steps = (f"{name}: opened {created - sent:.2f} s after sending, first attempt "
                         f"{attempt - created:.2f} s later, arrived {page['at'] - attempt:.2f} s "
                         "after that")
                return (accepted - sent) * 1000, page["at"] - sent, steps

            quiet = [probe(f"quiet-{i}") for i in range(3)]
            flood = Flood(self, server.port, flood_key, seconds=6)
            time.sleep(1.5)
            during = []
            flooded = {}  # answers to our own triggers on the flooded key
            for i in range(3):
                during.append(probe(f"flood-{i}"))
                for j in range(5):
                    status, headers, body = server.request("POST", "/v2/enqueue",
                                                           trigger(flood_key, f"probe-{i}-{j}"))
                    flooded[status] = flooded.get(status, 0) + 1
                    self.assertIn(status, (202, 429), body)
                    if status == 429:
                        self.assertRegex(headers.get("Retry-After", ""), r"^[1-9][0-9]*$")
                        self.assertEqual(body["status"], "throttle event")
                time.sleep(0.5)
            self.assertIn(429, flooded)
            stats = flood.finish()
            print(f"\n{self.backend}: flood of {stats['rate']:.0f} events/s on one key "
                  f"({stats['tool']}, {stats['connections']} connections, limit {limit}/s): "
                  f"{stats['accepted']} accepted, {stats['throttled']} throttled (our own "
                  f"triggers on that key: {flooded}); another "
                  "service's trigger: accepted in " + ", ".join(f"{a:.0f}" for a, _, _ in quiet)
                  + " ms and paged after " + ", ".join(f"{p:.2f}" for _, p, _ in quiet)
                  + " s before the flood, accepted in "
                  + ", ".join(f"{a:.0f}" for a, _, _ in during)
                  + " ms and paged after " + ", ".join(f"{p:.2f}" for _, p, _ in during)
                  + " s during it (" + "; ".join(steps for _, _, steps in during) + ")",
                  file=sys.stderr)
            self.assertEqual(stats["other"], 0, stats)
            self.assertGreater(stats["rate"], 50 * limit, "not a flood")
            # The bucket holds 5 s worth of events, then refills at the limit; our own triggers
            # on the key share it. Half a second of slack: the flood tool's clock is not the
            # server's (a bucket that refilled twice let 14-43% more through).
            self.assertLessEqual(stats["accepted"] + flooded.get(202, 0),
                                 limit * (stats["seconds"] + 5.5), stats)
            self.assertGreater(stats["accepted"], 0)
            # How long another service's event and page took during the flood is printed above
            # and measured by bench/paging.sh, not asserted: a timing here would fail on a busy
            # machine. What must hold: each was accepted (202) and paged (probe() waits for it).
            # Nothing valid is lost: every 202 of the flood is an alert (the flood tool counts
            # what it received; requests in flight when it stopped may have been accepted too).
            stored = harness.count_rows(db, "paging_alerts", "WHERE service = 'payments-api'")
            self.assertGreaterEqual(stored, stats["accepted"])
            self.assertLessEqual(stored, stats["accepted"] + stats["connections"] +
                                 flooded.get(202, 0))
            if stats["keys"] is not None:
                self.assertEqual(stats["keys"] - stored_dedup_keys(db), set())
            checkout = pg.incidents(server, token, service="checkout-api")
            self.assertEqual(len(checkout), 6)


class Flood:
    """Floods /v2/enqueue with trigger events for one routing key, each with a new dedup key:
    with wrk (bench/paging/enqueue.lua, 100 connections) when it is installed, else with four
    Python threads. finish() returns {tool, connections, seconds, rate, accepted, throttled,
    other, keys (the accepted dedup keys, None with wrk)}."""

    def __init__(self, test, port, key, seconds):
        self.seconds = seconds
        self.started = time.monotonic()
        wrk = shutil.which("wrk")
        if wrk:
            self.connections = 100
            self.proc = subprocess.Popen(
                [wrk, "-t2", f"-c{self.connections}", f"-d{seconds}s", "-s",
                 os.path.join(harness.REPO, "bench", "paging", "enqueue.lua"),
                 f"http://127.0.0.1:{port}"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                env=dict(os.environ, ROUTING_KEY=key, RUN="flood"))
            test.addCleanup(self.stop)
            self.posters = None
        else:
            self.connections = 4
            self.posters = [Poster(port, key, f"flood{t}") for t in range(self.connections)]
            for p in self.posters:
                p.start()

    def stop(self):
        if self.posters is None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.communicate()
        else:
            for p in self.posters:
                p.halt.set()

    def finish(self):
        if self.posters is None:
            out, _ = self.proc.communicate(timeout=self.seconds + 60)
            m = re.search(r"(\d+) requests in ([\d.]+)s", out)
            if self.proc.returncode != 0 or not m:
                raise AssertionError(f"wrk failed ({self.proc.returncode}):\n{out}")
            total, seconds = int(m.group(1)), float(m.group(2))
            bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            throttled = int(bad.group(1)) if bad else 0
            return {"tool": "wrk", "connections": self.connections, "seconds": seconds,
                    "rate": total / seconds, "accepted": total - throttled,
                    "throttled": throttled, "other": 0, "keys": None}
        time.sleep(max(0.0, self.started + self.seconds - time.monotonic()))
        for p in self.posters:
            p.halt.set()
        for p in self.posters:
            p.join(30)
            if p.failed:
                raise AssertionError(f"a poster failed: {p.failed}")
        seconds = time.monotonic() - self.started
        statuses = {}
        for p in self.posters:
            for code, n in p.statuses.items():
                statuses[code] = statuses.get(code, 0) + n
        retry = {r for p in self.posters for r in p.retry_after}
        if any(r is None or not r.isdigit() for r in retry):
            raise AssertionError(f"429 without a valid Retry-After: {retry}")
        return {"tool": "python", "connections": self.connections, "seconds": seconds,
                "rate": sum(statuses.values()) / seconds, "accepted": statuses.pop(202, 0),
                "throttled": statuses.pop(429, 0), "other": sum(statuses.values()),
                "keys": {k for p in self.posters for k in p.accepted}}


class ReplicaTests(PagingCase):
    def test_two_replicas_fire_each_level_once(self):
        db = self.fresh_db()
        fakes = self.setup_catalog(db, TWO_LEVELS)
        key = pg.create_integration(self, db, "payments-api", "events-v2")
        a = pg.serve(self, db)
        b = pg.serve(self, db)
        a.start()
        b.start()
        self.addCleanup(a.stop)
        self.addCleanup(b.stop)
        n = 6
        for i in range(n):
            server = (a, b)[i % 2]
            status, _, body = server.request("POST", "/v2/enqueue", trigger(key, f"alert-{i}"))
            self.assertEqual(status, 202, body)
        self.assertTrue(harness.wait_until(lambda: len(fakes.webhooks("ben")) >= n, 30),
                        f"level 2 paged {len(fakes.webhooks('ben'))} of {n}\n"
                        + a.stderr_text() + b.stderr_text())
        time.sleep(4)  # a second firing of either level would be due by now
        self.assert_each_level_once(db, fakes, n)

        # One replica dies while a timer is pending: the other fires it, once.
        before = len(fakes.webhooks("ana"))
        status, _, body = a.request("POST", "/v2/enqueue", trigger(key, "after-kill"))
        self.assertEqual(status, 202, body)
        self.assertTrue(harness.wait_until(lambda: len(fakes.webhooks("ana")) > before, 15))
        killed_at = time.time()
        a.kill()
        self.assertTrue(harness.wait_until(lambda: len(fakes.webhooks("ben")) > n, 60),
                        "the surviving replica did not fire the pending level\n"
                        + b.stderr_text())
        fired_s = fakes.webhooks("ben")[-1]["at"] - killed_at
        time.sleep(4)
        self.assert_each_level_once(db, fakes, n + 1)
        b.stop()
        self.assertEqual(b.returncode, 0, b.stderr_text())
        print(f"\nreplicas: {n} incidents, each level once; after kill -9 of one replica the "
              f"other fired level 2 {fired_s:.2f} s later", file=sys.stderr)


class SqlitePagingDurabilityTest(DurabilityTests, harness.BackendCase):
    backend = "sqlite"


class PostgresPagingDurabilityTest(DurabilityTests, harness.BackendCase):
    backend = "postgres"


class PostgresPagingReplicaTest(ReplicaTests, harness.BackendCase):
    backend = "postgres"


if __name__ == "__main__":
    unittest.main()
