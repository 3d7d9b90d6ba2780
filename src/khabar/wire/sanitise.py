"""Agency copy made safe and tidy for a draft: allowed HTML only, dateline and credit lifted off.

The HTML passes through nh3 with a short allow-list (paragraphs, bold, italic, links with http,
https or mailto only, quotes, lists, h2/h3): scripts, styles, frames, event attributes and
``javascript:`` links never reach the editor. Then, as khabar's own importers do with plain copy
(``khabar.news.article_text``), the lead's "موسكو:" (or "موسكو - أ ف ب:") becomes the dateline,
the closing "(أ ف ب)" is dropped because the article credits the agency itself, and punctuation a
bidi round-trip moved in front of a number is put back (``khabar.arabic``).
"""

import re
from dataclasses import dataclass
from html import escape, unescape

import nh3

from khabar.arabic import repair_bidi_punctuation
from khabar.news import article_text

ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "a", "blockquote", "ul", "ol", "li", "h2", "h3"}
# Removed with everything inside them, not just unwrapped: their content is code, not copy.
DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
    "textarea", "select", "title",
}
HEADLINE_LENGTH = 255  # Wagtail's page title
DATELINE_LENGTH = 80  # ArticlePage.dateline

_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes={"a": {"href"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener nofollow",
    strip_comments=True,
)
_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags=DROPPED_WITH_CONTENT)

_BLOCK_TAGS = ("p", "h2", "h3", "ul", "ol", "blockquote")
_BLOCK_TAG = re.compile(r"<(/?)(" + "|".join(_BLOCK_TAGS) + r")\b[^>]*>")
_TAG_SPLIT = re.compile(r"(<[^>]*>)")
_DEAD_LINK = re.compile(r"<a rel=\"noopener nofollow\">(.*?)</a>", re.S)  # its href was refused
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")
# Wagtail stores bold and italic as <b> and <i>.
_RENAMES = [(re.compile(r"<(/?)strong>"), r"<\1b>"), (re.compile(r"<(/?)em>"), r"<\1i>")]

# "موسكو - أ ف ب: …" and "بيروت (رويترز) - …": a place of one to three words, then the agency.
_PLACE = r"[\u0621-\u064A][\u0621-\u064A\u064B-\u0652\u0640 ]{1,28}?"
_AGENCY_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE})\s*(?:[-–—]\s*(?P<credit>[^():\-–—\n]{{1,30}}?)\s*:|"
    rf"\(\s*(?P<bracketed>[^()\n]{{1,30}}?)\s*\)\s*[-–—:])\s*(?=\S)"
)


@dataclass
class CleanCopy:
    """What a draft is made of: the headline, the place of filing and the safe body HTML."""

    headline: str
    dateline: str
    body_html: str


def prepare(entry):
    """The CleanCopy of a WireEntry: safe HTML, dateline from the feed or the lead, no closing credit."""
    body = clean_html(entry.body_html)
    lead_dateline, body = lift_dateline(body)
    body = drop_closing_credit(body)
    dateline = clean_text(entry.dateline) or lead_dateline
    return CleanCopy(
        headline=article_text.shorten(clean_text(entry.headline), HEADLINE_LENGTH),
        dateline=dateline[:DATELINE_LENGTH],
        body_html=body,
    )


def clean_text(text):
    """Plain one-line text (a headline, a place): tags and controls dropped, bidi punctuation repaired."""
    text = unescape(_TEXT_ONLY.clean(text or ""))
    return repair_bidi_punctuation(" ".join(text.split()))


def clean_html(markup):
    """Body HTML reduced to the allow-list, in paragraphs, with each text run's bidi punctuation repaired."""
    markup = markup or ""
    if "<" not in markup:  # plain copy: paragraphs by line
        return article_text.paragraphs_to_html(article_text.split_paragraphs(unescape(markup)))
    html = _CLEANER.clean(markup)
    html = _DEAD_LINK.sub(r"\1", html)
    for pattern, replacement in _RENAMES:
        html = pattern.sub(replacement, html)
    html = _repair_text_runs(_wrap_loose_text(html))
    return _EMPTY_PARAGRAPH.sub("", html).strip()


def _repair_text_runs(html):
    parts = _TAG_SPLIT.split(html)
    for index in range(0, len(parts), 2):  # even indexes are text between tags
        if parts[index].strip():
            parts[index] = escape(repair_bidi_punctuation(unescape(parts[index])), quote=False)
    return "".join(parts)


def _wrap_loose_text(html):
    """Text and inline tags outside any block put into paragraphs (split at a double <br>), as rich text wants."""
    out, depth, position = [], 0, 0
    for match in _BLOCK_TAG.finditer(html):
        between = html[position:match.start()]
        out.append(_paragraphs(between) if depth == 0 else between)  # nh3's output is well nested
        out.append(match.group(0))
        depth = max(depth + (-1 if match.group(1) else 1), 0)
        position = match.end()
    out.append(_paragraphs(html[position:]) if depth == 0 else html[position:])
    return "".join(out)


def _paragraphs(fragment):
    pieces = re.split(r"(?:\s*<br>\s*){2,}|\n\s*\n", fragment)
    return "".join(f"<p>{piece.strip()}</p>" for piece in pieces if re.sub(r"<[^>]*>|\s", "", piece))


def lift_dateline(html):
    """(dateline, html) with "موسكو:" or "موسكو - أ ف ب:" taken off the first paragraph; ("", html) if none."""
    match = re.match(r"\s*<p>([^<]*)", html)
    if not match:
        return "", html
    lead = unescape(match.group(1))
    agency_form = _AGENCY_DATELINE.match(lead)
    if agency_form and _is_place(agency_form.group("place")):
        place, rest = " ".join(agency_form.group("place").split()), lead[agency_form.end():]
    else:
        place, rest = article_text.split_dateline([lead])
        rest = rest[0] if place else lead
    if not place:
        return "", html
    return place, f"<p>{escape(rest, quote=False)}{html[match.end():]}"


def _is_place(words):
    """Whether ``words`` pass the test a plain "موسكو:" dateline passes (up to three words, not "وقال")."""
    place, _ = article_text.split_dateline([f"{' '.join(words.split())}: …"])
    return bool(place)


def drop_closing_credit(html):
    """``html`` without a last paragraph that is only "(وكالات)", or a "(أ ف ب)" closing the last paragraph."""
    match = re.search(r"<p>([^<]*)</p>\s*$", html)
    if not match:
        return html
    credit, kept = article_text.split_agency_credit([unescape(match.group(1))])
    if not credit:
        return html
    closing = f"<p>{escape(kept[0], quote=False)}</p>" if kept and kept[0].strip() else ""
    return (html[: match.start()] + closing).strip()
