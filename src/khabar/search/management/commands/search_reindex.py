"""``khabar manage search_reindex``: rebuild the Arabic search index from the published articles."""

import time

from django.core.management.base import BaseCommand

from khabar.search.backends import get_backend
from khabar.search.documents import published_articles
from khabar.search.indexing import REINDEX_BATCH_SIZE, rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index from every published article, showing progress."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=REINDEX_BATCH_SIZE)
        parser.add_argument(
            "--if-empty", action="store_true",
            help="only when the index is empty and articles are published (a site that predates search)",
        )

    def handle(self, *args, batch_size, if_empty=False, **options):
        if if_empty and (get_backend().count() or not published_articles().exists()):
            return
        started = time.monotonic()
        verbosity = options["verbosity"]

        def progress(done, total):
            if verbosity:
                rate = done / max(time.monotonic() - started, 1e-6)
                self.stdout.write(f"{done:,} / {total:,} articles indexed ({rate:,.0f} articles/s)")

        count = rebuild_index(batch_size=max(1, batch_size), progress=progress)
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Search index rebuilt: {count:,} articles in {seconds:.1f} s ({count / max(seconds, 1e-6):,.0f} articles/s)")
        )
