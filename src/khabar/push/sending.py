"""Sending one breaking article to every browser that asked for alerts, once.

* Once per article: the ``BreakingAlert`` row (unique per article) is made before anything is
  sent; publishing the article again finds it and sends nothing.
* Still breaking: the flag is checked when sending starts and before every batch. A flag that
  expired or was turned off stops the send; TTL is the seconds left until ``breaking_until``, so
  a push service drops an alert a phone could only show after the story stopped being breaking.
* Batches: senders claim subscriptions in id order by moving the alert's cursor with a compare
  and set, so several workers share a send and none sends a batch another claimed. A worker that
  dies mid-batch loses the rest of that batch rather than risk showing anyone the alert twice.
* Answers: 404/410 (the reader unsubscribed in the browser) delete the subscription; 429, 5xx or
  no answer wait in ``PendingRetry`` and are tried again with a doubling back-off by
  ``resume_unfinished`` (every minute, from ``khabar worker``); successes are never sent again.
"""

import enum
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from pywebpush import WebPusher, WebPushException
from requests.adapters import HTTPAdapter

from khabar.news.models import ArticlePage
from khabar.push import keys
from khabar.push.models import BreakingAlert, PendingRetry, Subscription

logger = logging.getLogger(__name__)

TITLE = "عاجل"
MAX_TTL_SECONDS = 28 * 24 * 3600  # push services keep a message four weeks at most
REQUEST_TIMEOUT_SECONDS = 10
VAPID_TOKEN_SECONDS = 12 * 3600  # push services refuse tokens valid for more than 24 hours
MAX_ATTEMPTS = 5
RETRY_SECONDS = 60  # the first back-off after "not now"; doubles with every attempt
RETRY_CLAIM_SECONDS = 300  # a claimed retry whose sender died is due again after this
PARALLEL_REQUESTS = 8  # a push service answers in tens of milliseconds: wait for several at once


class Outcome(enum.Enum):
    SENT = "sent"
    GONE = "gone"  # 404/410: the subscription no longer exists
    RETRY = "retry"  # 429, 5xx, no answer: try again later
    FAILED = "failed"  # any other refusal: trying again would not help


def outcome_of(status_code):
    """What a push service's HTTP status means for this subscription (RFC 8030, section 5)."""
    if 200 <= status_code < 300:
        return Outcome.SENT
    if status_code in (404, 410):
        return Outcome.GONE
    if status_code == 429 or status_code >= 500:
        return Outcome.RETRY
    return Outcome.FAILED


def article_url(article):
    """The article's absolute address, opened when the reader taps the notification."""
    url = article.get_url() or "/"
    return url if url.startswith(("https://", "http://")) else settings.SITE_URL + url


def payload_for(article):
    """The JSON the service worker shows: {title, body, url}."""
    data = {"title": TITLE, "body": article.title, "url": article_url(article)}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def seconds_left(article, now):
    """The push TTL: seconds until the breaking flag expires, within what push services accept."""
    return max(0, min(int((article.breaking_until - now).total_seconds()), MAX_TTL_SECONDS))


def still_breaking(article_id, now=None):
    """The article if it is published and its breaking flag is active now; else None."""
    return ArticlePage.objects.breaking(now or timezone.now()).filter(pk=article_id).first()


class Pusher:
    """Sends one article's alert to many subscriptions: one HTTP session, one VAPID token per push service."""

    def __init__(self, article, now):
        self.payload = payload_for(article)
        self.topic = f"breaking-{article.pk}"  # a push service replaces an undelivered copy with the same topic
        self.ttl = seconds_left(article, now)
        self.vapid = keys.signer()
        self.subject = keys.subject()
        self.session = requests.Session()
        self.session.trust_env = False  # push services are reached directly, never through a proxy variable
        adapter = HTTPAdapter(pool_maxsize=PARALLEL_REQUESTS)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.pool = ThreadPoolExecutor(max_workers=PARALLEL_REQUESTS, thread_name_prefix="khabar-push")
        self.tokens = {}

    def close(self):
        self.pool.shutdown()
        self.session.close()

    def send_all(self, subscriptions):
        """Push to each of ``subscriptions``, several at a time; {subscription id: Outcome}."""
        return dict(zip([s.pk for s in subscriptions], self.pool.map(self.send, subscriptions)))

    def update(self, article, now):
        self.ttl = seconds_left(article, now)

    def _vapid_headers(self, endpoint):
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        if audience not in self.tokens:
            claims = {"aud": audience, "sub": self.subject, "exp": int(time.time()) + VAPID_TOKEN_SECONDS}
            self.tokens[audience] = self.vapid.sign(claims)
        return self.tokens[audience]

    def send(self, subscription):
        """Push to one subscription; the Outcome."""
        headers = {**self._vapid_headers(subscription.endpoint), "Urgency": "high", "Topic": self.topic}
        try:
            pusher = WebPusher(subscription.as_subscription_info(), requests_session=self.session)
            response = pusher.send(self.payload, headers, ttl=self.ttl, timeout=REQUEST_TIMEOUT_SECONDS)
        except requests.RequestException:
            return Outcome.RETRY
        except (WebPushException, ValueError, TypeError):  # keys no push service could use
            return Outcome.FAILED
        return outcome_of(response.status_code)


