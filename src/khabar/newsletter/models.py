"""Subscribers, the issues sent to them, and one delivery row per subscriber per issue."""

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from khabar.identity.email import normalise_email

# The lists a reader may join; each is a boolean column on Subscriber.
LISTS = {
    "daily": "النشرة اليومية",
    "weekly": "النشرة الأسبوعية",
    "breaking": "الأخبار العاجلة «عاجل»",
}
LIST_CHOICES = list(LISTS.items())


class SubscriberQuerySet(models.QuerySet):
    def receiving(self, list_name):
        """Confirmed subscribers who want ``list_name`` (daily, weekly or breaking)."""
        return self.filter(status=Subscriber.Status.ACTIVE, **{list_name: True})


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "بانتظار التأكيد"
        ACTIVE = "active", "مشترك"
        UNSUBSCRIBED = "unsubscribed", "ألغى الاشتراك"
        BOUNCED = "bounced", "عنوان مرتدّ"

    email = models.EmailField("البريد الإلكتروني", max_length=254, unique=True)
    name = models.CharField("الاسم", max_length=100, blank=True)
    status = models.CharField("الحالة", max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    daily = models.BooleanField(LISTS["daily"], default=False)
    weekly = models.BooleanField(LISTS["weekly"], default=False)
    breaking = models.BooleanField(LISTS["breaking"], default=False)
    created_at = models.DateTimeField("تاريخ التسجيل", default=timezone.now, db_index=True)
    requested_at = models.DateTimeField("آخر طلب اشتراك", default=timezone.now)
    confirmation_sent_at = models.DateTimeField("آخر رسالة تأكيد", null=True, blank=True)
    confirmed_at = models.DateTimeField("تاريخ التأكيد", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("تاريخ الإلغاء", null=True, blank=True)
    bounce_count = models.PositiveIntegerField("مرات الارتداد", default=0)
    bounced_at = models.DateTimeField("تاريخ الارتداد", null=True, blank=True)
    updated_at = models.DateTimeField("آخر تعديل", auto_now=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = "مشترك"
        verbose_name_plural = "المشتركون"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.email

    def clean(self):
        # Before the admin form's uniqueness check, so "Ali@…" is found to be "ali@…".
        self.email = normalise_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def lists(self):
        """The names of the lists this subscriber has chosen, in display order."""
        return [name for name in LISTS if getattr(self, name)]

    @property
    def lists_label(self):
        return "، ".join(LISTS[name] for name in self.lists) or "—"


class Issue(models.Model):
    """One send: a digest, a breaking-news alert or a test copy, with the articles it carries."""

    class Kind(models.TextChoices):
        DAILY = "daily", "يومية"
        WEEKLY = "weekly", "أسبوعية"
        BREAKING = "breaking", "عاجل"
        TEST = "test", "نسخة تجريبية"

    kind = models.CharField("النوع", max_length=16, choices=Kind.choices, db_index=True)
    subject = models.CharField("الموضوع", max_length=250)
    # Unique per send, so two concurrent runs cannot build the same issue twice:
    # "daily:after:<previous issue id>" for digests, "breaking:<article id>" for alerts.
    key = models.CharField(max_length=100, unique=True, null=True, blank=True, editable=False)
    source = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="test_copies",
        verbose_name="نسخة تجريبية من",
    )
    articles = models.ManyToManyField(
        "news.ArticlePage", through="IssueArticle", related_name="+", verbose_name="الأخبار"
    )
    covers_since = models.DateTimeField("الأخبار منذ", null=True, blank=True)
    covers_until = models.DateTimeField("الأخبار حتى", null=True, blank=True)
    created_at = models.DateTimeField("تاريخ الإنشاء", default=timezone.now, db_index=True)
    finished_at = models.DateTimeField("اكتمل الإرسال", null=True, blank=True)
    watch_token = models.CharField(max_length=16, blank=True, editable=False)

    class Meta:
        verbose_name = "عدد"
        verbose_name_plural = "أعداد النشرة"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    @property
    def layout(self):
        """Which mail template renders this issue: a test copy looks like what it copies."""
        if self.kind == self.Kind.TEST and self.source_id:
            return self.source.kind
        return self.kind

    def article_list(self):
        return [item.article for item in self.items.select_related("article").order_by("position")]


class IssueArticle(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["issue", "article"], name="newsletter_issue_article_once")]


class DeliveryQuerySet(models.QuerySet):
    def progress(self):
        """Counts by status, e.g. {"pending": 10, "sent": 90, …}; every status is present."""
        counts = dict.fromkeys(Delivery.Status.values, 0)
        counts.update(self.values_list("status").annotate(n=Count("pk")).order_by())
        return counts


def progress_annotations(prefix="deliveries__"):
    """Per-status counts for an Issue queryset, for the admin's progress columns."""
    pending = [Delivery.Status.PENDING, Delivery.Status.CLAIMED, Delivery.Status.SENDING]
    return {
        "pending_count": Count("deliveries", filter=Q(**{f"{prefix}status__in": pending})),
        "sent_count": Count("deliveries", filter=Q(**{f"{prefix}status": Delivery.Status.SENT})),
        "failed_count": Count("deliveries", filter=Q(**{f"{prefix}status": Delivery.Status.FAILED})),
        "unknown_count": Count("deliveries", filter=Q(**{f"{prefix}status": Delivery.Status.UNKNOWN})),
        "total_count": Count("deliveries"),
    }


class Delivery(models.Model):
    """One subscriber's copy of one issue, and how far it got.

    pending → claimed (a worker holds a lease) → sending (the SMTP server is
    about to accept it) → sent. A crash leaves "claimed" (provably never handed
    over: resent) or "sending" (maybe handed over: becomes "unknown", never resent
    automatically). See khabar/newsletter/sending.py.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "بالانتظار"
        CLAIMED = "claimed", "محجوز للإرسال"
        SENDING = "sending", "قيد الإرسال"
        SENT = "sent", "أُرسل"
        FAILED = "failed", "فشل"
        UNKNOWN = "unknown", "غير مؤكد"
        SKIPPED = "skipped", "تُخطّي"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    claim_token = models.CharField(max_length=32, null=True, blank=True, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = "نسخة مرسلة"
        verbose_name_plural = "النسخ المرسلة"
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletter_one_delivery_per_subscriber")
        ]
        indexes = [models.Index(fields=["issue", "status", "next_attempt_at"], name="newsletter_delivery_queue")]

    def __str__(self):
        return f"{self.email} ({self.get_status_display()})"
