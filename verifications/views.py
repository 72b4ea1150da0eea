"""Verification pages: dashboard, upload, report, delete. Thin: selectors and
services do the work; the browser then talks to /v1 with its session."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from rest_framework.exceptions import APIException

from lumethic.api.errors import PaymentRequired, RequestValidationError, validation_items
from lumethic.decorators import account_required
from lumethic.files import signed_url
from sharing.selectors import share_get
from verifications import presentation as present
from verifications.forms import DashboardFilterForm
from verifications.models import Status, Verification
from verifications.selectors import verification_get, verification_list
from verifications.services import VerificationLocked, verification_create, verification_delete

PAGE_SIZE = 20
RAW_EXTENSIONS = ("cr2", "cr3", "arw", "nef", "dng", "raf", "orf", "rw2", "pef", "srw")


def _url(request: HttpRequest, field: object) -> str | None:
    return signed_url(field.name, request=request) if field else None


def _get_or_404(request: HttpRequest, verification_id: object) -> Verification:
    verification = verification_get(account=request.account, verification_id=verification_id)
    if verification is None:
        raise Http404("No such verification.")
    return verification


@account_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    kwargs = form.selector_kwargs() if form.is_bound else DashboardFilterForm().selector_kwargs()
    page = Paginator(verification_list(account=request.account, **kwargs), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "v": v,
            "thumb": _url(request, v.thumbnail),
            "verdict": present.verdict(v),
            "confidence": present.percent(v.result_confidence),
            "pending": v.status in present.PENDING,
        }
        for v in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "filtered": any(kwargs[k] not in (None, "") for k in ("search", "status", "result")),
    }
    return render(request, "verifications/dashboard.html", context)


@account_required
def upload(request: HttpRequest) -> HttpResponse:
    """The page posts to /v1 with XHR; a plain POST here is the no-JavaScript path."""
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            verification = verification_create(
                account=request.account,
                user=request.user,
                raw=request.FILES.get("raw"),
                image=request.FILES.get("image"),
            )
        except RequestValidationError as exc:
            status = 422
            errors = [
                f"{'RAW file' if item['loc'][-1] == 'raw' else 'JPEG'}: {item['msg']}"
                for item in validation_items(exc.errors, exc.location)
            ]
        except PaymentRequired as exc:
            status = 402
            errors = [str(exc.detail)]
        except APIException as exc:  # 413 from the streaming size limit
            status = exc.status_code
            errors = [str(exc.detail)]
        else:
            return redirect("verification-report", verification_id=verification.pk)
    context = {
        "errors": errors,
        "payment_required": status == 402,
        "max_raw": settings.MAX_RAW_BYTES,
        "max_jpeg": settings.MAX_JPEG_BYTES,
        "raw_extensions": RAW_EXTENSIONS,
        "accept": ",".join(f".{e}" for e in (*RAW_EXTENSIONS, "jpg", "jpeg")),
    }
    return render(request, "verifications/upload.html", context, status=status)


@account_required
def report(request: HttpRequest, verification_id: object) -> HttpResponse:
    v = _get_or_404(request, verification_id)
    regions = present.region_rows(v)
    width, height = present.frame_size(v, regions)
    ids = {"verification_id": v.pk}
    context = {
        "v": v,
        "verdict": present.verdict(v),
        "confidence": present.percent(v.result_confidence),
        "pending": v.status in present.PENDING,
        "completed": v.status == Status.COMPLETED,
        "recipe": present.recipe_lines(v.rendition_info or {}, v.rendition_corrected_info or {}),
        "cards": present.analysis_cards(v),
        "metadata": present.metadata_rows(v.raw_metadata or {}, v.image_metadata or {}),
        "regions": regions,
        "frame": {"w": width, "h": height},
        "image_url": signed_url(v.image_file.name, request=request),
        "rendition_url": _url(request, v.rendition_image),
        "heatmap_url": _url(request, v.heatmap_image),
        # The browser drives the same /v1 endpoints an integrator would.
        "api_url": reverse("api-verification-detail", kwargs=ids),
        "share_api": reverse("api-verification-share", kwargs=ids),
        "signed_download": reverse("api-verification-signed-original", kwargs=ids),
        "listing_api": reverse("api-listings"),
        "shared": share_get(verification=v) is not None,
    }
    return render(request, "verifications/report.html", context)


@account_required
def delete(request: HttpRequest, verification_id: object) -> HttpResponse:
    """GET asks for confirmation (the no-JavaScript path); POST deletes."""
    v = _get_or_404(request, verification_id)
    if request.method == "POST":
        name = v.name
        try:
            verification_delete(verification=v)
        except VerificationLocked as exc:
            messages.error(request, str(exc.detail))
            return redirect("verification-report", verification_id=v.pk)
        messages.success(request, f"Deleted “{name}” and its files.")
        return redirect("dashboard")
    return render(request, "verifications/delete.html", {"v": v})
