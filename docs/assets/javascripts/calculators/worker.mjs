// The calculators' Web Worker: a thin bridge from postMessage to calculators.bridge.
// It loads the self-hosted, pinned Pyodide and our zipped package once, then answers
// {id, name, payload} requests with the bridge's JSON, byte for byte.
let ready = null;

function start(bundleUrl, runtimeUrl) {
  ready ??= (async () => {
    // The runtime folder carries the pinned version in its path, so the page passes it in.
    const { loadPyodide } = await import(`${runtimeUrl}pyodide.mjs`);
    const [pyodide, bundle] = await Promise.all([
      loadPyodide({ indexURL: runtimeUrl }),
      fetch(bundleUrl).then((response) => {
        if (!response.ok) throw new Error(`calculator bundle: HTTP ${response.status}`);
        return response.arrayBuffer();
      }),
    ]);
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
    self.postMessage({ id, ok: true, json: bridge.call(name, JSON.stringify(payload)) });
  } catch (error) {
    ready = null; // a failed download may succeed next time, e.g. when back online
    self.postMessage({ id, ok: false, error: String(error && error.message ? error.message : error) });
  }
});
