// corridor web app: one page, no dependencies. The server draws the map (SVG) once per scenario and
// answers every change with POST /api/solve; this script restyles the links and fills the panels.
//
// One state, one way to draw it: every control edits the question (`state.ask`) and asks for a
// re-solve; the answer replaces `state.answer`; then `render()` redraws *every* panel — headline
// figures, tables, the "what is out" summary, the open link or node panel, the map — from that one
// answer. No panel keeps figures of its own, so none can show a stale solve.
"use strict";

const $ = (sel) => document.querySelector(sel);

/** The question as the user has set it; what `solve()` sends. */
function emptyAsk(scenario) {
  const own = (scenario && scenario.policy) || { avoid_blocs: [], only_via_bloc: null, also_via: [] };
  return {
    off: { links: new Set(), nodes: new Set(), countries: new Set(), chokepoints: new Set() },
    avoid: new Set(),
    bypassAvoid: new Set(["RU", "CN"]),
    // The scenario's own bloc policy is where the controls start; the request always states it in full.
    policy: { avoidBlocs: new Set(own.avoid_blocs), onlyVia: own.only_via_bloc || "", alsoVia: new Set(own.also_via) },
  };
}

const state = {
  scenarios: [],
  dataset: null,
  scenario: null,
  ask: emptyAsk(null),
  /** Which result the map and the panels show: "allocation" or "bypass" (no re-solve needed). */
  view: "allocation",
  /** The open detail panel: `{ kind: "link" | "node", id }` or null. */
  selected: null,
  /** The latest answer of POST /api/solve: the one source of every figure drawn. */
  answer: null,
  /** Why the latest solve failed (the figures drawn are then those of the answer before). */
  error: null,
  /** Link records from GET /api/links/{id}: data and sources, which no solve changes. */
  linkInfo: new Map(),
  /** Link records being fetched, so that a render while one is on its way does not ask again. */
  linkLoading: new Set(),
  pending: 0,
};

