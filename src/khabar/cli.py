"""The ``khabar`` command: serve the site, run Django management commands, import articles."""

import argparse
import hashlib
import os
import signal
import subprocess
import sys
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


def prepare():
    """Migrate, collect static files when they changed, build the site tree and demo content."""
    _django()
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

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
    if apps.is_installed("khabar.demo"):
        from khabar.news.models import ArticlePage

        if not ArticlePage.objects.exists():
            call_command("load_demo")  # a new site opens on a week of demo news
    call_command("search_reindex", if_empty=True)  # a site that predates search gets its index once
    return settings


def serve(args):
    port = args.port or int(os.environ.get("PORT", "8000"))
    # settings.py derives the default SITE_URL from PORT; --port must reach it (and the worker child).
    os.environ["PORT"] = str(port)
    settings = prepare()
    workers = args.workers or int(os.environ.get("KHABAR_WEB_WORKERS", str(os.cpu_count() or 1)))
    print(f"\nkhabar is up: {settings.SITE_URL}/  (admin: {settings.SITE_URL}/admin/)", flush=True)
    children = []
    if not args.no_worker and settings.TASKS_BACKEND != "immediate":
        children.append(subprocess.Popen([sys.executable, "-m", "khabar.cli", "worker"]))
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
            "--log-level", "warning",
        ]
    )
    children.append(web)

    def stop(signum, frame):
        for child in children:
            child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = web.wait()
    stop(None, None)
    for child in children:
        child.wait()
    return code


def worker(args):
    """Run background tasks (e-mail, search indexing, cache purges) until stopped."""
    _django()
    from django.conf import settings

    if settings.TASKS_BACKEND == "rq":
        # The scheduler moves tasks queued with run_after (the moderators' gathered mail, a newsletter
        # issue's watch) from RQ's scheduled registry to the queue; without it they would never run.
        manage(["rqworker", "default", "--with-scheduler"])
    else:
        # A front-cache purge waits for this poll after every publish: a quarter second keeps the
        # proxy's copy within the 1 s the newsroom expects, for one indexed query per poll.
        manage(["db_worker", "--interval", "0.25"])


def import_articles(args):
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("import_articles", args.path, limit=args.limit)


def comments(args):
    """A reader's data request: ``khabar comments export|erase EMAIL`` (JSON to stdout, or deletion)."""
    manage([f"comments_{args.action}", args.email, *(["--dry-run"] if args.dry_run else [])])


def search(args):
    """``khabar search reindex``: rebuild the Arabic search index, with progress."""
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("search_reindex", batch_size=args.batch_size)


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
    p.set_defaults(func=serve)

    p = commands.add_parser("worker", help="run the background task worker")
    p.set_defaults(func=worker)

    p = commands.add_parser("import-articles", help="import articles from a .jsonl or .jsonl.gz file")
    p.add_argument("path")
    p.add_argument("--limit", type=int, default=0)
    p.set_defaults(func=import_articles)

    p = commands.add_parser("comments", help="a reader's data request: comments export|erase EMAIL")
    p.add_argument("action", choices=["export", "erase"])
    p.add_argument("email")
    p.add_argument("--dry-run", action="store_true", help="with erase: only count what would be deleted")
    p.set_defaults(func=comments)

    p = commands.add_parser("search", help="the search index: khabar search reindex")
    p.add_argument("action", choices=["reindex"], help="reindex: rebuild the index from the published articles")
    p.add_argument("--batch-size", type=int, default=500)
    p.set_defaults(func=search)

    commands.add_parser("manage", help="run a Django management command: khabar manage <command> …")
    commands.add_parser(
        "newsletter", help="newsletter: send-digest daily|weekly, resume, cleanup, status, resend-unknown"
    )

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
