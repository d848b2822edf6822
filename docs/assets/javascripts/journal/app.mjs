// "My recovery": the journal app. It keeps the runner's recoveries and daily check-ins in
// IndexedDB (db.mjs) and asks the journal engine, in the calculators' Web Worker, what they
// mean today (calculators/journal_*.py via the bridge's "journal" call). Every write is
// checked by the engine first and made under a lock shared by every tab of this site, so a
// second tab can never overwrite an entry it has not seen; the other tabs are then told to
// read again (channel.mjs). Nothing the runner enters leaves the device.

import { calculate, clearErrors, collect, showErrors, startEarly } from "../calculators/page.mjs";
import { fill as fillPlan, messages, sharedNote } from "../calculators/takeaway.mjs";
import { newVersionReady } from "../calculators/new-version.mjs";
import * as db from "./db.mjs";
import { applyChanges, formatOf, putDocument, toDocument } from "./document.mjs";
import { localDay, spoken, stamp } from "./dates.mjs";
import { announce, listen } from "./channel.mjs";
import { download, readJsonFile, toCsv } from "./files.mjs";
import { askToPersist, backupOverdue } from "./care.mjs";
import { renderToday } from "./views.mjs";

const SESSION_DONE = ["planned", "less", "more"];

const app = {
  root: null,
  format: null,
  document: null,
  answer: null,
  screen: null,
  checkin: null, // {recovery, date, before}: what the open check-in form started from
  closed: false,
};

const $ = (selector) => app.root.querySelector(selector);

function status(text) {
  $("[data-journal-status]").textContent = text;
}

function alertBox(...content) {
  const box = $("[data-journal-alert]");
  box.replaceChildren(...content);
  box.hidden = content.length === 0;
}

function conditionNames() {
  return Object.fromEntries(
    [...$("#hb-journal-condition").options].filter((o) => o.value).map((o) => [o.value, o.text]),
  );
}

function show(screen, { focus = true } = {}) {
  app.screen = screen;
  for (const node of app.root.querySelectorAll("[data-screen]")) {
    node.hidden = node.dataset.screen !== screen;
  }
  const hasRecovery = Boolean(app.document && app.document.recoveries.length);
  for (const back of app.root.querySelectorAll("[data-needs-recovery]")) back.hidden = !hasRecovery;
  if (focus) {
    const heading = $(`[data-screen="${screen}"] h2`);
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start" });
  }
}

// ---- the engine -------------------------------------------------------------------------

async function engine(name, payload) {
  return JSON.parse(await calculate(name, payload));
}

function evaluate(document) {
  return engine("journal", { journal: document, today: localDay() });
}

async function engineFailed(error) {
  if (await newVersionReady(error)) {
    alertBox("A new version of the handbook is ready. Reload the page to keep using the journal.");
  } else {
    alertBox(`The journal cannot run here (${error.message}). Your saved data is untouched.`);
  }
}

// ---- reading and writing ----------------------------------------------------------------

function withLock(work) {
  // Web Locks serialise writers across every tab of the site; without them a write is still
  // one IndexedDB transaction over single records.
  if (navigator.locks && navigator.locks.request) {
    return navigator.locks.request("handbook-journal-write", work);
  }
  return work();
}

async function load() {
  return toDocument(await db.readAll(), app.format);
}

/** Check `candidate` with the engine; if it is sound, write it with `change` and tell the
 *  other tabs. Returns the engine's answer, ok or not. */
async function save(candidate, change) {
  const answer = await evaluate(candidate);
  if (!answer.ok) return answer;
  await db.write((tx) => change(tx, answer.result.journal));
  announce();
  return answer;
}

// Redraw from the stored data. Screens open without moving focus (the page opens at its top);
// the caller that changes screen focuses its heading. keepScreen: another tab changed the
// data, so redraw without leaving the runner's screen.
async function refresh({ keepScreen = false } = {}) {
  if (app.closed) return;
  const today = localDay();
  let document = await load();
  if (document.recoveries.length === 0) {
    app.document = document;
    app.answer = null;
    if (!keepScreen || app.screen === "today") show("setup", { focus: keepScreen });
    return;
  }
  if (document.version > app.format.version) {
    // A tab of a newer deploy migrated the records; this tab's engine cannot read them.
    closedByNewerVersion();
    return;
  }
  const answer = await evaluate(document);
  if (!answer.ok) {
    alertBox(
      "The saved journal could not be read: " +
        answer.errors.map((e) => `${e.field}: ${e.message}`).join("; ") +
        ". Save a backup file from “Your data” and report this.",
    );
    app.document = document;
    show("data", { focus: false });
    return;
  }
  if (answer.result.journal.version !== document.version) {
    // Records written by an older version: keep the engine's migrated copy.
    await withLock(() =>
      db.write(({ put }) => putDocument(put, answer.result.journal)).then(announce),
    );
    document = await load();
  }
  app.document = document;
  app.answer = answer.result;
  renderToday(app.root, answer.result, {
    document,
    today,
    names: conditionNames(),
    overdue: backupOverdue(document, today),
  });
  $("[data-journal-date]").textContent = spoken(today);
  paintBackupLine();
  if (!keepScreen || app.screen === "setup") show("today", { focus: keepScreen && app.screen === "setup" });
}

