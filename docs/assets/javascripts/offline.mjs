// Offline support on the page: registers the service worker, offers "Save for offline",
// shows whether the device is offline and whether the offline copy is complete, and asks
// before switching to a new version ("New version available — reload"). On a first visit it
// asks the service worker to save the pages once the page is idle, unless the runner saves
// data (connection.mjs); "Save for offline" always saves everything.

import { savingData, whenIdle } from "./connection.mjs";

const SITE_ROOT = new URL("../../", import.meta.url);
// precache: "waiting" (for the page to be idle), "running", "done", "skipped" (the runner
// saves data) or how it failed.
const state = (globalThis.__hbOffline ??= { registration: null, report: null, saving: false, precache: null });
// How often a running save is checked on, so a service worker that was stopped mid-save is
// noticed. Tests shorten these, and the worker's stall timeout, through this global.
const settings = { checkMs: 4000, stallMs: 0, ...globalThis.hbOfflineSettings };

function megabytes(bytes) {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

function ask(type, fields = {}, timeoutMs = 0) {
  const controller = navigator.serviceWorker.controller;
  if (!controller) return Promise.resolve(null);
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    if (timeoutMs) setTimeout(() => resolve(null), timeoutMs);
    controller.postMessage({ type, ...fields }, [channel.port2]);
  });
}

// Groups an offline copy needs; the calculators' memory snapshot only makes a start faster.
const NOT_NEEDED_OFFLINE = new Set(["snapshot"]);

function complete(report) {
  return (
    Boolean(report) &&
    Object.entries(report.groups).every(([name, g]) => NOT_NEEDED_OFFLINE.has(name) || g.saved === g.files)
  );
}

// ---- the status line in the footer and the offline bar -------------------------------

// The saved copy changed without the runner's "Save for offline" (the idle copy of the pages,
// or Pyodide kept after a first use). Once the runner chose "Save for offline", its own
// outcome stays on the control and only the footer updates.
async function showNewStatus() {
  if (!state.saveChosen) {
    await refreshStatus();
    return;
  }
  state.report = (await ask("STATUS")) || state.report;
  footerStatus().textContent = describe(state.report);
}

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

function pagesSaved(report) {
  const core = report?.groups.core;
  return Boolean(core) && core.saved === core.files;
}

