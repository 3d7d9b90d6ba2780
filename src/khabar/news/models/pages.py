"""The page tree of a news site: Home → Section → Article."""

import math
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import Exists, Max, OuterRef, Q, Subquery, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from khabar import pagecache
from khabar.arabic import estimate_reading_minutes
from khabar.news.article_text import rich_text_paragraphs, shorten
from khabar.news.blocks import ArticleBodyBlock
from khabar.news.routing_cache import KnownRestrictionsMixin
from khabar.pagecache import fragments

BREAKING_DEFAULT_HOURS = 6
HOME_TOP_ITEMS = 11  # the lead and the ten of «آخر الأخبار»
SECTION_BLOCK_ITEMS = 4
# Path lengths of sections at depth 3 and 4 (top-level and second-level): migration 0006 indexes both.
SECTION_PREFIX_INDEXES = (12, 16)
DESCRIPTION_CHARS = 200  # the opening of the body that stands in for a missing summary
# Tie-break on the page table's id, not pk (the article table's key), so the database can walk
# the first_published_at index instead of sorting every row.
NEWEST_FIRST = ("-first_published_at", "-id")


class ArticleQuerySet(PageQuerySet):
    def published(self):
        """Articles a reader may see: live and outside any private section."""
        return self.live().public()

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def newest_in(self, section):
        """Articles under ``section`` (its sub-sections' too), newest first, read through an index."""
        return newest_in_section(self, section)

    def newest_tagged(self, tag_ids, reading):
        """Articles carrying any of these tags, newest first, for a caller that reads ``reading`` rows.

        SQLite answers "newest first" by walking the date index until enough rows carry a tag:
        quick for a common tag, nearly the whole table for a rare one. Reading the tag's own rows
        and sorting them costs about ``uses`` rows against ``reading * total / uses`` for the walk;
        the cheaper is taken. PostgreSQL makes this choice itself from its statistics.
        """
        tagged = self.filter(tagged_items__tag_id__in=tag_ids).distinct()
        if connection.vendor != "sqlite":
            return tagged.newest_first()
        total = ArticlePage.objects.aggregate(total=Max("page_ptr"))["total"] or 0  # about the count, from the key's index
        # Counted only as far as the choice needs: a common tag stops the count early.
        enough = math.isqrt(reading * total) + 1
        uses = ArticleTag.objects.filter(tag_id__in=tag_ids)[:enough].count()
        return tagged.sorted_newest_first() if uses * uses <= reading * total else tagged.newest_first()

    def sorted_newest_first(self):
        """newest_first, sorted after filtering: ordering on an expression keeps SQLite off the date index."""
        return self.order_by(Coalesce("first_published_at", "last_published_at").desc(), "-id")

    def for_listing(self):
        """What a teaser card needs, fetched in a fixed number of queries."""
        return self.select_related("hero_image").prefetch_related("hero_image__renditions")

    def breaking(self, now=None):
        now = now or timezone.now()
        return self.published().filter(breaking_now_q(now)).newest_first()

    def with_newest_note(self):
        """Annotate ``newest_note_at`` (the time of the latest «تحديث»/«تصحيح»), for dateModified in lists."""
        newest = ArticleNote.objects.filter(page=OuterRef("pk")).order_by("-noted_at").values("noted_at")[:1]
        return self.annotate(newest_note_at=Subquery(newest))


def newest_in_section(pages, section):
    """``pages`` under ``section`` (its sub-sections' too), newest first, read through an index.

    "Newest first" alone walks the date index over every article until enough fall in the
    section: nearly the whole table for a small section, or for a big one whose latest story is
    old (55-67 ms at 100,000 articles). Migration 0007 indexes the pages by their top-level and
    second-level section's path and date; this filter is written as that index's expression.
    """
    if len(section.path) not in SECTION_PREFIX_INDEXES:
        return pages.descendant_of(section).order_by(*NEWEST_FIRST)
    prefix = RawSQL(f'substr("wagtailcore_page"."path", 1, {len(section.path)})', ())
    return pages.alias(section_prefix=prefix).filter(section_prefix=section.path).order_by(*NEWEST_FIRST)


def published_article_ids():
    """The ids of the articles a reader may see, from Wagtail's page table alone.

    Migration 0007's indexes hold every column this filters on, so a listing built on it skips
    and counts articles in the index without reading their rows. An article is told by its
    content type: ArticlePage has no subclasses.
    """
    article_type = ContentType.objects.get_for_model(ArticlePage)  # kept per process by Django
    return Page.objects.live().public().filter(content_type=article_type).values_list("id", flat=True)