function activeRecovery(document = app.document) {
  return document.recoveries.find((r) => r.id === document.active) ?? null;
}

// ---- set-up -----------------------------------------------------------------------------

function chooseCondition() {
  const form = $("#hb-journal-setup");
  const slug = $("#hb-journal-condition").value;
  const slot = $("[data-journal-questions]");
  clearErrors(form);
  const template = document.querySelector(`template[data-journal-plan-for="${slug}"]`);
  slot.replaceChildren(template ? template.content.cloneNode(true) : "");
  form.dataset.condition = slug;
  $("[data-journal-start]").hidden = !template;
  for (const input of slot.querySelectorAll('[data-default="today"]')) input.value = localDay();
  const colourHelp = slot.querySelector('[id$="-today_colour-help"]');
  if (colourHelp) {
    colourHelp.textContent =
      "The colour “Can I run today?” on the condition's page gave you today. From your first check-in the journal works it out itself.";
  }
}

async function startRecovery(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const button = form.querySelector("button[type=submit]");
  clearErrors(form);
  button.disabled = true;
  try {
    const plan = collect(form);
    delete plan.journal_condition;
    const checked = await engine("return_to_run_plan", plan);
    if (!checked.ok) {
      showErrors(form, checked.errors);
      return;
    }
    const recovery = { id: newId(), condition: plan.condition, created: localDay(), plan };
    const answer = await withLock(async () => {
      const current = await load();
      const candidate = {
        ...current,
        active: recovery.id,
        recoveries: [...current.recoveries, { ...recovery, entries: [] }],
      };
      return save(candidate, ({ put }, normalised) => {
        const { entries, ...kept } = normalised.recoveries.find((r) => r.id === recovery.id);
        put("recoveries", kept);
        put("meta", { key: "active", value: recovery.id });
        put("meta", { key: "document_version", value: normalised.version });
      });
    });
    if (!answer.ok) {
      showErrors(form, entryErrors(answer.errors));
      return;
    }
    askToPersist();
    forgetSharedPlan();
    $("#hb-journal-condition").value = "";
    chooseCondition();
    await refresh();
    status("Your recovery is set up. Check in each day.");
  } catch (error) {
    await engineFailed(error);
  } finally {
    button.disabled = false;
  }
}

// ---- a shared plan link -----------------------------------------------------------------

const PLAN_LINK = /^#plan=/;

/** Opened with a #plan= link (a condition page's "Start a recovery with this plan"): the
 *  link is checked by the engine exactly as the plan form's answers are, and its answers
 *  fill the set-up form. Nothing is saved until the runner taps "Start my recovery". */
async function openSharedPlan() {
  if (!PLAN_LINK.test(location.hash)) return;
  const answer = await engine("open_share", { link: location.hash });
  show("setup");
  if (!answer.ok) {
    status(`This plan link cannot be used: ${messages(answer.errors)}. Choose your injury below to set up a recovery yourself.`);
    return;
  }
  const { payload, note, prescribed } = answer.result;
  const select = $("#hb-journal-condition");
  if (![...select.options].some((option) => option.value && option.value === payload.condition)) {
    status("This plan link is for a condition this journal has no plan for. Choose your injury below to set up a recovery yourself.");
    return;
  }
  select.value = payload.condition;
  chooseCondition();
  fillPlan($("#hb-journal-setup"), payload);
  const clinician = sharedNote(note, prescribed, payload.start_date);
  status(
    ["These answers came from a shared plan link.", clinician, "Check them, then tap “Start my recovery”."]
      .filter(Boolean)
      .join(" "),
  );
}

function forgetSharedPlan() {
  // Once the recovery is saved, a reload opens the runner's day, not the link's set-up again.
  if (PLAN_LINK.test(location.hash)) {
    history.replaceState(history.state, "", `${location.pathname}${location.search}`);
  }
}

function newId() {
  const random = crypto.randomUUID ? crypto.randomUUID() : String(Date.now());
  return `recovery-${random}`;
}

// ---- the check-in -----------------------------------------------------------------------

/** The engine names a problem by its path in the document; the form knows the last part. */
function entryErrors(errors) {
  return errors.map(({ field, message }) => ({
    field: String(field).split(".").at(-1).replace(/\[\d+\]$/, ""),
    message,
  }));
}

