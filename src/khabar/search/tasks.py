"""Index work that runs outside the editor's request."""

from django_tasks import task

from khabar.news.models import ArticlePage


@task()
def update_article_index(page_ids: list[int]) -> dict:
    """Make the index agree with these articles as they are now (published, unpublished, edited or deleted)."""
    from khabar.search.indexing import update_articles

    indexed, removed = update_articles(page_ids)
    return {"indexed": indexed, "removed": removed}


@task()
def update_section_index(section_id: int) -> dict:
    """Re-index a section's articles after the section moved or changed its slug (their URLs changed)."""
    from khabar.search.indexing import update_articles

    ids = list(ArticlePage.objects.filter(path__startswith=_section_path(section_id)).values_list("pk", flat=True))
    indexed, removed = update_articles(ids) if ids else (0, 0)
    return {"indexed": indexed, "removed": removed}


def _section_path(section_id):
    from wagtail.models import Page

    return Page.objects.filter(pk=section_id).values_list("path", flat=True).first() or "-"
