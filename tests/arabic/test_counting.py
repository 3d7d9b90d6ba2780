"""Number-noun agreement, the rule under relative times and reading times."""

import pytest

from khabar.arabic.counting import DAY, HOUR, MINUTE, count_noun


@pytest.mark.parametrize(
    "count, noun, expected",
    [
        pytest.param(1, MINUTE, "دقيقة", id="singular"),
        pytest.param(2, HOUR, "ساعتين", id="dual"),
        pytest.param(3, DAY, "3 أيام", id="plural-3"),
        pytest.param(10, MINUTE, "10 دقائق", id="plural-10"),
        pytest.param(11, DAY, "11 يوماً", id="accusative-11"),
        pytest.param(99, HOUR, "99 ساعة", id="accusative-99"),
        pytest.param(100, DAY, "100 يوم", id="hundred-genitive"),
        pytest.param(102, DAY, "102 يوم", id="hundred-and-two-genitive"),
        pytest.param(103, MINUTE, "103 دقائق", id="compound-plural"),
        pytest.param(115, DAY, "115 يوماً", id="compound-accusative"),
        pytest.param(0, MINUTE, "0 دقيقة", id="zero"),
    ],
)
def test_count_noun(count, noun, expected):
    assert count_noun(count, noun) == expected


def test_count_noun_arabic_digits():
    assert count_noun(25, DAY, "arabic") == "٢٥ يوماً"


def test_count_noun_rejects_negative():
    with pytest.raises(ValueError, match="negative"):
        count_noun(-1, DAY)


def test_count_noun_checks_digits_even_without_a_number():
    with pytest.raises(ValueError, match="western, arabic"):
        count_noun(1, DAY, "latin")
