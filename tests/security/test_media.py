"""Uploaded files never act as a page of the site: SVG, HTML, XML and anything unknown download,
every upload is sandboxed, documents go only through Wagtail's view. Both where khabar serves
/media/ itself and where deploy/nginx/khabar.conf does.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from khabar.security.media import MEDIA_POLICY

from .conftest import directives, jpeg_bytes

pytestmark = pytest.mark.django_db  # a 404 is the site's page, with its menu

REPO = Path(__file__).resolve().parents[2]
SCRIPT = b"<script>alert(document.cookie)</script>"
# Files an editor could upload that a browser would run as a document of the site.
ACTIVE = {
    "drawing.svg": b'<svg xmlns="http://www.w3.org/2000/svg">' + SCRIPT + b"</svg>",
    "SHOUTING.SVG": b'<svg xmlns="http://www.w3.org/2000/svg">' + SCRIPT + b"</svg>",
    "page.html": b"<!doctype html>" + SCRIPT,
    "page.xhtml": b'<html xmlns="http://www.w3.org/1999/xhtml">' + SCRIPT + b"</html>",
    "data.xml": b'<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>',
    "no-extension": SCRIPT,
    "notes.txt": SCRIPT,
}


def put_uploads(root):
    """The files above under ``root``/uploads/, a photo, and a document in ``root``/documents/."""
    (root / "uploads").mkdir(parents=True, exist_ok=True)
    (root / "documents").mkdir(parents=True, exist_ok=True)
    for name, content in ACTIVE.items():
        (root / "uploads" / name).write_bytes(content)
    (root / "uploads" / "photo.jpg").write_bytes(jpeg_bytes())
    (root / "documents" / "private.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")


def assert_downloaded_and_sandboxed(headers, name):
    assert (headers.get("Content-Disposition") or "").startswith("attachment"), f"{name} would be shown inline"
    assert headers.get("X-Content-Type-Options") == "nosniff", name
    policy = directives(headers.get("Content-Security-Policy"))
    assert policy["default-src"] == ["'none'"] and "sandbox" in policy, name


def assert_shown_inline_and_sandboxed(headers):
    assert not (headers.get("Content-Disposition") or "").startswith("attachment")
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Content-Security-Policy") == MEDIA_POLICY


# --- khabar's own media view (no front in front of it) -------------------------------------


@pytest.fixture
def uploads(settings):
    put_uploads(Path(settings.MEDIA_ROOT))


@pytest.mark.parametrize("name", ACTIVE)
def test_an_active_upload_is_a_sandboxed_download(client, uploads, name):
    response = client.get(f"/media/uploads/{name}")
    assert response.status_code == 200
    assert_downloaded_and_sandboxed(response, name)
    assert response["Content-Security-Policy"] == MEDIA_POLICY


def test_a_download_keeps_its_file_name(client, uploads):
    response = client.get("/media/uploads/drawing.svg")
    assert response["Content-Disposition"] == 'attachment; filename="drawing.svg"'


def test_a_photo_is_shown_inline_but_sandboxed(client, uploads):
    response = client.get("/media/uploads/photo.jpg")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert_shown_inline_and_sandboxed(response)


@pytest.mark.parametrize(
    "path", ["documents/private.pdf", "uploads/../documents/private.pdf", "./documents/private.pdf"],
    ids=["direct", "through-dot-dot", "through-dot"],
)
def test_documents_are_never_served_from_media(client, uploads, path):
    # Wagtail's view checks a document's privacy; the file's own URL must not bypass it.
    assert client.get(f"/media/{path}").status_code == 404


@pytest.mark.parametrize("name, content", [("statement.pdf", b"%PDF-1.4\n%%EOF\n"), ("page.html", b"<!doctype html>" + SCRIPT)])
def test_documents_are_always_downloads(client, name, content):
    from wagtail.documents.models import Document

    document = Document.objects.create(title="وثيقة", file=ContentFile(content, name=name))
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


# --- the same files behind deploy/nginx/khabar.conf ----------------------------------------


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def nginx_front():
    """deploy/nginx/khabar.conf run by Debian's nginx over a media folder, rendered as bench/pages.py does."""
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed (apt-get install nginx-light): the deploy config's media rules are untested")
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import _servers
    finally:
        sys.path.remove(str(REPO / "bench"))
    tmp = Path(tempfile.mkdtemp(prefix="khabar-nginx-media-"))
    os.chmod(tmp, 0o755)  # nginx's workers run as nobody
    data_dir = tmp / "var"
    put_uploads(data_dir / "media")
    for folder, _, files in os.walk(data_dir):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(Path(folder) / name, 0o644)
    port = free_port()
    text = _servers.render_deploy_front(tmp, port, free_port(), free_port(), data_dir)
    problem = _servers.nginx_test(tmp, text)
    assert problem is None, f"deploy/nginx/khabar.conf does not pass nginx -t: {problem}"
    conf = tmp / "nginx.conf"
    conf.write_text(text)
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            fetch(base + "/media/uploads/photo.jpg")
            break
        except OSError:
            assert time.monotonic() < deadline, "nginx did not start: " + (tmp / "nginx-error.log").read_text()
            time.sleep(0.1)
    yield base
    nginx.terminate()
    nginx.wait(10)
    shutil.rmtree(tmp, ignore_errors=True)


def fetch(url):
    """(status, headers) of a GET, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.mark.parametrize("name", ACTIVE)
def test_nginx_serves_an_active_upload_as_a_sandboxed_download(nginx_front, name):
    status, headers = fetch(f"{nginx_front}/media/uploads/{name}")
    assert status == 200
    assert_downloaded_and_sandboxed(headers, name)
    assert headers["Content-Security-Policy"] == MEDIA_POLICY  # the same policy as khabar's own view


def test_nginx_shows_a_photo_inline_but_sandboxed(nginx_front):
    status, headers = fetch(f"{nginx_front}/media/uploads/photo.jpg")
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert_shown_inline_and_sandboxed(headers)


def test_nginx_never_serves_documents_from_media(nginx_front):
    assert fetch(f"{nginx_front}/media/documents/private.pdf")[0] == 404
