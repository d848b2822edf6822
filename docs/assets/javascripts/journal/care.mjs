// Keeping the journal safe on the device: ask the browser not to clear it, and remind the
// runner to save a backup when the last one is old.

import { daysBetween } from "./dates.mjs";

export const REMIND_AFTER_DAYS = 30;

/** Ask once per page load for storage the browser will not clear on its own. */
export async function askToPersist() {
  if (!navigator.storage || !navigator.storage.persist) return false;
  try {
    return (await navigator.storage.persisted()) || (await navigator.storage.persist());
  } catch {
    return false;
  }
}

/** Days since the last backup, or since the first entry if there never was one; null when
 *  no reminder is due. */
export function backupOverdue(document, today) {
  const first = document.recoveries
    .flatMap((r) => r.entries.map((e) => e.date))
    .sort()[0];
  if (!first) return null;
  const since = document.exported ? document.exported.slice(0, 10) : first;
  const days = daysBetween(since, today);
  return days >= REMIND_AFTER_DAYS ? { days, never: !document.exported } : null;
}
