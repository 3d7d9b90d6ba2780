"""Images uploaded in the admin: only real raster images within the limits are kept; each refusal says why."""

import json
import os
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from khabar.security.uploads import BROKEN_IMAGE

from .conftest import jpeg_bytes

pytestmark = pytest.mark.django_db

UPLOADER = "/admin/images/multiple/add/"  # what «إضافة صورة» opens in Wagtail 8


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    client.force_login(user)
    return client


def upload(client, name, content, content_type="image/jpeg"):
    """What the admin's uploader gets back for one file: (kept, message shown beside the file)."""
    response = client.post(UPLOADER, {"files[]": SimpleUploadedFile(name, content, content_type=content_type)})
    assert response.status_code == 200
    answer = json.loads(response.content)
    return answer["success"], answer.get("error_message", "")


def wagtail_message(code):
    """The message Wagtail's image field gives for ``code``, in the admin's Arabic."""
    from django.utils.translation import override
    from wagtail.images.fields import WagtailImageField

    with override("ar"):
        return str(WagtailImageField().error_messages[code])


def image_count():
    from wagtail.images.models import Image

    return Image.objects.count()


def png_bytes(size, mode="RGB", noise=False):
    from PIL import Image

    picture = Image.frombytes(mode, size, os.urandom(size[0] * size[1] * 3)) if noise else Image.new(mode, size)
    buffer = BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_real_photo_is_kept(editor):
    kept, message = upload(editor, "harbour.jpg", jpeg_bytes((1200, 800)))
    assert (kept, message) == (True, "")
    assert image_count() == 1


def test_html_renamed_to_jpg_is_refused_with_a_message(editor):
    kept, message = upload(editor, "photo.jpg", b"<!doctype html><script>alert(document.cookie)</script>")
    assert not kept
    assert message == wagtail_message("invalid_image")  # «…ليس ملفا لصورة أو أنه ملف معطوب»
    assert image_count() == 0


def test_svg_is_not_an_image_here(editor):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
    kept, message = upload(editor, "logo.svg", svg, "image/svg+xml")
    assert not kept
    assert message == wagtail_message("invalid_image_extension")
    assert "SVG" not in message and "JPEG, PNG, WEBP" in message  # the formats it does take
    assert image_count() == 0


def test_a_broken_jpeg_is_refused_at_upload_not_on_a_readers_page(editor):
    photo = jpeg_bytes((1200, 800))
    kept, message = upload(editor, "cut.jpg", photo[: len(photo) // 3])  # a valid header, a third of the picture
    assert not kept
    assert message == BROKEN_IMAGE  # before khabar.security.uploads: an HTTP 500 in the admin
    assert image_count() == 0


def test_an_image_over_the_byte_limit_is_refused(editor, settings):
    limit = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    assert limit == 10 * 2**20  # KHABAR_IMAGE_MAX_MB's default
    noise = png_bytes((1900, 1900), noise=True)  # random pixels do not compress: ~10.3 MB
    assert len(noise) > limit
    kept, message = upload(editor, "noise.png", noise, "image/png")
    assert not kept
    assert message.startswith("هذا الملف كبير جدًا") and "10,0" in message  # «…الحد الأقصى لحجم الملف 10,0 م.ب.»
    assert image_count() == 0


def test_an_image_over_the_pixel_limit_is_refused(editor, settings):
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000  # KHABAR_IMAGE_MAX_MEGAPIXELS's default
    huge = png_bytes((8000, 5001), mode="1")  # 40,008,000 pixels in a few kilobytes
    kept, message = upload(editor, "huge.png", huge, "image/png")
    assert not kept
    assert "40000000" in message.replace(",", "").replace("٬", "")
    assert image_count() == 0


def test_a_small_file_claiming_too_many_pixels_is_refused_before_it_is_decoded(editor):
    claims = png_bytes((8000, 6000), mode="1")  # 48,000,000 pixels stated in the header
    kept, message = upload(editor, "claims.png", claims[: len(claims) // 2], "image/png")
    assert not kept
    assert "48000000" in message  # counted from the header: decoding the cut body would have failed instead


def test_the_classic_form_refuses_a_fake_image_on_the_page(editor):
    response = editor.post("/admin/images/add/", {
        "title": "صورة مزيفة",
        "file": SimpleUploadedFile("photo.jpg", b"<!doctype html><p>not a picture</p>", content_type="image/jpeg"),
    })
    assert response.status_code == 200  # the form again, with the reason beside the field
    html = response.content.decode()
    assert 'class="error-message"' in html and wagtail_message("invalid_image") in html
    assert 'data-w-sync-target-value' in html  # Wagtail's own file widget kept (title from the file name)
    assert image_count() == 0
