"""Cloud cost through the real binary: the official FOCUS sample imports with totals checked
here with Python's decimal module; re-imports replace billing periods; bad files (a missing
column, a non-numeric cost, mixed currencies, a truncated gzip, a missing file) are refused
with file and line and change nothing; the cost API on a small hand-built bill with allocation
rules, budgets and a unit metric; the demo's injected anomaly, its feedback, and the monthly
review. Two product bugs are pinned as expected failures (see "product bugs" below)."""

import concurrent.futures
import csv
import datetime
import decimal
import gzip
import http.client
import io
import json
import os
import re
import unittest
import zipfile
from collections import defaultdict

import harness

SAMPLE = os.path.join(harness.SHARED_DATA, "focus", "focus_sample.csv")
COSTS = ("BilledCost", "EffectiveCost", "ListCost", "ContractedCost")
SAMPLE_QUERY = ("/api/v1/cost/query?from=2024-09-01&to=2024-11-01&metric=billed"
                "&groupBy=BillingAccountId")
MS_ACCOUNT = "/providers/Microsoft.Billing/billingAccounts/8611537"

# The FOCUS 1.0 columns of the hand-built files (every mandatory one, a few optional ones).
HEADER = ("BilledCost,EffectiveCost,ListCost,ContractedCost,BillingAccountId,BillingAccountName,"
          "BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargeCategory,ChargeClass,"
          "ChargeDescription,ChargePeriodStart,ChargePeriodEnd,InvoiceIssuerName,"
          "PricingQuantity,PricingUnit,ProviderName,PublisherName,ServiceCategory,ServiceName,"
          "SubAccountId,SubAccountName,RegionId,ResourceId,ResourceName,Tags").split(",")

CATALOG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cost", "catalog.yaml")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READY = re.compile(r'^  try:  curl -H "Authorization: Bearer plt_\w+" '
                   r"(?P<url>http://127\.0\.0\.1:\d+)/api/v1/services$")


def sample_totals():
    """Per billing account and currency: rows and the four costs, summed exactly from the CSV
    (NULL costs count as 0) -- the hand-check of the import report."""
    totals = defaultdict(lambda: [0] + [decimal.Decimal(0)] * 4)
    with open(SAMPLE, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            t = totals[(row["BillingAccountId"], row["BillingCurrency"])]
            t[0] += 1
            for i, col in enumerate(COSTS, 1):
                if row[col] not in ("", "NULL"):
                    t[i] += decimal.Decimal(row[col])
    return dict(totals)


def exact(d):
    """A Decimal as the report prints exact totals: no exponent, no trailing zeros."""
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def cents(d):
    return str(d.quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP))


def focus_line(**values):
    """One CSV line of HEADER; missing columns get the defaults of a usage row."""
    period = values.pop("period", "2024-10-01")
    start = datetime.date.fromisoformat(period)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    day = values.pop("day", period)
    d = datetime.date.fromisoformat(day)
    row = {
        "BilledCost": "1.00", "BillingAccountId": "20209880", "BillingAccountName": "Test",
        "BillingCurrency": "USD", "BillingPeriodStart": f"{start} 00:00:00",
        "BillingPeriodEnd": f"{end} 00:00:00", "ChargeCategory": "Usage", "ChargeClass": "NULL",
        "ChargeDescription": "usage", "ChargePeriodStart": f"{d} 00:00:00",
        "ChargePeriodEnd": f"{d + datetime.timedelta(days=1)} 00:00:00",
        "InvoiceIssuerName": "Cloud", "PricingQuantity": "1", "PricingUnit": "Hours",
        "ProviderName": "Cloud", "PublisherName": "Cloud", "ServiceCategory": "Compute",
        "ServiceName": "Virtual Machines", "SubAccountId": "", "SubAccountName": "",
        "RegionId": "eu-west-1", "ResourceId": "", "ResourceName": "", "Tags": ""}
    row.update(values)
    for col in COSTS[1:]:
        row.setdefault(col, row["BilledCost"])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([row[c] for c in HEADER])
    return out.getvalue()


class Month:
    """Last month (UTC): the month of the hand-built bill, complete, inside every report."""

    def __init__(self):
        today = datetime.datetime.now(datetime.timezone.utc).date()
        first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        self.first = first
        self.month = first.strftime("%Y-%m")
        self.next = today.replace(day=1).isoformat()
        self.last = (today.replace(day=1) - datetime.timedelta(days=1)).isoformat()
        self.days = int(self.last[8:])
        q = (first.month - 1) // 3 * 3 + 1
        self.quarter_start = first.replace(month=q, day=1).isoformat()
        self.quarter_end = (first.replace(year=first.year + 1, month=1, day=1) if q == 10 else
                            first.replace(month=q + 3, day=1)).isoformat()

    def day(self, n):
        return self.first.replace(day=n).isoformat()


