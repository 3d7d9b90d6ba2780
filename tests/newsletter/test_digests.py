"""What goes into each issue, and when: digests since the previous one, breaking news once per article."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from khabar.news.models import ArticlePage
from khabar.newsletter import digests
from khabar.newsletter.models import Issue

pytestmark = pytest.mark.django_db


def titles(issue):
    return [article.title for article in issue.article_list()]


def test_a_digest_carries_the_articles_published_since_the_previous_one(publish_article, make_subscriber):
    make_subscriber()
    publish_article(title="قديم جداً", age=timedelta(days=3))
    publish_article(title="أمس", age=timedelta(hours=20))
    publish_article(title="الآن")
    first = digests.build_digest("daily")
    assert titles(first) == ["الآن", "أمس"]  # newest first, the last day only
    publish_article(title="بعد العدد الأول")
    second = digests.build_digest("daily")
    assert titles(second) == ["بعد العدد الأول"]
    assert second.covers_since == first.covers_until


def test_no_news_means_no_digest(publish_article, make_subscriber):
    make_subscriber()
    out = StringIO()
    call_command("newsletter", "send-digest", "daily", stdout=out)
    assert "nothing published" in out.getvalue()
    assert not Issue.objects.exists() and not mail.outbox


def test_daily_and_weekly_keep_their_own_windows_and_readers(publish_article, make_subscriber):
    make_subscriber("daily@example.org", daily=True)
    make_subscriber("weekly@example.org", daily=False, weekly=True)
    make_subscriber("pending@example.org", status="pending", weekly=True)
    publish_article(title="قبل خمسة أيام", age=timedelta(days=5))
    publish_article(title="اليوم")
    daily = digests.build_digest("daily")
    weekly = digests.build_digest("weekly")
    assert titles(daily) == ["اليوم"] and titles(weekly) == ["اليوم", "قبل خمسة أيام"]
    assert list(daily.deliveries.values_list("email", flat=True)) == ["daily@example.org"]
    assert list(weekly.deliveries.values_list("email", flat=True)) == ["weekly@example.org"]


def test_two_runs_racing_build_one_issue(publish_article, make_subscriber):
    make_subscriber()
    publish_article(title="خبر")
    assert digests.build_digest("daily") is not None
    # The other run read "no previous issue" before the first one committed.
    with mock.patch.object(digests, "previous_issue", return_value=None):
        assert digests.build_digest("daily") is None  # same predecessor: the unique key refuses
    assert Issue.objects.count() == 1


def test_send_digest_command_sends_through_the_task_backend(publish_article, make_subscriber):
    make_subscriber("a@example.org")
    make_subscriber("b@example.org")
    publish_article(title="خبر الصباح")
    out = StringIO()
    call_command("newsletter", "send-digest", "daily", stdout=out)
    assert "1 articles for 2 subscribers" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    call_command("newsletter", "status", stdout=out)
    assert "sent 2" in out.getvalue()


def test_publishing_a_breaking_article_alerts_the_breaking_list_once(
    publish_article, make_subscriber, django_capture_on_commit_callbacks
):
    make_subscriber("breaking@example.org", daily=False, breaking=True)
    make_subscriber("daily@example.org", daily=True)
    with django_capture_on_commit_callbacks(execute=True):
        article = publish_article(title="انفجار في الميناء", is_breaking=True, summary="التفاصيل بعد قليل.")
    [alert] = mail.outbox
    assert alert.to == ["breaking@example.org"] and alert.subject == "عاجل: انفجار في الميناء"
    assert "التفاصيل بعد قليل." in alert.body and "عاجل" in alert.alternatives[0][0]
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "انفجار في الميناء: حصيلة أولى"
        article.save_revision().publish()  # the desk updates the story
    assert len(mail.outbox) == 1
    assert Issue.objects.get().kind == "breaking"


def test_ordinary_and_old_articles_send_no_alert(publish_article, make_subscriber, django_capture_on_commit_callbacks):
    make_subscriber(breaking=True)
    with django_capture_on_commit_callbacks(execute=True):
        publish_article(title="خبر عادي")
        publish_article(
            title="عاجل انتهى وقته", is_breaking=True, breaking_until=timezone.now() - timedelta(hours=1)
        )
    assert not mail.outbox and not Issue.objects.exists()
    assert ArticlePage.objects.count() == 2
