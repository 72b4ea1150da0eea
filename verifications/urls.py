from __future__ import annotations

from django.urls import path

from verifications import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("upload/", views.upload, name="upload"),
    path("verifications/<uuid:verification_id>/", views.report, name="verification-report"),
    path(
        "verifications/<uuid:verification_id>/delete/",
        views.delete,
        name="verification-delete",
    ),
]
