"""The words of a story that say what happened: no dateline, no agency credit, folded like search.

Two agencies filing the same event differ in the wrappers (``القاهرة (رويترز) -`` against
``القاهرة - أ ف ب:``, a closing ``(وكالات)``) and in spelling (hamza, teh marbuta, tashkeel,
Arabic-Indic digits). Near-duplicate detection compares what is left once those are gone.
"""

from __future__ import annotations

import re
from itertools import chain, islice

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
    return text_words("\n".join([headline or "", *story_paragraphs(body_text)]))


# What each whitespace-separated chunk of text ("وقال"، "(رويترز)"، "2015م") analyses to: agency copy
# repeats its vocabulary, so most chunks are known and a story costs a split and dictionary lookups.
_CHUNK_STEMS: dict[str, tuple[str, ...]] = {}
_CHUNK_LIMIT = 200_000
_CHUNK_LENGTH = 60


def text_words(text: str) -> list[str]:
    """``STORY_ANALYZER.index_terms(text)[1]``, from a per-chunk cache.

    The same words: no analyser token spans whitespace, and NFC never composes across it, so
    analysing chunk by chunk and joining gives what analysing the whole text gives.
    """
    chunks = text.split()
    lookup = _CHUNK_STEMS.__getitem__
    try:
        return list(chain.from_iterable(map(lookup, chunks)))
    except KeyError:  # chunks never seen
        pass
    fresh = _analyse_chunks(list(set(chunks).difference(_CHUNK_STEMS)))
    if len(_CHUNK_STEMS) + len(fresh) > _CHUNK_LIMIT:
        # The older half goes (a dict keeps insertion order): the words of this week's news stay.
        for chunk in list(islice(_CHUNK_STEMS, len(_CHUNK_STEMS) // 2)):
            del _CHUNK_STEMS[chunk]
    # Long chunks (run-together text, URLs) rarely repeat: not worth their memory.
    _CHUNK_STEMS.update((chunk, words) for chunk, words in fresh.items() if len(chunk) <= _CHUNK_LENGTH)
    try:
        return list(chain.from_iterable(map(lookup, chunks)))
    except KeyError:  # a long chunk, or the cache was cleared meanwhile: look each chunk up where it is
        stems = {chunk: fresh[chunk] if chunk in fresh else _analyse_chunks([chunk])[chunk] for chunk in set(chunks)}
        return list(chain.from_iterable(map(stems.__getitem__, chunks)))


# Put between chunks analysed together: a number, one term of its own, so the terms split back by chunk.
_SEPARATOR = "7301946285"
_SEPARATOR_TERMS = STORY_ANALYZER.index_terms(_SEPARATOR)[1]


def _analyse_chunks(chunks: list[str]) -> dict[str, tuple[str, ...]]:
    """What ``STORY_ANALYZER.index_terms(chunk)[1]`` gives for each chunk, in one call of the analyser.

    Per chunk, the analyser's fixed cost per call would outweigh its work: the chunks are analysed
    as one text, a separator between them. Should a chunk itself give the separator's term, each
    chunk is analysed alone.
    """
    terms = STORY_ANALYZER.index_terms(f" {_SEPARATOR} ".join(chunks))[1] if chunks else []
    (separator,) = _SEPARATOR_TERMS
    if terms.count(separator) != len(chunks) - 1:
        return {chunk: tuple(STORY_ANALYZER.index_terms(chunk)[1]) for chunk in chunks}
    found: dict[str, tuple[str, ...]] = {}
    start = 0
    for chunk in chunks:
        end = terms.index(separator, start) if len(found) < len(chunks) - 1 else len(terms)
        found[chunk] = tuple(terms[start:end])
        start = end + 1
    return found
