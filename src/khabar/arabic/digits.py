"""Converting digits between Western (0-9) and Arabic-Indic (٠-٩) forms."""

from __future__ import annotations

from . import letters as L

DIGIT_STYLES = ("western", "arabic")

_TO_ARABIC_INDIC = str.maketrans(
    L.WESTERN_DIGITS + L.PERSIAN_DIGITS,  # 0-9 and ۰-۹ PERSIAN DIGITS
    L.ARABIC_INDIC_DIGITS * 2,  # -> ٠-٩ ARABIC-INDIC DIGITS
)
_TO_WESTERN = str.maketrans(
    L.ARABIC_INDIC_DIGITS + L.PERSIAN_DIGITS,  # ٠-٩ ARABIC-INDIC and ۰-۹ PERSIAN
    L.WESTERN_DIGITS * 2,  # -> 0-9
)


def check_digit_style(style: str) -> str:
    """Return ``style`` if it is a known digit style, else raise ValueError."""
    if style not in DIGIT_STYLES:
        raise ValueError(
            f"Unknown digit style {style!r}; expected one of: {', '.join(DIGIT_STYLES)}"
        )
    return style


def to_arabic_indic(text: str | None) -> str:
    """Write every Western or Persian digit in ``text`` as an Arabic-Indic digit."""
    return text.translate(_TO_ARABIC_INDIC) if text else ""


def to_western(text: str | None) -> str:
    """Write every Arabic-Indic or Persian digit in ``text`` as a Western digit."""
    return text.translate(_TO_WESTERN) if text else ""


def localize_digits(text: str | None, style: str) -> str:
    """Write the digits of ``text`` in ``style``: "western" (0-9) or "arabic" (٠-٩)."""
    if check_digit_style(style) == "arabic":
        return to_arabic_indic(text)
    return to_western(text)