function describe(report) {
  if (!report) return "Offline copy: not saved yet.";
  if (complete(report)) return "Offline copy: complete. Pages, search and calculators work without a signal.";
  if (pagesSaved(report)) return "Offline copy: pages and search saved; calculators not saved yet.";
  if (state.precache === "skipped") {
    return "Offline copy: not saved, because this browser asks to save data. Save for offline on the home page keeps a copy.";
  }
  if (state.precache === "running") return "Offline copy: still saving pages.";
  if (report.groups.core?.saved) return "Offline copy: some pages saved.";
  return "Offline copy: not saved yet.";
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

function unavailableText(failure) {
  if (failure.reason === "space") {
    return `Saving for offline is unavailable: there is not enough storage space on this device (saving the pages ${failure.message}). Pages still open while you have a signal.`;
  }
  return "Saving for offline is unavailable right now. Pages still open while you have a signal; reload later to try again.";
}

function paintControl(control) {
  const button = control.querySelector("button");
  const text = control.querySelector(".hb-save-offline-status");
  const report = state.report;
  if (state.saving) return;
  if (state.unavailable && !pagesSaved(report)) {
    text.textContent = unavailableText(state.unavailable);
    button.hidden = true;
    return;
  }
  if (!report) {
    text.textContent = "Reload this page to save the handbook for offline use.";
    button.hidden = true;
    return;
  }
  const total = Object.values(report.groups).reduce((sum, g) => sum + g.bytes, 0);
  const saved = Object.values(report.groups).reduce((sum, g) => sum + g.savedBytes, 0);
  if (complete(report)) {
    text.textContent = `Ready offline (${megabytes(saved)} saved on this device).`;
    button.hidden = true;
  } else {
    text.textContent = `Download size: ${megabytes(total - saved)} (${megabytes(total)} in all).`;
    button.hidden = false;
    button.disabled = false;
  }
}

// What the runner reads when a save stops, by the worker's reason; the space message
// carries its own numbers ("needs about N MB, M MB free").
function stoppedText(message) {
  const resume = "Try again: only the missing files will be downloaded.";
  switch (message.reason) {
    case "space":
      return `Not enough storage space on this device: saving for offline ${message.message}. Free some space, then try again.`;
    case "stalled":
      return `Saving stopped: the server stopped answering. ${resume}`;
    case "lost":
      return `Saving stopped: the browser ended the download in the background. ${resume}`;
    case "changed":
      return `Saving stopped: a new version of the handbook is being published. ${resume}`;
    default:
      return `Saving stopped (${message.message}). Try again when you have a signal: only the missing files will be downloaded.`;
  }
}

async function freeSpace() {
  if (!navigator.storage || !navigator.storage.estimate) return Infinity;
  try {
    const { usage = 0, quota = Infinity } = await navigator.storage.estimate();
    return Math.max(0, quota - usage);
  } catch {
    return Infinity;
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
  if (state.saving) return;
  state.saving = true;
  state.saveChosen = true;
  button.disabled = true;
  let finished = false;
  let watchdog = null;
  const finish = (message) => {
    if (finished) return;
    finished = true;
    clearInterval(watchdog);
    state.saving = false;
    progress.hidden = true;
    if (message.type === "saved") {
      state.report = message.status;
      text.textContent = "Ready offline.";
      button.hidden = true;
      footerStatus().textContent = describe(state.report);
    } else {
      button.disabled = false;
      text.textContent = stoppedText(message);
    }
  };
  // Ask before downloading 19 MB into a phone that cannot hold it.
  const report = (await ask("STATUS")) || state.report;
  if (report) {
    const needed = Object.entries(report.groups)
      .filter(([name]) => !NOT_NEEDED_OFFLINE.has(name))
      .reduce((sum, [, g]) => sum + g.bytes - g.savedBytes, 0);
    const free = await freeSpace();
    if (needed > free) {
      finish({ type: "failed", reason: "space", message: `needs about ${megabytes(needed)}, ${megabytes(free)} free` });
      return;
    }
  }
  progress.hidden = false;
  if (navigator.storage && navigator.storage.persist) {
    // Ask the browser not to clear the saved copy when space runs low.
    navigator.storage.persist().catch(() => false);
  }
  const id = `${Date.now()}-${Math.random()}`;
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => {
    const message = event.data;
    if (message.type === "progress") {
      if (finished) return;
      progress.max = message.total;
      progress.value = message.done;
      text.textContent = `Saving… ${megabytes(message.done)} of ${megabytes(message.total)}`;
    } else {
      finish(message);
    }
  };
  // A stopped service worker sends nothing more and forgets the save: ask now and then.
  let checking = false;
  watchdog = setInterval(async () => {
    if (checking || finished) return;
    checking = true;
    const answer = await ask("SAVE_CHECK", { id }, settings.checkMs * 3);
    checking = false;
    if (!answer || answer.type === "lost") finish({ type: "failed", reason: "lost" });
    else if (answer.result) finish(answer.result);
  }, settings.checkMs);
  controller.postMessage({ type: "SAVE_ALL", id, stallMs: settings.stallMs }, [channel.port2]);
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
  button.addEventListener("click", () => {
    button.disabled = true;
    // The new version taking over reloads every tab (see start). If none is waiting any more
    // (a newer deploy replaced it, say), a plain reload still loads the current version.
    if (registration.waiting) registration.waiting.postMessage({ type: "SKIP_WAITING" });
    else location.reload();
  });
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

// The first install can fail (no space, a deploy mid-install); then `ready` never settles.
function firstInstallFailed(registration) {
  return new Promise((resolve) => {
    const watch = (incoming) =>
      incoming?.addEventListener("statechange", () => {
        if (incoming.state === "redundant" && !registration.active) {
          state.unavailable ??= { reason: "unknown" };
          resolve(true);
        }
      });
    watch(registration.installing);
    registration.addEventListener("updatefound", () => watch(registration.installing));
    if (!registration.installing && !registration.waiting && !registration.active) {
      state.unavailable ??= { reason: "unknown" };
      resolve(true);
    }
  });
}

async function start() {
  if (!("serviceWorker" in navigator) || !document.querySelector('meta[name="hb-service-worker"]')) return;
  window.addEventListener("online", showOfflineState);
  window.addEventListener("offline", showOfflineState);
  // Once this tab has a worker, a new one taking over means an accepted update: every open
  // tab reloads, so no page keeps running old scripts against new files.
  // A first visit's tab is taken over too (clients.claim); that is no update, but any later
  // change is.
  let controlled = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (controlled && !state.reloading) {
      state.reloading = true;
      location.reload();
    }
    controlled = true;
  });
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "install-failed" && !state.registration?.active) {
      state.unavailable = event.data;
      for (const control of document.querySelectorAll("[data-hb-save-offline]")) paintControl(control);
    }
    // The worker saved files this page did not ask for (Pyodide, after a first use).
    if (event.data && event.data.type === "status-changed" && navigator.serviceWorker.controller) {
      showNewStatus();
    }
  });
  navigator.serviceWorker.startMessages();
  const registration = await navigator.serviceWorker.register(new URL("sw.js", SITE_ROOT), {
    scope: SITE_ROOT.pathname,
  });
  state.registration = registration;
  watchForUpdates(registration);
  const failed = await Promise.race([
    navigator.serviceWorker.ready.then(() => false),
    firstInstallFailed(registration),
  ]);
  if (failed) {
    bindControls();
    return;
  }
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
  precacheWhenIdle(registration);
}

