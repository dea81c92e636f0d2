// The console as a user sees it: log in, search, a service and its dependency graph, editing
// it, what a viewer may not do, log out, team and audit pages, the theme toggle.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startDemo, step, waitUntil, withConsole } from "./harness.mjs";

let demo;
before(async () => { demo = await startDemo(); });
after(async () => { await demo?.stop(); });

const kTestTimeoutMs = 120_000;

test("admin searches for ledger, reads its owner and tier, and follows its dependency graph",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "search-and-graph" }, async (c) => {
      const page = c.page;
      await step("logging in as admin", () => c.login("admin"));

      await step("searching with the / shortcut", async () => {
        await page.evaluate(() => document.activeElement?.blur());
        await page.keyboard.press("/");
        const search = page.getByLabel("Search", { exact: true });
        await waitUntil(() => search.evaluate((el) => el === document.activeElement),
          "the / key to focus the search box");
        await search.fill("ledger");
        await page.getByRole("option", { name: /ledger/ }).first().waitFor();
        // The arrow keys move through the results; Enter opens the selected one.
        const selected = page.locator('[role="option"][aria-selected="true"]');
        await page.keyboard.press("ArrowDown");
        await waitUntil(async () => {
          const text = await selected.allInnerTexts();
          if (text.length === 1 && /\bledger\b/.test(text[0])) return true;
          await page.keyboard.press("ArrowDown");
          return text;
        }, "ArrowDown to select the ledger result");
        await page.keyboard.press("Enter");
        await page.waitForURL(/\/services\/ledger$/);
        await c.expectHeading("ledger");
      });

      const main = page.getByRole("main");
      await step("reading the owner, tier and lifecycle of ledger", async () => {
        await c.expectFact("Owner", "payments");
        await c.expectFact("Tier", "Tier 1");
        await c.expectFact("Lifecycle", "production");
        await main.locator('dd a[href="/teams/payments"]').first().waitFor();
      });

      const graph = page.getByRole("img", { name: "Dependency graph of ledger" });
      await step("reading the dependency graph", async () => {
        await graph.waitFor();
        // ledger depends on kafka and postgres-main (and through them on dns); invoicing,
        // payments-api and payouts depend on it (and order-service through payments-api).
        for (const name of ["ledger", "kafka", "postgres-main", "invoicing", "payments-api", "payouts"]) {
          await graph.getByText(name, { exact: true }).first().waitFor();
        }
      });

      await step("clicking the kafka node of the graph", async () => {
        await graph.getByRole("link", { name: /kafka/ }).first().click();
        await page.waitForURL(/\/services\/kafka$/);
        await c.expectHeading("kafka");
        await page.getByRole("img", { name: "Dependency graph of kafka" })
          .getByText("ledger", { exact: true }).first().waitFor();
      });

      await step("going back to ledger with the browser's back button", async () => {
        await page.goBack();
        await c.expectHeading("ledger");
      });
    });
  });

test("a viewer sees the service read-only and the server refuses the viewer's changes",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "viewer-read-only" }, async (c) => {
      const page = c.page;
      await step("logging in as viewer", () => c.login("viewer"));
      await step("opening the ledger service page", async () => {
        await page.goto("/services/ledger");
        await c.expectHeading("ledger");
        await page.getByRole("img", { name: "Dependency graph of ledger" }).waitFor();
      });

      await step("looking for Edit and Delete buttons", async () => {
        // The page says why nothing can be changed once it knows the viewer's role.
        await page.getByRole("main").getByText(/read-only/i).first().waitFor();
        for (const name of ["Edit", "Delete"]) {
          const buttons = page.getByRole("button", { name, exact: true });
          for (const b of await buttons.all()) {
            assert.ok(!(await b.isVisible()) || await b.isDisabled(),
              `a viewer sees an enabled "${name}" button on the service page`);
          }
        }
      });

      await step("putting a changed ledger with the viewer's session", async () => {
        const session = await page.request.get("/api/v1/session");
        assert.equal(session.status(), 200, await session.text());
        const { csrf_token: csrf, grants } = await session.json();
        assert.deepEqual(grants, [{ role: "viewer" }]);
        assert.ok(csrf, "GET /api/v1/session gave the console session no csrf_token");
        const doc = await (await page.request.get("/api/v1/services/ledger")).json();
        doc.spec.tier = 4;
        const put = await page.request.put("/api/v1/services/ledger",
          { data: doc, headers: { "X-CSRF-Token": csrf } });
        const body = await put.text();
        assert.equal(put.status(), 403, body);
        const problem = JSON.parse(body);
        assert.equal(problem.type, "urn:plinth:problem:forbidden", body);
        // Refused for the role, not for a bad CSRF token.
        assert.match(problem.detail, /lacks/, body);
        const again = await (await page.request.get("/api/v1/services/ledger")).json();
        assert.equal(again.spec.tier, 1, "the refused PUT changed the service");
      });
    });
  });

