"""URL slugs for pages, people and tags: Arabic letters kept, clashes settled by a number."""

from django.utils.text import slugify


def unicode_slug(text, max_length=80):
    """A URL slug that keeps Arabic letters, as Arabic news sites do."""
    return slugify(text, allow_unicode=True)[:max_length].strip("-") or "x"


def free_slug(slug, is_taken, max_length=None):
    """``slug`` itself, or the first of ``slug-2``, ``slug-3``… for which ``is_taken`` says no.

    ``is_taken`` is any one-argument test: ``taken.__contains__`` for slugs already in hand, or a
    query such as ``lambda s: Tag.objects.filter(slug=s).exists()``. With ``max_length``, the
    base is shortened so that the number still fits the column.
    """
    candidate, n = slug, 1
    while is_taken(candidate):
        n += 1
        suffix = f"-{n}"
        base = slug[: max_length - len(suffix)].rstrip("-") if max_length else slug
        candidate = f"{base}{suffix}"
    return candidate
