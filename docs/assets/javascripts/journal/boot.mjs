// Loaded on every page (overrides/main.html): starts the journal app only where the page has
// one, on first load and after each of Material's instant navigations.

function boot() {
  const root = document.querySelector("[data-hb-journal]");
  if (!root || root.dataset.hbBound) return;
  root.dataset.hbBound = "true";
  import("./app.mjs").then((app) => app.mount(root));
}

if (typeof document$ !== "undefined") document$.subscribe(boot);
else boot();
