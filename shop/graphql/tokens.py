"""Bearer tokens for the API: issuing one, and finding the user behind one.

A key is 32 random bytes (URL-safe base64), so a plain SHA-256 of it is enough to store:
nobody can guess or brute-force such a key from its hash, and a hash lets a request's token
be found with one indexed lookup. The key is shown once, when it is issued.
"""

import datetime
import hashlib
import secrets

from django.utils import timezone

from shop.models import ApiToken, User

PREFIX = "ocop_"
# Writing last_used_at on every request would turn every API read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


class TokenRefused(Exception):
    """Only active staff may hold API tokens; nothing was written."""


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for `user` (active staff only, else TokenRefused) named `name`.

    Writes one ApiToken holding the key's hash. Returns the row and the key, which is never
    stored and cannot be shown again.
    """
    if not (user.is_active and user.is_staff):
        raise TokenRefused("API tokens are for active staff accounts.")
    name = name.strip()[:100] or "API"
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=_hash(key))
    return token, key


def user_for_key(*, key: str, now: datetime.datetime | None = None) -> User | None:
    """The active user behind a bearer key (None for an unknown or revoked key, or an
    inactive user). Records when the token was last used, at most every few minutes."""
    if not key.startswith(PREFIX) or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