test("an admin sees Edit on the service page", { timeout: kTestTimeoutMs }, async () => {
  await withConsole(demo, { name: "admin-edit" }, async (c) => {
    const page = c.page;
    await c.login("admin");
    await page.goto("/services/ledger");
    await c.expectHeading("ledger");
    const edit = page.getByRole("button", { name: "Edit", exact: true });
    await edit.waitFor();
    assert.ok(await edit.isEnabled(), "the Edit button is disabled for an admin");
  });
});

test("an admin edits a service: field errors from the server, then a saved change in the activity",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "edit" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      c.allowErrors.push(/status of 400 .*\/api\/v1\/services\/status-page$/);
      await c.login("admin");
      await page.goto("/services/status-page");
      await c.expectHeading("status-page");
      const form = main.getByRole("form", { name: "Edit status-page" });

      await step("saving a dependency on a service that does not exist", async () => {
        await main.getByRole("button", { name: "Edit", exact: true }).click();
        await form.waitFor();
        await form.getByLabel("Depends on").fill("no-such-service");
        await form.getByRole("button", { name: "Save" }).click();
        await waitUntil(async () =>
          (await form.getByLabel("Depends on").getAttribute("aria-invalid")) === "true" ||
          await form.innerText(), "the Depends on field to be marked invalid");
        await form.getByText(/no-such-service/).first().waitFor();
      });

      await step("saving a new description", async () => {
        await form.getByRole("button", { name: "Cancel" }).click();
        await main.getByRole("button", { name: "Edit", exact: true }).click();
        await form.getByLabel("Description").fill("Public status page, edited in a browser test");
        await form.getByRole("button", { name: "Save" }).click();
        await main.getByRole("status").getByText("Saved.").waitFor();
        await main.getByText("Public status page, edited in a browser test").first().waitFor();
        const doc = await (await page.request.get("/api/v1/services/status-page")).json();
        assert.equal(doc.metadata.description, "Public status page, edited in a browser test");
      });

      await step("reading the change in the service's recent activity", async () => {
        const activity = main.getByRole("region", { name: "Recent activity" });
        await waitUntil(async () => /admin[\s\S]*updated/.test(await activity.innerText()) ||
          await activity.innerText(), "an update by admin in Recent activity");
      });
    });
  });

test("saving over someone else's change explains the conflict", { timeout: kTestTimeoutMs },
  async () => {
    await withConsole(demo, { name: "edit-conflict" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      c.allowErrors.push(/status of (409|412) .*\/api\/v1\/services\/search-index$/);
      await c.login("admin");
      await page.goto("/services/search-index");
      await c.expectHeading("search-index");
      await main.getByRole("button", { name: "Edit", exact: true }).click();
      const form = main.getByRole("form", { name: "Edit search-index" });
      await form.getByLabel("Description").fill("Changed in the form");

      await step("changing the service behind the form's back", async () => {
        const { csrf_token: csrf } = await (await page.request.get("/api/v1/session")).json();
        const doc = await (await page.request.get("/api/v1/services/search-index")).json();
        doc.metadata.description = "Changed by someone else";
        const put = await page.request.put("/api/v1/services/search-index",
          { data: doc, headers: { "X-CSRF-Token": csrf } });
        assert.equal(put.status(), 200, await put.text());
      });

      await step("saving the form", async () => {
        await form.getByRole("button", { name: "Save" }).click();
        await form.getByRole("alert").getByText(/Someone else changed search-index/).waitFor();
        const doc = await (await page.request.get("/api/v1/services/search-index")).json();
        assert.equal(doc.metadata.description, "Changed by someone else", "the stale save overwrote the other change");
      });
    });
  });

test("logging out returns to the login form and ends the session", { timeout: kTestTimeoutMs },
  async () => {
    await withConsole(demo, { name: "logout" }, async (c) => {
      const page = c.page;
      await step("logging in as admin", () => c.login("admin"));
      assert.equal((await page.request.get("/api/v1/session")).status(), 200);
      await step("clicking Log out", async () => {
        await page.getByRole("button", { name: "Log out" }).click();
        await page.getByRole("button", { name: "Log in" }).waitFor();
        await page.getByLabel("Password").waitFor();
      });
      const session = await page.request.get("/api/v1/session");
      assert.equal(session.status(), 401, "GET /api/v1/session after logging out");
      await step("reloading after logout", async () => {
        await page.reload();
        await page.getByRole("button", { name: "Log in" }).waitFor();
      });
    });
  });

