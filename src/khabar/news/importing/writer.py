"""Writing new articles into the page tree in batches, for every importer.

The caller builds unsaved pages with their content (title, body, dates, fields) and says under
which section each goes and whom it credits; the writer finds or creates the sections, authors,
agencies and tags, places the pages in the tree with slugs unique among their siblings, links
them, and indexes the whole batch at once. ``import-articles`` uses it (``importing.jsonl``), and
so can any other source (a WordPress export).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from modelsearch.backends import get_search_backends
from taggit.models import Tag
from wagtail.models import Page

from khabar.news import article_text
from khabar.news.importing import tree_adapter
from khabar.news.models import Agency, ArticlePage, ArticleTag, Author, SectionPage
from khabar.news.site_tree import ensure_home_page, get_or_create_section
from khabar.news.slugs import free_slug, unicode_slug

# Slugs made from titles stay short enough to read in a shared link.
TITLE_SLUG_LENGTH = 70

# Sent once per written batch, inside its transaction, with ``pages``: the new ArticlePages.
# Indexes other than Wagtail's (khabar.search) listen here to take the batch in bulk.
articles_imported = Signal()


class PageTreeWriter:
    """Adds new pages under parents the caller already holds, with no per-page tree queries.

    Each parent's last child and its children's slugs are read once; after that, paths and
    slugs are handed out from memory, so one writer should do all the adding for a run.
    """

    def __init__(self):
        self.paths = tree_adapter.ChildPaths()
        self.sibling_slugs = {}  # parent pk -> slugs of its children

    def add_children(self, pages):
        """Save each new ``(page, parent)`` pair, in order, and count them into their parents."""
        added = Counter()
        with transaction.atomic(savepoint=False):  # all or nothing; inside a caller's transaction, no savepoint
            for page, parent in pages:
                self.place(page, parent)
                tree_adapter.save_new_child(page, parent)
                added[parent.pk] += 1
            for parent_pk, count in added.items():
                Page.objects.filter(pk=parent_pk).update(numchild=F("numchild") + count)

    def forget(self, parent):
        """Call after ``parent`` got a child some other way (``add_child``): its next path and slugs are read again."""
        self.paths.forget(parent)
        self.sibling_slugs.pop(parent.pk, None)

    def place(self, page, parent):
        """Fill in ``page``'s tree fields as the next child of ``parent``; its slug comes from its title if unset."""
        page.slug = self.free_slug(parent, page.slug or unicode_slug(page.title, TITLE_SLUG_LENGTH))
        page.path = self.paths.take(parent)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.draft_title = page.draft_title or page.title
        if page.locale_id is None:
            page.locale_id = parent.locale_id  # as Wagtail does: a child shares its parent's locale

    def free_slug(self, parent, slug):
        """``slug``, numbered if a child of ``parent`` (saved or placed by this writer) has it already."""
        taken = self.sibling_slugs.get(parent.pk)
        if taken is None:
            taken = self.sibling_slugs[parent.pk] = set(Page.objects.child_of(parent).values_list("slug", flat=True))
        slug = free_slug(slug, taken.__contains__)
        taken.add(slug)
        return slug


@dataclass
class NewArticle:
    """One article to write: an unsaved ArticlePage with its content, where it goes and whom it credits."""

    page: ArticlePage
    section: SectionPage
    authors: list = field(default_factory=list)  # names, created as Authors on first use
    credits: list = field(default_factory=list)  # agency credits as printed: "رويترز", "أ ف ب"
    tags: list = field(default_factory=list)


