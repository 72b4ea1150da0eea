"""Capture attestations: device keys and signed captures (thin views over services)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lumethic.api.authentication import request_account
from lumethic.api.ids import parse_uuid
from lumethic.api.schema import errors
from provenance.api.serializers import (
    AttestationCreateSerializer,
    AttestationSerializer,
    DeviceKeyCreateSerializer,
    DeviceKeySerializer,
)
from provenance.selectors import attestation_get
from provenance.services import attestation_create, device_key_register

TAG = ["Attestations"]


class DeviceKeyView(APIView):
    @extend_schema(
        operation_id="register_device_key",
        tags=TAG,
        request=DeviceKeyCreateSerializer,
        responses={201: DeviceKeySerializer, **errors(401, 422)},
        description="Register a capture device's Ed25519 public key (idempotent per key).",
    )
    def post(self, request: Request) -> Response:
        body = DeviceKeyCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        key, _created = device_key_register(
            account=request_account(request),
            user=request.user if request.user.is_authenticated else None,
            **body.validated_data,
        )
        return Response(DeviceKeySerializer(key).data, status=status.HTTP_201_CREATED)


class AttestationListView(APIView):
    @extend_schema(
        operation_id="create_attestation",
        tags=TAG,
        request=AttestationCreateSerializer,
        responses={201: AttestationSerializer, **errors(401, 422)},
        description=(
            "Store a capture attestation signed by a registered device. A signature that "
            "does not verify is stored with `validated: false` and a `validation_error`."
        ),
    )
    def post(self, request: Request) -> Response:
        body = AttestationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        attestation = attestation_create(
            account=request_account(request),
            device_id=body.validated_data["device_id"],
            payload=request.data["payload"],  # as posted: its canonical JSON is what was signed
            fields=body.validated_data["payload"],
            signature=body.validated_data["signature"],
        )
        return Response(AttestationSerializer(attestation).data, status=status.HTTP_201_CREATED)


class AttestationDetailView(APIView):
    @extend_schema(
        operation_id="get_attestation",
        tags=TAG,
        responses={200: AttestationSerializer, **errors(401, 404, 422)},
    )
    def get(self, request: Request, attestation_id: str) -> Response:
        pk = parse_uuid(attestation_id, "attestation_id")
        attestation = attestation_get(account=request_account(request), attestation_id=pk)
        if attestation is None:
            raise Http404
        return Response(AttestationSerializer(attestation).data)
