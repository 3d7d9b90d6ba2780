"""One small site per fuzz module, built once and rolled back at the end, and a client that shows crashes.

The site is created inside a transaction that is never committed; each test's
``db`` fixture nests a savepoint in it, so every example of every test sees the
same site and nothing leaks into the rest of the suite. On-commit work (search
indexing, purges) never runs inside it, so the articles are indexed here by hand.
"""

import time
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from wagtail.rich_text import RichText

SITE = "http://testserver"
# The statuses a reader may meet; anything else (above all 5xx) is a failure.
CLIENT_ERRORS = {400, 403, 404, 405, 410, 429}


@dataclass
class FuzzSite:
    home: object
    sections: list
    articles: list
    author: object
    tag_slug: str
    comments: list = field(default_factory=list)
    subscribers: dict = field(default_factory=dict)

    @property
    def article(self):
        return self.articles[0]

    @property
    def section(self):
        return self.sections[0]


def _publish(section, title, paragraphs, author=None, tags=()):
    from khabar.news.models import ArticlePage

    page = ArticlePage(title=title, body=[("text", RichText("".join(f"<p>{p}</p>" for p in paragraphs)))])
    section.add_child(instance=page)
    if author is not None:
        page.authors.add(author)
    for tag in tags:
        page.tags.add(tag)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def build_site():
    from khabar.comments.models import Comment, Status
    from khabar.news.models import Author
    from khabar.news.site_tree import ensure_home_page, get_or_create_section
    from khabar.newsletter.models import Subscriber
    from khabar.search.indexing import update_articles

    home = ensure_home_page()
    sections = [get_or_create_section(home, "العالم"), get_or_create_section(home, "رياضة")]
    author = Author.objects.create(name="يوسف بن علي", slug="yousef", bio="محرر الشؤون الدولية.")
    articles = [
        _publish(sections[0], "الجيش الإسرائيلي ينسحب من غزة",
                 ["قال متحدث إن القوات انسحبت فجر اليوم.", "وأكد شهود ذلك."], author=author, tags=["غزة", "Politics"]),
        _publish(sections[0], "وزير الخارجية يزور موسكو", ["موسكو: وصل وزير الخارجية.", "(وكالات)"], tags=["غزة"]),
        _publish(sections[0], "أسعار النفط ترتفع", ["ارتفعت أسعار النفط 3% اليوم الخميس."], author=author),
        _publish(sections[1], "المنتخب يفوز 2-1", ["فاز المنتخب في المباراة."]),
    ]
    update_articles([a.pk for a in articles])  # the publish's on-commit task never runs here
    site = FuzzSite(home=home, sections=sections, articles=articles, author=author, tag_slug="غزة")
    parent = None
    for n in range(5):  # threads over several ?cpage= pages (KHABAR_COMMENTS_PER_PAGE is lowered per test)
        comment = Comment.objects.create(
            article=site.article, parent=parent if n == 2 else None, name=f"قارئ {n}", email=f"r{n}@example.org",
            body=f"تعليق رقم {n}", status=Status.APPROVED,
        )
        parent = parent or comment
        site.comments.append(comment)
    for status in ("pending", "active", "unsubscribed"):
        site.subscribers[status] = Subscriber.objects.create(email=f"{status}@example.org", status=status, daily=True)
    return site


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The module's site, in a transaction rolled back after the module's last test."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield build_site()
            transaction.set_rollback(True)


@pytest.fixture
def reader(db, site, settings):
    """A browser on this site whose requests re-raise any exception the view lets escape."""
    settings.KHABAR_ARTICLES_PER_PAGE = 2  # listings with more than one page
    settings.KHABAR_COMMENTS_PER_PAGE = 2
    cache.clear()
    yield Client(raise_request_exception=True)
    cache.clear()


def fresh_example():
    """Start an example with no rate-limit counts and an empty outbox, as a new reader would meet the site."""
    cache.clear()
    mail.outbox.clear()


def served(response, expected=None):
    """Fail on a server error, or on a status outside ``expected`` (default: 200, 3xx or a client error)."""
    code = response.status_code
    assert code < 500, f"HTTP {code}"
    if expected is not None:
        assert code in expected, f"HTTP {code}, expected one of {sorted(expected)}"
    else:
        assert code in {200, 301, 302, 303, 304} | CLIENT_ERRORS, f"HTTP {code}"
    return response


def old_enough(article_id, age=60):
    """A comment form token issued ``age`` seconds ago, as the article page gave it to a reader who typed."""
    from khabar.comments.tokens import make_token

    return make_token(article_id, issued_at=time.time() - age)
