"""The admin's WordPress import, run by the task worker so that a large export never holds a request."""

import time

from django.utils import timezone
from django_tasks import task

from khabar.wordpress.importer import WordPressImporter
from khabar.wordpress.models import ImportRun

PROGRESS_SECONDS = 1.0  # how often the run's row (and so the admin page) learns the count


@task()
def run_import(run_id):
    """Import an uploaded export. Safe to run again after a crash: the importer skips what it already did."""
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None or run.status == ImportRun.Status.DONE:
        return
    ImportRun.objects.filter(pk=run_id).update(status=ImportRun.Status.RUNNING)
    last = [0.0]

    def progress(done, total):
        now = time.monotonic()
        if now - last[0] >= PROGRESS_SECONDS or done == total:
            last[0] = now
            ImportRun.objects.filter(pk=run_id).update(done=done, total=total)

    report = WordPressImporter(run.file, media=run.media, progress=progress).run()
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.DONE if report.usable else ImportRun.Status.FAILED,
        report=report.as_dict(),
        finished=timezone.now(),
    )
