"""Per-source limits kept in Django's cache: one comment per 15 seconds, a few per hour.

A source is the hashed IP address and, separately, the hashed e-mail address, so
neither changing address nor changing e-mail escapes the limit. ``cache.add`` is
atomic in every backend Django ships (and in Redis), so two submissions racing
each other cannot both pass the 15-second gate.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from khabar.request_source import count_attempt

PREFIX = "khabar:comments:rate"


@dataclass(frozen=True)
class Refusal:
    message: str
    retry_after: int


def admit(*sources):
    """Count a submission from ``sources`` (hashes); a Refusal when one of them is over a limit."""
    sources = [source for source in sources if source]
    flood = settings.KHABAR_COMMENTS_FLOOD_SECONDS
    if flood > 0:
        for source in sources:
            if not cache.add(f"{PREFIX}:flood:{source}", 1, timeout=flood):
                return Refusal(
                    f"تمهّل قليلاً: وصل منك تعليق قبل لحظات. انتظر {flood} ثانية ثم أعد الإرسال؛ نصّك محفوظ أدناه.",
                    flood,
                )
    hourly = settings.KHABAR_COMMENTS_HOURLY_LIMIT
    if hourly > 0:
        for source in sources:
            if count_attempt(f"{PREFIX}:hour:{source}", 3600) > hourly:
                return Refusal("أرسلت تعليقات كثيرة خلال ساعة واحدة. حاول مرة أخرى لاحقاً؛ نصّك محفوظ أدناه.", 3600)
    return None
