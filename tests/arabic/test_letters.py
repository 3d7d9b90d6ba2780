"""Named code points are the characters their names say."""

import unicodedata

import pytest

from khabar.arabic import letters as L


NAMED = [
    ("ALEF", 0x0627, "ARABIC LETTER ALEF"),
    ("ALEF_HAMZA_ABOVE", 0x0623, "ARABIC LETTER ALEF WITH HAMZA ABOVE"),
    ("ALEF_HAMZA_BELOW", 0x0625, "ARABIC LETTER ALEF WITH HAMZA BELOW"),
    ("ALEF_MADDA", 0x0622, "ARABIC LETTER ALEF WITH MADDA ABOVE"),
    ("ALEF_WASLA", 0x0671, "ARABIC LETTER ALEF WASLA"),
    ("TEH_MARBUTA", 0x0629, "ARABIC LETTER TEH MARBUTA"),
    ("HEH", 0x0647, "ARABIC LETTER HEH"),
    ("ALEF_MAKSURA", 0x0649, "ARABIC LETTER ALEF MAKSURA"),
    ("YEH", 0x064A, "ARABIC LETTER YEH"),
    ("WAW_HAMZA", 0x0624, "ARABIC LETTER WAW WITH HAMZA ABOVE"),
    ("YEH_HAMZA", 0x0626, "ARABIC LETTER YEH WITH HAMZA ABOVE"),
    ("TATWEEL", 0x0640, "ARABIC TATWEEL"),
    ("FATHATAN", 0x064B, "ARABIC FATHATAN"),
    ("SUKUN", 0x0652, "ARABIC SUKUN"),
    ("SUPERSCRIPT_ALEF", 0x0670, "ARABIC LETTER SUPERSCRIPT ALEF"),
    ("ARABIC_LETTER_MARK", 0x061C, "ARABIC LETTER MARK"),
    ("RIGHT_TO_LEFT_MARK", 0x200F, "RIGHT-TO-LEFT MARK"),
    ("POP_DIRECTIONAL_ISOLATE", 0x2069, "POP DIRECTIONAL ISOLATE"),
    ("ZERO_WIDTH_NO_BREAK_SPACE", 0xFEFF, "ZERO WIDTH NO-BREAK SPACE"),
]


@pytest.mark.parametrize(
    "constant, code_point, unicode_name",
    NAMED,
    ids=[constant.lower().replace("_", "-") for constant, _, _ in NAMED],
)
def test_named_code_point(constant, code_point, unicode_name):
    char = getattr(L, constant)
    assert ord(char) == code_point
    assert unicodedata.name(char) == unicode_name


def test_tashkeel_is_fathatan_to_sukun_plus_superscript_alef():
    expected = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670"]
    assert list(L.TASHKEEL) == expected


def test_invisible_controls_cover_every_listed_range():
    expected = {
        *map(chr, range(0x200B, 0x2010)),
        *map(chr, range(0x202A, 0x202F)),
        *map(chr, range(0x2066, 0x206A)),
        "\ufeff",
        "\u061c",
    }
    assert set(L.INVISIBLE_CONTROLS) == expected


@pytest.mark.parametrize(
    "digits, first", [(L.ARABIC_INDIC_DIGITS, 0x0660), (L.PERSIAN_DIGITS, 0x06F0)],
    ids=["arabic-indic", "persian"],
)
def test_digit_strings_are_indexed_by_value(digits, first):
    assert [ord(d) for d in digits] == list(range(first, first + 10))
    assert [unicodedata.digit(d) for d in digits] == list(range(10))
