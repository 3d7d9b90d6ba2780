"""What the most-read lists are made of: views per article and hour, and the two rankings built from them.

No row holds anything about a reader: an article, an hour, a number.
"""

from django.db import models


class HourlyViews(models.Model):
    """Views of one article in one hour (UTC, on the hour), kept ``aggregation.KEEP_DAYS``."""

    page = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name="الخبر")
    hour = models.DateTimeField("الساعة")
    views = models.PositiveIntegerField("القراءات", default=0)

    class Meta:
        verbose_name = "قراءات ساعة"
        verbose_name_plural = "القراءات بالساعة"
        constraints = [models.UniqueConstraint(fields=["page", "hour"], name="mostread_one_row_per_page_hour")]
        indexes = [models.Index(fields=["hour"], name="mostread_hour")]


class DrainedMinute(models.Model):
    """A minute of counters already moved into HourlyViews: written in the same transaction, so never twice."""

    minute = models.BigIntegerField("الدقيقة", primary_key=True)  # minutes since 1970 (counters.minute_of)


class Period(models.TextChoices):
    DAY = "day", "خلال 24 ساعة"
    WEEK = "week", "خلال 7 أيام"


class Ranking(models.Model):
    """One place in a most-read list, rewritten by every aggregation; pages read these rows only."""

    period = models.CharField("المدة", max_length=8, choices=Period.choices)
    rank = models.PositiveSmallIntegerField("الترتيب")
    page = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name="الخبر")
    views = models.PositiveIntegerField("القراءات")
    url = models.CharField("الرابط", max_length=2048)

    class Meta:
        verbose_name = "ترتيب الأكثر قراءة"
        verbose_name_plural = "ترتيب الأكثر قراءة"
        constraints = [models.UniqueConstraint(fields=["period", "rank"], name="mostread_one_page_per_place")]
        ordering = ["period", "rank"]
