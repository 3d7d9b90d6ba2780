"""Sending an issue so that no subscriber ever gets it twice, and a crash only pauses it.

- Claim. In one transaction a worker picks up to KHABAR_NEWSLETTER_BATCH_SIZE
  due rows (PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED``; SQLite: the
  ``BEGIN IMMEDIATE`` settings.py asks for, which lets one writer in at a time)
  and marks them "claimed" with a fresh random token and a lease.
- Fence. Every later write to a row names that token, so a worker that lost
  its lease (another worker reclaimed the row) can no longer change or send it.
- Checkpoint. Just before the SMTP server takes a message (transport.py) the
  row goes claimed → sending, refreshing the lease; after the server's reply,
  sending → sent (or failed, or back to pending with a back-off delay).
- Recovery. A "claimed" row whose lease ran out was provably never handed to
  the server, so it is claimed again. A "sending" row whose lease ran out may
  or may not have reached the server: it becomes "unknown" and is never resent
  automatically. That is the at-most-once choice: a rare lost copy, never a
  duplicate. ``release_unknown`` resends them once an operator has checked the
  mail server's log (each copy's Message-ID names issue and delivery).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from khabar.newsletter.mail import render_issue
from khabar.newsletter.models import Delivery, Issue, Subscriber
from khabar.newsletter.transport import (
    LeaseLost,
    PermanentFailure,
    TemporaryFailure,
    Transport,
    UncertainDelivery,
)

Status = Delivery.Status
OPEN = [Status.PENDING, Status.CLAIMED, Status.SENDING]


def _lease():
    return timedelta(seconds=settings.KHABAR_NEWSLETTER_LEASE_SECONDS)


def _claimable(now):
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(status=Status.CLAIMED, lease_until__lt=now)


def claim_batch(issue_id, size=None, now=None):
    """(token, deliveries) this worker now owns; an empty list when nothing is due."""
    size = size or settings.KHABAR_NEWSLETTER_BATCH_SIZE
    now = now or timezone.now()
    token = uuid.uuid4().hex
    with transaction.atomic():
        due = (
            Delivery.objects.filter(issue_id=issue_id)
            .filter(_claimable(now))
            .order_by("pk")
            .select_for_update(skip_locked=True)
        )
        ids = list(due.values_list("pk", flat=True)[:size])
        if not ids:
            return token, []
        Delivery.objects.filter(pk__in=ids).filter(_claimable(now)).update(
            status=Status.CLAIMED, claim_token=token, lease_until=now + _lease()
        )
    batch = Delivery.objects.filter(claim_token=token, status=Status.CLAIMED).select_related("subscriber")
    return token, list(batch.order_by("pk"))


def _transition(delivery, token, from_statuses, **fields):
    """Move a row this worker still owns; returns False when the token no longer matches."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, claim_token=token, status__in=from_statuses).update(**fields)
    )


def _still_wanted(issue, delivery):
    if issue.kind == Issue.Kind.TEST:
        return True
    subscriber = delivery.subscriber
    return (
        subscriber is not None
        and subscriber.status == Subscriber.Status.ACTIVE
        and getattr(subscriber, issue.kind, False)
    )


class ConnectionDown(Exception):
    """The mail server cannot be reached: stop this batch instead of failing every row in it."""


def deliver(issue, delivery, token, transport, rendered):
    """Send one claimed delivery; returns its new status (or None when the lease was lost)."""
    if not _still_wanted(issue, delivery):  # left the list after the issue was built
        _transition(delivery, token, [Status.CLAIMED], status=Status.SKIPPED)
        return Status.SKIPPED

    def checkpoint():
        moved = _transition(
            delivery, token, [Status.CLAIMED], status=Status.SENDING, lease_until=timezone.now() + _lease()
        )
        if not moved:
            raise LeaseLost()

    message = rendered.message_for(delivery)
    attempts = F("attempts") + 1
    try:
        transport.send(message, checkpoint)
    except LeaseLost:
        return None
    except UncertainDelivery as error:
        _transition(
            delivery, token, [Status.SENDING], status=Status.UNKNOWN, attempts=attempts, last_error=_short(error)
        )
        return Status.UNKNOWN
    except PermanentFailure as error:
        _transition(
            delivery, token, [Status.CLAIMED, Status.SENDING],
            status=Status.FAILED, attempts=attempts, last_error=_short(error),
        )
        if error.bounce and delivery.subscriber_id:
            record_bounce(delivery.subscriber_id)
        return Status.FAILED
    except TemporaryFailure as error:
        status = _retry_later(delivery, token, error)
        if error.connection_down:
            raise ConnectionDown(str(error)) from error
        return status
    _transition(
        delivery, token, [Status.SENDING, Status.UNKNOWN],
        status=Status.SENT, sent_at=timezone.now(), attempts=attempts, last_error="",
    )
    if delivery.subscriber is not None and delivery.subscriber.bounce_count:
        Subscriber.objects.filter(pk=delivery.subscriber_id).update(bounce_count=0)
    return Status.SENT


def retry_delay(attempt):
    """Back-off after the n-th failed attempt: the base delay, doubled each time, at most six hours."""
    return timedelta(seconds=min(settings.KHABAR_NEWSLETTER_RETRY_SECONDS * 2 ** (attempt - 1), 6 * 3600))


def _retry_later(delivery, token, error):
    attempt = delivery.attempts + 1
    if attempt >= settings.KHABAR_NEWSLETTER_MAX_ATTEMPTS:
        fields = {"status": Status.FAILED}
    else:
        fields = {
            "status": Status.PENDING, "claim_token": None, "lease_until": None,
            "next_attempt_at": timezone.now() + retry_delay(attempt),
        }
    _transition(
        delivery, token, [Status.CLAIMED, Status.SENDING],
        attempts=F("attempts") + 1, last_error=_short(error), **fields,
    )
    return fields["status"]


