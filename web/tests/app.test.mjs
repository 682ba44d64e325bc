// Browser tests: `corridor serve` and the HTML report in Debian's headless Chromium, driven by
// playwright-core. run.sh starts the server and sets CORRIDOR_URL, CORRIDOR_REPORT, SCREENSHOT_DIR and
// CORRIDOR_BIN (the `corridor` binary, to compare the app with the command line).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, mkdirSync, writeFileSync, readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const url = process.env.CORRIDOR_URL;
const report = process.env.CORRIDOR_REPORT;
const shots = process.env.SCREENSHOT_DIR || "out";
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const corridorBin = process.env.CORRIDOR_BIN;
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
  // The panel opens at once and fills in when the link's record arrives.
  await details.locator("h3").waitFor();
  assert.match(await details.textContent(), /Baku-Tbilisi-Ceyhan pipeline/);
  assert.match(await details.textContent(), /bp-btc/);
  assert.deepEqual(problems, []);
  await page.close();
});

/** The number in the element `selector` (waits for it). */
async function number(page, selector) {
  const text = await page.locator(selector).first().textContent();
  const value = Number.parseFloat(text);
  assert.ok(Number.isFinite(value), `${selector}: a number, got ${text}`);
  return value;
}

/** Waits until the element `selector` no longer reads `old`. */
async function changed(page, selector, old) {
  await page.waitForFunction(
    ([sel, before]) => {
      const el = document.querySelector(sel);
      return el && el.textContent !== before;
    },
    [selector, old],
  );
  return page.locator(selector).first().textContent();
}

test("after a re-solve the open link panel shows the new flow, like every other panel", async () => {
  const { page, problems } = await openPage();
  await page.goto(url);
  await page.locator("#bypass-capacity").waitFor();
  await page.locator('input[name=view][value="bypass"]').check();
  await page.locator('label[for="lt-btc"]').dblclick();
  const flow = page.locator("#details [data-flow]");
  await flow.waitFor();
  const before = await flow.textContent();
  assert.match(before, /crude 7\.50 Mt\/y/, "BTC carries the whole bypass");
  const capacityBefore = await capacity(page);

  await page.locator('input[data-link-toggle="aktau-baku-tanker"]').uncheck();
  const after = await changed(page, "#details [data-flow]", before);
  assert.doesNotMatch(after, /7\.50/, `the open panel was re-drawn from the new answer: ${after}`);
  assert.match(await page.locator("#details h3").textContent(), /Baku-Tbilisi-Ceyhan/, "the same panel is still open");
  assert.ok(await capacity(page) < capacityBefore, "the headline bypass capacity changed with it");
  assert.match(await page.locator("#out-summary").textContent(), /links out: Aktau/);
  // Switching view re-draws the open panel from the same answer, without a re-solve.
  await page.locator('input[name=view][value="allocation"]').check();
  assert.match(await page.locator("#details th", { hasText: "flow (" }).textContent(), /allocation/);

  // A node panel follows the answer in the same way.
  await page.locator('label[for="nt-sangachal"]').dblclick();
  await page.locator('#details[data-kind="node"]').waitFor();
  const row = page.locator('#details tr[data-link="btc"] [data-flow]');
  const nodeBefore = await row.textContent();
  await page.locator('input[data-link-toggle="aktau-baku-tanker"]').check();
  assert.notEqual(await changed(page, '#details tr[data-link="btc"] [data-flow]', nodeBefore), nodeBefore);
  assert.deepEqual(problems, []);
  await page.close();
});

/** `corridor allocate` (the CLI) on kazakh-crude-2024 with `policy` as its [policy] table: delivered
 * crude (Mt/y) and the transport cost (MUSD/y). */
