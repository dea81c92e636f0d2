// The on-call pages as a user sees them: who is on call now, a schedule's timeline, creating and
// deleting an override (with the server's field errors and an overlap), what a viewer may not
// do, a person's shifts and calendar feed (and revoking it), and the on-call health report.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startDemo, step, waitUntil, withConsole } from "./harness.mjs";

let demo;
before(async () => { demo = await startDemo(); });
after(async () => { await demo?.stop(); });

const kTestTimeoutMs = 120_000;
// The demo's follow-the-sun schedule: UTC, one layer per region.
const kFollowTheSun = "incident-commander";
const kFollowTheSunTitle = "Incident commander (follow the sun)";

/// The participants of a schedule, from the API.
async function participants(page, schedule) {
  const doc = await (await page.request.get(`/api/v1/schedules/${schedule}`)).json();
  return new Set(doc.spec.layers.flatMap((l) => l.participants));
}

/// "2026-11-23T10:00": a datetime-local value `days` days from today (UTC) at `hour`:00.
function utcInput(days, hour) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString().slice(0, 16);
}

test("admin sees who is on call now per team and opens the follow-the-sun schedule's timeline",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "oncall-now" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      await step("logging in as admin", () => c.login("admin"));

      await step("opening On call from the navigation", async () => {
        await page.getByRole("navigation", { name: "Main" })
          .getByRole("link", { name: "On call", exact: true }).click();
        await page.waitForURL(/\/oncall$/);
        await c.expectHeading("On call");
      });

      const row = main.getByTestId("oncall-now").locator(`tr[data-schedule="${kFollowTheSun}"]`);
      await step("reading who is on call for the follow-the-sun schedule", async () => {
        const who = row.getByTestId("on-call-person").locator('a[href^="/people/"]');
        await who.waitFor();
        const person = decodeURIComponent((await who.getAttribute("href")).split("/").pop());
        const expected = await participants(page, kFollowTheSun);
        assert.ok(expected.has(person), `${person} is on call but not on ${kFollowTheSun}`);
        // Grouped by team: the schedule sits under its team, platform.
        await main.getByTestId("oncall-now").locator('tbody[data-team="platform"]')
          .locator(`tr[data-schedule="${kFollowTheSun}"]`).waitFor();
        // Every team of the demo has someone on call.
        const teams = await main.getByTestId("oncall-now").locator("tbody[data-team]").count();
        assert.equal(teams, 6, "teams in the On call table");
      });

      await step("opening the schedule", async () => {
        await row.getByRole("link", { name: kFollowTheSunTitle }).click();
        await page.waitForURL(new RegExp(`/schedules/${kFollowTheSun}$`));
        await c.expectHeading(kFollowTheSunTitle);
      });

      const timeline = main.getByTestId("timeline");
      await step("reading the timeline: a row per layer and the final schedule", async () => {
        for (const name of ["apac", "europe", "americas", "final"]) {
          await timeline.locator(`[data-row="${name}"]`).waitFor();
        }
        const final = timeline.locator('[data-row="final"] .tl-shift');
        await waitUntil(async () => (await final.count()) >= 7 || await final.count(),
          "a week of follow-the-sun shifts in the final row");
        // Three regions of eight hours cover the day: no gaps.
        assert.equal(await timeline.locator('[data-row="final"] .tl-gap').count(), 0,
          "gaps in the follow-the-sun schedule");
        // The current time is a line on the timeline.
        assert.ok(await timeline.locator(".tl-now").count() > 0, "no line at the current time");
      });

      await step("moving to the next week and back to today", async () => {
        const range = main.locator(".tl-range");
        const before = await range.innerText();
        await main.getByRole("button", { name: "Next 7 days" }).click();
        await waitUntil(async () => (await range.innerText()) !== before || before, "the range to move");
        assert.equal(await timeline.locator(".tl-now").count(), 0, "a now line next week");
        await main.getByRole("button", { name: "Today", exact: true }).click();
        await waitUntil(async () => (await range.innerText()) === before || await range.innerText(),
          "the range to return to this week");
      });
    });
  });

