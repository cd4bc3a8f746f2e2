"""Sign in and sign up by email (Django's auth views). Signing in moves the guest cart of
the session into the account's cart (shop.carts.merge)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shop import accounts, carts, ratelimits
from shop.checkout_forms import EmailAuthenticationForm, PasswordResetRequestForm, SignUpForm
from shop.models import User
from shop.views.cart import CART_COUNT_COOKIE, remember_count
from shop.views.next_url import local_next


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
        user = form.get_user()
        _merge_guest_cart(self.request, guest, user)
        account_cart = carts.find_cart(token=None, user=user)
        return remember_count(response, carts.item_count(cart=account_cart))

    def get_default_redirect_url(self):
        return reverse("shop:cart")


class EmailLogoutView(auth_views.LogoutView):
    next_page = "shop:home"

    def post(self, request, *args, **kwargs):
        # The account's cart stays with the account: the header shows no count once out.
        response = super().post(request, *args, **kwargs)
        response.delete_cookie(CART_COUNT_COOKIE, samesite="Lax")
        return response


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return local_next(request, target, default=reverse("shop:cart"))


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimits.limit_posts("signup")
def signup(request: HttpRequest) -> HttpResponse:
    """The same answer for a new address and one that has an account (shop.accounts)."""
    if request.user.is_authenticated:
        return redirect("shop:account_orders")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.sign_up(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            language=get_language(),
        )
        query = urlencode({"next": _next_url(request)})
        return redirect(f"{reverse('shop:signup_done')}?{query}")
    status = 400 if form.is_bound else 200
    context = {"form": form, "next": _next_url(request)}
    return render(request, "registration/signup.html", context, status=status)


def signup_done(request: HttpRequest) -> HttpResponse:
    context = {"next": _next_url(request)}
    return render(request, "registration/signup_done.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimits.limit_posts("password_reset")
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link; the answer never tells whether the address has an account."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.request_password_reset(email=form.cleaned_data["email"], language=get_language())
        return redirect("shop:password_reset_done")
    status = 400 if form.is_bound else 200
    return render(request, "registration/password_reset_form.html", {"form": form}, status=status)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("shop:password_reset_complete")
