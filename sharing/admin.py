from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from sharing.models import Share, ShareInvite, ShareView
from sharing.services import share_revoke


class InviteInline(admin.TabularInline):
    model = ShareInvite
    extra = 0
    fields = ("email", "invited_by", "created_at", "last_sent_at")
    readonly_fields = ("invited_by", "created_at", "last_sent_at")


@admin.register(Share)
class ShareAdmin(admin.ModelAdmin):
    list_display = (
        "verification",
        "account",
        "access_type",
        "active",
        "show_location",
        "invite_count",
        "shared_at",
        "revoked_at",
    )
    list_filter = ("access_type", "show_location", "shared_at", "revoked_at")
    search_fields = (
        "verification__name",
        "verification__short_code",
        "verification__account__name",
        "invites__email",
    )
    readonly_fields = ("id", "verification", "code", "created_by", "shared_at", "revoked_at")
    fields = (*readonly_fields, "access_type", "show_location")
    list_select_related = ("verification__account",)
    inlines = [InviteInline]
    actions = ["revoke"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Share]:
        return super().get_queryset(request).annotate(n_invites=Count("invites"))

    @admin.display(description="Account", ordering="verification__account__name")
    def account(self, obj: Share) -> str:
        return str(obj.verification.account)

    @admin.display(boolean=True, description="Shared")
    def active(self, obj: Share) -> bool:
        return obj.is_active

    @admin.display(description="Invites", ordering="n_invites")
    def invite_count(self, obj: Share) -> int:
        return getattr(obj, "n_invites", 0)

    @admin.action(description="Stop sharing (the links stop working at once)")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Share]) -> None:
        done = sum(share_revoke(verification=share.verification, staff=True) for share in queryset)
        self.message_user(request, f"Stopped sharing {done} verification(s).")


@admin.register(ShareInvite)
class ShareInviteAdmin(admin.ModelAdmin):
    list_display = ("email", "share", "invited_by", "created_at", "last_sent_at")
    list_filter = ("created_at", "last_sent_at")
    search_fields = ("email", "share__verification__name", "share__verification__short_code")
    list_select_related = ("share__verification", "invited_by")
    readonly_fields = ("share", "invited_by", "created_at", "last_sent_at")


@admin.register(ShareView)
class ShareViewAdmin(admin.ModelAdmin):
    list_display = ("verification", "viewed_at", "access_type", "user")
    list_filter = ("access_type", "viewed_at")
    search_fields = ("verification__name", "verification__short_code", "user__email")
    date_hierarchy = "viewed_at"
    list_select_related = ("verification", "user")
    readonly_fields = (
        "verification",
        "viewed_at",
        "visitor_key",
        "client_key",
        "user",
        "access_type",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # views are recorded by the page, never entered by hand
