// Browser tests: `corridor serve` and the HTML report in Debian's headless Chromium, driven by
// playwright-core. run.sh starts the server and sets CORRIDOR_URL, CORRIDOR_REPORT and SCREENSHOT_DIR.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const url = process.env.CORRIDOR_URL;
const report = process.env.CORRIDOR_REPORT;
const shots = process.env.SCREENSHOT_DIR || "out";
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
assert.ok(url, "CORRIDOR_URL is set by run.sh");

// The flags this machine needs: no sandbox as root, no GPU, and no background traffic to the closed
// network. A fresh, throw-away profile for every run.
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
let profile;
let context;

before(async () => {
  mkdirSync(shots, { recursive: true });
  profile = mkdtempSync(join(tmpdir(), "corridor-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 900 },
  });
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** A page that records script errors and failed requests. */
async function openPage() {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  return { page, problems };
}

async function capacity(page) {
  const text = await page.locator("#bypass-capacity").textContent();
  const value = Number.parseFloat(text);
  assert.ok(Number.isFinite(value), `a number, got ${text}`);
  return value;
}

test("the app draws the map and the bypass capacity", async () => {
  const { page, problems } = await openPage();
  await page.goto(url);
  await page.locator("#bypass-capacity").waitFor();
  assert.equal(await capacity(page), 7.5);
  assert.ok(await page.locator('#map g.link[data-link="btc"]').count() === 1, "BTC is on the map");
  assert.ok(await page.locator('#map path.country[data-country="AZ"]').count() === 1, "country outlines");
  assert.match(await page.locator("#bypass").textContent(), /Aktau port oil berths/);
  assert.match(await page.locator("#timing").textContent(), /re-solved in [0-9.]+ ms/);
  await page.screenshot({ path: join(shots, "app.png") });
  assert.deepEqual(problems, []);
  await page.close();
});

test("taking a link out of service changes the displayed capacity", async () => {
  const { page, problems } = await openPage();
  await page.goto(url);
  await page.locator("#bypass-capacity").waitFor();
  const before = await capacity(page);
  await page.locator('input[data-link-toggle="aktau-baku-tanker"]').uncheck();
  await page.waitForFunction(
    (old) => {
      const el = document.querySelector("#bypass-capacity");
      return el && Number.parseFloat(el.textContent) !== old;
    },
    before,
  );
  const after = await capacity(page);
  assert.ok(after < before, `the bypass shrinks: ${before} → ${after}`);
  assert.match(await page.locator('#map g.link[data-link="aktau-baku-tanker"]').getAttribute("class"), /\boff\b/);
  // And back in service, the capacity returns.
  await page.locator('input[data-link-toggle="aktau-baku-tanker"]').check();
  await page.waitForFunction(
    (old) => Number.parseFloat(document.querySelector("#bypass-capacity").textContent) === old,
    before,
  );
  assert.deepEqual(problems, []);
  await page.close();
});

test("a whole country out, and the bypass view", async () => {
  const { page, problems } = await openPage();
  await page.goto(url);
  await page.locator("#bypass-capacity").waitFor();
  await page.locator('input[data-country-off="AZ"]').check();
  await page.waitForFunction(() => Number.parseFloat(document.querySelector("#bypass-capacity").textContent) === 0);
  await page.locator('input[data-country-off="AZ"]').uncheck();
  await page.waitForFunction(() => Number.parseFloat(document.querySelector("#bypass-capacity").textContent) === 7.5);
  await page.locator('input[name=view][value="bypass"]').check();
  const halo = page.locator('#map g.link[data-link="aktau-baku-tanker"] .halo');
  assert.equal(await halo.getAttribute("display"), null, "the bottleneck is highlighted in the bypass view");
  await page.screenshot({ path: join("out", "app-bypass.png") });
  assert.deepEqual(problems, []);
  await page.close();
});

test("clicking a link shows its data and sources", async () => {
  const { page, problems } = await openPage();
  await page.goto(url);
  await page.locator("#bypass-capacity").waitFor();
  // A real click on a point half-way along BTC's course (in Türkiye, where no other line runs).
  const point = await page.evaluate(() => {
    const path = document.querySelector('#map g.link[data-link="btc"] path.hit');
    const p = path.getPointAtLength(path.getTotalLength() * 0.6);
    const m = path.getScreenCTM();
    return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f };
  });
  await page.mouse.click(point.x, point.y);
  const details = page.locator("#details");
  await details.waitFor({ state: "visible" });
  assert.match(await details.textContent(), /Baku-Tbilisi-Ceyhan pipeline/);
  assert.match(await details.textContent(), /bp-btc/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the report opens offline and fetches nothing", { skip: !report }, async () => {
  const { page, problems } = await openPage();
  const fetched = [];
  await page.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith("file:")) return route.continue();
    fetched.push(u);
    return route.abort();
  });
  await page.goto(pathToFileURL(resolve(report)).href);
  assert.match(await page.locator("h1").textContent(), /Corridor report/);
  assert.ok(await page.locator("svg.corridor-map").count() >= 2, "maps");
  assert.ok(await page.locator("svg.sankey").count() >= 1, "a Sankey");
  assert.deepEqual(fetched, [], "no network request");
  await page.setViewportSize({ width: 1200, height: 1500 });
  await page.screenshot({ path: join(shots, "report.png") });
  assert.deepEqual(problems, []);
  await page.close();
});
