// A new installation: `plinth serve` on an empty database with one admin. Every page must say
// what to do next instead of showing an empty table, and a missing resource says so.

import { mkdir } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import { screenshotDir, startEmpty, step, withConsole } from "./harness.mjs";

let server;
before(async () => { server = await startEmpty(); });
after(async () => { await server?.stop(); });

test("an empty catalog tells a new user how to fill it", { timeout: 120_000 }, async () => {
  await withConsole(server, { name: "empty" }, async (c) => {
    const page = c.page;
    const main = page.getByRole("main");
    await c.login("admin");
    await step("reading the overview", async () => {
      await c.expectHeading("Overview");
      await main.getByText("No services yet").waitFor();
      await main.getByText("plinth apply -f catalog/").first().waitFor();
      await page.waitForLoadState("networkidle");
      await mkdir(screenshotDir, { recursive: true });
      await page.screenshot({ path: path.join(screenshotDir, "overview-empty-light.png"),
        animations: "disabled", caret: "hide" });
    });
    for (const [nav, empty] of [["Services", "No services yet"], ["Teams", "No teams yet"],
      ["People", "No people yet"], ["Systems", "No systems yet"], ["Domains", "No domains yet"]]) {
      await step(`opening ${nav} from the navigation`, async () => {
        await page.getByRole("navigation").getByRole("link", { name: nav, exact: true }).click();
        await c.expectHeading(nav);
        await main.getByText(empty).waitFor();
      });
    }
    await step("searching an empty catalog", async () => {
      await page.getByLabel("Search", { exact: true }).fill("ledger");
      await page.getByText(/Nothing matches/).waitFor();
    });
  });
});

test("a service that does not exist is reported as such", { timeout: 60_000 }, async () => {
  await withConsole(server, { name: "missing-service" }, async (c) => {
    c.allowErrors.push(/status of 404 .*\/api\/v1\/services\/nope(\/|\?|$)/);
    await c.login("admin");
    await c.page.goto("/services/nope");
    await c.page.getByRole("alert").getByText(/does not exist/).waitFor();
  });
});
