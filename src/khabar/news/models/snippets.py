"""People and organisations credited on articles."""

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

from khabar.news.slugs import unicode_slug


class Author(index.Indexed, models.Model):
    name = models.CharField("الاسم", max_length=120)
    slug = models.SlugField("المعرّف في الرابط", max_length=120, unique=True, allow_unicode=True)
    role = models.CharField("الصفة", max_length=120, blank=True)
    bio = models.TextField("نبذة", blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="الصورة"
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("role"), FieldPanel("bio"), FieldPanel("photo")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "كاتب"
        verbose_name_plural = "الكتّاب"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unicode_slug(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("author", args=[self.slug])


FEED_FORMATS = [
    ("auto", "تلقائي"),
    ("rss", "RSS 2.0"),
    ("atom", "Atom"),
    ("ninjs", "IPTC ninjs 2"),
    ("newsml", "NewsML-G2"),
]


class Agency(models.Model):
    """A news agency whose copy an article carries: "(رويترز)", "(أ ف ب)", "(وكالات)"."""

    name = models.CharField("الاسم", max_length=120, unique=True)
    credit = models.CharField(
        "صيغة الإسناد", max_length=60, blank=True, help_text="ما يظهر بين قوسين في آخر الخبر، مثل: أ ف ب"
    )
    url = models.URLField("الموقع", blank=True)
    # The agency's wire feed, read by khabar.wire (which keeps the feed's polling state itself).
    feed_url = models.URLField("رابط خدمة الأخبار", max_length=500, blank=True)
    feed_format = models.CharField("صيغة الخدمة", max_length=10, choices=FEED_FORMATS, default="auto")
    feed_section = models.ForeignKey(
        "news.SectionPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="القسم الذي تذهب إليه مسوداتها",
    )
    feed_interval = models.PositiveIntegerField(
        "كل كم دقيقة تُقرأ", default=5, validators=[MinValueValidator(1)],
    )
    feed_vanished_withdrawn = models.BooleanField(
        "ما يختفي من الخدمة يُعدّ مسحوباً", default=False,
        help_text="لخدمات تحذف الخبر الملغى بدل أن تعلن إلغاءه",
    )

    panels = [
        FieldPanel("name"), FieldPanel("credit"), FieldPanel("url"),
        MultiFieldPanel(
            [FieldPanel("feed_url"), FieldPanel("feed_format"), FieldPanel("feed_section"), FieldPanel("feed_interval"),
             FieldPanel("feed_vanished_withdrawn")],
            heading="خدمة الأخبار (الوارد)",
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "وكالة"
        verbose_name_plural = "الوكالات"

    def __str__(self):
        return self.name

    @property
    def credit_text(self):
        return self.credit or self.name
