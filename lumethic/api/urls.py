"""The /v1 router: every app's api/urls.py is mounted here."""

from __future__ import annotations

from django.urls import include, path

from lumethic.api.health import HealthView

urlpatterns = [
    path("public/health", HealthView.as_view(), name="api-health"),
    path("", include("verifications.api.urls")),
    path("", include("apikeys.api.urls")),
    path("", include("sharing.api.urls")),
    path("", include("marketplace.api.urls")),
    path("", include("provenance.api.urls")),
]