class KeyedListing:
    """A listing a paginator slices in two steps: the page's ids from ``ids``, then their ``rows``.

    Page 50 of a section skips 980 articles: as ids in an index that costs well under a
    millisecond, as rows read from two tables it cost 10 ms at 100,000 articles.
    """

    def __init__(self, rows, ids):
        self.rows, self.ids = rows, ids

    def count(self):
        return self.ids.count()

    def __getitem__(self, window):
        ids = list(self.ids[window])
        found = self.rows.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]  # one unpublished in between is left out


def breaking_now_q(now):
    """Articles whose «عاجل» flag is on and not yet past its end (a missing end counts as ended)."""
    return Q(is_breaking=True, breaking_until__gt=now)


ArticleManager = PageManager.from_queryset(ArticleQuerySet)


def attach_sections(articles):
    """Give each article its section in one query, so listings need no query per card."""
    articles = list(articles)
    parent_paths = {a.path[: -Page.steplen] for a in articles}
    sections = {s.path: s for s in SectionPage.objects.filter(path__in=parent_paths)}
    for article in articles:
        article.__dict__["section"] = sections.get(article.path[: -Page.steplen])
    return articles


def sections_above(page):
    """The sections that hold ``page``, the top-level one first, in one query (breadcrumbs)."""
    paths = [page.path[:end] for end in range(page.steplen, len(page.path), page.steplen)]
    return list(SectionPage.objects.filter(path__in=paths).order_by("path"))


class ListingPaginator(Paginator):
    """A paginator that counts a listing once per site-wide purge, not on every request.

    ``COUNT(*)`` over a large section costs tens of milliseconds; the total only
    changes when something is published, which purges the shared count too.
    """

    def __init__(self, queryset, per_page, listing):
        super().__init__(queryset, per_page)
        self.listing = listing

    @cached_property
    def count(self):
        total, _ = fragments.cached(f"count:{self.listing}", lambda: (self.object_list.count(), None))
        return total


def paginate(request, queryset, listing, per_page=None):
    """One page of ``listing`` (a name for its shared count); a bad or out-of-range ?page= falls back."""
    paginator = ListingPaginator(queryset, per_page or settings.KHABAR_ARTICLES_PER_PAGE, listing)
    return paginator.get_page(request.GET.get("page"))


