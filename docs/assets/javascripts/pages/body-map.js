// The home page's body map under the theme's instant navigation.
//
// Without scripts each region's panel shows while it is the page's CSS :target, and the
// browser's own fragment navigation does the rest: the jump, the address, and where the next
// Tab starts. Material's instant navigation (MkDocs and ProperDocs) could get in the way twice:
//
// 1. Its click handler is written for HTML links; an SVG link's href and target are
//    SVGAnimatedString objects. It happens to ignore them today; map clicks are stopped before
//    they reach it on <body>, so no theme version can mishandle them.
// 2. It takes the first popstate a page fires for a move to another page, even a fragment
//    move within the page: it fetches this same page again and swaps the content in. The
//    panel just shown is replaced by one that is nobody's :target, so it vanishes a moment
//    after the tap (on a slow phone the swap comes last), and keyboard focus falls back to the
//    top. So the popstate of a map link's own move is stopped too. Listeners on one target run
//    in the order they were added, which is why this is a classic script loaded before the
//    theme's bundle (with the polyfills) rather than a module loaded after it.
//
// Back and forward still reach the theme and can make it swap the page in, so the panel the
// address names is also marked shown, on every address change and after every swap.
(function () {
  // Where a map link is taking this page, until that move's popstate arrives. Chromium follows
  // an SVG link a few moments after its click, so the popstate cannot be told by timing.
  let tappedAddress = null;
  const movesThisPage = (event) =>
    event.button === 0 && !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey);

  document.addEventListener(
    "click",
    (event) => {
      const link = event.target instanceof Element ? event.target.closest("a") : null;
      if (!(link instanceof SVGAElement)) return;
      event.stopPropagation();
      // A modified click opens a tab or a window instead, and this page does not move.
      tappedAddress = movesThisPage(event) ? new URL(link.href.baseVal, location.href).href : null;
    },
    true,
  );

  // A fragment move makes a new history entry with no state; Back and Forward to an entry the
  // theme has seen bring the scroll position it stored there, and always reach the theme.
  addEventListener("popstate", (event) => {
    if (tappedAddress === location.href && event.state === null) event.stopImmediatePropagation();
    tappedAddress = null;
  });

  const SHOWN = "hb-map-panel--shown";

  function showThePanelTheAddressNames() {
    let id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch {
      // A malformed escape (#%) names no panel either way.
    }
    for (const panel of document.querySelectorAll(".hb-map-panel")) {
      panel.classList.toggle(SHOWN, panel.id === id);
    }
  }

  addEventListener("hashchange", showThePanelTheAddressNames);
  addEventListener("popstate", showThePanelTheAddressNames);
  // Deferred scripts have all run by now, the theme's bundle too, which announces each content
  // swap on document$ (its first value is the page as loaded).
  document.addEventListener("DOMContentLoaded", () => {
    if (typeof document$ !== "undefined") {
      document$.subscribe(() => {
        tappedAddress = null; // a new page: no tap of the old one is still on its way
        showThePanelTheAddressNames();
      });
    }
    else showThePanelTheAddressNames();
  });
})();
