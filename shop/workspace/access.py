"""Who may enter the workspace, and in which language it speaks to them.

Only active staff of a cooperative come in (User.is_cooperative_staff); anyone signed out is
sent to the shop's sign-in page and back. The workspace speaks Vietnamese unless the person
chose English through the site's language cookie (the storefront switcher and the
workspace's own switcher both set it): the people who use it are farmers and artisans in
Vietnam, whatever language their phone's browser asks for.
"""

import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

WORKSPACE_LANGUAGE = "vi"
# The cooperatives' staff work in Vietnamese or English; a German shop visitor's language
# cookie does not turn the workspace German.
WORKSPACE_LANGUAGES = ("vi", "en")
WORKSPACE_TIME_ZONE = "Asia/Ho_Chi_Minh"


def workspace_language(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in WORKSPACE_LANGUAGES else WORKSPACE_LANGUAGE


def staff_only(view):
    """Decorate a workspace view: sign-in required, cooperative staff only (403 otherwise),
    the workspace language active, and `request.cooperative_id` set for the scoped reads."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("shop:login"))
        language = workspace_language(request)
        # override, not activate: the language must not outlive this request's thread work.
        # The cooperatives pack and ship in Vietnam: dates and times are Vietnam's.
        with translation.override(language), timezone.override(WORKSPACE_TIME_ZONE):
            request.LANGUAGE_CODE = language
            if not user.is_cooperative_staff:
                response = render(request, "coop/forbidden.html", status=403)
            else:
                request.cooperative_id = user.cooperative_id
                response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Cache-Control", "private, no-store")
        return response

    return guarded
