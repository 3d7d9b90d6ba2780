"""The ``khabar`` command: serve the site, run Django management commands, import articles."""

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khabar.settings")
    import django

    django.setup()


def manage(argv):
    """Run a Django management command, e.g. ``khabar manage createsuperuser``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khabar.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["khabar manage", *argv])


def _static_fingerprint():
    """Changes when any static source (ours or an installed app's) changes, so collectstatic can be skipped."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


DEMO_IN_PRODUCTION = (
    "khabar serve --demo refused: KHABAR_PRODUCTION=1, and the invented demo stories must never be "
    "published on a real site. Drop --demo (or try the demo without KHABAR_PRODUCTION)."
)


def prepare(demo=False):
    """Migrate, collect static files when they changed, build the site tree; with ``demo``, the demo
    content on a site without articles (never in production)."""
    _django()
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    if demo and settings.PRODUCTION:  # refused before anything is migrated or served
        raise SystemExit(DEMO_IN_PRODUCTION)
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    stamp = Path(settings.STATIC_ROOT) / ".khabar-static-stamp"
    fingerprint = _static_fingerprint()
    if not stamp.exists() or stamp.read_text() != fingerprint:
        print("Collecting and compressing static files (first run only)…", flush=True)
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.write_text(fingerprint)
    call_command("khabar_setup")
    from khabar.news.models import ArticlePage

    if not ArticlePage.objects.exists():
        if demo and apps.is_installed("khabar.demo"):
            call_command("load_demo")  # `make serve`: a new site opens on a week of demo news
        elif settings.PRODUCTION:
            print("The site has no articles yet: write the first one in the admin.", flush=True)
        else:
            print("The site has no articles yet: write one in the admin, or start with "
                  "`khabar serve --demo` for a week of demo news.", flush=True)
    call_command("search_reindex", if_empty=True)  # a site that predates search gets its index once
    return settings


# Seconds a child has to stop after SIGTERM before it is killed.
STOP_GRACE = 15


def serve(args):
    port = args.port or int(os.environ.get("PORT", "8000"))
    # settings.py derives the default SITE_URL from PORT; --port must reach it (and the worker child).
    os.environ["PORT"] = str(port)
    # A bare prepare() without --demo: tests/test_configuration.py stands in a prepare() of its own.
    settings = prepare(demo=True) if args.demo else prepare()
    workers = args.workers or int(os.environ.get("KHABAR_WEB_WORKERS", str(os.cpu_count() or 1)))
    print(f"\nkhabar is up: {settings.SITE_URL}/  (admin: {settings.SITE_URL}/admin/)", flush=True)
    children = []
    worker_command = [sys.executable, "-m", "khabar.cli", "worker"]
    if not args.no_worker and settings.TASKS_BACKEND != "immediate":
        children.append(subprocess.Popen(worker_command))
    # granian: chosen over gunicorn by bench/pages.py (the README's "Speed" section has the figures).
    web = subprocess.Popen(
        [
            sys.executable, "-m", "granian", "khabar.wsgi:application",
            "--interface", "wsgi",
            "--host", args.host, "--port", str(port),
            "--workers", str(workers),
            "--blocking-threads", os.environ.get("KHABAR_WEB_THREADS", "4"),
            "--access-log" if args.access_log else "--no-access-log",
            "--respawn-failed-workers",
            # A granian worker can hang in its shutdown (seen in CI on a busy machine): ten seconds for
            # the requests in flight, then it is killed rather than holding the stop forever.
            "--workers-kill-timeout", "10",
            "--log-level", "warning",
        ]
    )
    children.append(web)

    stopping = []  # when the first stop signal came

    def stop(signum, frame):
        stopping.append(time.monotonic())
        for child in children:
            child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # As systemd's Restart=always does for `khabar worker`: a task worker that dies (SIGKILL, the OOM
    # killer) is started again, at most every 2 s, and puts back the task it was running (task_worker).
    started = time.monotonic()
    while (code := web.poll()) is None and not (stopping and time.monotonic() - stopping[0] > STOP_GRACE):
        for position, child in enumerate(children):
            if child is not web and child.poll() is not None and not stopping and time.monotonic() - started > 2:
                print(f"khabar: the task worker stopped (status {child.returncode}); starting it again", flush=True)
                children[position], started = subprocess.Popen(worker_command), time.monotonic()
        time.sleep(0.5)
    if not stopping:
        stop(None, None)
    for child in children:
        try:
            child.wait(max(0.1, stopping[0] + STOP_GRACE - time.monotonic()))
        except subprocess.TimeoutExpired:  # a stop that hangs is cut short, as systemd's TimeoutStopSec would
            child.kill()
            child.wait()
    return code


def worker(args):
    """Run background tasks (e-mail, search indexing, cache purges) until stopped."""
    _django()
    from django.conf import settings

    from khabar import periodic
    from khabar.pagecache import api as pagecache

    # Scheduled publishing, wire pulls, most-read counts: enqueued from here, run as tasks below.
    periodic.start_thread()
    pagecache.keep_files_on_time()  # page files expire while the web processes are down, too
    if settings.TASKS_BACKEND == "rq":
        # The scheduler moves tasks queued with run_after (the moderators' gathered mail, a newsletter
        # issue's watch) from RQ's scheduled registry to the queue; without it they would never run.
        manage(["rqworker", "default", "--with-scheduler"])
    else:
        # A front-cache purge waits for this poll after every publish: a quarter second keeps the
        # proxy's copy within the 1 s the newsroom expects, for one indexed query per poll.
        # task_worker runs db_worker through a database restart and re-queues a killed worker's task.
        from khabar import task_worker

        task_worker.run(interval=0.25)


def import_articles(args):
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("import_articles", args.path, limit=args.limit)


def import_wordpress(args):
    """``khabar import wordpress FILE.xml``: a WordPress export (WXR) with its comments, images and old links."""
    _django()

    from django.core.management import CommandError, call_command

    call_command("migrate", interactive=False, verbosity=0)
    try:
        call_command("import_wordpress", args.path, media=args.media, dry_run=args.dry_run, timezone=args.timezone)
    except CommandError as error:  # nothing usable in the file: the report said why; exit 1
        print(error, file=sys.stderr)
        return 1
    return 0


def check(args):
    """``khabar check``: the deployment checklist; exit status 1 when anything blocks going live."""
    from django.core.exceptions import ImproperlyConfigured

    from khabar.ops.checks import BLOCKER, Finding, print_report, run_checks

    try:
        _django()
    except ImproperlyConfigured as error:  # settings.py itself refuses (e.g. the default secret in production)
        return print_report([Finding(BLOCKER, "settings", str(error))])
    return print_report(run_checks())


def backup(args):
    """``khabar backup [DIR] [--keep N]``: the database and media in one dated, checksummed archive."""
    _django()
    from khabar.ops import OpsError
    from khabar.ops.backup import create_backup

    try:
        made = create_backup(args.directory, keep=args.keep)
    except OpsError as error:
        print(f"khabar backup: {error}", file=sys.stderr)
        return 1
    media = sum(name.startswith("media/") for name in made.manifest["files"])
    print(f"Backup written: {made.path} ({made.size / 2**20:.1f} MiB, {made.manifest['database']['engine']} "
          f"database, {media} media files; sha256 in {made.path.name}.sha256)")
    for path in made.removed:
        print(f"Removed (beyond --keep {args.keep}): {path}")
    return 0


def restore(args):
    """``khabar restore FILE [--force]``: put back the database and media of a backup."""
    _django()
    from khabar.ops import OpsError
    from khabar.ops.restore import restore_backup

    try:
        restored = restore_backup(args.file, force=args.force)
    except OpsError as error:
        print(f"khabar restore: {error}", file=sys.stderr)
        return 1
    for note in restored.notes:
        print(f"Note: {note}")
    print("Restored. Start khabar again (or restart it) to serve the restored site.")
    return 0


def comments(args):
    """A reader's data request: ``khabar comments export|erase EMAIL`` (JSON to stdout, or deletion)."""
    manage([f"comments_{args.action}", args.email, *(["--dry-run"] if args.dry_run else [])])


def search(args):
    """``khabar search reindex``: rebuild the Arabic search index, with progress."""
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("search_reindex", batch_size=args.batch_size)


def wire(args):
    """``khabar wire add-feed AGENCY URL`` / ``khabar wire pull [--json]``: agency feeds into draft articles."""
    _django()
    from django.core.management import call_command

    from khabar.wire import commands as wire_commands

    call_command("migrate", interactive=False, verbosity=0)
    return wire_commands.run(args)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["manage"]:
        return manage(argv[1:])
    if argv[:1] == ["newsletter"]:
        return manage(["newsletter", *argv[1:]])
    parser = argparse.ArgumentParser(prog="khabar", description="khabar: Arabic news publishing")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("serve", help="migrate, load demo content on first run and serve site and admin")
    p.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=0, help="default: $PORT or 8000")
    p.add_argument("--workers", type=int, default=0, help="web worker processes (default: 2 per core)")
    p.add_argument("--no-worker", action="store_true", help="do not run a task worker alongside")
    p.add_argument("--access-log", action="store_true")
    p.add_argument("--demo", action="store_true",
                   help="on a site without articles, load the demo news first (refused with KHABAR_PRODUCTION=1)")
    p.set_defaults(func=serve)

    p = commands.add_parser("worker", help="run the background task worker")
    p.set_defaults(func=worker)

    p = commands.add_parser("import-articles", help="import articles from a .jsonl or .jsonl.gz file")
    p.add_argument("path")
    p.add_argument("--limit", type=int, default=0)
    p.set_defaults(func=import_articles)

    p = commands.add_parser("import", help="move a site in: khabar import wordpress FILE.xml [--media DIR_OR_URL]")
    p.add_argument("source", choices=["wordpress"], help="wordpress: a WXR export (Tools → Export)")
    p.add_argument("path", help="the export file (.xml)")
    p.add_argument("--media", default="", help="the uploads folder, or its URL (default: the images' own URLs)")
    p.add_argument("--dry-run", action="store_true", help="read and check everything, write nothing")
    p.add_argument("--timezone", default="", help="the old site's time zone, e.g. Asia/Riyadh (default: read from the export)")
    p.set_defaults(func=import_wordpress)

    p = commands.add_parser("comments", help="a reader's data request: comments export|erase EMAIL")
    p.add_argument("action", choices=["export", "erase"])
    p.add_argument("email")
    p.add_argument("--dry-run", action="store_true", help="with erase: only count what would be deleted")
    p.set_defaults(func=comments)

    p = commands.add_parser("search", help="the search index: khabar search reindex")
    p.add_argument("action", choices=["reindex"], help="reindex: rebuild the index from the published articles")
    p.add_argument("--batch-size", type=int, default=500)
    p.set_defaults(func=search)

    p = commands.add_parser("wire", help="agency feeds: khabar wire add-feed AGENCY URL | pull [--json]")
    from khabar.wire.commands import add_arguments as add_wire_arguments  # no Django needed to build the parser

    add_wire_arguments(p)
    p.set_defaults(func=wire)

    p = commands.add_parser("check", help="deployment checklist: ok / warning / BLOCKER; exit 1 on a blocker")
    p.set_defaults(func=check)

    p = commands.add_parser("backup", help="database and media into one dated archive with a checksum")
    p.add_argument("directory", nargs="?", help="where to write it (default: $KHABAR_BACKUP_DIR)")
    p.add_argument("--keep", type=int, help="then delete the older archives there beyond the newest N")
    p.set_defaults(func=backup)

    p = commands.add_parser("restore", help="put back a backup's database and media (verified first)")
    p.add_argument("file", help="a khabar-backup-….tar.gz (its .sha256 beside it is checked)")
    p.add_argument("--force", action="store_true", help="replace a site that has articles, comments or subscribers")
    p.set_defaults(func=restore)

    commands.add_parser("manage", help="run a Django management command: khabar manage <command> …")
    commands.add_parser(
        "newsletter", help="newsletter: send-digest daily|weekly, resume, cleanup, status, resend-unknown"
    )

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
