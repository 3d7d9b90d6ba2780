"""The skeleton every khabar site needs: a home page that the default Site serves."""

from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from wagtail.models import Page, Site

from khabar.news import workflow
from khabar.news.models import HomePage, SectionPage
from khabar.news.slugs import unicode_slug


@transaction.atomic
def ensure_home_page():
    """Create the home page and point the default Site at it; harmless when both exist."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's migrations leave a "Welcome" page that would clash with our home's slug.
        for page in root.get_children().exclude(content_type__model="homepage"):
            page.delete()
        home = root.add_child(instance=HomePage(title=settings.SITE_NAME, slug="home", tagline="أخبار على مدار الساعة"))
        # The newsroom's groups and workflow (migration news 0005) reach the pages under the new home.
        workflow.grant_home_page(apps, home.pk)
    parts = urlsplit(settings.SITE_URL)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "root_page": home,
            "hostname": parts.hostname or "localhost",
            "port": parts.port or (443 if parts.scheme == "https" else 80),
            "site_name": settings.SITE_NAME,
        },
    )
    return home


def get_or_create_section(home, title):
    """The section page titled ``title`` under ``home``, created and published if missing."""
    slug = unicode_slug(title)
    # Titles that differ only in case or punctuation ("World", "world") share one section and slug.
    section = SectionPage.objects.child_of(home).filter(Q(title=title) | Q(slug=slug)).first()
    if section is None:
        section = home.add_child(instance=SectionPage(title=title, slug=slug, show_in_menus=True))
        section.save_revision().publish()
    return section
