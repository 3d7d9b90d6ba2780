"""Uploaded files (``/media/``) served so that none of them can act as a page of the site.

An SVG, HTML or XML file opened from the site's own origin could run script with the
readers' cookies. Only types a browser merely displays are shown inline; everything else
is a download. Every media response also carries ``nosniff`` and a sandboxing policy.
deploy/nginx/khabar.conf applies the same rules when nginx serves /media/ itself.
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve as serve_file

# Displayed, never executed: the only types shown inline.
INLINE_TYPES = frozenset({
    "image/jpeg", "image/png", "image/gif", "image/webp", "image/avif",
    "video/mp4", "video/webm", "audio/mpeg", "audio/ogg", "audio/mp4",
})
# A file opened on its own gets a unique origin and no script. Inline styles are the browser's own
# image viewer's (centring, zoom); nothing of ours is ever styled here.
MEDIA_POLICY = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"


def serve(request, path):
    """Serve one uploaded file from MEDIA_ROOT, as a download unless its type is in INLINE_TYPES."""
    # Documents go through Wagtail's view (/documents/<id>/<name>), which checks their privacy
    # settings and always sends them as attachments. Normalised first: "images/../documents/x".
    if posixpath.normpath(path).lstrip("/").split("/", 1)[0] == "documents":
        raise Http404("Documents are served from /documents/")
    response = serve_file(request, path, document_root=settings.MEDIA_ROOT)
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if content_type not in INLINE_TYPES:
        _, separator, filename = response.get("Content-Disposition", "").partition(";")  # Django's "inline; filename=…"
        response["Content-Disposition"] = "attachment" + separator + filename
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    return response
