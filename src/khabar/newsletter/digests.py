"""Building issues: the daily and weekly digests, breaking-news alerts and editors' test copies.

Building writes the issue, its articles and one delivery row per recipient in
one transaction; sending (sending.py) is a separate step run by the workers.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator

from khabar.identity.email import normalise_email
from khabar.news.models import ArticlePage
from khabar.news.templatetags.khabar_tags import ar_date
from khabar.newsletter.models import Delivery, Issue, IssueArticle, Subscriber

# How far back the very first digest of a kind looks; later ones start where the previous ended.
FIRST_PERIOD = {Issue.Kind.DAILY: timedelta(days=1), Issue.Kind.WEEKLY: timedelta(days=7)}


def digest_subject(kind, now):
    if kind == Issue.Kind.WEEKLY:
        return f"أبرز أخبار الأسبوع من {settings.SITE_NAME} حتى {ar_date(now, weekday=False)}"
    return f"نشرة {settings.SITE_NAME} اليومية: {ar_date(now)}"


def previous_issue(kind):
    return Issue.objects.filter(kind=kind).order_by("-covers_until", "-pk").first()


def build_digest(kind, now=None):
    """The next daily or weekly issue: articles published since the previous one of that kind.

    Returns None when nothing new was published or another run built this issue first.
    """
    kind = Issue.Kind(kind)
    if kind not in FIRST_PERIOD:
        raise ValueError(f"digests are daily or weekly, not {kind!r}")
    now = now or timezone.now()
    previous = previous_issue(kind)
    since = previous.covers_until if previous else now - FIRST_PERIOD[kind]
    articles = list(
        ArticlePage.objects.published()
        .filter(first_published_at__gt=since, first_published_at__lte=now)
        .newest_first()[: settings.KHABAR_NEWSLETTER_DIGEST_ARTICLES]
    )
    if not articles:
        return None
    return _create_issue(
        kind=kind,
        # One issue per predecessor: a second run racing this one fails on the unique key.
        key=f"{kind}:after:{previous.pk if previous else 0}",
        subject=digest_subject(kind, now),
        articles=articles,
        recipients=Subscriber.objects.receiving(kind),
        covers_since=since,
        covers_until=now,
    )


def build_breaking(article_id, now=None):
    """The alert for one breaking article, at most once per article; None when not (or no longer) breaking."""
    now = now or timezone.now()
    article = ArticlePage.objects.breaking(now).filter(pk=article_id).first()
    if article is None:
        return None
    return _create_issue(
        kind=Issue.Kind.BREAKING,
        key=f"breaking:{article.pk}",
        subject=f"عاجل: {article.title}",
        articles=[article],
        recipients=Subscriber.objects.receiving("breaking"),
        covers_since=article.first_published_at,
        covers_until=now,
    )


def build_test_copy(issue, address):
    """A copy of ``issue`` for one address an editor typed; it looks exactly like the real thing."""
    with transaction.atomic():
        copy = Issue.objects.create(
            kind=Issue.Kind.TEST,
            subject=Truncator(f"[نسخة تجريبية] {issue.subject}").chars(Issue._meta.get_field("subject").max_length),
            source=issue,
            covers_since=issue.covers_since,
            covers_until=issue.covers_until,
        )
        IssueArticle.objects.bulk_create(
            IssueArticle(issue=copy, article_id=item.article_id, position=item.position) for item in issue.items.all()
        )
        Delivery.objects.create(issue=copy, email=normalise_email(address))
    return copy


def _create_issue(kind, key, subject, articles, recipients, covers_since, covers_until):
    subject = Truncator(subject).chars(Issue._meta.get_field("subject").max_length)  # a long headline fits
    try:
        with transaction.atomic():
            issue = Issue.objects.create(
                kind=kind, key=key, subject=subject, covers_since=covers_since, covers_until=covers_until
            )
            IssueArticle.objects.bulk_create(
                IssueArticle(issue=issue, article=article, position=n) for n, article in enumerate(articles)
            )
            _add_deliveries(issue, recipients)
    except IntegrityError:
        return None
    return issue


def _add_deliveries(issue, recipients, chunk=1000):
    rows = []
    for subscriber_id, email in recipients.order_by("pk").values_list("pk", "email").iterator(chunk_size=chunk):
        rows.append(Delivery(issue=issue, subscriber_id=subscriber_id, email=email))
        if len(rows) == chunk:
            Delivery.objects.bulk_create(rows)
            rows = []
    Delivery.objects.bulk_create(rows)
