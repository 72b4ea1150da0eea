"""The public share page /s/<code>: content, privacy and who may open it."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from PIL import Image

from tests.sharing.conftest import BROWSER_UA, make_verification, page_path, share
from verifications.models import Status


def visitor(user=None) -> Client:  # noqa: ANN001
    client = Client(HTTP_USER_AGENT=BROWSER_UA)
    if user is not None:
        client.force_login(user)
    return client


def test_anyone_with_the_link_sees_the_verdict_and_evidence_without_logging_in(alice, verification):
    response = visitor().get(page_path(share(alice, verification)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Verified authentic" in html
    assert "93&nbsp;%" in html  # confidence
    assert "SynthCam S1" in html and "SynthLens 35mm" in html
    assert 'data-testid="captured"' in html and "Unknown" not in html
    assert "The RAW&#x27;s layout and levels are those of a real sensor." in html
    assert "No part of the picture differs from the RAW beyond global edits." in html
    assert "crop to 91 % of the frame" in html and "+0.3 EV, warmer WB" in html
    assert 'data-testid="comparison"' in html and 'type="range"' in html
    assert 'data-testid="heatmap"' in html
    assert verification.short_code in html


def test_a_failed_verdict_is_shown_as_not_verified(alice, make_v):
    v = make_v(alice, result=False)
    html = visitor().get(page_path(share(alice, v))).content.decode()
    assert "Not verified" in html and "sh-verdict-bad" in html
    assert "One area was pasted in that the RAW does not contain." in html
    assert "1 region stood out" in html


def test_images_are_served_through_short_lived_signed_urls(alice, verification):
    html = visitor().get(page_path(share(alice, verification))).content.decode()
    srcs = set(re.findall(r'<img[^>]+src="([^"]+)"', html))
    assert len(srcs) == 4  # thumbnail, JPEG copy, RAW rendition, heatmap
    assert all(s.startswith("http://testserver/files/") for s in srcs)
    for src in srcs:
        response = visitor().get(src.replace("http://testserver", ""))
        assert response.status_code == 200
        image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert image.size[0] > 0
    assert "/media/" not in html and "uploads/" not in html


def test_the_jpeg_shown_matches_the_rendition_size_and_carries_no_gps(alice, gps_verification):
    html = visitor().get(page_path(share(alice, gps_verification))).content.decode()
    top = re.search(r'class="sh-compare-top" src="([^"]+)"', html).group(1)
    data = b"".join(visitor().get(top.replace("http://testserver", "")).streaming_content)
    image = Image.open(io.BytesIO(data))
    assert image.size == (512, 384)
    assert not image.getexif().get_ifd(0x8825)
    assert b"GPS" not in data


def test_the_page_never_exposes_the_raw_the_owners_email_or_gps(alice, gps_verification):
    html = visitor().get(page_path(share(alice, gps_verification))).content.decode()
    assert alice.user.email not in html
    assert "raw.dng" not in html and gps_verification.raw_file.name not in html
    assert "39.09" not in html and "-120.03" not in html and "Location" not in html


def test_the_location_shows_only_when_the_owner_opted_in(alice, gps_verification):
    from sharing.services import share_set_location_visibility

    path = page_path(share(alice, gps_verification))
    share_set_location_visibility(share=gps_verification.share, show=True)
    html = visitor().get(path).content.decode()
    assert "Location" in html and "39.09000" in html and "-120.03000" in html


def test_open_graph_and_twitter_tags_preview_the_link(alice, verification):
    body = share(alice, verification)
    html = visitor().get(page_path(body)).content.decode()
    assert '<meta property="og:title" content="Verified authentic: harbour-at-dawn">' in html
    assert f'<meta property="og:url" content="{body["share_url"]}">' in html
    assert f'<meta property="og:image" content="{body["share_url"]}/preview.jpg">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert 'property="og:description"' in html


def test_the_preview_image_redirects_to_the_signed_thumbnail(alice, verification):
    body = share(alice, verification)
    response = Client().get(page_path(body) + "/preview.jpg")
    assert response.status_code == 302
    assert "/files/" in response["Location"]


def test_a_restricted_share_has_no_public_preview_image(alice, alice_colleague, verification):
    body = share(alice, verification, "restricted")
    assert Client().get(page_path(body) + "/preview.jpg").status_code == 404
    html = visitor(alice_colleague).get(page_path(body)).content.decode()
    assert "og:image" not in html


def test_the_page_is_not_cached_or_indexed(alice, verification):
    response = visitor().get(page_path(share(alice, verification)))
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_page_loads_only_local_assets(alice, verification):
    html = visitor().get(page_path(share(alice, verification))).content.decode()
    external = [
        u
        for u in re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
        if not u.startswith(("http://testserver/", "http://127.0.0.1:8000/"))
    ]
    assert external == []
    assert "/static/css/sharing.css" in html and "/static/js/sharing.js" in html


# --- who may open it --------------------------------------------------------------


def test_a_restricted_share_sends_an_anonymous_visitor_to_log_in(alice, verification):
    path = page_path(share(alice, verification, "restricted"))
    response = visitor().get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


def test_a_restricted_share_opens_for_the_owner(alice, verification):
    path = page_path(share(alice, verification, "restricted"))
    assert visitor(alice.user).get(path).status_code == 200


def test_a_restricted_share_opens_for_another_member_of_the_owners_account(
    alice, alice_colleague, verification
):
    path = page_path(share(alice, verification, "restricted"))
    response = visitor(alice_colleague).get(path)
    assert response.status_code == 200
    assert "your visits are not counted" in response.content.decode()


def test_a_restricted_share_opens_for_an_invited_user_after_login(alice, carol, verification):
    path = page_path(share(alice, verification, "restricted"))
    alice.client.post(
        f"/v1/verifications/{verification.pk}/share/invites",
        {"email": "CAROL@example.net"},
        format="json",
    )
    response = visitor(carol.user).get(path)
    assert response.status_code == 200
    assert "Verified authentic" in response.content.decode()


def test_a_restricted_share_is_404_for_a_logged_in_user_who_was_not_invited(
    alice, bob, verification
):
    path = page_path(share(alice, verification, "restricted"))
    assert visitor(bob.user).get(path).status_code == 404


def test_removing_an_invite_closes_the_page_for_that_user(alice, carol, verification):
    path = page_path(share(alice, verification, "restricted"))
    invites = f"/v1/verifications/{verification.pk}/share/invites"
    alice.client.post(invites, {"email": "carol@example.net"}, format="json")
    assert visitor(carol.user).get(path).status_code == 200
    alice.client.delete(invites, {"email": "carol@example.net"}, format="json")
    assert visitor(carol.user).get(path).status_code == 404


def test_switching_to_anyone_with_link_opens_the_same_url_to_everyone(alice, bob, verification):
    path = page_path(share(alice, verification, "restricted"))
    assert visitor(bob.user).get(path).status_code == 404
    share(alice, verification, "anyone_with_link")
    assert visitor(bob.user).get(path).status_code == 200
    assert visitor().get(path).status_code == 200


@pytest.mark.parametrize("code", ["nope", "A" * 32, "A" * 200])
def test_an_unknown_code_is_404(db, code):
    assert visitor().get(f"/s/{code}").status_code == 404


def test_a_shared_verification_that_is_being_rerun_is_404_until_it_completes(alice, verification):
    path = page_path(share(alice, verification))
    type(verification).objects.filter(pk=verification.pk).update(status=Status.QUEUED)
    assert visitor().get(path).status_code == 404


def test_a_deleted_verification_takes_its_share_page_with_it(alice, verification):
    path = page_path(share(alice, verification))
    assert alice.client.delete(f"/v1/verifications/{verification.pk}").status_code == 200
    assert visitor().get(path).status_code == 404


def test_posting_to_the_page_is_not_allowed(alice, verification):
    path = page_path(share(alice, verification))
    assert visitor().post(path).status_code == 405


def test_a_verification_without_derived_images_still_renders(alice):
    v = make_verification(alice)
    type(v).objects.filter(pk=v.pk).update(rendition_image="", heatmap_image="")
    html = visitor().get(page_path(share(alice, v))).content.decode()
    assert "Verified authentic" in html
    assert 'data-testid="comparison"' not in html and 'data-testid="heatmap"' not in html
