// In-page calculators: progressive enhancement over the build-time rules and plan.
//
// One module Web Worker per tab runs the same Python the tests run (calculators.bridge in a
// self-hosted Pyodide). It starts once the page is idle (for a runner who saves data, only when
// a field gets focus), and it survives Material's instant navigation, so binding must be
// idempotent.

import { savingData, whenIdle } from "../connection.mjs";
import { newVersionReady, offerNewVersion } from "./new-version.mjs";
import { bindTakeaways, planShown } from "./takeaway.mjs";

const SITE_ROOT = new URL("../../../", import.meta.url);
const state = (globalThis.__hbCalculators ??= {
  worker: null,
  nextId: 1,
  pending: new Map(),
  readiness: null,
  ready: false,
  keptRuntime: false,
});

// The engine's own words (calculators/vocabulary.py), which the build writes into every page.
const WORDS = JSON.parse(document.getElementById("hb-calculator-words").textContent);
const LIGHTS = WORDS.lights;
const URGENCY_TITLES = WORDS.urgency_titles;

// ---- the worker bridge ---------------------------------------------------------------

function siteUrl(name) {
  const meta = document.querySelector(`meta[name="${name}"]`);
  return meta && meta.content ? new URL(meta.content, SITE_ROOT).href : "";
}

// This page's condition data files: slug -> address (the forms', the handout's, the journal
// set-up's options). The worker loads only those a call needs.
function pageChunks() {
  const chunks = {};
  for (const node of document.querySelectorAll("[data-chunk-for][data-chunk]")) {
    if (node.dataset.chunk) chunks[node.dataset.chunkFor] = new URL(node.dataset.chunk, SITE_ROOT).href;
  }
  return chunks;
}

// On a first visit Python can start before the service worker takes the page over (under
// load, the take-over lands between the worker's first import and its next fetch), and then
// some of Pyodide's files bypass the service worker, which saves on first use only what it
// serves. Once the page is controlled, ask it to keep the rest: it revalidates the browser's
// HTTP-cached copies rather than download them again. Files it already has cost nothing.
function keepRuntime() {
  const workers = navigator.serviceWorker;
  if (!workers || !document.querySelector('meta[name="hb-service-worker"]')) return;
  const ask = () => workers.controller?.postMessage({ type: "KEEP_RUNTIME" });
  if (workers.controller) ask();
  else workers.addEventListener("controllerchange", ask, { once: true });
}

function worker() {
  if (state.worker) return state.worker;
  const created = new Worker(new URL("./worker.mjs", import.meta.url), { type: "module" });
  created.addEventListener("message", (event) => {
    const waiting = state.pending.get(event.data.id);
    if (!waiting) return;
    state.pending.delete(event.data.id);
    if ("restored" in event.data) state.restored = event.data.restored;
    if (event.data.ok && !state.keptRuntime) {
      state.keptRuntime = true;
      keepRuntime();
    }
    if (event.data.ok) waiting.resolve(event.data.json);
    else waiting.reject(Object.assign(new Error(event.data.error), { missing: event.data.missing }));
  });
  created.addEventListener("error", (event) => {
    event.preventDefault();
    const error = new Error(event.message || "the calculator could not start");
    for (const waiting of state.pending.values()) waiting.reject(error);
    state.pending.clear();
    state.worker = null;
    state.readiness = null;
  });
  state.worker = created;
  return created;
}

function request(message) {
  return new Promise((resolve, reject) => {
    const id = state.nextId++;
    state.pending.set(id, { resolve, reject });
    worker().postMessage({
      ...message,
      id,
      bundleUrl: siteUrl("hb-calculators-bundle"),
      sharedUrl: siteUrl("hb-calculators-shared"),
      qrUrl: siteUrl("hb-calculators-qr"),
      indexUrl: siteUrl("hb-calculators-index"),
      runtimeUrl: siteUrl("hb-pyodide-runtime"),
      chunks: pageChunks(),
      snapshotUrl: siteUrl("hb-pyodide-snapshot"),
      // Only a service worker keeps the snapshot for the next visit; fetching it for nothing
      // would waste 7 MB, and more so for a runner who saves data.
      keepSnapshotAfter: Boolean(navigator.serviceWorker?.controller) && !savingData(),
    });
  });
}

