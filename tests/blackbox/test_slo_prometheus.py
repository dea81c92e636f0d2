"""SLI data from a real Prometheus (Debian's `prometheus` package): the test writes three hours of
counters with known per-minute increments as OpenMetrics text, backfills a TSDB with
`promtool tsdb create-blocks-from openmetrics`, starts Prometheus on that storage on a free
loopback port, and checks that `plinth slo pull --once` stores exactly the per-minute counts
written and that the attainment plinth reports equals the direct calculation over them.

Exactness: counters grow linearly within each minute and are sampled every 15 s, on the
minute. rate(x[1m]) evaluated at the end of minute m sees the samples from its start to its end
(Prometheus 2.x: a closed range; 3.x: left-open, then the 45 s it sees are extrapolated by 60/45,
which is exact for a linear counter), so rate * 60 is the minute's increase; plinth rounds the
counts to 6 decimals, so the stored counts are the integers written.

Also: a second pull overlapping the first counts nothing twice, and a DataSource whose
Prometheus is not there makes the pull fail with a reason a person understands.
"""

import glob
import json
import os
import re
import subprocess
import textwrap
import time
import unittest

import harness

PROMETHEUS = "/usr/bin/prometheus"
PROMTOOL = "/usr/bin/promtool"
MINUTES = 180  # three hours of data
SLO = "api-availability"


def increments(i):
    """Requests (code 200, code 500) in the i-th minute of the data; multiples of 4, so every
    15-second sample is an integer."""
    ok = 4 * (100 + (i * 37) % 50)
    errors = 4 * (i % 5) if i % 7 in (2, 3) else 0
    if 120 <= i < 130:  # an incident: a tenth of the requests fail
        errors = 4 * 25
    return ok, errors


def openmetrics(start_s):
    """Counters from start_s for MINUTES minutes, samples every 15 s (the last at the end)."""
    lines = ["# TYPE http_requests counter"]
    for code, index in (("200", 0), ("500", 1)):
        value = 1000  # counters that did not start at zero
        lines.append(f'http_requests_total{{code="{code}"}} {value} {start_s}')
        for i in range(MINUTES):
            step = increments(i)[index] // 4
            for q in range(1, 5):
                value += step
                lines.append(f'http_requests_total{{code="{code}"}} {value} {start_s + i * 60 + q * 15}')
    lines.append("# EOF")
    return "\n".join(lines) + "\n"


def rfc3339(s):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(s))


