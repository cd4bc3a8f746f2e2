"""The receiver's thank-you: POST /gift/<token>/thanks/ (multipart, CSRF, rate-limited).

The form lives on the gift page (frontend_templates/shop/_thank_you_form.html); a sent
thank-you goes back there with a message. Input the service refuses is shown again on a
small page of its own (400) with what was typed, since the gift page is cached."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shop import gift_thanks, gifts, ratelimits, uploads
from shop.models.gifts import Gift


class ThankYouForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Your name (optional)"),
        max_length=gift_thanks.NAME_MAX_LENGTH,
        required=False,
    )
    text = forms.CharField(
        label=gettext_lazy("Your thank-you"),
        max_length=gift_thanks.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo = forms.FileField(
        label=gettext_lazy("A photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}),
    )


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    patch_cache_control(response, private=True, no_store=True)
    return response


def _again(request: HttpRequest, token: str, form: ThankYouForm) -> HttpResponse:
    gift = Gift.objects.filter(token=token).first()
    if gift is None:
        raise Http404(_("No gift has this address."))
    context = {"gift": gift, "thanks_form": form}
    return _private(render(request, "shop/gift_thanks.html", context, status=400))


@require_POST
@ratelimits.limit_posts("gift_thanks")
def gift_thank_you(request: HttpRequest, token: str) -> HttpResponse:
    form = ThankYouForm(request.POST, request.FILES)
    if not form.is_valid():
        return _again(request, token, form)
    data = form.cleaned_data
    try:
        gift_thanks.send_thank_you(
            token=token, name=data["name"], text=data["text"], photo=data["photo"]
        )
    except gift_thanks.GiftNotFound as exc:
        raise Http404(_("No gift has this address.")) from exc
    except gift_thanks.GiftClosed:
        return _private(render(request, "shop/gift_gone.html", {}, status=410))
    except gift_thanks.InvalidThankYou as exc:
        for field, errors in exc.errors.items():
            for error in errors:
                form.add_error(field, error)
        return _again(request, token, form)
    except gift_thanks.AlreadyThanked:
        messages.info(request, _("A thank-you was already sent for this gift: only one can be."))
    else:
        messages.success(request, _("Your thank-you was sent. Thank you!"))
    response = redirect(gifts.page_path(Gift(token=token)) + "#thanks")
    response["Referrer-Policy"] = "no-referrer"
    return response