// The chunks of the conditions this page is about (its forms, or its handout), loaded when the
// calculator starts; the journal's list of conditions names chunks only a choice loads.
function ownChunks() {
  const named = document.querySelectorAll("form[data-chunk], [data-hb-handout][data-chunk]");
  return [...new Set([...named].filter((node) => node.dataset.chunk).map((node) => new URL(node.dataset.chunk, SITE_ROOT).href))];
}

function warm() {
  state.readiness ??= request({ type: "warm", preload: ownChunks() }).then(
    () => {
      state.ready = true;
    },
    (error) => {
      state.readiness = null;
      throw error;
    },
  );
  return state.readiness;
}

/** Start Python before the runner needs it: once the page is idle, or, for a runner who saves
 * data (Data Saver, 2G), only when they first touch `form`. `begin` defaults to a silent start. */
export function startEarly(form, begin = () => warm()) {
  const once = () => begin().catch(() => {});
  form.addEventListener("focusin", once, { once: true });
  if (!savingData()) whenIdle(once);
}

/** Run a calculator and return the bridge's JSON text, exactly as Python produced it. */
export function calculate(name, payload) {
  return request({ type: "call", name, payload });
}
state.calculate = calculate;

/** A QR code for `text`, as the SVG text the build's own encoder (segno) draws. */
export function qrCode(text, title) {
  return request({ type: "qr", payload: { text, title } });
}

// ---- forms ----------------------------------------------------------------------------

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function todayIso() {
  const now = new Date();
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 10);
}

// Whole numbers are digits only. Decimals take "." or "," as the decimal mark (the form is in
// English, but many phones offer only a comma), with one or two digits after a comma: three
// ("1,500") could be a thousands separator, so that is left for the engine to refuse. Anything
// else, including digits other than 0-9, goes to the engine as typed, and its error names the
// field's range and echoes the text. Nothing is ever silently reinterpreted.
const WHOLE = /^-?[0-9]+$/;
const DECIMAL = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+|[0-9]+,[0-9]{1,2})$/;

function numberFrom(raw, type) {
  const pattern = type === "int" ? WHOLE : DECIMAL;
  if (!pattern.test(raw)) return raw;
  const value = Number(raw.replace(",", "."));
  return Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? value : raw;
}

export function collect(form) {
  const payload = { condition: form.dataset.condition };
  for (const field of form.elements) {
    const type = field.dataset.type;
    if (!field.name || !type) continue;
    if (type === "list") {
      payload[field.name] ??= [];
      if (field.checked) payload[field.name].push(field.value);
      continue;
    }
    if (field.type === "radio" && !field.checked) continue;
    const raw = field.value.trim();
    if (raw === "") {
      // A date field holding an impossible date reports an empty value; let the engine say why.
      if (field.validity && field.validity.badInput) payload[field.name] = "(incomplete date)";
      continue;
    }
    if (field.type === "radio" && type === "int") payload[field.name] = Number(raw);
    else if (type === "int" || type === "float") payload[field.name] = numberFrom(raw, type);
    else if (type === "bool") payload[field.name] = raw === "true";
    else payload[field.name] = raw;
  }
  return payload;
}

// Errors are matched to the form by the field name the engine returns, never by a list of
// fields here, so any field the templates add gets its error slot and summary entry.

function controls(form, name) {
  return [...form.elements].filter((control) => control.name === name);
}

function errorSlot(form, name) {
  return [...form.querySelectorAll("[data-error-for]")].find(
    (slot) => slot.dataset.errorFor === name,
  );
}

function labelFor(form, name) {
  const [input] = controls(form, name);
  if (!input) return null;
  const group = input.closest("fieldset.hb-choice, fieldset.hb-checklist");
  const label = group ? group.querySelector("legend") : input.labels && input.labels[0];
  return label ? label.textContent.trim() : null;
}

