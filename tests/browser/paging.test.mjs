// The paging pages as responders use them. Before the tests, the API gets its own escalation
// policy and service with an Events API v2 integration, and a monitoring tool's alerts arrive
// through POST /v2/enqueue (as Alertmanager or any PagerDuty client would send them). Then:
// the incident list shows them, a responder acknowledges and resolves one from its page (saying
// it was actionable), snoozes and reassigns another, a viewer only reads; the service page shows
// the paging settings and creates an integration whose key is shown once; the escalation policy
// page shows its levels; the analytics page draws its charts.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startDemo, step, waitUntil, withConsole } from "./harness.mjs";
import { kPolicy, kSchedule, kService, seedPaging } from "./paging_seed.mjs";

const kTestTimeoutMs = 120_000;

let demo;
// The incident numbers the seed created: `ack` is acknowledged and resolved in one test,
// `snooze` snoozed and reassigned in another, `resolved` was resolved by its source.
let incidents = {};

before(async () => {
  demo = await startDemo();
  ({ incidents } = await seedPaging(demo));
});
after(async () => { await demo?.stop(); });

test("the incident list puts open incidents first with their badges, and filters by service",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "paging-list" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      await step("logging in as viewer", () => c.login("viewer"));
      await step("opening Incidents from the navigation", async () => {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Incidents", exact: true }).click();
        await page.waitForURL(/\/incidents$/);
        await c.expectHeading("Incidents");
      });
      const open = main.getByTestId("open-incidents");
      await step("reading the open incidents", async () => {
        const row = open.locator(`tr[data-incident="${incidents.ack}"]`);
        await row.waitFor();
        assert.equal(await row.getAttribute("data-status"), "triggered");
        assert.equal(await row.getAttribute("data-urgency"), "high");
        assert.equal((await row.getByTestId("incident-status").textContent()).trim(), "triggered");
        assert.equal((await row.getByTestId("incident-urgency").textContent()).trim(), "high urgency");
        await row.getByRole("link", { name: kService }).waitFor();
        // Someone from the payments schedule is paged.
        await row.locator('a[href^="/people/"]').first().waitFor();
        // The resolved one is in the history below, not among the open ones.
        assert.equal(await open.locator(`tr[data-incident="${incidents.resolved}"]`).count(), 0);
        await main.getByTestId("resolved-table").locator(`tr[data-incident="${incidents.resolved}"][data-status="resolved"]`).waitFor();
      });
      await step("filtering by service and by status", async () => {
        await main.getByLabel("Service", { exact: true }).selectOption(kService);
        await page.waitForURL(new RegExp(`service=${kService}`));
        await waitUntil(async () => {
          const services = await open.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.querySelector('a[href^="/services/"]')?.textContent));
          return services.length === 2 && services.every((s) => s === kService) ? true : services;
        }, "only the test service's two open incidents");
        await main.getByLabel("Status", { exact: true }).selectOption("resolved");
        await page.waitForURL(/status=resolved/);
        const rows = main.getByTestId("incidents-table").locator("tbody tr");
        await waitUntil(async () => {
          const nums = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.incident)));
          return nums.length === 1 && nums[0] === incidents.resolved ? true : nums;
        }, "only the resolved incident");
      });
    });
  });

test("a responder acknowledges an incident and resolves it as actionable from its page",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "paging-incident" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      await step("logging in as admin", () => c.login("admin"));
      await step("opening the incident from the list", async () => {
        await page.goto(`/incidents?service=${kService}`);
        await main.getByTestId("open-incidents").locator(`tr[data-incident="${incidents.ack}"] th a`).click();
        await page.waitForURL(new RegExp(`/incidents/${incidents.ack}$`));
        await c.expectHeading("Disk full on db-1");
      });
      await step("reading what it is and who is paged", async () => {
        await c.expectFact("Status", "triggered");
        await c.expectFact("Escalation policy", kPolicy);
        await c.expectFact("Level", "level 1");
        await main.getByTestId("incident-timeline").locator('li[data-kind="triggered"]').waitFor();
        await main.getByTestId("incident-timeline").locator('li[data-kind="escalated"]').waitFor();
        await main.getByTestId("incident-pages").locator('tr[data-person] a[href^="/people/"]').first().waitFor();
        const alert = main.getByTestId("incident-alerts").locator('li[data-alert="disk-full-db-1"]');
        await alert.getByRole("link", { name: "Dashboard" }).waitFor();
        assert.equal(await alert.getByRole("link", { name: "Dashboard" }).getAttribute("href"), "https://grafana.example.com/d/db");
        await alert.getByText("Details", { exact: true }).click();
        await alert.getByText('"free_bytes": 1024').waitFor();
        // Every paged person gets their notifications (the demo has no SMTP, so they may fail).
        await main.getByTestId("incident-deliveries").locator("tbody tr[data-channel]").first().waitFor();
      });
      await step("acknowledging", async () => {
        await main.getByRole("button", { name: "Acknowledge" }).click();
        await c.expectFact("Status", "acknowledged");
        await main.getByTestId("action-status").getByText("Acknowledged").waitFor();
        await main.getByTestId("incident-timeline").locator('li[data-kind="acknowledged"]').waitFor();
        assert.equal(await main.getByRole("button", { name: "Acknowledge" }).count(), 0);
      });
      await step("resolving it as actionable", async () => {
        await main.getByRole("button", { name: "Resolve", exact: true }).click();
        const dialog = page.getByRole("dialog", { name: `Resolve incident #${incidents.ack}?` });
        await dialog.getByLabel("Yes: someone had to act").check();
        await dialog.getByRole("button", { name: "Resolve incident" }).click();
        await dialog.waitFor({ state: "detached" });
        await c.expectFact("Status", "resolved");
        await c.expectFact("Actionable", "yes: someone had to act");
        await main.getByTestId("incident-timeline").locator('li[data-kind="resolved"]').getByText("actionable").waitFor();
      });
      await step("checking the API agrees", async () => {
        const inc = await (await page.request.get(`/api/v1/incidents/${incidents.ack}`)).json();
        assert.equal(inc.status, "resolved");
        assert.equal(inc.actionable, true);
        assert.equal(inc.resolvedBy, "user:admin");
      });
    });
  });

