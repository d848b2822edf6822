// Run calculator cases through calculators.bridge under Pyodide in Node.js, using the same
// npm package, code and QR zips and data files the site ships, configured as the worker does
// (the shared data, then condition chunks). Usage:
//   node run_bridge.mjs <code.zip> <qr.zip> <cases.json> <answers.json> [<snapshot.gz>]
// With a snapshot (macros/browser/snapshot.py), Python is restored from it as the worker does.
// cases.json is {"shared": "<json text>", "chunks": ["<json text>", ...],
// "cases": [[name, payload_json], ...]};
// answers.json receives {"python": "<version>", "answers": ["<bridge json>", ...]}; cases.json
// may also hold "qr": [[text, title], ...], answered in "qr" with each code's SVG.
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { loadPyodide } from "pyodide";

const [bundlePath, qrPath, casesPath, answersPath, snapshotPath] = process.argv.slice(2);
const options = snapshotPath ? { _loadSnapshot: new Uint8Array(gunzipSync(readFileSync(snapshotPath))) } : {};
const pyodide = await loadPyodide(options);
// Node Buffers are not accepted by unpackArchive; a plain Uint8Array is.
pyodide.unpackArchive(new Uint8Array(readFileSync(bundlePath)), "zip");
const bridge = pyodide.pyimport("calculators.bridge");
const { shared, chunks, cases, qr = [] } = JSON.parse(readFileSync(casesPath, "utf8"));
for (const answer of [bridge.configure(shared), ...chunks.map((chunk) => bridge.add_conditions(chunk))]) {
  const configured = JSON.parse(answer);
  if (!configured.ok) throw new Error(JSON.stringify(configured.errors));
}
const answers = cases.map(([name, payload]) => bridge.call(name, payload));
// The QR codes the worker draws for a plan link (hb_qr, zipped with segno).
pyodide.unpackArchive(new Uint8Array(readFileSync(qrPath)), "zip");
const hbQr = pyodide.pyimport("hb_qr");
const codes = qr.map(([text, title]) => hbQr.qr_svg(text, title));
const python = pyodide.runPython("import sys; sys.version");
writeFileSync(answersPath, JSON.stringify({ python, answers, qr: codes }));
