"""What the search index stores: one analysed document per live article, and the editors' query log."""

from django.db import models


class SearchDocument(models.Model):
    """An article as the index sees it: its words folded and stemmed, field by field.

    ``*_terms`` hold the folded surface form of each word and ``*_stems`` its stem,
    position for position, space-separated, stopwords already dropped. The engine
    tables (SQLite FTS5, PostgreSQL tsvector columns) are built from these and are
    created per database vendor by migration 0002 (see ``khabar.search.backends``).
    """

    page = models.OneToOneField(
        "news.ArticlePage", primary_key=True, on_delete=models.CASCADE, related_name="+",
        # A derived table: a row may briefly outlive its page until the index task runs.
        db_constraint=False,
    )
    section_id = models.IntegerField(null=True, db_index=True)
    published_at = models.DateTimeField(db_index=True)
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500, blank=True)
    title_terms = models.TextField(blank=True)
    title_stems = models.TextField(blank=True)
    lead_terms = models.TextField(blank=True)
    lead_stems = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    body_stems = models.TextField(blank=True)

    class Meta:
        db_table = "khabar_search_document"
        verbose_name = "وثيقة فهرس البحث"

    def __str__(self):
        return self.title


class SearchQueryLog(models.Model):
    """How often a folded query was searched on one day, and how often it found nothing.

    Counts only: no IP address, no user, no session, no raw spelling.
    """

    day = models.DateField("اليوم")
    query = models.CharField("عبارة البحث", max_length=200)
    searches = models.PositiveIntegerField("عدد مرات البحث", default=0)
    zero_results = models.PositiveIntegerField("مرات بلا نتائج", default=0)

    class Meta:
        db_table = "khabar_search_query_log"
        verbose_name = "سجل عبارات البحث"
        verbose_name_plural = "سجل عبارات البحث"
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="khabar_search_query_per_day")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.day} {self.query}"
