// Make the calculators' Pyodide memory snapshot, at build time (macros/browser/snapshot.py).
// Usage: node make_snapshot.mjs <pyodide package dir> <code.zip> <modules,comma,separated> <out.gz>
// The interpreter is started, the code unpacked and its modules imported, then the wasm
// memory is written gzipped: a browser restores it (worker.mjs) instead of starting CPython
// and importing the code again. No JavaScript object may hold a Python one at that moment
// (the snapshot cannot carry it), so the imports are plain Python.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const [packageDir, codePath, modules, outPath] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(packageDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: `${packageDir}/`, _makeSnapshot: true });
// Node Buffers are not accepted by unpackArchive; a plain Uint8Array is.
pyodide.unpackArchive(new Uint8Array(readFileSync(codePath)), "zip");
pyodide.runPython(`import ${modules.split(",").join(", ")}`);
const snapshot = pyodide.makeMemorySnapshot();
writeFileSync(outPath, gzipSync(snapshot, { level: 6 }));
