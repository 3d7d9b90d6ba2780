"""``khabar restore FILE``: put a site back from an archive that ``khabar backup`` wrote.

Nothing is changed until the whole archive is read and every file matches its manifest.
A site that has articles, comments or subscribers is replaced only with ``force``.
"""

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings

from khabar.ops import OpsError, dumps
from khabar.ops.backup import CHUNK, FORMAT, MANIFEST, sha256_of, site_contents

GUARDED = ("articles", "comments", "subscribers")  # what a restore must not silently wipe


class SiteNotEmpty(OpsError):
    """The site has content of its own: restoring would replace it."""


@dataclass
class Restored:
    manifest: dict
    checksum: str  # "ok (sha256 …)", or "absent (…)" when no .sha256 file was beside the archive
    notes: list = field(default_factory=list)


def restore_backup(archive, force=False, say=print):
    """Verify ``archive``, then replace the database and the media folder with its content."""
    archive = Path(archive).resolve()
    if not archive.is_file():
        raise OpsError(f"{archive} does not exist.")
    checksum = _verify_checksum(archive)
    say(f"Archive checksum: {checksum}.")
    current = site_contents()
    if not force and any(current[name] for name in GUARDED):
        held = ", ".join(f"{current[name]} {name}" for name in GUARDED)
        raise SiteNotEmpty(f"This site is not empty ({held}): restoring would replace all of it with the "
                           f"backup. Keep a copy first (khabar backup), then run: khabar restore {archive} --force")
    media = Path(settings.MEDIA_ROOT).resolve()
    media.parent.mkdir(parents=True, exist_ok=True)
    # Staged beside the media folder, so that moving the restored folder in is a rename.
    with tempfile.TemporaryDirectory(dir=media.parent, prefix=".khabar-restore-") as staging:
        staging = Path(staging)
        manifest = _unpack(archive, staging)
        contents = manifest.get("contents", {})
        say(f"Backup of {manifest['created']} by khabar {manifest['khabar_version']}: "
            + ", ".join(f"{count} {name}" for name, count in contents.items()) + ".")
        say("Restoring the database…")
        dumps.load(staging / manifest["database"]["file"])
        say("Restoring the media folder…")
        _replace_folder(media, staging / "media")
    restored = Restored(manifest=manifest, checksum=checksum)
    _after_restore(restored)
    return restored


def _verify_checksum(archive):
    sidecar = archive.with_name(archive.name + ".sha256")
    if not sidecar.exists():
        return f"absent ({sidecar.name} is not beside the archive; only the per-file checksums are checked)"
    expected = sidecar.read_text().split()[:1]
    actual = sha256_of(archive)
    if expected != [actual]:
        raise OpsError(f"{archive.name} does not match {sidecar.name} (sha256 {actual}, expected "
                       f"{expected[0] if expected else 'nothing'}): the archive is damaged or incomplete. "
                       "Use another backup.")
    return f"ok (sha256 {actual})"


def _unpack(archive, staging):
    """Extract into ``staging`` and check every file against the manifest; returns the manifest."""
    found = {}
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            manifest = None
            for member in tar:
                name = _safe_name(member)
                if name == MANIFEST:
                    manifest = json.load(tar.extractfile(member))
                    continue
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with tar.extractfile(member) as source, open(target, "xb") as copy:
                    while block := source.read(CHUNK):
                        digest.update(block)
                        size += len(block)
                        copy.write(block)
                found[name] = {"size": size, "sha256": digest.hexdigest()}
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        raise OpsError(f"{archive.name} cannot be read ({error}): it is not a complete khabar backup.") from None
    if manifest is None or manifest.get("format") != FORMAT:
        raise OpsError(f"{archive.name} has no khabar manifest (format {FORMAT}): it is not a khabar backup.")
    engine = dumps.engine()
    if manifest["database"]["engine"] != engine:
        raise OpsError(f"This backup holds a {manifest['database']['engine']} database and this site runs on "
                       f"{engine}: point KHABAR_DATABASE_URL at a {manifest['database']['engine']} database.")
    listed = manifest["files"]
    wrong = sorted(name for name in listed.keys() | found.keys() if listed.get(name) != found.get(name))
    if wrong or manifest["database"]["file"] not in found:
        first = wrong[0] if wrong else manifest["database"]["file"]
        raise OpsError(f"{archive.name}: {len(wrong)} file(s) differ from the manifest (first: {first}). "
                       "Nothing was restored; use another backup.")
    (staging / "media").mkdir(exist_ok=True)
    return manifest


def _safe_name(member):
    """The member's name, refused unless it is a plain file inside the archive's own folders."""
    path = PurePosixPath(member.name)
    if member.isdir():
        raise OpsError(f"Unexpected folder entry {member.name!r} in the archive.")
    if not member.isfile() or path.is_absolute() or ".." in path.parts or not path.parts:
        raise OpsError(f"Refusing archive member {member.name!r}: not a plain file with a relative name.")
    if len(path.parts) > 1 and path.parts[0] != "media":
        raise OpsError(f"Unexpected archive member {member.name!r}.")
    return path.as_posix()


def _replace_folder(live, restored):
    """Swap the restored media folder in by renames; a mount point is emptied and filled instead."""
    aside = live.with_name(f".{live.name}-before-restore")
    shutil.rmtree(aside, ignore_errors=True)
    try:
        if live.exists():
            os.rename(live, aside)
        os.rename(restored, live)
    except OSError:
        if aside.exists() and not live.exists():
            os.rename(aside, live)
        for child in live.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        shutil.copytree(restored, live, dirs_exist_ok=True)
    shutil.rmtree(aside, ignore_errors=True)


def _after_restore(restored):
    """Bring the schema up to this khabar's and forget every page and fragment cached from before."""
    from django.core.cache import caches
    from django.core.management import call_command

    from khabar import pagecache

    call_command("migrate", interactive=False, verbosity=0)
    try:
        for alias in settings.CACHES:
            caches[alias].clear()
        pagecache.purge_all()  # running web processes keep a local copy until the purge counter moves
    except Exception as error:
        restored.notes.append(f"The cache could not be cleared ({error}): restart khabar's web processes.")
    if getattr(settings, "FRONTEND_CACHE_URL", ""):
        restored.notes.append("The front cache (KHABAR_FRONTEND_CACHE_URL) may serve pages from before the "
                              "restore until they expire: purge it if it must show the restored site at once.")