function readable(form, message) {
  // The engine names fields as the JSON does; show the runner the words on the form.
  let text = message.replace(/\b[a-z]+(?:_[a-z]+)+\b/g, (name) => {
    const label = labelFor(form, name);
    return label ? `“${label}”` : name;
  });
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export function clearErrors(form) {
  for (const error of form.querySelectorAll("[data-error-for]")) {
    error.hidden = true;
    error.textContent = "";
  }
  for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
  form.querySelector("[data-error-summary]").replaceChildren();
}

/** Where a summary link sends focus: the chosen radio, or a field's first control. */
function focusTarget(fields) {
  return fields.find((control) => control.checked) || fields[0];
}

function goToField(event) {
  // Material's instant navigation handles every same-site link on the body, even a cancelled
  // one, and would scroll to the anchor and drop focus; keep the click to ourselves.
  event.preventDefault();
  event.stopPropagation();
  const form = event.currentTarget.closest("form");
  const target = focusTarget(controls(form, event.currentTarget.dataset.field));
  // Show the question (legend or label) as well as the control, then focus it.
  (target.closest("fieldset.hb-choice, fieldset.hb-checklist, .hb-field") || target)
    .scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
}

/** Where a field sits in the form, so the summary reads top to bottom like the form does. */
function formOrder(form) {
  const order = new Map();
  for (const control of form.elements) {
    if (control.name && !order.has(control.name)) order.set(control.name, order.size);
  }
  // Errors about the whole request come first; they have no field.
  return ({ field }) => (order.has(field) ? order.get(field) : -1);
}

export function showErrors(form, errors) {
  const items = [];
  const position = formOrder(form);
  const ordered = [...errors].sort((a, b) => position(a) - position(b));
  for (const { field, message } of ordered) {
    const text = readable(form, message);
    // A hidden field (the urgency the check hands the plan) cannot take focus: no link to it.
    const fields = controls(form, field).filter((control) => control.type !== "hidden");
    const slot = errorSlot(form, field);
    if (slot) {
      slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
      slot.hidden = false;
    }
    for (const input of fields) input.setAttribute("aria-invalid", "true");
    const label = labelFor(form, field);
    const words = label ? `${label}${/[.!?:]$/.test(label) ? "" : ":"} ${text}` : text;
    if (fields.length) {
      const link = el("a", { href: `#${focusTarget(fields).id}`, "data-field": field }, words);
      link.addEventListener("click", goToField);
      items.push(el("li", {}, link));
    } else {
      items.push(el("li", {}, words)); // about the whole request, not one field
    }
  }
  const summary = form.querySelector("[data-error-summary]");
  const count = items.length === 1 ? "There is a problem" : `There are ${items.length} problems`;
  summary.replaceChildren(
    el("p", { class: "hb-error-summary-title" }, el("strong", {}, `${count} with your answers:`)),
    el("ul", { class: "hb-error-summary-list" }, ...items),
  );
  summary.focus();
}

// ---- results --------------------------------------------------------------------------

function urgencyLine(section, urgency, fallback) {
  // The page's own wording for this urgency, with this copy's local numbers.
  const action = section.querySelector(`[data-urgency-action="${urgency}"]`);
  return el(
    "p",
    { class: `hb-light-urgency hb-urgency--${urgency}` },
    el("strong", {}, `${URGENCY_TITLES[urgency]}. `),
    action ? action.textContent : fallback,
  );
}

export function light(result, section) {
  const look = LIGHTS[result.colour];
  const box = el(
    "div",
    { class: `hb-light hb-light--${result.colour}` },
    el(
      "p",
      { class: "hb-light-head" },
      el("span", { class: "hb-light-icon", "aria-hidden": "true" }, look.icon),
      " ",
      el("strong", {}, look.title),
    ),
    el("p", { class: "hb-light-next" }, result.next_step.text),
  );
  if (result.colour === "red" && result.urgency) {
    box.append(urgencyLine(section, result.urgency, result.urgency_text));
  }
  const reasons = el("ul", { class: "hb-light-reasons" });
  for (const reason of result.reasons) {
    const source = reason.citation ? ` (${reason.citation}, evidence grade ${reason.grade})` : "";
    reasons.append(el("li", {}, reason.text + source));
  }
  box.append(el("p", {}, "Why:"), reasons);
  return box;
}

export function planView(plan, section) {
  // The worker's Python renders the plan (calculators/plan_view.py), the same code that
  // printed the default plan on this page, so the two cannot differ. A <template> parses the
  // HTML inert; the only change here is the page's own words for a referral's urgency, with
  // this copy's local numbers, and the week-by-week table the runner asked for, opened.
  const template = document.createElement("template");
  template.innerHTML = plan.html;
  const view = template.content;
  for (const slot of view.querySelectorAll("[data-urgency-action-for]")) {
    const action = section.querySelector(
      `[data-urgency-action="${slot.dataset.urgencyActionFor}"]`,
    );
    if (action) slot.textContent = action.textContent;
  }
  for (const details of view.querySelectorAll("details.hb-plan-details")) details.open = true;
  return view;
}

function render(form, result) {
  const section = form.closest("[data-hb-calc]");
  const output = section.querySelector(".hb-calc-result");
  output.replaceChildren(
    form.dataset.calculator === "self_check" ? light(result, section) : planView(result, section),
  );
  if (form.dataset.calculator === "return_to_run_plan") planShown(form, result);
  if (form.dataset.calculator === "self_check") {
    // Carry today's colour (and a red's urgency) into this page's plan form, if there is one.
    const colour = document.querySelector(`input[name="today_colour"][value="${result.colour}"]`);
    if (colour) colour.checked = true;
    const urgency = document.querySelector('input[name="today_urgency"]');
    if (urgency) urgency.value = result.colour === "red" && result.urgency ? result.urgency : "";
  }
}

// ---- binding --------------------------------------------------------------------------

function unavailable(section, reason) {
  section.querySelector(".hb-calc-status").textContent =
    `The interactive calculator cannot run here (${reason}). ` +
    "The rules and the plan on this page still apply.";
  section.querySelector("form").hidden = true;
}

async function cannotRun(section, error) {
  if (await newVersionReady(error)) offerNewVersion(section);
  else unavailable(section, error.message);
}

function start(section) {
  const status = section.querySelector(".hb-calc-status");
  if (!state.ready) status.textContent = "Getting the calculator ready…";
  return warm().then(
    () => {
      status.textContent = "";
    },
    async (error) => {
      await cannotRun(section, error);
      throw error;
    },
  );
}

async function submit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const section = form.closest("[data-hb-calc]");
  const button = form.querySelector("button[type=submit]");
  clearErrors(form);
  button.disabled = true;
  try {
    await start(section);
    const answer = JSON.parse(await calculate(form.dataset.calculator, collect(form)));
    if (answer.ok) render(form, answer.result);
    else showErrors(form, answer.errors);
  } catch (error) {
    await cannotRun(section, error);
  } finally {
    button.disabled = false;
  }
}

function bind(section) {
  if (section.dataset.hbBound) return;
  section.dataset.hbBound = "true";
  section.hidden = false;
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    unavailable(section, "this browser has WebAssembly turned off, as in Lockdown Mode");
    return;
  }
  const form = section.querySelector("form");
  for (const input of form.querySelectorAll('[data-default="today"]')) {
    if (!input.value) input.value = todayIso();
  }
  startEarly(form, () => start(section));
  form.addEventListener("submit", submit);
}

function bindAll() {
  for (const section of document.querySelectorAll("[data-hb-calc]")) bind(section);
  bindTakeaways({ calculate, collect, start: warm, qrCode });
}

// Material re-renders the content on every instant navigation and announces it on document$.
if (typeof document$ !== "undefined") document$.subscribe(bindAll);
else bindAll();
