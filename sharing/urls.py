from __future__ import annotations

from django.urls import path

from sharing import views

urlpatterns = [
    path("s/<str:code>", views.share_page, name="share-page"),
    path("s/<str:code>/preview.jpg", views.share_preview_image, name="share-preview-image"),
]
