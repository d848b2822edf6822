// Links drawn in SVG (the home page's body map) are left to the browser.
//
// Material's instant navigation reads `link.href` as a string, but an SVG link's href is an
// SVGAnimatedString, so its click handler would throw and stop handling later clicks. These
// links only move within the page (the map's panels show by CSS :target), so the browser's
// own fragment navigation is exactly right: stop the click before it reaches the theme's
// listener on <body>. One capturing listener on the document survives instant page changes.

document.addEventListener(
  "click",
  (event) => {
    const link = event.target instanceof Element ? event.target.closest("a") : null;
    if (link instanceof SVGAElement) event.stopPropagation();
  },
  true,
);
