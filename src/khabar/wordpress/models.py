"""What an import remembers: which WordPress object became which khabar object, and each run."""

from django.conf import settings
from django.db import models


class ImportedItem(models.Model):
    """One WordPress object (post, comment, attachment, author) and the khabar object it became.

    A re-run finds its earlier work here: an unchanged post is skipped, a changed one (its
    ``fingerprint`` differs) gets a new revision, a comment or image is never created twice.
    """

    site = models.CharField("الموقع القديم", max_length=200)  # the export's base URL
    kind = models.CharField("النوع", max_length=20)
    wp_id = models.CharField("المعرّف في ووردبريس", max_length=40)
    object_id = models.BigIntegerField("المعرّف في خبر")
    fingerprint = models.CharField(max_length=64, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "عنصر مستورد"
        verbose_name_plural = "العناصر المستوردة"
        constraints = [models.UniqueConstraint(fields=["site", "kind", "wp_id"], name="wordpress_item_once")]

    def __str__(self):
        return f"{self.kind} {self.wp_id} → {self.object_id}"


class ImportRun(models.Model):
    """An export uploaded in the admin, imported by a background task; the page shows its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "في الانتظار"
        RUNNING = "running", "جارٍ"
        DONE = "done", "اكتمل"
        FAILED = "failed", "تعذّر"

    file = models.CharField("الملف", max_length=500)  # a path under DATA_DIR/imports
    original_name = models.CharField("اسم الملف", max_length=255)
    media = models.CharField("مصدر الصور", max_length=500, blank=True)
    status = models.CharField("الحالة", max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField("ما تم", default=0)
    total = models.PositiveIntegerField("المجموع", default=0)
    report = models.JSONField("التقرير", default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField("بدأ", auto_now_add=True)
    finished = models.DateTimeField("انتهى", null=True, blank=True)

    class Meta:
        verbose_name = "عملية استيراد"
        verbose_name_plural = "عمليات الاستيراد"
        ordering = ["-created"]

    def __str__(self):
        return self.original_name

    @property
    def percent(self):
        return int(100 * self.done / self.total) if self.total else 0
