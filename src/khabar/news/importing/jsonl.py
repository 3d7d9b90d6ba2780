"""``import-articles``: a JSON Lines file of articles (the shared corpus format) into live pages.

One line per article: ``id``, ``title``, ``body``, ``section``, ``published``, ``source``, ``url``;
optional ``dateline``, ``agency``, ``tags``, ``authors``, ``breaking`` (``records`` reads them).
Articles are written in batches, each in one transaction, so an interrupted import keeps whole
batches, and a re-run skips the ids it already has.
"""

import time
from dataclasses import dataclass, field

from django.db import transaction
from wagtail.rich_text import RichText

from khabar.news import article_text
from khabar.news.importing.records import BadRecord, parse_record
from khabar.news.importing.writer import ArticleWriter, NewArticle
from khabar.news.models import ArticlePage

BATCH_SIZE = 500


@dataclass
class ImportReport:
    created: int = 0
    skipped: int = 0
    errors: list = field(default_factory=list)  # (line number, message)
    seconds: float = 0.0

    @property
    def rate(self):
        return self.created / self.seconds if self.seconds else 0.0


class ArticleImporter:
    """Reads lines, skips bad ones and ids already imported, and writes the rest in batches."""

    def __init__(self, progress=None, batch_size=BATCH_SIZE):
        self.progress = progress or (lambda report, line_no: None)
        self.batch_size = batch_size
        self.writer = ArticleWriter()
        self.known_ids = set(ArticlePage.objects.exclude(import_id=None).values_list("import_id", flat=True))

    def run(self, lines):
        """Import every line; returns an ImportReport, ``progress(report, line_no)`` being called after each batch."""
        report = ImportReport()
        started = time.monotonic()
        batch = []
        line_no = 0
        for line_no, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = parse_record(line)
            except BadRecord as error:
                report.errors.append((line_no, str(error)))
                continue
            if record.id in self.known_ids:
                report.skipped += 1
                continue
            self.known_ids.add(record.id)
            batch.append(record)
            if len(batch) >= self.batch_size:
                report.created += self.write_batch(batch)
                batch = []
                report.seconds = time.monotonic() - started
                self.progress(report, line_no)
        if batch:
            report.created += self.write_batch(batch)
        report.seconds = time.monotonic() - started
        self.progress(report, line_no)
        return report

    @transaction.atomic
    def write_batch(self, records):
        """Write Records as live articles, in one transaction with any section they create; returns the count."""
        articles = [
            NewArticle(
                page=article_page(record),
                section=self.writer.section(record.section),
                authors=record.authors,
                credits=[record.credit] if record.credit else [],
                tags=record.tags,
            )
            for record in records
        ]
        return len(self.writer.write(articles))


def article_page(record):
    """An unsaved, live ArticlePage holding a Record's content, published when the Record says."""
    return ArticlePage(
        title=record.title,
        draft_title=record.title,
        live=True,
        has_unpublished_changes=False,
        first_published_at=record.published,
        last_published_at=record.published,
        show_in_menus=False,
        dateline=record.dateline,
        body=[("text", RichText(article_text.paragraphs_to_html(record.paragraphs)))],
        is_breaking=record.breaking,
        import_id=record.id,
        source_name=record.source,
        source_url=record.url,
    )
