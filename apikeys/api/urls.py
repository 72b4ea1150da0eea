from __future__ import annotations

from django.urls import path

from apikeys.api.views import ApiKeyDetailView, ApiKeyListView

urlpatterns = [
    path("apikeys/", ApiKeyListView.as_view(), name="api-keys"),
    path("apikeys/<anyuuid:key_id>", ApiKeyDetailView.as_view(), name="api-key-detail"),
]
