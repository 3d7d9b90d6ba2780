"""``khabar backup`` and ``khabar restore``, run as an operator runs them, on a site in a temporary folder.

The round trip runs on SQLite, and on PostgreSQL (a database of its own, dropped after) when
KHABAR_TEST_DATABASE_URL names a server.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import pytest

from tests.instance import fresh_database
from tests.ops.sites import COMMENT, SUBSCRIBER, TITLES, add_article, khabar, media_files, new_site, seed, seen

def archives(folder):
    return sorted(Path(folder).glob("khabar-backup-*.tar.gz"))


def back_up(site, *args):
    result = khabar(site, "backup", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def wipe(site):
    """Lose the data: the database's tables and rows, and the uploaded files."""
    if site.database_url.startswith("postgres"):
        import psycopg

        with psycopg.connect(site.database_url.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
            db.execute("DROP SCHEMA public CASCADE")
            db.execute("CREATE SCHEMA public")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{site.database}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(site.data_dir / "media")


def tables(site):
    """The SQLite database's tables; none when the file is absent."""
    if not site.database.exists():
        return []
    return [name for (name,) in site.query("SELECT name FROM sqlite_master WHERE type = 'table'")]


@pytest.fixture
def database_url():
    with fresh_database("khabar_backup_test") as url:
        yield url


def test_back_up_wipe_restore_gives_back_the_same_site(tmp_path, database_url):
    site = new_site(tmp_path / "site", database_url)
    seed(site)
    before = seen(site)  # also draws the hero image's renditions into media/
    assert before["pages"] == {title: [200, True, title == TITLES[-1]] for title in TITLES}
    assert [email for email, _ in before["subscribers"]] == [SUBSCRIBER]
    files = media_files(site)
    assert any(name.startswith("original_images/") for name in files)

    result = back_up(site, str(tmp_path / "backups"))
    [archive] = archives(tmp_path / "backups")
    assert str(archive) in result.stdout
    # The checksum beside the archive is in sha256sum's format, so the operator can check a copy too.
    verified = subprocess.run(["sha256sum", "-c", archive.name + ".sha256"], cwd=archive.parent,
                              capture_output=True, text=True)
    assert verified.returncode == 0 and f"{archive.name}: OK" in verified.stdout
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["database"]["engine"] == ("postgresql" if database_url else "sqlite")
    assert manifest["contents"] == {"articles": 3, "comments": 1, "subscribers": 1, "images": 1}
    assert names == {"manifest.json", *manifest["files"]}
    assert {name[len("media/"):]: entry["sha256"] for name, entry in manifest["files"].items()
            if name.startswith("media/")} == {name: hashlib.sha256(body).hexdigest() for name, body in files.items()}
    assert archive.stat().st_mode & 0o077 == 0  # subscribers' addresses: the owner's eyes only

    wipe(site)

    result = khabar(site, "restore", str(archive))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Archive checksum: ok" in result.stdout
    assert media_files(site) == files
    assert seen(site) == before


def test_restore_keeps_a_site_with_content_unless_forced(tmp_path, database_url):
    site = new_site(tmp_path / "site", database_url)
    seed(site)
    back_up(site, str(tmp_path / "backups"))
    [archive] = archives(tmp_path / "backups")
    add_article(site, "خبر كتب بعد النسخة")

    refused = khabar(site, "restore", str(archive))
    assert refused.returncode == 1
    assert "not empty (4 articles, 1 comments, 1 subscribers)" in refused.stderr
    assert "--force" in refused.stderr
    assert "خبر كتب بعد النسخة" in seen(site)["pages"]

    forced = khabar(site, "restore", str(archive), "--force")
    assert forced.returncode == 0, forced.stderr
    assert list(seen(site)["pages"]) == TITLES


def test_a_damaged_archive_is_refused_before_anything_changes(tmp_path):
    site = new_site(tmp_path / "site")
    seed(site)
    back_up(site, str(tmp_path / "backups"))
    [archive] = archives(tmp_path / "backups")
    wipe(site)

    damaged = bytearray(archive.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    archive.write_bytes(bytes(damaged))
    refused = khabar(site, "restore", str(archive))
    assert refused.returncode == 1
    assert "damaged or incomplete" in refused.stderr
    assert tables(site) == []
    assert not (site.data_dir / "media").exists()


def test_a_file_changed_inside_the_archive_is_refused(tmp_path):
    site = new_site(tmp_path / "site")
    seed(site)
    back_up(site, str(tmp_path / "backups"))
    [archive] = archives(tmp_path / "backups")
    # Rewritten with one image replaced and without the archive checksum: the manifest still catches it.
    forged = tmp_path / "forged" / archive.name
    forged.parent.mkdir()
    with tarfile.open(archive) as source, tarfile.open(forged, "w:gz") as target:
        for member in source:
            body = source.extractfile(member).read()
            if member.name.startswith("media/original_images/"):
                body = body[:-1] + b"\0"
            target.addfile(member, io.BytesIO(body))
    wipe(site)

    refused = khabar(site, "restore", str(forged))
    assert refused.returncode == 1
    assert "absent" in refused.stdout
    assert "differ from the manifest (first: media/original_images/" in refused.stderr
    assert tables(site) == []
    assert not (site.data_dir / "media").exists()


def test_keep_leaves_the_newest_archives_in_the_backup_folder(tmp_path):
    backups = tmp_path / "nightly"
    site = new_site(tmp_path / "site", KHABAR_BACKUP_DIR=backups)
    seed(site)
    backups.mkdir()
    (backups / "notes.txt").write_text("not a backup")
    for _ in range(3):
        last = back_up(site, "--keep", "2")  # no folder given: KHABAR_BACKUP_DIR
    kept = archives(backups)
    assert len(kept) == 2
    assert "Removed (beyond --keep 2)" in last.stdout
    assert sorted(path.name for path in backups.iterdir()) == sorted(
        [*(path.name for path in kept), *(path.name + ".sha256" for path in kept), "notes.txt"]
    )
    assert str(kept[-1]) in last.stdout  # the archive just written is among those kept


def test_backup_while_a_writer_holds_the_database(tmp_path):
    """The SQLite backup runs beside the site: a transaction in progress neither blocks it nor leaks into it."""
    site = new_site(tmp_path / "site")
    seed(site)
    writer = sqlite3.connect(site.database, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE newsletter_subscriber SET status = 'unsubscribed'")
    try:
        back_up(site, str(tmp_path / "backups"))
    finally:
        writer.execute("COMMIT")
        writer.close()
    [archive] = archives(tmp_path / "backups")

    elsewhere = new_site(tmp_path / "elsewhere")
    os.remove(elsewhere.database)
    result = khabar(elsewhere, "restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert seen(elsewhere)["subscribers"] == [[SUBSCRIBER, "active"]]
    assert COMMENT in [body for body, _, _ in seen(elsewhere)["comments"]]
