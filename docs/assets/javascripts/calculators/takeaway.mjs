// Take-away tools for a runner's own plan: "Add to calendar", "Share this plan", "Print my
// plan", and opening a #plan= link on a condition page or on its printable handout.
//
// Nothing leaves the device: the calendar file, the link and its QR code are made by the
// calculators' worker (Python: calculators/ics.py, calculators/share.py and segno), the file
// is saved from a Blob, and a link carries the answers in its fragment, which a browser never
// sends to any server. page.mjs hands in its worker functions (no import cycle).

const PLAN_LINK = /^#plan=/;
let tools = null; // { calculate, collect, start, qrCode } from page.mjs
let shownForm = null; // the plan form whose plan (with sessions) is on the page

async function call(name, payload) {
  await tools.start();
  return JSON.parse(await tools.calculate(name, payload));
}

/** The errors of a bridge answer as one sentence (the journal's set-up says them too). */
export function messages(errors) {
  return errors.map((error) => error.message.charAt(0).toUpperCase() + error.message.slice(1)).join(". ");
}

function pageAddress() {
  // Never the query string or an old fragment: the address of this page alone.
  return `${location.origin}${location.pathname}`;
}

function utcStamp() {
  return `${new Date().toISOString().slice(0, 19)}Z`;
}

async function drawQr(slot, text, title) {
  // segno's SVG: its title escaped, no style attribute, so a strict policy allows it.
  const template = document.createElement("template");
  template.innerHTML = await tools.qrCode(text, title);
  slot.replaceChildren(template.content);
}

/** page.mjs calls this after showing a plan: the tools appear only for a plan with sessions. */
export function planShown(form, result) {
  const box = document.querySelector("[data-hb-plan-tools]");
  if (!box) return;
  const sessions = Array.isArray(result.weeks) && result.weeks.length > 0;
  box.hidden = !sessions;
  shownForm = sessions ? form : null;
  box.querySelector("[data-hb-share]").hidden = true;
  box.querySelector("[data-hb-tools-status]").textContent = "";
}

function shareRequest(box) {
  const request = tools.collect(shownForm);
  const note = box.querySelector("[data-hb-note]");
  const prescribed = box.querySelector("[data-hb-prescribed]");
  if (note && note.value.trim()) request.note = note.value;
  if (prescribed) request.prescribed = prescribed.checked;
  return request;
}

async function shareFragment(box) {
  const answer = await call("share_link", shareRequest(box));
  if (!answer.ok) throw new Error(messages(answer.errors));
  return answer.result.fragment;
}

async function addToCalendar(box, say) {
  const request = { ...tools.collect(shownForm), link: pageAddress(), stamp: utcStamp() };
  const reminder = box.querySelector("[data-hb-reminder]").value;
  if (reminder) request.reminder = reminder.slice(0, 5);
  const answer = await call("plan_calendar", request);
  if (!answer.ok) throw new Error(messages(answer.errors));
  const { ics, filename, events } = answer.result;
  const url = URL.createObjectURL(new Blob([ics], { type: "text/calendar;charset=utf-8" }));
  // A detached link: the theme's instant navigation never sees its click.
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  say(
    `Saved ${filename}: ${events} sessions, each on its day. Open it to add them to your ` +
      "calendar; opening a newer file replaces them.",
  );
}

async function share(box, say) {
  const url = `${pageAddress()}#${await shareFragment(box)}`;
  const panel = box.querySelector("[data-hb-share]");
  const field = panel.querySelector("[data-hb-share-link]");
  field.value = url;
  panel.hidden = false;
  await drawQr(panel.querySelector("[data-hb-share-qr]"), url, "QR code of the link to this plan");
  try {
    await navigator.clipboard.writeText(url);
    say("Link copied. Anyone who opens it sees this plan; you can also scan the QR code.");
  } catch {
    field.select();
    say("Copy the link below, or scan the QR code with another phone.");
  }
}

async function printPlan(button, box) {
  const fragment = await shareFragment(box);
  location.assign(new URL(`${button.dataset.handout}#${fragment}`, location.href).href);
}

function bindTools(box) {
  if (box.dataset.hbBound) return;
  box.dataset.hbBound = "true";
  const status = box.querySelector("[data-hb-tools-status]");
  const say = (text) => {
    status.textContent = text;
  };
  const actions = {
    calendar: () => addToCalendar(box, say),
    share: () => share(box, say),
    print: (button) => printPlan(button, box),
  };
  for (const button of box.querySelectorAll("[data-hb-action]")) {
    button.addEventListener("click", async () => {
      if (!shownForm) return;
      button.disabled = true;
      say("");
      try {
        await actions[button.dataset.hbAction](button);
      } catch (error) {
        say(`That did not work: ${error.message}`);
      } finally {
        button.disabled = false;
      }
    });
  }
}

// ---- opening a link -------------------------------------------------------------------

/** The link's answers go into the form's own fields, so the runner sees and can change them.
 *  The journal's set-up fills its form the same way. A date the link leaves out keeps the
 *  form's own default (today). */
