"""Named code points for the Arabic layer.

Every character the other modules act on is spelled here once, by its
Unicode name and code point, so a rule elsewhere reads as ``ALEF_MADDA -> ALEF``
rather than as an invisible glyph in a string literal.
"""

# Letters
HAMZA = "\u0621"  # ء
ALEF_MADDA = "\u0622"  # آ
ALEF_HAMZA_ABOVE = "\u0623"  # أ
WAW_HAMZA = "\u0624"  # ؤ
ALEF_HAMZA_BELOW = "\u0625"  # إ
YEH_HAMZA = "\u0626"  # ئ
ALEF = "\u0627"  # ا
TEH_MARBUTA = "\u0629"  # ة
TATWEEL = "\u0640"  # ـ (kashida, a stretching stroke with no meaning)
HEH = "\u0647"  # ه
WAW = "\u0648"  # و
ALEF_MAKSURA = "\u0649"  # ى
YEH = "\u064a"  # ي
ALEF_WASLA = "\u0671"  # ٱ

# Letters the light stemmer names in its affix tables (khabar.arabic.stem)
BEH = "\u0628"  # ب
TEH = "\u062a"  # ت
FEH = "\u0641"  # ف
KAF = "\u0643"  # ك
LAM = "\u0644"  # ل
NOON = "\u0646"  # ن

# Tashkeel (harakat)
FATHATAN = "\u064b"  # ً
DAMMATAN = "\u064c"  # ٌ
KASRATAN = "\u064d"  # ٍ
FATHA = "\u064e"  # َ
DAMMA = "\u064f"  # ُ
KASRA = "\u0650"  # ِ
SHADDA = "\u0651"  # ّ
SUKUN = "\u0652"  # ْ
SUPERSCRIPT_ALEF = "\u0670"  # ٰ (dagger alef)

TASHKEEL = (
    FATHATAN, DAMMATAN, KASRATAN, FATHA, DAMMA, KASRA, SHADDA, SUKUN,
    SUPERSCRIPT_ALEF,
)

# Zero-width characters
ZERO_WIDTH_SPACE = "\u200b"
ZERO_WIDTH_NON_JOINER = "\u200c"
ZERO_WIDTH_JOINER = "\u200d"
ZERO_WIDTH_NO_BREAK_SPACE = "\ufeff"  # also the byte-order mark

# Bidirectional formatting controls
ARABIC_LETTER_MARK = "\u061c"
LEFT_TO_RIGHT_MARK = "\u200e"
RIGHT_TO_LEFT_MARK = "\u200f"
LEFT_TO_RIGHT_EMBEDDING = "\u202a"
RIGHT_TO_LEFT_EMBEDDING = "\u202b"
POP_DIRECTIONAL_FORMATTING = "\u202c"
LEFT_TO_RIGHT_OVERRIDE = "\u202d"
RIGHT_TO_LEFT_OVERRIDE = "\u202e"
LEFT_TO_RIGHT_ISOLATE = "\u2066"
RIGHT_TO_LEFT_ISOLATE = "\u2067"
FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"

BIDI_CONTROLS = (
    ARABIC_LETTER_MARK, LEFT_TO_RIGHT_MARK, RIGHT_TO_LEFT_MARK,
    LEFT_TO_RIGHT_EMBEDDING, RIGHT_TO_LEFT_EMBEDDING, POP_DIRECTIONAL_FORMATTING,
    LEFT_TO_RIGHT_OVERRIDE, RIGHT_TO_LEFT_OVERRIDE,
    LEFT_TO_RIGHT_ISOLATE, RIGHT_TO_LEFT_ISOLATE, FIRST_STRONG_ISOLATE,
    POP_DIRECTIONAL_ISOLATE,
)
ZERO_WIDTH_CONTROLS = (
    ZERO_WIDTH_SPACE, ZERO_WIDTH_NON_JOINER, ZERO_WIDTH_JOINER,
    ZERO_WIDTH_NO_BREAK_SPACE,
)
# Joiners shape glyphs (Persian ZWNJ, emoji ZWJ sequences); only search drops them.
JOINERS = (ZERO_WIDTH_NON_JOINER, ZERO_WIDTH_JOINER)
INVISIBLE_CONTROLS = BIDI_CONTROLS + ZERO_WIDTH_CONTROLS

# Digits, each string indexed by value
WESTERN_DIGITS = "0123456789"
ARABIC_INDIC_DIGITS = "".join(chr(0x0660 + n) for n in range(10))  # ٠١٢٣٤٥٦٧٨٩
PERSIAN_DIGITS = "".join(chr(0x06F0 + n) for n in range(10))  # ۰۱۲۳۴۵۶۷۸۹
