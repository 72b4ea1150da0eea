"""Sharing: a verification's share link, the people invited to it, and its views."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models

# 24 random bytes = 192 bits, URL-safe: far beyond any enumeration, short enough to paste.
CODE_BYTES = 24


def new_share_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


class AccessType(models.TextChoices):
    RESTRICTED = "restricted", "Restricted"
    ANYONE_WITH_LINK = "anyone_with_link", "Anyone with the link"


class Share(models.Model):
    """One verification's sharing settings.

    `code` is the share URL's secret; it is null while the verification is not
    shared, so a revoked link stops resolving at once, and re-sharing draws a
    new code instead of reviving the old one.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    verification = models.OneToOneField(
        "verifications.Verification", on_delete=models.CASCADE, related_name="share"
    )
    code = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    access_type = models.CharField(
        max_length=20, choices=AccessType.choices, default=AccessType.RESTRICTED
    )
    # GPS stays off the public page unless the owner explicitly opts in.
    show_location = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        state = self.access_type if self.is_active else "not shared"
        return f"{self.verification} ({state})"

    @property
    def is_active(self) -> bool:
        return bool(self.code)


class ShareInvite(models.Model):
    """An e-mail address allowed to open a restricted share after logging in."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="invites")
    email = models.EmailField()  # normalised: lower-case, trimmed
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "email"]
        constraints = [
            models.UniqueConstraint(fields=["share", "email"], name="one_invite_per_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.share.verification}"


class ShareView(models.Model):
    """One counted open of a share page (owners, bots and quick reloads are not recorded)."""

    verification = models.ForeignKey(
        "verifications.Verification", on_delete=models.CASCADE, related_name="share_views"
    )
    viewed_at = models.DateTimeField(db_index=True)
    # Keyed hashes, never the raw cookie, IP or user agent.
    visitor_key = models.CharField(max_length=64)
    client_key = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    access_type = models.CharField(max_length=20, choices=AccessType.choices)

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [
            models.Index(fields=["verification", "viewed_at"]),
            models.Index(fields=["verification", "visitor_key", "viewed_at"]),
            models.Index(fields=["verification", "client_key", "viewed_at"]),
        ]

    def __str__(self) -> str:
        return f"view of {self.verification_id} at {self.viewed_at:%Y-%m-%d %H:%M}"