export function fill(form, payload) {
  for (const control of form.elements) {
    if (!control.name || !control.dataset.type) continue;
    const value = payload[control.name];
    if (value === undefined && control.dataset.default === "today") continue;
    if (control.type === "checkbox") {
      control.checked = Array.isArray(value) && value.includes(control.value);
    } else if (control.type === "radio") {
      control.checked = value !== undefined && String(value) === control.value;
    } else {
      control.value = value === undefined || value === null ? "" : String(value);
    }
  }
}

async function openLink() {
  const answer = await call("open_share", { link: location.hash });
  if (!answer.ok) throw new Error(messages(answer.errors));
  return answer.result;
}

/** With the journal in this copy (the header's "My recovery" link; a clinic can turn the
 *  journal off), an action after `anchor` that opens it with the same #plan= fragment, so its
 *  set-up starts from this plan. The fragment still reaches no server. */
function offerRecovery(anchor) {
  const journal = document.querySelector("a.hb-journal-open");
  if (!journal) return;
  const address = new URL(journal.href);
  address.hash = location.hash;
  const action = document.createElement("p");
  action.className = "hb-shared-recovery";
  const link = document.createElement("a");
  link.className = "md-button";
  link.href = address.href;
  link.textContent = "Start a recovery with this plan";
  action.append(link);
  anchor.after(action);
}

export function sharedNote(note, prescribed, startDate) {
  const parts = [];
  if (prescribed) parts.push(`Your clinician chose the start date: ${startDate}.`);
  if (note) parts.push(`From your clinician: ${note}`);
  return parts.join(" ");
}

async function openOnPage(form) {
  const section = form.closest("[data-hb-calc]");
  const notice = document.createElement("p");
  notice.className = "hb-shared-plan";
  notice.setAttribute("role", "status");
  section.insertBefore(notice, form);
  notice.textContent = "Opening the shared plan…";
  try {
    const { payload, note, prescribed } = await openLink();
    if (payload.condition !== form.dataset.condition) {
      throw new Error("it is a plan for another condition; open it from that condition's page");
    }
    fill(form, payload);
    notice.textContent =
      "These answers came from a shared plan link. " + sharedNote(note, prescribed, payload.start_date);
    offerRecovery(notice);
    form.requestSubmit();
  } catch (error) {
    notice.textContent = `This plan link cannot be used: ${error.message}. The form and the plan on this page still work.`;
  }
}

async function openOnHandout(handout) {
  const status = handout.querySelector("[data-hb-handout-status]");
  status.textContent = "Opening your plan…";
  // The link's QR code is drawn while the plan is worked out: the worker loads the QR
  // encoder (its own zip) only now, and the figure is shown only with the plan.
  const figure = handout.querySelector("[data-hb-handout-plan-qr]");
  const drawing = drawQr(figure.querySelector("[data-hb-qr-slot]"), location.href, "QR code of your plan's link");
  drawing.catch(() => {}); // reported below, if the plan opens
  try {
    const { payload, note, prescribed } = await openLink();
    if (payload.condition !== handout.dataset.hbHandout) {
      throw new Error("it is a plan for another condition");
    }
    const answer = JSON.parse(await tools.calculate("return_to_run_plan", payload));
    if (!answer.ok) throw new Error(messages(answer.errors));
    const plan = document.createElement("template");
    plan.innerHTML = answer.result.html;
    const parts = [".hb-plan-message", ".hb-plan-referral", "table.hb-plan-table", ".hb-plan-return"]
      .map((selector) => plan.content.querySelector(selector))
      .filter(Boolean);
    const own = handout.querySelector("[data-hb-handout-own]");
    own.querySelector("[data-hb-handout-weeks]").replaceChildren(...parts);
    const shared = sharedNote(note, prescribed, payload.start_date);
    const noteBox = own.querySelector("[data-hb-handout-note]");
    noteBox.hidden = !shared;
    noteBox.querySelector("span").textContent = shared.replace(/^From your clinician: /, "");
    own.hidden = false;
    handout.querySelector("[data-hb-handout-default]").hidden = true;
    status.textContent = `Your own plan, from your link, starting ${payload.start_date}.`;
    offerRecovery(status);
    await drawing;
    figure.hidden = false;
  } catch (error) {
    status.textContent = `Your plan could not be opened here: ${error.message}. The default plan below still applies.`;
  }
}

function bindHandout(handout) {
  if (handout.dataset.hbBound) return;
  handout.dataset.hbBound = "true";
  const print = handout.querySelector("[data-hb-handout-print]");
  print.hidden = false;
  print.querySelector("button").addEventListener("click", () => window.print());
  if (PLAN_LINK.test(location.hash)) openOnHandout(handout);
}

/** page.mjs calls this on every page (and every instant navigation). */
export function bindTakeaways(given) {
  tools = given;
  const box = document.querySelector("[data-hb-plan-tools]");
  if (box) bindTools(box);
  const handout = document.querySelector("[data-hb-handout]");
  if (handout) bindHandout(handout);
  // A condition page's plan form; the journal's set-up form opens a link itself (app.mjs).
  const form = document.querySelector('[data-hb-calc] form[data-calculator="return_to_run_plan"]');
  if (form && PLAN_LINK.test(location.hash) && !form.dataset.hbLinkOpened) {
    form.dataset.hbLinkOpened = "true";
    openOnPage(form);
  }
}
