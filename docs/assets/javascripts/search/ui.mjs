// The search dialog: the header button or "/" opens it, results appear as the runner types,
// and the arrow keys move between them. What is typed stays in this page: it is never put in
// an address, and result links are the plain page addresses.

import { excerptParts, findPages, loadSearch } from "./engine.mjs";

const SHOWN_RESULTS = 8;
const TYPING_PAUSE_MS = 120;

const dialog = document.querySelector("[data-hb-search]");
const input = dialog?.querySelector(".hb-search__input");
const status = dialog?.querySelector(".hb-search__status");
const list = dialog?.querySelector(".hb-search__results");
let latest = 0;
let timer = 0;

/** The excerpt as text nodes, matches in <mark>: nothing from the index becomes markup. */
function excerptNodes(excerpt) {
  return excerptParts(excerpt).map(({ text, marked }) => {
    if (!marked) return document.createTextNode(text);
    const mark = document.createElement("mark");
    mark.textContent = text;
    return mark;
  });
}

function resultItem(data) {
  const link = document.createElement("a");
  // Also the theme's own result class, so tools and tests written for it find our results.
  link.className = "hb-search__result md-search-result__link";
  link.href = data.url;
  const title = document.createElement("span");
  title.className = "hb-search__title";
  title.textContent = data.meta.title || data.url;
  link.append(title);
  const where = [data.meta.region, data.meta.tissue].filter(Boolean).join(" · ");
  if (where) {
    const meta = document.createElement("span");
    meta.className = "hb-search__where";
    meta.textContent = where;
    link.append(meta);
  }
  const excerpt = document.createElement("span");
  excerpt.className = "hb-search__excerpt";
  excerpt.append(...excerptNodes(data.excerpt));
  link.append(excerpt);
  const item = document.createElement("li");
  item.append(link);
  return item;
}

async function show(query) {
  const ticket = ++latest;
  if (!query.trim()) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  try {
    const results = await findPages(await loadSearch(), query);
    const pages = await Promise.all(results.slice(0, SHOWN_RESULTS).map((r) => r.data()));
    if (ticket !== latest) return; // the runner has typed more since
    list.replaceChildren(...pages.map(resultItem));
    status.textContent = pages.length
      ? `${results.length} ${results.length === 1 ? "page" : "pages"} found`
      : "No page found. Try another word, such as the body part that hurts.";
  } catch (error) {
    if (ticket !== latest) return;
    list.replaceChildren();
    status.textContent = "Search is not available right now. Browse by body region instead.";
    console.error("search failed", error);
  }
}

function links() {
  return [...list.querySelectorAll(".hb-search__result")];
}

function onKey(event) {
  if (event.key === "Escape") {
    // A search box would only clear itself on the first Escape; close at once, as the theme did.
    event.preventDefault();
    dialog.close();
    return;
  }
  const all = links();
  if (!all.length) return;
  const at = all.indexOf(document.activeElement);
  let next = null;
  if (event.key === "ArrowDown") next = at < 0 ? 0 : Math.min(at + 1, all.length - 1);
  else if (event.key === "ArrowUp") next = at <= 0 ? -1 : at - 1;
  else if (event.key === "Enter" && event.target === input) next = 0;
  else return;
  event.preventDefault();
  if (event.key === "Enter") all[0].click();
  else if (next < 0) input.focus();
  else all[next].focus();
}

function open() {
  if (!dialog.open) dialog.showModal();
  input.focus();
  input.select();
}

function typingInField(target) {
  return target instanceof HTMLElement && (target.isContentEditable ||
    ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName));
}

function revealControls() {
  for (const node of document.querySelectorAll("[data-hb-search-only]")) node.hidden = false;
}

function bindOpeners() {
  revealControls();
  for (const button of document.querySelectorAll("[data-hb-search-open]")) {
    if (button.dataset.hbBound) continue;
    button.dataset.hbBound = "true";
    button.addEventListener("click", open);
  }
}

if (dialog && !dialog.dataset.hbBound) {
  dialog.dataset.hbBound = "true";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => show(input.value), TYPING_PAUSE_MS);
  });
  dialog.addEventListener("keydown", onKey);
  dialog.querySelector("[data-hb-search-close]").addEventListener("click", () => dialog.close());
  // A result opens its page (through the theme's instant navigation); the dialog goes away.
  list.addEventListener("click", (event) => {
    if (event.target.closest(".hb-search__result")) dialog.close();
  });
  // A tap on the dimmed backdrop lands on the dialog element itself.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (dialog.open || typingInField(event.target)) return;
    event.preventDefault();
    open();
  });
  // Material swaps the page content on instant navigation; the home page has its own button.
  if (typeof document$ !== "undefined") document$.subscribe(bindOpeners);
  else bindOpeners();
}
