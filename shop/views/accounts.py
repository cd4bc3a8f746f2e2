"""Sign in and sign up by email (Django's auth views). Signing in moves the guest cart of
the session into the account's cart (shop.carts.merge)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shop import carts
from shop.checkout_forms import EmailAuthenticationForm, SignUpForm
from shop.models import User


def _merge_guest_cart(request: HttpRequest, guest, user: User) -> None:
    request.session.pop(carts.SESSION_KEY, None)
    if guest is None:
        return
    _cart, changes = carts.merge(guest_cart=guest, user=user)
    for change in changes:
        messages.warning(
            request,
            _("Only %(got)d of %(name)s could be kept in your cart (you asked for %(wanted)d).")
            % {
                "got": change.got,
                "wanted": change.wanted,
                "name": f"{change.variant.product.name} ({change.variant.name})",
            },
        )


class EmailLoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        guest = carts.find_cart(token=self.request.session.get(carts.SESSION_KEY), user=None)
        response = super().form_valid(form)
        _merge_guest_cart(self.request, guest, form.get_user())
        return response

    def get_default_redirect_url(self):
        return reverse("shop:cart")


class EmailLogoutView(auth_views.LogoutView):
    next_page = "shop:home"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("shop:cart")


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("shop:account_orders")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        guest = carts.find_cart(token=request.session.get(carts.SESSION_KEY), user=None)
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        _merge_guest_cart(request, guest, user)
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(_next_url(request))
    status = 400 if form.is_bound else 200
    context = {"form": form, "next": _next_url(request)}
    return render(request, "registration/signup.html", context, status=status)
