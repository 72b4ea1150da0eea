"""camera_fingerprint: a RAW is matched against the PRNU of the body it claims."""

from __future__ import annotations

import pytest

from provenance import fingerprints
from provenance.models import CameraFingerprint
from tests.factories.dng import make_pair
from tests.provenance.cameras import green, shoot
from tests.provenance.engine import BODY, result_of, submit
from verifications.forensics import prnu


@pytest.fixture
def enrolled(alice, tmp_path):  # noqa: ANN001, ANN201
    """alice's body #000123 with a fingerprint from 5 RAWs of sensor 7."""
    row = None
    for shot in range(fingerprints.MIN_RAWS):
        path = shoot(tmp_path, sensor_seed=7, shot=shot)
        row = fingerprints.fingerprint_add(
            account=alice.account,
            make=BODY["make"],
            model=BODY["model"],
            serial=BODY["body_serial"],
            data=green(path),
            raw_sha256=f"{shot:064x}",
        )
    assert row is not None and row.raw_count == 5
    return row


def test_a_raw_from_another_sensor_fails_camera_fingerprint_and_the_verdict(
    alice, enrolled, process, monkeypatch, tmp_path
):
    impostor = shoot(tmp_path, sensor_seed=99, shot=30)  # claims #000123 in its EXIF too
    v = submit(alice, process, monkeypatch, impostor)
    check = result_of(v, "camera_fingerprint")
    assert check is not None and check.result is False
    assert check.details["pce"] < prnu.PCE_THRESHOLD
    assert check.details["threshold"] == prnu.PCE_THRESHOLD
    assert check.details["fingerprint_raws"] == 5
    assert check.details["fingerprint_id"] == str(enrolled.pk)
    assert "another camera" in check.details["explanation"]
    assert v.result is False and v.camera_fingerprint_id is None
    enrolled.refresh_from_db()
    assert enrolled.raw_count == 5  # a mismatching RAW never joins the fingerprint


def test_a_raw_of_the_claimed_body_matches_and_joins_its_fingerprint(
    alice, enrolled, process, monkeypatch, tmp_path
):
    genuine = shoot(tmp_path, sensor_seed=7, shot=31)
    v = submit(alice, process, monkeypatch, genuine)
    check = result_of(v, "camera_fingerprint")
    assert check.result is True and check.details["pce"] >= prnu.PCE_THRESHOLD
    assert v.result is True and v.camera_fingerprint_id == str(enrolled.pk)
    enrolled.refresh_from_db()
    assert enrolled.raw_count == 6 and v.raw_photo_hash in enrolled.raw_hashes
    detail = alice.client.get(f"/v1/verifications/{v.pk}").json()
    assert detail["camera_fingerprint_id"] == str(enrolled.pk)


def test_an_unknown_body_is_recognised_among_the_accounts_fingerprints(
    alice, enrolled, process, monkeypatch, tmp_path
):
    v = submit(
        alice, process, monkeypatch, shoot(tmp_path, sensor_seed=7, shot=32), body_serial=None
    )
    assert v.camera_fingerprint_id == str(enrolled.pk)
    assert result_of(v, "camera_fingerprint") is None  # nothing claimed, nothing to fail


def test_authentic_raws_enrol_a_new_body_once_each(alice, process, monkeypatch, tmp_path):
    from provenance.pipeline_hooks import after_analysis

    v = submit(alice, process, monkeypatch, shoot(tmp_path, sensor_seed=5, shot=1))
    row = CameraFingerprint.objects.get(account=alice.account, serial="000123")
    assert row.raw_count == 1 and result_of(v, "camera_fingerprint") is None
    after_analysis(v)  # a re-run must not count the same RAW twice
    row.refresh_from_db()
    assert row.raw_count == 1


def test_a_not_authentic_raw_never_enrols(alice, process, monkeypatch, tmp_path):
    submit(alice, process, monkeypatch, shoot(tmp_path, sensor_seed=5, shot=1), result=False)
    assert not CameraFingerprint.objects.exists()


def test_fingerprints_are_per_account(alice, bob, enrolled, process, monkeypatch, tmp_path):
    v = submit(bob, process, monkeypatch, shoot(tmp_path, sensor_seed=99, shot=30))
    assert result_of(v, "camera_fingerprint") is None and v.result is True


def test_the_real_engine_and_a_mismatching_sensor_fail_camera_fingerprint(alice, process, tmp_path):
    """End to end: enrol from the factory's body, then submit another sensor's real pair."""
    from django.core.files.base import ContentFile

    from verifications.models import Verification

    for shot in range(fingerprints.MIN_RAWS):
        dng, _jpg = make_pair(
            tmp_path / f"enrol{shot}", size=(384, 256), seed=shot, scene_seed=shot + 1
        )
        fingerprints.fingerprint_add(
            account=alice.account,
            make="Lumethic",
            model="SynthCam 1",
            serial="000123",
            data=green(dng),
            raw_sha256=f"{shot:064x}",
        )
    raw, jpeg = make_pair(tmp_path / "other", size=(384, 256), seed=40, sensor_seed=1234)
    body = {
        "raw": ContentFile(raw.read_bytes(), name=raw.name),
        "image": ContentFile(jpeg.read_bytes(), name=jpeg.name),
    }
    response = alice.client.post("/v1/verifications/", body, format="multipart")
    assert process(response.json()["id"]) == "completed"
    v = Verification.objects.get(pk=response.json()["id"])
    check = result_of(v, "camera_fingerprint")
    assert check is not None and check.result is False, v.results.values()
    assert v.result is False


def test_a_frame_too_dark_to_show_its_sensor_is_inconclusive_not_failed(
    alice, enrolled, process, monkeypatch, tmp_path
):
    from tests.factories.dng import render_scene, write_bayer_dng

    night = tmp_path / "night.dng"
    write_bayer_dng(night, render_scene("moon", (512, 512)) * 0.002, seed=5, sensor_seed=99)
    v = submit(alice, process, monkeypatch, night)
    check = result_of(v, "camera_fingerprint")
    assert check.details["pce"] < prnu.PCE_THRESHOLD
    assert check.details["inconclusive"] is True
    assert check.details["signal"] < check.details["signal_needed"]
    assert check.result is True and check.confidence_score == 0.5
    assert v.result is True and v.camera_fingerprint_id is None