test("a responder snoozes an incident and reassigns it; a viewer only reads",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "paging-snooze" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      await step("logging in as admin", () => c.login("admin"));
      await page.goto(`/incidents/${incidents.snooze}`);
      await c.expectHeading("Replication lag on db-2");
      await step("snoozing for 2 hours", async () => {
        await main.getByRole("button", { name: "Snooze" }).click();
        const dialog = page.getByRole("dialog", { name: `Snooze incident #${incidents.snooze}` });
        await dialog.getByLabel("Snooze for").selectOption("2h");
        await dialog.getByRole("button", { name: "Snooze incident" }).click();
        await dialog.waitFor({ state: "detached" });
        await c.expectFact("Status", "acknowledged");
        await main.getByTestId("incident-timeline").locator('li[data-kind="snoozed"]').waitFor();
        const inc = await (await page.request.get(`/api/v1/incidents/${incidents.snooze}`)).json();
        const left = Date.parse(inc.snoozedUntil) - Date.now();
        assert.ok(left > 115 * 60_000 && left <= 120 * 60_000, `snoozed until ${inc.snoozedUntil}`);
      });
      await step("reassigning to Ines Petrova", async () => {
        await main.getByRole("button", { name: "Reassign" }).click();
        const dialog = page.getByRole("dialog", { name: `Reassign incident #${incidents.snooze}` });
        await dialog.getByLabel("Person").selectOption("ines.petrova");
        await dialog.getByRole("button", { name: "Reassign incident" }).click();
        await dialog.waitFor({ state: "detached" });
        await c.expectFact("Status", "triggered");
        await main.getByTestId("incident-timeline").locator('li[data-kind="reassigned"]').getByText("to ines.petrova").waitFor();
        await main.getByTestId("incident-pages").locator('tr[data-person="ines.petrova"]').waitFor();
      });
    });
    await withConsole(demo, { name: "paging-viewer" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      await step("logging in as viewer", () => c.login("viewer"));
      await page.goto(`/incidents/${incidents.snooze}`);
      await c.expectHeading("Replication lag on db-2");
      await step("seeing no actions", async () => {
        await main.getByTestId("incident-read-only").waitFor();
        assert.equal(await main.getByRole("button", { name: "Acknowledge" }).count(), 0);
        assert.equal(await main.getByRole("button", { name: "Resolve" }).count(), 0);
      });
    });
  });

