"""System checks of the shop's own settings, run by `manage.py check` (--deploy for these)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from shop.payments import gateway_name

DUMMY_GATEWAY_IN_PRODUCTION = "shop.E001"


@register(Tags.security, deploy=True)
def dummy_gateway_not_deployed(app_configs=None, **kwargs) -> list[Error]:
    """The dummy gateway's "Pay" button marks an order paid with no money taken: a deployed
    shop without Stripe keys would give its goods away. It may run only when someone said
    so (OCOP_ALLOW_DUMMY_PAYMENTS=true, a demo or staging shop)."""
    if gateway_name() != "dummy" or settings.ALLOW_DUMMY_PAYMENTS:
        return []
    return [
        Error(
            "The dummy payment gateway is active: checkout marks orders paid with no money taken.",
            hint="Set STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET, or "
            "OCOP_ALLOW_DUMMY_PAYMENTS=true for a demo shop that takes no money.",
            id=DUMMY_GATEWAY_IN_PRODUCTION,
        )
    ]


SITE_URL_NOT_SET = "shop.E002"


@register(Tags.security, deploy=True)
def site_url_set(app_configs=None, **kwargs) -> list[Error]:
    """Without SITE_URL, links in QR codes and linksets follow each request's Host header
    (shop.sites), which a deployed shop must not trust, and emails sent by the worker point
    at the development address."""
    if not settings.SITE_URL_FROM_REQUEST:
        return []
    return [
        Error(
            "SITE_URL is not set: QR codes, emails and Digital Links have no fixed origin.",
            hint="Set SITE_URL to the shop's public origin, e.g. https://shop.example.",
            id=SITE_URL_NOT_SET,
        )
    ]
