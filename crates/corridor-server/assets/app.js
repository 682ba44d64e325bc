// corridor web app: one page, no dependencies. The server draws the map (SVG) once per scenario and
// answers every change with POST /api/solve; this script only restyles the links and fills the panels.
"use strict";

const $ = (sel) => document.querySelector(sel);
const state = {
  scenarios: [],
  dataset: null,
  scenario: null,
  off: { links: new Set(), nodes: new Set(), countries: new Set() },
  avoid: new Set(),
  bypassAvoid: new Set(["RU", "CN"]),
  view: "allocation",
  last: null,
  selected: null,
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
    radio.addEventListener("change", () => { state.view = radio.value; restyle(); });
  }
  $("#reset").addEventListener("click", () => {
    state.off = { links: new Set(), nodes: new Set(), countries: new Set() };
    state.avoid = new Set();
    state.bypassAvoid = new Set(["RU", "CN"]);
    buildToggles();
    solve();
  });
  $("#link-filter").addEventListener("input", (e) => {
    const q = e.target.value.toLowerCase();
    for (const li of document.querySelectorAll("#links li")) {
      li.hidden = q !== "" && !li.textContent.toLowerCase().includes(q);
    }
  });
  $("#map").addEventListener("click", (e) => {
    const g = e.target.closest("g.link");
    if (g) showLink(g.dataset.link);
  });
  await loadScenario(state.scenarios[0].name);
}

function scenarioInfo() {
  return state.scenarios.find((s) => s.name === state.scenario);
}

async function loadScenario(name) {
  state.scenario = name;
  state.selected = null;
  $("#details").hidden = true;
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
  await solve();
}

function buildToggles() {
  const info = scenarioInfo();
  const ds = state.dataset;
  const links = new Set(info ? info.links : []);
  const ul = $("#links");
  ul.innerHTML = "";
  for (const l of ds.links.filter((l) => links.has(l.id))) {
    const li = document.createElement("li");
    li.dataset.link = l.id;
    li.innerHTML = `<input type="checkbox" id="lt-${esc(l.id)}" data-link-toggle="${esc(l.id)}" ${state.off.links.has(l.id) ? "" : "checked"}>` +
      `<label for="lt-${esc(l.id)}">${esc(l.name)} <span class="mode">${esc(l.mode)} · ${esc(l.countries.join("→"))}</span></label>`;
    li.classList.toggle("off", state.off.links.has(l.id));
    li.querySelector("input").addEventListener("change", (e) => {
      setOff("links", l.id, !e.target.checked);
    });
    li.querySelector("label").addEventListener("dblclick", () => showLink(l.id));
    ul.appendChild(li);
  }
  const used = new Set();
  for (const l of ds.links.filter((l) => links.has(l.id))) { used.add(l.from); used.add(l.to); }
  const nodes = $("#nodes");
  nodes.innerHTML = "";
  for (const n of ds.nodes.filter((n) => used.has(n.id))) {
    const li = document.createElement("li");
    li.innerHTML = `<input type="checkbox" id="nt-${esc(n.id)}" data-node-toggle="${esc(n.id)}" ${state.off.nodes.has(n.id) ? "" : "checked"}>` +
      `<label for="nt-${esc(n.id)}">${esc(n.name)} <span class="mode">${esc(n.kind)}${n.country ? " · " + esc(n.country) : ""}</span></label>`;
    li.classList.toggle("off", state.off.nodes.has(n.id));
    li.querySelector("input").addEventListener("change", (e) => setOff("nodes", n.id, !e.target.checked));
    nodes.appendChild(li);
  }
  const tbody = $("#countries tbody");
  tbody.innerHTML = "";
  const touched = new Set();
  for (const l of ds.links.filter((l) => links.has(l.id))) l.countries.forEach((c) => touched.add(c));
  for (const c of ds.countries.filter((c) => touched.has(c.code))) {
    const tr = document.createElement("tr");
    tr.innerHTML = `<td>${esc(c.code)} ${esc(c.name)}</td>` +
      `<td><input type="checkbox" data-country-off="${esc(c.code)}" aria-label="${esc(c.name)} out of service" ${state.off.countries.has(c.code) ? "checked" : ""}></td>` +
      `<td><input type="checkbox" data-country-avoid="${esc(c.code)}" aria-label="allocation avoids ${esc(c.name)}" ${state.avoid.has(c.code) ? "checked" : ""}></td>` +
      `<td><input type="checkbox" data-country-bypass="${esc(c.code)}" aria-label="bypass avoids ${esc(c.name)}" ${state.bypassAvoid.has(c.code) ? "checked" : ""}></td>`;
    tr.querySelector("[data-country-off]").addEventListener("change", (e) => setOff("countries", c.code, e.target.checked));
    tr.querySelector("[data-country-avoid]").addEventListener("change", (e) => { toggle(state.avoid, c.code, e.target.checked); solve(); });
    tr.querySelector("[data-country-bypass]").addEventListener("change", (e) => { toggle(state.bypassAvoid, c.code, e.target.checked); solve(); });
    tbody.appendChild(tr);
  }
}

