from __future__ import annotations

from django.urls import path

from provenance.api import views

urlpatterns = [
    path("attestations/", views.AttestationListView.as_view(), name="api-attestations"),
    # Before the detail route: its converter would otherwise take "devices" as an id.
    path("attestations/devices", views.DeviceKeyView.as_view(), name="api-attestation-devices"),
    path(
        "attestations/<anyuuid:attestation_id>",
        views.AttestationDetailView.as_view(),
        name="api-attestation-detail",
    ),
]
