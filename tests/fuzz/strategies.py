"""What a reader, a bot or a broken client may send, as Hypothesis strategies, and the run's budget.

The budget: every fuzz test is decorated with ``FUZZ`` (or ``FUZZ_SLOW`` for one POST
plus page render per example), the ``khabar-fuzz-ci`` profile by default: a fixed number
of examples, no deadline (two shared cores), derandomized so that CI runs the same
inputs every time, and no example database written into the tree.
``KHABAR_FUZZ_EXAMPLES=2000`` selects ``khabar-fuzz-long``: that many examples per test,
drawn afresh on each run (``KHABAR_FUZZ_DERANDOMIZE=1`` keeps them fixed).
"""

import os
import string
from urllib.parse import quote_from_bytes

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

CI_EXAMPLES = 40
_LONG_EXAMPLES = int(os.environ.get("KHABAR_FUZZ_EXAMPLES", "0") or 0)

settings.register_profile(
    "khabar-fuzz-ci",
    max_examples=CI_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    # One site is built per module and reused by every example; inputs are often long on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "khabar-fuzz-long",
    parent=settings.get_profile("khabar-fuzz-ci"),
    max_examples=max(_LONG_EXAMPLES, 1),
    derandomize=os.environ.get("KHABAR_FUZZ_DERANDOMIZE", "") == "1",
)
FUZZ = settings.get_profile("khabar-fuzz-long" if _LONG_EXAMPLES else "khabar-fuzz-ci")
# A POST that renders the whole article page again costs ~5x a GET: half the examples in CI.
FUZZ_SLOW = settings(FUZZ, max_examples=FUZZ.max_examples if _LONG_EXAMPLES else CI_EXAMPLES // 2)

# --- characters -----------------------------------------------------------------------------

ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
ARABIC_WORD = st.text(ARABIC, min_size=1, max_size=12)
# Zero-width and bidi controls: ZWSP, ZWNJ, ZWJ, LRM, RLM, LRE…RLO, LRI…PDI, ALM, BOM, soft hyphen, fillers.
INVISIBLE = st.sampled_from([
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069", "\u061c", "\ufeff", "\u00ad", "\u2028", "\u2029", "\u3164",
    "\u034f", "\u2800", "\u0640",
])
CONTROL = st.characters(max_codepoint=0x1F) | st.sampled_from(["\x7f", "\x85", "\x9f", "\x00"])
SURROGATE = st.integers(0xD800, 0xDFFF).map(chr)
# Syntax that means something to some layer: URLs, HTML, SQL, FTS5, tsquery, format strings, numbers.
TRICKY = st.sampled_from([
    "%", "%%", "%00", "%zz", "&", "=", "+", ";", "#", "?", "/", "\\", "..", "../", "'", '"', "`", "<script>",
    "</textarea>", "{{ x }}", "{% x %}", "%(x)s", "{0}", "NEAR(", "*", "^", ":*", "&&", "!", "|", "-", "--",
    "«", "»", "“", "OR", "AND", "NOT", "' OR 1=1 --", "\\x00", "٠١٢", "١٢٣٤", "۴۵", "∞", "NaN", "-0", "1e309",
    "0x1F", "9" * 30, " ", "\t", "\r\n", "\n", "ﷺ", "ﻻ", "👍🏽", "🇸🇦", "e\u0301", "ß", "İ", "K", "ſ",
    "ليلى@مثال.com", "a@b.c", "http://", "javascript:alert(1)", "data:text/html,x",
])
CHUNK = st.one_of(
    ARABIC_WORD,
    st.text(max_size=8),  # any scalar value Hypothesis likes, mixed scripts included
    INVISIBLE,
    CONTROL,
    TRICKY,
)
# Text as a reader pastes it: Arabic mixed with everything else, invisible and control characters inside.
READER_TEXT = st.lists(CHUNK, max_size=12).map("".join)
# The same text with lone surrogates too: only where it travels as bytes (a raw query string, a POST body).
RAW_TEXT = st.lists(st.one_of(CHUNK, SURROGATE), max_size=12).map("".join)
HUGE_TEXT = st.builds(lambda piece, times: piece * times, st.one_of(ARABIC_WORD, TRICKY, INVISIBLE),
                      st.integers(100, 1500))
ANY_TEXT = st.one_of(READER_TEXT, RAW_TEXT, HUGE_TEXT)
# A request header as a WSGI server hands it to Django: the bytes sent, decoded as latin-1.
HEADER_TEXT = READER_TEXT.map(lambda s: s.encode("utf-8", "replace").decode("latin-1"))

# --- numbers --------------------------------------------------------------------------------

NUMBER_TEXT = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.integers(-3, 60).map(str),
    st.sampled_from([
        "", " ", "0", "-1", "1.5", "2.0", "1e3", "1e309", "inf", "-inf", "NaN", "١", "٢", "١٢", "۳", "0x10",
        " 2 ", "+3", "2 ", "last", "None", "null", "[]", "1,2", "1;2", "9" * 18, "9" * 19, "9" * 5000,
        "-9223372036854775809", "9223372036854775808", "18446744073709551616", "２",
    ]),
    READER_TEXT,
)


# --- putting values on the wire -------------------------------------------------------------

def encode(value):
    """Percent-encode ``value`` as a hostile client would: UTF-8 with lone surrogates kept (no browser does that)."""
    if isinstance(value, bytes):
        return quote_from_bytes(value, safe="")
    return quote_from_bytes(value.encode("utf-8", "surrogatepass"), safe="")


RAW_QUERY_JUNK = st.text(alphabet=string.printable.replace("#", ""), max_size=40)  # broken %-escapes, bare & and =


def query_string(params):
    """A strategy for a raw query string with ``params`` (name → value strategy), junk and repeats mixed in."""
    pairs = [st.tuples(st.just(name), values) for name, values in params.items()]
    junk_name = st.one_of(st.sampled_from(["utm_source", "fbclid", "q[]", "page[]", ""]), READER_TEXT)
    raw = st.tuples(st.just(None), st.one_of(RAW_QUERY_JUNK, st.binary(max_size=20)))
    pair = st.one_of(*pairs, st.tuples(junk_name, ANY_TEXT), raw)

    def build(chosen):
        parts = []
        for name, value in chosen:
            if name is None:
                parts.append(encode(value) if isinstance(value, bytes) else value)
            else:
                parts.append(f"{encode(name)}={encode(value)}")
        return "&".join(parts)

    return st.lists(pair, max_size=6).map(build)


def url_segment():
    """One path segment: random text, percent-encoded (so '/' and NUL stay inside it), or very long."""
    return st.one_of(
        ANY_TEXT.filter(bool).map(encode),
        st.binary(min_size=1, max_size=30).map(encode),
        st.sampled_from(["%2e%2e", "%2F", "%00", "%C0%AF", "%ED%A0%80", "%FF", "..", ".", "%20", "+", "~", "-",
                         "%E2%80%AE", "%D8%A7%D9%84"]),
    )
