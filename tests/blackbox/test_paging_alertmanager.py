"""The real client: Debian's Alertmanager (`prometheus-alertmanager`) sends to plinth.

Alertmanager runs on a free loopback port with clustering off, a temporary storage path and a
config with two receivers: `pagerduty_configs` whose `url` is plinth's /v2/enqueue (routing key:
an events-v2 integration key of the service) and `webhook_configs` whose url is plinth's
/integrations/alertmanager/{key}. The test posts an alert to Alertmanager's own API
(POST /api/v2/alerts); plinth opens an incident on the service, its escalation policy resolves
the service's schedule to the person on call, and that person's webhook contact method (the fake
receiver of tests/fakes) gets a page naming the incident. The alert is then ended in Alertmanager
(endsAt now), Alertmanager sends the resolve, and the incident resolves.
"""

import datetime
import json
import os
import signal
import sys
import textwrap
import time
import unittest
import unittest.mock
import urllib.parse

import harness

sys.path.insert(0, os.path.join(harness.REPO, "tests", "fakes"))
import fakes  # noqa: E402  (tests/fakes/fakes.py)

ALERTMANAGER = "/usr/bin/prometheus-alertmanager"


class AlertmanagerProcess(harness.PeerServer):
    """Alertmanager on loopback, clustering disabled, killed and its directory removed on stop()."""

    def __init__(self, config_text):
        super().__init__("alertmanager")
        config = os.path.join(self.dir, "alertmanager.yml")
        with open(config, "w") as f:
            f.write(config_text)
        self.start(ALERTMANAGER, [f"--config.file={config}",
                                  f"--storage.path={os.path.join(self.dir, 'data')}",
                                  "--cluster.listen-address=", "--log.level=debug"])

    def post_alerts(self, alerts):
        status, _, body = harness.request(self.port, "POST", "/api/v2/alerts", alerts)
        if status != 200:
            raise AssertionError(f"alertmanager refused the alerts ({status}): {body}")


def alertmanager_config(plinth_url, receiver, key):
    """One route to one receiver; Alertmanager sends a group 1 s after its first alert and
    changes to it (the resolve) 1 s later."""
    if receiver == "pagerduty":
        spec = textwrap.dedent(f"""\
            pagerduty_configs:
              - routing_key: {key}
                url: {plinth_url}/v2/enqueue
                send_resolved: true
                severity: '{{{{ .CommonLabels.severity }}}}'
            """)
    else:
        spec = textwrap.dedent(f"""\
            webhook_configs:
              - url: {plinth_url}/integrations/alertmanager/{key}
                send_resolved: true
            """)
    return textwrap.dedent("""\
        route:
          receiver: plinth
          group_by: [alertname, service]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: plinth
        """) + textwrap.indent(spec, "    ")


# --- helpers, shared with test_paging_durability ------------------------------------------


class Fakes:
    """The fake receivers of tests/fakes for people's webhook contact methods:
    webhook_url(name) is an address, webhooks(name) what it received, oldest first, each record
    with "at" as seconds since the epoch."""

    def __init__(self, impl):
        self.impl = impl

    def webhook_url(self, name):
        return self.impl.url(f"/webhook/{name}")

    def webhooks(self, name):
        out = []
        for r in self.impl.received("webhook"):
            if r["path"] == f"/webhook/{name}":
                at = datetime.datetime.fromisoformat(r["at"].replace("Z", "+00:00"))
                out.append(dict(r, at=at.timestamp()))
        return out


def start_fakes(test):
    return Fakes(fakes.start_fakes(test))