def hand_built_rows(m):
    """Two billing accounts, three services, team tags, one untagged bucket, a support fee:
    payments 22.50 direct, search 12.375, support 4.00, untagged 3.40 (42.275 in all)."""
    pay = {"BillingAccountId": "111111111111", "BillingAccountName": "Acme Commerce",
           "SubAccountId": "111111111111", "SubAccountName": "commerce", "period": m.day(1)}
    data = {"BillingAccountId": "222222222222", "BillingAccountName": "Acme Data",
            "SubAccountId": "222222222222", "SubAccountName": "data", "period": m.day(1)}
    ec2 = {"ServiceName": "Amazon EC2", "ServiceCategory": "Compute"}
    s3 = {"ServiceName": "Amazon S3", "ServiceCategory": "Storage"}
    rds = {"ServiceName": "Amazon RDS", "ServiceCategory": "Databases"}
    tag = lambda **t: json.dumps(t)
    return [
        dict(pay, **ec2, day=m.day(3), BilledCost="10.00", ListCost="12", ResourceId="i-pay1",
             Tags=tag(team="payments", service="checkout")),
        dict(pay, **s3, day=m.day(3), BilledCost="2.50", ResourceId="bucket-pay",
             Tags=tag(team="payments")),
        dict(pay, **ec2, day=m.day(4), BilledCost="10", ListCost="12.0", ResourceId="i-pay1",
             Tags=tag(service="checkout", team="payments")),
        dict(pay, day=m.day(1), BilledCost="4.00", ChargeCategory="Purchase",
             ChargeDescription="Business support", ServiceName="AWS Support (Business)",
             ServiceCategory="Management and Governance"),
        dict(data, **rds, day=m.day(3), BilledCost="7.25", ResourceId="db-search",
             Tags=tag(team="search")),
        dict(data, **ec2, day=m.day(4), BilledCost="5.125", ListCost="6.125",
             ResourceId="i-search1", Tags=tag(team="search", service="search-api")),
        dict(data, **s3, day=m.day(4), BilledCost="3.40", ResourceId="bucket-scratch",
             ResourceName="scratch"),
    ]




