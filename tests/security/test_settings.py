"""The upload limits and the policy's embed origins and report address come from KHABAR_* variables."""

import json

from tests.test_configuration import run_settings

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "from khabar.security.middleware import policy_text; "
    "print(json.dumps([s.WAGTAILIMAGES_MAX_UPLOAD_SIZE, s.WAGTAILIMAGES_MAX_IMAGE_PIXELS, "
    "policy_text(s.KHABAR_CSP), policy_text(s.KHABAR_ADMIN_CSP), policy_text(s.KHABAR_DATA_CSP)]))"
)


def seen_with(**variables):
    result = run_settings(SHOW, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_upload_limits_follow_the_environment():
    size, pixels, *_ = seen_with(KHABAR_IMAGE_MAX_MB="3", KHABAR_IMAGE_MAX_MEGAPIXELS="12")
    assert (size, pixels) == (3 * 2**20, 12_000_000)


def test_embed_origins_and_the_report_address_follow_the_environment():
    _, _, page, admin, data = seen_with(KHABAR_CSP_FRAME_SRC="https://video.example", KHABAR_CSP_REPORT_URI="/csp/")
    assert "frame-src https://video.example;" in page
    assert "frame-src 'self' https://video.example;" in admin
    for policy in (page, admin, data):
        assert policy.endswith("; report-uri /csp/")


def test_no_embed_origins_means_no_frames_on_reader_pages():
    _, _, page, _, _ = seen_with(KHABAR_CSP_FRAME_SRC="")
    assert "frame-src 'none';" in page