def paging_catalog(people, levels, schedule, services=("payments-api",), repeat=0):
    """Team payments with `people` (name -> webhook address), a schedule payments-primary whose
    only layer rotates `schedule` weekly from a day ago (so its first person is on call),
    escalation policy payments-default with `levels`, and `services` owned by payments that page
    through the policy."""
    docs = [harness.team("payments", members=sorted(people))]
    for name, address in sorted(people.items()):
        docs.append(harness.person(name, contactMethods=[{"type": "webhook",
                                                           "address": address}]))
    start = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() - 86400))
    docs.append({"apiVersion": "plinth/v1", "kind": "Schedule",
                 "metadata": {"name": "payments-primary"},
                 "spec": {"team": "payments", "timeZone": "UTC",
                          "layers": [{"name": "weekly", "participants": list(schedule),
                                      "turn": "1w", "start": start}]}})
    docs.append({"apiVersion": "plinth/v1", "kind": "EscalationPolicy",
                 "metadata": {"name": "payments-default"},
                 "spec": {"owner": "payments", "repeat": repeat, "levels": levels}})
    for name in services:
        docs.append(harness.service(name, "payments",
                                    paging={"escalationPolicy": "payments-default"}))
    return "".join("---\n" + json.dumps(d) + "\n" for d in docs)


def apply(test, db, text):
    path = os.path.join(test.temp_dir(), "catalog.yaml")
    with open(path, "w") as f:
        f.write(text)
    test.cli(["apply", "-f", path], db)


def create_integration(test, db, service, itype):
    """A new integration key of `service` (plinth integration create)."""
    r = test.cli(["integration", "create", "--service", service, "--type", itype], db)
    key = r.stdout.strip().splitlines()[-1].split()[-1]
    test.assertRegex(key, r"^[A-Za-z0-9_-]{16,}$", r.stdout)
    return key


