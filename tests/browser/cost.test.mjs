// The cost pages on the demo's cloud bill (src/cli/demo_cost.cc: 13 months of generated FOCUS
// data, a CloudWatch spike nine days ago, four untagged "ml-experiment" instances, budgets with
// data-monthly over, a unit metric "orders"): the explorer's chart and table and grouping by a
// tag, showback that adds up to the invoice, the budgets, an anomaly's page and its feedback,
// the monthly review's exports, and every cost page at phone width.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startDemo, step, waitUntil, withConsole } from "./harness.mjs";

let demo;
before(async () => { demo = await startDemo(); });
after(async () => { await demo?.stop(); });

const kTestTimeoutMs = 120_000;
const kSpikedService = "AmazonCloudWatch";
const kOverBudget = "data-monthly";

/// GET an API path with the browser's session and return its JSON.
async function api(c, path) {
  const resp = await c.page.request.get(path);
  assert.equal(resp.status(), 200, `GET ${path}: ${resp.status()} ${await resp.text()}`);
  return resp.json();
}

/// The `data-group` values of the explorer table's rows.
async function groups(main) {
  return main.getByTestId("explorer-table").locator("tbody tr[data-group]")
    .evaluateAll((trs) => trs.map((tr) => tr.dataset.group));
}

test("the explorer charts the month's spend by service and regroups it by team",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "cost-explorer" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      await step("logging in as viewer", () => c.login("viewer"));
      await step("opening Cost from the navigation", async () => {
        await page.getByRole("navigation", { name: "Main" })
          .getByRole("link", { name: "Cost", exact: true }).click();
        await page.waitForURL(/\/cost$/);
        await c.expectHeading("Cost");
      });
      await step("reading the chart and the table by service", async () => {
        const chart = main.getByRole("img", { name: /cost by Service Name/ });
        await chart.waitFor();
        assert.ok(await chart.locator("rect.cc-seg").count() > 10, "the chart has columns");
        await waitUntil(async () => {
          const got = await groups(main);
          return ["Amazon Elastic Compute Cloud", kSpikedService].every((g) => got.includes(g)) || got;
        }, "the demo's services in the table");
        assert.equal(await main.getByRole("combobox", { name: "Group by" }).inputValue(), "ServiceName");
      });
      await step("checking the total against the summary", async () => {
        const summary = await api(c, "/api/v1/cost/summary");
        const total = main.getByTestId("explorer-total").locator("[data-amount]");
        assert.equal(await total.getAttribute("data-amount"), summary.total);
        assert.equal(await main.getByTestId("kpi-total").locator("[data-amount]").getAttribute("data-amount"),
          summary.total);
      });
      await step("grouping by the team tag", async () => {
        await main.getByLabel("Group by").selectOption("tag:team");
        await page.waitForURL(/groupBy=tag%3Ateam/);
        await waitUntil(async () => {
          const got = await groups(main);
          return (got.includes("payments") && got.includes("checkout") && got.includes("") &&
            !got.includes(kSpikedService)) || got;
        }, "the table to list teams instead of services");
        await main.getByRole("columnheader", { name: "Tag team" }).waitFor();
        await main.getByRole("img", { name: /cost by Tag team/ }).waitFor();
      });
      await step("filtering to one team from its row", async () => {
        await main.getByRole("button", { name: "Only payments" }).click();
        await page.waitForURL(/filter=tag%3Ateam%3Dpayments/);
        await main.getByTestId("cost-filters").getByText("Tag team = payments").waitFor();
        await waitUntil(async () => {
          const got = await groups(main);
          return (got.length === 1 && got[0] === "payments") || got;
        }, "only payments left");
      });
    });
  });

