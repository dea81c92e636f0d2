"""The command line: help, apply/export/diff round trips, Backstage import, file:line errors,
and the audit log's tamper detection."""

import os
import re
import textwrap
import unittest

import harness

# Every command with the flags its --help must show (from src/cli/commands.cc).
COMMANDS = {
    "serve": ["--db URL", "--listen ADDR:PORT", "--rate-limit N", "--secure-cookies"],
    "demo": ["--db URL", "--listen ADDR:PORT"],
    "apply": ["-f, --file PATH", "--prune", "--db URL"],
    "diff": ["-f, --file PATH", "--prune", "--db URL"],
    "export": ["--db URL"],
    "migrate": ["--db URL"],
    "user add": ["--role ROLE", "--team TEAM", "--db URL"],
    "user list": ["--db URL"],
    "token create": ["--role ROLE", "--team TEAM", "--description TEXT", "--expires TIME",
                     "--db URL"],
    "token list": ["--db URL"],
    "token revoke": ["--db URL"],
    "audit": ["--kind KIND", "--name NAME", "--limit N", "--format FORMAT", "--db URL"],
    "audit verify": ["--db URL"],
    "oncall who": ["--at TIME", "--format FORMAT", "--db URL"],
    "oncall final": ["--from TIME", "--to TIME", "--format FORMAT", "--db URL"],
    "oncall override": ["--person PERSON", "--from TIME", "--to TIME", "--reason TEXT",
                        "--db URL"],
    "oncall report": ["--quarter QUARTER", "--max-weeks N", "--format FORMAT", "--db URL"],
    "oncall plan": ["--team TEAM", "--max-weeks N", "--no-follow-the-sun", "--zone ZONE",
                    "--start DATE", "--name NAME", "--db URL"],
    "oncall import": ["--name NAME", "--team TEAM", "--create-people", "--db URL"],
    "slo status": ["--at TIME", "--format FORMAT", "--db URL"],
    "slo import": ["--db URL"],
    "cost import": ["--skip-invalid", "--format FORMAT", "--db URL"],
    "cost query": ["--from DAY", "--to DAY", "--group-by DIMENSION", "--granularity GRANULARITY",
                   "--metric METRIC", "--filter FILTER", "--exclude FILTER", "--limit N",
                   "--format FORMAT", "--db URL"],
    "cost showback": ["--metric METRIC", "--chargeback", "--format FORMAT", "--out FILE",
                      "--db URL"],
    "slo rules": ["-f, --file PATH", "--out DIR", "--sloth-compatible", "--db URL"],
    "slo pull": ["--once", "--now TIME", "--slo SLO", "--force", "--first-pull DURATION",
                 "--db URL"],
    "integration create": ["--service SERVICE", "--type TYPE", "--name NAME", "--mapping JSON",
                           "--db URL"],
    "integration list": ["--service SERVICE", "--db URL"],
    "integration revoke": ["--db URL"],
    "incident list": ["--status STATUS", "--service SERVICE", "--team TEAM", "--format FORMAT",
                      "--db URL"],
    "incident show": ["--db URL"],
    "incident ack": ["--db URL"],
    "incident resolve": ["--actionable ANSWER", "--db URL"],
    "version": [],
}

