"""One pull of one agency feed: fetch, read, and turn each item into a draft or a revision of one.

Every item is handled in its own transaction, so a broken item is logged, named in the pull's
summary and skipped while the rest go on. Items are known by (agency, guid): reading the same
item again changes nothing, a newer version (a higher version number, or a later time from the
agency) revises the draft, and a withdrawal only flags the item for the desk. A pull that stops
half-way (a crash, a restart) is simply done again by the next one: the feed's validators are
saved only after every item was handled.
"""

import logging
from dataclasses import asdict, dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from khabar.news.models import HomePage, SectionPage
from khabar.wire import dedup, drafts
from khabar.wire.fetch import FetchError, fetch, record_failure, record_success
from khabar.wire.formats import FeedError, parse
from khabar.wire.models import FeedState, WireItem
from khabar.wire.sanitise import prepare

logger = logging.getLogger(__name__)

PULL_LOCK_SECONDS = 300  # longer than any pull can take (fetch time limit + items); freed when it ends


class NoSection(Exception):
    """There is no section to put drafts in."""


@dataclass
class PullSummary:
    """What one pull of one feed did (``duplicates`` counts new items that joined a known story)."""

    new: int = 0
    updated: int = 0
    duplicates: int = 0
    withdrawn: int = 0
    errors: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)


def pull(agency, fallback_section=None, now=None):
    """Read ``agency``'s feed once and ingest its items; returns a PullSummary (errors never raise).

    Drafts go to the agency's feed section, else ``fallback_section``, else the first top-level section.
    """
    summary = PullSummary()
    if not agency.feed_url:
        summary.errors.append("لا رابط لخدمة هذه الوكالة")
        return summary
    lock = f"wire:pull:{agency.pk}"
    if not cache.add(lock, 1, timeout=PULL_LOCK_SECONDS):  # the cache is shared by every process
        summary.errors.append("قراءة أخرى لهذه الخدمة جارية الآن")
        return summary
    try:
        _pull(agency, fallback_section, summary, now or timezone.now())
    except Exception:  # noqa: BLE001 - whatever went wrong here, the next feed is still pulled
        logger.exception("wire: %s: pull failed", agency.name)
        summary.errors.append("خطأ غير متوقع أثناء قراءة الخدمة (التفاصيل في سجل الخادم)")
    finally:
        cache.delete(lock)
    return summary


def _pull(agency, fallback_section, summary, now):
    state, _ = FeedState.objects.get_or_create(agency=agency)
    try:
        fetched = fetch(agency.feed_url, state.etag, state.last_modified)
        entries = [] if fetched.payload is None else parse(fetched.payload, agency.feed_format)
    except (FetchError, FeedError) as error:
        record_failure(state, str(error), agency.feed_interval, now)
        state.save()
        summary.errors.append(str(error))
        logger.warning("wire: %s: %s", agency.name, error)
        return
    if fetched.payload is not None:
        sections = _SectionChooser(agency, fallback_section)
        for entry in reversed(entries):  # feeds list newest first; the desk should receive in filing order
            _ingest_safely(agency, entry, sections, summary)
        listed = [entry.guid for entry in entries if not entry.canceled]
        if agency.feed_vanished_withdrawn and listed:  # an empty read is a hiccup, not a mass withdrawal
            summary.withdrawn += _withdraw_vanished(agency, set(state.seen_guids) - set(listed))
        if listed:
            state.seen_guids = listed
    record_success(state, fetched, agency.feed_interval, now)
    state.save()


def _ingest_safely(agency, entry, sections, summary):
    try:
        with transaction.atomic():
            ingest_entry(agency, entry, sections, summary)
    except NoSection:
        summary.errors.append("لا يوجد قسم تُوضع فيه المسودات: أنشئ قسماً أو اختر قسم الخدمة في الوكالة")
    except Exception as error:  # noqa: BLE001 - one bad item must not stop the feed
        logger.exception("wire: %s: item %s skipped", agency.name, entry.guid[:120])
        summary.errors.append(f"تعذّرت معالجة الخبر {entry.guid[:120]} ({type(error).__name__})")


def ingest_entry(agency, entry, sections, summary):
    """Create, revise or withdraw the WireItem (and draft) for one WireEntry; counts go into ``summary``."""
    item = WireItem.objects.select_for_update().filter(agency=agency, guid=entry.guid).first()
    if entry.canceled:
        if item is not None and not item.withdrawn:
            withdraw(item)
            summary.withdrawn += 1
        return  # a kill notice for an item never received has nothing to withdraw
    if item is None:
        _create(agency, entry, sections, summary)
    elif is_newer(entry, item):
        _update(item, entry)
        summary.updated += 1


def is_newer(entry, item):
    """A higher version number, or the same one with a later time from the agency."""
    if entry.version != item.version:
        return entry.version > item.version
    return bool(entry.updated and item.source_updated_at and entry.updated > item.source_updated_at)


def _create(agency, entry, sections, summary):
    copy = prepare(entry)
    page = drafts.create_draft(agency, sections.choose(), copy, entry.url)
    item = WireItem.objects.create(
        agency=agency, guid=entry.guid, version=entry.version, source_updated_at=entry.updated, url=entry.url,
        headline=copy.headline[:500], dateline=copy.dateline, body_html=copy.body_html, article=page,
    )
    group = dedup.assign_group(item)
    summary.new += 1
    if group is not None and (group.article_id or group.items.exclude(pk=item.pk).exists()):
        summary.duplicates += 1


def _update(item, entry):
    copy = prepare(entry)
    item.version, item.source_updated_at, item.url = entry.version, entry.updated, entry.url or item.url
    item.headline, item.dateline, item.body_html = copy.headline[:500], copy.dateline, copy.body_html
    item.times_updated += 1
    if item.article is not None and not drafts.revise_draft(item.article, copy, item.url):
        item.alert = WireItem.UPDATED_AFTER_PUBLISH  # the live article is the editors'; the desk decides
    item.signature = b""  # the text changed: dedup computes it again
    item.save()
    dedup.assign_group(item)


def withdraw(item):
    """Flag ``item`` as withdrawn by its agency; its article, live or not, is left for the desk to act on."""
    item.withdrawn = True
    item.alert = WireItem.WITHDRAWN
    item.save()


def _withdraw_vanished(agency, guids):
    count = 0
    for item in WireItem.objects.filter(agency=agency, guid__in=guids, withdrawn=False):
        with transaction.atomic():
            withdraw(item)
        count += 1
    return count


class _SectionChooser:
    """The section new drafts go to, looked up once per pull and only when a new item needs it."""

    def __init__(self, agency, fallback):
        self.agency, self.fallback, self.section = agency, fallback, None

    def choose(self):
        if self.section is None:
            self.section = self.agency.feed_section or self.fallback or first_top_level_section()
        if self.section is None:
            raise NoSection
        return self.section


def first_top_level_section():
    """The first section under the home page (in the menu's order), or None on an empty site."""
    home = HomePage.objects.first()
    return SectionPage.objects.child_of(home).order_by("path").first() if home else None
