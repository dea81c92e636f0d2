// The browser test harness: a real `plinth demo` on loopback and Debian's Chromium driven by
// playwright-core. Builds nothing: the binary comes from $PLINTH_BIN (default build/plinth).
//
//   const demo = await startDemo();              // in before(); demo.stop() in after()
//   await withConsole(demo, {}, async (c) => {   // a fresh browser profile per call
//     await c.login("admin");
//     ...
//   });                                          // fails on console errors and CSP violations
//
// Every wait is on an element or a condition, never a fixed sleep.

import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const plinthBin = path.resolve(process.env.PLINTH_BIN || path.join(repoRoot, "build/plinth"));
export const screenshotDir = path.resolve(
  process.env.SCREENSHOT_DIR || path.join(repoRoot, "build/screenshots"));
export const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";

// How long a wait for an element or a condition may take before the test fails. Generous because
// `make test` runs the browser next to other suites on a small machine.
export const kTimeoutMs = 15_000;

const kChromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

const kDemoUrl = /^plinth demo is running at (http:\/\/127\.0\.0\.1:\d+)\b/m;
const kDemoLogins = /^ {2}console login {3}admin \/ (\S+) {4}\(read-only: viewer \/ (\S+)\)$/m;
const kServeUrl = /^plinth listening on (http:\/\/127\.0\.0\.1:\d+)$/m;

/// Starts `plinth demo` on a fresh SQLite database in a temporary directory and resolves once its
/// banner has printed the URL and both console logins ("admin", read-write, and "viewer").
/// stop() ends it with SIGTERM and removes the directory.
export async function startDemo() {
  const dir = await makeTempDir();
  return startServer(dir, "plinth demo",
    ["demo", "--db", `sqlite:${dir}/demo.db`, "--listen", "127.0.0.1:0"], (stdout) => {
      const url = kDemoUrl.exec(stdout);
      const login = kDemoLogins.exec(stdout);
      return url && login && { url: url[1], passwords: { admin: login[1], viewer: login[2] } };
    });
}

