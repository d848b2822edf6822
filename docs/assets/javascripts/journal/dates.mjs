// Calendar days as the engine reads them: YYYY-MM-DD in the device's local time, no zones.

export function localDay(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The day `days` after `day` (negative: before), counted on the calendar, not in hours. */
export function addDays(day, days) {
  const [y, m, d] = day.split("-").map(Number);
  return localDay(new Date(y, m - 1, d + days));
}

export function daysBetween(from, to) {
  const utc = (day) => {
    const [y, m, d] = day.split("-").map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((utc(to) - utc(from)) / 86400000);
}

/** "Tuesday 1 December", for headings. */
export function spoken(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
  });
}

/** An `updated` time: UTC, to the second, as the engine's format asks. */
export function stamp(now = new Date()) {
  return `${now.toISOString().slice(0, 19)}Z`;
}
