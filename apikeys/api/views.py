from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apikeys.api.serializers import (
    ApiKeyCreatedSerializer,
    ApiKeyCreateSerializer,
    ApiKeySerializer,
)
from apikeys.selectors import api_keys_for_account
from apikeys.services import api_key_create, api_key_revoke
from lumethic.api.authentication import request_account
from lumethic.api.ids import parse_uuid
from lumethic.api.schema import errors
from lumethic.models import Account

TAG = ["API Keys"]


class ApiKeyListView(APIView):
    @extend_schema(
        operation_id="list_api_keys",
        tags=TAG,
        responses={200: ApiKeySerializer(many=True), **errors(401, 422)},
    )
    def get(self, request: Request) -> Response:
        keys = api_keys_for_account(account=request_account(request))
        return Response(ApiKeySerializer(keys, many=True).data)

    @extend_schema(
        operation_id="create_api_key",
        tags=TAG,
        request=ApiKeyCreateSerializer,
        responses={201: ApiKeyCreatedSerializer, **errors(401, 403, 422)},
    )
    def post(self, request: Request) -> Response:
        body = ApiKeyCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        account = Account.objects.filter(
            pk=data["account_id"], memberships__user=request.user
        ).first()
        if account is None:
            raise PermissionDenied("You are not a member of that account.")
        key, raw = api_key_create(
            account=account,
            user=request.user,
            description=data.get("description") or "",
            expires_in_days=data.get("expires_in_days"),
        )
        out = ApiKeyCreatedSerializer(key).data | {"raw_key": raw}
        return Response(out, status=status.HTTP_201_CREATED)


class ApiKeyDetailView(APIView):
    @extend_schema(
        operation_id="revoke_api_key", tags=TAG, responses={204: None, **errors(401, 404, 422)}
    )
    def delete(self, request: Request, key_id: str) -> Response:
        pk = parse_uuid(key_id, "key_id")
        key = api_keys_for_account(account=request_account(request)).filter(pk=pk).first()
        if key is None:
            raise Http404
        api_key_revoke(key=key)
        return Response(status=status.HTTP_204_NO_CONTENT)
