"""The words of a story that say what happened: no dateline, no agency credit, folded like search.

Two agencies filing the same event differ in the wrappers (``القاهرة (رويترز) -`` against
``القاهرة - أ ف ب:``, a closing ``(وكالات)``) and in spelling (hamza, teh marbuta, tashkeel,
Arabic-Indic digits). Near-duplicate detection compares what is left once those are gone.
"""

from __future__ import annotations

import re

from khabar.arabic.analyze import Analyzer
from khabar.news.article_text import KNOWN_AGENCIES, split_agency_credit, split_dateline

# Words the agencies put in credits, as whole words: they say who filed the story, not what happened.
_AGENCY_WORDS = sorted(KNOWN_AGENCIES, key=len, reverse=True)
_AGENCY_ALTERNATION = "|".join(map(re.escape, _AGENCY_WORDS))
# "(أ ف ب)", "[رويترز]", "(CNN)" anywhere: a credit in brackets.
_BRACKETED_CREDIT = re.compile(r"[(\[]\s*(?:" + _AGENCY_ALTERNATION + r"|[A-Za-z .]{2,12})\s*[)\]]")
# "دبي، الإمارات العربية المتحدة (CNN)-- " / "القاهرة (رويترز) - ": a place, a bracketed credit, a dash.
_LEAD_WRAPPER = re.compile(r"^[^()\n.:]{0,60}?[(\[][^()\[\]\n]{1,30}[)\]]\s*[-–—:]+\s*")
# "القاهرة - أ ف ب:" / "باريس – الأناضول -": a place, a dash, a credit, a colon or dash.
_LEAD_PLACE_CREDIT = re.compile(r"^[^()\n.:]{0,40}?\s[-–—]\s*(?:" + _AGENCY_ALTERNATION + r")\s*[-–—:]+\s*")
# An opening line that is only a dateline with a date and a credit: "الرياض 26 شوال ... واس".
_DATELINE_LINE = re.compile(r"^.{0,120}\s(?:" + _AGENCY_ALTERNATION + r")\s*[.:]?$")
_DATELINE_LINE_WORDS = 16

# Light stemming makes "وقال"/"قال" and "المسؤولون"/"المسؤولين" one word, so reworded clauses still meet.
STORY_ANALYZER = Analyzer()


def story_paragraphs(body_text: str) -> list[str]:
    """Paragraphs of ``body_text`` with the dateline and the agency credits lifted off."""
    paragraphs = [p.strip() for p in (body_text or "").split("\n") if p.strip()]
    if paragraphs and len(paragraphs[0].split()) <= _DATELINE_LINE_WORDS and _DATELINE_LINE.match(paragraphs[0]):
        paragraphs = paragraphs[1:]
    if paragraphs:
        lead = _LEAD_WRAPPER.sub("", paragraphs[0], count=1)
        lead = _LEAD_PLACE_CREDIT.sub("", lead, count=1)
        paragraphs = [lead] + paragraphs[1:]
    _, paragraphs = split_dateline(paragraphs)
    _, paragraphs = split_agency_credit(paragraphs)
    return [text for p in paragraphs if (text := _BRACKETED_CREDIT.sub(" ", p).strip())]


def story_words(headline: str, body_text: str) -> list[str]:
    """The folded, stemmed, stopword-free words of a story: its headline, then its body."""
    # One pass over the whole text: the analyser's per-call overhead costs more than its per-word work.
    return STORY_ANALYZER.index_terms("\n".join([headline or "", *story_paragraphs(body_text)]))[1]
