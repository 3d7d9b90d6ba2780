"""Publishing a breaking article pushes it to every subscribed browser, once, while it is breaking."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from khabar.push import keys, sending
from khabar.push.models import BreakingAlert, PendingRetry, Subscription
from tests.push.conftest import verify_vapid

HEADLINE = "عاجل: زلزال بقوة 5.8 درجات يضرب جنوب البلاد"


@pytest.fixture
def publish_now(publish_article, django_capture_on_commit_callbacks):
    """Publish and let the after-commit work (the push task, run at once in tests) happen."""

    def publish(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            return publish_article(**fields)

    return publish


def test_a_breaking_article_reaches_every_subscriber_once_signed_and_encrypted(
        push_service, subscribe_browser, publish_now):
    browsers = [subscribe_browser(name) for name in ("amal", "basel", "carim")]
    until = timezone.now() + timedelta(hours=2)

    article = publish_now(title=HEADLINE, is_breaking=True, breaking_until=until)

    assert len(push_service.received) == 3
    public_key = keys.application_server_key()
    for browser in browsers:
        [delivery] = push_service.to(browser.name)
        expected = {"title": "عاجل", "body": HEADLINE, "url": settings.SITE_URL + article.url}
        assert browser.decrypt(delivery.body) == expected
        claims = verify_vapid(delivery.headers["authorization"], public_key)
        assert claims["aud"] == f"http://127.0.0.1:{push_service.port}"
        assert claims["sub"] == "mailto:news@localhost"
        assert timezone.now().timestamp() < claims["exp"] <= timezone.now().timestamp() + 24 * 3600
        assert delivery.headers["content-encoding"] == "aes128gcm"
        assert 2 * 3600 - 60 <= int(delivery.headers["ttl"]) <= 2 * 3600  # seconds left until breaking_until
        assert delivery.headers["urgency"] == "high"
    alert = BreakingAlert.objects.get()
    assert (alert.article_id, alert.sent_count, alert.failed_count) == (article.pk, 3, 0)
    assert alert.finished_at is not None


def test_publishing_again_sends_nothing_more(
        push_service, subscribe_browser, publish_now, django_capture_on_commit_callbacks):
    subscribe_browser("amal")
    article = publish_now(title=HEADLINE, is_breaking=True)
    assert len(push_service.received) == 1

    with django_capture_on_commit_callbacks(execute=True):
        article.title = HEADLINE + " (محدّث)"
        article.save_revision().publish()

    assert len(push_service.received) == 1
    assert BreakingAlert.objects.count() == 1


def test_an_ordinary_article_sends_nothing(push_service, subscribe_browser, publish_now):
    subscribe_browser("amal")

    publish_now(title="خبر عادي", is_breaking=False)

    assert push_service.received == []
    assert not BreakingAlert.objects.exists()


def test_a_flag_expired_when_the_task_runs_sends_nothing(push_service, subscribe_browser, publish_article,
                                                        django_capture_on_commit_callbacks):
    from khabar.news.models import ArticlePage

    subscribe_browser("amal")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        article = publish_article(title=HEADLINE, is_breaking=True, breaking_until=timezone.now() + timedelta(hours=1))
    # The queue was slow: by the time the worker takes the task, the story is no longer breaking.
    ArticlePage.objects.filter(pk=article.pk).update(breaking_until=timezone.now() - timedelta(minutes=1))
    for callback in queued:
        callback()

    assert push_service.received == []


def test_a_flag_already_past_on_publish_sends_nothing(push_service, subscribe_browser, publish_now):
    subscribe_browser("amal")

    publish_now(title=HEADLINE, is_breaking=True, breaking_until=timezone.now() - timedelta(minutes=5))

    assert push_service.received == []


def test_a_subscription_the_push_service_says_is_gone_is_deleted(push_service, subscribe_browser, publish_now):
    subscribe_browser("amal")
    subscribe_browser("left")
    push_service.answers["/push/left"] = 410

    publish_now(title=HEADLINE, is_breaking=True)

    assert list(Subscription.objects.values_list("endpoint", flat=True)) == [push_service.endpoint("amal")]
    alert = BreakingAlert.objects.get()
    assert (alert.sent_count, alert.gone_count, alert.finished_at is not None) == (1, 1, True)


def test_a_failure_is_retried_later_without_sending_the_others_again(push_service, subscribe_browser, publish_now):
    amal = subscribe_browser("amal")
    busy = subscribe_browser("busy")
    push_service.answers["/push/busy"] = 503

    publish_now(title=HEADLINE, is_breaking=True)

    alert = BreakingAlert.objects.get()
    assert (alert.sent_count, alert.failed_count, alert.finished_at) == (1, 1, None)
    assert PendingRetry.objects.get().subscription.endpoint == push_service.endpoint("busy")

    # Not yet due: the periodic task sends nothing.
    sending.resume_unfinished()
    assert len(push_service.to("busy")) == 1

    # The push service is back and the back-off has passed.
    del push_service.answers["/push/busy"]
    PendingRetry.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    sending.resume_unfinished()

    assert len(push_service.to("amal")) == 1  # never twice
    [_, retried] = push_service.to("busy")
    assert busy.decrypt(retried.body)["body"] == HEADLINE
    assert amal.decrypt(push_service.to("amal")[0].body)["body"] == HEADLINE
    alert.refresh_from_db()
    assert (alert.sent_count, alert.failed_count) == (2, 1)
    assert alert.finished_at is not None and not PendingRetry.objects.exists()


def test_retries_stop_when_the_story_stops_being_breaking(push_service, subscribe_browser, publish_now):
    from khabar.news.models import ArticlePage

    subscribe_browser("busy")
    push_service.answers["/push/busy"] = 500
    article = publish_now(title=HEADLINE, is_breaking=True)
    ArticlePage.objects.filter(pk=article.pk).update(is_breaking=False)
    PendingRetry.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))

    sending.resume_unfinished()

    assert len(push_service.to("busy")) == 1
    assert not PendingRetry.objects.exists()
    assert BreakingAlert.objects.get().finished_at is not None


@override_settings(KHABAR_PUSH_BATCH_SIZE=2)
def test_batches_cover_every_subscriber(push_service, subscribe_browser, publish_now):
    names = [f"reader{n}" for n in range(5)]
    for name in names:
        subscribe_browser(name)

    publish_now(title=HEADLINE, is_breaking=True)

    assert sorted(delivery.path for delivery in push_service.received) == sorted(f"/push/{name}" for name in names)
    assert BreakingAlert.objects.get().cursor == Subscription.objects.order_by("pk").last().pk


def test_a_second_sender_takes_the_batches_the_first_did_not_claim(push_service, subscribe_browser, publish_article):
    """A worker died after claiming its first batch: the periodic task sends the rest, and only the rest."""
    names = [f"reader{n}" for n in range(4)]
    for name in names:
        subscribe_browser(name)
    article = publish_article(title=HEADLINE, is_breaking=True)  # on-commit work not run: no task yet
    first_two = list(Subscription.objects.order_by("pk")[:2])
    BreakingAlert.objects.create(article=article, cursor=first_two[-1].pk)

    with override_settings(KHABAR_PUSH_BATCH_SIZE=1):
        sending.resume_unfinished()

    assert sorted(d.path for d in push_service.received) == ["/push/reader2", "/push/reader3"]