function toggle(set, key, on) {
  if (on) set.add(key); else set.delete(key);
}

function setOff(kind, id, off) {
  toggle(state.off[kind], id, off);
  if (kind === "links") {
    const li = document.querySelector(`#links li[data-link="${CSS.escape(id)}"]`);
    if (li) {
      li.classList.toggle("off", off);
      li.querySelector("input").checked = !off;
    }
  }
  solve();
  if (state.selected === id) showLink(id);
}

async function solve() {
  const body = {
    scenario: state.scenario,
    off: { links: [...state.off.links], nodes: [...state.off.nodes], countries: [...state.off.countries] },
    avoid: [...state.avoid],
    bypass_avoid: [...state.bypassAvoid],
  };
  const ticket = ++state.pending;
  status("solving…");
  const t0 = performance.now();
  let answer;
  try {
    answer = await api("/api/solve", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  } catch (e) {
    if (ticket === state.pending) status("solve failed: " + e.message, true);
    return;
  }
  if (ticket !== state.pending) return; // a newer change is on its way
  const roundTrip = performance.now() - t0;
  state.last = answer;
  $("#timing").textContent = `re-solved in ${answer.solve_ms.toFixed(1)} ms on the server, ${roundTrip.toFixed(0)} ms round trip`;
  status(`solved · ${answer.solve_ms.toFixed(1)} ms`);
  renderResults(answer);
  restyle();
}

function restyle() {
  const answer = state.last;
  if (!answer) return;
  const styles = state.view === "bypass" ? answer.bypass_links : answer.allocation_links;
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
    g.classList.toggle("selected", g.dataset.link === state.selected);
    const title = g.querySelector("title");
    if (title) {
      const flows = s.flows.map((f) => `${f[0]}: ${fmt(f[1])} ${f[2]}`).join("\n");
      title.textContent = `${g.dataset.link}${s.off ? " (out of service)" : ""}\n${flows || "no flow"}\nutilisation ${(s.utilisation * 100).toFixed(0)} %${s.bottleneck ? "\nbottleneck" : ""}`;
    }
  }
  for (const p of document.querySelectorAll("#map path.country")) {
    const c = p.dataset.country;
    p.classList.toggle("closed", state.off.countries.has(c));
    p.classList.toggle("avoided", !state.off.countries.has(c) && (state.view === "bypass" ? state.bypassAvoid.has(c) : state.avoid.has(c)));
  }
}