CATALOG = {
    "people.yaml": """\
        apiVersion: plinth/v1
        kind: Person
        metadata: {name: ana}
        spec: {displayName: Ana, timeZone: Europe/Berlin}
        ---
        apiVersion: plinth/v1
        kind: Person
        metadata: {name: ben}
        spec: {timeZone: America/New_York}
        ---
        apiVersion: plinth/v1
        kind: Person
        metadata: {name: cai}
        spec: {timeZone: Asia/Tokyo, email: cai@example.com}
        """,
    "teams.yaml": """\
        apiVersion: plinth/v1
        kind: Team
        metadata:
          name: payments
          title: Payments
        spec:
          members: [ben, ana]
        ---
        apiVersion: plinth/v1
        kind: Team
        metadata:
          name: platform
        spec:
          members: [cai]
          chatChannel: "#platform"
        """,
    "org/domain.yaml": """\
        apiVersion: plinth/v1
        kind: Domain
        metadata: {name: money}
        spec: {owner: payments}
        ---
        apiVersion: plinth/v1
        kind: System
        metadata: {name: billing}
        spec: {owner: payments, domain: money}
        """,
    "services.yaml": """\
        apiVersion: plinth/v1
        kind: Service
        metadata: {name: payments-api, title: Payments API}
        spec: {owner: payments, tier: 1, system: billing, dependsOn: [ledger, auth]}
        ---
        apiVersion: plinth/v1
        kind: Service
        metadata: {name: ledger}
        spec:
          owner: payments
          tier: 2
          dependsOn: [postgres]
        ---
        apiVersion: plinth/v1
        kind: Service
        metadata: {name: auth}
        spec: {owner: platform, tier: 1, dependsOn: [postgres]}
        ---
        apiVersion: plinth/v1
        kind: Service
        metadata: {name: postgres}
        spec: {owner: platform, tier: 2, type: database, lifecycle: production}
        """,
}

CREATED = ["Person ana", "Person ben", "Person cai", "Team payments", "Team platform",
           "Domain money", "System billing", "Service auth", "Service ledger",
           "Service payments-api", "Service postgres"]

BACKSTAGE = os.path.join(harness.SHARED_DATA, "backstage")


def write_files(root, files):
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(textwrap.dedent(text))
    return root


class HelpTest(unittest.TestCase):
    def test_top_help_lists_every_command(self):
        r = harness.run_cli(["--help"])
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        listed = re.findall(r"(?m)^  (\S+(?: \S+)?)\s{3,}\S", r.stdout.split("commands:")[1])
        self.assertEqual(sorted(listed), sorted(COMMANDS))

    def test_every_command_help_shows_its_flags(self):
        for command, flags in COMMANDS.items():
            with self.subTest(command):
                r = harness.run_cli(command.split() + ["--help"])
                self.assertEqual((r.returncode, r.stderr), (0, ""))
                self.assertTrue(r.stdout.startswith("usage: plinth " + command), r.stdout)
                shown = re.findall(r"(?m)^  (?:-\w, )?\s*(--[\w-]+(?: [A-Z:]+)?)", r.stdout)
                want = [f.split(", ")[-1] for f in flags] + ["--help"]
                self.assertEqual(sorted(shown), sorted(want), r.stdout)
                for f in flags:
                    self.assertIn(f, r.stdout)

    def test_unknown_command_and_flag_exit_2(self):
        r = harness.run_cli(["frobnicate"])
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, 'plinth: unknown command "frobnicate" (see plinth --help)\n')
        r = harness.run_cli(["apply", "--frob"])
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "plinth apply: unknown flag --frob (see --help)\n")
        r = harness.run_cli([])
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: plinth COMMAND", r.stderr)
        r = harness.run_cli(["version"])
        self.assertRegex(r.stdout, r"^plinth \d+\.\d+\.\d+\n$")


