"""Short policy pages the cart and checkout link to (returns)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def returns(request: HttpRequest) -> HttpResponse:
    return render(request, "shop/returns.html")
