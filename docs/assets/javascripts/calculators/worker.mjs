// The calculators' Web Worker: a thin bridge from postMessage to calculators.bridge.
// It loads the self-hosted, pinned Pyodide and our zipped package once, then answers
// {id, name, payload} requests with the bridge's JSON, byte for byte.
let runtime = null;
let ready = null;
let restored = false; // whether Python came from the memory snapshot (tests and benchmarks ask)

// A file this page names that the server no longer has: a newer version replaced it.
class MissingAsset extends Error {
  constructor(message) {
    super(message);
    this.missing = true;
  }
}

async function importRuntime(runtimeUrl) {
  try {
    return await import(`${runtimeUrl}pyodide.mjs`);
  } catch (error) {
    // A failed import does not say why; ask the server whether the runtime is still there.
    const gone = await fetch(`${runtimeUrl}pyodide.mjs`, { method: "HEAD", cache: "no-store" }).then(
      (response) => response.status === 404 || response.status === 410,
      () => false,
    );
    throw gone ? new MissingAsset("calculator runtime: HTTP 404") : error;
  }
}

// The build's memory snapshot (macros/browser/snapshot.py), if this device has saved it:
// the interpreter with our code imported, so a restore skips CPython's start and imports.
// It is used only once saved (Cache Storage, by the service worker): on a first visit its
// 7 MB would double the download, while from the device it saves most of a start.
async function savedSnapshot(snapshotUrl) {
  if (!snapshotUrl || typeof caches === "undefined" || typeof DecompressionStream !== "function") {
    return null;
  }
  // The service worker keys each file by its path plus "?__rev=<revision>".
  return caches.match(snapshotUrl, { ignoreSearch: true }).catch(() => null);
}

// The snapshot's memory, unpacked while Pyodide compiles its wasm. gzip's checksum turns a
// damaged copy into an error here rather than a broken interpreter.
function unpacked(saved) {
  const memory = new Response(saved.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  memory.catch(() => {}); // loadPyodide reports it; never an unhandled rejection as well
  return memory;
}

async function forgetSnapshot(snapshotUrl) {
  for (const name of await caches.keys()) {
    await (await caches.open(name)).delete(snapshotUrl, { ignoreSearch: true });
  }
}

async function loadRuntime(runtimeUrl, snapshotUrl) {
  const { loadPyodide } = await importRuntime(runtimeUrl);
  const saved = await savedSnapshot(snapshotUrl);
  if (saved) {
    try {
      const pyodide = await loadPyodide({ indexURL: runtimeUrl, _loadSnapshot: unpacked(saved) });
      // A snapshot of other code, or memory that restored but is not ours, fails here.
      pyodide.runPython("import sys; assert 'calculators.bridge' in sys.modules");
      return { pyodide, restored: true };
    } catch (error) {
      // Snapshots are experimental: any failure means a normal start, never no answer. The
      // bad copy goes, so the next visit saves a good one.
      console.warn("calculator snapshot not used:", error);
      await forgetSnapshot(snapshotUrl);
    }
  }
  return { pyodide: await loadPyodide({ indexURL: runtimeUrl }), restored: false };
}

// After a normal start, fetch the snapshot once so the service worker saves it for the next
// visit. Not when the runner saves data, and not without a service worker to keep it.
function keepSnapshot(snapshotUrl) {
  if (snapshotUrl) fetch(snapshotUrl).then((response) => response.body?.cancel(), () => {});
}

async function loadBundle(bundleUrl) {
  const response = await fetch(bundleUrl);
  if (response.status === 404 || response.status === 410) {
    throw new MissingAsset(`calculator bundle: HTTP ${response.status}`);
  }
  if (!response.ok) throw new Error(`calculator bundle: HTTP ${response.status}`);
  return response.arrayBuffer();
}

function start({ bundleUrl, runtimeUrl, snapshotUrl, keepSnapshotAfter }) {
  ready ??= (async () => {
    // The runtime folder carries the pinned version in its path, so the page passes it in.
    // Pyodide is kept when only the bundle fails, so a retry never downloads it again.
    runtime ??= loadRuntime(runtimeUrl, snapshotUrl).then(
      (started) => {
        restored = started.restored;
        if (!restored && keepSnapshotAfter) keepSnapshot(snapshotUrl);
        return started.pyodide;
      },
      (error) => {
        runtime = null;
        throw error;
      },
    );
    const [pyodide, bundle] = await Promise.all([runtime, loadBundle(bundleUrl)]);
    pyodide.unpackArchive(bundle, "zip");
    const bridge = pyodide.pyimport("calculators.bridge");
    const catalogue = pyodide.FS.readFile("calculators/catalogue.json", { encoding: "utf8" });
    const configured = JSON.parse(bridge.configure(catalogue));
    if (!configured.ok) throw new Error(configured.errors.map((e) => e.message).join("; "));
    return bridge;
  })();
  return ready;
}

self.addEventListener("message", async (event) => {
  const { id, type, name, payload } = event.data;
  try {
    const bridge = await start(event.data);
    if (type === "warm") {
      self.postMessage({ id, ok: true, json: null, restored });
      return;
    }
    if (type === "qr") {
      // The build's own QR code (macros/browser/qr.py, bundled as hb_qr with segno).
      const svg = (await runtime).pyimport("hb_qr").qr_svg(payload.text, payload.title);
      self.postMessage({ id, ok: true, json: svg });
      return;
    }
    self.postMessage({ id, ok: true, json: bridge.call(name, JSON.stringify(payload)) });
  } catch (error) {
    ready = null; // a failed download may succeed next time, e.g. when back online
    self.postMessage({
      id,
      ok: false,
      error: String(error && error.message ? error.message : error),
      missing: Boolean(error && error.missing),
    });
  }
});
