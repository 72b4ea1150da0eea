from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from verifications.models import Verification, VerificationResult
from verifications.services import verification_rerun


class ResultInline(admin.TabularInline):
    model = VerificationResult
    extra = 0
    fields = ("verificator_id", "result", "confidence_score", "details")
    readonly_fields = fields
    can_delete = False


@admin.register(Verification)
class VerificationAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "short_code",
        "account",
        "status",
        "result",
        "result_confidence",
        "camera_model",
        "attempts",
        "created_at",
    )
    list_filter = ("status", "result", "raw_format", "created_at")
    search_fields = (
        "name",
        "short_code",
        "camera_make",
        "camera_model",
        "raw_photo_hash",
        "image_photo_hash",
        "account__name",
    )
    readonly_fields = [f.name for f in Verification._meta.fields]
    inlines = [ResultInline]
    actions = ["rerun"]

    @admin.action(description="Re-run the analysis")
    def rerun(self, request: HttpRequest, queryset: QuerySet[Verification]) -> None:
        done = 0
        for verification in queryset:
            try:
                verification_rerun(verification=verification)
                done += 1
            except Exception:  # noqa: BLE001 - one busy row must not stop the others
                continue
        self.message_user(request, f"Queued {done} verification(s) again.")


@admin.register(VerificationResult)
class VerificationResultAdmin(admin.ModelAdmin):
    list_display = ("verification", "verificator_id", "result", "confidence_score", "created_at")
    list_filter = ("verificator_id", "result")
    search_fields = ("verification__name", "verification__short_code")