function entryFields(entry) {
  const { date, updated, recovery, ...fields } = entry ?? {};
  return fields;
}

function paintSessionPart(form) {
  const done = form.querySelector('input[name="done"]:checked');
  const session = Boolean(done && SESSION_DONE.includes(done.value));
  const pain = form.querySelector('[data-checkin-part="pain"]');
  pain.hidden = !session;
  if (!session) for (const radio of pain.querySelectorAll("input")) radio.checked = false;
}

function fill(form, fields) {
  for (const control of form.elements) {
    if (!control.name) continue;
    const value = fields[control.name];
    if (control.type === "radio") control.checked = value !== undefined && String(value) === control.value;
    else if (control.type === "checkbox") control.checked = Array.isArray(value) && value.includes(control.value);
    else if (control.tagName !== "BUTTON") control.value = value === undefined ? "" : String(value);
  }
}

async function openCheckin(mode) {
  const recovery = activeRecovery();
  if (!recovery) return;
  const today = localDay();
  const form = $("#hb-journal-checkin");
  clearErrors(form);
  const template = document.querySelector(
    `template[data-journal-checkin-for="${recovery.condition}"]`,
  );
  const parts = template.content.cloneNode(true);
  const signs = parts.querySelector('input[name="signs"]')?.closest("fieldset");
  $("[data-checkin-signs]").replaceChildren(signs ?? "");
  $("[data-checkin-flags]").replaceChildren(parts);
  const asksPain = template.dataset.asksPain === "true";
  $('[data-checkin-part="morning"]').hidden = !asksPain;
  form.dataset.condition = recovery.condition;
  form.dataset.asksPain = String(asksPain);
  const stored = await db.readEntry(recovery.id, today);
  const before = entryFields(stored);
  fill(form, before);
  paintSessionPart(form);
  if (!asksPain) $('[data-checkin-part="pain"]').hidden = true;
  app.checkin = { recovery: recovery.id, date: today, before };
  $("[data-checkin-date]").textContent = spoken(today);
  show("checkin");
  if (mode === "morning") {
    const first = form.querySelector('input[name="pain_morning"]');
    first.closest("fieldset").scrollIntoView({ block: "center" });
    (form.querySelector('input[name="pain_morning"]:checked') || first).focus({ preventScroll: true });
  }
}

function formFields(form) {
  const values = collect(form);
  delete values.condition;
  for (const name of ["red_flags", "signs"]) if (values[name] && values[name].length === 0) delete values[name];
  return values;
}

async function saveCheckin(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const button = form.querySelector("button[type=submit]");
  const { recovery, date, before } = app.checkin;
  clearErrors(form);
  button.disabled = true;
  try {
    const after = formFields(form);
    const answer = await withLock(async () => {
      // Re-read under the lock: another tab may have saved this day since the form opened.
      const current = await load();
      const stored = await db.readEntry(recovery, date);
      const entry = { ...applyChanges(entryFields(stored), before, after), date, updated: stamp() };
      const candidate = {
        ...current,
        recoveries: current.recoveries.map((r) =>
          r.id !== recovery ? r : { ...r, entries: [...r.entries.filter((e) => e.date !== date), entry] },
        ),
      };
      return save(candidate, ({ put }, normalised) => {
        const saved = normalised.recoveries
          .find((r) => r.id === recovery)
          .entries.find((e) => e.date === date);
        put("entries", { ...saved, recovery });
      });
    });
    if (!answer.ok) {
      showErrors(form, entryErrors(answer.errors));
      return;
    }
    askToPersist();
    app.checkin = null;
    await refresh();
    show("today");
    status("Check-in saved.");
  } catch (error) {
    await engineFailed(error);
  } finally {
    button.disabled = false;
  }
}

// ---- your data --------------------------------------------------------------------------

function paintBackupLine() {
  const exported = app.document && app.document.exported;
  $("[data-journal-last-backup]").textContent = exported
    ? `Last backup file saved on ${spoken(exported.slice(0, 10))}.`
    : "You have not saved a backup file yet.";
}

async function exportJson() {
  const when = stamp();
  await withLock(() => db.write(({ put }) => put("meta", { key: "exported", value: when })));
  announce();
  const document = await load();
  download(`my-recovery-${localDay()}.json`, `${JSON.stringify(document, null, 2)}\n`, "application/json");
  app.document = document;
  paintBackupLine();
  status("Backup file saved. Keep it somewhere safe: it is the only copy outside this browser.");
}

async function exportCsv() {
  const document = await load();
  download(`my-recovery-${localDay()}.csv`, toCsv(document, conditionNames()), "text/csv");
  status("Spreadsheet saved.");
}

