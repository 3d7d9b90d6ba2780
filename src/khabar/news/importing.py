"""Bulk import of articles from JSON Lines (the shared corpus format).

One line per article: ``id``, ``title``, ``body``, ``section``, ``published``,
``source``, ``url``; optional ``dateline``, ``agency``, ``tags``, ``authors``,
``breaking``. Pages are written in batches, each in one transaction, so an
interrupted import keeps whole batches and a re-run skips the ids it already has.
Tree paths are assigned here rather than by treebeard's ``add_child`` (which
reads the last sibling for every insert), and the search index is fed in bulk
per batch instead of one task per page.
"""

import gzip
import json
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time as dtime

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import Signal
from django.utils import timezone
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from taggit.models import Tag
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText
from wagtail.signal_handlers import disable_reference_index_auto_update

from khabar.news import article_text
from khabar.news.models import Agency, ArticlePage, ArticleTag, Author, SectionPage
from khabar.news.models.snippets import unicode_slug
from khabar.news.site_tree import ensure_home_page, get_or_create_section

DEFAULT_SECTION = "أخبار"
BATCH_SIZE = 500

# Sent once per written batch, inside its transaction, with ``pages``: the new live ArticlePages.
# Indexes other than Wagtail's (khabar.search) listen here to take the batch in bulk.
articles_imported = Signal()


class BadRecord(ValueError):
    """A line that cannot become an article; the message says why, in words an editor reads."""


@dataclass
class Record:
    id: str
    title: str
    paragraphs: list
    section: str
    published: datetime
    source: str = ""
    url: str = ""
    dateline: str = ""
    credit: str = ""
    tags: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    breaking: bool = False


def _text(data, key, required=False, limit=None):
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BadRecord(f"missing {key!r}")
        return ""
    if not isinstance(value, str):
        raise BadRecord(f"{key!r} must be a string")
    value = " ".join(value.split()) if key != "body" else value.strip()
    if limit and len(value) > limit:
        raise BadRecord(f"{key!r} is longer than {limit} characters")
    return value


def _names(data, key):
    value = data.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRecord(f"{key!r} must be a string or a list of strings")
    return [" ".join(v.split()) for v in value if v.strip()]


