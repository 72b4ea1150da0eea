"""The 11 /v1/marketplace endpoints: thin views over services and selectors."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lumethic.api.authentication import request_account
from lumethic.api.dates import query_date_range
from lumethic.api.errors import RequestValidationError
from lumethic.api.ids import parse_uuid
from lumethic.api.schema import errors
from lumethic.files import signed_url
from marketplace import selectors, services
from marketplace.api.serializers import (
    CheckoutSerializer,
    LimitOffsetQuerySerializer,
    ListingCreateQuerySerializer,
    ListingSerializer,
    ListingWriteSerializer,
    PurchaseCreateSerializer,
    PurchaseQuerySerializer,
    PurchaseSerializer,
    SalesAnalyticsQuerySerializer,
    SalesAnalyticsSerializer,
)
from marketplace.models import Listing

TAG = ["Marketplace"]
REDIRECT = OpenApiResponse(description="Redirect to a short-lived signed URL of the original JPEG")
MAX_ANALYTICS_DAYS = 366


def _query(serializer_class: type, request: Request) -> dict:
    query = serializer_class(data=request.query_params)
    if not query.is_valid():
        raise RequestValidationError(query.errors, "query")
    return query.validated_data


def _body(serializer_class: type, request: Request) -> dict:
    body = serializer_class(data=request.data)
    if not body.is_valid():
        raise RequestValidationError(body.errors, "body")
    return body.validated_data


def _page(request: Request, queryset, serializer_class: type) -> Response:  # noqa: ANN001
    q = _query(LimitOffsetQuerySerializer, request)
    rows = queryset[q["offset"] : q["offset"] + q["limit"]]
    return Response(serializer_class(rows, many=True).data)


def _own_listing(request: Request, listing_id: str) -> Listing:
    pk = parse_uuid(listing_id, "listing_id")
    listing = selectors.listing_get(account=request_account(request), listing_id=pk)
    if listing is None:
        raise NotFound("Listing not found.")
    return listing


def _any_listing(listing_id: str) -> Listing:
    pk = parse_uuid(listing_id, "listing_id")
    listing = selectors.listing_get_public(listing_id=pk)
    if listing is None:
        raise NotFound("Listing not found.")
    return listing


def _download(request: Request, listing: Listing) -> HttpResponseRedirect:
    name = listing.verification.image_file.name
    url = signed_url(name, download_name=services.download_name(listing), request=request)
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "no-store"
    return response


LIMIT_OFFSET = [LimitOffsetQuerySerializer]


class ListingCollectionView(APIView):
    @extend_schema(
        operation_id="get_seller_listings",
        tags=TAG,
        parameters=LIMIT_OFFSET,
        responses={200: ListingSerializer(many=True), **errors(401, 422)},
    )
    def get(self, request: Request) -> Response:
        qs = selectors.listings_for_account(account=request_account(request))
        return _page(request, qs, ListingSerializer)

    @extend_schema(
        operation_id="create_listing",
        tags=TAG,
        parameters=[ListingCreateQuerySerializer],
        request=ListingWriteSerializer,
        responses={201: ListingSerializer, **errors(401, 402, 403, 404, 422)},
    )
    def post(self, request: Request) -> Response:
        query = _query(ListingCreateQuerySerializer, request)
        data = _body(ListingWriteSerializer, request)
        listing = services.listing_create(
            account=request_account(request),
            verification_id=query["verification_id"],
            data=data,
        )
        return Response(ListingSerializer(listing).data, status=status.HTTP_201_CREATED)


class ListingDetailView(APIView):
    def get_permissions(self) -> list[BasePermission]:
        # Lets drf-spectacular see that GET needs no credentials.
        method = getattr(getattr(self, "request", None), "method", "GET")
        if method in ("GET", "HEAD", "OPTIONS"):
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        operation_id="get_listing",
        tags=TAG,
        responses={200: ListingSerializer, **errors(404, 422)},
    )
    def get(self, request: Request, listing_id: str) -> Response:
        return Response(ListingSerializer(_any_listing(listing_id)).data)

    @extend_schema(
        operation_id="update_listing",
        tags=TAG,
        request=ListingWriteSerializer,
        responses={200: ListingSerializer, **errors(401, 403, 404, 422)},
    )
    def put(self, request: Request, listing_id: str) -> Response:
        listing = _own_listing(request, listing_id)
        data = _body(ListingWriteSerializer, request)
        listing = services.listing_update(listing=listing, data=data)
        return Response(ListingSerializer(listing).data)

    @extend_schema(
        operation_id="deactivate_listing",
        tags=TAG,
        responses={204: None, **errors(401, 403, 404, 422)},
    )
    def delete(self, request: Request, listing_id: str) -> Response:
        services.listing_deactivate(listing=_own_listing(request, listing_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SellerSalesView(APIView):
    @extend_schema(
        operation_id="get_seller_sales",
        tags=TAG,
        parameters=LIMIT_OFFSET,
        responses={200: PurchaseSerializer(many=True), **errors(401, 422)},
    )
    def get(self, request: Request) -> Response:
        qs = selectors.sales_for_seller(account=request_account(request))
        return _page(request, qs, PurchaseSerializer)


class ListingSalesAnalyticsView(APIView):
    @extend_schema(
        operation_id="get_listing_sales_analytics",
        tags=TAG,
        parameters=[SalesAnalyticsQuerySerializer],
        responses={200: SalesAnalyticsSerializer, **errors(400, 401, 404, 422)},
    )
    def get(self, request: Request, listing_id: str) -> Response:
        listing = _own_listing(request, listing_id)
        start, end = query_date_range(request, max_days=MAX_ANALYTICS_DAYS)
        body = selectors.listing_sales_analytics(listing=listing, start=start, end=end)
        return Response(SalesAnalyticsSerializer(body).data)


class ListingPurchaseView(APIView):
    @extend_schema(
        operation_id="initiate_purchase",
        tags=TAG,
        parameters=[PurchaseQuerySerializer],
        request=PurchaseCreateSerializer,
        responses={200: CheckoutSerializer, **errors(400, 401, 404, 422, 503)},
    )
    def post(self, request: Request, listing_id: str) -> Response:
        listing = _any_listing(listing_id)
        query = _query(PurchaseQuerySerializer, request)
        body = _body(PurchaseCreateSerializer, request)
        purchase, url = services.purchase_start(
            listing=listing,
            account=request_account(request),
            user=request.user if request.user.is_authenticated else None,
            license_type=body["license_type"],
            success_url=query.get("success_url"),
            cancel_url=query.get("cancel_url"),
        )
        return Response(
            CheckoutSerializer({"purchase_id": str(purchase.pk), "checkout_url": url}).data
        )


class BuyerPurchasesView(APIView):
    @extend_schema(
        operation_id="get_buyer_purchases",
        tags=TAG,
        parameters=LIMIT_OFFSET,
        responses={200: PurchaseSerializer(many=True), **errors(401, 422)},
    )
    def get(self, request: Request) -> Response:
        qs = selectors.purchases_for_buyer(account=request_account(request))
        return _page(request, qs, PurchaseSerializer)


class PurchaseDownloadView(APIView):
    @extend_schema(
        operation_id="download_purchased_image",
        tags=TAG,
        responses={302: REDIRECT, **errors(401, 402, 403, 404, 410, 422)},
    )
    def get(self, request: Request, purchase_id: str) -> HttpResponseRedirect:
        pk = parse_uuid(purchase_id, "purchase_id")
        purchase = selectors.purchase_get(purchase_id=pk)
        if purchase is None:
            raise NotFound("Purchase not found.")
        services.purchase_download_check(purchase=purchase, account=request_account(request))
        return _download(request, purchase.listing)


class ListingDownloadView(APIView):
    @extend_schema(
        operation_id="download_listing_image",
        tags=TAG,
        responses={302: REDIRECT, **errors(401, 403, 404, 410, 422)},
    )
    def get(self, request: Request, listing_id: str) -> HttpResponseRedirect:
        listing = _any_listing(listing_id)
        services.listing_download_check(listing=listing, account=request_account(request))
        return _download(request, listing)
