// Run calculator cases through calculators.bridge under Pyodide in Node.js, using the same
// npm package and the same zipped bundle the site ships. Usage:
//   node run_bridge.mjs <bundle.zip> <cases.json> <answers.json>
// cases.json is {"catalogue": "<json text>", "cases": [[name, payload_json], ...]};
// answers.json receives {"python": "<version>", "answers": ["<bridge json>", ...]}.
import { readFileSync, writeFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [bundlePath, casesPath, answersPath] = process.argv.slice(2);
const pyodide = await loadPyodide();
// Node Buffers are not accepted by unpackArchive; a plain Uint8Array is.
pyodide.unpackArchive(new Uint8Array(readFileSync(bundlePath)), "zip");
const bridge = pyodide.pyimport("calculators.bridge");
const { catalogue, cases } = JSON.parse(readFileSync(casesPath, "utf8"));
const configured = JSON.parse(bridge.configure(catalogue));
if (!configured.ok) throw new Error(JSON.stringify(configured.errors));
const answers = cases.map(([name, payload]) => bridge.call(name, payload));
const python = pyodide.runPython("import sys; sys.version");
writeFileSync(answersPath, JSON.stringify({ python, answers }));
