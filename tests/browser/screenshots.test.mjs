// Screenshots of the main pages in the light and the dark theme, at 1280x800 and (the service
// page, whole) at phone size, written to $SCREENSHOT_DIR (default build/screenshots). docs/console.md
// shows a subset of them; a reviewer looks at the rest after a UI change.

import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { screenshotDir, startDemo, waitUntil, withConsole } from "./harness.mjs";
import { apiSession, seedPaging } from "./paging_seed.mjs";

let demo;
before(async () => {
  await mkdir(screenshotDir, { recursive: true });
  demo = await startDemo();
  // The paging pages need escalation policies and incidents: a demo without any policy gets the
  // paging tests' seed.
  const { items } = await (await apiSession(demo))("GET", "/api/v1/escalationpolicies?limit=1");
  if (!items.length) await seedPaging(demo);
});
after(async () => { await demo?.stop(); });

/// The console path of the first item of an API list that `want` accepts, e.g. the newest open
/// incident that pages someone.
async function firstOf(c, api, path, want = () => true) {
  const { items } = await (await c.page.request.get(api)).json();
  const item = items.find(want);
  assert.ok(item, `${api} lists nothing to show`);
  return path(item);
}

// Each page: where it is, and what shows that it has finished loading its data.
const kPages = [
  { name: "overview", path: "/", ready: async (c) => {
    await c.expectHeading("Overview");
    await c.page.getByRole("main").locator('a[href="/teams/payments"]').first().waitFor();
  } },
  { name: "services", path: "/services", ready: async (c) => {
    await c.expectHeading(/services/i);
    await c.page.getByRole("main").getByRole("link", { name: "ledger", exact: true }).first().waitFor();
  } },
  { name: "service", path: "/services/ledger", ready: async (c) => {
    await c.expectHeading("ledger");
    await c.page.getByRole("img", { name: "Dependency graph of ledger" })
      .getByText("payments-api", { exact: true }).first().waitFor();
  } },
  { name: "team", path: "/teams/payments", ready: async (c) => {
    await c.expectHeading(/payments/i);
    const main = c.page.getByRole("main");
    await main.locator('a[href$="/people/ines.petrova"]').first().waitFor();
    await waitUntil(async () => /\b\d{1,2}:\d{2}\b/.test(await main.innerText()) || "no time",
      "the members' local times");
  } },
  { name: "person", path: "/people/ines.petrova", ready: async (c) => {
    await c.expectHeading(/Ines Petrova|ines\.petrova/);
  } },
  { name: "oncall", path: "/oncall", ready: async (c) => {
    await c.expectHeading("On call");
    await c.page.getByTestId("oncall-now").locator('tr[data-schedule="incident-commander"] a[href^="/people/"]')
      .first().waitFor();
  } },
  { name: "schedule", path: "/schedules/payments-primary", ready: async (c) => {
    await c.expectHeading("Payments primary");
    await c.page.getByTestId("timeline").locator('[data-row="final"] .tl-shift').first().waitFor();
  } },
  { name: "incidents", path: "/incidents", ready: async (c) => {
    await c.expectHeading("Incidents");
    await c.page.getByTestId("open-incidents").locator("tr[data-incident]").first().waitFor();
  } },
  { name: "incident",
    path: (c) => firstOf(c, "/api/v1/incidents?status=open&limit=100", (i) => `/incidents/${i.number}`,
      (i) => i.escalationPolicy && i.assignees.length),
    ready: async (c) => {
      await c.page.getByTestId("incident-timeline").locator("li").first().waitFor();
      await c.page.getByTestId("incident-alerts").locator("li").first().waitFor();
    } },
  { name: "escalation-policy",
    path: (c) => firstOf(c, "/api/v1/escalationpolicies?limit=1", (p) => `/escalationpolicies/${p.metadata.name}`),
    ready: async (c) => {
      await c.page.getByTestId("policy-levels").locator("li[data-level]").first().waitFor();
      await c.page.locator('[data-testid="policy-services"] a, [data-testid="no-policy-services"]').first().waitFor();
    } },
  { name: "paging-analytics", path: "/paging/analytics", ready: async (c) => {
    await c.expectHeading("Paging analytics");
    await c.page.getByTestId("daily-chart").waitFor();
    await c.page.getByTestId("quality-chart").waitFor();
  } },
  { name: "cost", path: "/cost", ready: async (c) => {
    await c.expectHeading("Cost");
    await c.page.getByTestId("explorer-chart").locator("rect.cc-seg").first().waitFor();
    // The chart and the table, below the month's figures.
    await c.page.getByRole("heading", { name: "Explore" }).evaluate((h) => window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 72));
  } },
  { name: "cost-showback", path: "/cost/showback", ready: async (c) => {
    await c.expectHeading("Showback");
    await c.page.getByTestId("unallocated-resources").locator("tr[data-resource]").first().waitFor();
  } },
  { name: "cost-budgets", path: "/cost/budgets", ready: async (c) => {
    await c.expectHeading("Budgets");
    await c.page.getByTestId("budget-chart").first().waitFor();
  } },
  { name: "cost-anomaly",
    path: async (c) => {
      const { anomalies } = await (await c.page.request.get("/api/v1/cost/anomalies?state=all")).json();
      assert.ok(anomalies.length, "the demo has no cost anomaly");
      return `/cost/anomalies/${anomalies[0].id}`;
    },
    ready: async (c) => {
      await c.page.getByTestId("anomaly-chart").locator("path.cc-line").waitFor();
      await c.page.getByTestId("root-causes").locator("tbody tr").first().waitFor();
    } },
  { name: "cost-unit", path: "/cost/unit", ready: async (c) => {
    await c.expectHeading("Unit costs");
    await c.page.getByTestId("unit-months").locator("tr[data-month]").first().waitFor();
  } },
  { name: "cost-review", path: "/cost/review", ready: async (c) => {
    await c.expectHeading("Monthly cost review");
    await c.page.getByTestId("review-teams").locator("tr[data-team]").first().waitFor();
  } },
  { name: "audit", path: "/audit", ready: async (c) => {
    await c.expectHeading(/audit/i);
    // Any entry that links to a service (the first page holds only the newest entries).
    await c.page.getByRole("main").locator('a[href^="/services/"]').first().waitFor();
  } },
];

