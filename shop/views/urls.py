from django.urls import path

from shop.views import storefront

urlpatterns = [
    path("", storefront.home, name="home"),
    path("products/", storefront.catalogue, name="catalogue"),
    path("products/<slug:slug>/", storefront.product_detail, name="product"),
    path("cooperatives/<slug:slug>/", storefront.cooperative_detail, name="cooperative"),
    path("currency/", storefront.set_currency, name="set_currency"),
]
