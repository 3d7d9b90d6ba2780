"""The wire desk's records: each agency feed's polling state, the items it brought, and the story groups
that near-duplicate items (and recent articles) fall into."""

from django.conf import settings
from django.db import models


class FeedState(models.Model):
    """Where polling of one agency's feed stands (the feed itself is configured on the Agency snippet)."""

    agency = models.OneToOneField("news.Agency", on_delete=models.CASCADE, related_name="wire_state")
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)  # in a row; drives the back-off
    last_error = models.CharField(max_length=500, blank=True)
    # guids seen in the last successful read, for feeds whose vanished items count as withdrawn.
    seen_guids = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "حالة خدمة"
        verbose_name_plural = "حالات الخدمات"

    def __str__(self):
        return str(self.agency)


class StoryGroup(models.Model):
    """Wire items telling the same story, from one agency or several, and the recent article that did."""

    created_at = models.DateTimeField(auto_now_add=True)
    article = models.ForeignKey(
        "news.ArticlePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="a published article (last 48 h) that tells the same story",
    )

    class Meta:
        verbose_name = "مجموعة أخبار متشابهة"
        verbose_name_plural = "مجموعات الأخبار المتشابهة"


class WireItem(models.Model):
    """One agency item as last received: its identity at the agency, its cleaned text and its draft."""

    NO_ALERT, UPDATED_AFTER_PUBLISH, WITHDRAWN = "", "updated", "withdrawn"
    ALERTS = [
        (NO_ALERT, "—"),
        (UPDATED_AFTER_PUBLISH, "وصلت نسخة أحدث بعد النشر"),
        (WITHDRAWN, "سحبته الوكالة"),
    ]

    agency = models.ForeignKey("news.Agency", on_delete=models.CASCADE, related_name="wire_items")
    guid = models.CharField(max_length=500)  # RSS guid, Atom id, ninjs uri, NewsML-G2 guid
    version = models.PositiveIntegerField(default=1)
    source_updated_at = models.DateTimeField(null=True, blank=True)  # the agency's own time for this version
    url = models.URLField(max_length=1000, blank=True)
    headline = models.CharField(max_length=500)
    dateline = models.CharField(max_length=80, blank=True)
    body_html = models.TextField(blank=True)  # sanitised (nh3) and bidi-repaired
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    changed_at = models.DateTimeField(auto_now=True)  # last new version (or withdrawal) received
    times_updated = models.PositiveIntegerField(default=0)
    withdrawn = models.BooleanField(default=False)
    alert = models.CharField(max_length=12, choices=ALERTS, blank=True, default=NO_ALERT)
    signature = models.BinaryField(blank=True, default=b"")  # near-duplicate signature (khabar.wire.dedup)
    group = models.ForeignKey(StoryGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    article = models.ForeignKey(
        "news.ArticlePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="the draft made from this item, or the article it was merged into",
    )
    handled_at = models.DateTimeField(null=True, blank=True)  # null: «لم يُعالج بعد»
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "خبر وارد"
        verbose_name_plural = "الأخبار الواردة"
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["agency", "guid"], name="wire_item_once_per_agency")]
        indexes = [
            models.Index(fields=["-received_at"], condition=models.Q(handled_at__isnull=True), name="wire_unhandled_idx"),
        ]

    def __str__(self):
        return self.headline