test("showback adds up to the invoice and lists the untagged ML experiments as unallocated",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "cost-showback" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      await step("logging in as viewer", () => c.login("viewer"));
      await step("opening Showback from the cost tabs", async () => {
        await page.goto("/cost");
        await page.getByRole("navigation", { name: "Cost pages" }).getByRole("link", { name: "Showback" }).click();
        await page.waitForURL(/\/cost\/showback/);
        await c.expectHeading("Showback");
      });
      const table = main.getByTestId("showback-table");
      await step("comparing the teams' total with the invoice", async () => {
        await table.locator('tr[data-team="payments"]').waitFor();
        const invoice = await main.getByTestId("kpi-invoice").locator("[data-amount]").getAttribute("data-amount");
        assert.equal(await main.getByTestId("showback-total").getAttribute("data-amount"), invoice);
        await main.getByTestId("reconciled").waitFor();
        // The invoice is the month's bill as the explorer and the summary see it.
        const summary = await api(c, "/api/v1/cost/summary");
        assert.equal(invoice, summary.total);
        const report = await api(c, `/api/v1/cost/allocation?month=${summary.month}`);
        assert.equal(invoice, report.months[0].total);
      });
      await step("finding the ML experiments among the unallocated resources", async () => {
        const unallocated = main.getByTestId("unallocated-resources");
        await unallocated.getByText(/^ml-experiment-\d+$/).first().waitFor();
        assert.ok(Number(await table.locator('tr[data-team=""] [data-amount]').getAttribute("data-amount")) > 0);
      });
      await step("opening a team's breakdown", async () => {
        await main.getByRole("button", { name: "Breakdown of payments" }).click();
        await table.locator('tr[data-breakdown="payments"]').getByText("payments-api").first().waitFor();
      });
      await step("switching to chargeback", async () => {
        await main.getByRole("button", { name: "Chargeback" }).click();
        await page.waitForURL(/view=chargeback/);
        await c.expectHeading("Chargeback");
        await main.getByRole("columnheader", { name: "Charge" }).waitFor();
        assert.match(await main.getByTestId("export-csv").getAttribute("href"), /view=chargeback/);
      });
    });
  });

test("the budgets page shows data-monthly over its budget", { timeout: kTestTimeoutMs }, async () => {
  await withConsole(demo, { name: "cost-budgets" }, async (c) => {
    const page = c.page;
    const main = page.getByRole("main");
    await c.login("viewer");
    await page.goto("/cost/budgets");
    await c.expectHeading("Budgets");
    await step("reading the budget's row and card", async () => {
      const row = main.getByTestId("budgets-table").locator(`tr[data-budget="${kOverBudget}"]`);
      await row.waitFor();
      assert.equal(await row.getAttribute("data-status"), "over");
      assert.equal((await row.getByTestId("budget-status").textContent()).trim(), "over");
      const card = main.locator(`section[data-budget="${kOverBudget}"]`);
      await card.getByRole("img", { name: new RegExp(`^Cumulative spend of ${kOverBudget}`) }).waitFor();
      await card.locator('tr[data-threshold="100-actual"][data-crossed="true"]').waitFor();
    });
  });
});

test("the monthly review renders with its exports", { timeout: kTestTimeoutMs }, async () => {
  await withConsole(demo, { name: "cost-review" }, async (c) => {
    const page = c.page;
    const main = page.getByRole("main");
    await c.login("viewer");
    await page.goto("/cost/review");
    await c.expectHeading("Monthly cost review");
    await step("reading the teams and the action items", async () => {
      await main.getByTestId("review-teams").locator('tr[data-team="data"]').waitFor();
      await main.getByTestId("review-actions").locator("li").first().waitFor();
      await main.getByTestId("review-unit-costs").locator('tr[data-metric="orders"]').waitFor();
    });
    await step("following the export links", async () => {
      for (const [format, type] of [["html", /^text\/html/], ["csv", /^text\/csv/],
        ["xlsx", /spreadsheetml/]]) {
        const href = await main.getByTestId(`export-${format}`).getAttribute("href");
        assert.match(href, new RegExp(`^/api/v1/cost/review\\?month=\\d{4}-\\d\\d&format=${format}$`));
        const resp = await page.request.get(href);
        assert.equal(resp.status(), 200, `${href}: ${resp.status()}`);
        assert.match(resp.headers()["content-type"], type);
      }
    });
  });
});

