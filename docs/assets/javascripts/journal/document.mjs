// Between the stored records and the journal document the engine reads and a backup file
// holds (the format is written once, in calculators/journal_format.py; its name and version
// reach this page through data attributes the build writes from those constants).

/** The format name and version this build's engine writes. */
export function formatOf(root) {
  return { format: root.dataset.journalFormat, version: Number(root.dataset.journalVersion) };
}

/** The document for the engine and for a backup, from what readAll() returned. */
export function toDocument(stored, format) {
  const byRecovery = new Map();
  for (const { recovery, ...entry } of stored.entries) {
    if (!byRecovery.has(recovery)) byRecovery.set(recovery, []);
    byRecovery.get(recovery).push(entry);
  }
  const recoveries = [...stored.recoveries]
    .sort((a, b) => (a.created === b.created ? a.id.localeCompare(b.id) : a.created < b.created ? -1 : 1))
    .map((recovery) => ({
      ...recovery,
      entries: (byRecovery.get(recovery.id) ?? []).sort((a, b) => (a.date < b.date ? -1 : 1)),
    }));
  const active = recoveries.some((r) => r.id === stored.meta.active)
    ? stored.meta.active
    : (recoveries.at(-1)?.id ?? null);
  const document = {
    format: format.format,
    version: stored.meta.document_version ?? format.version,
    active,
    recoveries,
  };
  if (stored.meta.exported) document.exported = stored.meta.exported;
  return document;
}

/** Write a whole (engine-normalised) document: `put` is db.write's. */
export function putDocument(put, document) {
  for (const { entries, ...recovery } of document.recoveries) {
    put("recoveries", recovery);
    for (const entry of entries) put("entries", { ...entry, recovery: recovery.id });
  }
  put("meta", { key: "active", value: document.active });
  put("meta", { key: "document_version", value: document.version });
  if (document.exported) put("meta", { key: "exported", value: document.exported });
}

/** The fields this form changed against what it started from, so a save merges with a newer
 *  copy another tab wrote instead of overwriting it. */
export function changedFields(before, after) {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}

export function applyChanges(stored, before, after) {
  const merged = { ...(stored ?? before) };
  for (const name of changedFields(before, after)) {
    if (after[name] === undefined) delete merged[name];
    else merged[name] = after[name];
  }
  return merged;
}