class PagingServer(harness.Server):
    """harness.Server with extra environment variables for `plinth serve`."""

    def __init__(self, db, env=None, **kwargs):
        super().__init__(db, **kwargs)
        self.env = dict(env or {})

    def start(self):
        with unittest.mock.patch.dict(os.environ, self.env):
            super().start()

    def kill(self):
        """kill -9; the process is reaped and its return code kept."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        self.stop()


def serve(test, db, env=None, **kwargs):
    """A PagingServer, stopped when `test` ends if it is still running."""
    server = PagingServer(db, env=env, test=test, **kwargs)
    test.addCleanup(server.stop)
    return server


def get_json(server, path, token):
    status, _, body = server.request("GET", path, token=token)
    if status != 200:
        raise AssertionError(f"GET {path}: {status} {body}")
    return body


def incidents(server, token, **query):
    path = "/api/v1/incidents" + ("?" + urllib.parse.urlencode(query) if query else "")
    body = get_json(server, path, token)
    return body["items"] if isinstance(body, dict) else body


def incident(server, token, number):
    return get_json(server, f"/api/v1/incidents/{number}", token)


def only(items):
    return items[0] if len(items) == 1 else None


def incident_number(request):
    """The incident number a webhook notification names (plinth's webhook JSON:
    {"event": "incident.page", "incident": {"number": ...}, ...})."""
    return request["body"]["incident"]["number"]


def idempotency_key(request):
    return {k.lower(): v for k, v in request["headers"].items()}.get("idempotency-key")


# --- the test ------------------------------------------------------------------------------


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def setUpModule():
    if not os.access(ALERTMANAGER, os.X_OK):
        raise unittest.SkipTest(f"{ALERTMANAGER} is missing (Debian package "
                                "prometheus-alertmanager; scripts/install-deps installs it)")


class AlertmanagerTests:
    def run_flow(self, receiver):
        receivers = start_fakes(self)
        db = self.fresh_db()
        apply(self, db, paging_catalog(
            {"ana": receivers.webhook_url("ana"), "ben": receivers.webhook_url("ben")},
            levels=[{"escalateAfter": "30m", "targets": [{"schedule": "payments-primary"}]}],
            schedule=["ana", "ben"]))
        itype = "events-v2" if receiver == "pagerduty" else "alertmanager"
        key = create_integration(self, db, "payments-api", itype)
        token = harness.create_token(db, "viewer")
        with serve(self, db) as server:
            am = AlertmanagerProcess(alertmanager_config(server.url, receiver, key))
            self.addCleanup(am.stop)
            labels = {"alertname": "DiskFull", "service": "payments-db", "severity": "critical",
                      "instance": "db-1"}
            started = time.time() - 5
            am.post_alerts([{"labels": labels, "startsAt": rfc3339(started),
                             "annotations": {"summary": "disk full on db-1"}}])

            opened = harness.wait_until(
                lambda: only(incidents(server, token, service="payments-api")), 30, 0.2)
            self.assertIsNotNone(opened, "no incident from Alertmanager's alert\n"
                                 + am.log_text() + server.stderr_text())
            self.assertEqual(opened["service"], "payments-api")
            self.assertEqual(opened["status"], "triggered")
            self.assertEqual(opened["urgency"], "high")
            self.assertEqual(opened["escalationPolicy"], "payments-default")
            # Alertmanager's PagerDuty receiver sends its default description; the webhook the
            # alert's summary annotation.
            self.assertEqual(opened["title"], "[FIRING:1] DiskFull payments-db (db-1 critical)"
                             if receiver == "pagerduty" else "disk full on db-1")
            number = opened["number"]

            pages = harness.wait_until(lambda: receivers.webhooks("ana"), 30, 0.2)
            self.assertTrue(pages, "ana was not paged\n" + server.stderr_text())
            self.assertEqual(receivers.webhooks("ben"), [], "ben is not on call this week")
            page = pages[0]["body"]
            self.assertEqual(page["event"], "incident.page")
            self.assertEqual(page["incident"]["number"], number)
            self.assertEqual(page["incident"]["service"], "payments-api")
            self.assertEqual(page["incident"]["title"], opened["title"])
            self.assertEqual(page["person"], "ana")

            detail = incident(server, token, number)
            self.assertEqual(len(detail["alerts"]), 1, detail)
            self.assertEqual(detail["alerts"][0]["status"], "triggered")

            am.post_alerts([{"labels": labels, "startsAt": rfc3339(started),
                             "endsAt": rfc3339(time.time()),
                             "annotations": {"summary": "disk full on db-1"}}])
            resolved = harness.wait_until(
                lambda: incident(server, token, number)["status"] == "resolved", 30, 0.2)
            self.assertTrue(resolved, "the incident did not resolve\n" + am.log_text())
            detail = incident(server, token, number)
            self.assertEqual(detail["alerts"][0]["status"], "resolved")
            self.assertEqual(detail["resolvedBy"], "source:" + detail["alerts"][0]["integration"])
            # ana was paged as the schedule's on-call person, and the delivery the fake received
            # is the one plinth logged.
            self.assertEqual([(p["person"], p["level"], p["schedule"]) for p in detail["pages"]],
                             [("ana", 1, "payments-primary")])
            self.assertEqual([(d["person"], d["channel"], d["status"], d["idempotencyKey"])
                              for d in detail["deliveries"]],
                             [("ana", "webhook", "sent", idempotency_key(pages[0]))])
            self.assertEqual(len(incidents(server, token)), 1, "the resolve opened nothing")
            # No notification arrived twice.
            keys = [idempotency_key(p) for p in receivers.webhooks("ana")]
            self.assertEqual(len(keys), len(set(keys)), keys)
            print(f"\n{self.backend} {receiver}: incident #{number}, ana paged "
                  f"{pages[0]['at'] - started - 5:.2f} s after the alert was posted",
                  file=sys.stderr)

    def test_pagerduty_configs(self):
        self.run_flow("pagerduty")

    def test_webhook_configs(self):
        self.run_flow("webhook")


class SqliteAlertmanagerTest(AlertmanagerTests, harness.BackendCase):
    backend = "sqlite"


class PostgresAlertmanagerTest(AlertmanagerTests, harness.BackendCase):
    backend = "postgres"


if __name__ == "__main__":
    unittest.main()