test("the service page shows its paging settings, open incidents and changes, and creates an integration",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "paging-service" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      await step("logging in as admin", () => c.login("admin"));
      await page.goto(`/services/${kService}`);
      await c.expectHeading(kService);
      const paging = main.getByTestId("service-paging");
      await step("reading the paging settings", async () => {
        await c.expectFact("Escalation policy", kPolicy);
        await c.expectFact("Acknowledgement timeout", "30 min, then it pages again");
        await paging.getByTestId("service-open-incidents").locator(`tr[data-incident="${incidents.snooze}"]`).waitFor();
        await paging.getByTestId("service-changes").getByText("Deployed db-proxy v2.4.1").waitFor();
        await paging.getByTestId("service-changes").getByRole("link", { name: "Build 42" }).waitFor();
        await paging.getByTestId("integrations-table").locator('tr[data-type="events-v2"]').waitFor();
      });
      await step("creating an Alertmanager integration: its key is shown once", async () => {
        await paging.getByLabel("Type").selectOption("alertmanager");
        await paging.getByLabel("Name").fill("Alertmanager prod");
        await paging.getByRole("button", { name: "Create integration" }).click();
        const box = paging.getByTestId("integration-key");
        await box.waitFor();
        const key = await box.getByLabel("Integration key").inputValue();
        assert.match(key, /^\S{20,}$/);
        await box.getByText(`/integrations/alertmanager/${key}`).waitFor();
        await box.getByRole("button", { name: "Copy" }).click();
        await box.getByText("Copied to the clipboard.").waitFor();
        await paging.getByTestId("integrations-table").locator('tr[data-type="alertmanager"]').waitFor();
        // The key works: Alertmanager's webhook opens an incident with it.
        const r = await page.request.post(`/integrations/alertmanager/${key}`, {
          data: {
            version: "4", groupKey: "{}:{alertname=\"HighErrorRate\"}", status: "firing", receiver: "plinth",
            groupLabels: { alertname: "HighErrorRate" }, commonLabels: { alertname: "HighErrorRate", severity: "critical" },
            commonAnnotations: { summary: "High error rate" }, externalURL: "http://alertmanager.example:9093",
            alerts: [{ status: "firing", labels: { alertname: "HighErrorRate", severity: "critical" }, annotations: { summary: "High error rate" },
              startsAt: new Date().toISOString(), endsAt: "0001-01-01T00:00:00Z", generatorURL: "http://prometheus.example:9090/graph", fingerprint: "abc123" }],
          },
        });
        assert.equal(r.status(), 202, await r.text());
        await box.getByRole("button", { name: "Done" }).click();
        assert.equal(await paging.getByTestId("integration-key").count(), 0, "the key is gone once dismissed");
      });
    });
  });

test("the escalation policy page shows its levels and the services that use it",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "paging-policy" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      await step("logging in as viewer", () => c.login("viewer"));
      await step("opening the policy from the list", async () => {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Escalation policies" }).click();
        await c.expectHeading("Escalation policies");
        await main.getByTestId("escalationpolicies-table").locator(`tr[data-policy="${kPolicy}"] th a`).click();
        await c.expectHeading("Browser test escalation");
      });
      await step("reading the levels", async () => {
        const levels = main.getByTestId("policy-levels");
        await levels.locator('li[data-level="1"]').getByRole("link", { name: kSchedule }).waitFor();
        const second = levels.locator('li[data-level="2"]');
        await second.getByText("round robin").waitFor();
        assert.match(await second.getByTestId("level-when").textContent(), /Mon–Fri 09:00–18:00 \(Europe\/Berlin\)/);
        await second.getByRole("link", { name: "payments" }).waitFor();
        assert.match(await levels.locator('li[data-level="1"]').getByTestId("level-delay").textContent(), /15 min: level 2/);
        await main.getByTestId("policy-services").getByRole("link", { name: kService }).waitFor();
      });
    });
  });

test("the paging analytics page draws its charts and tables",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "paging-analytics" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      await step("logging in as admin", () => c.login("admin"));
      await step("opening Paging analytics from the navigation", async () => {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Paging analytics" }).click();
        await page.waitForURL(/\/paging\/analytics$/);
        await c.expectHeading("Paging analytics");
      });
      await step("filtering by the payments team and reading the charts", async () => {
        await main.getByLabel("Team", { exact: true }).selectOption("payments");
        await page.waitForURL(/team=payments/);
        const quality = main.getByRole("img", { name: /^Alert quality of \d+ resolved incidents?: actionable \d+/ });
        await quality.waitFor();
        assert.ok(await quality.locator('rect[data-part="actionable"]').count() > 0, "an actionable segment");
        await main.getByRole("img", { name: /^Pages per person, off-hours part marked: / }).waitFor();
        const daily = main.getByRole("img", { name: /^Incidents and pages per day/ });
        await daily.waitFor();
        assert.ok(await daily.locator("rect.pa-col").count() >= 7, "a column per day");
        await main.getByTestId("noisiest-alerts").locator(`tr[data-service="${kService}"]`).first().waitFor();
        await main.getByTestId("analytics-services").locator(`tr[data-service="${kService}"]`).waitFor();
        const mtta = (await main.getByTestId("stat-mtta").textContent()).trim();
        assert.doesNotMatch(mtta, /—/, `MTTA ${mtta}`);
      });
      await step("choosing another period", async () => {
        await main.getByLabel("Period", { exact: true }).selectOption("7");
        await page.waitForURL(/days=7/);
        await waitUntil(async () => (await main.getByRole("img", { name: /^Incidents and pages per day/ }).locator("rect.pa-col").count()) <= 9 || "too many days",
          "a week of days");
      });
    });
  });
