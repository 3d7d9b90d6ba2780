"""``khabar import wordpress FILE.xml``: the WordPress importer from the shell, with a progress bar."""

import sys

from django.core.management.base import BaseCommand, CommandError

from khabar.wordpress.importer import WordPressImporter


class Command(BaseCommand):
    help = "Import a WordPress export (WXR): authors, sections, tags, posts, pages, images, comments, old links."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--media", default="", help="the uploads folder, or its URL")
        parser.add_argument("--dry-run", action="store_true", help="read and check everything, write nothing")
        parser.add_argument("--timezone", default="", help="the old site's time zone, e.g. Asia/Riyadh")

    def handle(self, path, media="", dry_run=False, timezone="", **options):
        importer = WordPressImporter(path, media=media, dry_run=dry_run, time_zone=timezone, progress=self.bar)
        report = importer.run()
        sys.stderr.write("\n")
        for line in report.lines():
            self.stdout.write(line)
        if not report.usable:  # exit status 1 only when the file gave nothing at all
            raise CommandError(report.fatal or "لم يوجد في الملف منشور ولا صفحة قابلة للاستيراد.")

    def bar(self, done, total, width=30):
        if not sys.stderr.isatty() and done not in (total, 1) and done % 100:
            return  # in a log, a line now and then rather than a redrawn bar
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