function renderResults(a) {
  $("#bypass-avoid-list").textContent = a.bypass_avoid.join(", ") || "nothing";
  const bypass = $("#bypass");
  if (a.bypass_error) {
    bypass.innerHTML = `<p class="bad">${esc(a.bypass_error)}</p>`;
  } else {
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
  const alloc = $("#allocation");
  if (a.allocation_error || !a.allocation) {
    alloc.innerHTML = `<p class="bad">${esc(a.allocation_error || "no allocation")}</p>`;
    return;
  }
  const al = a.allocation;
  const totals = al.totals.map((t) =>
    `<tr><td>${esc(t.commodity)}</td><td class="num" data-delivered="${esc(t.commodity)}">${fmt(t.delivered)}</td><td class="num ${t.unmet > 5e-4 ? "bad" : ""}">${fmt(t.unmet)}</td><td>${esc(t.unit)}</td></tr>`).join("");
  const shares = al.countries.slice().sort((x, y) => y.share - x.share).slice(0, 8).map((c) =>
    `<tr><td>${esc(c.country)} <span class="muted small">${esc(c.commodity)}</span></td><td><span class="bar" style="width:${Math.round(c.share * 100)}px"></span> ${(c.share * 100).toFixed(1)} %</td></tr>`).join("");
  const binding = al.binding.filter((b) => b.kind === "link" || b.kind === "group").slice(0, 6)
    .map((b) => `<li>${esc(b.kind)} <b>${esc(b.id)}</b> <span class="muted">${fmt(b.shadow_price_usd)} ${esc(b.unit)}</span></li>`).join("");
  alloc.innerHTML =
    `<table><thead><tr><th>commodity</th><th>delivered</th><th>unmet</th><th>unit</th></tr></thead><tbody>${totals}</tbody></table>` +
    `<p class="small">transport cost <b>${(al.transport_cost_usd / 1e6).toFixed(1)}</b> MUSD/y · solved by ${esc(al.method)}</p>` +
    (shares ? `<h3 class="small muted">transit share by country</h3><table><tbody>${shares}</tbody></table>` : "") +
    (binding ? `<h3 class="small muted">binding capacities</h3><ul class="small">${binding}</ul>` : "");
}

async function showLink(id) {
  state.selected = id;
  restyle();
  let link;
  try {
    link = await api("/api/links/" + encodeURIComponent(id)).then((r) => r.json());
  } catch (e) {
    status(e.message, true);
    return;
  }
  const off = state.off.links.has(id);
  const view = state.last ? (state.view === "bypass" ? state.last.bypass_links : state.last.allocation_links)[id] : null;
  const flows = view && view.flows.length ? view.flows.map((f) => `${esc(f[0])} ${fmt(f[1])} ${esc(f[2])}`).join(", ") : "none";
  const sources = link.sources.map((s) =>
    `<li><b>${esc(s.id)}</b> — ${esc(s.publisher)}, <i>${esc(s.title)}</i> (${esc(s.date)}) <a href="${esc(s.url)}" rel="noreferrer">${esc(s.url)}</a></li>`).join("");
  const d = $("#details");
  d.hidden = false;
  d.innerHTML =
    `<h3>${esc(link.name)}</h3>` +
    `<table><tbody>` +
    `<tr><th>id</th><td>${esc(link.id)}</td></tr>` +
    `<tr><th>from → to</th><td>${esc(link.from.name)} → ${esc(link.to.name)}</td></tr>` +
    `<tr><th>mode</th><td>${esc(link.mode)} (${esc(link.direction)}) · ${esc(link.commodities.join(", "))}</td></tr>` +
    `<tr><th>capacity</th><td>${fmt(link.capacity)} ${esc(link.capacity_unit)}${link.capacity_group ? ` · shares <b>${esc(link.capacity_group.name)}</b> (${fmt(link.capacity_group.capacity)} ${esc(link.capacity_group.unit)})` : ""} · figure for ${link.year} · ${esc(link.confidence)}</td></tr>` +
    `<tr><th>flow (${esc(state.view)})</th><td>${flows}${view ? ` · utilisation ${(view.utilisation * 100).toFixed(0)} %` : ""}${view && view.bottleneck ? " · <b>bottleneck</b>" : ""}</td></tr>` +
    `<tr><th>transit</th><td>${fmt(link.transit_days)} days · ${esc(link.countries.join(" → "))}</td></tr>` +
    `<tr><th>status</th><td>${esc(link.status)}${link.start_year ? " from " + link.start_year : ""}${link.end_year ? " to " + link.end_year : ""}</td></tr>` +
    `<tr><th>course</th><td>${link.path ? `${link.path.waypoints} waypoints (${esc(link.path.confidence)})` : "straight line"}</td></tr>` +
    `<tr><th>notes</th><td>${esc(link.notes)}</td></tr>` +
    `</tbody></table>` +
    `<h4>Sources</h4><ul class="small">${sources}</ul>` +
    `<button type="button" id="toggle-selected">${off ? "Put back in service" : "Take out of service"}</button>`;
  $("#toggle-selected").addEventListener("click", () => setOff("links", id, !off));
}

init();
