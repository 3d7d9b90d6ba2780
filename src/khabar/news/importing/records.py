"""Reading the corpus format: one JSON object per line, checked and turned into a plain Record.

Nothing here touches the database, so a file can be read, validated and reported on
without writing a page. Every problem is a BadRecord whose message names the field at
fault in words an editor can act on; the caller adds the line number.
"""

import gzip
import json
from dataclasses import dataclass, field
from datetime import datetime, time as dtime

from django.utils import timezone

from khabar.news import article_text

DEFAULT_SECTION = "أخبار"


class BadRecord(ValueError):
    """A line that cannot become an article; the message says why, in words an editor reads."""


@dataclass
class Record:
    """One article as the file gives it, its dateline and agency credit already lifted out of the body."""

    id: str
    title: str
    paragraphs: list
    section: str
    published: datetime
    source: str = ""
    url: str = ""
    dateline: str = ""
    credit: str = ""
    tags: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    breaking: bool = False


def open_lines(path):
    """Lines of a .jsonl or .jsonl.gz file, decoded as UTF-8."""
    opener = gzip.open if str(path).endswith(".gz") else open
    return opener(path, "rt", encoding="utf-8", errors="replace")


def parse_record(line):
    """A Record from one JSON line, or BadRecord saying what is wrong with it."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadRecord(f"not valid JSON ({error.msg})") from None
    if not isinstance(data, dict):
        raise BadRecord("not a JSON object")
    record_id = _text(data, "id", required=True, limit=120)
    title = _text(data, "title", required=True, limit=255)
    paragraphs = article_text.split_paragraphs(_text(data, "body", required=True))
    if not paragraphs:
        raise BadRecord("'body' is empty")
    credit, paragraphs = article_text.split_agency_credit(paragraphs)
    if not paragraphs:
        raise BadRecord("'body' holds nothing but the agency credit")
    dateline = _text(data, "dateline", limit=80)
    if dateline:
        dateline = dateline.rstrip(":").strip()
        if paragraphs[0].startswith(dateline):
            paragraphs[0] = paragraphs[0][len(dateline):].lstrip(" :")
    else:
        dateline, paragraphs = article_text.split_dateline(paragraphs)
    agencies = [name[:60] for name in _names(data, "agency")]
    breaking = data.get("breaking", False)
    if not isinstance(breaking, bool):
        raise BadRecord("'breaking' must be true or false")
    url = _text(data, "url")
    if not url.startswith(("http://", "https://")) or len(url) > 500:
        url = ""  # an optional link that cannot be stored is dropped, not the article
    return Record(
        id=record_id,
        title=title,
        paragraphs=[p for p in paragraphs if p],
        section=_text(data, "section", limit=80) or DEFAULT_SECTION,
        published=parse_published(_text(data, "published", required=True)),
        source=_text(data, "source", limit=120),
        url=url,
        dateline=dateline,
        credit=agencies[0] if agencies else credit,
        tags=[t[:100] for t in _names(data, "tags")],
        authors=[name[:120] for name in _names(data, "authors")],
        breaking=breaking,
    )


def parse_published(value):
    """An aware datetime from ISO 8601; a bare date is taken as noon in the site's time zone."""
    try:
        if len(value) == 10:
            moment = datetime.combine(datetime.fromisoformat(value).date(), dtime(12, 0))
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        raise BadRecord(f"'published' is not an ISO 8601 date: {value!r}") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _text(data, key, required=False, limit=None):
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BadRecord(f"missing {key!r}")
        return ""
    if not isinstance(value, str):
        raise BadRecord(f"{key!r} must be a string")
    value = " ".join(value.split()) if key != "body" else value.strip()
    if limit and len(value) > limit:
        raise BadRecord(f"{key!r} is longer than {limit} characters")
    return value


def _names(data, key):
    value = data.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRecord(f"{key!r} must be a string or a list of strings")
    return [" ".join(v.split()) for v in value if v.strip()]
