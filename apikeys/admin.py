from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from apikeys.models import ApiKey
from apikeys.services import api_key_revoke


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = (
        "prefix",
        "account",
        "user",
        "description",
        "active",
        "expires_at",
        "last_used_at",
        "created_at",
    )
    list_filter = ("revoked_at", "expires_at", "created_at")
    search_fields = ("prefix", "description", "user__email", "account__name")
    readonly_fields = ("id", "prefix", "hashed_key", "last_used_at", "created_at", "updated_at")
    actions = ["revoke"]

    @admin.display(boolean=True)
    def active(self, obj: ApiKey) -> bool:
        return obj.is_active

    @admin.action(description="Revoke selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            api_key_revoke(key=key)
        self.message_user(request, f"Revoked {queryset.count()} key(s).")
