// Every storefront page: the header's cart count and the browser's time zone. No inline
// script (the Content-Security-Policy allows this origin's files only).
// The count comes from the `cart_count` cookie the cart and checkout set whenever the cart
// changes: the home, catalogue and product pages are cached whole for every visitor
// (shop.pagecache), so their header cannot carry anyone's count.
// The zone goes into the `tz` cookie, so times the server writes (a hold's end, a parcel's
// moves) are in the shopper's zone even where this script's rewriting does not run.
(function () {
  "use strict";
  var ZONE = /^[A-Za-z0-9_+\-\/]{1,64}$/;

  function cookie(name) {
    var pairs = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < pairs.length; i++) {
      if (pairs[i].indexOf(name + "=") === 0) return pairs[i].slice(name.length + 1);
    }
    return null;
  }

  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && ZONE.test(zone) && cookie("tz") !== zone) {
      document.cookie = "tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (ignored) {
    // An old browser without Intl: the server's times stay in the shop's zone, named.
  }

  var badge = document.querySelector("[data-cart-count]");
  if (!badge) return;
  var count = parseInt(cookie("cart_count") || "0", 10);
  if (!(count > 0)) {
    badge.hidden = true;
    return;
  }
  badge.querySelector("[data-cart-count-number]").textContent = String(count);
  badge.querySelector("[data-cart-count-label]").textContent = badge.dataset.label + " " + count;
  badge.hidden = false;
})();
