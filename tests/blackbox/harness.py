"""Black-box test harness: runs the real plinth binary on loopback against a fresh database.

Standard library only, plus the `psql` client for PostgreSQL. Environment (set by CTest, see
cmake/tests.cmake):
  PLINTH_BIN               the plinth binary under test
  PLINTH_TEST_PG_URL_FILE  a file holding the URL of a throwaway PostgreSQL server

Every test case class derives from BackendCase and names its backend ("sqlite" or
"postgres"); a module defines the tests once in a mixin and two small subclasses, e.g.

    class ApiTests: ...
    class SqliteApiTest(ApiTests, harness.BackendCase): backend = "sqlite"
    class PostgresApiTest(ApiTests, harness.BackendCase): backend = "postgres"

Temporary directories and PostgreSQL databases are removed when the test that made them ends.
"""

import http.client
import itertools
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# Reference data shared by every checkout: <repo>/../shared/data.
SHARED_DATA = os.path.join(os.path.dirname(REPO), "shared", "data")

BACKENDS = ("sqlite", "postgres")
_db_counter = itertools.count(1)


def plinth_bin():
    path = os.environ.get("PLINTH_BIN")
    if not path:
        raise unittest.SkipTest("PLINTH_BIN is not set (run the black-box tests through ctest)")
    if not os.access(path, os.X_OK):
        raise AssertionError(f"PLINTH_BIN={path} is not an executable; build the plinth target")
    return path


def _cleanup(test, fn, *args):
    if test is not None:
        test.addCleanup(fn, *args)


def temp_dir(test=None):
    """A fresh directory, removed when `test` ends."""
    path = tempfile.mkdtemp(prefix="plinth-bb-")
    _cleanup(test, shutil.rmtree, path, True)
    return path


# --- databases -----------------------------------------------------------------------------

def pg_server_url():
    """The URL of the test PostgreSQL server; SkipTest when there is none."""
    url_file = os.environ.get("PLINTH_TEST_PG_URL_FILE")
    if not url_file:
        raise unittest.SkipTest("PLINTH_TEST_PG_URL_FILE is not set: no PostgreSQL test server")
    if not os.path.exists(url_file):
        raise unittest.SkipTest(f"{url_file} does not exist: the PostgreSQL fixture did not start")
    if shutil.which("psql") is None:
        raise unittest.SkipTest("psql is not installed (Debian package postgresql-client)")
    with open(url_file) as f:
        return f.read().strip()


def psql(url, sql):
    """Runs SQL with psql; returns unaligned, tuples-only output."""
    r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-tA", url, "-c", sql],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise AssertionError(f"psql failed ({r.returncode}): {sql}\n{r.stderr}")
    return r.stdout


def fresh_db(backend, test=None):
    """A URL for an empty database: sqlite:<tmpdir>/plinth.db or a new PostgreSQL database."""
    if backend == "sqlite":
        return "sqlite:" + os.path.join(temp_dir(test), "plinth.db")
    if backend == "postgres":
        server = pg_server_url()
        name = f"bb_{os.getpid()}_{next(_db_counter)}_{uuid.uuid4().hex[:8]}"
        psql(server, f"CREATE DATABASE {name}")
        _cleanup(test, psql, server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        return server.rsplit("/", 1)[0] + "/" + name
    raise ValueError(f"unknown backend {backend!r}")


def sql(db, statement):
    """Runs one SQL statement directly on the database; returns the rows as tuples of text."""
    if db.startswith("sqlite:"):
        with sqlite3.connect(db[len("sqlite:"):], timeout=30) as conn:
            rows = conn.execute(statement).fetchall()
        conn.close()
        return [tuple("" if v is None else str(v) for v in row) for row in rows]
    out = psql(db, statement)
    return [tuple(line.split("|")) for line in out.splitlines() if line]


def count_rows(db, table, where=""):
    return int(sql(db, f"SELECT COUNT(*) FROM {table} {where}")[0][0])


def table_snapshot(db):
    """Row counts of the tables a request can change, to prove a bad request changed nothing."""
    return {t: count_rows(db, t) for t in ("catalog_entities", "catalog_relations",
                                           "audit_log", "users", "api_tokens", "sessions")}


# --- the CLI -------------------------------------------------------------------------------

def run_cli(args, db=None, input=None, timeout=300, cwd=None):
    """Runs `plinth ARGS [--db DB]`; returns the CompletedProcess (text)."""
    cmd = [plinth_bin()] + list(args) + (["--db", db] if db else [])
    env = {k: v for k, v in os.environ.items() if k != "PLINTH_DB"}
    return subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout,
                          env=env, cwd=cwd or tempfile.gettempdir())