/// Waits until nothing more is loading or moving, checks the theme really is the one asked for,
/// and writes <name>-<theme>.png.
async function shoot(c, name, theme, { fullPage = false } = {}) {
  const page = c.page;
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => document.fonts.ready);
  const lightness = await c.backgroundLightness();
  assert.ok(theme === "dark" ? lightness < 0.5 : lightness > 0.5,
    `the ${name} page in the ${theme} theme has a background of lightness ${lightness.toFixed(2)}`);
  const file = path.join(screenshotDir, `${name}-${theme}.png`);
  await page.screenshot({ path: file, fullPage, animations: "disabled", caret: "hide" });
  return file;
}

async function pageTest(t, c, name, fn) {
  await t.test(name, async () => {
    try {
      await fn();
    } catch (err) {
      await c.saveFailureScreenshot(`screenshot-${name}`);
      throw err;
    }
  });
}

for (const theme of ["light", "dark"]) {
  test(`screenshots of the main pages, ${theme} theme`, { timeout: 180_000 }, async (t) => {
    await withConsole(demo, { name: `screenshots-${theme}`, colorScheme: theme }, async (c) => {
      const taken = [];
      await pageTest(t, c, "login", async () => {
        await c.page.goto("/");
        await c.page.getByRole("button", { name: "Log in" }).waitFor();
        taken.push(await shoot(c, "login", theme));
      });
      await c.login("admin");
      for (const p of kPages) {
        await pageTest(t, c, p.name, async () => {
          await c.page.goto(typeof p.path === "function" ? await p.path(c) : p.path);
          await p.ready(c);
          taken.push(await shoot(c, p.name, theme));
        });
      }
      t.diagnostic(`${taken.length} screenshots in ${screenshotDir}`);
    });
  });

  test(`screenshot of the service page at phone size, ${theme} theme`, { timeout: 120_000 },
    async () => {
      await withConsole(demo, { name: `screenshots-phone-${theme}`, colorScheme: theme,
        viewport: { width: 390, height: 844 } }, async (c) => {
        await c.login("admin");
        await c.page.goto("/services/ledger");
        await kPages.find((p) => p.name === "service").ready(c);
        // Nothing may stick out sideways at phone width.
        await waitUntil(async () => {
          const [scroll, client] = await c.page.evaluate(
            () => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
          return scroll <= client || `scrollWidth ${scroll} > clientWidth ${client}`;
        }, "the service page to fit 390 px without horizontal scrolling", 2_000);
        await shoot(c, "service-phone", theme, { fullPage: true });
      });
    });
}

test("screenshots of the search results and of a viewer's service page", { timeout: 120_000 },
  async (t) => {
    await withConsole(demo, { name: "screenshots-search" }, async (c) => {
      const page = c.page;
      await c.login("admin");
      await pageTest(t, c, "search", async () => {
        await page.goto("/services");
        await c.expectHeading(/services/i);
        await page.keyboard.press("/");
        await page.getByLabel("Search", { exact: true }).fill("pay");
        await page.getByRole("option", { name: /payments-api/ }).first().waitFor();
        await shoot(c, "search", "light");
      });
    });
    await withConsole(demo, { name: "screenshots-viewer" }, async (c) => {
      await c.login("viewer");
      await pageTest(t, c, "viewer", async () => {
        await c.page.goto("/services/ledger");
        await kPages.find((p) => p.name === "service").ready(c);
        await c.page.getByRole("main").getByText(/read-only/i).first().waitFor();
        await shoot(c, "service-viewer", "light");
      });
    });
  });
