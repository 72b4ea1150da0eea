"""Reads on sharing. API reads are scoped through the caller's verification;
the public page reads by share code, and then decides who may look."""

from __future__ import annotations

import datetime as dt
import enum

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse

from lumethic.models import Membership, User
from sharing.models import Share, ShareInvite, ShareView
from verifications.models import Status, Verification


class Access(enum.Enum):
    MEMBER = "member"  # someone of the owner's account: sees it, never counted
    GRANTED = "granted"  # anyone_with_link visitor or an invited, logged-in user
    LOGIN = "login"  # restricted and anonymous: log in first
    DENIED = "denied"  # restricted, logged in, not invited: 404


def share_url(*, share: Share) -> str:
    return settings.SITE_URL + reverse("share-page", kwargs={"code": share.code})


def share_get(*, verification: Verification) -> Share | None:
    """The verification's share while it is on; None when it is not shared."""
    share = Share.objects.filter(verification=verification, code__isnull=False).first()
    return share


def share_invited_emails(*, share: Share) -> list[str]:
    return list(share.invites.order_by("created_at", "email").values_list("email", flat=True))


def share_for_code(*, code: str) -> Share | None:
    """The live share behind a public code, with its verification, or None (→ 404)."""
    if not code or len(code) > 64:
        return None
    return (
        Share.objects.select_related("verification")
        .filter(code=code, verification__status=Status.COMPLETED)
        .first()
    )


def share_access(*, share: Share, user: User | None) -> Access:
    authenticated = user is not None and user.is_authenticated
    if (
        authenticated
        and Membership.objects.filter(account_id=share.verification.account_id, user=user).exists()
    ):
        return Access.MEMBER
    if share.access_type == "anyone_with_link":
        return Access.GRANTED
    if not authenticated:
        return Access.LOGIN
    invited = ShareInvite.objects.filter(share=share, email=user.email.strip().lower()).exists()
    return Access.GRANTED if invited else Access.DENIED


def user_exists_for_email(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def view_analytics(*, verification: Verification, start: dt.date, end: dt.date) -> dict:
    """Views per UTC day from start to end inclusive, every day present (zeros too)."""
    rows = (
        ShareView.objects.filter(
            verification=verification,
            viewed_at__date__gte=start,
            viewed_at__date__lte=end,
        )
        .annotate(day=TruncDate("viewed_at", tzinfo=dt.UTC))
        .values("day")
        .annotate(count=Count("id"))
    )
    counts = {row["day"]: row["count"] for row in rows}
    days = (end - start).days + 1
    daily = [
        {"date": day, "count": counts.get(day, 0)}
        for day in (start + dt.timedelta(days=i) for i in range(days))
    ]
    return {"total_views": sum(d["count"] for d in daily), "daily_views": daily}