class HomePage(KnownRestrictionsMixin, Page):
    tagline = models.CharField("الشعار", max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("tagline")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage", "news.InfoPage"]
    max_count = 1

    class Meta:
        verbose_name = "الصفحة الرئيسية"

    def sections(self):
        """The top-level sections (sub-sections show inside their parent's block and listing)."""
        return SectionPage.objects.child_of(self).live().order_by("path")

    def route(self, request, path_components):
        """An article (/<section>/[<sub-section>/]<article>/) in one query instead of Wagtail's two per level.

        Only when its section is live, exactly as Wagtail's walk down the tree would
        require. A sub-section (/<section>/<sub-section>/) comes with the sections above
        it in one query too. Every other path (a section's own sub-routes such as feed/,
        an info page at /<slug>/) takes Wagtail's walk.
        """
        if len(path_components) >= 2 and path_components[-1] not in SectionPage.OWN_ROUTES:
            section_path = f"{self.url_path}{'/'.join(path_components[:-1])}/"
            url_path = f"{section_path}{path_components[-1]}/"

            def find_article():
                found = (
                    ArticlePage.objects.filter(url_path=url_path)
                    .select_related("hero_image")
                    .filter(Exists(Page.objects.filter(url_path=section_path, live=True)))
                    .first()
                )
                return found, None

            # Kept until the next site-wide purge (any publish, move or delete is one), like the
            # article's own rendered parts: a page-cache miss of a live article then runs no query.
            article, _ = fragments.cached(f"route:{url_path}", find_article, keep=lambda found: bool(found and found.live))
            if article is not None:
                return article.route(request, [])
            url_paths = [f"{self.url_path}{'/'.join(path_components[:n])}/" for n in range(1, len(path_components) + 1)]
            chain = list(SectionPage.objects.filter(url_path__in=url_paths).order_by("path"))
            if len(chain) == len(url_paths) and chain[-1].live:
                section = chain[-1]
                section.__dict__["parent_sections"] = chain[:-1]
                return section.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read by the template only when its shared fragment must be rebuilt: a kept one runs no query.
        context["home"] = HomeBlocks(self, request)
        return context

    def top_articles(self, articles, limit=HOME_TOP_ITEMS, now=None):
        """The lead and «آخر الأخبار» out of ``articles`` (published, newest first): breaking ones while
        their flag lasts, then pinned ones, each group newest first, then the newest others.

        Two short queries, each walking indexes (the partial ones of pinned and of breaking rows, as a
        UNION: an OR would make the database walk every article by date; then first_published_at),
        rather than one that sorts every article by is_pinned. Once its flag ends, a breaking article
        falls back to its place by publication time.
        """
        now = now or timezone.now()
        articles = articles.select_related("hero_image")
        leading = ArticlePage.objects.order_by().filter(is_pinned=True).values("pk").union(
            ArticlePage.objects.order_by().filter(breaking_now_q(now)).values("pk")
        )
        pinned = list(articles.filter(pk__in=leading)[:limit])
        # Stable sort: newest first within each group, as the query returned them.
        pinned.sort(key=lambda article: not article.is_breaking_at(now))
        rest = list(articles.exclude(pk__in=[a.pk for a in pinned])[: limit - len(pinned)]) if len(pinned) < limit else []
        top = pinned + rest
        prefetch_related_objects(top, "hero_image__renditions")  # one query for both lists
        return attach_sections(top)


class HomeBlocks:
    """What the home page lists: the lead, «آخر الأخبار» and one block per section, each read on first use."""

    def __init__(self, home, request):
        self.home, self.request = home, request

    @cached_property
    def articles(self):
        # published() reads the view restrictions (a query) once: every list below derives from this queryset.
        return ArticlePage.objects.published().newest_first()

    @cached_property
    def top(self):
        top = self.home.top_articles(self.articles)
        # A breaking lead loses its place at its end with nobody publishing: the cached home must go then.
        pagecache.expire_at(self.request, min((a.breaking_until for a in top if a.is_breaking_now), default=None))
        return top

    @property
    def lead(self):
        return self.top[0] if self.top else None

    @property
    def latest(self):
        return self.top[1:]

    @cached_property
    def section_blocks(self):
        shown = {a.pk for a in self.top}
        sections = list(self.home.sections())
        articles = self.articles.for_listing()
        blocks = [
            (section, list(articles.newest_in(section).exclude(pk__in=shown)[:SECTION_BLOCK_ITEMS]))
            for section in sections
        ]
        # An article of a sub-section belongs to it, not to the block's section: one query finds those.
        by_path = {s.path: s for s in sections}
        in_subsections = []
        for _, items in blocks:
            for item in items:
                parent = by_path.get(item.path[: -Page.steplen])
                if parent is None:
                    in_subsections.append(item)
                else:
                    item.__dict__["section"] = parent
        attach_sections(in_subsections)
        return blocks


class SectionManager(PageManager):
    """Every query starts from the few rows of the section table.

    SQLite keeps no statistics unless asked: given a tree filter (child_of, live) and an order by
    path, it walks Wagtail's whole page table (every article: 40-150 ms at 100,000) to find the
    dozen sections. A filter on the section table's own keys makes it read those first. (Running
    ANALYZE instead was measured and rejected: it sent the article listings onto slower plans.)
    """

    def get_queryset(self):
        own_keys = models.QuerySet(self.model).order_by().values("pk")
        return super().get_queryset().filter(pk__in=own_keys)


class SectionPage(KnownRestrictionsMixin, RoutablePageMixin, Page):
    OWN_ROUTES = {"feed"}  # sub-paths the section serves itself; no article may take them (HomePage.route)

    intro = models.TextField("تعريف القسم", blank=True)

    objects = SectionManager()

    content_panels = Page.content_panels + [FieldPanel("intro")]
    # A section may hold sub-sections (العالم → الشرق الأوسط); its listing includes theirs.
    parent_page_types = ["news.HomePage", "news.SectionPage"]
    subpage_types = ["news.ArticlePage", "news.SectionPage"]

    class Meta:
        verbose_name = "قسم"
        verbose_name_plural = "الأقسام"

    def articles(self):
        """Published articles of this section and of its sub-sections, newest first."""
        return ArticlePage.objects.published().newest_in(self)

    @cached_property
    def parent_sections(self):
        """The sections above this one, top first; empty for a top-level section (HomePage.route fills it)."""
        parent = self.get_parent()  # kept by Wagtail's walk down the tree: no query when routed
        if parent is None or not issubclass(parent.specific_class or Page, SectionPage):
            return []
        return sections_above(self)

    @path("")
    def index_route(self, request):
        # The ids already passed articles()'s filters; live is checked again for a change in between.
        articles = KeyedListing(ArticlePage.objects.live().for_listing(), newest_in_section(published_article_ids(), self))
        page_obj = paginate(request, articles, listing=f"section:{self.pk}")
        page_obj.object_list = attach_sections(page_obj.object_list)
        # Cards name their section once sub-sections' articles mix into the list.
        mixed = any(article.section != self for article in page_obj.object_list)
        return self.render(request, context_overrides={"page_obj": page_obj, "show_section": mixed})

    @path("feed/")
    def feed(self, request):
        from khabar.news.feeds import SectionFeed

        return SectionFeed()(request, section=self)


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("news.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE)


class ArticleNote(Orderable):
    """A dated «تحديث» or «تصحيح» the desk adds to a published article; shown with its time on the page.

    Its time, not a republish, is what readers and search engines see as the story's change
    (dateModified): lists keep ordering by first publication, so a note never lifts an old story.
    """

    UPDATE, CORRECTION = "update", "correction"
    KINDS = [(UPDATE, "تحديث"), (CORRECTION, "تصحيح")]

    page = ParentalKey("news.ArticlePage", related_name="notes", on_delete=models.CASCADE)
    kind = models.CharField("النوع", max_length=12, choices=KINDS, default=UPDATE)
    noted_at = models.DateTimeField("الوقت", default=timezone.now)
    text = models.TextField("النص")

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("noted_at")]), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = "تحديث أو تصحيح"
        verbose_name_plural = "التحديثات والتصحيحات"


