// Material's search overlay is a dialog with no accessible name (axe: aria-dialog-name).
// The header survives instant navigation, so naming it once is enough.
for (const dialog of document.querySelectorAll(".md-search[role='dialog']")) {
  if (!dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search the handbook");
}
