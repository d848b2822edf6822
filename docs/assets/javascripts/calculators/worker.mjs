// The calculators' Web Worker: a thin bridge from postMessage to calculators.bridge.
// It loads the self-hosted, pinned Pyodide, our zipped package and the shared data once,
// then answers {id, name, payload, chunks} requests with the bridge's JSON, byte for byte,
// after adding the data chunk of each condition the request reads (chunks: slug -> URL).
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
  if (await refused(snapshotUrl)) return null;
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

// A snapshot this browser could not restore is remembered by its address (content-hashed, so
// a new build's snapshot is tried again) and never fetched again: where restores always fail,
// each visit would otherwise pay 7 MB and a failed restore for nothing. The mark has a key of
// its own, never the snapshot's address, so no look-up of the snapshot finds it. The service
// worker reads the same mark (its refused()), so neither an install nor "Save for offline"
// stores that snapshot again.
const REFUSED_SNAPSHOTS = "handbook-snapshot-refused";
const refusalKey = (snapshotUrl) => `${snapshotUrl}.refused`;

async function forgetSnapshot(snapshotUrl) {
  for (const name of await caches.keys()) {
    await (await caches.open(name)).delete(snapshotUrl, { ignoreSearch: true });
  }
  await (await caches.open(REFUSED_SNAPSHOTS)).put(refusalKey(snapshotUrl), new Response(""));
}

async function refused(snapshotUrl) {
  if (typeof caches === "undefined") return false;
  const mark = await caches.match(refusalKey(snapshotUrl), { cacheName: REFUSED_SNAPSHOTS }).catch(() => null);
  return Boolean(mark);
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
      await forgetSnapshot(snapshotUrl).catch(() => {});
    }
  }
  return { pyodide: await loadPyodide({ indexURL: runtimeUrl }), restored: false };
}

// After a normal start, fetch the snapshot once so the service worker saves it for the next
// visit. Not when the runner saves data, and not without a service worker to keep it.
async function keepSnapshot(snapshotUrl) {
  if (!snapshotUrl || (await refused(snapshotUrl))) return;
  fetch(snapshotUrl).then((response) => response.body?.cancel(), () => {});
}

async function download(url, what, read) {
  const response = await fetch(url);
  if (response.status === 404 || response.status === 410) {
    throw new MissingAsset(`calculator ${what}: HTTP ${response.status}`);
  }
  if (!response.ok) throw new Error(`calculator ${what}: HTTP ${response.status}`);
  return read(response);
}

const asBytes = (response) => response.arrayBuffer();
const asText = (response) => response.text();

function checked(answer) {
  const parsed = JSON.parse(answer);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join("; "));
  return parsed.result;
}

// The code zip and the data every condition shares; each condition's own data comes later,
// in its chunk, when a call first needs it (calculators/chunks.py).
function start({ bundleUrl, sharedUrl, runtimeUrl, snapshotUrl, keepSnapshotAfter }) {
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
    const [pyodide, bundle, shared] = await Promise.all([
      runtime,
      download(bundleUrl, "bundle", asBytes),
      download(sharedUrl, "data", asText),
    ]);
    pyodide.unpackArchive(bundle, "zip");
    const bridge = pyodide.pyimport("calculators.bridge");
    checked(bridge.configure(shared));
    loaded.clear();
    return bridge;
  })();
  return ready;
}

// Condition chunks added to the bridge, by address: kept for the tab, as the worker is
// across Material's instant navigation.
const loaded = new Map();

// Every condition's chunk by slug, fetched only for a call about a condition the page does not
// name (a shared link to another condition's plan), so a page's own calls never need it.
let conditionIndex = null;

function chunkIndex(indexUrl) {
  conditionIndex ??= download(indexUrl, "data", asText)
    .then((text) => Object.fromEntries(Object.entries(JSON.parse(text)).map(([slug, path]) => [slug, new URL(path, indexUrl).href])))
    .catch((error) => {
      conditionIndex = null;
      throw error;
    });
  return conditionIndex;
}

// Add the chunks of the conditions this call reads that the bridge lacks. A condition no
// chunk exists for is left to the engine, which names it in its error.
// Slugs come from what the runner sent: only a map's own entries count, never "constructor".
const own = (map, slug) => (Object.hasOwn(map, slug) ? map[slug] : undefined);

async function addConditions(bridge, name, payloadJson, chunks, indexUrl) {
  const wanted = JSON.parse(bridge.wanted(name, payloadJson));
  const listed = wanted.some((slug) => !own(chunks, slug)) && indexUrl ? await chunkIndex(indexUrl) : {};
  const urls = [...new Set(wanted.map((slug) => own(chunks, slug) ?? own(listed, slug)).filter(Boolean))];
  await addChunks(bridge, urls);
}

function addChunks(bridge, urls) {
  return Promise.all(
    urls.map((url) => {
      if (!loaded.has(url)) {
        const adding = download(url, "data", asText).then((text) => checked(bridge.add_conditions(text)));
        loaded.set(url, adding);
        adding.catch(() => loaded.delete(url));
      }
      return loaded.get(url);
    }),
  );
}

// segno and hb_qr, unpacked the first time a QR code is drawn.
let qrModule = null;

function loadQr(qrUrl) {
  qrModule ??= (async () => {
    const [pyodide, archive] = await Promise.all([runtime, download(qrUrl, "QR code", asBytes)]);
    pyodide.unpackArchive(archive, "zip");
    return pyodide.pyimport("hb_qr");
  })().catch((error) => {
    qrModule = null;
    throw error;
  });
  return qrModule;
}

self.addEventListener("message", async (event) => {
  const { id, type, name, payload, qrUrl, indexUrl, chunks = {}, preload = [] } = event.data;
  try {
    const bridge = await start(event.data).catch((error) => {
      // A failed start may succeed next time, e.g. when back online. Only a failed start
      // resets: other calls may be using the bridge and the chunks it holds.
      ready = null;
      throw error;
    });
    if (type === "warm") {
      // The page's own condition data comes with the code, before the first answer waits.
      await addChunks(bridge, preload);
      self.postMessage({ id, ok: true, json: null, restored });
      return;
    }
    if (type === "qr") {
      // The build's own QR code (macros/browser/qr.py, zipped as hb_qr with segno).
      const svg = (await loadQr(qrUrl)).qr_svg(payload.text, payload.title);
      self.postMessage({ id, ok: true, json: svg });
      return;
    }
    const payloadJson = JSON.stringify(payload);
    await addConditions(bridge, name, payloadJson, chunks, indexUrl);
    self.postMessage({ id, ok: true, json: bridge.call(name, payloadJson) });
  } catch (error) {
    self.postMessage({
      id,
      ok: false,
      error: String(error && error.message ? error.message : error),
      missing: Boolean(error && error.missing),
    });
  }
});
