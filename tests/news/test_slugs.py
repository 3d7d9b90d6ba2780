"""One rule for slugs that clash: the first free of slug, slug-2, slug-3…, within the column's length."""

from khabar.news.slugs import free_slug, unicode_slug


def test_arabic_letters_stay_in_slugs():
    assert unicode_slug("أسعار النفط اليوم") == "أسعار-النفط-اليوم"
    assert unicode_slug("!!!") == "x"


def test_a_free_slug_is_kept_and_a_taken_one_numbered():
    taken = {"غزة", "غزة-2"}
    assert free_slug("القدس", taken.__contains__) == "القدس"
    assert free_slug("غزة", taken.__contains__) == "غزة-3"


def test_numbered_slugs_still_fit_their_column():
    base = "ن" * 10
    slug = free_slug(base, {base}.__contains__, max_length=10)
    assert slug == "ن" * 8 + "-2" and len(slug) == 10