def create_token(db, role, team=None):
    args = ["token", "create", "--role", role] + (["--team", team] if team else [])
    r = run_cli(args, db)
    if r.returncode != 0:
        raise AssertionError(f"token create failed ({r.returncode}): {r.stderr}")
    token = r.stdout.strip()
    if not token.startswith("plt_"):
        raise AssertionError(f"token create printed {r.stdout!r}")
    return token


def admin_token(db):
    return create_token(db, "admin")


# --- the server ----------------------------------------------------------------------------

LISTENING = re.compile(r"^plinth listening on (?P<url>http://127\.0\.0\.1:\d+)$")


class Server:
    """`plinth serve` (or another serving command) as a context manager.

    Waits for the line matching `ready` on stdout and takes the URL (group "url") and the port
    from it; self.stdout_lines holds what was printed up to then (and after). Stderr
    goes to a file (self.stderr_text()). On exit stops the process with SIGTERM (SIGKILL after
    10 s) and asserts it exited 0. Rate limiting is off unless `rate_limit` is given, so tests
    may send requests as fast as they like.
    """

    def __init__(self, db, extra=(), rate_limit=0, args=None, ready=LISTENING, test=None,
                 start_timeout=60):
        if args is None:
            args = ["serve", "--db", db, "--listen", "127.0.0.1:0"]
            if rate_limit is not None:
                args += ["--rate-limit", str(rate_limit)]
        self.args = list(args) + list(extra)
        self.db = db
        self.ready = ready
        self.start_timeout = start_timeout
        self.dir = temp_dir(test)
        self.stderr_path = os.path.join(self.dir, "stderr.log")
        self.stdout_lines = []
        self.proc = None
        self.url = None
        self.port = None
        self.match = None
        self.returncode = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        rc = self.stop()
        if exc_type is None and rc != 0:
            raise AssertionError(f"plinth exited {rc}\nstderr:\n{self.stderr_text()}")
        return False

    def start(self):
        env = {k: v for k, v in os.environ.items() if k != "PLINTH_DB"}
        self._stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen([plinth_bin()] + self.args, stdout=subprocess.PIPE,
                                     stderr=self._stderr, stdin=subprocess.DEVNULL, text=True,
                                     env=env, cwd=self.dir)
        got_ready = threading.Event()

        def read_stdout():
            for line in self.proc.stdout:
                line = line.rstrip("\n")
                self.stdout_lines.append(line)
                m = self.match is None and self.ready.search(line)
                if m:
                    self.match = m
                    got_ready.set()
            got_ready.set()  # EOF: the process ended

        self._reader = threading.Thread(target=read_stdout, daemon=True)
        self._reader.start()
        got_ready.wait(self.start_timeout)
        if self.match is None:
            self.stop()
            raise AssertionError(
                f"plinth {' '.join(self.args)} did not become ready (exit {self.returncode})\n"
                f"stdout:\n" + "\n".join(self.stdout_lines) + f"\nstderr:\n{self.stderr_text()}")
        self.url = self.match.group("url")
        self.port = int(re.search(r":(\d+)$", self.url).group(1))

    def stop(self):
        if self.proc is None:
            return self.returncode
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.returncode = self.proc.returncode
        self._reader.join(5)
        self.proc.stdout.close()
        self._stderr.close()
        self.proc = None
        return self.returncode

    def stdout_text(self):
        return "\n".join(self.stdout_lines)

    def stderr_text(self):
        with open(self.stderr_path, errors="replace") as f:
            return f.read()

    def request(self, method, path, body=None, token=None, headers=None, timeout=30):
        """Returns (status, headers, body): JSON bodies parsed, others as text."""
        return request(self.port, method, path, body, token, headers, timeout)