test("admin creates an override for a slot, sees it in the final row and the list, and deletes it",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "oncall-override" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      c.allowErrors.push(/status of (400|409) .*\/api\/v1\/schedules\/[\w-]+\/overrides$/);
      await c.login("admin");
      await page.goto(`/schedules/${kFollowTheSun}`);
      await c.expectHeading(kFollowTheSunTitle);
      const form = main.getByRole("form", { name: "Create override" });
      await form.waitFor();

      await step("saving an override that ends before it starts", async () => {
        await form.getByLabel("Person").selectOption("ines.petrova");
        await form.getByLabel("Start").fill(utcInput(1, 14));
        await form.getByLabel("End").fill(utcInput(1, 10));
        await form.getByRole("button", { name: "Create override" }).click();
        await waitUntil(async () =>
          (await form.getByLabel("End").getAttribute("aria-invalid")) === "true" ||
          await form.innerText(), "the End field to be marked invalid");
        await form.getByText(/after start/).first().waitFor();
      });

      const final = main.getByTestId("timeline").locator('[data-row="final"]');
      await step("picking a slot on the timeline and creating the override", async () => {
        // A future shift of the final row fills in the form's start and end.
        const slot = final.locator("button.tl-shift").nth(3);
        const start = await slot.getAttribute("data-start");
        await slot.click();
        await waitUntil(async () => (await form.getByLabel("Start").inputValue()) === start.slice(0, 16) ||
          await form.getByLabel("Start").inputValue(), "the slot's start in the form");
        await form.getByLabel("Person").selectOption("ines.petrova");
        await form.getByLabel("Reason").fill("covering in a browser test");
        await form.getByRole("button", { name: "Create override" }).click();
        await main.getByRole("status").getByText(/Override created/).waitFor();
        await final.locator('[data-source="override"][data-person="ines.petrova"]').first().waitFor();
        const list = main.getByTestId("overrides-table");
        await list.getByRole("row").filter({ hasText: "covering in a browser test" })
          .filter({ hasText: "Ines Petrova" }).waitFor();
      });

      await step("creating an overlapping override", async () => {
        const override = final.locator('[data-source="override"]').first();
        const start = await override.getAttribute("data-start");
        await override.click();
        await form.getByLabel("Person").selectOption("kavya.iyer");
        await form.getByRole("button", { name: "Create override" }).click();
        await form.getByRole("alert").getByText(/overlaps/).waitFor();
        const { items } = await (await page.request.get(`/api/v1/schedules/${kFollowTheSun}/overrides`)).json();
        assert.deepEqual(items.map((o) => [o.person, o.start]), [["ines.petrova", start]]);
      });

      await step("deleting the override", async () => {
        await main.getByRole("button", { name: /^Delete the override for Ines Petrova/ }).click();
        await main.getByRole("status").getByText(/Override deleted/).waitFor();
        await main.getByTestId("no-overrides").waitFor();
        await waitUntil(async () => (await final.locator('[data-source="override"]').count()) === 0,
          "the override to leave the final row");
      });
    });
  });

test("a viewer sees a schedule read-only and the server refuses the viewer's override",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "oncall-viewer" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      await c.login("viewer");
      await page.goto(`/schedules/${kFollowTheSun}`);
      await c.expectHeading(kFollowTheSunTitle);

      await step("looking for the override form", async () => {
        await main.getByTestId("override-read-only").waitFor();
        await main.getByTestId("timeline").locator('[data-row="final"] .tl-shift').first().waitFor();
        assert.equal(await main.getByRole("form", { name: "Create override" }).count(), 0);
        assert.equal(await main.getByRole("button", { name: /^Override:/ }).count(), 0,
          "a viewer can pick timeline slots to override");
      });

      await step("posting an override with the viewer's session", async () => {
        const { csrf_token: csrf } = await (await page.request.get("/api/v1/session")).json();
        const post = await page.request.post(`/api/v1/schedules/${kFollowTheSun}/overrides`, {
          data: { person: "ines.petrova", start: `${utcInput(2, 9)}:00Z`, end: `${utcInput(2, 12)}:00Z` },
          headers: { "X-CSRF-Token": csrf },
        });
        const body = await post.text();
        assert.equal(post.status(), 403, body);
        assert.match(JSON.parse(body).detail, /lacks/, body);
      });
    });
  });

