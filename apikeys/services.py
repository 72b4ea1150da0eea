"""Issuing, checking and revoking API keys.

Keys look like `lum_live_<8 chars>.<32 chars>`. The part before the dot is
stored readable for lookup and display; the whole key only as a SHA-512 hash
(djangorestframework-api-key's hasher: fast and safe for high-entropy keys).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.crypto import get_random_string
from rest_framework_api_key.crypto import KeyGenerator

from apikeys.models import ApiKey
from lumethic.models import Account, User

KEY_PREFIX = "lum_live_"
# Writing last_used_at on every request would serialise all API traffic on one
# row; once a minute is precise enough for "last used".
LAST_USED_RESOLUTION = dt.timedelta(seconds=60)


class LumethicKeyGenerator(KeyGenerator):
    def get_prefix(self) -> str:
        return KEY_PREFIX + get_random_string(8)


_generator = LumethicKeyGenerator(secret_key_length=32)


def api_key_create(
    *, account: Account, user: User, description: str = "", expires_in_days: int | None = None
) -> tuple[ApiKey, str]:
    raw_key, prefix, hashed = _generator.generate()
    expires_at = timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    key = ApiKey.objects.create(
        account=account,
        user=user,
        description=description,
        prefix=prefix,
        hashed_key=hashed,
        expires_at=expires_at,
    )
    return key, raw_key


def api_key_check(raw_key: str) -> ApiKey | None:
    """The active key for this raw value, or None (unknown, wrong, revoked, expired)."""
    prefix, dot, secret = raw_key.partition(".")
    if not dot or not prefix.startswith(KEY_PREFIX) or not secret:
        return None
    key = ApiKey.objects.select_related("account", "user").filter(prefix=prefix).first()
    if key is None or not _generator.verify(raw_key, key.hashed_key):
        return None
    if not key.is_active or not key.user.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def api_key_revoke(*, key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at", "updated_at"])
