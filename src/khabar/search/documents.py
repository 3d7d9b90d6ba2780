"""Articles as the index reads them: title, lead and body as plain text.

The lead is what a reader sees first: the dateline, the summary (or, when the
desk wrote none, the first paragraph) and the tags. The body is the rest.
Text comes from the StreamField's stored JSON, not from rendering blocks, so
a full reindex reads tens of thousands of articles quickly.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from django.utils.encoding import iri_to_uri
from wagtail.models import Page, Site

from khabar.news.article_text import rich_text_paragraphs
from khabar.news.models import ArticlePage, ArticleTag
from khabar.search.backends import IndexDocument


def body_paragraphs(stream) -> list[str]:
    """The readable text of an article body: rich text, quotations, image captions."""
    paragraphs = []
    for item in stream.raw_data:
        kind, value = item.get("type"), item.get("value")
        if kind == "text":
            paragraphs.extend(rich_text_paragraphs(value))
        elif kind == "quote" and isinstance(value, dict):
            paragraphs.extend(p for p in (value.get("text"), value.get("attribution")) if p)
        elif kind == "figure" and isinstance(value, dict) and value.get("caption"):
            paragraphs.append(value["caption"])
    return paragraphs


def relative_url(url_path: str, root_paths=None) -> str:
    """The page's path on its site, as Wagtail routes it ("/العالم/خبر/")."""
    for root in root_paths if root_paths is not None else Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return iri_to_uri(url_path[len(root.root_path) - 1:])  # percent-encoded, as Page.url gives it
    return iri_to_uri(url_path)


def build_document(page, tags=(), section_id=None, root_paths=None) -> IndexDocument:
    """The IndexDocument of one article page (its parent section given, or read from its path)."""
    paragraphs = body_paragraphs(page.body)
    opening = page.summary or (paragraphs[0] if paragraphs else "")
    body = paragraphs if page.summary else paragraphs[1:]
    lead = " \n".join(filter(None, [page.dateline, opening, " ".join(tags)]))
    if section_id is None:
        section_id = Page.objects.filter(path=page.path[: -Page.steplen]).values_list("pk", flat=True).first()
    return IndexDocument(
        page_id=page.pk,
        section_id=section_id,
        published_at=page.first_published_at or page.last_published_at,
        title=page.title,
        lead=lead,
        body="\n".join(body),
        url=relative_url(page.url_path, root_paths),
    )


def documents_for_pages(pages: Iterable[ArticlePage]) -> list[IndexDocument]:
    """IndexDocuments of ``pages`` in a fixed number of queries: their tags and sections are read in bulk."""
    pages = list(pages)
    if not pages:
        return []
    tags: dict[int, list[str]] = {}
    for page_id, name in ArticleTag.objects.filter(content_object_id__in=[p.pk for p in pages]).values_list(
        "content_object_id", "tag__name"
    ):
        tags.setdefault(page_id, []).append(name)
    parent_paths = {p.path[: -Page.steplen] for p in pages}
    sections = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "pk"))
    root_paths = Site.get_site_root_paths()
    return [
        build_document(page, tags.get(page.pk, ()), sections.get(page.path[: -Page.steplen]), root_paths)
        for page in pages
    ]


def published_articles():
    """Every article a reader may see, oldest first, with only the fields the index reads."""
    return (
        ArticlePage.objects.published()
        .only("pk", "title", "summary", "dateline", "body", "path", "url_path", "first_published_at", "last_published_at")
        .order_by("pk")
    )


def iter_document_batches(batch_size: int = 500) -> Iterator[list[IndexDocument]]:
    """All published articles as IndexDocuments, ``batch_size`` at a time, walking the primary key."""
    last = 0
    while True:
        pages = list(published_articles().filter(pk__gt=last)[:batch_size])
        if not pages:
            return
        yield documents_for_pages(pages)
        last = pages[-1].pk
