from __future__ import annotations

from django.urls import path

from apikeys import views

urlpatterns = [
    path("keys/", views.key_list, name="api-keys-page"),
    path("keys/<uuid:key_id>/revoke/", views.key_revoke, name="api-key-revoke"),
]