def _short(error):
    return str(error)[:500]


def record_bounce(subscriber_id):
    """One more permanent failure; at KHABAR_NEWSLETTER_BOUNCE_THRESHOLD the address is marked bounced."""
    Subscriber.objects.filter(pk=subscriber_id).update(bounce_count=F("bounce_count") + 1)
    Subscriber.objects.filter(
        pk=subscriber_id, status=Subscriber.Status.ACTIVE, bounce_count__gte=settings.KHABAR_NEWSLETTER_BOUNCE_THRESHOLD
    ).update(status=Subscriber.Status.BOUNCED, bounced_at=timezone.now())


def _release(deliveries, token, delay):
    """Hand back rows claimed but not attempted, to be tried after ``delay``."""
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries], claim_token=token, status=Status.CLAIMED).update(
        status=Status.PENDING, claim_token=None, lease_until=None, next_attempt_at=timezone.now() + delay
    )


def send_pending(issue_id):
    """Claim and send batches of an issue until none is due; returns counts by outcome."""
    issue = Issue.objects.select_related("source").get(pk=issue_id)
    rendered = transport = None
    outcomes = {}
    try:
        while True:
            token, batch = claim_batch(issue_id)
            if not batch:
                break
            if rendered is None:  # extra sender tasks often find nothing to do: render only when needed
                rendered, transport = render_issue(issue), Transport()
            for position, delivery in enumerate(batch):
                try:
                    status = deliver(issue, delivery, token, transport, rendered)
                except ConnectionDown:
                    _release(batch[position + 1:], token, retry_delay(1))
                    outcomes["connection_down"] = 1
                    return outcomes
                outcomes[status or "lease_lost"] = outcomes.get(status or "lease_lost", 0) + 1
    finally:
        if transport is not None:
            transport.close()
    finish_if_complete(issue_id)
    return outcomes


def mark_uncertain(issue_id=None, now=None):
    """"sending" rows whose worker vanished (lease expired) become "unknown"; never resent by themselves."""
    now = now or timezone.now()
    stale = Delivery.objects.filter(status=Status.SENDING, lease_until__lt=now)
    if issue_id is not None:
        stale = stale.filter(issue_id=issue_id)
    return stale.update(status=Status.UNKNOWN, last_error="the worker stopped while the server was taking this copy")


def finish_if_complete(issue_id):
    """Stamp the issue finished once no delivery is still open; True when it is."""
    if Delivery.objects.filter(issue_id=issue_id, status__in=OPEN).exists():
        return False
    Issue.objects.filter(pk=issue_id, finished_at__isnull=True).update(finished_at=timezone.now())
    return True


def start_sending(issue_id):
    """Queue the sender tasks (KHABAR_NEWSLETTER_SEND_TASKS, so several workers share a send) and a watchdog."""
    from khabar.newsletter import tasks

    for _ in range(max(1, settings.KHABAR_NEWSLETTER_SEND_TASKS)):
        tasks.send_issue.enqueue(issue_id)
    schedule_watch(issue_id, timezone.now() + _lease())


def schedule_watch(issue_id, when):
    """Queue a later check of this issue, where the task backend can run tasks later (not "immediate").

    Each check carries a token stored on the issue; scheduling a new one
    retires the old chain, so ``resume`` from cron never multiplies them.
    """
    from khabar.newsletter import tasks

    if not tasks.watch_issue.get_backend().supports_defer:
        return
    token = uuid.uuid4().hex[:16]
    Issue.objects.filter(pk=issue_id).update(watch_token=token)
    tasks.watch_issue.using(run_after=when).enqueue(issue_id, token)


def watch(issue_id, token=None):
    """The periodic check of an unfinished issue: recover from crashed workers, retry, check again later."""
    from khabar.newsletter import tasks

    if token is not None and not Issue.objects.filter(pk=issue_id, watch_token=token).exists():
        return "superseded"
    now = timezone.now()
    mark_uncertain(issue_id, now)
    if finish_if_complete(issue_id):
        return "finished"
    deliveries = Delivery.objects.filter(issue_id=issue_id)
    if deliveries.filter(_claimable(now)).exists():
        for _ in range(max(1, settings.KHABAR_NEWSLETTER_SEND_TASKS)):
            tasks.send_issue.enqueue(issue_id)
    next_check = now + _lease()
    next_retry = deliveries.filter(status=Status.PENDING).aggregate(at=Min("next_attempt_at"))["at"]
    if next_retry and next_retry < next_check:
        next_check = max(next_retry, now + timedelta(seconds=1))
    schedule_watch(issue_id, next_check)
    return "watching"


def resume_unfinished():
    """Pick up every unfinished issue (after a crash with no watchdog left, or from cron); returns their ids."""
    issue_ids = list(Issue.objects.filter(finished_at__isnull=True).values_list("pk", flat=True))
    for issue_id in issue_ids:
        watch(issue_id)
    return issue_ids


def release_unknown(issue_id, emails=None):
    """Resend "unknown" copies, after checking the mail server's log that they never arrived."""
    rows = Delivery.objects.filter(issue_id=issue_id, status=Status.UNKNOWN)
    if emails:
        rows = rows.filter(email__in=emails)
    released = rows.update(status=Status.PENDING, claim_token=None, lease_until=None, next_attempt_at=timezone.now())
    if released:
        Issue.objects.filter(pk=issue_id).update(finished_at=None)
        start_sending(issue_id)
    return released
