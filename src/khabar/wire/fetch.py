"""Reading one agency feed over HTTP, politely, and keeping its polling state.

A conditional GET (the ETag and Last-Modified of the last good read) lets an unchanged feed answer
304 with no body. Every read has a time limit (per socket operation and for the whole body) and a
size cap, so a slow or endless feed costs one pull its time limit and nothing more. Failures are
counted on the feed's FeedState: each one doubles the wait before the next poll (up to a cap), and
the first good read resets it. The error kept for the desk is a short Arabic sentence.
"""

import time
from dataclasses import dataclass
from datetime import timedelta

import requests
from django.utils import timezone

from khabar.arabic import count_noun
from khabar.arabic.counting import CountedNoun

TIMEOUT_SECONDS = 10
MAX_BYTES = 5 * 2**20  # the largest agency feeds seen are well under 1 MiB
BACKOFF_CAP = timedelta(hours=1)  # a dead feed is still tried at least hourly
USER_AGENT = "khabar-wire/1 (news desk feed reader)"
_SECONDS = CountedNoun("ثانية", "ثانيتين", "ثوانٍ", "ثانية", "ثانية")


class FetchError(Exception):
    """The feed could not be fetched; the message is Arabic, for the desk."""


@dataclass
class Fetched:
    """A feed's answer: its body, or None when it was not modified since the last read."""

    payload: bytes | None
    etag: str = ""
    last_modified: str = ""


def fetch(url, etag="", last_modified="", session=None):
    """GET ``url`` (conditionally when ``etag``/``last_modified`` are given); FetchError on any failure."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        with (session or requests).get(url, headers=headers, timeout=TIMEOUT_SECONDS, stream=True) as response:
            if response.status_code == 304:
                return Fetched(None, etag, last_modified)
            if response.status_code != 200:
                raise FetchError(f"ردّت الخدمة برمز الخطأ {response.status_code}")
            payload = _read_capped(response, deadline)
            return Fetched(payload, response.headers.get("ETag", ""), response.headers.get("Last-Modified", ""))
    except requests.Timeout as error:
        raise FetchError(_timeout_message()) from error
    except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema) as error:
        raise FetchError("رابط الخدمة غير صالح") from error
    except requests.RequestException as error:
        raise FetchError("تعذّر الاتصال بالخدمة") from error


def _read_capped(response, deadline):
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise FetchError(_too_large_message())
    chunks, size = [], 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchError(_too_large_message())
        if time.monotonic() > deadline:  # a trickle that never times out one read at a time
            raise FetchError(_timeout_message())
        chunks.append(chunk)
    return b"".join(chunks)


def _timeout_message():
    return f"لم تردّ الخدمة خلال {count_noun(max(1, round(TIMEOUT_SECONDS)), _SECONDS)}"


def _too_large_message():
    return f"الخدمة أكبر من الحد المسموح ({MAX_BYTES // 2**20} ميغابايت)"


# --- polling state -------------------------------------------------------------------------------
def poll_delay(interval_minutes, failures):
    """The wait before the next poll: the feed's interval, doubled per failure in a row, capped."""
    interval = timedelta(minutes=max(1, interval_minutes))
    if failures <= 0:
        return interval
    return min(interval * 2 ** min(failures, 20), max(BACKOFF_CAP, interval))


def record_success(state, fetched, interval_minutes, now=None):
    """A good read: keep its validators, clear the error, poll again after the plain interval."""
    now = now or timezone.now()
    if fetched.payload is not None:  # a 304 keeps the validators it was asked with
        state.etag = fetched.etag[:300]
        state.last_modified = fetched.last_modified[:100]
    state.failures = 0
    state.last_error = ""
    state.last_polled_at = state.last_ok_at = now
    state.next_poll_at = now + poll_delay(interval_minutes, 0)


def record_failure(state, message, interval_minutes, now=None):
    """A failed read: count it, keep the message for the desk, wait twice as long as last time."""
    now = now or timezone.now()
    state.failures += 1
    state.last_error = message[:500]
    state.last_polled_at = now
    state.next_poll_at = now + poll_delay(interval_minutes, state.failures)
