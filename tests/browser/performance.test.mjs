// How fast the services list appears: with the demo organisation, then with 1,000 more services.
// Prints the timings and asserts none of them: a loaded test machine is no benchmark.

import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { plinthBin, run, startDemo, step, withConsole } from "./harness.mjs";

let demo;
before(async () => { demo = await startDemo(); });
after(async () => { await demo?.stop(); });

/// Loads /services in a logged-in browser and reports the time from navigation to the first
/// service row, and the browser's own navigation timing.
async function measureServicesList(c, t, label) {
  const page = c.page;
  const main = page.getByRole("main");
  const rows = main.locator('a[href^="/services/"]');
  const started = performance.now();
  let listed = NaN;  // when the first page of the list arrived from the server
  const isList = (r) => /\/api\/v1\/services(\?|$)/.test(r.url()) && r.request().method() === "GET";
  const arrived = page.waitForResponse(isList).then(() => { listed = performance.now() - started; });
  await page.goto("/services");
  await rows.first().waitFor();
  const firstRow = performance.now() - started;
  await arrived;
  await page.waitForLoadState("networkidle");
  const settled = performance.now() - started;
  const shown = await rows.count();
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType("navigation")[0];
    return { dom: n.domContentLoadedEventEnd, load: n.loadEventEnd };
  });
  const line = `${label}: list response after ${listed.toFixed(0)} ms, ` +
    `first service row after ${firstRow.toFixed(0)} ms, idle after ` +
    `${settled.toFixed(0)} ms (${shown} service links shown; DOMContentLoaded ` +
    `${nav.dom.toFixed(0)} ms, load ${nav.load.toFixed(0)} ms)`;
  t.diagnostic(line);

  // The same list reached from inside the app, without reloading it.
  await page.goto("/");
  await page.getByRole("button", { name: "Log out" }).waitFor();
  await page.waitForLoadState("networkidle");
  const clicked = performance.now();
  await page.getByRole("navigation").getByRole("link", { name: "Services", exact: true }).first().click();
  await rows.first().waitFor();
  const inApp = `${label}: in-app navigation to Services, first row after ` +
    `${(performance.now() - clicked).toFixed(0)} ms`;
  t.diagnostic(inApp);
  return shown;
}

test("the services list renders quickly (timings printed, not asserted)", { timeout: 180_000 },
  async (t) => {
    await withConsole(demo, { name: "performance" }, async (c) => {
      await c.login("admin");
      const api = await c.page.request.get("/api/v1/services?limit=500");
      const demoServices = (await api.json()).items.length;
      const shown = await step("measuring with the demo data",
        () => measureServicesList(c, t, `demo data (${demoServices} services)`));
      assert.ok(shown >= Math.min(demoServices, 20),
        `the services list shows ${shown} of the demo's ${demoServices} services`);

      await step("adding 1,000 services with plinth apply", async () => {
        const docs = [];
        for (let i = 0; i < 1000; i++) {
          const n = String(i).padStart(4, "0");
          docs.push(`apiVersion: plinth/v1\nkind: Service\nmetadata:\n  name: bulk-${n}\n` +
            `  description: Generated service ${n} for the browser timing test\n` +
            `spec:\n  owner: platform\n  tier: ${1 + (i % 4)}\n  lifecycle: production\n` +
            `  dependsOn: [${i % 10 === 0 ? "kafka" : "postgres-main"}]\n`);
        }
        const file = path.join(demo.dir, "bulk.yaml");
        await writeFile(file, docs.join("---\n"));
        await run(plinthBin, ["apply", "--db", `sqlite:${demo.dir}/demo.db`, "-f", file]);
      });
      await step("measuring with 1,000 more services",
        () => measureServicesList(c, t, `${demoServices + 1000} services`));
    });
  });
