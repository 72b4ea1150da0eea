"""django-q2 entry points for sharing: invitation e-mails leave from the worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from sharing import renditions
from sharing.models import Share, ShareInvite
from sharing.selectors import share_url, user_exists_for_email
from verifications.models import Status


def _inviter_name(invite: ShareInvite) -> str:
    # A name the inviter chose, never their e-mail address (the page hides it too).
    user = invite.invited_by
    name = user.get_full_name().strip() if user is not None else ""
    return name or "A Lumethic user"


def send_invite_email(invite_id: int) -> str:
    invite = (
        ShareInvite.objects.select_related("share__verification", "invited_by")
        .filter(pk=invite_id)
        .first()
    )
    if invite is None or not invite.share.code:
        return "skipped: the invitation or the share no longer exists"
    verification = invite.share.verification
    context = {
        "inviter": _inviter_name(invite),
        "name": verification.name,
        "authentic": bool(verification.result),
        "share_url": share_url(share=invite.share),
        "restricted": invite.share.access_type == "restricted",
        "user_exists": user_exists_for_email(email=invite.email),
        "email": invite.email,
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string("sharing/email/invite_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("sharing/email/invite.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invite.email],
    )
    message.attach_alternative(render_to_string("sharing/email/invite.html", context), "text/html")
    message.send()
    ShareInvite.objects.filter(pk=invite.pk).update(last_sent_at=timezone.now())
    return "sent"


def warm_share_renditions(verification_id: str) -> str:
    """Draw the share page's JPEG copy and the signed original ahead of the first visit."""
    share = (
        Share.objects.select_related("verification")
        .filter(
            verification_id=verification_id,
            code__isnull=False,
            verification__status=Status.COMPLETED,
        )
        .first()
    )
    if share is None:
        return "skipped: not shared"
    renditions.display_image(verification=share.verification)
    renditions.signed_original(verification=share.verification, share=share)
    return "ready"
