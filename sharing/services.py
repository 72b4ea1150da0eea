"""Writes on sharing: turn a share on or off, invite people, count views."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.exceptions import NotFound, PermissionDenied

from lumethic.api.errors import BadRequest
from lumethic.models import User
from sharing.models import AccessType, Share, ShareInvite, ShareView, new_share_code
from sharing.selectors import share_get, user_exists_for_email
from verifications.models import Status, Verification

# A visitor reloading or coming back within this window counts once.
VIEW_WINDOW = dt.timedelta(minutes=30)
RESEND_AFTER = dt.timedelta(hours=1)


def normalise_email(email: str) -> str:
    """One spelling per address: trimmed and lower-cased (as logins are matched)."""
    return email.strip().lower()


def share_ensure_available(*, verification: Verification) -> None:
    """403 with the reason when this verification cannot be shared (yet)."""
    if verification.status != Status.COMPLETED:
        label = Status(verification.status).label.lower()
        raise PermissionDenied(
            f"Sharing is available only for completed verifications; this one is {label}."
        )


def share_upsert(*, verification: Verification, access_type: str, user: User | None) -> Share:
    """Turn sharing on (with a fresh code) or change who may open the link."""
    share_ensure_available(verification=verification)
    if not Share.objects.filter(verification=verification).exists():
        try:
            with transaction.atomic():
                Share.objects.create(verification=verification)
        except IntegrityError:  # a concurrent request created it first: use theirs
            pass
    with transaction.atomic():
        share = Share.objects.select_for_update().get(verification=verification)
        newly_shared = not share.code
        if newly_shared:
            share.code = _unused_code()
            share.shared_at = timezone.now()
            share.revoked_at = None
            share.created_by = user
        share.access_type = AccessType(access_type)
        share.save()
        if newly_shared:
            # Draw the page's JPEG copy and the signed original before anyone asks.
            transaction.on_commit(lambda: enqueue_share_warmup(verification.pk))
    return share


def _unused_code() -> str:
    # 192 random bits never collide in practice; the loop only guards the unique index.
    while True:
        code = new_share_code()
        if not Share.objects.filter(code=code).exists():
            return code


@transaction.atomic
def share_revoke(*, verification: Verification, staff: bool = False) -> bool:
    """Make the verification private: the old URL 404s at once and invites end.

    Returns False when it was not shared (the call is idempotent). Staff (the
    admin action) may revoke whatever the verification's state.
    """
    if not staff:
        share_ensure_available(verification=verification)
    share = Share.objects.select_for_update().filter(verification=verification).first()
    if share is None or not share.code:
        return False
    share.code = None
    share.revoked_at = timezone.now()
    share.save(update_fields=["code", "revoked_at", "updated_at"])
    share.invites.all().delete()
    return True


def share_set_location_visibility(*, share: Share, show: bool) -> Share:
    """The owner's opt-in to show the capture location on the share page."""
    share.show_location = show
    share.save(update_fields=["show_location", "updated_at"])
    return share


def share_invite_add(
    *, verification: Verification, email: str, user: User | None
) -> tuple[ShareInvite, bool]:
    """Allow an address to open the share and e-mail them the link (from the worker)."""
    share_ensure_available(verification=verification)
    share = share_get(verification=verification)
    if share is None:
        raise BadRequest("This verification is not shared; turn sharing on before inviting.")
    email = normalise_email(email)
    with transaction.atomic():
        try:
            invite, created = ShareInvite.objects.get_or_create(
                share=share, email=email, defaults={"invited_by": user}
            )
        except IntegrityError:  # a concurrent request invited the same address
            invite, created = ShareInvite.objects.get(share=share, email=email), False
        # Inviting again re-sends the e-mail, but at most once per RESEND_AFTER,
        # so a repeated call cannot flood someone's inbox.
        recent = invite.last_sent_at and timezone.now() - invite.last_sent_at < RESEND_AFTER
        if created or not recent:
            transaction.on_commit(lambda: enqueue_invite_email(invite.pk))
    return invite, user_exists_for_email(email=email)


def share_invite_remove(*, verification: Verification, email: str) -> None:
    share_ensure_available(verification=verification)
    deleted, _ = ShareInvite.objects.filter(
        share__verification=verification, share__code__isnull=False, email=normalise_email(email)
    ).delete()
    if not deleted:
        raise NotFound("No invitation exists for that e-mail address.")


def enqueue_invite_email(invite_id: int) -> None:
    """Hand the e-mail to the django-q2 worker: a slow SMTP server never holds a request."""
    from django_q.tasks import async_task

    async_task(
        "sharing.tasks.send_invite_email",
        invite_id,
        task_name=f"share-invite-{invite_id}",
        group="sharing",
    )


def enqueue_share_warmup(verification_id: object) -> None:
    from django_q.tasks import async_task

    async_task(
        "sharing.tasks.warm_share_renditions",
        str(verification_id),
        task_name=f"share-warmup-{verification_id}",
        group="sharing",
    )


def share_view_record(
    *,
    share: Share,
    visitor_key: str,
    client_key: str,
    user: User | None,
    known_visitor: bool,
    now: dt.datetime | None = None,
) -> bool:
    """Count one view unless the same visitor was counted within the window.

    A visitor we know (cookie or login) is matched by that key; one without a
    cookie by the hash of their address and user agent.
    """
    now = now or timezone.now()
    since = now - VIEW_WINDOW
    match = Q(visitor_key=visitor_key)
    if not known_visitor:
        match |= Q(client_key=client_key)
    recent = ShareView.objects.filter(
        match, verification_id=share.verification_id, viewed_at__gte=since
    )
    if recent.exists():
        return False
    ShareView.objects.create(
        verification_id=share.verification_id,
        viewed_at=now,
        visitor_key=visitor_key,
        client_key=client_key,
        user=user if user is not None and user.is_authenticated else None,
        access_type=share.access_type,
    )
    return True