def start(article_id):
    """Begin the alert for one article, at most once per article; what happened, as a word."""
    article = still_breaking(article_id)
    if article is None:
        return "not-breaking"
    try:
        with transaction.atomic():
            alert = BreakingAlert.objects.create(article=article)
    except IntegrityError:
        return "already-sent"
    return run(alert)


def run(alert):
    """Send the alert's unclaimed batches and its due retries; finish it when nothing is left."""
    now = timezone.now()
    article = still_breaking(alert.article_id, now)
    if article is None:
        _finish(alert, expired=True)
        return "expired"
    pusher = Pusher(article, now)
    try:
        while batch := _claim_batch(alert):
            _send(alert, pusher, batch)
            now = timezone.now()
            article = still_breaking(alert.article_id, now)
            if article is None:
                _finish(alert, expired=True)
                return "expired"
            pusher.update(article, now)
        _send_retries(alert, pusher)
    finally:
        pusher.close()
    if not PendingRetry.objects.filter(alert=alert).exists():
        _finish(alert)
        return "finished"
    return "retrying"


def resume_unfinished():
    """Carry on every unfinished alert (a dead worker's, or one with retries due); returns how many."""
    alerts = list(BreakingAlert.objects.filter(finished_at__isnull=True))
    for alert in alerts:
        run(alert)
    return len(alerts)


def _claim_batch(alert):
    """The next subscriptions after the alert's cursor, claimed for this sender alone."""
    size = max(1, settings.KHABAR_PUSH_BATCH_SIZE)
    while True:
        cursor = BreakingAlert.objects.values_list("cursor", flat=True).get(pk=alert.pk)
        batch = list(Subscription.objects.filter(pk__gt=cursor).order_by("pk")[:size])
        if not batch:
            return []
        if BreakingAlert.objects.filter(pk=alert.pk, cursor=cursor).update(cursor=batch[-1].pk):
            return batch
        # Another sender moved the cursor first: take the batch after its.


def _send(alert, pusher, subscriptions):
    outcomes = pusher.send_all(subscriptions)
    retry_at = timezone.now() + timedelta(seconds=RETRY_SECONDS)
    PendingRetry.objects.bulk_create(
        [PendingRetry(alert=alert, subscription_id=pk, next_attempt_at=retry_at)
         for pk, outcome in outcomes.items() if outcome is Outcome.RETRY],
        ignore_conflicts=True,
    )
    _record(alert, outcomes)


def _send_retries(alert, pusher):
    now = timezone.now()
    due = PendingRetry.objects.filter(alert=alert, next_attempt_at__lte=now).select_related("subscription")
    for retry in due[: max(1, settings.KHABAR_PUSH_BATCH_SIZE)]:
        claimed = PendingRetry.objects.filter(pk=retry.pk, next_attempt_at=retry.next_attempt_at).update(
            next_attempt_at=now + timedelta(seconds=RETRY_CLAIM_SECONDS)
        )
        if not claimed:
            continue  # another sender took it
        outcome = pusher.send(retry.subscription)
        if outcome is Outcome.RETRY and retry.attempts + 1 < MAX_ATTEMPTS:
            delay = timedelta(seconds=RETRY_SECONDS * 2**retry.attempts)
            PendingRetry.objects.filter(pk=retry.pk).update(attempts=F("attempts") + 1, next_attempt_at=now + delay)
        else:
            PendingRetry.objects.filter(pk=retry.pk).delete()  # delivered, gone, or given up
        _record(alert, {retry.subscription_id: outcome})


def _record(alert, outcomes):
    counts = {outcome: 0 for outcome in Outcome}
    for outcome in outcomes.values():
        counts[outcome] += 1
    gone = [pk for pk, outcome in outcomes.items() if outcome is Outcome.GONE]
    if gone:
        Subscription.objects.filter(pk__in=gone).delete()
    BreakingAlert.objects.filter(pk=alert.pk).update(
        sent_count=F("sent_count") + counts[Outcome.SENT],
        gone_count=F("gone_count") + counts[Outcome.GONE],
        failed_count=F("failed_count") + counts[Outcome.RETRY] + counts[Outcome.FAILED],
    )


def _finish(alert, expired=False):
    if expired:
        PendingRetry.objects.filter(alert=alert).delete()  # an alert past its time is not worth retrying
    if BreakingAlert.objects.filter(pk=alert.pk, finished_at__isnull=True).update(finished_at=timezone.now()):
        alert.refresh_from_db()
        logger.info(
            "push: the alert for article %s %s: %d delivered, %d subscriptions gone, %d failed attempts",
            alert.article_id, "stopped (no longer breaking)" if expired else "finished",
            alert.sent_count, alert.gone_count, alert.failed_count,
        )
