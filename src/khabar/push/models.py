"""What web push keeps: the site's VAPID key, the browsers' subscriptions, and one alert per breaking article.

A subscription is what the browser's PushManager gave us and nothing more: the push service's
endpoint URL and the two public keys that encrypt for it. No address, no user agent, no account.
"""

from django.db import models
from django.utils import timezone

# Browsers' endpoints are 150-400 characters; the cap keeps junk out and fits a unique index.
MAX_ENDPOINT_LENGTH = 1024


class VapidKey(models.Model):
    """The site's VAPID key pair, made on first use (one row) unless KHABAR_VAPID_PRIVATE_KEY is set.

    Kept in the database, not a file, so every web process, worker and machine signs with the same
    key: a browser accepts pushes only from the key it subscribed with.
    """

    private_key = models.CharField("المفتاح الخاص", max_length=64, editable=False)  # base64url, 32 bytes
    created_at = models.DateTimeField("أُنشئ", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "مفتاح VAPID"
        verbose_name_plural = "مفاتيح VAPID"

    def __str__(self):
        return f"VAPID ({self.created_at:%Y-%m-%d})"


class Subscription(models.Model):
    endpoint = models.CharField("عنوان خدمة التنبيهات", max_length=MAX_ENDPOINT_LENGTH, unique=True)
    p256dh = models.CharField("مفتاح التشفير", max_length=100)
    auth = models.CharField("سر المصادقة", max_length=32)
    created_at = models.DateTimeField("تاريخ الاشتراك", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "اشتراك تنبيهات"
        verbose_name_plural = "اشتراكات التنبيهات"

    def __str__(self):
        return f"#{self.pk}"

    def as_subscription_info(self):
        """The dict pywebpush takes, the same shape as the browser's PushSubscription.toJSON()."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class BreakingAlert(models.Model):
    """The push for one breaking article: its row is what makes a second publish send nothing.

    Senders claim subscriptions in id order by moving ``cursor`` forward (an atomic compare and
    set), so two workers never send the same batch; failures to retry wait in ``PendingRetry``.
    """

    article = models.OneToOneField(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name="الخبر"
    )
    created_at = models.DateTimeField("بدأ", default=timezone.now)
    cursor = models.BigIntegerField("آخر اشتراك أُخذ", default=0)
    sent_count = models.PositiveIntegerField("وصل", default=0)
    gone_count = models.PositiveIntegerField("اشتراكات منتهية حُذفت", default=0)
    failed_count = models.PositiveIntegerField("محاولات فاشلة", default=0)
    finished_at = models.DateTimeField("اكتمل", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "تنبيه عاجل"
        verbose_name_plural = "تنبيهات العاجل"

    def __str__(self):
        return f"تنبيه الخبر #{self.article_id}"


class PendingRetry(models.Model):
    """A subscription whose push service said "not now" (429, 5xx, no answer): tried again later."""

    alert = models.ForeignKey(BreakingAlert, on_delete=models.CASCADE, related_name="retries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    attempts = models.PositiveSmallIntegerField(default=1)
    next_attempt_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "subscription"], name="push_retry_once")]
