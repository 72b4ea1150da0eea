"""Sharing a verification that the real engine completed (not a hand-built row)."""

from __future__ import annotations

import io

import numpy as np
import zxingcpp
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from tests.sharing.conftest import BROWSER_UA, page_path, share


def test_a_real_verification_shares_with_its_evidence_and_signed_original(
    alice, completed_verification
):
    v = completed_verification
    body = share(alice, v)
    html = Client(HTTP_USER_AGENT=BROWSER_UA).get(page_path(body)).content.decode()
    # Every analysis' explanation and the inferred recipe reach the page.
    for result in v.results.all():
        explanation = result.details["explanation"].replace("'", "&#x27;")
        assert explanation in html
    assert v.rendition_info["summary"] in html
    assert v.rendition_corrected_info["summary"] in html
    assert 'data-testid="comparison"' in html

    location = alice.client.get(f"/v1/verifications/{v.pk}/renditions/signed/original")["Location"]
    served = Client().get(location.replace("http://testserver", ""))
    signed = np.asarray(Image.open(io.BytesIO(b"".join(served.streaming_content))).convert("RGB"))
    with default_storage.open(v.image_file.name, "rb") as fh:
        original = np.asarray(Image.open(fh).convert("RGB"))
    h, w = original.shape[:2]
    x0 = (signed.shape[1] - w) // 2  # images narrower than the strip are centred above it
    assert np.abs(signed[:h, x0 : x0 + w].astype(int) - original).mean() < 2.0
    assert [r.text for r in zxingcpp.read_barcodes(signed[h:])] == [body["share_url"]]
