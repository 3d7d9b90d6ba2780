"""The demo content a fresh site starts with: a week of news that exercises every part of a page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.images import get_image_model

from khabar.demo import images as demo_images
from khabar.demo import loader
from khabar.demo.loader import demo_content, load_demo_content
from khabar.news.models import Agency, ArticlePage, Author, SectionPage

STORIES = demo_content().stories


@pytest.fixture
def demo(home):
    return load_demo_content()


def published():
    return ArticlePage.objects.published()


@pytest.mark.django_db
def test_demo_fills_an_empty_site_like_a_newspaper(demo):
    assert demo == len(STORIES) == published().count() >= 30
    assert SectionPage.objects.live().count() >= 5
    assert all(section.intro for section in SectionPage.objects.all())
    assert Author.objects.count() >= 4
    assert Agency.objects.count() >= 4
    pages = list(published().specific())
    assert all(page.plain_text() for page in pages)
    assert sum(1 for page in pages if page.hero_image_id) > len(pages) * 3 / 4
    assert sum(1 for page in pages if page.dateline) >= 5
    assert all(page.authors.exists() or page.agencies.exists() for page in pages)
    assert all(2 <= page.tags.count() <= 4 for page in pages)
    blocks = [block.block_type for page in pages for block in page.body]
    assert blocks.count("quote") >= 4 and "figure" in blocks and "embed" not in blocks
    images = get_image_model().objects.all()
    assert 8 <= images.count() <= 12
    assert all((image.width, image.height) == demo_images.SIZE for image in images)


@pytest.mark.django_db
def test_articles_span_the_last_week_and_a_few_were_updated(demo):
    now = timezone.now()
    pages = list(published())
    assert all(now - timedelta(days=7) < page.first_published_at <= now for page in pages)
    assert any(now - page.first_published_at < timedelta(hours=6) for page in pages)
    assert len({(now - page.first_published_at).days for page in pages}) >= 5
    updated = [page for page in pages if page.last_published_at - page.first_published_at > timedelta(hours=1)]
    assert 2 <= len(updated) <= 3
    assert all(page.is_updated() and page.last_published_at <= now for page in updated)


@pytest.mark.django_db
def test_home_page_shows_the_one_breaking_item_under_عاجل(demo, client):
    breaking = ArticlePage.objects.breaking().get()
    now = timezone.now()
    assert now - breaking.first_published_at < timedelta(hours=1) < breaking.breaking_until - now
    assert ArticlePage.objects.filter(is_breaking=True).count() == 1

    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    ticker = html[html.index('class="breaking'):]
    ticker = ticker[: ticker.index("</aside>")]
    assert ticker.index("عاجل") < ticker.index(breaking.title)


@pytest.mark.django_db
def test_an_agency_story_shows_its_dateline_figure_and_credit(demo, client):
    page = published().get(title__contains="شح المياه")
    html = client.get(page.url).content.decode()
    assert re.search(r'class="dateline"[^>]*>\s*الرباط:', html)
    assert "مشاريع الري الحديث من أبرز محاور الخطة المقترحة" in html  # the figure's caption
    assert "(الضاد)" in html


@pytest.mark.django_db
def test_a_desk_story_shows_its_author_quote_and_related_articles(demo, client):
    page = published().get(title__startswith="البرلمان يبدأ مناقشة")
    html = client.get(page.url).content.decode()
    assert "ليلى الخطيب" in html
    assert '<blockquote class="quote">' in html and "رئيس اللجنة المالية" in html
    assert "أخبار ذات صلة" in html
    assert len(page.related_articles()) == 4


@pytest.mark.django_db
def test_loading_again_creates_nothing(demo):
    counts = (ArticlePage.objects.count(), Author.objects.count(), get_image_model().objects.count())
    assert load_demo_content() == 0
    assert (ArticlePage.objects.count(), Author.objects.count(), get_image_model().objects.count()) == counts


@pytest.mark.django_db
def test_a_failure_half_way_leaves_nothing_behind(home, monkeypatch):
    stored, published_stories = [], []
    create_images, publish = demo_images.create_demo_images, loader._publish

    def recording_images():
        for key, image in create_images():
            stored.append(image.file.name)
            yield key, image

    def failing_publish(story, *args):
        if len(published_stories) == 5:
            raise RuntimeError("disk full")
        published_stories.append(story)
        publish(story, *args)

    monkeypatch.setattr(demo_images, "create_demo_images", recording_images)
    monkeypatch.setattr(loader, "_publish", failing_publish)
    with pytest.raises(RuntimeError):
        load_demo_content()
    assert not ArticlePage.objects.exists()
    assert not SectionPage.objects.exists()
    assert not Author.objects.exists() and not get_image_model().objects.exists()
    assert len(stored) == len(demo_images.PICTURES)
    assert not any(get_image_model().file.field.storage.exists(name) for name in stored)


def test_pictures_are_drawn_the_same_way_every_time():
    assert demo_images.render("stadium") == demo_images.render("stadium")


def test_stories_are_written_as_arabic_news_copy():
    assert len({story.title for story in STORIES}) == len(STORIES)
    assert sum(story.breaking for story in STORIES) == 1
    for story in STORIES:
        assert 3 <= len(story.paragraphs) <= 6, story.title
        assert not story.image or story.image in demo_images.PICTURES
        assert not story.figure or story.figure[0] in demo_images.PICTURES
        for text in (story.title, story.summary, *story.paragraphs):
            assert "," not in text and "?" not in text, text  # Arabic copy uses ، and ؟
            assert '"' not in text, text  # quotations are set in “…”


def test_stories_ship_with_the_package():
    import tomllib
    from fnmatch import fnmatch
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["khabar"]
    data_file = loader.DATA_FILE.relative_to(root / "src" / "khabar").as_posix()
    assert any(fnmatch(data_file, pattern) for pattern in patterns), f"{data_file} is not in package-data"


def test_load_demo_refuses_in_production(db, settings):
    from django.core.management import CommandError, call_command

    from khabar.news.models import ArticlePage

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded in production"):
        call_command("load_demo")
    assert not ArticlePage.objects.exists()
