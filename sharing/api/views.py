"""The share endpoints and the signed original: thin views over services and selectors."""

from __future__ import annotations

import re

from django.http import HttpResponseRedirect
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lumethic.api.dates import query_date_range
from lumethic.api.schema import AutoSchema, errors
from lumethic.files import signed_url
from sharing import renditions
from sharing.api.serializers import (
    ShareInviteResultSerializer,
    ShareInviteSerializer,
    ShareSerializer,
    ShareUpdateSerializer,
    ViewAnalyticsQuerySerializer,
    ViewAnalyticsSerializer,
)
from sharing.models import Share
from sharing.selectors import share_get, share_invited_emails, share_url, view_analytics
from sharing.services import (
    share_ensure_available,
    share_invite_add,
    share_invite_remove,
    share_revoke,
    share_upsert,
)
from verifications.api.serializers import DetailSerializer
from verifications.api.views import get_verification_or_404
from verifications.models import Status

TAG = ["Verifications"]
DEFAULT_DAYS = 30
MAX_DAYS = 366


def _body(serializer_class: type, request: Request) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)  # → 422 in the contract's shape
    return body.validated_data


def _share_body(share: Share) -> dict:
    return ShareSerializer(
        {
            "verification_id": share.verification_id,
            "access_type": share.access_type,
            "share_url": share_url(share=share),
            "invited_emails": share_invited_emails(share=share),
        }
    ).data


class ShareView(APIView):
    @extend_schema(
        operation_id="get_verification_share",
        tags=TAG,
        responses={200: ShareSerializer, **errors(401, 403, 404, 422)},
    )
    def get(self, request: Request, verification_id: str) -> Response:
        verification = get_verification_or_404(request, verification_id)
        share_ensure_available(verification=verification)
        share = share_get(verification=verification)
        if share is None:
            raise NotFound("This verification is not shared.")
        return Response(_share_body(share))

    @extend_schema(
        operation_id="create_or_update_verification_share",
        tags=TAG,
        request=ShareUpdateSerializer,
        responses={200: ShareSerializer, **errors(401, 403, 404, 422)},
    )
    def post(self, request: Request, verification_id: str) -> Response:
        verification = get_verification_or_404(request, verification_id)
        share_ensure_available(verification=verification)
        data = _body(ShareUpdateSerializer, request)
        share = share_upsert(
            verification=verification,
            access_type=data["access_type"],
            user=request.user if request.user.is_authenticated else None,
        )
        return Response(_share_body(share))

    @extend_schema(
        operation_id="delete_verification_share",
        tags=TAG,
        responses={200: DetailSerializer, **errors(401, 403, 404, 422)},
    )
    def delete(self, request: Request, verification_id: str) -> Response:
        verification = get_verification_or_404(request, verification_id)
        if share_revoke(verification=verification):
            return Response({"detail": "Sharing is off; the old link no longer works."})
        return Response({"detail": "This verification was not shared."})


class DeleteWithBodySchema(AutoSchema):
    """remove_verification_invite takes its e-mail in a DELETE body, as the contract says;
    drf-spectacular documents bodies only for POST/PUT/PATCH unless told otherwise."""

    def _get_request_body(self, direction: str = "request"):  # noqa: ANN202
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"


class ShareInvitesView(APIView):
    schema = DeleteWithBodySchema()

    @extend_schema(
        operation_id="add_verification_invite",
        tags=TAG,
        request=ShareInviteSerializer,
        responses={200: ShareInviteResultSerializer, **errors(400, 401, 403, 404, 422)},
    )
    def post(self, request: Request, verification_id: str) -> Response:
        verification = get_verification_or_404(request, verification_id)
        share_ensure_available(verification=verification)
        data = _body(ShareInviteSerializer, request)
        invite, user_exists = share_invite_add(
            verification=verification,
            email=data["email"],
            user=request.user if request.user.is_authenticated else None,
        )
        return Response(
            ShareInviteResultSerializer({"email": invite.email, "user_exists": user_exists}).data
        )

    @extend_schema(
        operation_id="remove_verification_invite",
        tags=TAG,
        request=ShareInviteSerializer,
        responses={200: DetailSerializer, **errors(401, 403, 404, 422)},
    )
    def delete(self, request: Request, verification_id: str) -> Response:
        verification = get_verification_or_404(request, verification_id)
        share_ensure_available(verification=verification)
        data = _body(ShareInviteSerializer, request)
        share_invite_remove(verification=verification, email=data["email"])
        return Response({"detail": "The invitation was removed."})


class ViewAnalyticsView(APIView):
    @extend_schema(
        operation_id="get_verification_view_analytics",
        tags=TAG,
        parameters=[ViewAnalyticsQuerySerializer],
        responses={200: ViewAnalyticsSerializer, **errors(400, 401, 404, 422)},
    )
    def get(self, request: Request, verification_id: str) -> Response:
        verification = get_verification_or_404(request, verification_id)
        start, end = query_date_range(request, default_days=DEFAULT_DAYS, max_days=MAX_DAYS)
        data = view_analytics(verification=verification, start=start, end=end)
        return Response(ViewAnalyticsSerializer(data).data)


class SignedOriginalView(APIView):
    @extend_schema(
        operation_id="get_verification_watermarked_image",
        tags=TAG,
        responses={
            302: OpenApiResponse(
                description="Redirect to a short-lived signed URL of the JPEG with its "
                "verification strip"
            ),
            **errors(401, 404, 422),
        },
    )
    def get(self, request: Request, verification_id: str) -> HttpResponseRedirect:
        verification = get_verification_or_404(request, verification_id)
        if verification.status != Status.COMPLETED:
            raise NotFound("The signed image exists once the verification has completed.")
        share = share_get(verification=verification)
        if share is None:
            raise NotFound("Share this verification first: the strip links to its share page.")
        name = renditions.signed_original(verification=verification, share=share)
        safe = re.sub(r'["\\;]+', "_", verification.name)  # it goes into a header
        download = f"{safe}-verified.jpg"
        return HttpResponseRedirect(signed_url(name, download_name=download, request=request))
