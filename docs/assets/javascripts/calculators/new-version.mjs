// When the calculator cannot load its files because a newer version of the handbook has
// replaced them, the runner is offered the new version instead of an "HTTP 404".

async function registration() {
  if (!("serviceWorker" in navigator)) return null;
  return navigator.serviceWorker.getRegistration().catch(() => null);
}

/** True when `error` (from the calculator worker) is best fixed by loading the new version. */
export async function newVersionReady(error) {
  if (error && error.missing) return true;
  const current = await registration();
  return Boolean(current && current.waiting);
}

async function reload() {
  const current = await registration();
  if (current && current.waiting && navigator.serviceWorker.controller) {
    // offline.mjs reloads every tab once the new version takes over.
    current.waiting.postMessage({ type: "SKIP_WAITING" });
  } else {
    location.reload();
  }
}

/** Replace the calculator's status with "A new version is ready" and a Reload button. */
export function offerNewVersion(section) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button md-button--primary hb-update-button";
  button.textContent = "Reload";
  button.addEventListener("click", () => {
    button.disabled = true;
    reload();
  });
  section.querySelector(".hb-calc-status").replaceChildren("A new version is ready. ", button);
  section.querySelector("form").hidden = true;
}
