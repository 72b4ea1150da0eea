from __future__ import annotations

from django.urls import path

from verifications.api import views

urlpatterns = [
    path("verifications/", views.VerificationListView.as_view(), name="api-verifications"),
    path(
        "verifications/<anyuuid:verification_id>",
        views.VerificationDetailView.as_view(),
        name="api-verification-detail",
    ),
    path(
        "verifications/<anyuuid:verification_id>/renditions/thumbnail",
        views.VerificationThumbnailView.as_view(),
        name="api-verification-thumbnail",
    ),
    path(
        "verifications/<anyuuid:verification_id>/image",
        views.VerificationImageView.as_view(),
        name="api-verification-image",
    ),
]
