"""Near-duplicate grouping: the same story from several agencies, and from articles of the last 48 hours.

The ingest calls ``assign_group(item)`` after saving each item. A story is reduced to its words
(``story_text``: no dateline, no credit, folded and stemmed like search), then to a bottom-k
sketch of its 3-word shingles (``sketch``). An item joins the story group of its best match
among the wire items received and the articles published in the last 48 hours, when the match
covers at least ``THRESHOLD`` of the shorter story. Shingle length, score and threshold were
chosen by ``bench/wire_dedup.py`` (see the README, "Duplicate stories").
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from khabar.news.article_text import rich_text_paragraphs

from .models import StoryGroup, WireItem
from .recent import RecentArticles, RecentItems
from .sketch import SHINGLE_WORDS, SKETCH_SIZE, Sketch, containment, jaccard
from .story_text import story_words

__all__ = ["WINDOW", "THRESHOLD", "SHINGLE_WORDS", "SKETCH_SIZE", "signature", "similarity", "match_score",
           "item_signature", "assign_group", "reset_index"]

WINDOW = timedelta(hours=48)
# Share of the shorter story's shingles the other must contain; chosen on one half of the bench's pairs.
THRESHOLD = 0.71
_PROPOSALS = 5  # rounds of candidates to try when the index proposes items the database no longer has


def signature(headline: str, body_text: str) -> bytes:
    """The stored near-duplicate signature of a story (a bottom-k sketch of its word shingles)."""
    return sketch_of(headline, body_text).to_bytes()


def sketch_of(headline: str, body_text: str) -> Sketch:
    """The parsed form of ``signature(headline, body_text)``, without the round trip through bytes."""
    return Sketch.of_words(story_words(headline, body_text), SHINGLE_WORDS)


def similarity(sig_a: bytes, sig_b: bytes) -> float:
    """Estimated Jaccard similarity (0..1) of the two stories' shingle sets."""
    return jaccard(Sketch.parse(sig_a), Sketch.parse(sig_b))


def match_score(sig_a: bytes, sig_b: bytes) -> float:
    """Estimated share (0..1) of the shorter story's shingles that the other contains: what grouping uses."""
    return containment(Sketch.parse(sig_a), Sketch.parse(sig_b))


def item_signature(item: WireItem) -> bytes:
    """The signature of a wire item: its headline and the text of its (sanitised) body."""
    return signature(item.headline, item_body_text(item))


def item_body_text(item: WireItem) -> str:
    return "\n".join(rich_text_paragraphs(item.body_html))


_recent_items = RecentItems()
_recent_articles = RecentArticles(signature)


def reset_index() -> None:
    """Forget this process's copy of the window (it is read again on the next call)."""
    with _recent_items.lock:
        _recent_items.reset()
    with _recent_articles.lock:
        _recent_articles.__init__(signature)


def _best_item(sketch: Sketch, item: WireItem, cutoff):
    """(score, id, its StoryGroup or None) of the best recent wire item, checked against the database, or None."""
    for _ in range(_PROPOSALS):
        with _recent_items.lock:
            _recent_items.sync(cutoff)
            proposed = _recent_items.index.best(sketch, THRESHOLD, exclude=item.pk)
        if not proposed:
            return None
        # The group comes with the check, in the same query: joining it needs no second read.
        rows = WireItem.objects.filter(pk__in=[pk for _, pk in proposed], received_at__gte=cutoff).order_by()
        found = {
            pk: (stored, _group(rows.db, group_id, created_at, article_id))
            for pk, stored, group_id, created_at, article_id in rows.values_list(
                "pk", "signature", "group_id", "group__created_at", "group__article_id"
            )
        }
        checked = [(containment(sketch, Sketch.parse(stored)), pk, group) for pk, (stored, group) in found.items()]
        checked = [row for row in checked if row[0] >= THRESHOLD]
        if checked:
            return max(checked, key=lambda row: (row[0], -row[1]))
        if len(found) == len(proposed):
            return None
        with _recent_items.lock:  # proposals the database no longer has: forget them and ask again
            for _, pk in proposed:
                if pk not in found:
                    _recent_items.forget(pk)
    return None


def _group(db, pk, created_at, article_id) -> StoryGroup | None:
    if pk is None:
        return None
    return StoryGroup.from_db(db, ["id", "created_at", "article_id"], [pk, created_at, article_id])


def _best_article(sketch: Sketch, cutoff):
    """(score, page id) of the best article published since ``cutoff``, or None."""
    with _recent_articles.lock:
        _recent_articles.sync(cutoff)
        proposed = _recent_articles.index.best(sketch, THRESHOLD, limit=1)
    return proposed[0] if proposed else None


def _group_of_article(page_id: int) -> StoryGroup:
    group = StoryGroup.objects.filter(article_id=page_id).order_by("-pk").first()
    return group or StoryGroup.objects.create(article_id=page_id)


def _group_with_item(item_id: int, article_id: int | None) -> StoryGroup | None:
    """The matched item's group, made for it (and the article) when it has none; safe against a race."""
    group = _group_of_article(article_id) if article_id else StoryGroup.objects.create()
    if not WireItem.objects.filter(pk=item_id, group__isnull=True).update(group=group):
        theirs = WireItem.objects.filter(pk=item_id).values_list("group_id", flat=True).first()
        if article_id is None:
            group.delete()
        if theirs is None:  # the matched item was deleted meanwhile: only the article's group is left
            return group if article_id else None
        return StoryGroup.objects.get(pk=theirs)
    return group


def assign_group(item: WireItem) -> StoryGroup | None:
    """Put ``item`` in the story group of its best near-duplicate of the last 48 hours; return the group.

    Computes ``item.signature`` when empty (the ingest clears it when a new version arrives),
    compares it with the wire items received and the articles published in the last 48 hours,
    and joins the best match's group, creating one (linked to the article when the match is
    one). With no match the item keeps the group it had (None for a new item). Saves
    ``signature`` and ``group`` only; calling it again changes nothing.
    """
    if item.signature and item.group_id:
        return item.group
    if item.signature:
        sketch = Sketch.parse(item.signature)
    else:
        sketch = sketch_of(item.headline, item_body_text(item))
        item.signature = sketch.to_bytes()
    now = timezone.now()
    cutoff = now - WINDOW
    best_item = _best_item(sketch, item, cutoff)
    best_article = _best_article(sketch, cutoff)
    with transaction.atomic():
        if best_item and (not best_article or best_item[0] >= best_article[0]):
            _, match_id, group = best_item
            if group is not None:
                if best_article and group.article_id is None:
                    group.article_id = best_article[1]
                    group.save(update_fields=["article"])
            else:
                group = _group_with_item(match_id, best_article[1] if best_article else None)
        elif best_article:
            group = _group_of_article(best_article[1])
        else:
            group = item.group
        item.group = group
        item.save(update_fields=["signature", "group"])
    with _recent_items.lock:
        _recent_items.add(item.pk, item.received_at or now, sketch)
    return group