def fetch(srv, path, token):
    """GET returning (status, headers, raw bytes): for downloads such as XLSX."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=120)
    try:
        conn.request("GET", path, headers={"Authorization": "Bearer " + token})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def focus_file(rows, header=HEADER):
    return ",".join(header) + "\n" + "".join(focus_line(**r) for r in rows)


class CostTests:
    def setUp(self):
        self.db = self.fresh_db()
        self.dir = self.temp_dir()
        self.admin = harness.admin_token(self.db)

    def write(self, name, text, mode="w"):
        path = os.path.join(self.dir, name)
        with open(path, mode) as f:
            f.write(text)
        return name

    def cost_import(self, *args, ok=True):
        """`plinth cost import ARGS` run in self.dir, so files are named as written."""
        return self.cli(["cost", "import", *args], self.db, ok=ok, cwd=self.dir)

    def import_json(self, *args):
        r = self.cost_import(*args, "--format", "json")
        return json.loads(r.stdout)

    def get(self, srv, path, token=None, status=200):
        code, headers, body = srv.request("GET", path, token=token or self.admin)
        self.assertEqual(code, status, body)
        return body

    def by_account(self, srv):
        rows = self.get(srv, SAMPLE_QUERY)["rows"]
        return {r["keys"][0]: (r["currency"], r["cost"]) for r in rows}

    # --- 1, 2: the official sample, its report and re-imports ------------------------------

    def test_official_sample_report_and_reimport(self):
        want = sample_totals()
        self.assertEqual(set(want), {("1234567890123", "USD"), (MS_ACCOUNT, "USD"),
                                     ("20209880", "USD")})
        # The figures this test checks the report against, hand-checked once more.
        self.assertEqual([want[("1234567890123", "USD")][0], exact(want[("1234567890123",
                                                                          "USD")][1])],
                         [942, "18.0066386184"])
        self.assertEqual(exact(want[(MS_ACCOUNT, "USD")][1]), "1.97651418586")
        self.assertEqual(exact(want[("20209880", "USD")][1]), "0.53707392473")

        report = self.import_json(SAMPLE)
        self.assertEqual((report["format"], report["rowsRead"], report["rowsAccepted"],
                          report["rowsRejected"], report["rejected"], report["applied"]),
                         ("FOCUS 1.0", 1000, 1000, 0, [], True))
        totals = {(t["billingAccountId"], t["currency"]): t for t in report["totals"]}
        self.assertEqual(set(totals), set(want))
        for key, (rows, billed, effective, listed, contracted) in want.items():
            t = totals[key]
            self.assertIsInstance(t["billingAccountId"], str)
            self.assertEqual((t["rows"], t["billedCost"], t["effectiveCost"], t["listCost"],
                              t["contractedCost"]),
                             (rows, exact(billed), exact(effective), exact(listed),
                              exact(contracted)), key)
        sunbird = totals[("1234567890123", "USD")]
        self.assertEqual((sunbird["billingAccountName"], sunbird["billedCost"],
                          sunbird["effectiveCost"], sunbird["listCost"],
                          sunbird["contractedCost"]),
                         ("SunBird", "18.0066386184", "13", "18.1493176406", "13"))
        self.assertEqual(totals[(MS_ACCOUNT, "USD")]["rows"], 51)
        self.assertEqual(totals[("20209880", "USD")]["rows"], 7)
        self.assertIn('focus_sample.csv:1: column "Id" is not a FOCUS 1.0-1.2 column; kept as a '
                      'string column', "\n".join(report["warnings"]))

        with self.server(self.db) as srv:
            first = self.by_account(srv)
            self.assertEqual(first, {account: (currency, cents(t[1]))
                                     for (account, currency), t in want.items()})
            self.assertEqual(first["20209880"], ("USD", "0.54"))
            dims = self.get(srv, "/api/v1/cost/dimensions")
            self.assertIn("BillingAccountId", dims["columns"])

            # The same file again replaces its three accounts' periods: nothing doubles. The
            # text report has the same totals, rounded and exact.
            r = self.cost_import(SAMPLE)
            lines = [line.split() for line in r.stdout.splitlines()]
            for (account, currency), (rows, *costs) in want.items():
                name = totals[(account, currency)]["billingAccountName"]  # "" for 20209880
                self.assertIn([account] + ([name] if name else []) + [currency, str(rows)] +
                              [cents(c) for c in costs], lines)
                self.assertIn([account, currency] + [exact(c) for c in costs], lines)
            self.assertIn(["1234567890123", "SunBird", "USD", "942", "18.01", "13.00", "18.15",
                           "13.00"], lines)
            self.assertIn(["1234567890123", "USD", "18.0066386184", "13", "18.1493176406",
                           "13"], lines)
            self.assertEqual([line for line in r.stdout.splitlines()
                              if line.startswith("replaced ")], [
                f"replaced billing account {MS_ACCOUNT}, period from 2024-09-01: 51 rows",
                "replaced billing account 1234567890123, period from 2024-09-01: 942 rows",
                "replaced billing account 20209880, period from 2024-09-01: 6 rows",
                "replaced billing account 20209880, period from 2024-10-01: 1 rows"])
            self.assertEqual(self.by_account(srv), first)

            # A file with only 20209880's October period replaces that period and no other.
            self.write("october.csv", focus_file([
                {"BilledCost": "1.50", "day": "2024-10-15", "BillingAccountName": "Oracle"}]))
            report = self.import_json("october.csv")
            self.assertEqual(report["totals"][0]["billedCost"], "1.5")
            after = self.by_account(srv)
            # September's 0.29707392473 stays; October is 1.50 instead of 0.24.
            self.assertEqual(after, {"1234567890123": ("USD", "18.01"),
                                     MS_ACCOUNT: ("USD", "1.98"),
                                     "20209880": ("USD", "1.80")})
            imports = self.get(srv, "/api/v1/cost/imports")["imports"]
            self.assertEqual([i["state"] for i in imports], ["applied"] * 3)
            self.assertEqual([i["rowsAccepted"] for i in imports], [1, 1000, 1000])

    # --- 3: bad input ----------------------------------------------------------------------

    def test_bad_input_is_refused_and_changes_nothing(self):
        self.import_json(SAMPLE)
        good = {"day": "2024-10-02", "BilledCost": "5.00"}
        with self.server(self.db) as srv:
            before = self.by_account(srv)

            def refused(args, message):
                """Exit 2, `message` the last line on stderr, the bill as it was."""
                r = self.cost_import(*args, ok=False)
                self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
                self.assertEqual(r.stderr.splitlines()[-1], message)
                self.assertEqual(self.by_account(srv), before, args)
                return r

            # A header without BilledCost.
            header = [c for c in HEADER if c != "BilledCost"]
            self.write("nobilled.csv", focus_file([good], header))
            refused(["nobilled.csv"],
                    "nobilled.csv:1: missing mandatory FOCUS columns: BilledCost")

            # A non-numeric cost on line 3: the report names it, nothing is imported.
            self.write("abc.csv", focus_file([good, dict(good, BilledCost="abc")]))
            rejected = 'abc.csv:3: BilledCost: expected a decimal number, got "abc"'
            nothing = ("1 rows rejected: nothing was imported (see the report above; "
                       "--skip-invalid imports the valid rows)")
            r = refused(["abc.csv"], nothing)
            self.assertIn("Rows: 2 read, 1 accepted, 1 rejected\n", r.stdout)
            self.assertIn("\n  " + rejected + "\n", r.stdout)
            r = refused(["abc.csv", "--format", "json"], nothing)
            report = json.loads(r.stdout)
            self.assertEqual((report["applied"], report["rowsRejected"], report["rejected"]),
                             (False, 1, [{"file": "abc.csv", "line": 3,
                                          "reason": rejected.split(":3: ")[1]}]))

            # One billing account and period in two currencies.
            self.write("mixed.csv", focus_file([good, good, dict(good, BillingCurrency="EUR")]))
            refused(["mixed.csv"],
                    "mixed.csv:4: billing account 20209880, billing period 2024-10-01T00:00:00Z: "
                    "currency EUR differs from USD (mixed.csv:2); one billing account and period "
                    "must have one currency")

            # A gzip cut short: 2000 good rows, the stream cut in the middle.
            body = gzip.compress(focus_file([good] * 2000).encode())
            self.write("cut.csv.gz", body[:len(body) // 2], mode="wb")
            refused(["cut.csv.gz"], "cut.csv.gz: truncated gzip stream (unexpected end of file)")
            # ... and cut in its last bytes (the CRC and length trailer).
            self.write("tail.csv.gz", body[:-4], mode="wb")
            refused(["tail.csv.gz"], "tail.csv.gz: truncated gzip stream (unexpected end of file)")

            refused(["missing.csv"], "missing.csv: No such file or directory")
            # A good file next to a bad one: the import is one unit, nothing applies.
            self.write("good.csv", focus_file([good]))
            refused(["good.csv", "cut.csv.gz"],
                    "cut.csv.gz: truncated gzip stream (unexpected end of file)")

            # --skip-invalid applies the valid row and still lists the rejected one.
            r = self.cost_import("abc.csv", "--skip-invalid", "--format", "json")
            report = json.loads(r.stdout)
            self.assertEqual((report["applied"], report["rowsAccepted"], report["rowsRejected"],
                              report["rejected"]),
                             (True, 1, 1, [{"file": "abc.csv", "line": 3,
                                            "reason": 'BilledCost: expected a decimal number, '
                                                      'got "abc"'}]))
            # 20209880: September 0.29707392473 + October now 5.00.
            self.assertEqual(self.by_account(srv), dict(before, **{"20209880": ("USD", "5.30")}))
            imports = self.get(srv, "/api/v1/cost/imports")["imports"]
            self.assertEqual([i["state"] for i in imports],
                             ["applied"] + ["failed"] * 8 + ["applied"])

    # --- 4: the API on a small hand-built bill --------------------------------------------

    def test_api_on_a_hand_built_bill(self):
        m = Month()
        self.write("bill.csv", focus_file(hand_built_rows(m)))
        self.cli(["apply", "-f", CATALOG], self.db)
        report = self.import_json("bill.csv")
        self.assertEqual([(t["billingAccountId"], t["rows"], t["billedCost"])
                          for t in report["totals"]],
                         [("111111111111", 4, "26.5"), ("222222222222", 3, "15.775")])
        viewer = harness.create_token(self.db, "viewer")
        q = f"/api/v1/cost/query?from={m.day(1)}&to={m.next}"
        with self.server(self.db) as srv:
            # Cost by service by day, sorted by day, then cost, largest first.
            body = self.get(srv, q + "&metric=billed&groupBy=ServiceName&granularity=day",
                            token=viewer)
            self.assertEqual(body["groupBy"], ["ServiceName"])
            self.assertEqual(body["rowsScanned"], 7)
            self.assertEqual([(r["period"], r["keys"], r["currency"], r["cost"])
                              for r in body["rows"]], [
                (m.day(1), ["AWS Support (Business)"], "USD", "4.00"),
                (m.day(3), ["Amazon EC2"], "USD", "10.00"),
                (m.day(3), ["Amazon RDS"], "USD", "7.25"),
                (m.day(3), ["Amazon S3"], "USD", "2.50"),
                (m.day(4), ["Amazon EC2"], "USD", "15.13"),  # 10 + 5.125
                (m.day(4), ["Amazon S3"], "USD", "3.40")])
            code, headers, text = srv.request(
                "GET", q + "&metric=billed&groupBy=ServiceName&granularity=day&format=csv",
                token=viewer)
            self.assertEqual(code, 200, text)
            self.assertTrue(headers["Content-Type"].startswith("text/csv"), headers)
            self.assertEqual(text, "ServiceName,period,currency,cost\n"
                                   f"AWS Support (Business),{m.day(1)},USD,4.00\n"
                                   f"Amazon EC2,{m.day(3)},USD,10.00\n"
                                   f"Amazon RDS,{m.day(3)},USD,7.25\n"
                                   f"Amazon S3,{m.day(3)},USD,2.50\n"
                                   f"Amazon EC2,{m.day(4)},USD,15.13\n"
                                   f"Amazon S3,{m.day(4)},USD,3.40\n")

            def rows(params):
                body = self.get(srv, q + params)
                return [(r["keys"], r["cost"]) for r in body["rows"]]

            # The list cost of the EC2 lines is 12 and 6.125 (effective 10 and 5.125).
            self.assertEqual(rows("&metric=list&groupBy=ServiceName"), [
                (["Amazon EC2"], "30.13"), (["Amazon RDS"], "7.25"), (["Amazon S3"], "5.90"),
                (["AWS Support (Business)"], "4.00")])
            self.assertEqual(rows("&groupBy=tag:team"), [
                (["payments"], "22.50"), (["search"], "12.38"), ([""], "7.40")])
            self.assertEqual(rows("&groupBy=ServiceName&filter=tag:team%3Dpayments"), [
                (["Amazon EC2"], "20.00"), (["Amazon S3"], "2.50")])
            self.assertEqual(rows("&groupBy=BillingAccountId&exclude=ServiceName%3DAmazon%20EC2"
                                  "&exclude=ServiceName%3DAmazon%20S3"), [
                (["222222222222"], "7.25"), (["111111111111"], "4.00")])
            self.assertEqual(rows("&groupBy=ServiceName&filter=tag:team%3D"), [
                (["AWS Support (Business)"], "4.00"), (["Amazon S3"], "3.40")])
            self.assertEqual(rows(""), [([], "42.28")])  # 42.275, half away from zero

            # Bad parameters: 400 problems naming the field.
            for params, pointer, detail in (
                    ("&groupBy=", "/groupBy",
                     "groupBy: expected a column such as ServiceName or tag:<key>"),
                    ("&metric=amortized", "/metric",
                     'metric: expected effective, billed, list or contracted (got "amortized")'),
                    ("&granularity=hour", "/granularity",
                     'granularity: expected total, day, week or month (got "hour")'),
                    ("&filter=ServiceName", "/filter",
                     'filter: expected DIMENSION=VALUE such as ServiceName=Amazon EC2 (got '
                     '"ServiceName")'),
                    ("&format=xml", "/format", 'format: expected json, csv (got "xml")')):
                self.assertProblem(srv.request("GET", q + params, token=viewer), 400, "invalid",
                                   detail, errors=[(pointer, detail)])
            code, _, problem = srv.request("GET", f"/api/v1/cost/query?from={m.next}&to="
                                                  f"{m.day(1)}", token=viewer)
            self.assertEqual((code, problem["errors"][0]["pointer"]), (400, "/to"))

            self.check_allocation(srv, m, viewer)
            self.check_budget_and_unit_cost(srv, m, viewer)

    def check_allocation(self, srv, m, viewer):
        a = self.get(srv, f"/api/v1/cost/allocation?month={m.month}", token=viewer)
        self.assertEqual((a["month"], a["view"], len(a["months"])), (m.month, "showback", 1))
        month = a["months"][0]
        # Direct: payments 22.50, search 12.375; support 4.00 split 22.5 : 12.375 (2.5806...
        # and 1.4193...); the untagged bucket 3.40 unallocated. Rounded down, the figures make
        # 22.50 + 2.58 + 12.37 + 1.41 + 3.40 = 42.26; the two cents the invoice's 42.28 (42.275)
        # still needs go to the largest remainders, search's share (.0093) and direct (.005).
        self.assertEqual((month["month"], month["currency"], month["total"], month["allocated"],
                          month["unallocated"]),
                         (m.month, "USD", "42.28", "38.88", "3.40"))
        teams = {t["team"]: (t["direct"], t["shared"], t["sharedTotal"], t["total"])
                 for t in month["teams"]}
        self.assertEqual(teams, {"payments": ("22.50", {"support": "2.58"}, "2.58", "25.08"),
                                 "search": ("12.38", {"support": "1.42"}, "1.42", "13.80")})
        self.assertEqual(sum(decimal.Decimal(t[3]) for t in teams.values()) +
                         decimal.Decimal(month["unallocated"]), decimal.Decimal(month["total"]))
        self.assertEqual(month["coverage"], 91.96)
        self.assertEqual([(u["resourceId"], u["service"], u["account"], u["cost"])
                          for u in month["topUnallocated"]],
                         [("bucket-scratch", "Amazon S3", "222222222222", "3.40")])
        self.assertEqual([(r["reason"], r["cost"]) for r in month["unallocatedReasons"]],
                         [("no rule matches", "3.40")])

        code, headers, text = srv.request("GET", f"/api/v1/cost/allocation?month={m.month}"
                                                 "&format=csv", token=viewer)
        self.assertEqual(code, 200, text)
        self.assertIn(f'filename="cost-showback-{m.month}.csv"', headers["Content-Disposition"])
        self.assertEqual(text, "\r\n".join([
            "month,currency,team,direct,shared:support,shared,total,percent",
            f"{m.month},USD,payments,22.50,2.58,2.58,25.08,59.32",
            f"{m.month},USD,search,12.38,1.42,1.42,13.80,32.64",
            f"{m.month},USD,(unallocated),3.40,0.00,0.00,3.40,8.04",
            f"{m.month},USD,(total),38.28,4.00,4.00,42.28,100.00", ""]))
        code, headers, text = srv.request("GET", f"/api/v1/cost/allocation?month={m.month}"
                                                 "&format=csv&view=chargeback", token=viewer)
        self.assertEqual(text, "\r\n".join([
            "month,currency,team,amount", f"{m.month},USD,payments,25.08",
            f"{m.month},USD,search,13.80", f"{m.month},USD,(unallocated),3.40", ""]))
        for view in ("showback", "chargeback"):
            code, headers, body = fetch(srv, f"/api/v1/cost/allocation?month={m.month}"
                                             f"&format=xlsx&view={view}", viewer)
            self.assertEqual((code, headers["Content-Type"]), (200, XLSX))
            self.assertIn(f'filename="cost-{view}-{m.month}.xlsx"',
                          headers["Content-Disposition"])
            self.check_xlsx(body)

        for params, pointer, detail in (
                ("month=2026-13", "/month", 'month: expected a month such as 2026-10 (got '
                                            '"2026-13")'),
                ("view=invoice", "/view", 'view: expected showback or chargeback (got '
                                          '"invoice")')):
            self.assertProblem(srv.request("GET", "/api/v1/cost/allocation?" + params,
                                           token=viewer), 400, "invalid", detail,
                               errors=[(pointer, detail)])

    def check_xlsx(self, body):
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            self.assertIsNone(z.testzip())
            names = z.namelist()
            self.assertIn("[Content_Types].xml", names)
            self.assertIn("xl/workbook.xml", names)

    def check_budget_and_unit_cost(self, srv, m, viewer):
        budgets = self.get(srv, f"/api/v1/cost/budgets?at={m.last}", token=viewer)["budgets"]
        self.assertEqual([b["name"] for b in budgets],
                         ["organization", "payments-monthly", "search-tag"])
        org, payments, search = budgets

        def month_days(b):
            return [(d["day"][8:], d["cost"], d["cumulative"]) for d in b["daily"]
                    if d["day"] >= m.day(1)]

        def thresholds(b):
            return [(t["percent"], t["basis"], t["crossed"], t["crossedDay"])
                    for t in b["thresholds"]]

        # The organisation: every line item, effective cost; 42.275 of 50 at the month's end.
        self.assertEqual((org["scope"], org["period"], org["periodStart"], org["periodEnd"],
                          org["amount"], org["currency"], org["metric"], org["actual"],
                          org["forecast"], org["percentUsed"], org["forecastPct"],
                          org["status"]),
                         ({"kind": "organization"}, "monthly", m.day(1), m.next, "50.00", "USD",
                          "effective", "42.28", "42.28", 84.55, 84.55, "at risk"))
        self.assertEqual(month_days(org)[:5], [("01", "4.00", "4.00"), ("02", "0.00", "4.00"),
                                               ("03", "19.75", "23.75"),
                                               ("04", "18.53", "42.28"),
                                               ("05", "0.00", "42.28")])
        self.assertEqual(len(month_days(org)), m.days)
        self.assertEqual(thresholds(org), [(80, "actual", True, m.day(4)),
                                           (100, "actual", False, None),
                                           (100, "forecast", False, None)])
        # A tag scope filters the line items: search's 12.375 of a quarter's 10.
        self.assertEqual((search["scope"], search["period"], search["periodStart"],
                          search["periodEnd"], search["amount"], search["metric"],
                          search["actual"], search["percentUsed"], search["status"]),
                         ({"kind": "tag", "name": "team=search"}, "quarterly", m.quarter_start,
                          m.quarter_end, "10.00", "billed", "12.38", 123.75, "over"))
        self.assertEqual(month_days(search)[2:4], [("03", "7.25", "7.25"),
                                                   ("04", "5.13", "12.38")])
        self.assertEqual(thresholds(search)[0], (50, "actual", True, m.day(3)))
        self.assertEqual(payments["scope"], {"kind": "team", "name": "payments"})

        # Unit metric points: a viewer may not push them, a responder may.
        points = {"points": [{"day": m.day(3), "value": "2000"},
                             {"day": m.day(4), "value": 3000}]}
        code, _, problem = srv.request("POST", "/api/v1/cost/unit-metrics/checkout-orders/points",
                                       points, token=viewer)
        self.assertEqual(code, 403, problem)
        code, _, problem = srv.request("POST", "/api/v1/cost/anomalies/0123456789abcdef/feedback",
                                       {"feedback": "expected"}, token=viewer)
        self.assertEqual(code, 403, problem)
        responder = harness.create_token(self.db, "responder")
        code, _, body = srv.request("POST", "/api/v1/cost/unit-metrics/checkout-orders/points",
                                    points, token=responder)
        self.assertEqual((code, body), (200, {"written": 2}))
        code, _, problem = srv.request("POST", "/api/v1/cost/unit-metrics/nope/points", points,
                                       token=responder)
        self.assertEqual(code, 404, problem)
        # A bad point refuses the whole request (the unit cost below shows day 5 has none).
        code, _, problem = srv.request(
            "POST", "/api/v1/cost/unit-metrics/checkout-orders/points",
            {"points": [{"day": m.day(5), "value": "-1"}, {"day": "yesterday", "value": "1"}]},
            token=responder)
        self.assertEqual(code, 400, problem)
        self.assertEqual(problem["errors"], [
            {"pointer": "/points/0/value",
             "detail": 'expected a decimal number >= 0 such as "123456"'},
            {"pointer": "/points/1/day", "detail": "expected a day such as 2026-10-01"}])

        metrics = self.get(srv, "/api/v1/cost/unit-costs", token=viewer)["metrics"]
        self.assertEqual(len(metrics), 1, metrics)
        u = metrics[0]
        self.assertEqual((u["name"], u["scope"], u["unit"], u["per"], u["source"]),
                         ("checkout-orders", {"kind": "service", "name": "checkout"}, "order",
                          1000, "push"))
        month = [x for x in u["months"] if x["month"] == m.month]
        # checkout (the EC2 instance tagged service=checkout): 10.00 on each of the two days
        # with 2000 and 3000 orders: 20.00 per 5000 orders, 4.0000 per 1000.
        self.assertEqual(month, [{"month": m.month, "cost": "20.00", "units": 5000,
                                  "unitCost": "4.0000", "changePct": None,
                                  "coveragePct": round(200 / m.days, 1)}])

    # --- product bugs, reported; these flip to unexpected successes when fixed ----------

    def serve_bill(self):
        m = Month()
        self.write("bill.csv", focus_file(hand_built_rows(m)))
        self.cli(["apply", "-f", CATALOG], self.db)
        self.import_json("bill.csv")
        return m, self.server(self.db)

    @unittest.expectedFailure
    def test_filter_value_with_a_raw_equals_sign(self):
        # cpp-httplib 0.11 keeps only the text after the last "=" of a query parameter, so
        # filter=ServiceName=Amazon%20S3 (the form the docs show) arrives as "Amazon S3" and is
        # refused; only filter=ServiceName%3DAmazon%20S3 works.
        m, server = self.serve_bill()
        with server as srv:
            body = self.get(srv, f"/api/v1/cost/query?from={m.day(1)}&to={m.next}"
                                 "&groupBy=ServiceName&filter=ServiceName=Amazon%20S3")
            self.assertEqual([(r["keys"], r["cost"]) for r in body["rows"]],
                             [(["Amazon S3"], "5.90")])

    @unittest.expectedFailure
    def test_team_budget_counts_the_teams_shared_costs(self):
        # docs/cost.md: a team's budget spend is its cost after allocation, shared costs
        # included. The budget allocates day by day, so the support fee charged on the 1st (a
        # day without direct cost) has no team to share with and never reaches the team: the
        # budget says 22.50 where the month's showback says 25.08.
        m, server = self.serve_bill()
        with server as srv:
            showback = self.get(srv, f"/api/v1/cost/allocation?month={m.month}")
            team = [t for t in showback["months"][0]["teams"] if t["team"] == "payments"][0]
            self.assertEqual(team["total"], "25.08")
            budgets = self.get(srv, f"/api/v1/cost/budgets?at={m.last}")["budgets"]
            payments = [b for b in budgets if b["name"] == "payments-monthly"][0]
            self.assertEqual(payments["actual"], team["total"])


class SqliteCostTest(CostTests, harness.BackendCase):
    backend = "sqlite"

    # --- 5: the demo (SQLite only, like the other demo tests: it takes half a minute) ------

    def test_demo_anomaly_feedback_and_review(self):
        db = "sqlite:" + self.temp_dir() + "/demo.db"
        today = datetime.datetime.now(datetime.timezone.utc).date()
        start = (today - datetime.timedelta(days=9)).isoformat()
        window = {(today - datetime.timedelta(days=d)).isoformat() for d in (9, 8, 7)}
        with self.server(db, args=["demo", "--db", db, "--listen", "127.0.0.1:0"],
                         ready=READY, start_timeout=180) as srv:
            out = srv.stdout_text()
            self.assertRegex(out, r"(?m)^Cloud bill: \d+ FOCUS line items over 13 months, "
                                  r"USD \d+\.\d\d \(\d+ ms\)$")
            token = re.search(r"(?m)^  API token       (plt_\w+)$", out).group(1)

            # The scan runs as a job when the server starts.
            def listed():
                body = self.get(srv, "/api/v1/cost/anomalies?state=all", token=token)
                return body["anomalies"]

            anomalies = harness.wait_until(listed, timeout=30, interval=0.5)
            self.assertTrue(anomalies, "no anomaly recorded within 30 s")
            burst = [a for a in anomalies
                     if (a["monitor"], a["value"], a["start"]) == ("service", "AmazonCloudWatch",
                                                                    start)]
            self.assertEqual(len(burst), 1, anomalies)
            # Nothing else: the weekly rhythm (quieter weekends) raises no anomaly.
            self.assertEqual([a for a in anomalies if a["start"] not in window], [])
            a = burst[0]
            self.assertEqual((a["currency"], a["feedback"]), ("USD", None))
            self.assertIn(a["peak"], window)
            self.assertTrue(a["topCause"].startswith("AmazonCloudWatch / "), a)
            self.assertGreater(decimal.Decimal(a["impact"]), 100)
            self.assertEqual(decimal.Decimal(a["actual"]) - decimal.Decimal(a["expected"]),
                             decimal.Decimal(a["impact"]))

            detail = self.get(srv, f"/api/v1/cost/anomalies/{a['id']}", token=token)
            self.assertEqual({k: detail[k] for k in a}, a)
            causes = detail["rootCauses"]
            self.assertTrue(causes)
            self.assertEqual(causes[0]["service"], "AmazonCloudWatch")
            self.assertEqual(" / ".join(causes[0][k] for k in ("service", "account", "region",
                                                                "usage")), a["topCause"])
            self.assertEqual(causes, sorted(causes, key=lambda c: -decimal.Decimal(c["impact"])))
            series = {p["day"]: p for p in detail["series"]}
            self.assertGreaterEqual(len(series), 30)
            days = sorted(series)
            self.assertEqual(len(days), (datetime.date.fromisoformat(days[-1]) -
                                         datetime.date.fromisoformat(days[0])).days + 1)
            peak = series[a["peak"]]
            self.assertGreater(decimal.Decimal(peak["actual"]), decimal.Decimal(peak["upper"]))
            self.assertLessEqual(decimal.Decimal(peak["lower"]),
                                 decimal.Decimal(peak["expected"]))

            # A viewer may read but not give feedback; a responder may.
            viewer = harness.create_token(db, "viewer")
            path = f"/api/v1/cost/anomalies/{a['id']}/feedback"
            code, _, problem = srv.request("POST", path, {"feedback": "expected"}, token=viewer)
            self.assertEqual(code, 403, problem)
            code, _, problem = srv.request("POST", path, {"feedback": "fine"}, token=token)
            self.assertEqual((code, problem["errors"][0]["pointer"]), (400, "/feedback"))
            code, _, body = srv.request("POST", path, {"feedback": "expected"}, token=token)
            self.assertEqual(code, 200, body)
            self.assertEqual({k: body[k] for k in a}, dict(a, feedback="expected"))
            open_ids = [x["id"] for x in self.get(srv, "/api/v1/cost/anomalies?state=open",
                                                  token=token)["anomalies"]]
            self.assertNotIn(a["id"], open_ids)
            again = self.get(srv, f"/api/v1/cost/anomalies/{a['id']}", token=viewer)
            self.assertEqual(again["feedback"], body["feedback"])

            # The monthly review of last month, in its four formats (side by side: each takes
            # a few seconds of CPU on 13 months of demo data).
            month = Month().month
            path = f"/api/v1/cost/review?month={month}"
            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                answers = list(pool.map(lambda fmt: fetch(srv, f"{path}&format={fmt}", viewer),
                                        ("json", "html", "csv", "xlsx")))
            for (code, headers, body), ctype in zip(answers, (
                    "application/json", "text/html", "text/csv", XLSX)):
                self.assertEqual(code, 200, str(body)[:300])
                self.assertTrue(headers["Content-Type"].startswith(ctype), headers)
            review = json.loads(answers[0][2])
            self.assertEqual((review["month"], review["currency"]), (month, "USD"))
            teams = {t["team"] for t in review["teams"]}
            self.assertEqual(teams, {"checkout", "data", "identity", "observability", "payments",
                                     "platform"})
            self.assertTrue(review["topMovers"])
            self.assertEqual([u["name"] for u in review["unitCosts"]], ["orders"])
            self.assertIn(month, answers[1][2].decode())
            self.assertIn(month, answers[2][2].decode())
            self.check_xlsx(answers[3][2])


class PostgresCostTest(CostTests, harness.BackendCase):
    backend = "postgres"


if __name__ == "__main__":
    unittest.main()
