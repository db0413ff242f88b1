/*
 * In Townhall's frames on partners' pages (web/templates/web/embeds/base.html): tells the page
 * around the frame how tall the frame's content is, so embed-host.js can size the iframe to fit.
 * Progressive: without it the iframe keeps the height its snippet gives, and scrolls.
 *
 * The message carries a height and nothing else: never what a supporter types.
 */
(function () {
  "use strict";

  if (window.parent === window) {
    return;
  }
  var sent = 0;

  function tell() {
    // The content's own height: scrollHeight would never be less than the frame's current height,
    // so a frame could grow but never shrink (after the thanks page replaces a long form).
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== sent) {
      sent = height;
      window.parent.postMessage({ townhall: "height", height: height }, "*");
    }
  }

  window.addEventListener("load", tell);
  window.addEventListener("resize", tell);
  if (typeof ResizeObserver === "function") {
    new ResizeObserver(tell).observe(document.body);
  }
  tell();
})();