def parse_published(value):
    """An aware datetime from ISO 8601; a bare date is taken as noon in the site's time zone."""
    try:
        if len(value) == 10:
            moment = datetime.combine(datetime.fromisoformat(value).date(), dtime(12, 0))
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        raise BadRecord(f"'published' is not an ISO 8601 date: {value!r}") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def parse_record(line):
    """A Record from one JSON line, or BadRecord saying what is wrong with it."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadRecord(f"not valid JSON ({error.msg})") from None
    if not isinstance(data, dict):
        raise BadRecord("not a JSON object")
    record_id = _text(data, "id", required=True, limit=120)
    title = _text(data, "title", required=True, limit=255)
    paragraphs = article_text.split_paragraphs(_text(data, "body", required=True))
    if not paragraphs:
        raise BadRecord("'body' is empty")
    credit, paragraphs = article_text.split_agency_credit(paragraphs)
    if not paragraphs:
        raise BadRecord("'body' holds nothing but the agency credit")
    dateline = _text(data, "dateline", limit=80)
    if dateline:
        dateline = dateline.rstrip(":").strip()
        if paragraphs[0].startswith(dateline):
            paragraphs[0] = paragraphs[0][len(dateline):].lstrip(" :")
    else:
        dateline, paragraphs = article_text.split_dateline(paragraphs)
    agencies = [name[:60] for name in _names(data, "agency")]
    breaking = data.get("breaking", False)
    if not isinstance(breaking, bool):
        raise BadRecord("'breaking' must be true or false")
    url = _text(data, "url")
    if not url.startswith(("http://", "https://")) or len(url) > 500:
        url = ""  # an optional link that cannot be stored is dropped, not the article
    return Record(
        id=record_id,
        title=title,
        paragraphs=[p for p in paragraphs if p],
        section=_text(data, "section", limit=80) or DEFAULT_SECTION,
        published=parse_published(_text(data, "published", required=True)),
        source=_text(data, "source", limit=120),
        url=url,
        dateline=dateline,
        credit=agencies[0] if agencies else credit,
        tags=[t[:100] for t in _names(data, "tags")],
        authors=[name[:120] for name in _names(data, "authors")],
        breaking=breaking,
    )


def open_lines(path):
    """Lines of a .jsonl or .jsonl.gz file, decoded as UTF-8."""
    opener = gzip.open if str(path).endswith(".gz") else open
    return opener(path, "rt", encoding="utf-8", errors="replace")


@contextmanager
def bulk_indexing():
    """Skip per-page search tasks and reference-index updates; the importer indexes each batch itself."""
    post_save.disconnect(post_save_signal_handler, sender=ArticlePage)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.connect(post_save_signal_handler, sender=ArticlePage)


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
    """Turns Records into live ArticlePages, creating sections, agencies, authors and tags as needed."""

    def __init__(self, progress=None, batch_size=BATCH_SIZE):
        self.progress = progress or (lambda report, line_no: None)
        self.batch_size = batch_size
        self.home = ensure_home_page()
        self.locale = Locale.get_default()
        self.sections = {s.title: s for s in SectionPage.objects.child_of(self.home)}
        self.agencies = {a.name: a for a in Agency.objects.all()}
        self.authors = {a.name: a for a in Author.objects.all()}
        self.known_ids = set(ArticlePage.objects.exclude(import_id=None).values_list("import_id", flat=True))
        self.next_path = {}
        self.slugs = defaultdict(set)

    def run(self, lines):
        report = ImportReport()
        started = time.monotonic()
        batch = []
        line_no = 0
        with bulk_indexing():
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

    # --- one batch -------------------------------------------------------
    @transaction.atomic
    def write_batch(self, records):
        pages, added = [], defaultdict(int)
        for record in records:
            section = self.section(record.section)
            page = self.build_page(record, section)
            # No audit-log row per imported page: the import's own summary is the record.
            page.save(clean=False, log_action=None)
            pages.append((page, record))
            added[section.pk] += 1
        for section_pk, count in added.items():
            Page.objects.filter(pk=section_pk).update(numchild=F("numchild") + count)
        self.link_people_and_tags(pages)
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(ArticlePage, [page for page, _ in pages])
        articles_imported.send(sender=ArticlePage, pages=[page for page, _ in pages])
        return len(pages)

    def build_page(self, record, section):
        slug = self.unique_slug(section, unicode_slug(record.title, 70))
        body_html = article_text.paragraphs_to_html(record.paragraphs)
        page = ArticlePage(
            title=record.title,
            draft_title=record.title,
            slug=slug,
            path=self.take_path(section),
            depth=section.depth + 1,
            numchild=0,
            url_path=f"{section.url_path}{slug}/",
            locale=self.locale,
            live=True,
            has_unpublished_changes=False,
            first_published_at=record.published,
            last_published_at=record.published,
            show_in_menus=False,
            dateline=record.dateline,
            body=[("text", RichText(body_html))],
            is_breaking=record.breaking,
            import_id=record.id,
            source_name=record.source,
            source_url=record.url,
        )
        # Page.save asks the database for both of these; the importer already knows them.
        page._cached_parent_obj = section
        page._is_site_root = False
        return page

    def link_people_and_tags(self, pages):
        author_links, agency_links, tag_links = [], [], []
        tag_ids = self.tag_ids({name for _, record in pages for name in record.tags})
        for page, record in pages:
            for name in dict.fromkeys(record.authors):
                author_links.append(ArticlePage.authors.through(articlepage_id=page.pk, author_id=self.author(name).pk))
            if record.credit:
                agency = self.agency(record.credit)
                agency_links.append(ArticlePage.agencies.through(articlepage_id=page.pk, agency_id=agency.pk))
            for name in dict.fromkeys(record.tags):
                tag_links.append(ArticleTag(content_object_id=page.pk, tag_id=tag_ids[name]))
        ArticlePage.authors.through.objects.bulk_create(author_links)
        ArticlePage.agencies.through.objects.bulk_create(agency_links)
        ArticleTag.objects.bulk_create(tag_links)

    # --- lookups, created on first use ---------------------------------
    def section(self, title):
        if title not in self.sections:
            self.sections[title] = get_or_create_section(self.home, title)
        return self.sections[title]

    def agency(self, credit):
        name = article_text.agency_name(credit)
        if name not in self.agencies:
            self.agencies[name], _ = Agency.objects.get_or_create(name=name, defaults={"credit": credit})
        return self.agencies[name]

    def author(self, name):
        if name not in self.authors:
            self.authors[name] = Author.objects.filter(name=name).first() or Author.objects.create(
                name=name, slug=self.unique_author_slug(name)
            )
        return self.authors[name]

    def unique_author_slug(self, name):
        base = unicode_slug(name)
        slug, n = base, 1
        while Author.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def tag_ids(self, names):
        if not names:
            return {}
        found = {t.name: t.pk for t in Tag.objects.filter(name__in=names)}
        missing = [Tag(name=name, slug=unicode_slug(name, 100)) for name in names if name not in found]
        taken = set()  # two new names may slugify alike ("Gaza", "gaza"): slugs are unique
        for tag in missing:
            tag.slug = self.free_tag_slug(tag.slug, taken)
            taken.add(tag.slug)
        Tag.objects.bulk_create(missing)
        found.update({t.name: t.pk for t in Tag.objects.filter(name__in=[t.name for t in missing])})
        return found

    def free_tag_slug(self, slug, taken):
        candidate, n = slug, 1
        while candidate in taken or Tag.objects.filter(slug=candidate).exists():
            n += 1
            candidate = f"{slug}-{n}"
        return candidate

    def take_path(self, section):
        """The tree path of the next child of ``section``, without a query per page."""
        if section.pk not in self.next_path:
            last = section.get_last_child()
            self.next_path[section.pk] = last._get_lastpos_in_path() + 1 if last else 1
        position = self.next_path[section.pk]
        self.next_path[section.pk] += 1
        return Page._get_path(section.path, section.depth + 1, position)

    def unique_slug(self, section, slug):
        taken = self.slugs[section.pk]
        if not taken:
            taken.update(Page.objects.child_of(section).values_list("slug", flat=True))
            taken.add("")  # loaded marker for an empty section
        candidate, n = slug, 1
        while candidate in taken:
            n += 1
            candidate = f"{slug}-{n}"
        taken.add(candidate)
        return candidate
