"""The text helpers behind the form and the avatars, one rule per test."""

import time

import pytest

from khabar.comments import tokens
from khabar.comments.text import avatar_hue, clean_body, clean_line, count_links, has_visible_text, initials


@pytest.mark.parametrize(
    "name, expected",
    [
        ("أحمد الخطيب", "أ\u200cخ"),  # the article ال is skipped; a ZWNJ keeps the letters apart
        ("ليلى", "ل"),
        ("Jane Doe", "JD"),
        ("jane", "J"),
        ("محمد بن سلمان العلي", "م\u200cع"),
        ("123", "؟"),
        ("", "؟"),
        ("ال", "ا"),  # too short to be "ال" + a name
    ],
    ids=["arabic-two-words", "arabic-one-word", "latin", "latin-lowercase", "first-and-last", "no-letters", "empty", "bare-article"],
)
def test_initials(name, expected):
    assert initials(name) == expected


def test_avatar_colour_is_stable_per_name():
    assert avatar_hue("ليلى") == avatar_hue("ليلى")
    assert 0 <= avatar_hue("ليلى") < 360


def test_clean_line_collapses_spaces_and_drops_controls():
    assert clean_line("  سا\tمي \u202e  الحلبي\n") == "سا مي الحلبي"


def test_clean_body_keeps_paragraphs_but_not_runs_of_blank_lines():
    assert clean_body("سطر\r\n\r\n\r\n\r\nسطر  آخر   \n") == "سطر\n\nسطر آخر"


@pytest.mark.parametrize(
    "text, visible",
    [("ا", True), ("\u200d\u200c", False), ("\u3164", False), ("\u064e", False), (" \n", False), ("😀", True), (".", True)],
    ids=["letter", "joiners", "hangul-filler", "bare-fatha", "whitespace", "emoji", "full-stop"],
)
def test_visible_text(text, visible):
    assert has_visible_text(text) is visible


def test_links_are_counted_with_or_without_scheme():
    assert count_links("انظر https://a.example/x و www.b.example و c-site.com ونص عادي.") == 3
    assert count_links("لا روابط هنا، فقط 3.5 بالمئة") == 0


class TestTokens:
    def test_good_token(self):
        assert tokens.check_token(tokens.make_token(7, issued_at=time.time() - 30), 7) is None

    def test_too_young(self):
        assert tokens.check_token(tokens.make_token(7), 7) == tokens.TOO_FAST

    def test_too_old(self):
        assert tokens.check_token(tokens.make_token(7, issued_at=time.time() - 90_000), 7) == tokens.EXPIRED

    def test_other_article(self):
        assert tokens.check_token(tokens.make_token(8, issued_at=time.time() - 30), 7) == tokens.INVALID

    def test_tampered(self):
        token = tokens.make_token(7, issued_at=time.time() - 30)
        assert tokens.check_token(token[:-2] + "xx", 7) == tokens.INVALID

    def test_the_token_names_no_reader(self):
        # Two readers loading the same cached page at the same second get the same token.
        moment = time.time() - 30
        assert tokens.make_token(7, issued_at=moment) == tokens.make_token(7, issued_at=moment)
