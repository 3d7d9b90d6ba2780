"""``khabar backup``: the database and the media folder in one dated, checksummed archive.

An archive ``khabar-backup-YYYYMMDD-HHMMSS.tar.gz`` (UTC) holds the database copy
(``database.sqlite3`` or ``database.pgdump``), every file of the media folder under ``media/``
and ``manifest.json`` (khabar's version, when, which engine, the size and sha256 of each file).
Beside it, ``….tar.gz.sha256`` holds the archive's own sha256 in ``sha256sum`` format.
An archive appears under its name only once complete; it holds personal data (subscribers,
commenters' e-mails, password hashes), so it is readable by its owner only.
"""

import hashlib
import io
import json
import os
import re
import socket
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

import khabar
from khabar.ops import OpsError, dumps

ARCHIVE_NAME = re.compile(r"^khabar-backup-(\d{8}-\d{6})(?:-(\d+))?\.tar\.gz$")
MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


@dataclass
class Backup:
    path: Path
    size: int
    manifest: dict
    removed: list = field(default_factory=list)


def default_directory():
    return Path(settings.KHABAR_BACKUP_DIR)


def site_contents():
    """What a reader or an editor would miss: counts of articles, comments, subscribers and images.

    A database without khabar's tables (a new or wiped one) counts as empty.
    """
    from django.db import DatabaseError
    from wagtail.images import get_image_model

    from khabar.comments.models import Comment
    from khabar.news.models import ArticlePage
    from khabar.newsletter.models import Subscriber

    counts = {}
    for name, model in (("articles", ArticlePage), ("comments", Comment), ("subscribers", Subscriber),
                        ("images", get_image_model())):
        try:
            counts[name] = model.objects.count()
        except DatabaseError:
            counts[name] = 0
    return counts


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


class _Hashing:
    """A file read through this is hashed on the way into the archive (one read per file)."""

    def __init__(self, stream):
        self.stream, self.digest, self.size = stream, hashlib.sha256(), 0

    def read(self, size=-1):
        block = self.stream.read(size)
        self.digest.update(block)
        self.size += len(block)
        return block


def create_backup(directory=None, keep=None):
    """Write one archive into ``directory`` (default KHABAR_BACKUP_DIR); with ``keep``, delete older ones beyond it."""
    directory = Path(directory or default_directory()).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    if directory == media or media in directory.parents:
        raise OpsError(f"The backup folder {directory} is inside the media folder {media}: choose another one.")
    if keep is not None and keep < 1:
        raise OpsError("--keep must be 1 or more: the archive just written is always kept.")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    created = datetime.now(UTC).replace(microsecond=0)
    manifest = {
        "format": FORMAT,
        "khabar_version": khabar.__version__,
        "created": created.isoformat(),
        "host": socket.gethostname(),
        "database": {"engine": dumps.engine()},
        "contents": site_contents(),
        "files": {},
    }
    # The database copy is staged beside the archives (same disk, and not /tmp, which may be small).
    with tempfile.TemporaryDirectory(dir=directory, prefix=".khabar-backup-") as staging:
        dump_file = dumps.dump(staging)
        manifest["database"]["file"] = dump_file.name
        path, partial = _new_archive(directory, created)
        try:
            with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz") as archive:
                    _add_file(archive, dump_file, dump_file.name, manifest)
                    for file, name in _media_files(media):
                        _add_file(archive, file, name, manifest)
                    # Last, once every file's checksum is known; restore reads the whole archive anyway.
                    body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mtime, info.mode = len(body), int(created.timestamp()), 0o600
                    archive.addfile(info, io.BytesIO(body))
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    _write_checksum(path)
    backup = Backup(path=path, size=path.stat().st_size, manifest=manifest)
    if keep is not None:
        backup.removed = prune(directory, keep)
    return backup


def _new_archive(directory, created):
    """A name no other archive has (two backups in one second get -1, -2 …) and its in-progress name."""
    stamp = created.strftime("%Y%m%d-%H%M%S")
    for number in range(1000):
        name = f"khabar-backup-{stamp}{f'-{number}' if number else ''}.tar.gz"
        path, partial = directory / name, directory / f".{name}.partial"
        if not path.exists() and not partial.exists():
            return path, partial
    raise OpsError(f"Too many backups in {directory} for {stamp}.")


def _media_files(media):
    """Every regular file in the media folder, in a stable order, with its name inside the archive."""
    if not media.is_dir():
        return
    for folder, subfolders, files in os.walk(media):
        subfolders.sort()
        for name in sorted(files):
            file = Path(folder, name)
            if file.is_file() and not file.is_symlink():
                yield file, "media/" + file.relative_to(media).as_posix()


def _add_file(archive, file, name, manifest):
    try:
        stream = open(file, "rb")
    except FileNotFoundError:  # deleted (e.g. an old rendition) between the listing and now
        return
    with stream:
        info = archive.gettarinfo(fileobj=stream, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        hashing = _Hashing(stream)
        archive.addfile(info, hashing)
    manifest["files"][name] = {"size": hashing.size, "sha256": hashing.digest.hexdigest()}


def _write_checksum(path):
    line = f"{sha256_of(path)}  {path.name}\n"
    checksum = path.with_name(path.name + ".sha256")
    temporary = checksum.with_name(f".{checksum.name}.partial")
    temporary.write_text(line)
    os.replace(temporary, checksum)


def archives_in(directory):
    """khabar's archives in ``directory``, oldest first (by the time in their names)."""
    found = []
    for path in Path(directory).iterdir():
        match = ARCHIVE_NAME.match(path.name)
        if match and path.is_file():
            found.append(((match.group(1), int(match.group(2) or 0)), path))
    return [path for _, path in sorted(found)]


def prune(directory, keep):
    """Delete the archives (and their checksums) older than the newest ``keep``; returns the deleted archives."""
    archives = archives_in(directory)
    removed = archives[:-keep] if keep < len(archives) else []
    for path in removed:
        path.unlink()
        path.with_name(path.name + ".sha256").unlink(missing_ok=True)
    return removed
