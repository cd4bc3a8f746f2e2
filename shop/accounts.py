"""Accounts: sign-up that never tells whether an email has an account, and the account
emails (welcome, "someone tried to sign up with your address", password reset).

Every email is queued with `transaction.on_commit` as a Celery task that takes the user's id
and a language (worker.tasks.accounts); the worker renders and sends it. The reset link's
token is made by the worker, so no token ever waits in the broker. Losing one of these
emails costs the visitor a new request, nothing more, so they have no outbox row.
"""

import functools

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from shop.models import User

WELCOME = "welcome"
SIGNUP_EXISTING = "signup_existing"
PASSWORD_RESET = "password_reset"
EMAIL_KINDS = (WELCOME, SIGNUP_EXISTING, PASSWORD_RESET)


def sign_up(*, email: str, password: str, language: str) -> User | None:
    """Create an account for `email`, or tell its owner that someone tried.

    Rule: the caller answers the same either way. A new address gets an active account and a
    welcome email; an address that has an account (any case) keeps it unchanged and its owner
    gets the SIGNUP_EXISTING email. Side effects: one User row at most, one email task queued
    on commit. Returns the new user, or None when the address had an account."""
    email = User.objects.normalize_email(email).strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(email=email, password=password)
        except IntegrityError:  # the same address signed up a moment ago
            existing = User.objects.get(email__iexact=email)
        else:
            queue_email(user_id=user.pk, kind=WELCOME, language=language)
            return user
    queue_email(user_id=existing.pk, kind=SIGNUP_EXISTING, language=language)
    return None


def request_password_reset(*, email: str, language: str) -> None:
    """Queue a reset link for each active account with a usable password at `email`.

    Rule: nothing tells the caller whether such an account exists. Side effect: email tasks
    queued on commit."""
    for user in User.objects.filter(email__iexact=email.strip(), is_active=True):
        if user.has_usable_password():
            queue_email(user_id=user.pk, kind=PASSWORD_RESET, language=language)


def queue_email(*, user_id: int, kind: str, language: str) -> None:
    """Queue one account email once the current transaction commits (robust: a broker
    outage is logged, not turned into an error page for the visitor)."""
    from worker.tasks import accounts as tasks  # the task module imports this one

    send = functools.partial(
        tasks.send_account_email.delay, user_id=user_id, kind=kind, language=language
    )
    functools.update_wrapper(send, tasks.send_account_email.delay)
    transaction.on_commit(send, robust=True)


def send_email(*, user_id: int, kind: str, language: str) -> bool:
    """Render and send one account email in `language`. Returns False when the user is
    gone or inactive (nothing sent)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or kind not in EMAIL_KINDS:
        return False
    known = {code for code, _name in settings.LANGUAGES}
    language = language if language in known else settings.LANGUAGE_CODE
    context = {"site_url": settings.SITE_URL, "email": user.email}
    with translation.override(language):
        context["login_url"] = settings.SITE_URL + reverse("shop:login")
        context["reset_url"] = settings.SITE_URL + reverse("shop:password_reset")
        if kind == PASSWORD_RESET:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            path = reverse("shop:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
            context["link"] = settings.SITE_URL + path
        subject = _subject(kind)
        text = render_to_string(f"emails/account_{kind}.txt", context)
        html = render_to_string(f"emails/account_{kind}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return True


def _subject(kind: str) -> str:
    return {
        WELCOME: _("Your OCOP Village Shop account is ready"),
        SIGNUP_EXISTING: _("Someone tried to sign up with your email address"),
        PASSWORD_RESET: _("Reset your OCOP Village Shop password"),
    }[kind]
