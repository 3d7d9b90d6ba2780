"""Reading the parts of plain news copy: the dateline, the agency credit, the paragraphs.

Agency copy arrives as text: "موسكو: بحث المسؤولون..." opens with the place it was
filed from, and "(وكالات)" or "(أ ف ب)" closes it. These helpers lift both out so
they can be stored as fields and rendered (and marked up for search engines) apart
from the body.
"""

import re
from html import unescape

from django.utils.html import escape

from khabar.arabic import repair_bidi_punctuation

# Credits as they appear between brackets, with the agency each one names.
KNOWN_AGENCIES = {
    "وكالات": "وكالات",
    "رويترز": "رويترز",
    "أ ف ب": "وكالة الصحافة الفرنسية",
    "أ.ف.ب": "وكالة الصحافة الفرنسية",
    "ا ف ب": "وكالة الصحافة الفرنسية",
    "فرانس برس": "وكالة الصحافة الفرنسية",
    "أ ب": "أسوشيتد برس",
    "أسوشيتد برس": "أسوشيتد برس",
    "د ب أ": "وكالة الأنباء الألمانية",
    "د.ب.أ": "وكالة الأنباء الألمانية",
    "واس": "وكالة الأنباء السعودية",
    "وام": "وكالة أنباء الإمارات",
    "قنا": "وكالة الأنباء القطرية",
    "كونا": "وكالة الأنباء الكويتية",
    "بترا": "وكالة الأنباء الأردنية",
    "سانا": "الوكالة العربية السورية للأنباء",
    "وفا": "وكالة الأنباء الفلسطينية",
    "الأناضول": "وكالة الأناضول",
    "شينخوا": "وكالة شينخوا",
    "سبوتنيك": "سبوتنيك",
    "يو بي آي": "يونايتد برس إنترناشونال",
}

# A whole paragraph that is only a bracketed credit: "(وكالات)", "(رويترز)."
_CREDIT_PARAGRAPH = re.compile(r"^[(\[]\s*([^()\[\]\n]{2,40}?)\s*[)\]]\s*[.。]?$")
# A known credit closing the last paragraph: "... في القطاع. (أ ف ب)"
_TRAILING_CREDIT = re.compile(r"\s*[(\[]\s*(" + "|".join(map(re.escape, KNOWN_AGENCIES)) + r")\s*[)\]]\s*[.]?$")
# "موسكو: ..." — a place of one to three words, then a colon, opening the lead.
_DATELINE = re.compile(r"^([\u0621-\u064A][\u0621-\u064A\u064B-\u0652\u0640 ]{1,28}?)\s*:\s+(?=\S)")
# Words that open reported speech rather than name a place ("وقال: ...").
_NOT_PLACES = {
    "قال", "وقال", "قالت", "وقالت", "أضاف", "وأضاف", "أضافت", "وأضافت", "أكد", "وأكد", "أكدت", "وأكدت",
    "أوضح", "وأوضح", "تابع", "وتابع", "المصدر", "ملاحظة", "تنويه", "تحديث", "عاجل", "شاهد", "اقرأ", "يذكر",
    "ويذكر", "المصدر", "الصورة", "البيان", "نص", "السؤال", "الجواب", "س", "ج",
}


def split_paragraphs(text):
    """Paragraphs of plain copy, separated by blank lines (or single newlines), stripped."""
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text or "") if p.strip()]


def split_dateline(paragraphs):
    """(dateline, paragraphs) with "موسكو:" lifted off the lead; ("", paragraphs) when there is none."""
    if not paragraphs:
        return "", paragraphs
    match = _DATELINE.match(paragraphs[0])
    if not match:
        return "", paragraphs
    place = " ".join(match.group(1).split())
    words = place.split()
    if len(words) > 3 or words[0] in _NOT_PLACES:
        return "", paragraphs
    return place, [paragraphs[0][match.end():]] + paragraphs[1:]


def split_agency_credit(paragraphs):
    """(credit, paragraphs) with a closing "(وكالات)" lifted off; ("", paragraphs) when there is none."""
    if not paragraphs:
        return "", paragraphs
    last = paragraphs[-1]
    match = _CREDIT_PARAGRAPH.match(last)
    if match and len(match.group(1).split()) <= 4:
        return match.group(1).strip(), paragraphs[:-1]
    match = _TRAILING_CREDIT.search(last)
    if match and match.start() > 0:
        return match.group(1), paragraphs[:-1] + [last[: match.start()].rstrip()]
    return "", paragraphs


def agency_name(credit):
    """The agency a credit names: "أ ف ب" → "وكالة الصحافة الفرنسية"; unknown credits name themselves."""
    return KNOWN_AGENCIES.get(" ".join(credit.split()), credit)


def paragraphs_to_html(paragraphs):
    """Rich-text HTML for plain paragraphs, escaped, with bidi-displaced punctuation repaired."""
    return "".join(f"<p>{escape(repair_bidi_punctuation(p))}</p>" for p in paragraphs)


# Where one block of rich text ends or the next begins: the words on either side are separate
# words, though "<p>…غزة.</p><p>وقالت…" has no space between them.
_BLOCK_BOUNDARY = re.compile(
    r"</?(?:p|h[1-6]|li|ul|ol|blockquote|div|pre|figure|figcaption|table|tr|td|th)\b[^>]*>|<br\s*/?>|<hr\s*/?>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")


def rich_text_paragraphs(markup):
    """The paragraphs of a rich-text fragment as plain text: tags dropped, entities decoded.

    Every block boundary (and ``<br>``) separates paragraphs, so text joined from them keeps
    its word boundaries wherever it is later joined or cut.
    """
    text = unescape(_TAG.sub("", _BLOCK_BOUNDARY.sub("\n", markup or "")))
    return [line.strip() for line in text.split("\n") if line.strip()]


def shorten(text, limit):
    """``text`` when it fits in ``limit`` characters, else its whole words that fit, then "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1]  # a space right after the limit means the last word is whole
    boundary = head.rfind(" ")
    cut = head[:boundary] if boundary > 0 else text[:limit]  # one endless word: cut it anyway
    return cut.rstrip(" ،؛,;:") + "…"
