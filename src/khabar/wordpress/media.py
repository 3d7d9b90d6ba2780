"""The old site's images: read from the uploads folder or a URL, re-hosted once as Wagtail images."""

import hashlib
import io
import re
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from khabar.wordpress import wxr

MAX_BYTES = 30 * 2**20
FETCH_SECONDS = 15
IMAGE_TYPES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
# WordPress's size variants: "photo-1024x576.jpg" is "photo.jpg" scaled.
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


class MissingMedia(Exception):
    """An image that cannot be had; the message says why, and the import goes on without it."""


class MediaSource:
    """Where image files come from: a folder laid out like wp-content/uploads, a URL of one, or each image's own URL."""

    def __init__(self, location=""):
        self.location = (location or "").strip()
        self.is_url = self.location.startswith(("http://", "https://"))
        if self.location and not self.is_url and not Path(self.location).is_dir():
            raise MissingMedia(f"مجلد الصور غير موجود: {self.location}")

    def read(self, attachment):
        relative = attachment.relative_path
        if self.location and not self.is_url:
            path = Path(self.location, *PurePosixPath(relative).parts)
            if ".." in PurePosixPath(relative).parts or not path.is_file():
                raise MissingMedia(f"الملف غير موجود: {relative}")
            if path.stat().st_size > MAX_BYTES:
                raise MissingMedia(f"الملف أكبر من {MAX_BYTES // 2**20} ميغابايت: {relative}")
            return path.read_bytes()
        url = f"{self.location.rstrip('/')}/{quote(relative)}" if self.location else _ascii_url(attachment.url)
        return _fetch(url)


def _ascii_url(url):
    # WordPress writes Arabic file names as raw UTF-8 in attachment URLs; HTTP wants them encoded.
    return quote(url, safe=":/?&=%#")


def _fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=FETCH_SECONDS) as response:  # noqa: S310 (http/https only)
            data = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise MissingMedia(f"تعذّر تنزيل {url}: {getattr(error, 'reason', error)}") from None
    if len(data) > MAX_BYTES:
        raise MissingMedia(f"الملف أكبر من {MAX_BYTES // 2**20} ميغابايت: {url}")
    return data


def original_path(path):
    """The uploads path of the original that a size variant was made from."""
    return _SIZE_SUFFIX.sub("", path)


def checked_image(data, name):
    """``data`` if Pillow can read it as an image; else MissingMedia."""
    try:
        with PILImage.open(io.BytesIO(data)) as probe:
            probe.verify()
    except Exception:  # Pillow raises many kinds for a broken file
        raise MissingMedia(f"ليس ملف صورة صالحاً: {name}") from None
    return data


class ImageStore:
    """Wagtail images for attachments: one per attachment, and one per distinct file however often it is used."""

    def __init__(self, export, source, remember, recall, dry_run=False):
        self.export = export
        self.source = source
        self.remember = remember  # (kind, wp_id, object_id) -> None
        self.recall = recall  # (kind, wp_id) -> object_id or None
        self.dry_run = dry_run
        self.by_path = {}
        for attachment in export.attachments.values():
            self.by_path[attachment.relative_path] = attachment
            folder = PurePosixPath(attachment.relative_path).parent
            for size in attachment.sizes:
                self.by_path[str(folder / size)] = attachment
        self.images = {}  # attachment id -> Image (or None once it failed)
        self.by_file = {}  # uploads path -> Image, so a file used by several attachments is read once
        self.problems = []  # (attachment, message)
        self.created = 0
        self.reused = 0  # a file already in the library under another attachment
        self.recalled = 0  # re-hosted by an earlier run

    def forget(self):
        """Drop the images found so far (after a rollback their rows may be gone); counts stay."""
        self.images, self.by_file = {}, {}

    def counts(self):
        return self.created, self.reused, self.recalled, list(self.problems)

    def set_counts(self, counts):
        self.created, self.reused, self.recalled, problems = counts
        self.problems = list(problems)

    def attachment_for(self, src="", attachment_id=""):
        """The attachment an in-text image shows, by its wp-image-N class or its URL (a size variant too)."""
        if attachment_id in self.export.attachments:
            return self.export.attachments[attachment_id]
        path = wxr.uploads_path(src)
        return self.by_path.get(path) or self.by_path.get(original_path(path))

    def image(self, attachment):
        """The Wagtail image of ``attachment``, re-hosted on first use; None when its file cannot be had."""
        if attachment is None:
            return None
        if attachment.id in self.images:
            return self.images[attachment.id]
        Image = get_image_model()
        known = self.recall("attachment", attachment.id)
        image = Image.objects.filter(pk=known).first() if known else None
        if image is not None:
            self.recalled += 1
        elif attachment.relative_path in self.by_file:  # another attachment of the same file
            image = self.by_file[attachment.relative_path]
            self.reused += 1
            self.remember("attachment", attachment.id, image.pk)
        else:
            image = self._rehost(attachment, Image)
            if image is not None and attachment.relative_path:
                self.by_file[attachment.relative_path] = image
        self.images[attachment.id] = image
        return image

    def _rehost(self, attachment, Image):
        name = PurePosixPath(attachment.relative_path or wxr.uploads_path(attachment.url)).name or f"{attachment.id}.jpg"
        if PurePosixPath(name).suffix.lower() not in IMAGE_TYPES:
            self.problems.append((attachment, f"ليس صورة، لم يُنقل: {name}"))
            return None
        try:
            data = checked_image(self.source.read(attachment), name)
        except MissingMedia as error:
            self.problems.append((attachment, str(error)))
            return None
        if self.dry_run:
            return None
        digest = hashlib.sha1(data).hexdigest()  # the hash Wagtail keeps in Image.file_hash
        image = Image.objects.filter(file_hash=digest).first()
        if image is None:
            image = Image(
                title=(attachment.title or PurePosixPath(name).stem)[:255],
                description=attachment.alt[:255],
                file=ImageFile(io.BytesIO(data), name=name),
            )
            image.file_hash = digest
            image.save()
            self.created += 1
        else:
            self.reused += 1
        self.remember("attachment", attachment.id, image.pk)
        return image
