// Loaded on every page (overrides/main.html): starts the journal app, and its styles, only
// where the page has one, on first load and after each of Material's instant navigations.

// The journal's stylesheet is linked only from the journal page itself, so a page reached by
// instant navigation (which keeps the first page's head) gets it here.
const STYLES = new URL("../../stylesheets/journal.css", import.meta.url);

function addStyles() {
  const linked = [...document.querySelectorAll('link[rel="stylesheet"]')].some((link) => link.href === STYLES.href);
  if (linked) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = STYLES.href;
  document.head.append(link);
}

function boot() {
  const root = document.querySelector("[data-hb-journal]");
  if (!root || root.dataset.hbBound) return;
  root.dataset.hbBound = "true";
  addStyles();
  import("./app.mjs").then((app) => app.mount(root));
}

if (typeof document$ !== "undefined") document$.subscribe(boot);
else boot();
