// Backup files: the journal document as JSON, a CSV for a spreadsheet or a physio, and
// reading a file the runner picks. Files are made and read on the device; nothing is uploaded.

const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

const CSV_COLUMNS = [
  "date",
  "done",
  "minutes",
  "pain_morning",
  "pain_during",
  "pain_after",
  "red_flags",
  "signs",
  "sleep_hours",
  "swelling",
  "mood",
  "notes",
];

// A cell a spreadsheet would run as a formula (=, +, -, @, tab, return) starts with an
// apostrophe, so a note can never become one.
function cell(value) {
  let text = value === undefined || value === null ? "" : Array.isArray(value) ? value.join("; ") : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(document, conditionNames) {
  const rows = [["recovery", "condition", ...CSV_COLUMNS]];
  for (const recovery of document.recoveries) {
    for (const entry of recovery.entries) {
      rows.push([
        recovery.id,
        conditionNames[recovery.condition] ?? recovery.condition,
        ...CSV_COLUMNS.map((name) => entry[name]),
      ]);
    }
  }
  return `${rows.map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
}

/** The parsed JSON of a picked file, or an Error whose message the runner can act on. */
export async function readJsonFile(file) {
  if (!file) throw new Error("Choose a backup file first.");
  if (file.size > MAX_IMPORT_BYTES) {
    throw new Error(`This file is too large to be a journal backup (${(file.size / 1048576).toFixed(1)} MB; a backup is far smaller). Nothing was changed.`);
  }
  const text = await file.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error("This file is not a journal backup: it is not JSON text. Nothing was changed.");
  }
}
