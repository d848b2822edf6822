// Folded sections print open. The style sheet does this where the browser supports
// ::details-content; this covers the others: open every closed <details> for the print and
// close the same ones again afterwards, so the runner's view is unchanged.

const OPENED_FOR_PRINT = "hbOpenedForPrint";

window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details:not([open])")) {
    details.dataset[OPENED_FOR_PRINT] = "true";
    details.open = true;
  }
});

window.addEventListener("afterprint", () => {
  for (const details of document.querySelectorAll("details[data-hb-opened-for-print]")) {
    delete details.dataset[OPENED_FOR_PRINT];
    details.open = false;
  }
});
