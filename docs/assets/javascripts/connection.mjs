// What the runner's connection allows in the background. Both the calculators' early start
// and the first-visit offline copy ask here, so "save data" means the same thing everywhere.

// Effective connection types (Network Information API) too slow for background downloads.
const SLOW_CONNECTIONS = new Set(["slow-2g", "2g"]);

// True when the browser says the runner turned on Data Saver, or the connection is 2G or
// slower. Browsers without the Network Information API (Safari, Firefox) give no hint, so
// background work goes ahead there.
export function savingData() {
  const connection = globalThis.navigator?.connection;
  if (!connection) return false;
  return Boolean(connection.saveData) || SLOW_CONNECTIONS.has(connection.effectiveType);
}

// Run `task` once the page is idle: after it has loaded and the main thread has a quiet
// moment, or after `timeoutMs` at the latest. Safari has no requestIdleCallback, so there a
// short timer after load stands in for it.
export function whenIdle(task, timeoutMs = 4000) {
  const schedule = () => {
    if (typeof globalThis.requestIdleCallback === "function") {
      globalThis.requestIdleCallback(() => task(), { timeout: timeoutMs });
    } else {
      setTimeout(task, 200);
    }
  };
  if (document.readyState === "complete") schedule();
  else globalThis.addEventListener("load", schedule, { once: true });
}
