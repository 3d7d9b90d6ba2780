"""Helpers for the security tests: the policies as khabar sends them, parsed; image files made with Pillow."""

from io import BytesIO

import pytest
from django.conf import settings

from khabar.security.middleware import policy_text


def directives(header):
    """``{"script-src": ["'self'"], …}`` from a Content-Security-Policy header."""
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def policies():
    return {
        "page": policy_text(settings.KHABAR_CSP),
        "admin": policy_text(settings.KHABAR_ADMIN_CSP),
        "data": policy_text(settings.KHABAR_DATA_CSP),
    }


def jpeg_bytes(size=(64, 48), colour=(30, 110, 170)):
    """A real JPEG file's bytes."""
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()
