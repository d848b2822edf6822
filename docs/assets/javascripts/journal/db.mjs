// The journal's IndexedDB: one record per recovery and one per day's entry, so two tabs that
// save different things never overwrite each other's work (no read-modify-write of a whole
// document). The schema has its own version, upgraded step by step by MIGRATIONS; the shape
// of the document inside the records is the engine's (calculators/journal_format.py), and the
// version it was written in is kept in the meta store so older records are migrated by it.

const NAME = "handbook-journal";

// Index = the schema version it upgrades to, minus one. Only ever append.
const MIGRATIONS = [
  (db) => {
    db.createObjectStore("recoveries", { keyPath: "id" });
    const entries = db.createObjectStore("entries", { keyPath: ["recovery", "date"] });
    entries.createIndex("by-recovery", "recovery");
    db.createObjectStore("meta", { keyPath: "key" });
  },
];
export const SCHEMA_VERSION = MIGRATIONS.length;
const STORES = ["recoveries", "entries", "meta"];

/** Raised when this tab must stop writing: a newer version of the journal opened the store. */
export class StoreClosed extends Error {}

let opening = null;
const listeners = { versionchange: [] };

/** Called when another tab, running a newer version, needs this tab to let go. */
export function onVersionChange(listener) {
  listeners.versionchange.push(listener);
}

function requestPromise(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function open({ onBlocked } = {}) {
  opening ??= new Promise((resolve, reject) => {
    if (typeof indexedDB === "undefined") {
      reject(new Error("this browser keeps no local database here (private mode?)"));
      return;
    }
    const request = indexedDB.open(NAME, SCHEMA_VERSION);
    request.onupgradeneeded = (event) => {
      for (let version = event.oldVersion; version < SCHEMA_VERSION; version += 1) {
        MIGRATIONS[version](request.result, request.transaction);
      }
    };
    // Another tab holds an older version open; it is asked to close (versionchange).
    request.onblocked = () => onBlocked && onBlocked();
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => {
        db.close();
        opening = Promise.reject(new StoreClosed("a newer version of the journal is open"));
        opening.catch(() => {});
        for (const listener of listeners.versionchange) listener();
      };
      resolve(db);
    };
    request.onerror = () => {
      opening = null;
      reject(request.error);
    };
  });
  return opening;
}

function done(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onabort = () => reject(transaction.error || new Error("the save was cancelled"));
    transaction.onerror = () => reject(transaction.error);
  });
}

/** Everything stored: {recoveries: [...], entries: [...], meta: {key: value}}. */
export async function readAll() {
  const db = await open();
  const tx = db.transaction(STORES, "readonly");
  const [recoveries, entries, meta] = await Promise.all(
    STORES.map((name) => requestPromise(tx.objectStore(name).getAll())),
  );
  return { recoveries, entries, meta: Object.fromEntries(meta.map((m) => [m.key, m.value])) };
}

export async function readEntry(recovery, date) {
  const db = await open();
  const tx = db.transaction("entries", "readonly");
  return (await requestPromise(tx.objectStore("entries").get([recovery, date]))) ?? null;
}

/**
 * One atomic write. `change` gets {put(store, value), delete(store, key), clear(store)} and
 * must not await anything else: an IndexedDB transaction ends when it has nothing to do.
 */
export async function write(change) {
  const db = await open();
  const tx = db.transaction(STORES, "readwrite");
  change({
    put: (store, value) => tx.objectStore(store).put(value),
    delete: (store, key) => tx.objectStore(store).delete(key),
    clear: (store) => STORES.includes(store) && tx.objectStore(store).clear(),
    stores: STORES,
  });
  await done(tx);
}

export function setMeta(put, key, value) {
  put("meta", { key, value });
}