function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}
function fmt(v) {
  if (!Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
}
function status(text, error = false) {
  const el = $("#status");
  el.textContent = text;
  el.classList.toggle("error", error);
}

async function api(path, options) {
  const response = await fetch(path, options);
  if (!response.ok) {
    let message = response.statusText;
    try { message = (await response.json()).error.message; } catch (_) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

function scenarioInfo() {
  return state.scenarios.find((s) => s.name === state.scenario);
}
function chokepoint(id) {
  return state.dataset.chokepoints.find((k) => k.id === id);
}
function linkName(id) {
  const l = state.dataset.links.find((x) => x.id === id);
  return l ? l.name : id;
}
function nodeName(id) {
  const n = state.dataset.nodes.find((x) => x.id === id);
  return n ? n.name : id;
}
/** The per-link styles and flows of the current view in the latest answer. */
function linkViews() {
  const a = state.answer;
  if (!a) return {};
  return state.view === "bypass" ? a.bypass_links : a.allocation_links;
}

async function init() {
  try {
    [state.scenarios, state.dataset] = await Promise.all([
      api("/api/scenarios").then((r) => r.json()),
      api("/api/dataset").then((r) => r.json()),
    ]);
  } catch (e) {
    status("cannot load: " + e.message, true);
    return;
  }
  const select = $("#scenario");
  for (const s of state.scenarios) {
    const option = document.createElement("option");
    option.value = s.name;
    option.textContent = s.name;
    select.appendChild(option);
  }
  select.addEventListener("change", () => loadScenario(select.value));
  for (const radio of document.querySelectorAll("input[name=view]")) {
    radio.addEventListener("change", () => { state.view = radio.value; render(); });
  }
  $("#reset").addEventListener("click", () => change(() => { state.ask = emptyAsk(scenarioInfo()); }));
  $("#link-filter").addEventListener("input", (e) => {
    const q = e.target.value.toLowerCase();
    for (const li of document.querySelectorAll("#links li")) {
      li.hidden = q !== "" && !li.textContent.toLowerCase().includes(q);
    }
  });
  $("#map").addEventListener("click", (e) => {
    // A chokepoint marker (drawn with `data-chokepoint`) toggles the strait; a link or node opens its panel.
    const k = e.target.closest("[data-chokepoint]");
    if (k) { toggleOff("chokepoints", k.dataset.chokepoint); return; }
    const g = e.target.closest("g.link");
    if (g) { openPanel("link", g.dataset.link); return; }
    const n = e.target.closest("[data-node]");
    if (n) openPanel("node", n.dataset.node);
  });
  buildPolicyControls();
  await loadScenario(state.scenarios[0].name);
}

async function loadScenario(name) {
  state.scenario = name;
  state.selected = null;
  state.answer = null;
  state.ask = emptyAsk(scenarioInfo());
  const info = scenarioInfo();
  $("#scenario-year").textContent = info ? `year ${info.year} · ${info.commodities.join(", ")}` : "";
  status("drawing map…");
  try {
    const svg = await api("/api/map?scenario=" + encodeURIComponent(name)).then((r) => r.text());
    $("#map").innerHTML = svg;
  } catch (e) {
    status("cannot draw the map: " + e.message, true);
    return;
  }
  buildToggles();
  render();
  await solve();
}

// ---- Controls: built once per scenario; their checked states are drawn from `state.ask` by `syncControls`.

/** Changes the question, shows the change on the controls at once, and re-solves. */
function change(edit) {
  edit();
  syncControls();
  solve();
}
function toggle(set, key, on) {
  if (on) set.add(key); else set.delete(key);
}
function toggleOff(kind, id, off = !state.ask.off[kind].has(id)) {
  change(() => toggle(state.ask.off[kind], id, off));
}

function buildToggles() {
  const info = scenarioInfo();
  const ds = state.dataset;
  const links = new Set(info ? info.links : []);
  const scenarioLinks = ds.links.filter((l) => links.has(l.id));
  const ul = $("#links");
  ul.innerHTML = "";
  for (const l of scenarioLinks) {
    const li = document.createElement("li");
    li.dataset.link = l.id;
    li.innerHTML = `<input type="checkbox" id="lt-${esc(l.id)}" data-link-toggle="${esc(l.id)}">` +
      `<label for="lt-${esc(l.id)}">${esc(l.name)} <span class="mode">${esc(l.mode)} · ${esc(l.countries.join("→"))}</span></label>`;
    li.querySelector("input").addEventListener("change", (e) => toggleOff("links", l.id, !e.target.checked));
    li.querySelector("label").addEventListener("dblclick", () => openPanel("link", l.id));
    ul.appendChild(li);
  }
  const used = new Set();
  for (const l of scenarioLinks) { used.add(l.from); used.add(l.to); }
  const nodes = $("#nodes");
  nodes.innerHTML = "";
  for (const n of ds.nodes.filter((n) => used.has(n.id))) {
    const li = document.createElement("li");
    li.dataset.node = n.id;
    li.innerHTML = `<input type="checkbox" id="nt-${esc(n.id)}" data-node-toggle="${esc(n.id)}">` +
      `<label for="nt-${esc(n.id)}">${esc(n.name)} <span class="mode">${esc(n.kind)}${n.country ? " · " + esc(n.country) : ""}</span></label>`;
    li.querySelector("input").addEventListener("change", (e) => toggleOff("nodes", n.id, !e.target.checked));
    li.querySelector("label").addEventListener("dblclick", () => openPanel("node", n.id));
    nodes.appendChild(li);
  }
  const tbody = $("#countries tbody");
  tbody.innerHTML = "";
  const touched = new Set();
  for (const l of scenarioLinks) l.countries.forEach((c) => touched.add(c));
  for (const c of ds.countries.filter((c) => touched.has(c.code))) {
    const tr = document.createElement("tr");
    tr.innerHTML = `<td>${esc(c.code)} ${esc(c.name)}</td>` +
      `<td><input type="checkbox" data-country-off="${esc(c.code)}" aria-label="${esc(c.name)} out of service"></td>` +
      `<td><input type="checkbox" data-country-avoid="${esc(c.code)}" aria-label="allocation avoids ${esc(c.name)}"></td>` +
      `<td><input type="checkbox" data-country-bypass="${esc(c.code)}" aria-label="bypass avoids ${esc(c.name)}"></td>`;
    tr.querySelector("[data-country-off]").addEventListener("change", (e) => toggleOff("countries", c.code, e.target.checked));
    tr.querySelector("[data-country-avoid]").addEventListener("change", (e) => change(() => toggle(state.ask.avoid, c.code, e.target.checked)));
    tr.querySelector("[data-country-bypass]").addEventListener("change", (e) => change(() => toggle(state.ask.bypassAvoid, c.code, e.target.checked)));
    tbody.appendChild(tr);
  }
  // Only the straits and canals that one of the scenario's legs passes: the others change nothing.
  const chokes = $("#chokepoints");
  chokes.innerHTML = "";
  for (const k of ds.chokepoints.filter((k) => k.links.some((l) => links.has(l)))) {
    const li = document.createElement("li");
    li.dataset.chokepoint = k.id;
    li.innerHTML = `<input type="checkbox" id="kt-${esc(k.id)}" data-chokepoint-toggle="${esc(k.id)}">` +
      `<label for="kt-${esc(k.id)}">${esc(k.name)} <span class="mode">${esc(k.countries.join(", "))} · ${k.links.filter((l) => links.has(l)).length} leg(s)</span></label>`;
    li.querySelector("input").addEventListener("change", (e) => toggleOff("chokepoints", k.id, !e.target.checked));
    chokes.appendChild(li);
  }
  if (!chokes.children.length) chokes.innerHTML = `<li class="muted">no leg of this scenario passes a chokepoint</li>`;
  syncControls();
}

function buildPolicyControls() {
  const blocs = state.dataset.blocs;
  const only = $("#only-via");
  for (const b of blocs) {
    const option = document.createElement("option");
    option.value = b.id;
    option.textContent = `${b.id} — ${b.name}`;
    only.appendChild(option);
  }
  only.addEventListener("change", () => change(() => { state.ask.policy.onlyVia = only.value; }));
  const row = (attr, b) => `<label title="${esc(b.name)}"><input type="checkbox" ${attr}="${esc(b.id)}"> ${esc(b.id)}</label>`;
  $("#avoid-blocs").innerHTML = blocs.map((b) => row("data-bloc-avoid", b)).join(" ");
  $("#also-via-blocs").innerHTML = blocs.map((b) => row("data-bloc-also", b)).join(" ");
  for (const input of document.querySelectorAll("[data-bloc-avoid]")) {
    input.addEventListener("change", () => change(() => toggle(state.ask.policy.avoidBlocs, input.dataset.blocAvoid, input.checked)));
  }
  for (const input of document.querySelectorAll("[data-bloc-also]")) {
    input.addEventListener("change", () => change(() => toggle(state.ask.policy.alsoVia, input.dataset.blocAlso, input.checked)));
  }
  // Countries besides blocs (`also_via = ["EU", "GE"]`): codes, comma-separated; the server checks them.
  $("#also-via-countries").addEventListener("change", (e) => change(() => {
    const p = state.ask.policy;
    for (const x of [...p.alsoVia]) if (!isBloc(x)) p.alsoVia.delete(x);
    for (const code of e.target.value.split(/[\s,]+/).map((s) => s.trim().toUpperCase()).filter(Boolean)) p.alsoVia.add(code);
  }));
}
function isBloc(id) {
  return state.dataset.blocs.some((b) => b.id === id);
}

/** Sets every control from `state.ask`, so that they always say what the next solve will ask. */
function syncControls() {
  const ask = state.ask;
  for (const li of document.querySelectorAll("#links li[data-link]")) {
    const off = ask.off.links.has(li.dataset.link);
    li.classList.toggle("off", off);
    li.querySelector("input").checked = !off;
  }
  for (const li of document.querySelectorAll("#nodes li[data-node]")) {
    const off = ask.off.nodes.has(li.dataset.node);
    li.classList.toggle("off", off);
    li.querySelector("input").checked = !off;
  }
  for (const li of document.querySelectorAll("#chokepoints li[data-chokepoint]")) {
    const off = ask.off.chokepoints.has(li.dataset.chokepoint);
    li.classList.toggle("off", off);
    li.querySelector("input").checked = !off;
  }
  for (const i of document.querySelectorAll("[data-country-off]")) i.checked = ask.off.countries.has(i.dataset.countryOff);
  for (const i of document.querySelectorAll("[data-country-avoid]")) i.checked = ask.avoid.has(i.dataset.countryAvoid);
  for (const i of document.querySelectorAll("[data-country-bypass]")) i.checked = ask.bypassAvoid.has(i.dataset.countryBypass);
  const p = ask.policy;
  $("#only-via").value = p.onlyVia;
  for (const i of document.querySelectorAll("[data-bloc-avoid]")) i.checked = p.avoidBlocs.has(i.dataset.blocAvoid);
  for (const i of document.querySelectorAll("[data-bloc-also]")) {
    i.checked = p.alsoVia.has(i.dataset.blocAlso);
    i.disabled = !p.onlyVia;
  }
  const countries = $("#also-via-countries");
  countries.value = [...p.alsoVia].filter((x) => !isBloc(x)).join(", ");
  countries.disabled = !p.onlyVia;
}

function request() {
  const { off, policy } = state.ask;
  return {
    scenario: state.scenario,
    off: { links: [...off.links], nodes: [...off.nodes], countries: [...off.countries], chokepoints: [...off.chokepoints] },
    avoid: [...state.ask.avoid],
    bypass_avoid: [...state.ask.bypassAvoid],
    policy: {
      avoid_blocs: [...policy.avoidBlocs],
      only_via_bloc: policy.onlyVia || null,
      // `also_via` only widens `only_via_bloc`; without one the server refuses it.
      also_via: policy.onlyVia ? [...policy.alsoVia] : [],
    },
  };
}

async function solve() {
  const ticket = ++state.pending;
  status("solving…");
  const t0 = performance.now();
  let answer;
  try {
    answer = await api("/api/solve", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request()),
    }).then((r) => r.json());
  } catch (e) {
    if (ticket !== state.pending) return;
    state.error = e.message;
    render();
    return;
  }
  if (ticket !== state.pending) return; // a newer change is on its way
  state.answer = answer;
  state.error = null;
  $("#timing").textContent = `re-solved in ${answer.solve_ms.toFixed(1)} ms on the server, ${(performance.now() - t0).toFixed(0)} ms round trip`;
  render();
}

/** Opens the detail panel of a link or a node. */
function openPanel(kind, id) {
  state.selected = { kind, id };
  render();
}

// ---- Rendering: every function below reads `state.answer` (and static data), never a copy of it.

function render() {
  const a = state.answer;
  if (state.error) status("solve failed: " + state.error, true);
  else if (a) status(`solved · ${a.solve_ms.toFixed(1)} ms`);
  $("#results").classList.toggle("stale", Boolean(state.error));
  renderSummary();
  renderBypass();
  renderAllocation();
  renderDetails();
  restyle();
}

/** What the answer on screen was solved with: what is out, what is avoided, the bloc policy. */
function renderSummary() {
  const el = $("#out-summary");
  const a = state.answer;
  if (!a) { el.innerHTML = ""; return; }
  const parts = [];
  const list = (label, items) => { if (items.length) parts.push(`<li><b>${label}</b>: ${items.map(esc).join(", ")}</li>`); };
  list("links out", a.off.links.map(linkName));
  list("nodes out", a.off.nodes.map(nodeName));
  list("countries out", a.off.countries);
  list("chokepoints out", a.off.chokepoints.map((k) => (chokepoint(k) || { name: k }).name));
  list("allocation avoids", a.avoid);
  const p = a.policy;
  list("allocation avoids blocs", p.avoid_blocs);
  if (p.only_via_bloc) list("allocation only via", [p.only_via_bloc + (p.also_via.length ? ` (also via ${p.also_via.join(", ")})` : "")]);
  list("bypass avoids", a.bypass_avoid.length ? a.bypass_avoid : ["nothing"]);
  const out = a.off.links.length + a.off.nodes.length + a.off.countries.length + a.off.chokepoints.length;
  el.innerHTML = (out ? "" : `<li>everything in service</li>`) + parts.join("");
}

function renderBypass() {
  const a = state.answer;
  const bypass = $("#bypass");
  $("#bypass-avoid-list").textContent = a ? a.bypass_avoid.join(", ") || "nothing" : "";
  if (!a) { bypass.innerHTML = `<p class="muted">…</p>`; return; }
  if (a.bypass_error) {
    bypass.innerHTML = `<p class="bad">${esc(a.bypass_error)}</p>`;
    return;
  }
  bypass.innerHTML = a.bypass.map((b, i) => {
    const c = b.capacity;
    const cut = c.cut.map((e) => `${esc(e.name)} <span class="muted">(${fmt(e.capacity)})</span>`).join(", ") || "—";
    const deps = b.dependence.filter((d) => d.share_lost > 0).slice(0, 5)
      .map((d) => `<tr><td>${esc(d.country)} ${esc(d.name)}</td><td class="num">${(d.share_lost * 100).toFixed(0)} %</td></tr>`).join("");
    return `<div class="kpi"><span class="big" ${i === 0 ? 'id="bypass-capacity"' : ""} data-commodity="${esc(c.commodity)}">${fmt(c.capacity)}</span> ${esc(c.unit)} of ${esc(c.commodity)}</div>` +
      `<p class="small">limited by ${cut}</p>` +
      (deps ? `<table><thead><tr><th>without</th><th>lost</th></tr></thead><tbody>${deps}</tbody></table>` : "");
  }).join("") || `<p class="muted">no supply in this scenario</p>`;
}

function renderAllocation() {
  const a = state.answer;
  const alloc = $("#allocation");
  if (!a) { alloc.innerHTML = `<p class="muted">…</p>`; return; }
  if (a.allocation_error || !a.allocation) {
    alloc.innerHTML = `<p class="bad">${esc(a.allocation_error || "no allocation")}</p>`;
    return;
  }
  const al = a.allocation;
  const totals = al.totals.map((t) =>
    `<tr><td>${esc(t.commodity)}</td><td class="num" data-delivered="${esc(t.commodity)}">${fmt(t.delivered)}</td><td class="num ${t.unmet > 5e-4 ? "bad" : ""}" data-unmet="${esc(t.commodity)}">${fmt(t.unmet)}</td><td>${esc(t.unit)}</td></tr>`).join("");
  const shares = al.countries.slice().sort((x, y) => y.share - x.share).slice(0, 8).map((c) =>
    `<tr><td>${esc(c.country)} <span class="muted small">${esc(c.commodity)}</span></td><td><span class="bar" style="width:${Math.round(c.share * 100)}px"></span> ${(c.share * 100).toFixed(1)} %</td></tr>`).join("");
  const binding = al.binding.filter((b) => b.kind === "link" || b.kind === "group").slice(0, 6)
    .map((b) => `<li>${esc(b.kind)} <b>${esc(b.id)}</b> <span class="muted">${fmt(b.shadow_price_usd)} ${esc(b.unit)}</span></li>`).join("");
  alloc.innerHTML =
    `<table><thead><tr><th>commodity</th><th>delivered</th><th>unmet</th><th>unit</th></tr></thead><tbody>${totals}</tbody></table>` +
    `<p class="small">transport cost <b id="transport-cost">${(al.transport_cost_usd / 1e6).toFixed(1)}</b> MUSD/y · solved by ${esc(al.method)}</p>` +
    (shares ? `<h3 class="small muted">transit share by country</h3><table><tbody>${shares}</tbody></table>` : "") +
    (binding ? `<h3 class="small muted">binding capacities</h3><ul class="small">${binding}</ul>` : "");
}

function flowText(view) {
  return view && view.flows.length ? view.flows.map((f) => `${esc(f[0])} ${fmt(f[1])} ${esc(f[2])}`).join(", ") : "none";
}

/** The open link or node panel: static data from the dataset, figures from the latest answer. */
function renderDetails() {
  const d = $("#details");
  const sel = state.selected;
  if (!sel) { d.hidden = true; d.innerHTML = ""; return; }
  d.hidden = false;
  d.dataset.kind = sel.kind;
  d.dataset.id = sel.id;
  if (sel.kind === "link") renderLinkDetails(d, sel.id);
  else renderNodeDetails(d, sel.id);
}

function renderLinkDetails(d, id) {
  const link = state.linkInfo.get(id);
  if (!link) {
    d.innerHTML = `<p class="muted">loading ${esc(id)}…</p>`;
    if (state.linkLoading.has(id)) return;
    state.linkLoading.add(id);
    // The record never changes with a solve: fetch it once; the panel then draws from whatever answer
    // is the latest when it arrives.
    api("/api/links/" + encodeURIComponent(id)).then((r) => r.json())
      .then((info) => { state.linkInfo.set(id, info); renderDetails(); })
      .catch((e) => status(e.message, true))
      .finally(() => state.linkLoading.delete(id));
    return;
  }
  const view = linkViews()[id];
  const off = state.ask.off.links.has(id);
  const sources = link.sources.map((s) =>
    `<li><b>${esc(s.id)}</b> — ${esc(s.publisher)}, <i>${esc(s.title)}</i> (${esc(s.date)}) <a href="${esc(s.url)}" rel="noreferrer">${esc(s.url)}</a></li>`).join("");
  d.innerHTML =
    `<h3>${esc(link.name)}</h3>` +
    `<table><tbody>` +
    `<tr><th>id</th><td>${esc(link.id)}</td></tr>` +
    `<tr><th>from → to</th><td>${esc(link.from.name)} → ${esc(link.to.name)}</td></tr>` +
    `<tr><th>mode</th><td>${esc(link.mode)} (${esc(link.direction)}) · ${esc(link.commodities.join(", "))}</td></tr>` +
    `<tr><th>capacity</th><td>${fmt(link.capacity)} ${esc(link.capacity_unit)}${link.capacity_group ? ` · shares <b>${esc(link.capacity_group.name)}</b> (${fmt(link.capacity_group.capacity)} ${esc(link.capacity_group.unit)})` : ""} · figure for ${link.year} · ${esc(link.confidence)}</td></tr>` +
    `<tr><th>flow (${esc(state.view)})</th><td data-flow>${flowText(view)}${view ? ` · utilisation ${(view.utilisation * 100).toFixed(0)} %` : ""}${view && view.bottleneck ? " · <b>bottleneck</b>" : ""}${view && view.off ? " · <b class=\"bad\">out of service</b>" : ""}</td></tr>` +
    `<tr><th>transit</th><td>${fmt(link.transit_days)} days · ${esc(link.countries.join(" → "))}</td></tr>` +
    `<tr><th>status</th><td>${esc(link.status)}${link.start_year ? " from " + link.start_year : ""}${link.end_year ? " to " + link.end_year : ""}</td></tr>` +
    `<tr><th>course</th><td>${link.path ? `${link.path.waypoints} waypoints (${esc(link.path.confidence)})` : "straight line"}</td></tr>` +
    `<tr><th>notes</th><td>${esc(link.notes)}</td></tr>` +
    `</tbody></table>` +
    `<h4>Sources</h4><ul class="small">${sources}</ul>` +
    `<button type="button" id="toggle-selected">${off ? "Put back in service" : "Take out of service"}</button> ` +
    `<button type="button" id="close-details">Close</button>`;
  $("#toggle-selected").addEventListener("click", () => toggleOff("links", id, !off));
  $("#close-details").addEventListener("click", () => { state.selected = null; render(); });
}

function renderNodeDetails(d, id) {
  const node = state.dataset.nodes.find((n) => n.id === id);
  if (!node) { d.innerHTML = `<p class="bad">no node ${esc(id)}</p>`; return; }
  const views = linkViews();
  const rows = state.dataset.links.filter((l) => (l.from === id || l.to === id) && views[l.id])
    .map((l) => {
      const v = views[l.id];
      return `<tr data-link="${esc(l.id)}"><td>${l.from === id ? "→ " + esc(nodeName(l.to)) : "← " + esc(nodeName(l.from))}</td>` +
        `<td>${esc(l.name)}</td><td data-flow>${flowText(v)}${v.off ? ` <b class="bad">out</b>` : ""}</td></tr>`;
    }).join("");
  const off = state.ask.off.nodes.has(id);
  d.innerHTML =
    `<h3>${esc(node.name)}</h3>` +
    `<p class="small">${esc(node.id)} · ${esc(node.kind)}${node.country ? " · " + esc(node.country) : ""}${off ? ` · <b class="bad">out of service</b>` : ""}</p>` +
    `<table><thead><tr><th>to / from</th><th>link</th><th>flow (${esc(state.view)})</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<button type="button" id="toggle-selected">${off ? "Put back in service" : "Take out of service"}</button> ` +
    `<button type="button" id="close-details">Close</button>`;
  $("#toggle-selected").addEventListener("click", () => toggleOff("nodes", id, !off));
  $("#close-details").addEventListener("click", () => { state.selected = null; render(); });
}

/** Map styling from the latest answer: link colours and widths, what is out, what is avoided. */
function restyle() {
  const a = state.answer;
  if (!a) return;
  const styles = linkViews();
  const selected = state.selected;
  for (const g of document.querySelectorAll("#map g.link")) {
    const s = styles[g.dataset.link];
    const line = g.querySelector(".line");
    const halo = g.querySelector(".halo");
    if (!s || !line) continue;
    line.setAttribute("stroke", s.color);
    line.setAttribute("stroke-width", s.width);
    if (s.dashed) line.setAttribute("stroke-dasharray", "5 4"); else line.removeAttribute("stroke-dasharray");
    if (halo) {
      halo.setAttribute("stroke-width", s.width + 7);
      if (s.bottleneck && !s.off) halo.removeAttribute("display"); else halo.setAttribute("display", "none");
    }
    g.classList.toggle("off", s.off);
    g.classList.toggle("selected", Boolean(selected && selected.kind === "link" && g.dataset.link === selected.id));
    const title = g.querySelector("title");
    if (title) {
      const flows = s.flows.map((f) => `${f[0]}: ${fmt(f[1])} ${f[2]}`).join("\n");
      title.textContent = `${g.dataset.link}${s.off ? " (out of service)" : ""}\n${flows || "no flow"}\nutilisation ${(s.utilisation * 100).toFixed(0)} %${s.bottleneck ? "\nbottleneck" : ""}`;
    }
  }
  for (const n of document.querySelectorAll("#map [data-node]")) {
    n.classList.toggle("off", a.off.nodes.includes(n.dataset.node));
    n.classList.toggle("selected", Boolean(selected && selected.kind === "node" && n.dataset.node === selected.id));
  }
  for (const k of document.querySelectorAll("#map [data-chokepoint]")) {
    k.classList.toggle("off", a.off.chokepoints.includes(k.dataset.chokepoint));
  }
  const closed = new Set(a.off.countries);
  const avoided = new Set(state.view === "bypass" ? a.bypass_avoid : [...a.avoid, ...blocMembers(a.policy.avoid_blocs, a.year)]);
  for (const p of document.querySelectorAll("#map path.country")) {
    const c = p.dataset.country;
    p.classList.toggle("closed", closed.has(c));
    p.classList.toggle("avoided", !closed.has(c) && avoided.has(c));
  }
}

/** The countries that are members of `blocs` in `year` (observers are not). */
function blocMembers(blocs, year) {
  return state.dataset.blocs.filter((b) => blocs.includes(b.id))
    .flatMap((b) => b.members.filter((m) => m.since <= year).map((m) => m.country));
}

init();
