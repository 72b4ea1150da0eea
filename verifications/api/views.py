from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lumethic.api.authentication import request_account
from lumethic.api.errors import BadRequest, PayloadTooLarge
from lumethic.api.ids import parse_uuid
from lumethic.api.pagination import PageQuerySerializer, page_serializer, paginate
from lumethic.api.schema import errors
from lumethic.files import signed_url
from verifications.api.serializers import (
    DetailSerializer,
    VerificationCreatedSerializer,
    VerificationCreateSerializer,
    VerificationListQuerySerializer,
    VerificationSerializer,
)
from verifications.models import Verification
from verifications.selectors import verification_get, verification_list
from verifications.services import verification_create, verification_delete

TAG = ["Verifications"]
VerificationPage = page_serializer(VerificationSerializer, "VerificationPage")
REDIRECT = OpenApiResponse(description="Redirect to a short-lived signed URL")


def get_verification_or_404(request: Request, verification_id: str) -> Verification:
    pk = parse_uuid(verification_id, "verification_id")
    verification = verification_get(account=request_account(request), verification_id=pk)
    if verification is None:
        raise Http404
    return verification


class VerificationListView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="list_verifications",
        tags=TAG,
        parameters=[PageQuerySerializer, VerificationListQuerySerializer],
        responses={200: VerificationPage, **errors(400, 401, 422)},
    )
    def get(self, request: Request) -> Response:
        query = VerificationListQuerySerializer(data=request.query_params)
        if not query.is_valid():
            field, problems = next(iter(query.errors.items()))
            raise BadRequest(f"Invalid '{field}': {problems[0]}")
        qs = verification_list(account=request_account(request), **query.validated_data)
        return Response(paginate(request, qs, VerificationSerializer))

    @extend_schema(
        operation_id="create_verification",
        tags=TAG,
        request={"multipart/form-data": VerificationCreateSerializer},
        responses={201: VerificationCreatedSerializer, **errors(401, 402, 404, 413, 422)},
    )
    def post(self, request: Request) -> Response:
        limit = settings.MAX_RAW_BYTES + settings.MAX_JPEG_BYTES + 1024 * 1024
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
            raise PayloadTooLarge(
                f"The upload is larger than {limit // (1024 * 1024)} MB in total."
            )
        data = request.data
        attestation = data.get("attestation_id") or None
        attestation_id = None
        if attestation is not None:
            body = VerificationCreateSerializer(data={"attestation_id": attestation}, partial=True)
            body.is_valid(raise_exception=True)
            attestation_id = body.validated_data.get("attestation_id")
        verification = verification_create(
            account=request_account(request),
            user=request.user if request.user.is_authenticated else None,
            raw=request.FILES.get("raw"),
            image=request.FILES.get("image"),
            attestation_id=attestation_id,
        )
        body = {"id": verification.pk, "security_score": verification.security_score}
        return Response(VerificationCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


class VerificationDetailView(APIView):
    @extend_schema(
        operation_id="get_verification",
        tags=TAG,
        responses={200: VerificationSerializer, **errors(401, 404, 422)},
    )
    def get(self, request: Request, verification_id: str) -> Response:
        verification = get_verification_or_404(request, verification_id)
        return Response(VerificationSerializer(verification, context={"request": request}).data)

    @extend_schema(
        operation_id="delete_verification",
        tags=TAG,
        responses={200: DetailSerializer, **errors(401, 403, 404, 422)},
    )
    def delete(self, request: Request, verification_id: str) -> Response:
        verification = get_verification_or_404(request, verification_id)
        verification_delete(verification=verification)
        return Response({"detail": "Verification deleted."})


class VerificationThumbnailView(APIView):
    @extend_schema(
        operation_id="get_verification_thumbnail",
        tags=TAG,
        responses={302: REDIRECT, **errors(401, 404, 422)},
    )
    def get(self, request: Request, verification_id: str) -> HttpResponseRedirect:
        verification = get_verification_or_404(request, verification_id)
        if not verification.thumbnail:
            raise Http404("No thumbnail yet.")
        return HttpResponseRedirect(signed_url(verification.thumbnail.name, request=request))


class VerificationImageView(APIView):
    @extend_schema(
        operation_id="get_verification_image",
        tags=TAG,
        responses={302: REDIRECT, **errors(401, 404, 422)},
    )
    def get(self, request: Request, verification_id: str) -> HttpResponseRedirect:
        verification = get_verification_or_404(request, verification_id)
        download = f"{verification.name}.jpg"
        return HttpResponseRedirect(
            signed_url(verification.image_file.name, download_name=download, request=request)
        )
