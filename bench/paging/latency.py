#!/usr/bin/env python3
"""Time from an accepted trigger to the first notification attempt.

Starts a webhook sink on loopback, applies a catalog whose service pages one person (a webhook
contact method pointing at the sink) at once, starts `plinth serve` on a fresh database (SQLite
in WORK_DIR, or --db) and posts N PagerDuty trigger events, each with a new dedup key (so N
incidents), at a steady pace. Prints p50/p95/p99/max of two measures:
  - accepted -> first attempt: the first delivery's firstAttemptAt - the incident's createdAt,
    as plinth records them (GET /api/v1/incidents/{number});
  - 202 -> arrival: from the client's receipt of the 202 to the sink's receipt of the webhook
    (one clock: everything runs on this machine).

Usage: latency.py PLINTH_BIN WORK_DIR [--db URL] [--incidents N] [--rate PER_SECOND]
Standard library only.
"""

import argparse
import http.client
import http.server
import json
import os
import datetime
import re
import subprocess
import sys
import threading
import time


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list."""
    s = sorted(values)
    return s[max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))]


class Sink:
    """Answers 200 to every POST and records (arrival time, parsed body)."""

    def __init__(self):
        self.arrivals = []
        arrivals, lock = self.arrivals, threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                at = time.time()
                with lock:
                    arrivals.append((at, raw))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def ms(rfc3339):
    """Milliseconds since the epoch of an RFC 3339 time such as 2026-01-05T09:00:00.123Z."""
    return datetime.datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp() * 1000


def catalog(sink_url):
    docs = [
        {"kind": "Team", "metadata": {"name": "bench"}, "spec": {"members": ["oncall"]}},
        {"kind": "Person", "metadata": {"name": "oncall"},
         "spec": {"contactMethods": [{"type": "webhook", "address": sink_url}]}},
        {"kind": "EscalationPolicy", "metadata": {"name": "bench-now"},
         "spec": {"owner": "bench", "levels": [{"escalateAfter": "30m",
                                                "targets": [{"person": "oncall"}]}]}},
        {"kind": "Service", "metadata": {"name": "bench-latency"},
         "spec": {"owner": "bench", "paging": {"escalationPolicy": "bench-now"}}},
    ]
    return "".join("---\n" + json.dumps(dict(apiVersion="plinth/v1", **d)) + "\n" for d in docs)


def run(cmd, **kwargs):
    r = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stdout}{r.stderr}")
    return r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("plinth")
    ap.add_argument("work")
    ap.add_argument("--db", help="a fresh database (default: SQLite in WORK_DIR)")
    ap.add_argument("--incidents", type=int, default=200)
    ap.add_argument("--rate", type=float, default=20.0)
    args = ap.parse_args()

    sink = Sink()
    db = args.db or "sqlite:" + os.path.join(args.work, "latency.db")
    cat = os.path.join(args.work, "latency.yaml")
    with open(cat, "w") as f:
        f.write(catalog(f"http://127.0.0.1:{sink.port}/webhook/oncall"))
    run([args.plinth, "apply", "-f", cat, "--db", db])
    out = run([args.plinth, "integration", "create", "--service", "bench-latency", "--type",
               "events-v2", "--db", db])
    key = out.strip()
    token = run([args.plinth, "token", "create", "--role", "viewer", "--db", db]).strip()

    env = dict(os.environ, PLINTH_EVENTS_PER_KEY_PER_SECOND="0")
    env.pop("PLINTH_DB", None)
    err = open(os.path.join(args.work, "latency-serve.err"), "w")
    proc = subprocess.Popen([args.plinth, "serve", "--db", db, "--listen", "127.0.0.1:0",
                             "--rate-limit", "0"], stdout=subprocess.PIPE, stderr=err,
                            text=True, env=env)
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if not m:
            sys.exit(f"plinth serve did not start: {line!r}")
        port = int(m.group(1))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        accepted = {}  # dedup key -> time the 202 arrived
        start = time.monotonic()
        for i in range(args.incidents):
            time.sleep(max(0.0, start + i / args.rate - time.monotonic()))
            dedup = f"latency-{i}"
            event = {"routing_key": key, "event_action": "trigger", "dedup_key": dedup,
                     "payload": {"summary": f"latency probe {dedup}", "source": "bench",
                                 "severity": "critical"}}
            conn.request("POST", "/v2/enqueue", json.dumps(event),
                         {"Content-Type": "application/json"})
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 202:
                sys.exit(f"trigger {i}: {resp.status} {body!r}")
            accepted[dedup] = time.time()
        conn.close()

        deadline = time.monotonic() + 60
        while len(sink.arrivals) < args.incidents and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        recorded = []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for number in range(1, args.incidents + 1):
            conn.request("GET", f"/api/v1/incidents/{number}",
                         headers={"Authorization": "Bearer " + token})
            resp = conn.getresponse()
            detail = json.loads(resp.read())
            if resp.status != 200:
                sys.exit(f"GET /api/v1/incidents/{number}: {resp.status} {detail}")
            attempts = [ms(d["firstAttemptAt"]) for d in detail["deliveries"]
                        if d.get("firstAttemptAt")]
            if attempts:
                recorded.append(min(attempts) - ms(detail["createdAt"]))
        conn.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        err.close()

    end_to_end = []
    seen = set()
    for at, raw in sorted(sink.arrivals):
        m = re.search(rb"latency probe (latency-\d+)", raw)
        if m and m.group(1).decode() not in seen:
            dedup = m.group(1).decode()
            seen.add(dedup)
            end_to_end.append((at - accepted[dedup]) * 1000)

    backend = "SQLite" if db.startswith("sqlite:") else "PostgreSQL"
    print(f"{backend}: {args.incidents} triggers at {args.rate:g}/s, each a new incident paging "
          f"one person by webhook; {len(recorded)} first attempts recorded, "
          f"{len(end_to_end)} arrived")
    print(f"{'measure (ms)':<42} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    for name, values in (("accepted -> first attempt (plinth's record)", recorded),
                         ("202 -> webhook arrival (client clock)", end_to_end)):
        if values:
            print(f"{name:<42} " + " ".join(f"{percentile(values, p):7.1f}"
                                            for p in (50, 95, 99, 100)))
        else:
            print(f"{name:<42} no data")
    if len(recorded) < args.incidents or len(end_to_end) < args.incidents:
        sys.exit("some incidents were not notified")


if __name__ == "__main__":
    main()
