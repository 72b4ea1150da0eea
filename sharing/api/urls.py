from __future__ import annotations

from django.urls import path

from sharing.api import views

PREFIX = "verifications/<anyuuid:verification_id>"

urlpatterns = [
    path(f"{PREFIX}/share", views.ShareView.as_view(), name="api-verification-share"),
    path(
        f"{PREFIX}/share/invites",
        views.ShareInvitesView.as_view(),
        name="api-verification-share-invites",
    ),
    path(
        f"{PREFIX}/analytics/views",
        views.ViewAnalyticsView.as_view(),
        name="api-verification-view-analytics",
    ),
    path(
        f"{PREFIX}/renditions/signed/original",
        views.SignedOriginalView.as_view(),
        name="api-verification-signed-original",
    ),
]