test("a person's upcoming shifts in local time, with a calendar feed to subscribe to",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "oncall-my-shifts" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      await c.login("admin");
      await page.goto("/oncall");
      await c.expectHeading("On call");

      const who = main.getByTestId("oncall-now").locator(`tr[data-schedule="${kFollowTheSun}"]`)
        .getByTestId("on-call-person").locator('a[href^="/people/"]');
      await who.waitFor();
      const person = decodeURIComponent((await who.getAttribute("href")).split("/").pop());

      await step(`choosing ${person}, who is on call now`, async () => {
        await main.getByLabel("Person", { exact: true }).selectOption(person);
        const shifts = main.getByTestId("my-shifts");
        await shifts.getByRole("row").filter({ has: page.locator(`a[href="/schedules/${kFollowTheSun}"]`) })
          .filter({ hasText: "now" }).first().waitFor();
      });

      await step("getting the calendar feed", async () => {
        await main.getByRole("button", { name: "Get calendar feed" }).click();
        const url = await main.getByTestId("calendar-feed").getByRole("textbox").inputValue();
        assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/ical\/\w+\.ics$/);
        const feed = await page.request.get(url);
        assert.equal(feed.status(), 200);
        assert.match(feed.headers()["content-type"], /^text\/calendar/);
        assert.match(await feed.text(), /^BEGIN:VCALENDAR/);
      });

      await step("revoking the calendar feed", async () => {
        const url = await main.getByTestId("calendar-feed").getByRole("textbox").inputValue();
        await main.getByRole("button", { name: "Revoke" }).click();
        await main.getByRole("status").getByText(/Revoked/).waitFor();
        assert.equal((await page.request.get(url)).status(), 404, "a revoked feed still answers");
      });
    });
  });

test("the on-call health report shows hours per person and who is over the policy",
  { timeout: kTestTimeoutMs }, async () => {
    await withConsole(demo, { name: "oncall-report" }, async (c) => {
      const page = c.page;
      const main = page.getByRole("main");
      await c.login("admin");
      await page.goto("/oncall");
      await main.getByRole("link", { name: "On-call health" }).click();
      await page.waitForURL(/\/oncall\/report$/);
      await c.expectHeading("On-call health");
      await step("reading the people table and the chart", async () => {
        const people = main.getByTestId("report-people");
        await people.locator('tr[data-person="victor.nair"]').waitFor();
        assert.ok(await people.locator("tbody tr").count() >= 20, "people in the report");
        await main.getByRole("img", { name: /^Hours on call per person/ }).waitFor();
        await main.getByTestId("report-schedules").getByRole("link", { name: kFollowTheSun }).waitFor();
      });
      await step("allowing more weeks on call", async () => {
        const over = main.getByTestId("report-people").locator("tr.over-policy");
        const before = await over.count();
        assert.ok(before > 0, "nobody over the default policy");
        await main.getByLabel("Weeks on call allowed").selectOption("9");
        await waitUntil(async () => (await over.count()) < before || await over.count(),
          `fewer than ${before} people over a policy of 9 weeks`);
      });
    });
  });

test("a service page names who is on call for its owning team", { timeout: kTestTimeoutMs },
  async () => {
    await withConsole(demo, { name: "oncall-service" }, async (c) => {
      const page = c.page;
      await c.login("viewer");
      await page.goto("/services/ledger");
      await c.expectHeading("ledger");
      const fact = page.getByRole("main").getByTestId("owner-on-call");
      await fact.locator('a[href^="/people/"]').first().waitFor();
      await fact.getByRole("link", { name: "Payments primary" }).click();
      await page.waitForURL(/\/schedules\/payments-primary$/);
      await c.expectHeading("Payments primary");
    });
  });

test("the schedule and On call pages fit a phone screen", { timeout: kTestTimeoutMs }, async () => {
  await withConsole(demo, { name: "oncall-phone", viewport: { width: 390, height: 844 } }, async (c) => {
    const page = c.page;
    await c.login("admin");
    for (const [path, heading] of [[`/schedules/${kFollowTheSun}`, kFollowTheSunTitle], ["/oncall", "On call"],
      ["/oncall/report", "On-call health"]]) {
      await step(`opening ${path} at 390 px`, async () => {
        await page.goto(path);
        await c.expectHeading(heading);
        await page.waitForLoadState("networkidle");
        // The timeline and wide tables scroll inside their boxes; the page itself does not.
        await waitUntil(async () => {
          const [scroll, client] = await page.evaluate(
            () => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
          return scroll <= client || `scrollWidth ${scroll} > clientWidth ${client}`;
        }, `${path} to fit 390 px without horizontal scrolling`, 2_000);
      });
    }
  });
});