test("an anomaly's page shows its root causes and chart, and takes feedback",
  { timeout: kTestTimeoutMs }, async () => {
    const { anomalies } = await withApi((c) => api(c, "/api/v1/cost/anomalies?state=all"));
    const spike = anomalies.find((a) => a.value === kSpikedService);
    assert.ok(spike, `no ${kSpikedService} anomaly in ${JSON.stringify(anomalies)}`);
    await withConsole(demo, { name: "cost-anomaly-viewer" }, async (c) => {
      await c.login("viewer");
      await c.page.goto(`/cost/anomalies/${spike.id}`);
      await c.page.getByRole("main").getByTestId("feedback-read-only").waitFor();
      assert.equal(await c.page.getByRole("button", { name: "Expected", exact: true }).count(), 0);
    });
    await withConsole(demo, { name: "cost-anomaly" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      await step("logging in as admin", () => c.login("admin"));
      await step("opening the anomaly from the list", async () => {
        await page.goto("/cost/anomalies");
        await c.expectHeading("Cost anomalies");
        const row = main.getByTestId("anomalies-table").locator(`tr[data-anomaly="${spike.id}"]`);
        await row.getByText(new RegExp(`^${spike.start}`)).waitFor();
        await row.getByRole("link", { name: new RegExp(kSpikedService) }).click();
        await page.waitForURL(new RegExp(`/cost/anomalies/${spike.id}$`));
        await c.expectHeading(`Anomaly: service ${kSpikedService}`);
      });
      await step("reading the root causes and the chart", async () => {
        const causes = main.getByTestId("root-causes").locator("tbody tr");
        await causes.first().waitFor();
        assert.equal(await causes.first().getAttribute("data-service"), kSpikedService);
        const chart = main.getByRole("img", { name: /against the expected range/ });
        await chart.locator("path.cc-line").waitFor();
        await chart.getByTestId("anomaly-window").waitFor();
      });
      await step("marking it expected", async () => {
        const expected = main.getByRole("button", { name: "Expected", exact: true });
        assert.equal(await expected.getAttribute("aria-pressed"), "false");
        await expected.click();
        await main.getByRole("status").getByText("Marked expected.").waitFor();
        await waitUntil(async () => (await expected.getAttribute("aria-pressed")) === "true" || "not pressed",
          "the Expected button to be pressed");
        assert.equal((await main.getByTestId("anomaly-feedback").first().textContent()).trim(), "expected");
        const after = await api(c, `/api/v1/cost/anomalies/${spike.id}`);
        assert.equal(after.feedback, "expected");
      });
      await step("no longer finding it among the open anomalies", async () => {
        await page.goto("/cost/anomalies");
        await main.getByText("No open anomalies").waitFor();
        await page.goto("/cost/anomalies?state=all");
        await main.locator(`tr[data-anomaly="${spike.id}"][data-feedback="expected"]`).waitFor();
      });
    });
  });

/// Runs fn with a logged-in admin console, for API calls before a test's own console.
async function withApi(fn) {
  let out;
  await withConsole(demo, { name: "cost-api" }, async (c) => {
    await c.login("admin");
    out = await fn(c);
  });
  return out;
}

test("the cost pages fit a phone screen", { timeout: kTestTimeoutMs }, async () => {
  await withConsole(demo, { name: "cost-phone", viewport: { width: 390, height: 844 } }, async (c) => {
    const page = c.page;
    await c.login("admin");
    const { anomalies } = await api(c, "/api/v1/cost/anomalies?state=all");
    const pages = [["/cost", "Cost", "explorer-table"], ["/cost/showback", "Showback", "showback-table"],
      ["/cost/budgets", "Budgets", "budgets-table"], ["/cost/anomalies?state=all", "Cost anomalies", "anomalies-table"],
      [`/cost/anomalies/${anomalies[0].id}`, /^Anomaly: /, "root-causes"], ["/cost/unit", "Unit costs", "unit-months"],
      ["/cost/review", "Monthly cost review", "review-teams"]];
    for (const [path, heading, ready] of pages) {
      await step(`opening ${path} at 390 px`, async () => {
        await page.goto(path);
        await c.expectHeading(heading);
        await page.getByTestId(ready).first().waitFor();
        await page.waitForLoadState("networkidle");
        // Charts and wide tables scroll inside their boxes; the page itself does not.
        await waitUntil(async () => {
          const [scroll, client] = await page.evaluate(
            () => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
          return scroll <= client || `scrollWidth ${scroll} > clientWidth ${client}`;
        }, `${path} to fit 390 px without horizontal scrolling`, 2_000);
      });
    }
  });
});
