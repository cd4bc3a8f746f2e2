from django.contrib.auth import views as auth_views
from django.urls import path

from shop.views import (
    accounts,
    cart,
    checkout,
    gift_thanks,
    gifts,
    orders,
    payments,
    policies,
    seo,
    storefront,
)

urlpatterns = [
    path("", storefront.home, name="home"),
    path("products/", storefront.catalogue, name="catalogue"),
    path("products/<slug:slug>/", storefront.product_detail, name="product"),
    path("cooperatives/<slug:slug>/", storefront.cooperative_detail, name="cooperative"),
    # For search engines (issue 15): shop.sitemaps.
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    path("preferences/", storefront.set_preferences, name="preferences"),
    # Cart, checkout, orders and accounts (issue 3).
    path("cart/", cart.cart_detail, name="cart"),
    path("cart/add/", cart.cart_add, name="cart_add"),
    path("cart/update/", cart.cart_update, name="cart_update"),
    path("cart/remove/", cart.cart_remove, name="cart_remove"),
    path("cart/hold-again/", cart.cart_hold_again, name="cart_hold_again"),
    path("cart/ship-to/", cart.cart_destination, name="cart_destination"),
    path("returns/", policies.returns, name="returns"),
    path("checkout/", checkout.details, name="checkout"),
    path("checkout/review/", checkout.review, name="checkout_review"),
    path("orders/<str:token>/", orders.order_detail, name="order"),
    path("orders/<str:token>/pay/", orders.order_pay, name="order_pay"),
    path("orders/<str:token>/packing-slip/", orders.packing_slip, name="packing_slip"),
    path("orders/<str:token>/gift/revoke/", gifts.gift_revoke, name="order_gift_revoke"),
    path("orders/<str:token>/gift/again/", gifts.gift_again, name="order_gift_again"),
    path("gift/<str:token>/", gifts.gift_detail, name="gift"),
    path("gift/<str:token>/buy/", gifts.gift_buy, name="gift_buy"),
    path(
        "gift/<str:token>/thanks/",
        gifts.posted_from_gift_page(gift_thanks.gift_thank_you),
        name="gift_thank_you",
    ),
    path("pay/dummy/<str:reference>/", orders.dummy_pay, name="dummy_pay"),
    # Stripe (issue 4): the card page, the return from Stripe, the webhook endpoint.
    path("pay/stripe/<str:token>/", payments.stripe_pay, name="stripe_pay"),
    path("pay/stripe/<str:token>/return/", payments.stripe_return, name="stripe_return"),
    path("payments/stripe/webhook/", payments.stripe_webhook, name="stripe_webhook"),
    path("account/login/", accounts.EmailLoginView.as_view(), name="login"),
    path("account/logout/", accounts.EmailLogoutView.as_view(), name="logout"),
    path("account/signup/", accounts.signup, name="signup"),
    path("account/signup/sent/", accounts.signup_done, name="signup_done"),
    path("account/password-reset/", accounts.password_reset, name="password_reset"),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "account/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("account/orders/", orders.account_orders, name="account_orders"),
]
