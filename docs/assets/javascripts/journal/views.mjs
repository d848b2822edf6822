// The Today screen, drawn from the journal engine's answer (calculators/journal.py). Every
// value goes in as text. The chart is SVG that Python drew with every value escaped and no
// style or script (calculators/journal_chart.py), parsed inert in a <template> as page.mjs
// does for the plan HTML; its data table is built here from the engine's rows.

import { el, light } from "../calculators/page.mjs";

function markup(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}

function recoverySwitch(root, { document, names }) {
  const box = root.querySelector("[data-journal-switch]");
  const select = root.querySelector("[data-journal-active]");
  select.replaceChildren(
    ...document.recoveries.map((recovery) => {
      const name = names[recovery.condition] ?? recovery.condition;
      const option = el("option", { value: recovery.id }, `${name}, started ${recovery.created}`);
      option.selected = recovery.id === document.active;
      return option;
    }),
  );
  box.hidden = document.recoveries.length < 2;
}

const SESSION_HEADS = {
  planned: "Today's session",
  done: "Today's session: done",
  rest: "Rest day",
  skipped: "Skipped today",
  stopped: "No running today",
  finished: "Plan finished",
};

function sessionCard(session, plan) {
  if (!session) return [];
  const parts = [
    el("p", { class: "hb-journal-session-head" }, el("strong", {}, SESSION_HEADS[session.status] ?? "Today")),
  ];
  if (plan && plan.condition_name) parts.push(el("p", { class: "hb-journal-condition" }, plan.condition_name));
  if (session.level) {
    parts.push(el("p", { class: "hb-journal-level" }, `Level ${session.level} of ${session.levels}`));
  }
  if (session.text) parts.push(el("p", {}, session.text));
  if (session.status === "planned" && session.done_means) {
    parts.push(el("p", { class: "hb-journal-done-means" }, session.done_means));
  }
  if (plan && plan.message && session.status !== "planned") parts.push(el("p", {}, plan.message));
  return parts;
}

function urgencyNote(root, plan) {
  // A stopped plan's urgency, in the page's own words with this copy's local numbers.
  if (!plan || !plan.urgency) return [];
  const action = root.querySelector(`[data-urgency-action="${plan.urgency}"]`);
  return [el("p", { class: `hb-light-urgency hb-urgency--${plan.urgency}` }, action ? action.textContent : plan.urgency_text)];
}

function table(data) {
  if (!data || !data.rows || data.rows.length === 0) return null;
  const head = el("tr", {}, ...data.columns.map((c) => el("th", { scope: "col" }, c.label)));
  const rows = data.rows.map((row) =>
    el(
      "tr",
      {},
      ...data.columns.map((c, i) => {
        const value = row[c.key];
        const text = value === null || value === undefined ? "–" : String(value);
        return i === 0 ? el("th", { scope: "row" }, `${row.weekday} ${text}`) : el("td", {}, text);
      }),
    ),
  );
  const details = el("details", { class: "hb-journal-table" }, el("summary", {}, "Day by day, as a table"));
  details.append(
    el("div", { class: "hb-journal-table-scroll" },
      el("table", {}, el("caption", {}, data.caption), el("thead", {}, head), el("tbody", {}, ...rows))),
  );
  return details;
}

function weekList(weeks) {
  if (!weeks || weeks.length === 0) return [];
  const [now, before] = weeks;
  const line = (week) =>
    el(
      "li",
      {},
      el("strong", {}, `${week.label} (${week.start} to ${week.end}): `),
      `${week.days_logged} check-ins, ${week.sessions} sessions, ${week.minutes} minutes` +
        (week.highest_pain === null || week.highest_pain === undefined ? "." : `, highest pain ${week.highest_pain}/10.`),
    );
  const items = [el("ul", {}, line(now), ...(before ? [line(before)] : []))];
  if (now.compared) items.push(el("p", {}, now.compared));
  return items;
}

function planList(plan) {
  if (!plan) return [];
  const parts = [];
  if (plan.level && plan.levels) parts.push(el("p", {}, `You are at level ${plan.level} of ${plan.levels}.`));
  // The latest few ways the check-ins changed the plan, newest last, as the engine words them.
  const changes = (plan.changes ?? []).slice(-5);
  if (changes.length) {
    parts.push(
      el("p", {}, el("strong", {}, "How your check-ins changed the plan:")),
      el("ul", { class: "hb-journal-changes" }, ...changes.map((c) => el("li", {}, `${c.date}: ${c.text}`))),
    );
  }
  const sessions = (plan.weeks ?? []).flatMap((week) => week.sessions).slice(0, 14);
  if (sessions.length) {
    parts.push(
      el(
        "table",
        { class: "hb-journal-upcoming" },
        el("caption", {}, "Your next sessions"),
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Date"), el("th", { scope: "col" }, "Level"), el("th", { scope: "col" }, "Session"))),
        el("tbody", {}, ...sessions.map((s) => el("tr", {}, el("th", { scope: "row" }, s.date), el("td", {}, String(s.level)), el("td", {}, s.text)))),
      ),
    );
  }
  if (plan.finish_date) parts.push(el("p", {}, `At this rate the plan ends on ${plan.finish_date}.`));
  return parts;
}

export function renderToday(root, result, context) {
  const today = result.today ?? {};
  recoverySwitch(root, context);
  root.querySelector("[data-journal-morning]").hidden = !today.morning_prompt;
  root
    .querySelector("[data-journal-session]")
    .replaceChildren(...sessionCard(today.session, result.plan), ...urgencyNote(root, result.plan));
  root.querySelector("[data-journal-light]").replaceChildren(...(today.check ? [light(today.check, root)] : []));
  const chart = root.querySelector("[data-journal-chart]");
  chart.replaceChildren();
  if (result.chart_svg) chart.append(markup(result.chart_svg));
  const rows = table(result.table);
  if (rows) chart.append(rows);
  root.querySelector("[data-journal-weeks]").replaceChildren(...weekList(result.weeks));
  root.querySelector("[data-journal-plan]").replaceChildren(...planList(result.plan));
  const reminder = context.overdue;
  const note = root.querySelector("[data-journal-reminder]");
  note.hidden = !reminder;
  note.textContent = reminder
    ? reminder.never
      ? `You have kept this journal for ${reminder.days} days without saving a backup file. Save one from “Your data”: it is the only copy outside this browser.`
      : `Your last backup file is ${reminder.days} days old. Save a new one from “Your data”.`
    : "";
}