// Ask the worker for the copy of the pages, and its outcome. A service worker the browser
// stops mid-copy forgets it and never answers, so now and then the page asks whether the copy
// is still running, and if not asks for it again: the worker skips the files already saved.
// A check the worker does not answer in time proves nothing, so only a "no" starts it again;
// a "no" with an outcome (the answer to the request was lost) ends the wait with it.
function precacheWatched(worker) {
  return new Promise((resolve) => {
    let checking = false;
    let settled = false;
    const settle = (result) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      resolve(result);
    };
    const send = () => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => settle(event.data);
      (navigator.serviceWorker.controller || worker).postMessage({ type: "PRECACHE" }, [channel.port2]);
    };
    const watchdog = setInterval(async () => {
      // A page no worker controls (a hard reload) cannot ask; the request's answer still comes.
      if (!navigator.serviceWorker.controller) clearInterval(watchdog);
      if (checking || settled || !navigator.serviceWorker.controller) return;
      checking = true;
      const answer = await ask("PRECACHE_CHECK", {}, settings.checkMs * 3);
      checking = false;
      if (settled || !answer || answer.running !== false) return;
      if (answer.result) settle(answer.result);
      else send();
    }, settings.checkMs);
    send();
  });
}

// The first visit's copy of the pages waits until this page has loaded and is idle, so it
// never competes with the page's own downloads, and is not made at all when the runner saves
// data. Files the page already fetched come from the browser's HTTP cache, not the network.
function precacheWhenIdle(registration) {
  if (state.precache || pagesSaved(state.report)) return;
  if (savingData()) {
    state.precache = "skipped";
    footerStatus().textContent = describe(state.report);
    return;
  }
  state.precache = "waiting";
  whenIdle(async () => {
    const worker = navigator.serviceWorker.controller || registration.active;
    if (!worker) return;
    state.precache = "running";
    footerStatus().textContent = describe(state.report);
    const result = await precacheWatched(worker);
    state.precache = result?.type === "precached" ? "done" : result;
    if (result?.type === "failed" && result.reason === "space") state.unavailable = result;
    await showNewStatus();
  });
}

if (!state.started) {
  state.started = true;
  start().catch(() => {});
}
if (typeof document$ !== "undefined") document$.subscribe(() => {
  if (state.report || state.unavailable) bindControls();
  showOfflineState();
});
