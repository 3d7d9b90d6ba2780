"""The database part of a backup: SQLite's online backup or PostgreSQL's custom-format dump, and back.

Both are taken while the site runs: SQLite's backup API copies one consistent snapshot
(WAL lets writers go on meanwhile), pg_dump reads inside one transaction.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings

from khabar.ops import OpsError

ENGINES = {
    "django.db.backends.sqlite3": "sqlite",
    "django.db.backends.postgresql": "postgresql",
}
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
BUSY_MILLISECONDS = 30000  # wait this long for a writer to let go rather than fail the backup


def engine():
    """``sqlite`` or ``postgresql``: the engines a backup knows how to copy."""
    name = settings.DATABASES["default"]["ENGINE"]
    if name not in ENGINES:
        raise OpsError(f"khabar backup knows SQLite and PostgreSQL, not {name}.")
    return ENGINES[name]


def dump(folder):
    """Write the database's copy into ``folder``; returns the file."""
    kind = engine()
    target = Path(folder) / DUMP_NAMES[kind]
    if kind == "sqlite":
        _sqlite_copy(Path(settings.DATABASES["default"]["NAME"]), target)
    else:
        _postgres("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}")
    return target


def load(dump_file):
    """Replace the database's content with ``dump_file`` (made by :func:`dump` on the same engine)."""
    from django.db import connections

    connections.close_all()  # our own connection must hold no lock or snapshot while the content changes
    if engine() == "sqlite":
        _sqlite_restore(Path(dump_file), Path(settings.DATABASES["default"]["NAME"]))
    else:
        # One transaction: a restore that fails half-way leaves the database as it was.
        _postgres("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                  "--exit-on-error", f"--dbname={settings.DATABASES['default']['NAME']}", str(dump_file))


def _sqlite_copy(source_path, target):
    if not source_path.exists():
        raise OpsError(f"There is no database at {source_path}: nothing to back up (run khabar serve once).")
    source = sqlite3.connect(source_path, timeout=BUSY_MILLISECONDS / 1000)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # The copy stands alone in one file (no -wal beside it), and is checked before it is archived.
        copy.execute("PRAGMA journal_mode=DELETE")
        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        copy.close()
        source.close()
    if verdict != "ok":
        raise OpsError(f"The copy of {source_path} fails SQLite's check ({verdict}): the database needs repair.")


def _sqlite_restore(copy_path, live_path):
    live_path.parent.mkdir(parents=True, exist_ok=True)
    copy = sqlite3.connect(copy_path)
    # Through SQLite's own locking rather than a file swap: a process still holding the database
    # open, or a -wal file left beside it, cannot mix old pages into the restored content.
    live = sqlite3.connect(live_path, timeout=BUSY_MILLISECONDS / 1000)
    try:
        live.execute(f"PRAGMA busy_timeout={BUSY_MILLISECONDS}")
        copy.backup(live)
        live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as error:
        raise OpsError(f"Could not write the backup into {live_path} ({error}). Stop khabar (web and worker), "
                       "move the database file aside and run khabar restore again.") from None
    finally:
        live.close()
        copy.close()


def _postgres(program, *arguments):
    """Run pg_dump or pg_restore on khabar's database; the password goes through the environment, not argv."""
    if shutil.which(program) is None:
        raise OpsError(f"{program} is not installed: install PostgreSQL's client tools (Debian: postgresql-client).")
    db = settings.DATABASES["default"]
    environment = dict(os.environ)
    for variable, value in (
        ("PGHOST", db.get("HOST")), ("PGPORT", db.get("PORT")), ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")), ("PGDATABASE", db.get("NAME")),
        ("PGSSLMODE", db.get("OPTIONS", {}).get("sslmode")),
    ):
        if value:
            environment[variable] = str(value)
    result = subprocess.run([program, *arguments], env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise OpsError(f"{program} failed ({result.returncode}): {result.stderr.strip()}")
