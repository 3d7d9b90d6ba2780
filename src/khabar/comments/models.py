"""A reader's comment on an article, and the words that mark a comment as spam."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator

from khabar.identity.email import normalise_email


class Status(models.TextChoices):
    PENDING = "pending", "بانتظار المراجعة"
    APPROVED = "approved", "منشور"
    SPAM = "spam", "مزعج"
    TRASH = "trash", "في المهملات"


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Status.APPROVED)

    def pending(self):
        return self.filter(status=Status.PENDING)

    def by_email(self, email):
        return self.filter(email=normalise_email(email))

    def set_status(self, status):
        """Move these comments to ``status`` at once; the pages that showed or will show them are refreshed."""
        from khabar.comments.signals import comments_changed

        changed = list(self.exclude(status=status).values_list("pk", "article_id", "status"))
        if not changed:
            return 0
        Comment.objects.filter(pk__in=[pk for pk, _, _ in changed]).update(status=status, updated=timezone.now())
        # Only a move into or out of "approved" changes what readers see.
        articles = {article for _, article, old in changed if Status.APPROVED in (old, status)}
        if articles:
            comments_changed.send(sender=Comment, article_ids=articles)
        return len(changed)


def parse_pk(raw):
    """A primary key from a form or query string, or None: never an error, never an out-of-range number."""
    raw = (raw or "").strip() if isinstance(raw, str) else ""
    if raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return int(raw)
    return None


class Comment(models.Model):
    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="comments", verbose_name="الخبر"
    )
    # A deleted comment's replies move up to its parent (see signal_handlers.keep_replies), not vanish with it.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies", verbose_name="رداً على"
    )
    name = models.CharField("الاسم", max_length=80)
    email = models.EmailField("البريد الإلكتروني", help_text="لا يُنشر أبداً؛ يراه المشرفون فقط")
    url = models.URLField("الموقع الإلكتروني", max_length=200, blank=True)
    body = models.TextField("التعليق")
    status = models.CharField("الحالة", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    created = models.DateTimeField("التاريخ", default=timezone.now, db_index=True)
    updated = models.DateTimeField("آخر تعديل", auto_now=True)
    ip_hash = models.CharField(
        "بصمة العنوان", max_length=64, blank=True, editable=False,
        help_text="بصمة مملّحة لعنوان IP، لا العنوان نفسه: تكفي لمقارنة المصادر",
    )
    user_agent = models.CharField("المتصفح", max_length=200, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False, verbose_name="حساب المحرر",
    )
    is_staff_reply = models.BooleanField("رد من فريق التحرير", default=False)
    check_notes = models.CharField("ملاحظات الفحص", max_length=200, blank=True, editable=False)
    moderators_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    # Comments are not content other pages refer to; keep Wagtail's reference index out of every save.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = "تعليق"
        verbose_name_plural = "التعليقات"
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["article", "status", "created"], name="comments_article_status"),
            models.Index(fields=["email"], name="comments_email"),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Remembered so a save can tell whether readers saw, or will see, a change.
        # __dict__, not the attribute: a deferred status must not cost a query per comment.
        self._loaded_status = self.__dict__.get("status") if self.pk else None

    def __str__(self):
        return f"{self.name}: {Truncator(self.body).chars(60)}"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    @property
    def is_approved(self):
        return self.status == Status.APPROVED

    @property
    def was_visible(self):
        return self._loaded_status == Status.APPROVED

    def get_absolute_url(self):
        return f"{self.article.url}#comment-{self.pk}"

    # Columns of the moderation queue (admin only).
    def excerpt(self):
        return Truncator(" ".join(self.body.split())).chars(120)

    excerpt.short_description = "التعليق"


class BlockedTerm(models.Model):
    """A word or phrase that marks a comment as spam, in any spelling the Arabic folding treats as the same."""

    term = models.CharField(
        "الكلمة أو العبارة", max_length=100, unique=True,
        help_text="تطابق كل أشكالها: بالهمزة أو بدونها، بالتشكيل أو بدونه، بالتطويل أو بدونه",
    )
    created = models.DateTimeField("أضيفت في", auto_now_add=True)

    class Meta:
        verbose_name = "كلمة محظورة"
        verbose_name_plural = "الكلمات المحظورة"
        ordering = ["term"]

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        self.term = " ".join(self.term.split())
        super().save(*args, **kwargs)