class ArticleWriter:
    """Writes batches of NewArticles, creating sections, agencies, authors and tags as needed.

    Pages are saved as the caller built them (live, or a draft with ``live=False``); the writer
    only places them in the tree and links what they credit.
    """

    def __init__(self, home=None, index=True):
        self.home = home or ensure_home_page()
        self.index_each_batch = index  # False: the caller calls index() itself, e.g. once for many small writes
        self.tree = PageTreeWriter()
        self.sections = {s.title: s for s in SectionPage.objects.child_of(self.home)}
        self.agencies = {a.name: a for a in Agency.objects.all()}
        self.authors = {a.name: a for a in Author.objects.all()}
        self.tags = {}  # name -> id, for tags this writer has seen

    @transaction.atomic(savepoint=False)
    def write(self, articles):
        """Save one batch in one transaction, link its people and tags, index it; returns the pages."""
        pages = [article.page for article in articles]
        with tree_adapter.bulk_indexing(ArticlePage):
            self.tree.add_children((article.page, article.section) for article in articles)
            self.link_people_and_tags(articles)
        if self.index_each_batch:
            self.index(pages)
        return pages

    def index(self, pages):
        """Add written pages to the search indexes in bulk (Wagtail's, and khabar's through ``articles_imported``)."""
        if not pages:
            return
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(ArticlePage, pages)
        articles_imported.send(sender=ArticlePage, pages=pages)

    def link_people_and_tags(self, articles):
        author_links, agency_links, tag_links = [], [], []
        tag_ids = self.tag_ids({name for article in articles for name in article.tags})
        for article in articles:
            page_id = article.page.pk
            for author_id in dict.fromkeys(self.author(name).pk for name in article.authors):
                author_links.append(ArticlePage.authors.through(articlepage_id=page_id, author_id=author_id))
            for agency_id in dict.fromkeys(self.agency(credit).pk for credit in article.credits if credit):
                agency_links.append(ArticlePage.agencies.through(articlepage_id=page_id, agency_id=agency_id))
            for name in dict.fromkeys(article.tags):
                tag_links.append(ArticleTag(content_object_id=page_id, tag_id=tag_ids[name]))
        ArticlePage.authors.through.objects.bulk_create(author_links)
        ArticlePage.agencies.through.objects.bulk_create(agency_links)
        ArticleTag.objects.bulk_create(tag_links)

    # --- lookups, created on first use ---------------------------------
    def section(self, title):
        """The top-level section titled ``title``, created and published if missing."""
        if title not in self.sections:
            self.sections[title] = get_or_create_section(self.home, title)
        return self.sections[title]

    def agency(self, credit):
        """The agency a credit names ("أ ف ب" is وكالة الصحافة الفرنسية), created if missing."""
        name = article_text.agency_name(credit)
        if name not in self.agencies:
            self.agencies[name], _ = Agency.objects.get_or_create(name=name, defaults={"credit": credit})
        return self.agencies[name]

    def author(self, name):
        if name not in self.authors:
            self.authors[name] = Author.objects.filter(name=name).first() or Author.objects.create(
                name=name,
                slug=free_slug(
                    unicode_slug(name),
                    lambda slug: Author.objects.filter(slug=slug).exists(),
                    max_length=Author._meta.get_field("slug").max_length,
                ),
            )
        return self.authors[name]

    def tag_ids(self, names):
        """Tag ids by name, for existing tags and new ones (created in one query); known names cost no query."""
        wanted = {name: self.tags[name] for name in names if name in self.tags}
        names = set(names) - set(wanted)
        if names:
            wanted.update(self._fetch_or_create_tags(names))
            self.tags.update(wanted)
        return wanted

    def _fetch_or_create_tags(self, names):
        found = {t.name: t.pk for t in Tag.objects.filter(name__in=names)}
        max_length = Tag._meta.get_field("slug").max_length
        new, taken = [], set()  # two new names may slugify alike ("Gaza", "gaza"): slugs are unique
        for name in names:
            if name not in found:
                slug = free_slug(
                    unicode_slug(name, max_length),
                    lambda s: s in taken or Tag.objects.filter(slug=s).exists(),
                    max_length=max_length,
                )
                taken.add(slug)
                new.append(Tag(name=name, slug=slug))
        Tag.objects.bulk_create(new)
        found.update({t.name: t.pk for t in Tag.objects.filter(name__in=[t.name for t in new])})
        return found
