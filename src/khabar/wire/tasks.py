"""Wire pulls in the task worker: every minute the due feeds are found and each is pulled as its own task."""

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from khabar.news.models import Agency
from khabar.wire import ingest
from khabar.wire.fetch import poll_delay
from khabar.wire.models import FeedState


@task()
def pull_due_feeds() -> int:
    """Enqueue ``pull_feed`` for every feed whose next poll time has come; returns how many.

    khabar.periodic enqueues this every 60 seconds (WireConfig.ready). Each feed is claimed by
    moving its next poll time forward first, so a pull still waiting in the queue is not enqueued
    again; the pull itself then sets the real next time (the interval, or the back-off).
    """
    now = timezone.now()
    due = Agency.objects.exclude(feed_url="").filter(
        Q(wire_state__isnull=True) | Q(wire_state__next_poll_at__isnull=True) | Q(wire_state__next_poll_at__lte=now)
    )
    enqueued = 0
    for agency in due:
        state, _ = FeedState.objects.get_or_create(agency=agency)
        claimed = FeedState.objects.filter(pk=state.pk, next_poll_at=state.next_poll_at).update(
            next_poll_at=now + poll_delay(agency.feed_interval, state.failures)
        )
        if claimed:  # another worker's tick may have claimed it a moment ago
            pull_feed.enqueue(agency.pk)
            enqueued += 1
    return enqueued


@task()
def pull_feed(agency_id: int) -> dict:
    """Pull one agency's feed now; returns the pull's summary (new, updated, duplicates, withdrawn, errors)."""
    agency = Agency.objects.exclude(feed_url="").filter(pk=agency_id).first()
    if agency is None:  # deleted, or its feed removed, since it was enqueued
        return {}
    return ingest.pull(agency).as_dict()
