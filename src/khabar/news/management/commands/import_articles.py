import sys

from django.core.management.base import BaseCommand, CommandError

from khabar.news.importing import ArticleImporter, open_lines


class Command(BaseCommand):
    help = "Import articles from a JSON Lines file (.jsonl or .jsonl.gz); re-runs skip ids already imported."

    def add_arguments(self, parser):
        parser.add_argument("path", help="file to import, one JSON article per line")
        parser.add_argument("--limit", type=int, default=0, help="stop after this many lines")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, path, limit, batch_size, **options):
        try:
            lines = open_lines(path)
        except OSError as error:
            raise CommandError(f"cannot open {path}: {error.strerror}") from None

        def progress(report, line_no):
            self.stderr.write(
                f"\rline {line_no:,}: {report.created:,} created, {report.skipped:,} skipped, "
                f"{len(report.errors):,} bad, {report.rate:,.0f} articles/s",
                ending="",
            )
            self.stderr.flush()

        with lines:
            source = (line for n, line in enumerate(lines, 1) if not limit or n <= limit)
            report = ArticleImporter(progress=progress, batch_size=batch_size).run(source)
        self.stderr.write("")
        for line_no, message in report.errors:
            self.stderr.write(f"line {line_no}: {message}")
        self.stdout.write(
            f"{report.created} articles created, {report.skipped} already present, "
            f"{len(report.errors)} bad lines, in {report.seconds:.1f} s ({report.rate:.0f} articles/s)"
        )
        if report.errors and not report.created and not report.skipped:
            sys.exit(1)
