"""The page tree of a news site: Home → Section → Article."""

from datetime import timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from khabar.arabic import estimate_reading_minutes
from khabar.news.article_text import rich_text_paragraphs, shorten
from khabar.news.blocks import ArticleBodyBlock
from khabar.pagecache import fragments

BREAKING_DEFAULT_HOURS = 6
DESCRIPTION_CHARS = 200  # the opening of the body that stands in for a missing summary


class ArticleQuerySet(PageQuerySet):
    def published(self):
        """Articles a reader may see: live and outside any private section."""
        return self.live().public()

    def newest_first(self):
        # Tie-break on the page table's id, not pk (the article table's key), so the
        # database can walk the first_published_at index instead of sorting every row.
        return self.order_by("-first_published_at", "-id")

    def for_listing(self):
        """What a teaser card needs, fetched in a fixed number of queries."""
        return self.select_related("hero_image").prefetch_related("hero_image__renditions")

    def breaking(self, now=None):
        now = now or timezone.now()
        return self.published().filter(is_breaking=True, breaking_until__gt=now).newest_first()


ArticleManager = PageManager.from_queryset(ArticleQuerySet)


def attach_sections(articles):
    """Give each article its section in one query, so listings need no query per card."""
    articles = list(articles)
    parent_paths = {a.path[: -Page.steplen] for a in articles}
    sections = {s.path: s for s in SectionPage.objects.filter(path__in=parent_paths)}
    for article in articles:
        article.__dict__["section"] = sections.get(article.path[: -Page.steplen])
    return articles


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


class HomePage(Page):
    tagline = models.CharField("الشعار", max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("tagline")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage"]
    max_count = 1

    class Meta:
        verbose_name = "الصفحة الرئيسية"

    def sections(self):
        return SectionPage.objects.child_of(self).live().order_by("path")

    def route(self, request, path_components):
        """An article (/<section>/<article>/) in one query instead of Wagtail's two per level.

        Only when the section is live, exactly as Wagtail's walk down the tree would
        require; every other path (a section's own sub-routes such as feed/) takes it.
        """
        if len(path_components) == 2 and path_components[1] not in SectionPage.OWN_ROUTES:
            section_path = f"{self.url_path}{path_components[0]}/"
            article = (
                ArticlePage.objects.filter(url_path=f"{section_path}{path_components[1]}/")
                .select_related("hero_image")
                .filter(Exists(Page.objects.filter(url_path=section_path, live=True)))
                .first()
            )
            if article is not None:
                return article.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.published().newest_first().for_listing()
        latest = attach_sections(articles[:11])
        context["lead"] = latest[0] if latest else None
        context["latest"] = latest[1:]
        shown = {a.pk for a in latest}
        context["section_blocks"] = []
        for section in self.sections():
            items = list(articles.child_of(section).exclude(pk__in=shown)[:4])
            for item in items:
                item.__dict__["section"] = section
            context["section_blocks"].append((section, items))
        return context


class SectionPage(RoutablePageMixin, Page):
    OWN_ROUTES = {"feed"}  # sub-paths the section serves itself; no article may take them (HomePage.route)

    intro = models.TextField("تعريف القسم", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage"]

    class Meta:
        verbose_name = "قسم"
        verbose_name_plural = "الأقسام"

    def articles(self):
        return ArticlePage.objects.child_of(self).published().newest_first()

    @path("")
    def index_route(self, request):
        page_obj = paginate(request, self.articles().for_listing(), listing=f"section:{self.pk}")
        page_obj.object_list = attach_sections(page_obj.object_list)
        return self.render(request, context_overrides={"page_obj": page_obj})

    @path("feed/")
    def feed(self, request):
        from khabar.news.feeds import SectionFeed

        return SectionFeed()(request, section=self)


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("news.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE)


class ArticlePage(Page):
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
        MultiFieldPanel([FieldRowPanel([FieldPanel("is_breaking"), FieldPanel("breaking_until")])], heading="عاجل"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("dateline"),
        index.SearchField("body"),
        index.FilterField("is_breaking"),
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
        ]

    def save(self, *args, **kwargs):
        if self.is_breaking and not self.breaking_until:
            start = self.go_live_at or self.first_published_at or timezone.now()
            self.breaking_until = start + timedelta(hours=BREAKING_DEFAULT_HOURS)
        return super().save(*args, **kwargs)

    @cached_property
    def section(self):
        # One query for the specific parent, where get_parent().specific takes two.
        return SectionPage.objects.filter(path=self.path[: -self.steplen]).first()

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
        """Shown as updated when republished more than a few minutes after first publication."""
        first, last = self.first_published_at, self.last_published_at
        return bool(first and last and last - first > timedelta(minutes=5))

    def related_articles(self, limit=4):
        """Newest live articles sharing a tag, topped up from the same section."""
        base = ArticlePage.objects.published().exclude(pk=self.pk).newest_first().for_listing()
        tag_ids = [tag.pk for tag in self.tag_list]
        related = list(base.filter(tagged_items__tag_id__in=tag_ids).distinct()[:limit]) if tag_ids else []
        if len(related) < limit:
            seen = [self.pk] + [a.pk for a in related]
            related += list(base.sibling_of(self).exclude(pk__in=seen)[: limit - len(related)])
        return attach_sections(related)
