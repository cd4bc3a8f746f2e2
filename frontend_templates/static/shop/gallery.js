// Photo galleries (shop/_gallery.html). A thumbnail shows its photo as the main picture; the
// main picture opens a dialog with the large photo, where the arrow keys, the buttons or a
// swipe move through the photos and Escape closes. No inline handlers (the CSP allows this
// origin's files only); without this file every link opens the large photo itself.
(function () {
  "use strict";
  var SWIPE = 40;

  function setUp(gallery) {
    var main = gallery.querySelector("[data-gallery-zoom]");
    var photo = main.querySelector("img");
    var items = Array.prototype.slice.call(gallery.querySelectorAll("[data-gallery-item]"));
    var dialog = gallery.querySelector("[data-gallery-dialog]");
    var large = dialog.querySelector("[data-gallery-large]");
    var caption = dialog.querySelector("[data-gallery-caption]");
    var slides = items.length
      ? items.map(function (item) { return { large: item.getAttribute("href"), alt: item.dataset.alt }; })
      : [{ large: main.getAttribute("href"), alt: photo.alt }];
    var current = 0;
    var touchX = null;

    function show(index) {
      current = (index + slides.length) % slides.length;
      var item = items[current];
      if (item) {
        photo.src = item.dataset.src;
        photo.srcset = item.dataset.srcset;
        photo.width = Number(item.dataset.width);
        photo.height = Number(item.dataset.height);
        photo.alt = item.dataset.alt;
        main.setAttribute("href", item.getAttribute("href"));
        items.forEach(function (other) { other.removeAttribute("aria-current"); });
        item.setAttribute("aria-current", "true");
      }
      large.src = slides[current].large;
      large.alt = slides[current].alt;
      caption.textContent = slides[current].alt;
    }

    items.forEach(function (item, index) {
      item.addEventListener("click", function (event) {
        event.preventDefault();
        show(index);
      });
    });
    main.addEventListener("click", function (event) {
      if (typeof dialog.showModal !== "function") return; // follow the link instead
      event.preventDefault();
      show(current);
      dialog.showModal();
    });
    dialog.addEventListener("close", function () { main.focus(); });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close(); // a click on the backdrop
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
      if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    });
    dialog.addEventListener("touchstart", function (event) {
      touchX = event.changedTouches[0].clientX;
    }, { passive: true });
    dialog.addEventListener("touchend", function (event) {
      if (touchX === null) return;
      var moved = event.changedTouches[0].clientX - touchX;
      touchX = null;
      if (Math.abs(moved) >= SWIPE) show(current + (moved < 0 ? 1 : -1));
    });
    var buttons = {
      "[data-gallery-prev]": function () { show(current - 1); },
      "[data-gallery-next]": function () { show(current + 1); },
      "[data-gallery-close]": function () { dialog.close(); }
    };
    Object.keys(buttons).forEach(function (selector) {
      var button = dialog.querySelector(selector);
      if (button) button.addEventListener("click", buttons[selector]);
    });
  }

  document.querySelectorAll("[data-gallery]").forEach(setUp);
})();