class ArticlePage(KnownRestrictionsMixin, Page):
    summary = models.TextField("الموجز", blank=True, help_text="سطران يظهران في القوائم ومحركات البحث")
    dateline = models.CharField(
        "مكان الخبر", max_length=80, blank=True, help_text="يظهر قبل مطلع الخبر، مثل: موسكو"
    )
    body = StreamField(ArticleBodyBlock(), verbose_name="المتن", blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="الصورة الرئيسية",
    )
    hero_caption = models.CharField("تعليق الصورة", max_length=250, blank=True)
    hero_credit = models.CharField("مصدر الصورة", max_length=120, blank=True)
    authors = ParentalManyToManyField("news.Author", blank=True, related_name="articles", verbose_name="الكتّاب")
    agencies = ParentalManyToManyField("news.Agency", blank=True, related_name="articles", verbose_name="الوكالات")
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name="الوسوم")
    is_breaking = models.BooleanField("عاجل", default=False)
    is_pinned = models.BooleanField(
        "مثبت في الرئيسية", default=False,
        help_text="يظهر أولاً في الصفحة الرئيسية قبل الأخبار الأحدث منه؛ أحدث خبر مثبت يتصدرها",
    )
    comments_open = models.BooleanField(
        "التعليقات مفتوحة", default=True,
        help_text="إذا أُلغي التحديد تبقى التعليقات المنشورة ظاهرة ولا يُقبل تعليق جديد",
    )
    breaking_until = models.DateTimeField(
        "عاجل حتى", null=True, blank=True,
        help_text=f"يختفي من شريط العاجل بعد هذا الوقت؛ يترك فارغاً ليكون {BREAKING_DEFAULT_HOURS} ساعات من النشر",
    )
    import_id = models.CharField(
        "معرّف الاستيراد", max_length=120, unique=True, null=True, blank=True, editable=False,
        help_text="معرّف السجل في ملف الاستيراد، يمنع تكرار الخبر عند إعادة الاستيراد",
    )
    source_name = models.CharField("المصدر الأصلي", max_length=120, blank=True, help_text="المنفذ الذي نشر الخبر أولاً")
    source_url = models.URLField("رابط المصدر", max_length=500, blank=True)

    objects = ArticleManager()

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("dateline"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldRowPanel([FieldPanel("hero_caption"), FieldPanel("hero_credit")])],
            heading="الصورة",
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("authors"), FieldPanel("agencies"), FieldPanel("source_name"), FieldPanel("source_url"),
             FieldPanel("tags")],
            heading="الإسناد والوسوم",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("is_breaking"), FieldPanel("breaking_until")]),
             FieldRowPanel([FieldPanel("is_pinned"), FieldPanel("comments_open")])],
            heading="الظهور",
        ),
        InlinePanel("notes", heading="التحديثات والتصحيحات", label="تحديث أو تصحيح"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("dateline"),
        index.SearchField("body"),
        index.FilterField("is_breaking"),
        index.FilterField("is_pinned"),
        index.FilterField("first_published_at"),
    ]
    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = "خبر"
        verbose_name_plural = "الأخبار"
        indexes = [
            # The ticker runs on every page; without this it scans every article body.
            models.Index(fields=["breaking_until"], condition=models.Q(is_breaking=True), name="article_breaking_idx"),
            # The home page reads the few pinned articles on every render; a partial index keeps that
            # a walk over those rows, never a scan (or sort) of the whole article table.
            models.Index(fields=["page_ptr"], condition=models.Q(is_pinned=True), name="article_pinned_idx"),
        ]

    def save(self, *args, **kwargs):
        if self.is_breaking and not self.breaking_until:
            start = self.go_live_at or self.first_published_at or timezone.now()
            self.breaking_until = start + timedelta(hours=BREAKING_DEFAULT_HOURS)
        return super().save(*args, **kwargs)

    def is_breaking_at(self, moment):
        """Whether the «عاجل» flag is on at ``moment``: it ends at breaking_until."""
        return bool(self.is_breaking and self.breaking_until and self.breaking_until > moment)

    @property
    def is_breaking_now(self):
        """Breaking right now: the ticker, the home page's lead, the badge and the JSON-LD follow this."""
        return self.is_breaking_at(timezone.now())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.is_breaking_now:
            # The badge and the JSON-LD's genre go at the flag's end: so must the cached page.
            pagecache.expire_at(request, self.breaking_until)
        return context

    @cached_property
    def note_list(self):
        """The «تحديث»/«تصحيح» notes in the order they happened (one query; in memory in a preview)."""
        return sorted(self.notes.all(), key=lambda note: note.noted_at)

    @property
    def modified_at(self):
        """When the story last changed for readers: the later of its last publication and its newest note.

        Lists annotate ``newest_note_at`` (ArticleQuerySet.with_newest_note) to spare a query per item.
        """
        if "newest_note_at" in self.__dict__:
            newest_note = self.__dict__["newest_note_at"]
        else:
            newest_note = self.note_list[-1].noted_at if self.note_list else None
        times = [t for t in (self.last_published_at, self.first_published_at, newest_note) if t]
        return max(times) if times else None

    @cached_property
    def section_trail(self):
        """The sections above the article, top first: العالم, then الشرق الأوسط (breadcrumbs)."""
        return sections_above(self)

    @cached_property
    def section(self):
        # The trail costs the one query the parent alone would, where get_parent().specific takes two.
        trail = self.section_trail
        return trail[-1] if trail and trail[-1].path == self.path[: -self.steplen] else None

    # Each list is read by the template, the JSON-LD and the related-articles query: fetch once.
    @cached_property
    def author_list(self):
        return list(self.authors.all())

    @cached_property
    def agency_list(self):
        return list(self.agencies.all())

    @cached_property
    def tag_list(self):
        return list(self.tags.all())

    @property
    def credit(self):
        """The agency credit shown after the body, e.g. "وكالات" or "رويترز، أ ف ب"."""
        return "، ".join(agency.credit_text for agency in self.agency_list)

    def plain_text(self):
        """The body as text, paragraphs apart by a blank line, for reading time, feeds and meta descriptions."""
        parts = []
        for block in self.body:
            if block.block_type == "text":
                parts.extend(rich_text_paragraphs(block.value.source))
            elif block.block_type == "quote":
                parts.append(block.value["text"])
        return "\n\n".join(p.strip() for p in parts if p.strip())

    @cached_property
    def description(self):
        """The summary, or the opening of the body (whole words, about 200 characters) when the desk wrote none."""
        return self.summary or shorten(self.plain_text(), DESCRIPTION_CHARS)

    @property
    def reading_minutes(self):
        return estimate_reading_minutes(self.plain_text())

    def is_updated(self):
        """Shown as updated when republished, or given a note, more than a few minutes after first publication."""
        first, last = self.first_published_at, self.modified_at
        return bool(first and last and last - first > timedelta(minutes=5))

    def related_articles(self, limit=4):
        """Newest live articles sharing a tag, topped up from the same section."""
        base = ArticlePage.objects.published().exclude(pk=self.pk).for_listing()
        tag_ids = [tag.pk for tag in self.tag_list]
        related = []
        if tag_ids:
            related = list(base.newest_tagged(tag_ids, reading=limit)[:limit])
        if len(related) < limit:
            seen = [self.pk] + [a.pk for a in related]
            section = self.section
            if section is not None:
                in_section = base.newest_in(section).exclude(pk__in=seen)
                related += list(in_section[: limit - len(related)])
        return attach_sections(related)


class InfoPage(KnownRestrictionsMixin, Page):
    """A page of its own under the home page, such as «من نحن» or «اتصل بنا», served at /<slug>/."""

    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name="المتن")

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["news.HomePage"]
    subpage_types = []
    template = "news/info_page.html"

    class Meta:
        verbose_name = "صفحة"
        verbose_name_plural = "صفحات"
