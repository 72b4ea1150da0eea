"""Inviting a colleague into an account (the web app's one write on memberships).

Kept beside `lumethic/services.py` rather than in it because that module is
shared plumbing; the function follows the same keyword-only style.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lumethic.models import Account, Membership, User


def memberships_for_account(*, account: Account) -> QuerySet[Membership]:
    return Membership.objects.filter(account=account).select_related("user").order_by("created_at")


def membership_is_owner(*, account: Account, user: User) -> bool:
    return Membership.objects.filter(
        account=account, user=user, role=Membership.Role.OWNER
    ).exists()


@transaction.atomic
def membership_invite(*, account: Account, email: str, invited_by: User) -> tuple[User, bool]:
    """Add `email` to the account as a member; returns (user, user_was_created).

    A new person gets a login without a usable password and an e-mail with a
    one-time link to choose one (Django's password-reset token), so nobody
    ever sends passwords around.
    """
    if not membership_is_owner(account=account, user=invited_by):
        raise PermissionDenied("Only the account's owners can invite colleagues.")
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email=email, password=None)
    _membership, added = Membership.objects.get_or_create(
        user=user, account=account, defaults={"role": Membership.Role.MEMBER}
    )
    if added:
        transaction.on_commit(lambda: _send_invite(account, user, invited_by, created))
    return user, created


def _send_invite(account: Account, user: User, invited_by: User, new_user: bool) -> None:
    if new_user:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        action = f"Choose your password here to join:\n{settings.SITE_URL}{path}"
    else:
        action = f"Log in to see it:\n{settings.SITE_URL}{reverse('login')}"
    send_mail(
        subject=f"{invited_by.email} invited you to {account.name} on Lumethic",
        message=(
            f'{invited_by.email} added you to the Lumethic account "{account.name}".\n\n{action}\n'
        ),
        from_email=None,
        recipient_list=[user.email],
    )
