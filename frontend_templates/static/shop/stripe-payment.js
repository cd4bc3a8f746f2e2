/* The card form of the Stripe payment page: Stripe's Payment Element, confirmed with
   stripe.confirmPayment. Stripe then sends the shopper to the return page, where the order
   shows as paid once Stripe's webhook arrived. Messages come translated from the page. */
(function () {
  "use strict";
  var form = document.getElementById("payment-form");
  if (!form) { return; }
  var button = document.getElementById("pay-button");
  var message = document.getElementById("payment-message");
  var data = form.dataset;

  function show(text) {
    message.textContent = text;
    message.hidden = false;
  }

  if (typeof window.Stripe !== "function") {
    show(data.messageNotLoaded);
    return;
  }
  var stripe = window.Stripe(data.publishableKey, { locale: data.locale });
  var elements = stripe.elements({ clientSecret: data.clientSecret, locale: data.locale });
  var paymentElement = elements.create("payment");
  paymentElement.mount("#payment-element");
  button.disabled = false;

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    message.hidden = true;
    stripe.confirmPayment({
      elements: elements,
      confirmParams: { return_url: data.returnUrl }
    }).then(function (result) {
      // Reached only when the payment could not be confirmed; success leaves the page.
      if (result && result.error) {
        var error = result.error;
        var known = error.type === "card_error" || error.type === "validation_error";
        show(known && error.message ? error.message : data.messageFailed);
      }
      button.disabled = false;
    }, function () {
      show(data.messageUnavailable);
      button.disabled = false;
    });
  });
}());
