// Cart and order pages: each <time data-local-time> rewritten in the browser's own zone and
// language, and the cart's hold counted down. The server already wrote the time in the zone
// the `tz` cookie names (shop.local_times), so without this script the shopper still reads
// their own clock, never UTC. No inline script: the CSP allows this origin's files only.
(function () {
  "use strict";
  var lang = document.documentElement.lang || undefined;
  var STYLES = {
    time: { hour: "2-digit", minute: "2-digit", timeZoneName: "short" },
    datetime: {
      year: "numeric", month: "short", day: "numeric",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    }
  };

  document.querySelectorAll("time[data-local-time]").forEach(function (element) {
    var when = new Date(element.getAttribute("datetime"));
    if (isNaN(when.getTime())) return;
    var style = STYLES[element.dataset.localTime] || STYLES.time;
    try {
      element.textContent = new Intl.DateTimeFormat(lang, style).format(when);
    } catch (ignored) {
      // Keep the server's text.
    }
  });

  document.querySelectorAll("[data-countdown]").forEach(function (element) {
    var end = new Date(element.dataset.countdown).getTime();
    var clock = element.querySelector("[data-countdown-clock]");
    if (isNaN(end) || !clock) return;
    var timer = null;

    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) {
        if (timer !== null) window.clearInterval(timer);
        element.textContent = element.dataset.ended;
        element.setAttribute("role", "alert");
        element.classList.add("hold-countdown-ended");
      }
    }

    element.hidden = false;
    tick();
    if (end > Date.now()) timer = window.setInterval(tick, 1000);
  });
})();