function importProblems(errors) {
  const shown = errors.slice(0, 5).map((e) => `${e.field}: ${e.message}`);
  if (errors.length > shown.length) shown.push(`and ${errors.length - shown.length} more problems`);
  return [
    {
      field: "import_file",
      message: `This file cannot be imported, so nothing was changed: ${shown.join("; ")}`,
    },
  ];
}

async function importFile(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const button = form.querySelector("button[type=submit]");
  clearErrors(form);
  button.disabled = true;
  try {
    let data;
    try {
      data = await readJsonFile(form.querySelector('input[type="file"]').files[0]);
    } catch (error) {
      showErrors(form, [{ field: "import_file", message: error.message }]);
      return;
    }
    const replace = form.querySelector('input[name="import_mode"]:checked')?.value === "replace";
    const answer = await withLock(async () => {
      const current = await load();
      // The engine merges (the newer entry of a day wins; a recovery whose id is taken is
      // added under a new one) and checks the file; either way nothing is written unless the
      // whole result is sound.
      const combined = replace || current.recoveries.length === 0
        ? { ok: true, result: { journal: data } }
        : await engine("journal_merge", { journal: current, incoming: data });
      if (!combined.ok) return combined;
      return save(combined.result.journal, ({ put, clear, stores }, normalised) => {
        for (const store of stores) clear(store);
        putDocument(put, { ...normalised, exported: normalised.exported ?? current.exported });
      });
    });
    if (!answer.ok) {
      showErrors(form, importProblems(answer.errors));
      return;
    }
    form.reset();
    const count = answer.result.journal.recoveries.reduce((n, r) => n + r.entries.length, 0);
    await refresh();
    show("today");
    status(`Imported. The journal now holds ${answer.result.journal.recoveries.length} recoveries and ${count} check-ins.`);
  } catch (error) {
    await engineFailed(error);
  } finally {
    button.disabled = false;
  }
}

async function deleteEverything() {
  await withLock(() => db.write(({ clear, stores }) => stores.forEach(clear)));
  announce();
  $("[data-journal-confirm]").hidden = true;
  await refresh();
  show("setup");
  status("Everything was deleted from this device.");
}

// ---- wiring -----------------------------------------------------------------------------

const ACTIONS = {
  today: () => refresh().then(() => show("today")),
  setup: () => show("setup"),
  data: () => show("data"),
  checkin: () => openCheckin("today"),
  morning: () => openCheckin("morning"),
  "export-json": exportJson,
  "export-csv": exportCsv,
  "delete-ask": () => {
    $("[data-journal-confirm]").hidden = false;
    $("#hb-journal-confirm-text").focus();
  },
  "delete-no": () => {
    $("[data-journal-confirm]").hidden = true;
    $('[data-action="delete-ask"]').focus();
  },
  "delete-yes": deleteEverything,
};

async function switchRecovery(event) {
  const id = event.currentTarget.value;
  await withLock(() => db.write(({ put }) => put("meta", { key: "active", value: id })));
  announce();
  await refresh({ keepScreen: true });
}

function closedByNewerVersion() {
  app.closed = true;
  for (const button of app.root.querySelectorAll("button")) button.disabled = true;
  alertBox(
    "The journal was opened in a newer version of the handbook in another tab. Reload this page to keep using it; your data is safe.",
  );
}

export async function mount(root) {
  app.root = root;
  app.format = formatOf(root);
  if (typeof WebAssembly !== "object" || typeof Worker !== "function" || typeof indexedDB === "undefined") {
    return; // the page's own words and links to every build-time plan stay
  }
  root.hidden = false;
  status("Getting your journal ready…");
  // A journal with entries asks the engine at once; an empty one shows the set-up form, so
  // start Python early for it too.
  startEarly($("#hb-journal-setup"));
  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button || app.closed) return;
    event.preventDefault();
    Promise.resolve(ACTIONS[button.dataset.action]()).catch(engineFailed);
  });
  $("#hb-journal-condition").addEventListener("change", chooseCondition);
  $("#hb-journal-setup").addEventListener("submit", startRecovery);
  $("#hb-journal-checkin").addEventListener("submit", saveCheckin);
  $("#hb-journal-checkin").addEventListener("change", (event) => {
    if (event.target.name === "done") paintSessionPart(event.currentTarget);
  });
  $("#hb-journal-import").addEventListener("submit", importFile);
  $("[data-journal-active]").addEventListener("change", switchRecovery);
  db.onVersionChange(closedByNewerVersion);
  listen(() => refresh({ keepScreen: true }).catch(engineFailed));
  try {
    await db.open({
      onBlocked: () => status("Close the journal's other tabs (an older version) to finish updating it."),
    });
    await refresh();
    document.querySelector("[data-journal-fallback]").hidden = true;
    status("");
    await openSharedPlan();
  } catch (error) {
    await engineFailed(error);
  }
}