class CliTests:
    def setUp(self):
        self.db = self.fresh_db()
        self.root = self.temp_dir()
        self.src = write_files(os.path.join(self.root, "catalog"), CATALOG)

    def apply(self, *paths, ok=True):
        return self.cli(["apply"] + [a for p in paths for a in ("-f", p)], self.db, ok=ok)

    def test_apply_export_apply_diff_round_trip(self):
        r = self.apply(self.src)
        self.assertEqual(r.stdout, "".join(f"+ {c}\n" for c in CREATED) +
                         "11 created, 0 updated, 0 deleted, 0 unchanged\n")
        self.assertEqual(self.apply(self.src).stdout, "no changes (11 resources unchanged)\n")
        out = os.path.join(self.root, "export")
        r = self.cli(["export", out], self.db)
        self.assertEqual(r.stdout, f"exported 11 resources to {out}\n")
        files = sorted(os.path.relpath(os.path.join(d, f), out)
                       for d, _, fs in os.walk(out) for f in fs)
        self.assertEqual(files, ["domains/money.yaml", "people/ana.yaml", "people/ben.yaml",
                                 "people/cai.yaml", "services/auth.yaml",
                                 "services/ledger.yaml", "services/payments-api.yaml",
                                 "services/postgres.yaml", "systems/billing.yaml",
                                 "teams/payments.yaml", "teams/platform.yaml"])
        with open(os.path.join(out, "services", "ledger.yaml")) as f:
            self.assertTrue(f.read().startswith("apiVersion: plinth/v1\nkind: Service\n"))
        audit_before = harness.count_rows(self.db, "audit_log")
        self.assertEqual(self.apply(out).stdout, "no changes (11 resources unchanged)\n")
        r = self.cli(["diff", "-f", self.src], self.db)
        self.assertEqual(r.stdout, "no changes (11 resources unchanged)\n")
        self.assertEqual(harness.count_rows(self.db, "audit_log"), audit_before)

        # The export re-applies to the same state in a second, empty database too.
        other = self.fresh_db()
        r = self.cli(["apply", "-f", out], other)
        self.assertTrue(r.stdout.endswith("11 created, 0 updated, 0 deleted, 0 unchanged\n"))
        self.assertEqual(self.cli(["diff", "-f", self.src], other).stdout,
                         "no changes (11 resources unchanged)\n")

        # A change shows up in diff, then apply, then nowhere.
        path = os.path.join(self.src, "services.yaml")
        with open(path) as f:
            text = f.read().replace("  tier: 2\n", "  tier: 1\n")
        with open(path, "w") as f:
            f.write(text)
        self.assertEqual(self.cli(["diff", "-f", self.src], self.db).stdout,
                         "~ Service ledger (spec.tier: 2 -> 1)\n"
                         "0 to create, 1 to update, 0 to delete, 10 unchanged\n")
        self.assertEqual(self.apply(self.src).stdout,
                         "~ Service ledger (spec.tier: 2 -> 1)\n"
                         "0 created, 1 updated, 0 deleted, 10 unchanged\n")
        self.assertEqual(self.cli(["diff", "-f", self.src], self.db).stdout,
                         "no changes (11 resources unchanged)\n")

    def test_backstage_import(self):
        self.assertTrue(os.path.isdir(BACKSTAGE), BACKSTAGE)
        r = self.apply(BACKSTAGE)
        lines = r.stdout.splitlines()
        for line in [
                "+ Team team-a",
                "+ Service artist-lookup",
                "+ Service artists-db",
                "+ Person breanna.davison",
                f"note: {BACKSTAGE}/artist-lookup-component.yaml: Component artist-lookup -> "
                "Service artist-lookup (type service)",
                f"note: {BACKSTAGE}/artists-db-resource.yaml: Resource artists-db -> "
                "Service artists-db (type database)",
                f"note: {BACKSTAGE}/team-a-group.yaml:12: Group team-a: spec.parent "
                '"backstage" ignored (no parent groups in plinth)',
                f"note: {BACKSTAGE}/wayback-search-api.yaml:2: API wayback-search: not stored "
                "(APIs become dependencies between their providers and consumers)",
                "10 created, 0 updated, 0 deleted, 0 unchanged"]:
            self.assertIn(line, lines)
        self.assertTrue(any(" -> Person " in l for l in lines))
        self.assertGreaterEqual(sum(" ignored (" in l for l in lines), 2)
        r = self.apply(BACKSTAGE)
        self.assertEqual(lines[-1], "10 created, 0 updated, 0 deleted, 0 unchanged")
        self.assertTrue(r.stdout.endswith("no changes (10 resources unchanged)\n"))
        out = os.path.join(self.root, "export")
        self.cli(["export", out], self.db)
        self.assertEqual(self.apply(out).stdout, "no changes (10 resources unchanged)\n")

    def test_reference_error_names_file_and_line_and_changes_nothing(self):
        self.apply(self.src)
        before = harness.table_snapshot(self.db)
        bad = write_files(os.path.join(self.root, "bad"), {
            "a-fraud.yaml": """\
                apiVersion: plinth/v1
                kind: Service
                metadata: {name: fraud}
                spec: {owner: payments, tier: 2}
                """,
            "b-payments.yaml": """\
                # a new service with a typo in its owner
                apiVersion: plinth/v1
                kind: Service
                metadata:
                  name: refunds
                spec:
                  tier: 2
                  owner: paymnts
                """})
        path = os.path.join(bad, "b-payments.yaml")
        r = self.apply(bad, ok=False)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr, f'{path}:8: spec.owner: team "paymnts" does not exist\n')
        self.assertEqual(r.stdout, "")
        r = self.apply(path, ok=False)
        self.assertEqual(r.stderr, f'{path}:8: spec.owner: team "paymnts" does not exist\n')
        self.assertEqual(harness.table_snapshot(self.db), before)
        self.assertEqual(harness.sql(self.db, "SELECT name FROM catalog_entities WHERE "
                                              "name IN ('fraud', 'refunds')"), [])

    def test_schema_errors_are_all_reported_sorted(self):
        self.assertRegex(self.cli(["migrate"], self.db).stdout,
                         r"^migrated schema from version 0 to \d+\n$")
        bad = write_files(os.path.join(self.root, "bad"), {
            "z.yaml": """\
                apiVersion: plinth/v1
                kind: Service
                metadata: {name: z}
                spec: {owner: payments, tier: 7}
                """,
            "a.yaml": """\
                apiVersion: plinth/v1
                kind: Team
                metadata: {name: a}
                spec:
                  colour: blue
                """})
        r = self.apply(bad, ok=False)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, f"{bad}/a.yaml:5: spec.colour: unknown field\n"
                                   f"{bad}/z.yaml:4: spec.tier: must be an integer from 1 to 4 "
                                   "(got 7)\n")
        self.assertEqual(harness.count_rows(self.db, "catalog_entities"), 0)

    def test_audit_verify_detects_edits_and_deletions(self):
        self.apply(self.src)
        harness.create_token(self.db, "viewer")
        n = harness.count_rows(self.db, "audit_log")
        self.assertEqual(n, 12)
        r = self.cli(["audit", "verify"], self.db)
        self.assertEqual(r.stdout, f"audit log intact: {n} entries verified\n")

        original = harness.sql(self.db, "SELECT after_doc FROM audit_log WHERE seq = 2")[0][0]
        harness.sql(self.db, "UPDATE audit_log SET after_doc = "
                             "'{\"spec\":{\"timeZone\":\"UTC\"}}' WHERE seq = 2")
        r = self.cli(["audit", "verify"], self.db, ok=False)
        self.assertEqual(r.returncode, 4)
        self.assertEqual(r.stderr, "audit log chain broken at entry 2: entry 2: hash does not "
                                   "match the entry's contents\n")
        quoted = original.replace("'", "''")
        harness.sql(self.db, f"UPDATE audit_log SET after_doc = '{quoted}' WHERE seq = 2")
        self.cli(["audit", "verify"], self.db)

        harness.sql(self.db, f"DELETE FROM audit_log WHERE seq = {n}")
        r = self.cli(["audit", "verify"], self.db, ok=False)
        self.assertEqual(r.returncode, 4)
        self.assertEqual(r.stderr, f"audit log chain broken at entry {n}: entry {n} is missing "
                                   f"(the audit head is at seq {n})\n")


class SqliteCliTest(CliTests, harness.BackendCase):
    backend = "sqlite"


class PostgresCliTest(CliTests, harness.BackendCase):
    backend = "postgres"


if __name__ == "__main__":
    unittest.main()
