from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import (
    SpectacularJSONAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from lumethic.converters import AnyUUIDConverter
from lumethic.files import serve_signed

register_converter(AnyUUIDConverter, "anyuuid")

urlpatterns = [
    path("v1/", include("lumethic.api.urls")),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs", SpectacularSwaggerView.as_view(url_name="openapi"), name="docs"),
    path("redoc", SpectacularRedocView.as_view(url_name="openapi"), name="redoc"),
    path("files/<str:token>", serve_signed, name="signed-file"),
    path("admin/", admin.site.urls),
    path("", include("marketplace.urls")),
    path("", include("sharing.urls")),
    path("", include("lumethic.page_urls")),
]