function cliAllocate(policy) {
  const dir = mkdtempSync(join(tmpdir(), "corridor-policy-"));
  try {
    const file = join(dir, "policy.toml");
    writeFileSync(file, `[scenario]\nname = "policy-test"\nextends = "kazakh-crude-2024"\n` +
      `description = "kazakh-crude-2024 under a bloc policy"\n\n[policy]\n${policy}\n`);
    const a = JSON.parse(execFileSync(corridorBin, ["allocate", file, "--format", "json", "-q"], { cwd: dir, encoding: "utf8" }));
    return { delivered: a.totals[0].delivered, cost: a.transport_cost_usd / 1e6 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("bloc policies give the allocation corridor allocate gives", { skip: !corridorBin }, async () => {
  const { page, problems } = await openPage();
  await page.goto(url);
  await page.locator("#bypass-capacity").waitFor();
  const bypass = await capacity(page);
  const base = { delivered: await number(page, '[data-delivered="crude"]'), cost: await number(page, "#transport-cost") };

  // Only via the Organization of Turkic States, also via the EU and Georgia (ots-2030's policy).
  const only = cliAllocate('only_via_bloc = "OTS"\nalso_via = ["EU", "GE"]');
  await page.locator("#only-via").selectOption("OTS");
  await page.locator('[data-bloc-also="EU"]').check();
  await page.locator("#also-via-countries").fill("GE");
  await page.locator("#also-via-countries").press("Enter");
  await page.locator("#also-via-countries").blur();
  await page.waitForFunction(() => /also via EU, GE/.test(document.querySelector("#out-summary").textContent));
  assert.equal(await number(page, '[data-delivered="crude"]'), Number(only.delivered.toFixed(2)));
  assert.equal(await number(page, "#transport-cost"), Number(only.cost.toFixed(1)));
  assert.ok(only.delivered < base.delivered - 1, `the policy strands crude: ${only.delivered}`);
  assert.equal(await capacity(page), bypass, "the bypass question is not bound by the allocation's policy");

  // Avoiding the EU instead: everything is delivered, by other routes at another cost.
  const avoid = cliAllocate('avoid_blocs = ["EU"]');
  await page.locator("#only-via").selectOption("");
  await page.locator('[data-bloc-avoid="EU"]').check();
  await page.waitForFunction(() => /avoids blocs: EU/.test(document.querySelector("#out-summary").textContent)
    && !/only via/.test(document.querySelector("#out-summary").textContent));
  assert.equal(await number(page, '[data-delivered="crude"]'), Number(avoid.delivered.toFixed(2)));
  assert.equal(await number(page, "#transport-cost"), Number(avoid.cost.toFixed(1)));
  assert.notEqual(avoid.cost.toFixed(1), base.cost.toFixed(1));
  assert.deepEqual(problems, []);
  await page.close();
});

test("closing the Turkish Straits changes the answer and is listed as out", async () => {
  const { page, problems } = await openPage();
  await page.goto(url);
  await page.locator("#bypass-capacity").waitFor();
  const before = await page.locator('[data-delivered="crude"]').textContent();
  await page.locator('input[data-chokepoint-toggle="turkish-straits"]').uncheck();
  const after = Number.parseFloat(await changed(page, '[data-delivered="crude"]', before));
  assert.ok(after < Number.parseFloat(before) - 1, `less crude delivered: ${before} → ${after}`);
  assert.match(await page.locator("#out-summary").textContent(), /chokepoints out: Turkish Straits/);
  assert.match(await page.locator('#map g.link[data-link="cpc-terminal-tankers"]').getAttribute("class"), /\boff\b/);
  await page.screenshot({ path: join(shots, "app-straits.png") });
  // Reset puts everything back.
  await page.locator("#reset").click();
  await page.waitForFunction((old) => document.querySelector('[data-delivered="crude"]').textContent === old, before);
  assert.equal(await page.locator('input[data-chokepoint-toggle="turkish-straits"]').isChecked(), true);
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

test("the report's first map labels Aktau, Baku and Ceyhan, and no two labels overlap", { skip: !report }, async () => {
  const { page, problems } = await openPage();
  await page.goto(pathToFileURL(resolve(report)).href);
  const map = page.locator("svg.corridor-map").first();
  const labels = await map.evaluate((svg) =>
    [...svg.querySelectorAll("text.node-label, text.country-label, text.chokepoint-label")].map((t) => {
      const b = t.getBBox();
      return { text: t.textContent, x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height };
    }),
  );
  const names = labels.map((l) => l.text);
  for (const place of ["Aktau", "Baku", "Ceyhan"]) assert.ok(names.includes(place), `${place} in ${names}`);
  const frame = await map.evaluate((svg) => {
    const rect = svg.querySelector("clipPath rect");
    return { width: Number(rect.getAttribute("width")), height: Number(rect.getAttribute("height")) };
  });
  for (const [i, a] of labels.entries()) {
    assert.ok(a.x0 >= 0 && a.x1 <= frame.width && a.y0 >= 0 && a.y1 <= frame.height, `${a.text} is clipped: ${JSON.stringify(a)} in ${frame.width} x ${frame.height}`);
    for (const b of labels.slice(i + 1)) {
      const overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
      assert.ok(!overlap, `"${a.text}" overlaps "${b.text}"`);
    }
  }
  // The charts analysts expect: a pathway chart with the bypass line, percentile markers on the risk chart.
  assert.ok(await page.locator("svg.stacked").count() >= 1, "a pathway chart");
  assert.ok(await page.locator("svg.stacked polyline.line").count() >= 1, "the bypass capacity line");
  assert.ok(await page.locator("svg.histogram line.marker").count() >= 2, "percentile markers");
  assert.deepEqual(problems, []);
  await page.close();
});

test("corridor report --pdf prints at most 8 A4 pages, the first not blank", { skip: !corridorBin }, () => {
  const dir = mkdtempSync(join(tmpdir(), "corridor-pdf-"));
  try {
    const pdf = join(dir, "report.pdf");
    execFileSync(corridorBin, ["report", "--pdf", pdf, "-q", "--no-progress"], {
      cwd: dir,
      env: { ...process.env, CORRIDOR_CHROMIUM: chromiumPath },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    assert.ok(pages >= 2 && pages <= 8, `${pages} pages`);
    assert.match(info, /Page size:.*\(A4\)/, "A4");
    // Page 1 as a grey image: at least 8 % of it is ink, not paper.
    execFileSync("pdftoppm", ["-r", "30", "-gray", "-f", "1", "-l", "1", pdf, join(dir, "p")]);
    const image = readdirSync(dir).find((f) => /^p-0*1\.pgm$/.test(f));
    assert.ok(image, "pdftoppm rendered page 1");
    const pgm = readFileSync(join(dir, image));
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString("latin1"));
    assert.ok(header, "a PGM image");
    const pixels = pgm.subarray(header[0].length);
    let ink = 0;
    for (const v of pixels) if (v < 235) ink += 1;
    assert.ok(ink / pixels.length > 0.08, `page 1 is ${((ink / pixels.length) * 100).toFixed(1)} % ink`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
