"""Keeping the index in step with what readers may see.

Every entry point is idempotent: it reads the article's current state and
makes the index agree, so a task that runs twice, late or out of order still
leaves the right result.
"""

from __future__ import annotations

from typing import Callable, Iterable

from khabar.news.models import ArticlePage
from khabar.search.backends import get_backend
from khabar.search.documents import documents_for_pages, iter_document_batches, published_articles

REINDEX_BATCH_SIZE = 500


def update_articles(page_ids: Iterable[int]) -> tuple[int, int]:
    """Index the published articles among ``page_ids`` and remove the rest; returns (indexed, removed)."""
    page_ids = set(page_ids)
    pages = list(published_articles().filter(pk__in=page_ids))
    backend = get_backend()
    gone = page_ids - {page.pk for page in pages}
    if gone:
        backend.remove(sorted(gone))
    indexed = backend.index(documents_for_pages(pages))
    return indexed, len(gone)


def index_new_articles(pages: Iterable[ArticlePage]) -> int:
    """Add freshly imported live articles in one bulk write (the importer's batch); drafts wait for publishing."""
    return get_backend().index(documents_for_pages([page for page in pages if page.live and page.first_published_at]))


def rebuild_index(batch_size: int = REINDEX_BATCH_SIZE, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the published articles; ``progress(done, total)`` after each batch."""
    total = published_articles().count()
    report = (lambda done: progress(done, total)) if progress else None
    return get_backend().rebuild(iter_document_batches(batch_size), progress=report)
