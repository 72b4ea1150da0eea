from __future__ import annotations

from django.db import connection
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lumethic.api.schema import errors
from lumethic.models import WorkerHeartbeat

Health = inline_serializer(
    "Health",
    {
        "status": serializers.CharField(),
        "database": serializers.CharField(),
        "worker_last_seen": serializers.DateTimeField(allow_null=True),
        "worker_seconds_ago": serializers.FloatField(allow_null=True),
    },
)


class HealthView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        operation_id="health_check",
        tags=["Public Access"],
        auth=[],
        responses={200: Health, **errors(503)},
    )
    def get(self, request: Request) -> Response:
        with connection.cursor() as cursor:  # an outage raises → 503 from the middleware
            cursor.execute("SELECT 1")
        beat = WorkerHeartbeat.objects.filter(name="worker").first()
        seen = beat.seen_at if beat else None
        ago = (timezone.now() - seen).total_seconds() if seen else None
        return Response(
            {
                "status": "ok",
                "database": "ok",
                "worker_last_seen": seen,
                "worker_seconds_ago": round(ago, 1) if ago is not None else None,
            }
        )
