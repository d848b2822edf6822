// The home page's body map under the theme's instant navigation.
//
// Without scripts each region's panel shows while it is the page's CSS :target, and the
// browser's own fragment navigation does the rest: the jump, the address, and focus moving
// into the panel. Material's instant navigation gets in the way twice:
//
// 1. Its click handler is written for HTML links; an SVG link's href and target are
//    SVGAnimatedString objects. Map clicks are stopped before they reach it on <body>.
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
  // Where a map link is taking the page, until that move's popstate arrives. Chromium follows
  // an SVG link a few moments after its click, so the popstate cannot be told by timing.
  let tappedAddress = null;

  document.addEventListener(
    "click",
    (event) => {
      const link = event.target instanceof Element ? event.target.closest("a") : null;
      if (!(link instanceof SVGAElement)) return;
      event.stopPropagation();
      tappedAddress = new URL(link.href.baseVal, location.href).href;
    },
    true,
  );

  // The first popstate after a tap is that tap's move if it lands on the tapped address; if
  // the tap moved nowhere, a later one landing there is still this same page, nothing to fetch.
  addEventListener("popstate", (event) => {
    if (tappedAddress === location.href) event.stopImmediatePropagation();
    tappedAddress = null;
  });

  const SHOWN = "hb-map-panel--shown";

  function showThePanelTheAddressNames() {
    const id = decodeURIComponent(location.hash.slice(1));
    for (const panel of document.querySelectorAll(".hb-map-panel")) {
      panel.classList.toggle(SHOWN, panel.id === id);
    }
  }

  addEventListener("hashchange", showThePanelTheAddressNames);
  addEventListener("popstate", showThePanelTheAddressNames);
  // Deferred scripts have all run by now, the theme's bundle too, which announces each content
  // swap on document$ (its first value is the page as loaded).
  document.addEventListener("DOMContentLoaded", () => {
    if (typeof document$ !== "undefined") document$.subscribe(showThePanelTheAddressNames);
    else showThePanelTheAddressNames();
  });
})();
