"""Test helpers for the fake notification receivers (fake_receivers.py).

    fakes = start_fakes(self)               # started for this test, stopped when it ends
    env = fakes.env()                       # PLINTH_SMTP_* and PLINTH_TWILIO_* for `plinth serve`
    fakes.url("/slack/T/B/X")               # an address for a contact method
    fakes.fail_next(2, 503)                 # the next two HTTP requests answer 503
    fakes.wait_for("sms", 1)                # the records once one SMS arrived
    fakes.received("email")                 # what arrived so far, oldest first

Standard library only; the fakes process needs python3-aiosmtpd and the openssl command.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "fake_receivers.py")


class Fakes:
    """A running fake_receivers.py; ports and credentials from its ready line."""

    def __init__(self, proc, ready):
        self.proc = proc
        self.http_port = ready["http"]
        self.smtp_port = ready["smtp"]
        self.ca = ready["ca"]
        self.twilio_sid = ready["twilio_sid"]
        self.twilio_token = ready["twilio_token"]
        self.twilio_from = ready["twilio_from"]
        self.smtp_user = ready["smtp_user"]
        self.smtp_password = ready["smtp_password"]

    def url(self, path=""):
        return f"http://127.0.0.1:{self.http_port}{path}"

    def env(self, smtp_auth=True):
        """The environment of `plinth serve` that sends every channel to these fakes."""
        env = {
            "PLINTH_SMTP_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "PLINTH_SMTP_FROM": "plinth <plinth@example.org>",
            "PLINTH_SMTP_CA_FILE": self.ca,
            "PLINTH_TWILIO_URL": self.url(),
            "PLINTH_TWILIO_ACCOUNT_SID": self.twilio_sid,
            "PLINTH_TWILIO_AUTH_TOKEN": self.twilio_token,
            "PLINTH_TWILIO_FROM": self.twilio_from,
        }
        if smtp_auth:
            env["PLINTH_SMTP_USER"] = self.smtp_user
            env["PLINTH_SMTP_PASSWORD"] = self.smtp_password
        return env

    def _post(self, path):
        req = urllib.request.Request(self.url(path), data=b"", method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def received(self, channel=None):
        """Every record so far (of `channel`), oldest first; see fake_receivers.py."""
        path = "/_received" + (f"?channel={channel}" if channel else "")
        with urllib.request.urlopen(self.url(path), timeout=10) as r:
            return json.loads(r.read())

    def delivered(self, channel=None):
        """The records the fakes accepted (2xx or SMTP 250)."""
        return [r for r in self.received(channel) if 200 <= r["status"] < 300]

    def wait_for(self, channel=None, count=1, timeout=15, accepted=True):
        """Polls until `count` records (accepted ones by default) arrived; AssertionError after
        `timeout` seconds, naming what did arrive."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.delivered(channel) if accepted else self.received(channel)
            if len(got) >= count:
                return got
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout}s for {count} {channel or 'any'} "
                                     f"notifications, got {len(got)}: "
                                     f"{json.dumps(self.received(), indent=1)[:4000]}")
            time.sleep(0.05)

    def fail_next(self, count, status=500, channel=None, delay_ms=0):
        """The next `count` requests (of `channel`; any HTTP channel when None) answer `status`
        (an SMTP reply code for channel "email"); status None: only delay them."""
        q = f"/_fail?count={count}&delay_ms={delay_ms}"
        if status is not None:
            q += f"&status={status}"
        if channel:
            q += f"&channel={channel}"
        self._post(q)

    def reset(self):
        self._post("/_reset")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()  # the fakes exit when their stdin closes
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


def start_fakes(test=None):
    """Starts fake_receivers.py; stops it when `test` ends (else call stop()). SkipTest when
    aiosmtpd or openssl is missing."""
    if importlib.util.find_spec("aiosmtpd") is None:
        raise unittest.SkipTest("python3-aiosmtpd is not installed (needed by the SMTP fake)")
    if shutil.which("openssl") is None:
        raise unittest.SkipTest("openssl is not installed (needed for the fake's certificate)")
    proc = subprocess.Popen([sys.executable, SCRIPT], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line:
        proc.wait()
        raise AssertionError(f"fake_receivers.py exited with {proc.returncode} before it was ready")
    fakes = Fakes(proc, json.loads(line))
    if test is not None:
        test.addCleanup(fakes.stop)
    return fakes