def request(port, method, path, body=None, token=None, headers=None, timeout=30):
    hdrs = dict(headers or {})
    if token:
        hdrs["Authorization"] = "Bearer " + token
    data = body
    if isinstance(body, (dict, list)):
        data = json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    elif isinstance(body, str):
        data = body.encode()
        hdrs.setdefault("Content-Type", "application/json")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        ctype = resp.headers.get("Content-Type", "")
        text = raw.decode("utf-8", errors="replace")
        parsed = text
        if "json" in ctype and raw:
            parsed = json.loads(text)
        return resp.status, resp.headers, parsed
    finally:
        conn.close()


def wait_until(predicate, timeout=10, interval=0.02):
    """Polls `predicate` until it returns a truthy value; returns it, or None on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def free_port():
    """A TCP port on loopback that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PeerServer:
    """A Prometheus-family server (Prometheus, Alertmanager) in a temporary directory on a free
    loopback port: start() runs it with its --web.listen-address and waits until /-/ready
    answers 200; stop() kills it and removes the directory."""

    def __init__(self, name):
        self.name = name
        self.dir = temp_dir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self, binary, args, timeout=60):
        self.log = open(os.path.join(self.dir, self.name + ".log"), "w")
        self.proc = subprocess.Popen(
            [binary] + list(args) + [f"--web.listen-address=127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=self.dir)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.stop()
                raise AssertionError(f"{self.name} exited {self.proc.returncode}:\n"
                                     f"{self.log_text()}")
            try:
                with urllib.request.urlopen(self.url + "/-/ready", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        text = self.log_text()
        self.stop()
        raise AssertionError(f"{self.name} not ready after {timeout}s:\n{text}")

    def log_text(self):
        with open(os.path.join(self.dir, self.name + ".log"), errors="replace") as f:
            return f.read()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        if not self.log.closed:
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- resources -----------------------------------------------------------------------------

def team(name, **spec):
    return {"apiVersion": "plinth/v1", "kind": "Team", "metadata": {"name": name}, "spec": spec}


def person(name, **spec):
    return {"apiVersion": "plinth/v1", "kind": "Person", "metadata": {"name": name},
            "spec": spec}


def service(name, owner, **spec):
    return {"apiVersion": "plinth/v1", "kind": "Service", "metadata": {"name": name},
            "spec": dict(owner=owner, **spec)}


class BackendCase(unittest.TestCase):
    """A test case bound to one storage backend; subclasses set `backend`."""

    backend = None
    maxDiff = None

    def fresh_db(self):
        return fresh_db(self.backend, self)

    def temp_dir(self):
        return temp_dir(self)

    def server(self, db, **kwargs):
        return Server(db, test=self, **kwargs)

    def cli(self, args, db=None, input=None, ok=True, **kwargs):
        """run_cli; with ok=True asserts exit 0."""
        r = run_cli(args, db, input=input, **kwargs)
        if ok and r.returncode != 0:
            self.fail(f"plinth {' '.join(args)} exited {r.returncode}\nstdout:\n{r.stdout}\n"
                      f"stderr:\n{r.stderr}")
        return r

    def assertProblem(self, response, status, type_, detail, errors=None, title=None):
        """An RFC 9457 problem document with exactly these members."""
        code, headers, body = response
        self.assertEqual(code, status, body)
        self.assertEqual(headers.get("Content-Type"), "application/problem+json")
        self.assertIsInstance(body, dict, body)
        want = {"type": "urn:plinth:problem:" + type_, "title": title or TITLES[status],
                "status": status, "detail": detail}
        if errors is not None:
            want["errors"] = [{"pointer": p, "detail": d} for p, d in errors]
        self.assertEqual(body, want)


TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
          405: "Method Not Allowed", 409: "Conflict", 413: "Content Too Large",
          429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}