/// Starts `plinth serve` on a fresh, empty database with one user, "admin": what a new
/// installation looks like before anything is applied.
export async function startEmpty() {
  const dir = await makeTempDir();
  const password = "browser-test-admin-password";
  try {
    await run(plinthBin, ["user", "add", "--role", "admin", "--db", `sqlite:${dir}/empty.db`, "admin"],
      password + "\n");
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return startServer(dir, "plinth serve",
    ["serve", "--db", `sqlite:${dir}/empty.db`, "--listen", "127.0.0.1:0"], (stdout) => {
      const url = kServeUrl.exec(stdout);
      return url && { url: url[1], passwords: { admin: password } };
    });
}

async function makeTempDir() {
  if (!existsSync(plinthBin)) {
    throw new Error(`no plinth binary at ${plinthBin}: build it (make build) or set PLINTH_BIN`);
  }
  return mkdtemp(path.join(tmpdir(), "plinth-browser-"));
}

/// Runs a plinth command to completion with `input` on stdin; rejects with its output if it fails.
export function run(bin, args, input = "") {
  return new Promise((resolve, reject) => {
    const child = execFile(bin, args, { timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(bin)} ${args.join(" ")} failed: ${err.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
    child.stdin.end(input);
  });
}

/// Runs plinth with args, owning dir, until ready(stdout) returns the server's {url, passwords};
/// checks that it serves the console, and returns {url, passwords, dir, output(), stop()}.
async function startServer(dir, what, args, ready) {
  const child = spawn(plinthBin, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s) => { stdout += s; });
  child.stderr.setEncoding("utf8").on("data", (s) => { stderr += s; });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const output = () => `--- stdout ---\n${stdout.slice(-4000)}\n--- stderr ---\n${stderr.slice(-4000)}`;
  const abandon = async (err) => {
    child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
    throw err;
  };

  const server = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(
      `${what} printed no URL and logins within 60 s\n${output()}`)), 60_000);
    const check = () => {
      const value = ready(stdout);
      if (value) finish(null, value);
    };
    const onExit = ({ code, signal }) => finish(new Error(
      `${what} exited early (code ${code}, signal ${signal})\n${output()}`));
    function finish(err, value) {
      clearTimeout(timer);
      child.stdout.off("data", check);
      child.off("exit", onExit);
      if (err) reject(err); else resolve(value);
    }
    child.stdout.on("data", check);
    child.once("exit", onExit);
    child.once("error", (err) => finish(new Error(`cannot run ${plinthBin}: ${err.message}`)));
  }).catch(abandon);

  const index = await fetch(server.url + "/").then((r) => r.text(), (err) => err.message);
  if (!index.includes('<div id="app">')) {
    await abandon(new Error(`${plinthBin} does not serve the console at / ` +
      `(was it built without it? run scripts/build-web, then rebuild):\n${index.slice(0, 400)}`));
  }

  return {
    ...server,
    dir,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        const { code, signal } = await exited;
        clearTimeout(timer);
        if (code !== 0) console.error(`${what} stopped with code ${code}, signal ${signal}\n${output()}`);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/// Opens Chromium with a fresh profile on the demo, runs fn(c) and closes the browser. Fails if the
/// page logged an error, threw, broke its content security policy or got a 5xx, unless the message
/// matches one of c.allowErrors (regular expressions a test adds when it expects an error).
/// options: viewport ({width, height}, default 1280x800), colorScheme ("light" or "dark").
/// On failure a screenshot of the page is saved as $SCREENSHOT_DIR/failed-<name>.png.
export async function withConsole(demo, options, fn) {
  const profile = await mkdtemp(path.join(demo.dir, "chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: kChromiumArgs,
    baseURL: demo.url,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? "light",
    locale: "en-GB",
    timezoneId: "UTC",
  });
  context.setDefaultTimeout(kTimeoutMs);
  const c = new Console(demo, context);
  let failed = true;
  try {
    await c.install();
    await fn(c);
    failed = false;
  } catch (err) {
    if (options.name) await c.saveFailureScreenshot(options.name);
    // Errors the page reported are often the real cause of a timeout: show them too.
    if (c.errors.length) err.message += `\n\nThe page also reported:\n  ${c.errors.join("\n  ")}`;
    throw err;
  } finally {
    await context.close();
  }
  if (!failed) c.assertNoPageErrors();
}

/// One browser (a persistent context with its own profile) on the demo, and what its pages
/// reported.
class Console {
  constructor(demo, context) {
    this.demo = demo;
    this.context = context;
    this.errors = [];
    // A console that is not logged in asks who it is and is told 401: that is how it finds out.
    this.allowErrors = [/^Failed to load resource: the server responded with a status of 401 .*\/api\/v1\/session$/];
  }

  get page() { return this.context.pages()[0]; }

  async install() {
    await this.context.exposeBinding("__plinthCspViolation", (_source, v) => {
      this.errors.push(`CSP violation: ${v.directive} blocked ${v.blocked || "inline code"}` +
        ` at ${v.source}:${v.line}`);
    });
    await this.context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        window.__plinthCspViolation({ directive: e.violatedDirective, blocked: e.blockedURI,
          source: e.sourceFile, line: e.lineNumber });
      });
    });
    const watch = (page) => {
      page.on("console", (msg) => {
        if (msg.type() !== "error") return;
        const text = `${msg.text()} ${msg.location().url ?? ""}`.trim();
        this.report(`console error: ${text}`, text);
      });
      page.on("pageerror", (err) => this.report(`uncaught exception: ${err.stack || err}`, String(err)));
      page.on("response", (r) => {
        if (r.status() >= 500) this.report(`server error: ${r.status()} for ${r.request().method()} ${r.url()}`, "");
      });
    };
    this.context.pages().forEach(watch);
    this.context.on("page", watch);
  }

  report(message, text) {
    if (text && this.allowErrors.some((re) => re.test(text))) return;
    this.errors.push(message);
  }

  assertNoPageErrors() {
    assert.deepEqual(this.errors, [], `the page reported errors:\n  ${this.errors.join("\n  ")}`);
  }

  async saveFailureScreenshot(name) {
    try {
      await mkdir(screenshotDir, { recursive: true });
      const file = path.join(screenshotDir, `failed-${name.replace(/[^\w-]+/g, "-")}.png`);
      await this.page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
      console.error(`screenshot of the failed page: ${file}`);
    } catch {
      // The browser may be gone; the test's own error says more.
    }
  }

  /// Logs in through the form as "admin" or "viewer" and waits for the console behind it.
  async login(user) {
    const page = this.page;
    if (!page.url().startsWith(this.demo.url)) await page.goto("/");
    await page.getByLabel("User").fill(user);
    await page.getByLabel("Password").fill(this.demo.passwords[user]);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("button", { name: "Log out" }).waitFor();
  }

  /// Waits until the page's main content has a fact (a <dt> and its <dd>) labelled `label` that
  /// reads `value`.
  async expectFact(label, value) {
    const dd = this.page.getByRole("main")
      .locator(`xpath=.//dt[normalize-space()="${label}"]/following-sibling::dd[1]`);
    await waitUntil(async () => {
      const got = (await dd.allInnerTexts()).map((s) => s.trim());
      return got.includes(value) || got;
    }, `the page to show ${label}: ${value}`);
  }

  /// The relative luminance (0 black, 1 white) of the page background: tells the themes apart.
  async backgroundLightness() {
    return this.page.evaluate(() => {
      for (const el of [document.body, document.documentElement]) {
        const [r, g, b, a = 1] = getComputedStyle(el).backgroundColor.match(/[\d.]+/g).map(Number);
        if (a > 0) return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      }
      return 1;  // nothing painted: the browser's white canvas
    });
  }

  /// Waits until the page's h1 reads `text` (a string for equality or a RegExp).
  async expectHeading(text) {
    const h1 = this.page.getByRole("heading", { level: 1 });
    await waitUntil(async () => {
      const got = (await h1.allTextContents()).map((s) => s.trim());
      return got.length === 1 && (text instanceof RegExp ? text.test(got[0]) : got[0] === text) ? true : got;
    }, `the page heading (h1) to read ${JSON.stringify(String(text))}`);
  }
}

/// Polls fn until it returns true; otherwise fails after kTimeoutMs saying what it waited for and
/// the last value fn returned.
export async function waitUntil(fn, what, timeoutMs = kTimeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    try {
      last = await fn();
      if (last === true) return;
    } catch (err) {
      last = err.message;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

/// Runs fn and prefixes any failure with what the test was doing, so a timeout reads as a story.
export async function step(what, fn) {
  try {
    return await fn();
  } catch (err) {
    const message = `while ${what}: ${err.message}`;
    if (typeof err.stack === "string") err.stack = err.stack.replace(err.message, message);
    err.message = message;
    throw err;
  }
}
