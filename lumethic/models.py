"""Core domain: users, accounts, memberships, plans and monthly usage."""

from __future__ import annotations

import uuid

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("an e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person. Logs in with an e-mail address; belongs to one or more accounts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = None
    email = models.EmailField(unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    def __str__(self) -> str:
        return self.email


class Plan(models.TextChoices):
    FREE = "free", "Free"
    BASIC = "basic", "Basic"
    PROFESSIONAL = "professional", "Professional"
    ENTERPRISE = "enterprise", "Enterprise"


# Verifications included per month; None means unlimited (by contract).
PLAN_QUOTAS: dict[str, int | None] = {
    Plan.FREE: 5,
    Plan.BASIC: 50,
    Plan.PROFESSIONAL: 1000,
    Plan.ENTERPRISE: None,
}
PLAN_PRICES_CENTS = {Plan.FREE: 0, Plan.BASIC: 395, Plan.PROFESSIONAL: 4995, Plan.ENTERPRISE: None}


class Account(models.Model):
    """The unit that owns verifications, keys and listings, and pays."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    plan = models.CharField(max_length=20, choices=Plan.choices, default=Plan.FREE)
    # Overage is billed per verification above the plan's quota, up to this budget.
    budget_limit_cents = models.PositiveIntegerField(default=0)
    stripe_customer_id = models.CharField(max_length=100, blank=True, default="")
    stripe_subscription_id = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    members = models.ManyToManyField(User, through="Membership", related_name="accounts")

    def __str__(self) -> str:
        return self.name

    @property
    def is_paid(self) -> bool:
        return self.plan != Plan.FREE

    @property
    def monthly_quota(self) -> int | None:
        return PLAN_QUOTAS[self.plan]


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "account"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.account} ({self.role})"


class MonthlyUsage(models.Model):
    """Verifications started by an account in one calendar month (UTC)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="usage")
    month = models.DateField(help_text="First day of the month")
    count = models.PositiveIntegerField(default=0)
    overage_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "month"], name="unique_usage_month"),
        ]
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.account} {self.month:%Y-%m}: {self.count}"


class WorkerHeartbeat(models.Model):
    """Last time a worker ran the scheduled reaper: the health check reads it."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
