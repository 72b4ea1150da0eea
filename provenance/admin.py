"""Read-mostly admin views: support looks at what devices sent and what bodies we know."""

from __future__ import annotations

from django.contrib import admin

from provenance.models import Attestation, CameraFingerprint, DeviceKey


@admin.register(DeviceKey)
class DeviceKeyAdmin(admin.ModelAdmin):
    list_display = ["fingerprint", "name", "platform", "account", "created_at"]
    search_fields = ["fingerprint", "name", "account__name"]
    readonly_fields = ["public_key", "fingerprint", "created_at"]


@admin.register(Attestation)
class AttestationAdmin(admin.ModelAdmin):
    list_display = ["id", "device_key", "sequence_number", "captured_at", "validated", "created_at"]
    list_filter = ["validated", "integrity_verdict"]
    search_fields = ["raw_sha256", "device_key__fingerprint"]
    readonly_fields = [f.name for f in Attestation._meta.fields]


@admin.register(CameraFingerprint)
class CameraFingerprintAdmin(admin.ModelAdmin):
    list_display = ["make", "model", "serial", "raw_count", "account", "updated_at"]
    search_fields = ["make", "model", "serial"]
    readonly_fields = ["file", "raw_count", "raw_hashes", "created_at", "updated_at"]
