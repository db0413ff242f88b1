/*
 * For partners' pages that embed Townhall's frames (docs/widget.md): sizes each
 * <iframe data-townhall> to the height its content reports (embed.js in the frame).
 *
 *   <iframe src="https://townhall.example/embed/…?ref=partner" data-townhall …></iframe>
 *   <script src="https://townhall.example/static/web/embed-host.js" async></script>
 *
 * Only messages from the iframe's own window and origin count, and only a bounded number.
 */
(function () {
  "use strict";

  var MIN_HEIGHT = 120;
  var MAX_HEIGHT = 6000;

  function originOf(url) {
    try {
      return new URL(url, window.location.href).origin;
    } catch (error) {
      return null;
    }
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.townhall !== "height" || typeof data.height !== "number" || !isFinite(data.height)) {
      return;
    }
    var frames = document.querySelectorAll("iframe[data-townhall]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow === event.source && originOf(frame.src) === event.origin) {
        var height = Math.min(Math.max(Math.round(data.height), MIN_HEIGHT), MAX_HEIGHT);
        frame.style.height = height + "px";
      }
    }
  });
})();
