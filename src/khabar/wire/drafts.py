"""Draft articles made from wire copy: created unpublished, revised while nobody has published them.

A draft is a Wagtail revision like an editor's "حفظ المسودة": the page is not live and nothing
public changes until someone on the desk publishes it. Once an article has been published it
belongs to the editors: a newer version from the agency never touches it (the wire item carries
an alert instead, see ``khabar.wire.ingest``).
"""

from wagtail.models import Page
from wagtail.rich_text import RichText

from khabar.news.models import ArticlePage
from khabar.news.slugs import free_slug, unicode_slug

SLUG_LENGTH = 70  # as the importers do: short enough to read in a shared link


def create_draft(agency, section, copy, url=""):
    """A new unpublished ArticlePage in ``section`` from ``copy`` (a CleanCopy), credited to ``agency``."""
    slug = free_slug(
        unicode_slug(copy.headline, SLUG_LENGTH),
        lambda candidate: Page.objects.child_of(section).filter(slug=candidate).exists(),
    )
    page = ArticlePage(title=copy.headline, slug=slug, live=False, has_unpublished_changes=True)
    _fill(page, copy, url)
    page.agencies = [agency]
    section.add_child(instance=page)
    page.save_revision(log_action=True)
    return page


def was_published(page):
    """Whether the article is, or once was, public: from then on only editors change it."""
    return page.live or page.first_published_at is not None


def revise_draft(page, copy, url=""):
    """Save ``copy`` as a new revision of the unpublished ``page``; False (and nothing saved) if it was published."""
    page = page.specific
    if was_published(page):
        return False
    latest = page.get_latest_revision_as_object()
    _fill(latest, copy, url)
    latest.save_revision(log_action=True)
    return True


def _fill(page, copy, url):
    page.title = copy.headline
    page.dateline = copy.dateline
    page.body = [("text", RichText(copy.body_html))] if copy.body_html else []
    page.source_url = url[: ArticlePage._meta.get_field("source_url").max_length]
