// Offline support on the page: registers the service worker, offers "Save for offline",
// shows whether the device is offline and whether the offline copy is complete, and asks
// before switching to a new version ("New version available — reload").

const SITE_ROOT = new URL("../../", import.meta.url);
const state = (globalThis.__hbOffline ??= { registration: null, report: null, saving: false });

function megabytes(bytes) {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

function ask(type) {
  const controller = navigator.serviceWorker.controller;
  if (!controller) return Promise.resolve(null);
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    controller.postMessage({ type }, [channel.port2]);
  });
}

function complete(report) {
  return Boolean(report) && Object.values(report.groups).every((g) => g.saved === g.files);
}

// ---- the status line in the footer and the offline bar -------------------------------

function bar() {
  let node = document.querySelector(".hb-offline-bar");
  if (!node) {
    // Two parts, so going offline never wipes a pending "Reload" prompt.
    node = document.createElement("div");
    node.className = "hb-offline-bar";
    node.setAttribute("role", "status");
    node.hidden = true;
    node.append(document.createElement("span"), document.createElement("span"));
    node.firstChild.className = "hb-offline-state";
    node.lastChild.className = "hb-update-prompt";
    document.querySelector(".md-header")?.after(node);
  }
  return node;
}

function footerStatus() {
  let node = document.querySelector(".hb-offline-footer");
  if (!node) {
    node = document.createElement("p");
    node.className = "hb-offline-footer";
    document.querySelector(".md-footer-meta__inner")?.prepend(node);
  }
  return node;
}

function describe(report) {
  if (!report) return "Offline copy: not saved yet.";
  if (complete(report)) return "Offline copy: complete. Pages, search and calculators work without a signal.";
  const core = report.groups.core;
  if (core && core.saved === core.files) return "Offline copy: pages and search saved; calculators not saved yet.";
  return "Offline copy: still saving pages.";
}

function showOfflineState() {
  const node = bar();
  const offline = node.querySelector(".hb-offline-state");
  offline.textContent = navigator.onLine ? "" : `You are offline. ${describe(state.report)} `;
  node.hidden = navigator.onLine && !node.querySelector(".hb-update-prompt").childNodes.length;
}

async function refreshStatus() {
  state.report = await ask("STATUS");
  footerStatus().textContent = describe(state.report);
  for (const control of document.querySelectorAll("[data-hb-save-offline]")) paintControl(control);
  showOfflineState();
}

// ---- "Save for offline" -----------------------------------------------------------------

function paintControl(control) {
  const button = control.querySelector("button");
  const text = control.querySelector(".hb-save-offline-status");
  const report = state.report;
  if (state.saving) return;
  if (!report) {
    text.textContent = "Reload this page to save the handbook for offline use.";
    button.hidden = true;
    return;
  }
  const total = Object.values(report.groups).reduce((sum, g) => sum + g.bytes, 0);
  const saved = Object.values(report.groups).reduce((sum, g) => sum + g.savedBytes, 0);
  if (complete(report)) {
    text.textContent = `Ready offline (${megabytes(total)} saved on this device).`;
    button.hidden = true;
  } else {
    text.textContent = `Download size: ${megabytes(total - saved)} (${megabytes(total)} in all).`;
    button.hidden = false;
    button.disabled = false;
  }
}

async function saveForOffline(control) {
  const button = control.querySelector("button");
  const text = control.querySelector(".hb-save-offline-status");
  const progress = control.querySelector("progress");
  const controller = navigator.serviceWorker.controller;
  if (!controller) {
    text.textContent = "Getting ready; try again in a moment.";
    return;
  }
  state.saving = true;
  button.disabled = true;
  progress.hidden = false;
  if (navigator.storage && navigator.storage.persist) {
    // Ask the browser not to clear the saved copy when space runs low.
    navigator.storage.persist().catch(() => false);
  }
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => {
    const message = event.data;
    if (message.type === "progress") {
      progress.max = message.total;
      progress.value = message.done;
      text.textContent = `Saving… ${megabytes(message.done)} of ${megabytes(message.total)}`;
    } else if (message.type === "saved") {
      state.saving = false;
      state.report = message.status;
      progress.hidden = true;
      text.textContent = "Ready offline.";
      button.hidden = true;
      footerStatus().textContent = describe(state.report);
    } else if (message.type === "failed") {
      state.saving = false;
      button.disabled = false;
      text.textContent = `Saving stopped (${message.message}). Try again when you have a signal.`;
    }
  };
  controller.postMessage({ type: "SAVE_ALL" }, [channel.port2]);
}

function bindControls() {
  for (const control of document.querySelectorAll("[data-hb-save-offline]")) {
    control.hidden = false;
    if (!control.dataset.hbBound) {
      control.dataset.hbBound = "true";
      control.querySelector("button").addEventListener("click", () => saveForOffline(control));
    }
    paintControl(control);
  }
}

// ---- updates ----------------------------------------------------------------------------

function offerUpdate(registration) {
  const prompt = bar().querySelector(".hb-update-prompt");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button md-button--primary hb-update-button";
  button.textContent = "Reload";
  button.addEventListener("click", () => registration.waiting?.postMessage({ type: "SKIP_WAITING" }));
  prompt.replaceChildren("New version available. ", button);
  showOfflineState();
}

function watchForUpdates(registration) {
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration);
  registration.addEventListener("updatefound", () => {
    const incoming = registration.installing;
    incoming?.addEventListener("statechange", () => {
      if (incoming.state === "installed" && navigator.serviceWorker.controller) offerUpdate(registration);
    });
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") registration.update().catch(() => {});
  });
}

async function start() {
  if (!("serviceWorker" in navigator) || !document.querySelector('meta[name="hb-service-worker"]')) return;
  window.addEventListener("online", showOfflineState);
  window.addEventListener("offline", showOfflineState);
  // Once this tab has a worker, a new one taking over means an accepted update: every open
  // tab reloads, so no page keeps running old scripts against new files.
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (hadController && !state.reloading) {
      state.reloading = true;
      location.reload();
    }
  });
  const registration = await navigator.serviceWorker.register(new URL("sw.js", SITE_ROOT), {
    scope: SITE_ROOT.pathname,
  });
  state.registration = registration;
  watchForUpdates(registration);
  await navigator.serviceWorker.ready;
  // A first visit is taken over within moments (clients.claim). A hard reload is never taken
  // over, so the wait is bounded rather than forever.
  if (!navigator.serviceWorker.controller) {
    await Promise.race([
      new Promise((resolve) =>
        navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }),
      ),
      new Promise((resolve) => setTimeout(resolve, 5000)),
    ]);
  }
  bindControls();
  await refreshStatus();
}

if (!state.started) {
  state.started = true;
  start().catch(() => {});
}
if (typeof document$ !== "undefined") document$.subscribe(() => {
  if (state.report) bindControls();
  showOfflineState();
});