class PrometheusProcess(harness.PeerServer):
    """Prometheus on a backfilled TSDB in a temporary directory; killed on stop()."""

    def __init__(self, start_s):
        super().__init__("prometheus")
        data = os.path.join(self.dir, "data")
        os.makedirs(data)
        om = os.path.join(self.dir, "input.om")
        with open(om, "w") as f:
            f.write(openmetrics(start_s))
        r = subprocess.run([PROMTOOL, "tsdb", "create-blocks-from", "openmetrics", om, data],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise AssertionError(f"promtool failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
        config = os.path.join(self.dir, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global: {scrape_interval: 15s}\nscrape_configs: []\n")
        self.start(PROMETHEUS, [f"--config.file={config}", f"--storage.tsdb.path={data}",
                                "--storage.tsdb.retention.time=100y"])


def setUpModule():
    global PROM, START_S, END_S
    if not os.access(PROMETHEUS, os.X_OK) or not os.access(PROMTOOL, os.X_OK):
        raise unittest.SkipTest(f"{PROMETHEUS} or {PROMTOOL} is missing "
                                "(Debian package prometheus; scripts/install-deps installs it)")
    now = int(time.time())
    END_S = now // 60 * 60 - 30 * 60  # the data ends half an hour ago, on a minute
    START_S = END_S - MINUTES * 60
    PROM = PrometheusProcess(START_S)


def tearDownModule():
    if "PROM" in globals():
        PROM.stop()


def catalog(url, interval="1m"):
    return textwrap.dedent(f"""\
        apiVersion: plinth/v1
        kind: Team
        metadata: {{name: web}}
        ---
        apiVersion: plinth/v1
        kind: Service
        metadata: {{name: api}}
        spec: {{owner: web, tier: 1}}
        ---
        apiVersion: plinth/v1
        kind: DataSource
        metadata: {{name: prom}}
        spec: {{type: prometheus, url: "{url}", interval: {interval}}}
        ---
        apiVersion: plinth/v1
        kind: SLO
        metadata: {{name: {SLO}}}
        spec:
          service: api
          objective: 0.99
          window: 3h
          indicator:
            ratio:
              bad: sum(rate(http_requests_total{{code=~"5.."}}[{{{{.window}}}}]))
              total: sum(rate(http_requests_total[{{{{.window}}}}]))
          dataSource: prom
        """)


class SloPrometheusTests:
    def apply(self, db, text):
        path = os.path.join(self.temp_dir(), "catalog.yaml")
        with open(path, "w") as f:
            f.write(text)
        self.cli(["apply", "-f", path], db)

    def pull(self, db, now_s, ok=True):
        return self.cli(["slo", "pull", "--once", "--now", rfc3339(now_s), "--first-pull", "4h"],
                        db, ok=ok)

    def stored(self, db):
        rows = harness.sql(db, f"SELECT minute, good, total FROM slo_minutes WHERE slo = '{SLO}' "
                               "ORDER BY minute")
        return [(int(m), float(g), float(t)) for m, g, t in rows]

    def test_pull_matches_the_counters(self):
        db = self.fresh_db()
        self.apply(db, catalog(PROM.url))
        # First pull an hour before the end of the data, then at the end: the second re-reads
        # the overlap and must not count it twice.
        self.pull(db, END_S - 3600 + 20)
        self.assertEqual(len(self.stored(db)), MINUTES - 60)
        r = self.pull(db, END_S + 20)
        self.assertIn(SLO, r.stdout)

        want = []
        for i in range(MINUTES):
            ok, errors = increments(i)
            want.append((START_S // 60 + i, float(ok), float(ok + errors)))
        self.assertEqual(self.stored(db), want)
        state = harness.sql(db, f"SELECT pulled_until, COALESCE(last_error, 'none') "
                                f"FROM slo_pull_state WHERE slo = '{SLO}'")
        self.assertEqual(state, [(str(END_S // 60), "none")])

        good = sum(ok for ok, _ in map(increments, range(MINUTES)))
        total = sum(ok + e for ok, e in map(increments, range(MINUTES)))
        expected = good / total
        status = harness.run_cli(["slo", "status", SLO, "--at", rfc3339(END_S), "--format",
                                  "json"], db)
        if not (status.returncode == 2 and ("unknown command" in status.stderr or
                                            "expected a subcommand" in status.stderr)):
            self.assertEqual(status.returncode, 0, status.stderr)
            doc = json.loads(status.stdout)
            self.assertEqual(doc["events"]["good"], good)
            self.assertEqual(doc["events"]["total"], total)
            self.assertAlmostEqual(doc["attainment"], expected, places=12)
            self.assertFalse(doc["no_data"])
        else:  # `plinth slo status` not there: the attainment from the stored minutes
            rows = self.stored(db)
            self.assertAlmostEqual(sum(g for _, g, _ in rows) / sum(t for _, _, t in rows),
                                   expected, places=12)
        self.assertLess(expected, 0.99)  # the incident spent more than the budget

    def test_prometheus_down_is_reported_then_caught_up(self):
        db = self.fresh_db()
        closed = harness.free_port()
        self.apply(db, catalog(f"http://127.0.0.1:{closed}"))
        r = self.pull(db, END_S + 20, ok=False)
        self.assertNotEqual(r.returncode, 0)
        reason = (f"Prometheus at http://127.0.0.1:{closed}: cannot connect "
                  "(connection refused or host unreachable)")
        self.assertIn(f"failed: {reason}", r.stdout)
        self.assertIn("1 SLO(s) could not be pulled", r.stderr)
        self.assertEqual(harness.sql(db, "SELECT last_error FROM slo_pull_state"), [(reason,)])
        self.assertEqual(self.stored(db), [])

        # The data source is fixed: the next pull, a minute later, fetches everything since the
        # first attempt.
        self.apply(db, catalog(PROM.url))
        self.pull(db, END_S + 80)
        self.assertEqual(len(self.stored(db)), MINUTES)
        self.assertEqual(harness.sql(db, "SELECT COALESCE(last_error, 'none') FROM slo_pull_state"),
                         [("none",)])


    def test_rules_from_the_database_and_from_sloth_files(self):
        db = self.fresh_db()
        self.apply(db, catalog(PROM.url))
        out = self.temp_dir()
        self.cli(["slo", "rules", "--out", out], db)
        self.assertEqual(os.listdir(out), ["api.rules.yml"])
        path = os.path.join(out, "api.rules.yml")
        with open(path) as f:
            rules = f.read()
        self.assertIn("- alert: ApiAvailabilityBudgetBurn", rules)
        self.assertIn("sloth_spec: plinth/v1", rules)
        r = subprocess.run([PROMTOOL, "check", "rules", path], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

        # Sloth's own inputs with --sloth-compatible: Sloth's golden output, byte for byte.
        for case in ("01-base-30d", "06-k8s-crd"):
            folder = os.path.join(harness.SHARED_DATA, "sloth", case)
            if not os.path.isdir(folder):
                self.skipTest(f"{folder} is missing")
            (template,) = glob.glob(os.path.join(folder, "out-*.tpl"))
            with open(template) as f:
                want = f.read().replace("{{ .version }}", "v0.16.0")
            want = re.sub(r'\{\{"(.*?)"\}\}', r"\1", want)
            got = self.cli(["slo", "rules", "-f", folder, "--sloth-compatible"]).stdout
            self.assertEqual(got, want, case)


class SqliteSloPrometheusTest(SloPrometheusTests, harness.BackendCase):
    backend = "sqlite"


class PostgresSloPrometheusTest(SloPrometheusTests, harness.BackendCase):
    backend = "postgres"


if __name__ == "__main__":
    unittest.main()