test("a wrong password is refused with a message and no session", { timeout: kTestTimeoutMs },
  async () => {
    await withConsole(demo, { name: "wrong-password" }, async (c) => {
      const page = c.page;
      c.allowErrors.push(/status of 401 .*\/api\/v1\/login$/);
      await page.goto("/");
      await page.getByLabel("User").fill("admin");
      await page.getByLabel("Password").fill("not-the-password");
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("alert").first().waitFor();
      assert.equal(await page.getByRole("button", { name: "Log out" }).count(), 0);
      assert.equal((await page.request.get("/api/v1/session")).status(), 401);
    });
  });

test("the team page lists members with their local time", { timeout: kTestTimeoutMs }, async () => {
  await withConsole(demo, { name: "team" }, async (c) => {
    const page = c.page;
    await c.login("admin");
    await page.goto("/teams/payments");
    await c.expectHeading(/payments/i);
    const main = page.getByRole("main");
    const members = ["ines.petrova", "kavya.iyer", "quinn.rossi", "victor.nair"];
    await step("reading the members and their local times", async () => {
      for (const name of members) {
        // Each member row names the person (display name or user name) and a time such as 14:05.
        const row = main.getByRole("listitem").or(main.getByRole("row"))
          .filter({ has: page.locator(`a[href$="/people/${name}"]`) }).first();
        await row.waitFor();
        // The row may show the name before the person's time zone has loaded.
        await waitUntil(async () => {
          const text = await row.innerText();
          return /\b\d{1,2}:\d{2}\b/.test(text) || text;
        }, `a local time in the member row of ${name}`);
      }
    });
    await step("reading the services the team owns", async () => {
      await main.getByRole("link", { name: "ledger", exact: true }).first().waitFor();
    });
    await step("following a member to the person page", async () => {
      await main.locator('a[href$="/people/ines.petrova"]').first().click();
      await page.waitForURL(/\/people\/ines\.petrova$/);
      await c.expectHeading(/Ines Petrova|ines\.petrova/);
    });
  });
});

test("the audit log page lists entries", { timeout: kTestTimeoutMs }, async () => {
  await withConsole(demo, { name: "audit" }, async (c) => {
    const page = c.page;
    await c.login("admin");
    await page.goto("/audit");
    await c.expectHeading(/audit/i);
    const main = page.getByRole("main");
    // The demo created every resource through the audited write path.
    await waitUntil(async () => {
      const n = await main.getByRole("row").count() || await main.getByRole("listitem").count();
      return n >= 10 || `${n} entries`;
    }, "at least 10 audit entries");
    // One resource's history by its address (the first page holds only the newest entries, and
    // the demo's schedules and SLOs came after the services). A link, since role queries skip
    // the hidden text of collapsed diffs.
    await page.goto("/audit?kind=Service&name=ledger");
    await main.getByRole("link", { name: "ledger", exact: true }).first().waitFor();
  });
});

test("the theme toggle switches between light and dark and is remembered",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "theme" }, async (c) => {
      const page = c.page;
      await c.login("admin");
      const lightness = () => c.backgroundLightness();
      const before = await lightness();
      assert.ok(before > 0.5, `the light theme has a dark background (lightness ${before})`);
      await page.getByRole("button", { name: "Toggle dark mode" }).click();
      await waitUntil(async () => (await lightness()) < 0.5 || `lightness ${await lightness()}`,
        "a dark background after Toggle dark mode");
      await page.reload();
      await page.getByRole("button", { name: "Log out" }).waitFor();
      await waitUntil(async () => (await lightness()) < 0.5 || `lightness ${await lightness()}`,
        "the dark theme to survive a reload");
    });
  });

test("the console follows the system's dark preference", { timeout: kTestTimeoutMs }, async () => {
  await withConsole(demo, { name: "prefers-dark", colorScheme: "dark" }, async (c) => {
    await c.page.goto("/");
    await c.page.getByRole("button", { name: "Log in" }).waitFor();
    const l = await c.backgroundLightness();
    assert.ok(l < 0.5, `prefers-color-scheme: dark gives a light background (lightness ${l})`);
  });
});
