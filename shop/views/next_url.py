"""Where a `next` parameter may send the shopper back to."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def local_next(request: HttpRequest, target: str, *, default: str) -> str:
    """`target` when it is a path of this site, else `default`.

    Rule: only an absolute path ("/…", not "//…" nor "/\\…") on an allowed host and scheme.
    A bare word ("products") would be taken by `redirect()` for a URL name and raise, and a
    relative path depends on where the visitor stood, so both go to `default`. No side
    effects."""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
