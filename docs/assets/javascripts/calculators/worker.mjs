// The calculators' Web Worker: a thin bridge from postMessage to calculators.bridge.
// It loads the self-hosted, pinned Pyodide and our zipped package once, then answers
// {id, name, payload} requests with the bridge's JSON, byte for byte.
let runtime = null;
let ready = null;

// A file this page names that the server no longer has: a newer version replaced it.
class MissingAsset extends Error {
  constructor(message) {
    super(message);
    this.missing = true;
  }
}

async function loadRuntime(runtimeUrl) {
  try {
    const { loadPyodide } = await import(`${runtimeUrl}pyodide.mjs`);
    return await loadPyodide({ indexURL: runtimeUrl });
  } catch (error) {
    // A failed import does not say why; ask the server whether the runtime is still there.
    const gone = await fetch(`${runtimeUrl}pyodide.mjs`, { method: "HEAD", cache: "no-store" }).then(
      (response) => response.status === 404 || response.status === 410,
      () => false,
    );
    throw gone ? new MissingAsset("calculator runtime: HTTP 404") : error;
  }
}

async function loadBundle(bundleUrl) {
  const response = await fetch(bundleUrl);
  if (response.status === 404 || response.status === 410) {
    throw new MissingAsset(`calculator bundle: HTTP ${response.status}`);
  }
  if (!response.ok) throw new Error(`calculator bundle: HTTP ${response.status}`);
  return response.arrayBuffer();
}

function start(bundleUrl, runtimeUrl) {
  ready ??= (async () => {
    // The runtime folder carries the pinned version in its path, so the page passes it in.
    // Pyodide is kept when only the bundle fails, so a retry never downloads it again.
    runtime ??= loadRuntime(runtimeUrl).catch((error) => {
      runtime = null;
      throw error;
    });
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
  const { id, type, name, payload, bundleUrl, runtimeUrl } = event.data;
  try {
    const bridge = await start(bundleUrl, runtimeUrl);
    if (type === "warm") {
      self.postMessage({ id, ok: true, json: null });
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
