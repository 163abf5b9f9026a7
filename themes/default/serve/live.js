// Live reload for `sanwu serve` (never part of a built site): waits for this page to change,
// then reloads it. The server answers /__sanwu/wait?v=VERSION&p=PATH with a newer version when
// the page at PATH or the error overlay changed after VERSION (or after a while with VERSION
// itself: then the script simply asks again).
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : "";
  var close = document.querySelector("[data-sanwu-close]");
  if (close) {
    close.addEventListener("click", function () {
      var overlay = document.getElementById("sanwu-overlay");
      if (overlay) {
        overlay.hidden = true;
      }
    });
  }
  function wait() {
    var url = "/__sanwu/wait?v=" + encodeURIComponent(version) +
      "&p=" + encodeURIComponent(window.location.pathname);
    fetch(url, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (now) {
        if (now.trim() !== version) {
          window.location.reload();
        } else {
          wait();
        }
      })
      .catch(function () {
        // The preview was stopped or restarted: try again shortly.
        window.setTimeout(wait, 1000);
      });
  }
  wait();
})();
